/**
 * ZwQuerySystemInformation / NtQuerySystemInformation (engine/kernel/systemInformation.ts) on a
 * driver written for these tests (test/fixtures/routines/sysinfo.c): the size protocol, the process
 * list from the scenario's process lines with their threads, and a clear stop for other classes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('sysinfo.c', readFileSync(path.resolve('test/fixtures/routines/sysinfo.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

test('a driver sizes, allocates and walks SystemProcessInformation: Idle, System, the default processes and the started scenario processes', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "sysinfo.c"',
    `process "explorer.exe" pid 1000 image "${V}\\Windows\\explorer.exe"`,
    'process "notepad.exe" pid 1200 parent "explorer.exe"',
    'process "later.exe" pid 1300 start at 5',
  ].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  // NULL/0 and a 16-byte buffer both get STATUS_INFO_LENGTH_MISMATCH with the same length needed.
  assert.ok(out.includes('probe c0000004 c0000004 same 1'), out.join('\n'));
  assert.ok(out.includes('query 0'));
  const pids = out.filter((l) => l.startsWith('pid ')).map((l) => Number(/^pid (\d+)/.exec(l)![1]));
  assert.deepEqual(pids, [0, 4, 0x1a8, 0x1f4, 1000, 1200], out.join('\n'));
  assert.ok(out.includes("pid 0 parent 0 threads 0 name '' null"), 'the Idle process has no name buffer');
  assert.ok(out.some((l) => /^pid 4 parent 0 threads [1-9]\d* name 'System'$/.test(l)), 'System lists its threads (the loader running DriverEntry among them)');
  assert.ok(out.includes("pid 1200 parent 1000 threads 0 name 'notepad.exe'"), out.join('\n'));
  assert.ok(!out.some((l) => l.includes('later.exe')), 'a process that has not started yet is not listed');
  assert.ok(!out.includes('thread of another process'));
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('another information class stops the run at the call, naming the class', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "sysinfo.c"', 'define MODULES'].join('\n'), files);
  const f = w.fault;
  assert.ok(f, 'the run stops');
  assert.equal(f.kind, 'not-modelled');
  assert.match(f.message, /ZwQuerySystemInformation: information class 11 \(SystemModuleInformation\) is not modelled/);
  const source = readFileSync(path.resolve('test/fixtures/routines/sysinfo.c'), 'utf8').split('\n');
  assert.equal(f.line, source.findIndex((l) => l.includes('ZwQuerySystemInformation(SystemModuleInformation')) + 1);
});
