import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS } from '../../../engine';
import { evaluateExpectations, parseScenario, validateRuleIds, type RunFacts } from '../../../engine/scenario';

const SCENARIO = String.raw`scenario "expectations"
driver "pendfilter.c"
driver "counting.c" altitude 320000
io #1 read "\Device\HarddiskVolume1\a.txt" length 4096 at 0
io #2 write "\Device\HarddiskVolume1\a.txt" length 10 at 3
cancel #1 at 2
expect #1 status STATUS_CANCELLED      // the cancel wins
expect #2 status STATUS_SUCCESS
expect #2 state done
expect calls CsqCompleteCanceledIo 1
expect calls counting!PreRead 0
expect calls PreRead 3
expect violation cpp-bad-status
expect no violation assert
expect output "completing"
`;

function parsed() {
  const { scenario, diagnostics } = parseScenario(SCENARIO);
  assert.deepEqual(diagnostics, []);
  return scenario;
}

function facts(over: Partial<RunFacts> = {}): RunFacts {
  return {
    ios: [
      { id: 1, status: STATUS.STATUS_CANCELLED, state: 'done' },
      { id: 2, status: STATUS.STATUS_SUCCESS, state: 'done' },
    ],
    violations: [{ rule: 'cpp-bad-status' }],
    calls: new Map([
      ['pendfilter!CsqCompleteCanceledIo', 1],
      ['pendfilter!PreRead', 3],
      ['counting!PreRead', 0],
    ]),
    modules: ['pendfilter', 'counting'],
    output: ['pendfilter: queued #1', 'pendfilter: completing #2'],
    loads: [{ module: 'pendfilter', status: 0 }, { module: 'counting', status: 0 }],
    end: { kind: 'finished' },
    ...over,
  };
}

test('every expectation passes against matching facts, with line, text and actual', () => {
  const results = evaluateExpectations(parsed(), facts());
  assert.deepEqual(results, [
    { line: 7, text: 'expect #1 status STATUS_CANCELLED', verdict: 'pass', passed: true, actual: 'STATUS_CANCELLED' },
    { line: 8, text: 'expect #2 status STATUS_SUCCESS', verdict: 'pass', passed: true, actual: 'STATUS_SUCCESS' },
    { line: 9, text: 'expect #2 state done', verdict: 'pass', passed: true, actual: 'done' },
    { line: 10, text: 'expect calls CsqCompleteCanceledIo 1', verdict: 'pass', passed: true, actual: '1 call' },
    { line: 11, text: 'expect calls counting!PreRead 0', verdict: 'pass', passed: true, actual: '0 calls' },
    { line: 12, text: 'expect calls PreRead 3', verdict: 'pass', passed: true, actual: '3 calls' },
    { line: 13, text: 'expect violation cpp-bad-status', verdict: 'pass', passed: true, actual: 'violations: cpp-bad-status' },
    { line: 14, text: 'expect no violation assert', verdict: 'pass', passed: true, actual: 'violations: cpp-bad-status' },
    { line: 15, text: 'expect output "completing"', verdict: 'pass', passed: true, actual: 'output: "pendfilter: completing #2"' },
  ]);
});

test('failing expectations say what was observed instead', () => {
  const results = evaluateExpectations(parsed(), facts({
    ios: [
      { id: 1, status: -1073741536 + 0x10000000, state: 'done' }, // an unnamed status prints in hex
      { id: 2, status: null, state: 'queued' }, // still in the queue: it has no final status
    ],
    violations: [{ rule: 'assert' }, { rule: 'wi-bad-queue-type' }, { rule: 'assert' }],
    calls: new Map([['pendfilter!PreRead', 2], ['counting!PreRead', 4]]),
    output: ['nothing relevant', 'at all'],
  }));
  assert.deepEqual(results.map((r) => [r.line, r.passed, r.actual]), [
    [7, false, '0xD0000120'],
    [8, false, 'request #2 never completed (state: queued)'],
    [9, false, 'queued'],
    [10, false, '0 calls'],
    [11, false, '4 calls'],
    [12, false, '6 calls (pendfilter: 2, counting: 4)'],
    [13, false, 'violations: assert, wi-bad-queue-type'],
    [14, false, 'violations: assert, wi-bad-queue-type'],
    [15, false, '2 output lines, none contains "completing"'],
  ]);
});

test('statuses compare as 32-bit values, signed or unsigned, and by value for aliases', () => {
  const { scenario } = parseScenario('driver "f.c"\nio #1 read "\\a"\nexpect #1 status STATUS_WAIT_0\nexpect #1 status 0xC0000120');
  const [wait0, hex] = evaluateExpectations(scenario, facts({ ios: [{ id: 1, status: 0, state: 'done' }] }));
  assert.deepEqual([wait0.passed, wait0.actual], [true, 'STATUS_SUCCESS'], 'STATUS_WAIT_0 is STATUS_SUCCESS');
  assert.equal(hex.passed, false);
  const [, signed] = evaluateExpectations(scenario, facts({ ios: [{ id: 1, status: -1073741536, state: 'done' }] }));
  assert.deepEqual([signed.passed, signed.actual], [true, 'STATUS_CANCELLED']);
});

test('an io the run never issued fails status and state expectations', () => {
  const results = evaluateExpectations(parsed(), facts({ ios: [] }));
  assert.deepEqual(results.slice(0, 3).map((r) => [r.passed, r.actual]), [
    [false, '#1 was never issued'], [false, '#2 was never issued'], [false, '#2 was never issued'],
  ]);
});

test('a module the run does not know fails even `expect calls m!F 0`', () => {
  const { scenario } = parseScenario('driver "a.c"\nexpect calls countng!PreRead 0');
  const [r] = evaluateExpectations(scenario, facts({ modules: ['pendfilter', 'counting'] }));
  assert.deepEqual([r.passed, r.actual], [false, "no module named 'countng' — did you mean 'counting'? (modules: pendfilter, counting)"]);
  const [ok] = evaluateExpectations(parseScenario('driver "a.c"\nexpect calls COUNTING!PreRead 0').scenario, facts());
  assert.deepEqual([ok.passed, ok.actual], [true, '0 calls'], 'module names compare without case, as Windows file names do');
});

test('expect no violations, and output when nothing was printed', () => {
  const { scenario } = parseScenario('driver "a.c"\nexpect no violations\nexpect output "x"');
  assert.deepEqual(evaluateExpectations(scenario, facts({ violations: [], output: [] })).map((r) => [r.passed, r.actual]), [
    [true, 'no violations'], [false, 'no output'],
  ]);
  assert.deepEqual(evaluateExpectations(scenario, facts({ output: undefined })).map((r) => [r.passed, r.actual]), [
    [false, 'violations: cpp-bad-status'], [false, 'no output'],
  ]);
});

test('validateRuleIds reports unknown rule ids at the id, with a suggestion', () => {
  const { scenario } = parseScenario('driver "a.c"\nexpect violation cpp-bad-statu\nexpect no violation assert\nexpect no violation zzz');
  const d = validateRuleIds(scenario, ['cpp-bad-status', 'assert', 'wi-bad-queue-type']);
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.message, x.line, x.column, x.endColumn]), [
    ['unknown-rule', 'error', "unknown rule id 'cpp-bad-statu' — did you mean 'cpp-bad-status'?", 2, 18, 31],
    ['unknown-rule', 'error', "unknown rule id 'zzz'", 4, 21, 24],
  ]);
  assert.deepEqual(validateRuleIds(scenario, new Set(['cpp-bad-statu', 'assert', 'zzz'])), []);
});
