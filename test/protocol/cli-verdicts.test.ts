// `fltsim run` never says PASS for what did not happen: requests that never completed, a DriverEntry
// that failed, deadlocks and runs stopped early are part of the verdict, in the text report, the
// JSON and the exit code alike. test/fixtures/verdicts/stuck.c gets stuck in the way MODE says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-verdicts-'));
copyFileSync('test/fixtures/verdicts/stuck.c', path.join(dir, 'stuck.c'));

let count = 0;
/** Writes a scenario loading stuck.c in `mode` with one read, then runs it. */
function run(mode: number, lines: string[], ...args: string[]) {
  const file = path.join(dir, `s${++count}.fltsim`);
  writeFileSync(file, ['driver "stuck.c"', `define MODE ${mode}`, 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0', ...lines, ''].join('\n'));
  const r = spawnSync(process.execPath, ['dist/cli.js', 'run', file, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

test('a request whose worker waits forever: its status expectation fails, and the deadlock fails the run', () => {
  const r = run(0, ['expect #1 status STATUS_SUCCESS']);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /✗ expect #1 status STATUS_SUCCESS {3}— got request #1 never completed \(state: pended\)/);
  assert.match(r.stdout, /Outcome\n {2}✗ the run ended in a deadlock: Delayed worker 1 waits forever for notification event/);
  assert.doesNotMatch(r.stdout, /✓/);
  // The pre-op it pended never completes: a violation of error severity, and no expect line is about violations.
  assert.match(r.stdout, /^FAIL {2}1 violation of error severity, the first pended-pre-not-completed, the run did not end as expected, 1 of 1 expectation failed$/m);
  const j = run(0, ['expect #1 status STATUS_SUCCESS'], '--json').json();
  assert.equal(j.passed, false);
  assert.equal(j.outcome.end, 'deadlock');
  assert.equal(j.ios[0].status, null, 'no status is reported for a request that did not complete');
  assert.equal(j.ios[0].information, null, 'nor an IoStatus.Information it never got');
  assert.equal(j.ios[0].state, 'pended');
  assert.deepEqual(j.expectations[0], { line: 4, text: 'expect #1 status STATUS_SUCCESS', verdict: 'fail', passed: false, actual: 'request #1 never completed (state: pended)' });
});

test('a spin-lock deadlock is a deadlock too; expect deadlock makes it the wanted outcome', () => {
  const r = run(1, ['expect #1 status STATUS_SUCCESS']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /✗ the run ended in a deadlock: Delayed worker 1 waits forever for spin lock &Lock \(held by I\/O #1 \(read\)\)/);
  const wanted = run(1, ['expect deadlock', 'expect #1 state pended', 'expect violation lock-held-on-return']);
  assert.equal(wanted.status, 0, wanted.stdout);
  assert.match(wanted.stdout, /✓ expect deadlock/);
  assert.match(wanted.stdout, /^PASS {2}3 expectations hold$/m);
});

test('a failed DriverEntry fails the run even though the I/O went through; expect load makes it wanted', () => {
  const r = run(2, ['expect #1 status STATUS_SUCCESS', 'expect no violations']);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /✗ DriverEntry of stuck returned STATUS_INSUFFICIENT_RESOURCES, so the driver never loaded and the I\/O went past it/);
  const j = run(2, [], '--json').json();
  assert.deepEqual(j.outcome.loads, [{ module: 'stuck', status: 'STATUS_INSUFFICIENT_RESOURCES' }]);
  const wanted = run(2, ['expect load STATUS_INSUFFICIENT_RESOURCES', 'expect #1 status STATUS_SUCCESS']);
  assert.equal(wanted.status, 0, wanted.stdout);
  assert.match(wanted.stdout, /✓ expect load STATUS_INSUFFICIENT_RESOURCES/);
});

test('an empty do-while in DriverEntry counts against the steps limit, which the scenario can set; nothing after the stop passes', () => {
  const r = run(3, ['limit steps 5000', 'expect no violations', 'expect #1 status STATUS_SUCCESS']);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /Run stopped: .*stuck\.c:\d+:\d+: the run executed more than 5,000 statements \(last in DriverEntry\); is a loop not ending\? — fix the loop, or raise it with `limit steps N` in the scenario or `--limit steps=N`/);
  assert.doesNotMatch(r.stdout, /✓/);
  assert.match(r.stdout, /– expect no violations {3}— not checked: the run stopped before its end/);
  assert.match(r.stdout, /^FAIL {2}the run did not end as expected, 2 not checked$/m);
  const j = run(3, ['limit steps 5000', 'expect no violations'], '--json').json();
  assert.equal(j.outcome.end, 'stopped');
  assert.equal(j.error.kind, 'step-budget');
  assert.deepEqual(j.expectations.map((e: { verdict: string }) => e.verdict), ['unchecked']);
});

test('--limit overrides the scenario, and an expected stop is judged, with never-issued requests said so', () => {
  const r = run(3, ['limit steps 5000', 'expect stop step-budget', 'expect #1 status STATUS_SUCCESS'], '--limit', 'steps=300');
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /more than 300 statements/);
  assert.match(r.stdout, /✓ expect stop step-budget/);
  assert.match(r.stdout, /✗ expect #1 status STATUS_SUCCESS {3}— got #1 was never issued/);
  assert.doesNotMatch(r.stdout, /0xFFFFFFFF/);
  const ok = run(4, ['expect stop', 'expect calls PreRead 1'], '--limit', 'steps=1000');
  assert.equal(ok.status, 0, ok.stdout);
});

test('bad --limit and --seed values are usage errors that name what is allowed', () => {
  const badLimit = run(5, [], '--limit', 'step=5');
  assert.equal(badLimit.status, 2);
  assert.match(badLimit.stderr, /unknown limit 'step' — did you mean 'steps'\?/);
  const zero = run(5, [], '--limit', 'depth=0');
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--limit depth needs a whole number from 1 to 1000/);
  const big = run(5, [], '--seed', String(2 ** 32));
  assert.equal(big.status, 2, 'a seed above 32 bits would alias a smaller one');
  assert.match(big.stderr, /--seed must be a whole number from 0 to 4294967295/);
  assert.equal(run(5, ['expect #1 status STATUS_SUCCESS'], '--seed', '0xffffffff').status, 0);
});

test('an undeclared name in a global initializer stops the run at its line, exit 2, no internal error', () => {
  writeFileSync(path.join(dir, 'glob.c'), '#include <fltKernel.h>\nint Counter = NoSuchName + 1;\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return STATUS_SUCCESS; }\n');
  writeFileSync(path.join(dir, 'glob.fltsim'), 'driver "glob.c"\nexpect no violations\n');
  const r = spawnSync(process.execPath, ['dist/cli.js', 'run', path.join(dir, 'glob.fltsim')], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /Run stopped: .*glob\.c:2:15: 'NoSuchName' is not declared/);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error/);
});

const CLI = path.resolve('dist/cli.js');

test('a scenario with no expect line about violations fails on an error-severity violation: exit 1, the count and the first at its line', () => {
  copyFileSync('samples/irql-bug/lockedcomplete.c', path.join(dir, 'lockedcomplete.c'));
  const file = path.join(dir, 'unasked.fltsim');
  writeFileSync(file, 'driver "lockedcomplete.c"\nio #1 read "\\Device\\HarddiskVolume1\\one.bin" length 512 at 0\nio #2 read "\\Device\\HarddiskVolume1\\two.bin" length 512 at 0\n');
  const text = spawnSync(process.execPath, [CLI, 'run', file], { encoding: 'utf8', timeout: 60_000, cwd: dir });
  assert.equal(text.status, 1, text.stdout);
  const where = /^ {2}(lockedcomplete\.c:\d+): error \[cpp-irql\]/m.exec(text.stdout);
  assert.ok(where, text.stdout);
  assert.match(text.stdout, new RegExp(`✗ the run recorded 2 violations of error severity and no expect line is about violations; the first: cpp-irql at ${where[1]}: .*'expect violation cpp-irql'`));
  assert.match(text.stdout, new RegExp(`^FAIL {2}2 violations of error severity, the first cpp-irql at ${where[1]}$`, 'm'));
  const json = JSON.parse(spawnSync(process.execPath, [CLI, 'run', file, '--json'], { encoding: 'utf8', timeout: 60_000, cwd: dir }).stdout);
  assert.equal(json.passed, false);
  assert.deepEqual(json.outcome.unasked, { errors: 2, warnings: 0, first: `cpp-irql at ${where[1]}` });
  // Saying so makes it the scenario's point, and the run passes.
  writeFileSync(file, `${readFileSync(file, 'utf8')}expect violation cpp-irql\n`);
  const asked = spawnSync(process.execPath, [CLI, 'run', file], { encoding: 'utf8', timeout: 60_000, cwd: dir });
  assert.equal(asked.status, 0, asked.stdout);
  assert.match(asked.stdout, /^PASS {2}1 expectation holds$/m);
});
