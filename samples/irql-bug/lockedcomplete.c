/*
 * lockedcomplete: keeps pended reads in its own list (not a cbdq) protected by a spin lock. The worker
 * drains the list. The deliberate bug: it resumes each read with FLT_PREOP_SUCCESS_NO_CALLBACK while
 * still holding the spin lock, that is at DISPATCH_LEVEL. Only FLT_PREOP_COMPLETE may be passed to
 * FltCompletePendedPreOperation at DISPATCH_LEVEL; the other statuses need IRQL <= APC_LEVEL.
 * Define FIXED to move the completions after the lock is released.
 */
#include <fltKernel.h>

#define ENTRY_TAG 'tneP'

typedef struct _PENDED_READ {
    LIST_ENTRY Link;
    PFLT_CALLBACK_DATA Data;
} PENDED_READ, *PPENDED_READ;

PFLT_FILTER FilterHandle;
LIST_ENTRY PendedReads;
KSPIN_LOCK PendedLock;
volatile LONG WorkerQueued;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS LockedUnload(FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
VOID DrainWorker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context);
static VOID DrainPendedReads(VOID);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, PreRead, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, LockedUnload,
};

NTSTATUS
DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    InitializeListHead(&PendedReads);
    KeInitializeSpinLock(&PendedLock);
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
LockedUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

FLT_PREOP_CALLBACK_STATUS
PreRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    PPENDED_READ entry;
    PFLT_GENERIC_WORKITEM workItem;
    KIRQL oldIrql;

    *CompletionContext = NULL;
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    entry = ExAllocatePoolZero(NonPagedPoolNx, sizeof(PENDED_READ), ENTRY_TAG);
    if (entry == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    entry->Data = Data;

    // Publish the read before waking the worker, or a worker that runs at once could miss it.
    KeAcquireSpinLock(&PendedLock, &oldIrql);
    InsertTailList(&PendedReads, &entry->Link);
    KeReleaseSpinLock(&PendedLock, oldIrql);

    if (InterlockedCompareExchange(&WorkerQueued, 1, 0) == 0) {
        workItem = FltAllocateGenericWorkItem();
        if (workItem == NULL || !NT_SUCCESS(FltQueueGenericWorkItem(workItem, FltObjects->Filter, DrainWorker, DelayedWorkQueue, NULL))) {
            if (workItem != NULL) {
                FltFreeGenericWorkItem(workItem);
            }
            // No worker is coming: drain right here (we are at PASSIVE_LEVEL in the pre-read).
            DrainPendedReads();
        }
    }
    return FLT_PREOP_PENDING;
}

VOID
DrainWorker(_In_ PFLT_GENERIC_WORKITEM WorkItem, _In_ PVOID FltObject, _In_opt_ PVOID Context)
{
    UNREFERENCED_PARAMETER(FltObject);
    UNREFERENCED_PARAMETER(Context);
    DrainPendedReads();
    FltFreeGenericWorkItem(WorkItem);
}

static VOID
DrainPendedReads(VOID)
{
    KIRQL oldIrql;
    PPENDED_READ entry;
#ifdef FIXED
    LIST_ENTRY toComplete;
    InitializeListHead(&toComplete);
#endif

    KeAcquireSpinLock(&PendedLock, &oldIrql);
    InterlockedExchange(&WorkerQueued, 0);
    while (!IsListEmpty(&PendedReads)) {
        entry = CONTAINING_RECORD(RemoveHeadList(&PendedReads), PENDED_READ, Link);
#ifdef FIXED
        InsertTailList(&toComplete, &entry->Link);
#else
        // BUG: DISPATCH_LEVEL here, and SUCCESS_NO_CALLBACK needs APC_LEVEL or below.
        FltCompletePendedPreOperation(entry->Data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
        ExFreePoolWithTag(entry, ENTRY_TAG);
#endif
    }
    KeReleaseSpinLock(&PendedLock, oldIrql);

#ifdef FIXED
    while (!IsListEmpty(&toComplete)) {
        entry = CONTAINING_RECORD(RemoveHeadList(&toComplete), PENDED_READ, Link);
        FltCompletePendedPreOperation(entry->Data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
        ExFreePoolWithTag(entry, ENTRY_TAG);
    }
#endif
}
