import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdictSummary } from '../../../engine/run/verdictText';

const passedWithout = { passed: true, expectations: [], problems: [] };

test('a run with no expectations but violations says how many, instead of reading as clean', () => {
  const line = verdictSummary(passedWithout, 7);
  assert.match(line, /^PASS {2}no expectations to check, but 7 violations recorded/);
  assert.match(line, /expect no violations/);
  assert.equal(verdictSummary(passedWithout, 1).includes('1 violation recorded'), true);
});

test('a clean run with no expectations, and runs with expectations, keep their summaries', () => {
  assert.equal(verdictSummary(passedWithout, 0), 'PASS  the run ended as expected (no expectations)');
  const one = { passed: true, expectations: [{ line: 3, text: 'expect no violations', verdict: 'pass' as const, passed: true, actual: '' }], problems: [] };
  assert.equal(verdictSummary(one, 0), 'PASS  1 expectation holds');
  // With an expectation, violations are the expectations' business: the summary does not add them.
  assert.equal(verdictSummary(one, 4), 'PASS  1 expectation holds');
});
