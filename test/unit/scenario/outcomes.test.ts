// How a run ends is part of its verdict: `expect load`, `expect deadlock`, `expect stop` and the
// `limit` statement, parsed, checked and judged (engine/scenario/expectations.ts: judgeRun).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS } from '../../../engine';
import { judgeRun, parseScenario, type RunFacts } from '../../../engine/scenario';

function facts(over: Partial<RunFacts> = {}): RunFacts {
  return {
    ios: [{ id: 1, status: STATUS.STATUS_SUCCESS, state: 'done' }],
    loads: [{ module: 'f', status: STATUS.STATUS_SUCCESS }],
    end: { kind: 'finished' },
    violations: [],
    calls: new Map(),
    modules: ['f'],
    output: [],
    ...over,
  };
}

function scenario(lines: string): ReturnType<typeof parseScenario>['scenario'] {
  const { scenario: s, diagnostics } = parseScenario(`driver "f.c"\nio #1 read "\\a"\n${lines}`);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  return s;
}

const DEADLOCK: RunFacts['end'] = { kind: 'deadlock', blocked: [{ thread: 'Delayed worker 1', waitingFor: 'KEVENT#1' }] };
const STOPPED: RunFacts['end'] = { kind: 'stopped', reason: 'step-budget', message: 'the run executed more than 2,000,000 statements' };

test('a status expectation about a request that never completed fails with its state, not its current status', () => {
  const v = judgeRun(scenario('expect #1 status STATUS_SUCCESS\nexpect #1 state pended'), facts({ ios: [{ id: 1, status: null, state: 'pended' }] }));
  assert.deepEqual(v.expectations.map((x) => [x.verdict, x.actual]), [
    ['fail', 'request #1 never completed (state: pended)'],
    ['pass', 'pended'],
  ]);
  assert.equal(v.passed, false);
});

test('a request that was never issued is said so, never shown as a status', () => {
  const v = judgeRun(scenario('expect #1 status STATUS_SUCCESS'), facts({ ios: [{ id: 1, status: null, state: 'not issued' }] }));
  assert.deepEqual(v.expectations.map((x) => x.actual), ['#1 was never issued']);
});

test('a DriverEntry that failed fails the run unless expect load asks for that status', () => {
  const failedLoad = facts({ loads: [{ module: 'f', status: STATUS.STATUS_INSUFFICIENT_RESOURCES }] });
  const plain = judgeRun(scenario('expect #1 status STATUS_SUCCESS'), failedLoad);
  assert.equal(plain.passed, false);
  assert.deepEqual(plain.expectations.map((x) => x.verdict), ['pass'], 'the I/O itself did complete');
  assert.match(plain.problems[0], /^DriverEntry of f returned STATUS_INSUFFICIENT_RESOURCES, so the driver never loaded.*'expect load STATUS_INSUFFICIENT_RESOURCES'/);
  const wanted = judgeRun(scenario('expect load STATUS_INSUFFICIENT_RESOURCES'), failedLoad);
  assert.deepEqual([wanted.passed, wanted.problems, wanted.expectations[0].actual], [true, [], 'STATUS_INSUFFICIENT_RESOURCES']);
  const other = judgeRun(scenario('expect load f STATUS_NO_MEMORY'), failedLoad);
  assert.deepEqual([other.passed, other.expectations[0].verdict, other.expectations[0].actual], [false, 'fail', 'STATUS_INSUFFICIENT_RESOURCES']);
  const ok = judgeRun(scenario('expect load STATUS_SUCCESS'), facts());
  assert.equal(ok.passed, true);
  const never = judgeRun(scenario('expect load STATUS_SUCCESS\nexpect stop'), facts({ loads: [{ module: 'f', status: null }], end: STOPPED }));
  assert.deepEqual(never.expectations.map((x) => [x.verdict, x.actual]), [['fail', 'DriverEntry never returned'], ['pass', `stopped (step-budget): ${STOPPED.message}`]]);
});

