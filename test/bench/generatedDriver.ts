/**
 * A driver of any length, generated from a template of ordinary minifilter functions (pre-ops that
 * pend to a work item, workers, a post-op, helpers, a registration table) with a few mistakes mixed
 * in, and the one-line edits the server benchmarks and the server memory test make to it.
 */

/** One block of driver code (about 50 lines) whose names end in `n`. */
export function block(n: number): string {
  const queue = n % 7 === 3 ? 'HyperCriticalWorkQueue' : 'DelayedWorkQueue';
  return `
typedef struct _SCAN_CONTEXT_${n} {
    PFLT_CALLBACK_DATA Data;
    ULONG Attempts;
} SCAN_CONTEXT_${n}, *PSCAN_CONTEXT_${n};

VOID
ScanWorker${n}(_In_ PFLT_GENERIC_WORKITEM Item, _In_ PVOID FltObject, _In_opt_ PVOID Context)
{
    PSCAN_CONTEXT_${n} scan = (PSCAN_CONTEXT_${n})Context;
    ULONG attempts = 0;
    UNREFERENCED_PARAMETER(FltObject);
    attempts = scan->Attempts + 1;
    scan->Attempts = attempts;
    FltCompletePendedPreOperation(scan->Data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
    ExFreePoolWithTag(scan, 'nacS');
    FltFreeGenericWorkItem(Item);
}

FLT_PREOP_CALLBACK_STATUS
PreRead${n}(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    PFLT_GENERIC_WORKITEM item;
    PSCAN_CONTEXT_${n} scan;
    NTSTATUS status;
    *CompletionContext = NULL;
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    scan = ExAllocatePoolWithTag(NonPagedPool, sizeof(SCAN_CONTEXT_${n}), 'nacS');
    if (scan == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    scan->Data = Data;
    scan->Attempts = 0;
    item = FltAllocateGenericWorkItem();
    if (item == NULL) {
        ExFreePoolWithTag(scan, 'nacS');
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    status = FltQueueGenericWorkItem(item, FltObjects->Instance, ScanWorker${n}, ${queue}, scan);
    if (!NT_SUCCESS(status)) {
        FltFreeGenericWorkItem(item);
        ExFreePoolWithTag(scan, 'nacS');
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    return FLT_PREOP_PENDING;
}
`;
}

function registration(count: number): string {
  const ops = Array.from({ length: count }, (_, n) => `    { IRP_MJ_READ, 0, PreRead${n}, NULL },`).join('\n');
  return `
CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
${ops}
    { IRP_MJ_OPERATION_END }
};
`;
}

/** About `lines` lines of driver C. */
export function generatedDriver(lines: number): string {
  const blocks: string[] = ['/* Generated for the language server benchmark. */\n#include <fltKernel.h>\n'];
  let n = 0;
  let total = 2;
  while (total < lines - 5) {
    const b = block(n++);
    blocks.push(b);
    total += b.split('\n').length - 1;
  }
  blocks.push(registration(Math.min(n, 4)));
  return blocks.join('');
}

/** The one-line edits: toggle `+ 1` / `+ 2` on the `attempts = ...` line of a rotating worker. */
export function editPlan(text: string): { line: number; from: number; to: number }[] {
  const lines = text.split('\n');
  return lines.flatMap((l, i) => {
    const at = l.indexOf('scan->Attempts + 1;');
    return at >= 0 ? [{ line: i, from: at + 'scan->Attempts + '.length, to: at + 'scan->Attempts + 1'.length }] : [];
  });
}

