/*
 * deferwrite: posts IRP-based writes to a worker thread with a deferred-I/O work item. The worker
 * routine receives the callback data itself and resumes the write. Paging writes and fast I/O are
 * let through: posting paging I/O is not safe, and fast I/O is not IRP-based.
 */
#include <fltKernel.h>

PFLT_FILTER FilterHandle;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS DeferUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreWrite(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
VOID WriteWorker(PFLT_DEFERRED_IO_WORKITEM WorkItem, PFLT_CALLBACK_DATA Data, PVOID Context);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_WRITE, 0, PreWrite, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, DeferUnload,
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
DeferUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

FLT_PREOP_CALLBACK_STATUS
PreWrite(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    PFLT_DEFERRED_IO_WORKITEM workItem;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;

    if (!FLT_IS_IRP_OPERATION(Data) || FlagOn(Data->Iopb->IrpFlags, IRP_PAGING_IO)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    workItem = FltAllocateDeferredIoWorkItem();
    if (workItem == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    status = FltQueueDeferredIoWorkItem(workItem, Data, WriteWorker, CriticalWorkQueue, NULL);
    if (!NT_SUCCESS(status)) {
        // STATUS_FLT_DELETING_OBJECT or STATUS_FLT_NOT_SAFE_TO_POST_OPERATION: do it inline instead.
        FltFreeDeferredIoWorkItem(workItem);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    return FLT_PREOP_PENDING;
}

VOID
WriteWorker(_In_ PFLT_DEFERRED_IO_WORKITEM WorkItem, _In_ PFLT_CALLBACK_DATA Data, _In_opt_ PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);

    FltFreeDeferredIoWorkItem(WorkItem);
    DbgPrint("deferwrite: worker resumes a %lu-byte write at offset %I64d\n",
             Data->Iopb->Parameters.Write.Length, Data->Iopb->Parameters.Write.ByteOffset.QuadPart);
    FltCompletePendedPreOperation(Data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
}
