/*
 * watcher: the lower filter. It reports every create and read that reaches it, and says whether a
 * filter above issued it (FLTFL_CALLBACK_DATA_GENERATED_IO) or it came from the workload.
 */
#include <fltKernel.h>

PFLT_FILTER FilterHandle;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS WatcherUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, PreCreate, NULL },
    { IRP_MJ_READ, 0, PreRead, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, WatcherUnload,
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
WatcherUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

static PCSTR
Origin(_In_ PFLT_CALLBACK_DATA Data)
{
    return FlagOn(Data->Flags, FLTFL_CALLBACK_DATA_GENERATED_IO) ? "a filter above" : "the workload";
}

FLT_PREOP_CALLBACK_STATUS
PreCreate(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    *CompletionContext = NULL;
    DbgPrint("watcher: create of %wZ from %s\n", &FltObjects->FileObject->FileName, Origin(Data));
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

FLT_PREOP_CALLBACK_STATUS
PreRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    *CompletionContext = NULL;
    DbgPrint("watcher: read of %lu bytes of %wZ from %s\n", Data->Iopb->Parameters.Read.Length, &FltObjects->FileObject->FileName, Origin(Data));
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
