// `fltsim run` as a user runs it: the bundled CLI as a process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'run', ...args], { encoding: 'utf8' });

test('a passing scenario prints the timeline, output, violations and ✓ lines, and exits 0', () => {
  const r = cli('samples/cbdq-cancel/cancel.fltsim');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Timeline/);
  assert.match(r.stdout, /Cancel I\/O #1 +PASSIVE_LEVEL \(0\) +IoCancelIrp\(#1\)/);
  assert.match(r.stdout, /csqfilter: operation 1 cancelled while queued/);
  assert.match(r.stdout, /✓ expect #1 status STATUS_CANCELLED/);
  assert.match(r.stdout, /PASS {2}5 expectations hold/);
});

test('--json gives the documented shape, and the same scenario and seed give identical bytes', () => {
  const a = cli('samples/irql-bug/bug.fltsim', '--json', '--seed', '7');
  const b = cli('samples/irql-bug/bug.fltsim', '--json', '--seed', '7');
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const report = JSON.parse(a.stdout);
  assert.equal(report.seed, 7);
  assert.equal(report.passed, true);
  assert.deepEqual(Object.keys(report).sort(), ['calls', 'error', 'expectations', 'ios', 'output', 'passed', 'scenario', 'seed', 'steps', 'time', 'title', 'violations']);
  const v = report.violations.find((x: { rule: string }) => x.rule === 'cpp-irql');
  assert.ok(v, 'the deliberate bug is reported');
  assert.equal(v.file, 'samples/irql-bug/lockedcomplete.c');
  assert.equal(v.irql, 'DISPATCH_LEVEL');
  assert.equal(typeof v.line, 'number');
  assert.equal(report.ios[0].major, 'IRP_MJ_READ');
  assert.equal(report.ios[0].status, 'STATUS_SUCCESS');
  assert.ok(report.ios[0].history.some((h: string) => / pend /.test(h)), report.ios[0].history.join('\n'));
  assert.ok(report.calls['lockedcomplete!DrainWorker'] >= 1);
  assert.deepEqual(report.expectations[0], { line: 7, text: 'expect violation cpp-irql', passed: true, actual: 'violations: cpp-irql' });
});

test('a failing expectation exits 1 and shows what was observed', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-run-'));
  copyFileSync('samples/pend-generic-workitem/pendfilter.c', path.join(dir, 'pendfilter.c'));
  writeFileSync(path.join(dir, 'wrong.fltsim'), 'driver "pendfilter.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect #1 status STATUS_CANCELLED\n');
  const r = cli(path.join(dir, 'wrong.fltsim'));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ expect #1 status STATUS_CANCELLED {3}— got STATUS_SUCCESS/);
});

test('bad input exits 2 with file, line and a hint', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-run-'));
  writeFileSync(path.join(dir, 'typo.fltsim'), 'driver "missing.c"\nio #1 raed "\\Device\\HarddiskVolume1\\a.txt"\n');
  const r = cli(path.join(dir, 'typo.fltsim'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /typo\.fltsim:2:\d+: error: .*raed.*did you mean 'read'/);
  const usage = cli();
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /a scenario file is required/);
});

test('C the interpreter cannot run stops with the line and what to do, exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-run-'));
  writeFileSync(path.join(dir, 'drv.c'), '#include <fltKernel.h>\nNTSTATUS SomethingUnknown(void);\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n    return SomethingUnknown();\n}\n');
  writeFileSync(path.join(dir, 's.fltsim'), 'driver "drv.c"\nexpect no violations\n');
  const r = cli(path.join(dir, 's.fltsim'));
  assert.equal(r.status, 2, r.stdout);
  assert.match(r.stdout, /Run stopped: .*drv\.c:4:\d+: 'SomethingUnknown' is declared but no file of driver 'drv' defines it, and fltsim does not model it — define it in a file of the driver/);
});

test('a misspelt rule id in expect no violation stops the run with exit 2, the position and the id it resembles', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-run-'));
  copyFileSync('samples/irql-bug/lockedcomplete.c', path.join(dir, 'lockedcomplete.c'));
  writeFileSync(path.join(dir, 'typo.fltsim'), 'driver "lockedcomplete.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect no violation cpp-irqll\n');
  const r = cli(path.join(dir, 'typo.fltsim'));
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /typo\.fltsim:3:21: error: unknown rule id 'cpp-irqll' — did you mean 'cpp-irql'\?/);
  assert.doesNotMatch(r.stdout, /Timeline/, 'nothing ran');
  writeFileSync(path.join(dir, 'fixed.fltsim'), 'driver "lockedcomplete.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect violation cpp-irql\n');
  assert.equal(cli(path.join(dir, 'fixed.fltsim')).status, 0, 'with the id spelt right the same scenario runs and passes');
});
