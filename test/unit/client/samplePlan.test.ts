import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { firstStatementLine, functionForRole, planSampleCopy, sampleEntryFile, sampleNames } from '../../../extension/client/samplePlan';

const files = ['cbdq-cancel/cancel.fltsim', 'cbdq-cancel/csq.c', 'pend/b.fltsim', 'pend/a.fltsim', 'pend/f.c', 'lint-demo/buggy.c', 'README.md'];
const target = path.resolve('/ws/fltsim-samples');

test('copy plan: every sample file, sorted, nothing overwritten', () => {
  const existing = new Set([path.join(target, 'pend', 'f.c')]);
  const plan = planSampleCopy(files, target, (p) => existing.has(p));
  assert.deepEqual(plan.kept, [path.join(target, 'pend', 'f.c')]);
  assert.equal(plan.copies.length, files.length - 1);
  assert.deepEqual(plan.copies[0], { from: 'README.md', to: path.join(target, 'README.md') });
  assert.ok(!plan.copies.some((c) => c.to === path.join(target, 'pend', 'f.c')));
});

test('copy plan for one sample, and paths that climb out are refused', () => {
  const plan = planSampleCopy([...files, 'pend/../../etc/passwd', 'pend\\sub\\x.c'], target, () => false, 'pend');
  assert.deepEqual(plan.copies.map((c) => c.from), ['pend/a.fltsim', 'pend/b.fltsim', 'pend/f.c', 'pend/sub/x.c']);
  assert.equal(plan.copies[3].to, path.join(target, 'pend', 'sub', 'x.c'));
});

test('sample names and entry files', () => {
  assert.deepEqual(sampleNames(files), ['cbdq-cancel', 'lint-demo', 'pend']);
  assert.equal(sampleEntryFile(files, 'pend'), 'pend/a.fltsim');
  assert.equal(sampleEntryFile(files, 'lint-demo'), 'lint-demo/buggy.c');
  assert.equal(sampleEntryFile(files, 'nope'), undefined);
});

const driver = `
VOID Worker(PFLT_GENERIC_WORKITEM WorkItem, PVOID Obj, PVOID Ctx);   // prototype: skipped

NTSTATUS Helper(int a) { return a; }

VOID
Worker(
    _In_ PFLT_GENERIC_WORKITEM WorkItem,
    _In_ PVOID Obj,
    _In_opt_ PVOID Ctx
    )
{
    PFLT_CALLBACK_DATA data;
    // a comment line
    UNREFERENCED_PARAMETER(Obj);
    data = (PFLT_CALLBACK_DATA)Ctx;
    FltCompletePendedPreOperation(data, FLT_PREOP_COMPLETE, NULL);
}

VOID Empty(VOID)
{
}

FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS F, PVOID *C)
{
    status = FltQueueGenericWorkItem(item, F->Instance, Worker, DelayedWorkQueue, Data);
    FltCbdqInitialize(F->Instance, &q, Ins, Rem, Peek, Acq, Rel, /* cancel */ CancelIt);
    return FLT_PREOP_PENDING;
}

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, PreCreate, NULL },
    { IRP_MJ_READ, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, PreRead, PostRead },
    { IRP_MJ_OPERATION_END }
};
`;

function lineOf(text: string): number {
  return driver.split('\n').findIndex((l) => l.includes(text)) + 1;
}

test('first statement of a function: skips prototypes, declarations, comments and UNREFERENCED_PARAMETER', () => {
  assert.equal(firstStatementLine(driver, 'Worker'), lineOf('data = (PFLT_CALLBACK_DATA)Ctx;'));
  assert.equal(firstStatementLine(driver, 'Helper'), lineOf('NTSTATUS Helper'), 'a one-line body stops on its own line');
  assert.equal(firstStatementLine(driver, 'Empty'), lineOf('VOID Empty') + 2, 'an empty body stops on its closing brace');
  assert.equal(firstStatementLine(driver, 'Missing'), undefined);
});

test('routines found by role, from how the driver wires them', () => {
  assert.equal(functionForRole(driver, 'worker'), 'Worker');
  assert.equal(functionForRole(driver, 'preRead'), 'PreRead');
  assert.equal(functionForRole(driver, 'postRead'), 'PostRead');
  assert.equal(functionForRole(driver, 'cancelCallback'), 'CancelIt');
  assert.equal(functionForRole('VOID f(void) { }', 'worker'), undefined);
  assert.equal(functionForRole('{ IRP_MJ_READ, 0, NULL, NULL }', 'preRead'), undefined, 'NULL is no routine');
});
