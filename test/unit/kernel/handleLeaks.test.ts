/**
 * The unload's handle-leak check (engine/kernel/handleTable.ts, handleLeaks.ts) on a driver written
 * for these tests (test/fixtures/handles/handles.c): a key handle kept in a global and a system
 * thread's handle are leaks unless the driver closes them; a handle closed by a helper function and
 * one left in a user process's table are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/handles/handles.c'), 'utf8');
const files = oneDriver('handles.c', source);
const V = '\\Device\\HarddiskVolume1';
const lineOf = (marker: string) => source.split('\n').findIndex((l) => l.includes(marker)) + 1;

const scenario = (...extra: string[]) => ['driver "handles.c"', ...extra, 'process "app.exe" pid 1200', `file "${V}\\a.txt" content "x"`,
  `io #1 create "${V}\\a.txt" process "app.exe" at 1`, 'unload at 5'].join('\n');

test('handles the driver opened and never closed are reported once each at unload, at the line that opened them', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.ok(w.sim.kernel.output.includes('user-mode key handle opened'), w.sim.kernel.output.join(''));
  const leaks = w.sim.violations.filter((v) => v.rule === 'handle-leak');
  assert.deepEqual(leaks.map((v) => [v.location?.line, v.message]), [
    [lineOf('/* KEPT */'), 'the handle to registry key \\REGISTRY\\MACHINE\\SOFTWARE\\Contoso that ZwCreateKey opened in DriverEntry was never closed (ZwClose) before the driver unloaded'],
    [lineOf('/* THREAD */'), 'the handle to thread System thread 1 (Worker) that PsCreateSystemThread opened in DriverEntry was never closed (ZwClose) before the driver unloaded'],
  ]);
  assert.equal(leaks[0]!.severity, 'error');
});

test('no handle-leak when the driver closes what it keeps: a helper\'s ZwClose counts, and a user process\'s handle is that process\'s', async () => {
  const w = await runWorld('/t/s.fltsim', scenario('define CLOSE_ALL'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.violations.filter((v) => v.rule === 'handle-leak').map((v) => v.message), []);
  assert.equal(w.verdict().passed, true, w.verdict().problems.join('; '));
});

test('a driver that never unloads is not checked (its handles may still be in use)', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "handles.c"', 'process "app.exe" pid 1200'].join('\n'), files);
  assert.deepEqual(w.sim.violations.filter((v) => v.rule === 'handle-leak'), []);
});
