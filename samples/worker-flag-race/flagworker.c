/*
 * fltsim sample: one worker drains a cancel-safe queue of pended reads, and the pre-read callback
 * starts that worker only when a global flag says none is running.
 *
 * The plain version reads and writes the flag with ordinary loads and stores. It passes under
 * `fltsim run` on every seed, because the default schedules never delay the worker at the wrong
 * moment. `fltsim explore` finds the moment: the worker has emptied the queue but not yet cleared
 * the flag when the next read arrives; that read sees the flag still set, queues itself, starts no
 * worker, and is never completed.
 *
 * Built with FIXED (fixed.fltsim), the flag is claimed with InterlockedCompareExchange, and the
 * worker looks at the queue once more after clearing it: a read queued in that window is found by
 * the worker or starts a new one.
 */
#include <fltKernel.h>

PFLT_FILTER FilterHandle;
FLT_CALLBACK_DATA_QUEUE ReadQueue;
LIST_ENTRY QueuedReads;
KSPIN_LOCK QueuedReadsLock;

/* 1 while a worker is queued or running. */
volatile LONG WorkerActive;

NTSTATUS FilterUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
NTSTATUS InstanceSetup(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_SETUP_FLAGS Flags, DEVICE_TYPE VolumeDeviceType, FLT_FILESYSTEM_TYPE VolumeFilesystemType);
VOID InstanceTeardownStart(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_TEARDOWN_FLAGS Reason);
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
VOID DrainReads(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, 0, PreRead, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, FilterUnload, InstanceSetup,
    NULL, InstanceTeardownStart, NULL,
};

/* --- the cancel-safe queue's callbacks: a list under a spin lock --- */

VOID QueueAcquire(PFLT_CALLBACK_DATA_QUEUE Queue, PKIRQL Irql)
{
    UNREFERENCED_PARAMETER(Queue);
    KeAcquireSpinLock(&QueuedReadsLock, Irql);
}

VOID QueueRelease(PFLT_CALLBACK_DATA_QUEUE Queue, KIRQL Irql)
{
    UNREFERENCED_PARAMETER(Queue);
    KeReleaseSpinLock(&QueuedReadsLock, Irql);
}

NTSTATUS QueueInsert(PFLT_CALLBACK_DATA_QUEUE Queue, PFLT_CALLBACK_DATA Data, PVOID Context)
{
    UNREFERENCED_PARAMETER(Queue);
    UNREFERENCED_PARAMETER(Context);
    InsertTailList(&QueuedReads, &Data->QueueLinks);
    return STATUS_SUCCESS;
}

VOID QueueRemove(PFLT_CALLBACK_DATA_QUEUE Queue, PFLT_CALLBACK_DATA Data)
{
    UNREFERENCED_PARAMETER(Queue);
    RemoveEntryList(&Data->QueueLinks);
}

PFLT_CALLBACK_DATA QueuePeek(PFLT_CALLBACK_DATA_QUEUE Queue, PFLT_CALLBACK_DATA Data, PVOID PeekContext)
{
    PLIST_ENTRY next = (Data == NULL) ? QueuedReads.Flink : Data->QueueLinks.Flink;
    UNREFERENCED_PARAMETER(Queue);
    UNREFERENCED_PARAMETER(PeekContext);
    if (next == &QueuedReads) {
        return NULL;
    }
    return CONTAINING_RECORD(next, FLT_CALLBACK_DATA, QueueLinks);
}

VOID QueueCompleteCanceled(PFLT_CALLBACK_DATA_QUEUE Queue, PFLT_CALLBACK_DATA Data)
{
    UNREFERENCED_PARAMETER(Queue);
    Data->IoStatus.Status = STATUS_CANCELLED;
    Data->IoStatus.Information = 0;
    FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
}

