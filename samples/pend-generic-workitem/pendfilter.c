/*
 * pendfilter: pends every IRP read in its pre-operation callback, hands the read to a generic work
 * item, and lets the worker routine finish it with FltCompletePendedPreOperation.
 *
 * COMPLETE_MODE picks how the worker resumes the read:
 *   0  FLT_PREOP_SUCCESS_NO_CALLBACK   the read goes on down; PostRead is not called
 *   1  FLT_PREOP_SUCCESS_WITH_CALLBACK the read goes on down; PostRead gets the context
 *   2  FLT_PREOP_COMPLETE              the filter fails the read itself; nothing below sees it
 */
#include <fltKernel.h>

#ifndef COMPLETE_MODE
#define COMPLETE_MODE 0
#endif

#define PEND_TAG 'dneP'

typedef struct _PEND_CONTEXT {
    PFLT_CALLBACK_DATA Data;
    LONG Sequence;
} PEND_CONTEXT, *PPEND_CONTEXT;

PFLT_FILTER FilterHandle;
LONG ReadsPended;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS FilterUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags);
FLT_PREOP_CALLBACK_STATUS PreRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects,
                                  _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);
FLT_POSTOP_CALLBACK_STATUS PostRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects,
                                    _In_opt_ PVOID CompletionContext, _In_ FLT_POST_OPERATION_FLAGS Flags);
VOID ReadWorker(_In_ PFLT_GENERIC_WORKITEM WorkItem, _In_ PVOID FltObject, _In_opt_ PVOID Context);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, 0, PreRead, PostRead },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION),
    FLT_REGISTRATION_VERSION,
    0,
    NULL,
    Callbacks,
    FilterUnload,
};

NTSTATUS
DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    status = FltRegisterFilter(DriverObject, &FilterRegistration, &FilterHandle);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FltStartFiltering(FilterHandle);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(FilterHandle);
    }
    return status;
}

NTSTATUS
FilterUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(FilterHandle);
    return STATUS_SUCCESS;
}

FLT_PREOP_CALLBACK_STATUS
PreRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects,
        _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    PPEND_CONTEXT context;
    PFLT_GENERIC_WORKITEM workItem;
    NTSTATUS status;

    *CompletionContext = NULL;

    // Fast I/O cannot be pended; only IRP-based reads go to the worker.
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    context = ExAllocatePoolZero(NonPagedPoolNx, sizeof(PEND_CONTEXT), PEND_TAG);
    if (context == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    workItem = FltAllocateGenericWorkItem();
    if (workItem == NULL) {
        ExFreePoolWithTag(context, PEND_TAG);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    context->Data = Data;
    context->Sequence = InterlockedIncrement(&ReadsPended);

    status = FltQueueGenericWorkItem(workItem, FltObjects->Instance, ReadWorker, DelayedWorkQueue, context);
    if (!NT_SUCCESS(status)) {
        // STATUS_FLT_DELETING_OBJECT: the instance is going away. Let the read through unpended.
        FltFreeGenericWorkItem(workItem);
        ExFreePoolWithTag(context, PEND_TAG);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    return FLT_PREOP_PENDING;
}

VOID
ReadWorker(_In_ PFLT_GENERIC_WORKITEM WorkItem, _In_ PVOID FltObject, _In_opt_ PVOID Context)
{
    PPEND_CONTEXT context = (PPEND_CONTEXT)Context;
    PFLT_CALLBACK_DATA data = context->Data;

    UNREFERENCED_PARAMETER(FltObject);

    DbgPrint("pendfilter: worker resumes read %d at IRQL %d\n", context->Sequence, KeGetCurrentIrql());

#if COMPLETE_MODE == 2
    data->IoStatus.Status = STATUS_ACCESS_DENIED;
    data->IoStatus.Information = 0;
    FltCompletePendedPreOperation(data, FLT_PREOP_COMPLETE, NULL);
    ExFreePoolWithTag(context, PEND_TAG);
#elif COMPLETE_MODE == 1
    // PostRead receives the context and frees it.
    FltCompletePendedPreOperation(data, FLT_PREOP_SUCCESS_WITH_CALLBACK, context);
#else
    FltCompletePendedPreOperation(data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
    ExFreePoolWithTag(context, PEND_TAG);
#endif

    FltFreeGenericWorkItem(WorkItem);
}

FLT_POSTOP_CALLBACK_STATUS
PostRead(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects,
         _In_opt_ PVOID CompletionContext, _In_ FLT_POST_OPERATION_FLAGS Flags)
{
    PPEND_CONTEXT context = (PPEND_CONTEXT)CompletionContext;

    UNREFERENCED_PARAMETER(FltObjects);

    if (!FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING)) {
        DbgPrint("pendfilter: read %d finished with 0x%08X, %Iu bytes\n",
                 context != NULL ? context->Sequence : 0,
                 Data->IoStatus.Status, Data->IoStatus.Information);
    }
    if (context != NULL) {
        ExFreePoolWithTag(context, PEND_TAG);
    }
    return FLT_POSTOP_FINISHED_PROCESSING;
}