test('a deadlock fails the run unless expect deadlock (or expect violation deadlock) asks for it', () => {
  const plain = judgeRun(scenario('expect #1 state pended'), facts({ ios: [{ id: 1, status: null, state: 'pended' }], end: DEADLOCK }));
  assert.deepEqual(plain.problems, ['the run ended in a deadlock: Delayed worker 1 waits forever for KEVENT#1']);
  assert.equal(plain.passed, false);
  assert.deepEqual(plain.expectations.map((x) => x.verdict), ['pass'], 'the expectations are still judged: the run did end');
  const wanted = judgeRun(scenario('expect deadlock'), facts({ end: DEADLOCK, violations: [{ rule: 'deadlock' }] }));
  assert.deepEqual([wanted.passed, wanted.expectations[0].actual], [true, 'deadlock: Delayed worker 1 waits forever for KEVENT#1']);
  assert.equal(judgeRun(scenario('expect violation deadlock'), facts({ end: DEADLOCK, violations: [{ rule: 'deadlock' }] })).passed, true);
  const none = judgeRun(scenario('expect deadlock'), facts());
  assert.deepEqual([none.passed, none.expectations[0].actual], [false, 'the run reached its end']);
});

test('after a stop nobody expected, nothing is checked and nothing passes', () => {
  const v = judgeRun(scenario('expect no violations\nexpect #1 status STATUS_SUCCESS\nexpect calls PreRead 0'), facts({ end: STOPPED }));
  assert.equal(v.passed, false);
  assert.deepEqual(v.expectations.map((x) => [x.verdict, x.passed]), [['unchecked', false], ['unchecked', false], ['unchecked', false]]);
  assert.deepEqual(v.problems, [`the run stopped before its end (step-budget): ${STOPPED.message}`]);
});

test('expect stop makes the stop wanted, for any reason or the one named; the rest is judged at the stop', () => {
  const any = judgeRun(scenario('expect stop\nexpect no violations'), facts({ end: STOPPED }));
  assert.deepEqual([any.passed, any.expectations.map((x) => x.verdict)], [true, ['pass', 'pass']]);
  assert.equal(judgeRun(scenario('expect stop step-budget'), facts({ end: STOPPED })).passed, true);
  const wrong = judgeRun(scenario('expect stop null-dereference\nexpect no violations'), facts({ end: STOPPED }));
  assert.equal(wrong.passed, false);
  assert.deepEqual(wrong.expectations.map((x) => [x.verdict, x.actual]), [
    ['fail', `stopped (step-budget): ${STOPPED.message}`],
    ['unchecked', 'not checked: the run stopped before its end'],
  ]);
  const finished = judgeRun(scenario('expect stop'), facts());
  assert.deepEqual([finished.passed, finished.expectations[0].actual], [false, 'the run reached its end']);
});

test('the new forms parse to their fields; bad ones get a position and a suggestion', () => {
  const { scenario: s, diagnostics } = parseScenario('driver "f.c"\nexpect load STATUS_NO_MEMORY\nexpect load f 0xC0000001\nexpect stop use-after-free\nlimit steps 5000\nlimit depth 0x40\n');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(s.expectations.map((e) => e.what === 'load' ? [e.what, e.module, e.status >>> 0] : e.what === 'stop' ? [e.what, e.reason] : [e.what]), [
    ['load', undefined, STATUS.STATUS_NO_MEMORY >>> 0], ['load', 'f', 0xc0000001], ['stop', 'use-after-free'],
  ]);
  assert.deepEqual(parseScenario('driver "f.c"\nexpect deadlock\n').scenario.expectations.map((e) => e.what), ['deadlock']);
  assert.deepEqual(s.limits, { steps: 5000, depth: 64 });
  const bad = parseScenario('driver "f.c"\nexpect stop null-deref\nexpect load g STATUS_SUCCESS\nexpect load\nlimit step 5\nlimit depth 100000\nlimit steps 1\nlimit steps 2\n').diagnostics;
  assert.deepEqual(bad.map((d) => [d.line, d.column, d.code, d.message]), [
    [2, 13, 'unknown-expectation', "unknown stop reason 'null-deref' — did you mean 'null-dereference'?"],
    [3, 13, 'unknown-module', "no driver is named 'g' — did you mean 'f'?"],
    [4, 8, 'missing-value', "missing status after 'load'"],
    [5, 7, 'unknown-option', "unknown limit 'step' — did you mean 'steps'?"],
    [6, 13, 'bad-number', 'depth limit 100000 is out of range'],
    [8, 7, 'duplicate', 'limit steps is already given on line 7'],
  ]);
});

