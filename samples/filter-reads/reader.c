/*
 * reader: an upper filter that issues its own I/O. When a create of a file called report.txt
 * succeeds, its post-create opens another file (config\policy.txt) with FltCreateFileEx, reads it
 * with FltReadFile, asks its size with FltQueryInformationFile and closes it again.
 *
 * That I/O starts below this filter's instance: the lower filter (watcher) sees it, this filter's
 * own PreRead never does.
 */
#include <fltKernel.h>

PFLT_FILTER FilterHandle;
LONG ReadsSeen;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS ReaderUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
FLT_POSTOP_CALLBACK_STATUS PostCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, NULL, PostCreate },
    { IRP_MJ_READ, 0, PreRead, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, ReaderUnload,
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
ReaderUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

FLT_PREOP_CALLBACK_STATUS
PreRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    InterlockedIncrement(&ReadsSeen);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

/* Reads the policy file: its own create, read, query and close, all below this instance. */
static VOID
ReadPolicy(_In_ PCFLT_RELATED_OBJECTS FltObjects)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\HarddiskVolume1\\config\\policy.txt");
    OBJECT_ATTRIBUTES attributes;
    IO_STATUS_BLOCK ioStatus;
    HANDLE handle = NULL;
    PFILE_OBJECT fileObject = NULL;
    LARGE_INTEGER offset;
    FILE_STANDARD_INFORMATION standard;
    CHAR text[64];
    ULONG bytesRead = 0;
    NTSTATUS status;

    InitializeObjectAttributes(&attributes, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
    status = FltCreateFileEx(FilterHandle, FltObjects->Instance, &handle, &fileObject, GENERIC_READ, &attributes, &ioStatus,
                             NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ, FILE_OPEN,
                             FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0, 0);
    if (!NT_SUCCESS(status)) {
        DbgPrint("reader: cannot open the policy: 0x%08X\n", status);
        return;
    }

    status = FltQueryInformationFile(FltObjects->Instance, fileObject, &standard, sizeof(standard), FileStandardInformation, NULL);
    if (NT_SUCCESS(status)) {
        DbgPrint("reader: policy.txt is %I64d bytes\n", standard.EndOfFile.QuadPart);
    }

    RtlZeroMemory(text, sizeof(text));
    offset.QuadPart = 0;
    status = FltReadFile(FltObjects->Instance, fileObject, &offset, sizeof(text) - 1, text, 0, &bytesRead, NULL, NULL);
    if (NT_SUCCESS(status)) {
        DbgPrint("reader: policy.txt holds '%s' (%lu bytes)\n", text, bytesRead);
    } else {
        DbgPrint("reader: reading the policy failed: 0x%08X\n", status);
    }

    ObDereferenceObject(fileObject);
    FltClose(handle);
}

FLT_POSTOP_CALLBACK_STATUS
PostCreate(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _In_opt_ PVOID CompletionContext, _In_ FLT_POST_OPERATION_FLAGS Flags)
{
    PFLT_FILE_NAME_INFORMATION nameInfo = NULL;
    UNICODE_STRING report = RTL_CONSTANT_STRING(L"report.txt");
    NTSTATUS status;

    UNREFERENCED_PARAMETER(CompletionContext);
    if (!NT_SUCCESS(Data->IoStatus.Status) || FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING)) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }
    status = FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT, &nameInfo);
    if (!NT_SUCCESS(status)) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }
    status = FltParseFileNameInformation(nameInfo);
    if (NT_SUCCESS(status) && RtlEqualUnicodeString(&nameInfo->FinalComponent, &report, TRUE)) {
        ReadPolicy(FltObjects);
    }
    FltReleaseFileNameInformation(nameInfo);
    return FLT_POSTOP_FINISHED_PROCESSING;
}
