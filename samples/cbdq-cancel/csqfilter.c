/*
 * csqfilter: parks reads and writes in a cancel-safe callback data queue (cbdq) and lets a generic
 * work item complete them a little later. While an operation waits in the queue it can be
 * cancelled; the Filter Manager then takes it out and calls CsqCompleteCanceledIo.
 *
 * The queue is protected by a spin lock, so every FltCbdq* call may be made at DISPATCH_LEVEL.
 * Define PRIORITIZE_WRITES to have the worker drain writes before reads, using the PeekContext
 * parameter of FltCbdqRemoveNextIo.
 */
#include <fltKernel.h>

#define QUEUE_TAG 'qCsC'
#define WORKER_DELAY_MS 5

typedef struct _QUEUE_ENTRY {
    FLT_CALLBACK_DATA_QUEUE_IO_CONTEXT IoContext;
    ULONG Number;
} QUEUE_ENTRY, *PQUEUE_ENTRY;

typedef struct _INSTANCE_CONTEXT {
    FLT_CALLBACK_DATA_QUEUE Cbdq;
    LIST_ENTRY Pending;
    KSPIN_LOCK Lock;
    volatile LONG WorkerActive;
    PFLT_INSTANCE Instance;
} INSTANCE_CONTEXT, *PINSTANCE_CONTEXT;

PFLT_FILTER FilterHandle;
NPAGED_LOOKASIDE_LIST EntryLookaside;
LONG NextNumber;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS FilterUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
NTSTATUS InstanceSetup(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_SETUP_FLAGS Flags,
                       DEVICE_TYPE VolumeDeviceType, FLT_FILESYSTEM_TYPE VolumeFilesystemType);
VOID InstanceTeardownStart(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_TEARDOWN_FLAGS Reason);
FLT_PREOP_CALLBACK_STATUS PreReadWrite(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
VOID QueueWorker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, PreReadWrite, NULL },
    { IRP_MJ_WRITE, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, PreReadWrite, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_CONTEXT_REGISTRATION Contexts[] = {
    { FLT_INSTANCE_CONTEXT, 0, NULL, sizeof(INSTANCE_CONTEXT), QUEUE_TAG },
    { FLT_CONTEXT_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION),
    FLT_REGISTRATION_VERSION,
    0,
    Contexts,
    Callbacks,
    FilterUnload,
    InstanceSetup,
    NULL,
    InstanceTeardownStart,
    NULL,
};

// ---- the six queue callbacks -------------------------------------------------------------------

_IRQL_raises_(DISPATCH_LEVEL)
VOID CsqAcquire(_In_ PFLT_CALLBACK_DATA_QUEUE Queue, _Out_ PKIRQL Irql)
{
    PINSTANCE_CONTEXT ctx = CONTAINING_RECORD(Queue, INSTANCE_CONTEXT, Cbdq);
    KeAcquireSpinLock(&ctx->Lock, Irql);
}

VOID CsqRelease(_In_ PFLT_CALLBACK_DATA_QUEUE Queue, _In_ KIRQL Irql)
{
    PINSTANCE_CONTEXT ctx = CONTAINING_RECORD(Queue, INSTANCE_CONTEXT, Cbdq);
    KeReleaseSpinLock(&ctx->Lock, Irql);
}

NTSTATUS CsqInsertIo(_In_ PFLT_CALLBACK_DATA_QUEUE Queue, _In_ PFLT_CALLBACK_DATA Data, _In_opt_ PVOID Context)
{
    PINSTANCE_CONTEXT ctx = CONTAINING_RECORD(Queue, INSTANCE_CONTEXT, Cbdq);
    UNREFERENCED_PARAMETER(Context);
    // No locking here: the Filter Manager already holds the queue lock (CsqAcquire).
    InsertTailList(&ctx->Pending, &Data->QueueLinks);
    return STATUS_SUCCESS;
}

VOID CsqRemoveIo(_In_ PFLT_CALLBACK_DATA_QUEUE Queue, _In_ PFLT_CALLBACK_DATA Data)
{
    UNREFERENCED_PARAMETER(Queue);
    RemoveEntryList(&Data->QueueLinks);
}

PFLT_CALLBACK_DATA CsqPeekNextIo(_In_ PFLT_CALLBACK_DATA_QUEUE Queue, _In_opt_ PFLT_CALLBACK_DATA Data, _In_opt_ PVOID PeekContext)
{
    PINSTANCE_CONTEXT ctx = CONTAINING_RECORD(Queue, INSTANCE_CONTEXT, Cbdq);
    PLIST_ENTRY next = (Data == NULL) ? ctx->Pending.Flink : Data->QueueLinks.Flink;

    // PeekContext, when given, is the major function the caller wants (IRP_MJ_READ or IRP_MJ_WRITE).
    while (next != &ctx->Pending) {
        PFLT_CALLBACK_DATA candidate = CONTAINING_RECORD(next, FLT_CALLBACK_DATA, QueueLinks);
        if (PeekContext == NULL || candidate->Iopb->MajorFunction == (UCHAR)(ULONG_PTR)PeekContext) {
            return candidate;
        }
        next = next->Flink;
    }
    return NULL;
}

VOID CsqCompleteCanceledIo(_In_ PFLT_CALLBACK_DATA_QUEUE Queue, _Inout_ PFLT_CALLBACK_DATA Data)
{
    PQUEUE_ENTRY entry = (PQUEUE_ENTRY)Data->QueueContext[0];
    UNREFERENCED_PARAMETER(Queue);

    DbgPrint("csqfilter: operation %lu cancelled while queued\n", entry->Number);
    ExFreeToNPagedLookasideList(&EntryLookaside, entry);
    Data->IoStatus.Status = STATUS_CANCELLED;
    Data->IoStatus.Information = 0;
    FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
}

// ---- loading and instances ---------------------------------------------------------------------

NTSTATUS
DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);

    ExInitializeNPagedLookasideList(&EntryLookaside, NULL, NULL, 0, sizeof(QUEUE_ENTRY), QUEUE_TAG, 0);

    status = FltRegisterFilter(DriverObject, &FilterRegistration, &FilterHandle);
    if (!NT_SUCCESS(status)) {
        ExDeleteNPagedLookasideList(&EntryLookaside);
        return status;
    }
    status = FltStartFiltering(FilterHandle);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(FilterHandle);
        ExDeleteNPagedLookasideList(&EntryLookaside);
    }
    return status;
}