test('outcome expectations that cannot hold together are warned about', () => {
  const d = parseScenario('driver "f.c"\nexpect stop\nexpect deadlock\nexpect no violations\nexpect load STATUS_SUCCESS\nexpect load STATUS_NO_MEMORY\n').diagnostics;
  assert.deepEqual(d.map((x) => [x.line, x.severity, x.code]), [
    [3, 'warning', 'contradiction'],
    [3, 'warning', 'contradiction'],
    [6, 'warning', 'contradiction'],
  ]);
});

const IRQL_ERROR = { rule: 'irql-above-bound', severity: 'error' as const, message: 'KeWaitForSingleObject called at DISPATCH_LEVEL', location: { file: '/w/drv/f.c', line: 42 } };
const TAG_WARNING = { rule: 'pool-tag-mismatch', severity: 'warning' as const, message: 'freed with another tag' };

test('with no expect line about violations, an error-severity violation fails the run, naming the count and the first with its line', () => {
  const v = judgeRun(scenario('expect #1 status STATUS_SUCCESS'), facts({ violations: [TAG_WARNING, IRQL_ERROR, { ...IRQL_ERROR, location: { file: '/w/drv/f.c', line: 50 } }] }), (f) => f.replace('/w/', ''));
  assert.equal(v.passed, false);
  assert.deepEqual(v.expectations.map((x) => x.verdict), ['pass']);
  assert.deepEqual(v.unasked, { errors: 2, warnings: 1, first: 'irql-above-bound at drv/f.c:42' });
  assert.equal(v.problems.length, 1);
  assert.match(v.problems[0], /^the run recorded 2 violations of error severity and no expect line is about violations; the first: irql-above-bound at drv\/f\.c:42: KeWaitForSingleObject called at DISPATCH_LEVEL \(.*'expect violation irql-above-bound'/);
  // With no expect line at all, the same.
  const none = judgeRun(scenario(''), facts({ violations: [IRQL_ERROR] }));
  assert.equal(none.passed, false);
  assert.match(none.problems[0], /^the run recorded a violation of error severity .*the first: irql-above-bound at \/w\/drv\/f\.c:42/);
});

test('warning-severity violations alone keep a run with no violation expectations passing, and are counted', () => {
  const v = judgeRun(scenario(''), facts({ violations: [TAG_WARNING, TAG_WARNING] }));
  assert.deepEqual([v.passed, v.problems, v.unasked], [true, [], { errors: 0, warnings: 2, first: null }]);
});

test('any expect line about violations makes them its business: no extra problem, nothing counted as unasked', () => {
  for (const line of ['expect violation irql-above-bound', 'expect no violation pool-leak', 'expect no violations']) {
    const v = judgeRun(scenario(line), facts({ violations: [IRQL_ERROR, TAG_WARNING] }));
    assert.deepEqual([v.problems, v.unasked], [[], { errors: 0, warnings: 0, first: null }], line);
    assert.equal(v.passed, line !== 'expect no violations', line);
  }
  // The deadlock an `expect deadlock` asks for is not a violation nobody asked about.
  const deadlock = judgeRun(scenario('expect deadlock'), facts({ end: DEADLOCK, violations: [{ rule: 'deadlock', severity: 'error', message: 'blocked' }] }));
  assert.deepEqual([deadlock.passed, deadlock.problems], [true, []]);
});