/* --- registration --- */

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    InitializeListHead(&QueuedReads);
    KeInitializeSpinLock(&QueuedReadsLock);
    status = FltRegisterFilter(DriverObject, &Registration, &FilterHandle);
    if (NT_SUCCESS(status)) {
        status = FltStartFiltering(FilterHandle);
        if (!NT_SUCCESS(status)) {
            FltUnregisterFilter(FilterHandle);
        }
    }
    return status;
}

NTSTATUS FilterUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

NTSTATUS InstanceSetup(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_SETUP_FLAGS Flags, DEVICE_TYPE VolumeDeviceType, FLT_FILESYSTEM_TYPE VolumeFilesystemType)
{
    UNREFERENCED_PARAMETER(Flags);
    UNREFERENCED_PARAMETER(VolumeDeviceType);
    UNREFERENCED_PARAMETER(VolumeFilesystemType);
    return FltCbdqInitialize(FltObjects->Instance, &ReadQueue, QueueInsert, QueueRemove, QueuePeek,
                             QueueAcquire, QueueRelease, QueueCompleteCanceled);
}

/* Reads still queued when the instance goes away are cancelled, so none is left pending. */
VOID InstanceTeardownStart(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_TEARDOWN_FLAGS Reason)
{
    PFLT_CALLBACK_DATA data;
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(Reason);
    FltCbdqDisable(&ReadQueue);
    while ((data = FltCbdqRemoveNextIo(&ReadQueue, NULL)) != NULL) {
        QueueCompleteCanceled(&ReadQueue, data);
    }
}

/* --- the reads and their worker --- */

static VOID QueueWorker(PCFLT_RELATED_OBJECTS FltObjects)
{
    PFLT_GENERIC_WORKITEM item = FltAllocateGenericWorkItem();
    if (item == NULL) {
        WorkerActive = 0;
        return;
    }
    if (!NT_SUCCESS(FltQueueGenericWorkItem(item, FltObjects->Instance, DrainReads, DelayedWorkQueue, NULL))) {
        FltFreeGenericWorkItem(item);
        WorkerActive = 0;
    }
}

FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    *CompletionContext = NULL;
    if (!FLT_IS_IRP_OPERATION(Data)) {
        // Fast I/O cannot be pended; let it go down untouched.
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (FltCbdqInsertIo(&ReadQueue, Data, NULL, NULL) != STATUS_SUCCESS) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
#ifdef FIXED
    if (InterlockedCompareExchange(&WorkerActive, 1, 0) == 0) {
        QueueWorker(FltObjects);
    }
#else
    // Test, then set: another thread may act between the two, and the worker may be about to stop.
    if (!WorkerActive) {
        WorkerActive = 1;
        QueueWorker(FltObjects);
    }
#endif
    return FLT_PREOP_PENDING;
}

static VOID CompleteRead(PFLT_CALLBACK_DATA Data)
{
    Data->IoStatus.Status = STATUS_SUCCESS;
    Data->IoStatus.Information = Data->Iopb->Parameters.Read.Length;
    FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
}

VOID DrainReads(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context)
{
    PFLT_CALLBACK_DATA data;
    UNREFERENCED_PARAMETER(FltObject);
    UNREFERENCED_PARAMETER(Context);
    for (;;) {
        while ((data = FltCbdqRemoveNextIo(&ReadQueue, NULL)) != NULL) {
            CompleteRead(data);
        }
#ifdef FIXED
        InterlockedExchange(&WorkerActive, 0);
        // Look once more: a read queued after the loop above but before the flag dropped saw the
        // flag set and started no worker.
        data = FltCbdqRemoveNextIo(&ReadQueue, NULL);
        if (data == NULL) {
            break;
        }
        CompleteRead(data);
        if (InterlockedCompareExchange(&WorkerActive, 1, 0) != 0) {
            // Another worker took over; it drains the rest.
            break;
        }
#else
        // The window: a read that arrives here sees WorkerActive == 1 and starts no worker.
        WorkerActive = 0;
        break;
#endif
    }
    FltFreeGenericWorkItem(WorkItem);
}