NTSTATUS
FilterUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    ExDeleteNPagedLookasideList(&EntryLookaside);
    return STATUS_SUCCESS;
}

NTSTATUS
InstanceSetup(_In_ PCFLT_RELATED_OBJECTS FltObjects, _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
              _In_ DEVICE_TYPE VolumeDeviceType, _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType)
{
    PINSTANCE_CONTEXT ctx = NULL;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Flags);
    UNREFERENCED_PARAMETER(VolumeDeviceType);
    UNREFERENCED_PARAMETER(VolumeFilesystemType);

    status = FltAllocateContext(FltObjects->Filter, FLT_INSTANCE_CONTEXT, sizeof(INSTANCE_CONTEXT), NonPagedPoolNx, &ctx);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    InitializeListHead(&ctx->Pending);
    KeInitializeSpinLock(&ctx->Lock);
    ctx->WorkerActive = 0;
    ctx->Instance = FltObjects->Instance;

    status = FltCbdqInitialize(FltObjects->Instance, &ctx->Cbdq, CsqInsertIo, CsqRemoveIo, CsqPeekNextIo,
                               CsqAcquire, CsqRelease, CsqCompleteCanceledIo);
    if (NT_SUCCESS(status)) {
        status = FltSetInstanceContext(FltObjects->Instance, FLT_SET_CONTEXT_KEEP_IF_EXISTS, ctx, NULL);
    }
    FltReleaseContext(ctx);
    return status;
}

