/*
 * lint-demo: a small minifilter with deliberate Filter Manager API mistakes, for the
 * "Lint your own driver" walkthrough. Each mistake is marked with the rule that should flag it.
 * Do not use this as a template: the fixed version of each line is in the rule's page.
 */
#include <fltKernel.h>

PFLT_FILTER gFilter;

typedef struct _SCAN_JOB {
    PFLT_CALLBACK_DATA Data;
    ULONG Length;
} SCAN_JOB, *PSCAN_JOB;

VOID
ScanWorker(
    _In_ PFLT_GENERIC_WORKITEM WorkItem,
    _In_ PVOID FilterObject,
    _In_opt_ PVOID Context
    )
{
    PFLT_CALLBACK_DATA data = (PFLT_CALLBACK_DATA)Context;

    UNREFERENCED_PARAMETER(FilterObject);

    // cpp-bad-status: a pended operation cannot be "pended again" from its worker.
    FltCompletePendedPreOperation(data, FLT_PREOP_PENDING, NULL);

    // wi-not-freed-by-worker would fire without this line; it is the one thing done right here.
    FltFreeGenericWorkItem(WorkItem);
}

FLT_PREOP_CALLBACK_STATUS
BuggyPreRead(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFLT_GENERIC_WORKITEM item;

    UNREFERENCED_PARAMETER(FltObjects);

    item = FltAllocateGenericWorkItem();

    // wi-alloc-null-unchecked: the allocation can fail; item is used without a NULL test.
    // wi-bad-queue-type: HyperCriticalWorkQueue is reserved for the system.
    // wi-queue-status-ignored: the returned NTSTATUS is dropped, so a failure still pends.
    FltQueueGenericWorkItem(item, gFilter, ScanWorker, HyperCriticalWorkQueue, Data);

    // preop-ctx-nonnull: a completion context means nothing when the operation is pended.
    *CompletionContext = Data;
    return FLT_PREOP_PENDING;
}

FLT_POSTOP_CALLBACK_STATUS
BuggyPostRead(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags
    )
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    return FLT_POSTOP_FINISHED_PROCESSING;
}

NTSTATUS
BuggyUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, 0, BuggyPreRead, BuggyPostRead },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION),
    FLT_REGISTRATION_VERSION,
    0,
    NULL,
    Callbacks,
    BuggyUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    status = FltRegisterFilter(DriverObject, &FilterRegistration, &gFilter);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltStartFiltering(gFilter);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(gFilter);
    }
    return status;
}
