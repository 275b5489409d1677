// `fltsim run` as a user runs it: the bundled CLI as a process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
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
  assert.deepEqual(Object.keys(report).sort(), ['calls', 'error', 'expectations', 'ios', 'outcome', 'output', 'passed', 'scenario', 'seed', 'steps', 'time', 'title', 'violations']);
  // `expect violation cpp-irql` makes violations the scenario's business: none is counted as unasked.
  assert.deepEqual(report.outcome, { end: 'finished', blocked: [], hanging: [], loads: [{ module: 'lockedcomplete', status: 'STATUS_SUCCESS' }], problems: [], unasked: { errors: 0, warnings: 0, first: null } });
  const v = report.violations.find((x: { rule: string }) => x.rule === 'cpp-irql');
  assert.ok(v, 'the deliberate bug is reported');
  assert.equal(v.file, 'samples/irql-bug/lockedcomplete.c');
  assert.equal(v.irql, 'DISPATCH_LEVEL');
  assert.equal(typeof v.line, 'number');
  assert.equal(report.ios[0].major, 'IRP_MJ_READ');
  assert.equal(report.ios[0].status, 'STATUS_SUCCESS');
  assert.ok(report.ios[0].history.some((h: string) => / pend /.test(h)), report.ios[0].history.join('\n'));
  assert.ok(report.calls['lockedcomplete!DrainWorker'] >= 1);
  assert.deepEqual(report.expectations[0], { line: 7, text: 'expect violation cpp-irql', verdict: 'pass', passed: true, actual: 'violations: cpp-irql' });
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

test('--trace writes valid trace-event JSON with a track per thread and arrows from each pend to its completion', async () => {
  const { checkTrace } = await import('../unit/run/timeline/traceFormat');
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-trace-'));
  const out = path.join(dir, 'out.json');
  const r = cli('samples/cbdq-cancel/cancel.fltsim', '--trace', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /PASS/, 'the report is printed as usual');
  const s = checkTrace(JSON.parse(readFileSync(out, 'utf8')));
  assert.deepEqual(s.problems, []);
  const names = [...s.threads.values()];
  for (const n of ['I/O #1 (read)', 'I/O #2 (read)', 'Delayed worker 1', 'Critical worker 1', 'Completion (DPC)', 'DriverEntry', 'Cancel I/O #1']) assert.ok(names.includes(n), `track ${n} in ${names.join(', ')}`);
  const tid = (n: string) => [...s.threads].find(([, name]) => name === n)![0];
  // #1 is pended by its pre-op and completed by the cancellation; #2 by the worker that dequeues it.
  assert.deepEqual(s.flows.filter((f) => f.cat === 'pend').map((f) => [f.fromTid, f.toTid]), [[tid('I/O #1 (read)'), tid('Cancel I/O #1')], [tid('I/O #2 (read)'), tid('Delayed worker 1')]]);
  assert.deepEqual(s.flows.filter((f) => f.cat === 'work-item').map((f) => [f.fromTid, f.toTid]), [[tid('I/O #1 (read)'), tid('Delayed worker 1')]]);
  assert.ok(s.instants.some((i) => i.cat === 'cbdq-insert' && i.tid === tid('I/O #1 (read)')));
  assert.ok(s.instants.some((i) => i.cat === 'cancel' && i.tid === tid('Cancel I/O #1')));
  assert.deepEqual(s.asyncs.map((a) => a.id), ['data1', 'data2']);
  const bad = cli('samples/cbdq-cancel/cancel.fltsim', '--trace', path.join(dir, 'no', 'such', 'dir', 'x.json'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^fltsim run: cannot write --trace .*x\.json: its folder does not exist; give another file\n$/);
});

test('--explain #N prints one callback data\'s life and a Mermaid diagram; --format markdown a table; a missing #N exits 2', () => {
  const r = cli('samples/cbdq-cancel/cancel.fltsim', '--explain', '#1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^#1: #1 IRP_MJ_READ issued on \\Device\\HarddiskVolume1\\data\\first\.bin\nended: #1 done: STATUS_CANCELLED, 0 bytes\n/);
  assert.match(r.stdout, /I\/O #1 \(read\) +DISPATCH_LEVEL +FltCbdqInsertIo\(#1\) into cbdq#1 \(csqfilter\) +samples\/cbdq-cancel\/csqfilter\.c:\d+/);
  assert.match(r.stdout, /Cancel I\/O #1 +PASSIVE_LEVEL +FltCompletePendedPreOperation\(#1, FLT_PREOP_COMPLETE\) +\(resumes the pend on I\/O #1 \(read\)\)/);
  assert.doesNotMatch(r.stdout, /Timeline|Expectations/, 'the story replaces the report');
  assert.match(r.stdout, /\nsequenceDiagram\n {2}participant T1 as I\/O #35;1 \(read\)\n/);
  assert.match(r.stdout, /\n {2}T1->>T3: FltCompletePendedPreOperation\(#35;1, FLT_PREOP_COMPLETE\) \[2 ms, PASSIVE_LEVEL\]\n/);
  const md = cli('samples/cbdq-cancel/cancel.fltsim', '--explain', '2', '--format', 'markdown');
  assert.equal(md.status, 0, md.stderr);
  assert.match(md.stdout, /^# #2 — Cancel a read while it waits in a cancel-safe queue\n/);
  assert.match(md.stdout, /\n\| \d+ \| 5 \| Delayed worker 1 \| DISPATCH_LEVEL \| CsqRemoveIo\(#2\) out of cbdq#1 \(csqfilter\) \(FltCbdqRemoveNextIo\) \| samples\/cbdq-cancel\/csqfilter\.c:\d+ \|\n/);
  assert.match(md.stdout, /```mermaid\nsequenceDiagram\n/);
  const missing = cli('samples/cbdq-cancel/cancel.fltsim', '--explain', '#7');
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'fltsim run: --explain #7: no callback data #7 in this run (it has #1, #2)\n');
  const malformed = cli('samples/cbdq-cancel/cancel.fltsim', '--explain', 'two');
  assert.equal(malformed.status, 2);
  assert.match(malformed.stderr, /--explain takes a callback data id such as #2 \(got 'two'\)/);
  assert.match(cli('samples/cbdq-cancel/cancel.fltsim', '--format', 'markdown').stderr, /--format goes with --explain/);
});

test('--timeline writes the timeline view\'s data: lanes, spans, lives, links, with absolute source paths', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-timeline-'));
  const out = path.join(dir, 't.json');
  const r = cli('samples/cbdq-cancel/cancel.fltsim', '--timeline', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).passed, true);
  const t = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(Object.keys(t).sort(), ['dropped', 'events', 'flows', 'lanes', 'lives', 'now', 'scenario', 'seed', 'spans', 'title', 'violations']);
  assert.equal(t.title, 'Cancel a read while it waits in a cancel-safe queue');
  assert.equal(t.now, t.events[t.events.length - 1].seq);
  const insert = t.events.find((e: { kind: string }) => e.kind === 'cbdq-insert');
  assert.equal(insert.marker, 'cbdq-insert');
  assert.equal(insert.file, path.resolve('samples/cbdq-cancel/csqfilter.c'));
  assert.deepEqual(t.lives.map((l: { label: string }) => l.label), ['#1', '#2']);
});
