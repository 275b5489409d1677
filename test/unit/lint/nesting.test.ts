// Deep nesting in a callback the rules analyse: the linter reads as far as MAX_NESTING, says at the
// line that it stopped there, and still checks the rest of the file, instead of throwing
// "Maximum call stack size exceeded" (which lost every finding of the file).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, LintDocument, lintText } from '../../../engine/lint';
import { MAX_NESTING } from '../../../engine/limits';

before(async () => {
  await initLinter();
});

const HEAD = `#include <fltKernel.h>
PFLT_FILTER Filter;
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_READ, 0, PreRead, NULL }, { IRP_MJ_OPERATION_END } };
VOID Worker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context)
{
    FltQueueGenericWorkItem(WorkItem, FltObject, Worker, HyperCriticalWorkQueue, Context);
}
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    int x = 0;
`;
const TAIL = `
    FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
    return FLT_PREOP_PENDING;
}
`;
const DEEP_LINE = HEAD.split('\n').length - 1; // 0-based line of the deep statement

for (const [what, body] of [
  ['20,000 nested blocks', `${'{'.repeat(20_000)}x++;${'}'.repeat(20_000)}`],
  ['20,000 parentheses', `x = ${'('.repeat(20_000)}1${')'.repeat(20_000)};`],
  ['20,000 nested ifs', `${'if (x) '.repeat(20_000)}x++;`],
  ['a sum of 50,000 terms', `x = ${Array(50_000).fill('1').join(' + ')};`],
] as const) {
  test(`${what} in a callback: a note at the line, the rest of the file still checked`, () => {
    const r = lintText(`${HEAD}    ${body}${TAIL}`);
    assert.deepEqual(r.notes.map((n) => [n.range.start.line, n.message]), [
      [DEEP_LINE, `not analysed past this point: the code is nested more than ${MAX_NESTING} levels deep (blocks, statements, parentheses or operators); fltsim reads at most ${MAX_NESTING} levels, a fixed bound — split the expression or the function`],
    ]);
    assert.ok(r.findings.some((f) => f.ruleId === 'wi-bad-queue-type'), 'the other function is still linted');
    assert.equal(r.stats.internalErrors, 0);
    assert.equal(r.stats.unparsed, 1, 'the deep function counts as not fully read');
  });
}

test('code at the bound gets no note, and an edit that deepens it past the bound gets one (incremental)', () => {
  const doc = new LintDocument();
  try {
    const shallow = `${HEAD}    ${'{'.repeat(100)}x++;${'}'.repeat(100)}${TAIL}`;
    assert.deepEqual(doc.update(shallow).notes, []);
    const deep = `${HEAD}    ${'{'.repeat(400)}x++;${'}'.repeat(400)}${TAIL}`;
    assert.equal(doc.update(deep).notes.length, 1);
    assert.equal(doc.update(deep).notes.length, 1, 'a cached result keeps its note');
    assert.deepEqual(doc.update(shallow).notes, []);
  } finally {
    doc.dispose();
  }
});
