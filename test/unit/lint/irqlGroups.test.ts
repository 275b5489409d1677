// irql-above-bound reports one finding per cause: the calls a wrong annotation (or one lock) makes
// too high come as one finding at the first call, the others as related locations.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSarif, initLinter, lintText, LINT_RULES } from '../../../engine/lint';

before(async () => {
  await initLinter();
});

const irql = (text: string) => lintText(text).findings.filter((f) => f.ruleId === 'irql-above-bound');

/** A helper that promises APC_LEVEL and calls three PASSIVE_LEVEL routines (rows 5, 6, 7). */
const APC_HELPER = [
  '#include <fltKernel.h>',
  '_IRQL_requires_max_(APC_LEVEL)',
  'VOID CloseAll(HANDLE A, HANDLE B, HANDLE C)',
  '{',
  '    // first',
  '    ZwClose(A);',
  '    ZwClose(B);',
  '    ZwClose(C);',
  '}',
  '',
];

test('three calls over one annotation: one finding at the first, the other two related', () => {
  const found = irql(APC_HELPER.join('\n'));
  assert.equal(found.length, 1);
  const f = found[0];
  assert.deepEqual([f.range.start.line, f.range.start.column, f.range.end.column], [5, 4, 14]);
  assert.match(f.message, /^ZwClose needs IRQL <= PASSIVE_LEVEL, and 2 more calls here \(related locations\) need a lower IRQL too, but CloseAll is annotated _IRQL_requires_max_\(APC_LEVEL\)/);
  assert.match(f.message, /lower the annotation; otherwise call them where the IRQL is low enough/);
  assert.deepEqual(f.related.map((r) => [r.range.start.line, r.range.start.column, r.message]), [
    [6, 4, 'ZwClose needs IRQL <= PASSIVE_LEVEL'],
    [7, 4, 'ZwClose needs IRQL <= PASSIVE_LEVEL'],
  ]);
  const sarif = JSON.parse(formatSarif([{ path: 'drv/close.c', result: { findings: found, notes: [], stats: { functions: 1, analyzed: 1, unparsed: 0, internalErrors: 0 } } }], LINT_RULES, { name: 'fltsim', version: '0', informationUri: 'file:///x' }));
  assert.deepEqual(sarif.runs[0].results[0].relatedLocations.map((l: { physicalLocation: { region: { startLine: number } } }) => l.physicalLocation.region.startLine), [7, 8]);
});

test('a suppression acts on its own call before grouping: the next call leads the group', () => {
  const lines = [...APC_HELPER];
  lines[4] = '    // fltsim-disable-next-line irql-above-bound';
  const found = irql(lines.join('\n'));
  assert.equal(found.length, 1);
  assert.equal(found[0].range.start.line, 6);
  assert.deepEqual(found[0].related.map((r) => r.range.start.line), [7]);
  assert.match(found[0].message, /and 1 more call here \(related locations\) needs a lower IRQL too/);
});

test('a group of one keeps the single-call message', () => {
  const lines = APC_HELPER.filter((_, i) => i !== 6 && i !== 7);
  const found = irql(lines.join('\n'));
  assert.equal(found.length, 1);
  assert.equal(found[0].related.length, 0);
  assert.match(found[0].message, /^ZwClose needs IRQL <= PASSIVE_LEVEL, but CloseAll is annotated _IRQL_requires_max_\(APC_LEVEL\), so it may be called at APC_LEVEL; if no caller needs that level, lower the annotation to _IRQL_requires_max_\(PASSIVE_LEVEL\)/);
});

test('two causes in one function (the annotation, a spin lock) stay two findings', () => {
  const text = [
    '#include <fltKernel.h>',
    'KSPIN_LOCK gLock;',
    '_IRQL_requires_max_(APC_LEVEL)',
    'VOID Mixed(HANDLE A, PKEVENT E)',
    '{',
    '    KIRQL old;',
    '    ZwClose(A);',
    '    ZwClose(A);',
    '    KeAcquireSpinLock(&gLock, &old);',
    '    KeWaitForSingleObject(E, Executive, KernelMode, FALSE, NULL);',
    '    KeReleaseSpinLock(&gLock, old);',
    '}',
    '',
  ].join('\n');
  const found = irql(text);
  assert.deepEqual(found.map((f) => [f.range.start.line, f.related.map((r) => r.range.start.line)]), [[6, [7]], [9, [8]]]);
  assert.match(found[1].message, /a spin lock is held here/);
});

test('a system thread annotated APC_LEVEL: the calls are safe where it starts, the annotation promises too much', () => {
  const text = [
    '#include <fltKernel.h>',
    '_IRQL_requires_max_(APC_LEVEL)',
    'VOID Worker(PVOID Context)',
    '{',
    '    UNREFERENCED_PARAMETER(Context);',
    '    PsTerminateSystemThread(STATUS_SUCCESS);',
    '}',
    'NTSTATUS Start(VOID)',
    '{',
    '    HANDLE h;',
    '    return PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, Worker, NULL);',
    '}',
    '',
  ].join('\n');
  const found = irql(text);
  assert.equal(found.length, 1);
  assert.equal(found[0].range.start.line, 5);
  assert.match(found[0].message, /Worker is started as a system thread or work routine, which runs at PASSIVE_LEVEL, so the calls are safe where it is started, but its annotation tells every caller more is allowed \(Code Analysis reports C28118 here too\): lower the annotation to _IRQL_requires_max_\(PASSIVE_LEVEL\)\.$/);
});
