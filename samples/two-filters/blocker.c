/*
 * blocker: the upper filter. It refuses to open files whose name ends in ".blocked" by completing
 * the create in its pre-operation callback with FLT_PREOP_COMPLETE. Filters below it and the file
 * system never see those creates.
 */
#include <fltKernel.h>

PFLT_FILTER FilterHandle;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS BlockerUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
FLT_POSTOP_CALLBACK_STATUS PostCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, PreCreate, PostCreate },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, BlockerUnload,
};

NTSTATUS
DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &FilterRegistration, &FilterHandle);
    if (NT_SUCCESS(status)) {
        status = FltStartFiltering(FilterHandle);
        if (!NT_SUCCESS(status)) {
            FltUnregisterFilter(FilterHandle);
        }
    }
    return status;
}

NTSTATUS
BlockerUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

static BOOLEAN
EndsWithBlocked(_In_ PCUNICODE_STRING Name)
{
    static const WCHAR suffix[] = L".blocked";
    USHORT suffixChars = (USHORT)(RTL_NUMBER_OF(suffix) - 1);
    USHORT nameChars = Name->Length / sizeof(WCHAR);
    USHORT i;

    if (nameChars < suffixChars) {
        return FALSE;
    }
    for (i = 0; i < suffixChars; i++) {
        if (RtlUpcaseUnicodeChar(Name->Buffer[nameChars - suffixChars + i]) != RtlUpcaseUnicodeChar(suffix[i])) {
            return FALSE;
        }
    }
    return TRUE;
}

FLT_PREOP_CALLBACK_STATUS
PreCreate(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    *CompletionContext = NULL;
    if (EndsWithBlocked(&FltObjects->FileObject->FileName)) {
        DbgPrint("blocker: refusing %wZ\n", &FltObjects->FileObject->FileName);
        Data->IoStatus.Status = STATUS_ACCESS_DENIED;
        Data->IoStatus.Information = 0;
        return FLT_PREOP_COMPLETE;
    }
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

FLT_POSTOP_CALLBACK_STATUS
PostCreate(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _In_opt_ PVOID CompletionContext, _In_ FLT_POST_OPERATION_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    DbgPrint("blocker: create finished with 0x%08X\n", Data->IoStatus.Status);
    return FLT_POSTOP_FINISHED_PROCESSING;
}
