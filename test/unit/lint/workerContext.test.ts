// What the queue call tells its worker: a context queued non-NULL is never NULL in the worker.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, type LintResult } from '../../../engine';

const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

before(() => initLinter());

const DRIVER = `#include <fltKernel.h>
typedef struct _LOG_CTX { ULONG Value; } LOG_CTX, *PLOG_CTX;

VOID LogWorker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context)
{
    PLOG_CTX ctx = (PLOG_CTX)Context;
    UNREFERENCED_PARAMETER(FltObject);
    if (!ctx) return;
    ExFreePoolWithTag(ctx, 'gLgM');
    FltFreeGenericWorkItem(WorkItem);
}

NTSTATUS LogAsync(PFLT_FILTER Filter, ULONG Value)
{
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;
    PFLT_GENERIC_WORKITEM item = FltAllocateGenericWorkItem();
    if (item) {
        PLOG_CTX ctx = (PLOG_CTX)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(LOG_CTX), 'gLgM');
        if (ctx) {
            ctx->Value = Value;
            status = FltQueueGenericWorkItem(item, Filter, LogWorker, DelayedWorkQueue, ctx);
            if (!NT_SUCCESS(status)) { ExFreePoolWithTag(ctx, 'gLgM'); FltFreeGenericWorkItem(item); }
        } else {
            FltFreeGenericWorkItem(item);
        }
    }
    return status;
}
`;

test("a worker's NULL test of a context that was queued under `if (ctx)` is not a path that leaks the item", () => {
  assert.deepEqual(brief(lintText(DRIVER)), []);
  // Queued without the test, the context may be NULL: the early return leaks the work item.
  const unchecked = DRIVER.replace('        if (ctx) {\n', '        {\n').replace('        } else {\n            FltFreeGenericWorkItem(item);\n        }\n', '        }\n');
  assert.deepEqual(brief(lintText(unchecked)), ['4:6 wi-not-freed-by-worker']);
});
