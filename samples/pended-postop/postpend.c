/*
 * postpend: pends reads in their post-operation callback. The post-read may run at DISPATCH_LEVEL, so
 * it does no real work there: it posts the read to a worker with a deferred-I/O work item and returns
 * FLT_POSTOP_MORE_PROCESSING_REQUIRED. The worker, at PASSIVE_LEVEL, looks up the file name (which is
 * not allowed at DISPATCH_LEVEL) and finishes completion with FltCompletePendedPostOperation.
 */
#include <fltKernel.h>

PFLT_FILTER FilterHandle;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS PostPendUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
FLT_POSTOP_CALLBACK_STATUS PostRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags);
VOID PostReadWorker(PFLT_DEFERRED_IO_WORKITEM WorkItem, PFLT_CALLBACK_DATA Data, PVOID Context);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, PreRead, PostRead },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, PostPendUnload,
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
PostPendUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
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
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

FLT_POSTOP_CALLBACK_STATUS
PostRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _In_opt_ PVOID CompletionContext, _In_ FLT_POST_OPERATION_FLAGS Flags)
{
    PFLT_DEFERRED_IO_WORKITEM workItem;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);

    // While draining, or for failed and fast I/O reads, there is nothing to post.
    if (FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING) || !FLT_IS_IRP_OPERATION(Data) || !NT_SUCCESS(Data->IoStatus.Status)) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }

    workItem = FltAllocateDeferredIoWorkItem();
    if (workItem == NULL) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }
    status = FltQueueDeferredIoWorkItem(workItem, Data, PostReadWorker, DelayedWorkQueue, NULL);
    if (!NT_SUCCESS(status)) {
        FltFreeDeferredIoWorkItem(workItem);
        return FLT_POSTOP_FINISHED_PROCESSING;
    }
    return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
}

VOID
PostReadWorker(_In_ PFLT_DEFERRED_IO_WORKITEM WorkItem, _In_ PFLT_CALLBACK_DATA Data, _In_opt_ PVOID Context)
{
    PFLT_FILE_NAME_INFORMATION nameInfo = NULL;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Context);
    FltFreeDeferredIoWorkItem(WorkItem);

    status = FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT, &nameInfo);
    if (NT_SUCCESS(status)) {
        DbgPrint("postpend: read of %wZ returned %Iu bytes\n", &nameInfo->Name, Data->IoStatus.Information);
        FltReleaseFileNameInformation(nameInfo);
    }
    FltCompletePendedPostOperation(Data);
}
