import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdictSummary } from '../../../engine/run/verdictText';

const clean = { errors: 0, warnings: 0, first: null };
const holds = { line: 3, text: 'expect #1 status STATUS_SUCCESS', verdict: 'pass' as const, passed: true, actual: 'STATUS_SUCCESS' };

test('a run that failed on error-severity violations nobody expected names their count and the first, never PASS', () => {
  const problem = 'the run recorded 7 violations of error severity and no expect line is about violations; …';
  const line = verdictSummary({ passed: false, expectations: [], problems: [problem], unasked: { errors: 7, warnings: 2, first: 'irql-above-bound at f.c:42' } });
  assert.equal(line, 'FAIL  7 violations of error severity, the first irql-above-bound at f.c:42, 2 warnings');
  // Their sentence is not counted again as a problem with how the run ended; a real one is.
  const both = verdictSummary({ passed: false, expectations: [holds], problems: ['the run ended in a deadlock: …', problem], unasked: { errors: 1, warnings: 0, first: 'assert at f.c:9' } });
  assert.equal(both, 'FAIL  1 violation of error severity, the first assert at f.c:9, the run did not end as expected');
});

test('warnings nobody asked about keep the run passing and are counted in its summary', () => {
  assert.equal(verdictSummary({ passed: true, expectations: [], problems: [], unasked: { errors: 0, warnings: 1, first: null } }), 'PASS  the run ended as expected (no expectations); 1 warning recorded');
  assert.equal(verdictSummary({ passed: true, expectations: [holds], problems: [], unasked: { errors: 0, warnings: 3, first: null } }), 'PASS  1 expectation holds; 3 warnings recorded');
});

test('a clean run with no expectations, and runs with expectations, keep their summaries', () => {
  assert.equal(verdictSummary({ passed: true, expectations: [], problems: [], unasked: clean }), 'PASS  the run ended as expected (no expectations)');
  assert.equal(verdictSummary({ passed: true, expectations: [holds], problems: [], unasked: clean }), 'PASS  1 expectation holds');
  const failed = { ...holds, verdict: 'fail' as const, passed: false, actual: 'STATUS_ACCESS_DENIED' };
  assert.equal(verdictSummary({ passed: false, expectations: [holds, failed], problems: [], unasked: clean }), 'FAIL  1 of 2 expectations failed');
});