static VOID
FinishQueuedOperation(_In_ PFLT_CALLBACK_DATA Data)
{
    PQUEUE_ENTRY entry = (PQUEUE_ENTRY)Data->QueueContext[0];

    DbgPrint("csqfilter: completing operation %lu (major 0x%02x)\n", entry->Number, Data->Iopb->MajorFunction);
    ExFreeToNPagedLookasideList(&EntryLookaside, entry);
    FltCompletePendedPreOperation(Data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
}

VOID
InstanceTeardownStart(_In_ PCFLT_RELATED_OBJECTS FltObjects, _In_ FLT_INSTANCE_TEARDOWN_FLAGS Reason)
{
    PINSTANCE_CONTEXT ctx = NULL;
    PFLT_CALLBACK_DATA data;

    UNREFERENCED_PARAMETER(Reason);

    if (!NT_SUCCESS(FltGetInstanceContext(FltObjects->Instance, &ctx))) {
        return;
    }
    // No new entries from now on; then hand back everything still waiting.
    FltCbdqDisable(&ctx->Cbdq);
    while ((data = FltCbdqRemoveNextIo(&ctx->Cbdq, NULL)) != NULL) {
        FinishQueuedOperation(data);
    }
    FltReleaseContext(ctx);
}

// ---- queueing and the worker -------------------------------------------------------------------

FLT_PREOP_CALLBACK_STATUS
PreReadWrite(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    PINSTANCE_CONTEXT ctx = NULL;
    PQUEUE_ENTRY entry;
    PFLT_GENERIC_WORKITEM workItem;
    NTSTATUS status;

    *CompletionContext = NULL;

    // A cbdq only takes IRP-based operations.
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!NT_SUCCESS(FltGetInstanceContext(FltObjects->Instance, &ctx))) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    entry = ExAllocateFromNPagedLookasideList(&EntryLookaside);
    if (entry == NULL) {
        FltReleaseContext(ctx);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    entry->Number = (ULONG)InterlockedIncrement(&NextNumber);
    Data->QueueContext[0] = entry;

    status = FltCbdqInsertIo(&ctx->Cbdq, Data, &entry->IoContext, NULL);
    if (status != STATUS_SUCCESS) {
        // STATUS_FLT_CBDQ_DISABLED during teardown: do not pend.
        ExFreeToNPagedLookasideList(&EntryLookaside, entry);
        FltReleaseContext(ctx);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    // Start one worker for the queue if none is running.
    if (InterlockedCompareExchange(&ctx->WorkerActive, 1, 0) == 0) {
        workItem = FltAllocateGenericWorkItem();
        if (workItem != NULL) {
            FltReferenceContext(ctx);
            status = FltQueueGenericWorkItem(workItem, FltObjects->Instance, QueueWorker, DelayedWorkQueue, ctx);
            if (!NT_SUCCESS(status)) {
                FltReleaseContext(ctx);
                FltFreeGenericWorkItem(workItem);
                InterlockedExchange(&ctx->WorkerActive, 0);
            }
        } else {
            InterlockedExchange(&ctx->WorkerActive, 0);
        }
    }
    FltReleaseContext(ctx);
    // The operation now belongs to the queue; do not touch Data after this point.
    return FLT_PREOP_PENDING;
}

static PFLT_CALLBACK_DATA
NextToComplete(_In_ PINSTANCE_CONTEXT ctx)
{
#ifdef PRIORITIZE_WRITES
    PFLT_CALLBACK_DATA data = FltCbdqRemoveNextIo(&ctx->Cbdq, (PVOID)(ULONG_PTR)IRP_MJ_WRITE);
    if (data != NULL) {
        return data;
    }
#endif
    return FltCbdqRemoveNextIo(&ctx->Cbdq, NULL);
}

VOID
QueueWorker(_In_ PFLT_GENERIC_WORKITEM WorkItem, _In_ PVOID FltObject, _In_opt_ PVOID Context)
{
    PINSTANCE_CONTEXT ctx = (PINSTANCE_CONTEXT)Context;
    PFLT_CALLBACK_DATA data;
    LARGE_INTEGER delay;

    UNREFERENCED_PARAMETER(FltObject);

    // Let operations pile up for a moment, as a real filter doing slow work would.
    delay.QuadPart = -(LONGLONG)WORKER_DELAY_MS * 10000;
    KeDelayExecutionThread(KernelMode, FALSE, &delay);

    for (;;) {
        data = NextToComplete(ctx);
        if (data == NULL) {
            InterlockedExchange(&ctx->WorkerActive, 0);
            // An insert may have slipped in after the queue looked empty: look once more.
            data = NextToComplete(ctx);
            if (data == NULL) {
                break;
            }
            if (InterlockedCompareExchange(&ctx->WorkerActive, 1, 0) != 0) {
                FinishQueuedOperation(data);
                break;
            }
        }
        FinishQueuedOperation(data);
    }

    FltReleaseContext(ctx);
    FltFreeGenericWorkItem(WorkItem);
}
