// The incremental linter reuses a function's findings only while everything its checks read is
// unchanged, including what lies outside the function and its cache key (engine/lint/analysis/reads.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, LintDocument } from '../../../engine/lint';
import { ReadLog, type Recorded } from '../../../engine/lint/analysis/reads';

before(async () => {
  await initLinter();
});

// Helper's contract is on its prototype, outside any function; Caller's text and Helper's never change.
const driver = (level: string) => `#include <fltKernel.h>

KSPIN_LOCK gLock;

_IRQL_requires_max_(${level})
VOID
Helper(VOID);

VOID
Caller(VOID)
{
    KIRQL old;
    KeAcquireSpinLock(&gLock, &old);
    Helper();
    KeReleaseSpinLock(&gLock, old);
}

VOID
Helper(VOID)
{
    return;
}
`;

test('a callee annotation changed on its prototype re-judges the caller (found while fixing issue 16)', () => {
  const doc = new LintDocument();
  try {
    const lines = (level: string) => doc.update(driver(level)).findings.filter((f) => f.ruleId === 'irql-above-bound').map((f) => f.range.start.line + 1);
    const call = driver('PASSIVE_LEVEL').split('\n').findIndex((l) => l.includes('Helper();')) + 1;
    assert.deepEqual(lines('PASSIVE_LEVEL'), [call]);
    assert.deepEqual(lines('DISPATCH_LEVEL'), [], 'Helper now promises to work at DISPATCH_LEVEL');
    assert.deepEqual(lines('APC_LEVEL'), [call]);
    for (const level of ['PASSIVE_LEVEL', 'DISPATCH_LEVEL', 'APC_LEVEL']) {
      assert.deepEqual(doc.update(driver(level)).findings, lintText(driver(level)).findings, level);
    }
  } finally {
    doc.dispose();
  }
});

test('a read log counts reads inside nested recordings, and a memo hit replays the reads of its first computation', () => {
  const log = new ReadLog();
  log.note('fn:Outside');
  const memo = new Map<string, Recorded<number>>();
  const first = log.record(() => {
    log.note('fn:A');
    return log.memo(memo, 'k', () => { log.note('fn:B'); return 1; });
  });
  assert.deepEqual([...first.reads].sort(), ['fn:A', 'fn:B']);
  assert.equal(first.value, 1);
  const second = log.record(() => log.memo(memo, 'k', () => { throw new Error('not computed again'); }));
  assert.deepEqual([...second.reads], ['fn:B'], 'the hit counts as reading what the first computation read');
  assert.equal(second.value, 1);
});
