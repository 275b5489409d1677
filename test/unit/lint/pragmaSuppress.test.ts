// Code Analysis pragmas a driver already carries silence the fltsim rules that report the same
// mistake, and only those.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText } from '../../../engine/lint';
import { CODE_ANALYSIS_RULES, findPragmaSuppressions } from '../../../engine/lint/pragmaSuppress';

before(async () => {
  await initLinter();
});

/** A helper allowed at APC_LEVEL that calls a PASSIVE_LEVEL routine on each marked line. */
function driver(lines: readonly string[]): string {
  return [
    '#include <fltKernel.h>',
    '_IRQL_requires_max_(APC_LEVEL)',
    'VOID CloseTwice(HANDLE A, HANDLE B)',
    '{',
    ...lines,
    '}',
    '',
  ].join('\n');
}

/** The lines of the calls reported: calls with one cause come as one finding, the rest as its related locations. */
const rowsOf = (text: string) => lintText(text).findings.filter((f) => f.ruleId === 'irql-above-bound').flatMap((f) => [f.range.start.line, ...f.related.map((r) => r.range.start.line)]).sort((a, b) => a - b);

test('without a pragma, both PASSIVE_LEVEL calls are reported', () => {
  const text = driver(['    ZwClose(A);', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(text), [4, 5]);
});

test('#pragma prefast(suppress: 28118) silences the next line of code only', () => {
  const text = driver(['#pragma prefast(suppress: 28118, "callers hold no lock")', '', '    // the first handle', '    ZwClose(A);', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(text), [8]);
});

test('#pragma warning(suppress: C28121) silences its next line; a stacked compiler pragma is skipped over', () => {
  const text = driver(['#pragma warning(suppress: 4996)', '#pragma warning(suppress: C28121)', '    ZwClose(A);', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(text), [7]);
});

test('#pragma warning(disable: 28118) holds until the matching pop', () => {
  const text = driver(['#pragma warning(push)', '#pragma warning(disable: 4996)', '#pragma warning(disable: 28118)', '    ZwClose(A);', '#pragma warning(pop)', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(text), [9]);
});

test('#pragma warning(disable) without a pop holds to the end of the file; default ends it', () => {
  assert.deepEqual(rowsOf(driver(['#pragma warning(disable: 28118)', '    ZwClose(A);', '    ZwClose(B);'])), []);
  assert.deepEqual(rowsOf(driver(['#pragma warning(disable: 28118)', '    ZwClose(A);', '#pragma warning(default: 28118)', '    ZwClose(B);'])), [7]);
});

test('a pragma for a warning with no fltsim counterpart silences nothing', () => {
  const text = driver(['#pragma prefast(suppress: 6014, "freed by the worker")', '    ZwClose(A);', '#pragma warning(suppress: __WARNING_MEMORY_LEAK)', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(text), [5, 7]);
  assert.deepEqual(findPragmaSuppressions(text), []);
});

test('a symbolic name silences what its number does: a known Code Analysis name, or one the file defines', () => {
  const known = driver(['#pragma prefast(suppress: __WARNING_IRQ_TOO_HIGH, "called from passive paths only")', '    ZwClose(A);', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(known), [6]);
  const defined = `#define __WARNING_OWN_IRQ 28123\n${driver(['    ZwClose(A);', '#pragma warning(suppress: __WARNING_OWN_IRQ)', '    ZwClose(B);'])}`;
  assert.deepEqual(rowsOf(defined), [5]);
  const undefinedName = driver(['#pragma warning(suppress: __WARNING_OWN_IRQ)', '    ZwClose(A);', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(undefinedName), [5, 6]);
  const otherNumber = `#define __WARNING_OWN_LEAK 6014\n${driver(['#pragma warning(suppress: __WARNING_OWN_LEAK)', '    ZwClose(A);', '    ZwClose(B);'])}`;
  assert.deepEqual(rowsOf(otherNumber), [6, 7]);
});

test('MSVC operator forms __pragma(warning(...)) and _Pragma("warning(...)") opening a line act as #pragma', () => {
  const text = driver(['    __pragma(warning(suppress: 28121))', '    ZwClose(A);', '    _Pragma("warning(suppress: 28121)")', '    ZwClose(B);']);
  assert.deepEqual(rowsOf(text), []);
  assert.deepEqual(rowsOf(driver(['    __pragma(warning(suppress: 4996))', '    ZwClose(A);', '    ZwClose(B);'])), [5, 6]);
});

test('every mapped warning names rules that exist', async () => {
  const { LINT_RULES } = await import('../../../engine/lint');
  const ids = new Set(LINT_RULES.map((r) => r.id));
  for (const [warning, rules] of CODE_ANALYSIS_RULES) for (const r of rules) assert.ok(ids.has(r), `${warning} → ${r}`);
});
