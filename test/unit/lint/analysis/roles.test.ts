// Roles by evidence: registrations and calls give them; a function nothing names gets one only
// when its whole declared signature is a callback type's, and findings say which evidence it was.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText } from '../../../../engine/lint';
import { canonicalType, declaredSignature, roleBySignature } from '../../../../engine/lint/analysis/roles';

before(() => initLinter());

test('types are compared in one spelling: pointer typedefs, qualifiers, void and same-type typedefs', () => {
  assert.equal(canonicalType('PCFLT_RELATED_OBJECTS'), 'FLT_RELATED_OBJECTS*');
  assert.equal(canonicalType('const FLT_RELATED_OBJECTS *'), 'FLT_RELATED_OBJECTS*');
  assert.equal(canonicalType('struct _FLT_CALLBACK_DATA*'), 'FLT_CALLBACK_DATA*');
  assert.equal(canonicalType('PVOID *'), 'VOID**');
  assert.equal(canonicalType('void*'), 'VOID*');
  assert.equal(canonicalType('FLT_POST_OPERATION_FLAGS'), 'ULONG');
  assert.equal(canonicalType('PKIRQL'), 'KIRQL*');
  assert.equal(canonicalType('PMY_CONTEXT'), 'PMY_CONTEXT', 'a typedef fltsim does not know stays as written');
});

test('a definition head gives its return type and parameter types, C++ scopes and blanked annotations aside', () => {
  assert.deepEqual(declaredSignature('FLT_PREOP_CALLBACK_STATUS\nPre(      PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS Objs, PVOID *Ctx)\n{ return 0; }'), {
    ret: 'FLT_PREOP_CALLBACK_STATUS', params: ['PFLT_CALLBACK_DATA ', 'PCFLT_RELATED_OBJECTS ', 'PVOID *'],
  });
  assert.deepEqual(declaredSignature('static VOID Klass::Done(VOID) {}'), { ret: 'VOID', params: [] });
});

// The test's timeout is a hang guard, not a speed target: each head took about 100 s before the fix,
// a few ms after it.
test('a definition head with a long run of letters is read in one pass (found by npm run fuzz: a 100,000-letter literal in a parameter list took minutes)', { timeout: 120_000 }, () => {
  const run = 'A'.repeat(100_000);
  assert.deepEqual(declaredSignature(`VOID F(PVOID ${run} x, ULONG Sizes [4][2], PCHAR ${run}\n) {}`), { ret: 'VOID', params: [`PVOID ${run} `, 'ULONG ', 'PCHAR '] });
  assert.deepEqual(declaredSignature(`${run} ns::Klass::Go(PV X(1, "${run}"); OID *C) {}`), { ret: run, params: ['PV X(1, "' + run + '"); OID *'] });
  assert.deepEqual(declaredSignature(`${run} x(VOID) {}`), { ret: run, params: [] });
  const text = `#include <fltKernel.h>\n\nVOID\nF(_In_ PV X(1, "${run}"); OID *C)\n{\n}\n`;
  assert.deepEqual(lintText(text).stats.internalErrors, 0);
});

test('only the whole signature gives a role; a partial resemblance or an ambiguous shape gives none', () => {
  const pre = roleBySignature('FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx) { return 0; }');
  assert.deepEqual(pre && { k: pre.k, bySignature: 'bySignature' in pre && pre.bySignature }, { k: 'preop', bySignature: true });
  assert.equal(roleBySignature('FLT_PREOP_CALLBACK_STATUS Lock(PFLT_CALLBACK_DATA Data, PFILE_OBJECT F, PBOOLEAN Waited) { return 0; }'), undefined);
  assert.equal(roleBySignature('FLT_POSTOP_CALLBACK_STATUS Post(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS O, PVOID C) { return 0; }'), undefined, 'three of the four post-op parameters');
  const acquire = roleBySignature('VOID Acq(PFLT_CALLBACK_DATA_QUEUE Q, PKIRQL Irql) { }');
  assert.deepEqual(acquire && acquire.k === 'cbdq' ? [acquire.cb, acquire.queue] : undefined, ['acquire', -1]);
  assert.equal(roleBySignature('VOID Rm(PFLT_CALLBACK_DATA_QUEUE Q, PFLT_CALLBACK_DATA Data) { }'), undefined, 'RemoveIo and CompleteCanceledIo share this shape');
});

test('a finding resting on a role says what gave it: the registration row, or only the signature', () => {
  const byRow = lintText([
    '#include <fltKernel.h>',
    'FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);',
    'CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_CREATE, 0, Pre, NULL }, { IRP_MJ_OPERATION_END } };',
    'FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)',
    '{',
    '    *CompletionContext = NULL;',
    '    return FLT_PREOP_PENDING;',
    '}',
  ].join('\n')).findings.find((f) => f.ruleId === 'preop-pending-no-owner');
  assert.ok(byRow);
  assert.deepEqual(byRow.related.map((r) => [r.range.start.line, r.message]), [[2, 'Pre is a pre-operation callback: it is registered for IRP_MJ_CREATE in an FLT_OPERATION_REGISTRATION table']]);
  const bySignature = lintText([
    '#include <fltKernel.h>',
    'FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)',
    '{',
    '    *CompletionContext = NULL;',
    '    return FLT_PREOP_PENDING;',
    '}',
  ].join('\n')).findings.find((f) => f.ruleId === 'preop-pending-no-owner');
  assert.ok(bySignature);
  assert.match(bySignature.message, /\(Pre is a pre-operation callback: no registration names it, but its whole declared signature is the PFLT_PRE_OPERATION_CALLBACK type's\.\)$/);
});

test("an oplock wait routine is not a DISPATCH_LEVEL completion routine; an asynchronous I/O callback is", () => {
  const text = (api: string) => [
    '#include <fltKernel.h>',
    '#pragma alloc_text(PAGE, Done)',
    'VOID Done(PFLT_CALLBACK_DATA Data, PVOID Context)',
    '{',
    '    PAGED_CODE();',
    '    UNREFERENCED_PARAMETER(Data);',
    '    ExFreePoolWithTag(Context, \'tseT\');',
    '}',
    'VOID Start(POPLOCK Oplock, PFLT_CALLBACK_DATA Data, PVOID Context)',
    '{',
    api === 'FltCheckOplock'
      ? '    (VOID)FltCheckOplock(Oplock, Data, Context, Done, NULL);'
      : '    (VOID)FltPerformAsynchronousIo(Data, (PFLT_COMPLETED_ASYNC_IO_CALLBACK)Done, Context);',
    '}',
  ].join('\n');
  const ids = (api: string) => lintText(text(api)).findings.filter((f) => f.ruleId === 'irql-above-bound').map((f) => f.range.start.line);
  assert.deepEqual(ids('FltCheckOplock'), [], "FAT's own FatOplockComplete is pageable");
  assert.deepEqual(ids('FltPerformAsynchronousIo'), [2]);
});
