/**
 * Attaching to a process, ending one, and registry callback registration (engine/kernel/
 * processControl.ts, registryCallbacks.ts) on a driver written for these tests
 * (test/fixtures/routines/attach.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('attach.c', readFileSync(path.resolve('test/fixtures/routines/attach.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';
const scenario = (...lines: string[]) => ['driver "attach.c"', 'process "shell.exe" pid 800', 'process "tool.exe" pid 1600', ...lines, 'unload at 9'].join('\n');

test('KeStackAttachProcess: PsGetCurrentProcess answers the attached process, nested attaches undo in reverse order; registry callbacks register once per altitude and unregister by cookie', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(`io #1 create "${V}\\attach.txt" process "shell.exe" at 1`), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'cm register 0x00000000 cookie nonzero 1',
    'cm same altitude 0xC01C0011', // STATUS_FLT_INSTANCE_ALTITUDE_COLLISION
    'before 800',
    'attached 1600',
    'nested 800',
    'back to outer 1600',
    'detached 800',
    'cm unregister 0x00000000',
    'cm unregister again 0xC000000D',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['invalid-parameter'], 'the second CmUnRegisterCallback of the same cookie');
});

test('a detach out of order is reported and leaves the attach in place; a registry callback left registered at unload is reported at its line', async () => {
  const w = await runWorld('/t/s.fltsim', ['define WRONG_ORDER', 'define LEAK', scenario(`io #1 create "${V}\\attach.txt" process "shell.exe" at 1`)].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const v = w.sim.violations.map((x) => `${x.rule} ${x.location?.line ?? '?'}`);
  const src = readFileSync(path.resolve('test/fixtures/routines/attach.c'), 'utf8').split('\n');
  const line = (text: string) => src.findIndex((l) => l.includes(text)) + 1;
  assert.deepEqual(v, [`invalid-parameter ${line('#ifdef WRONG_ORDER') + 1}`, `callback-not-unregistered ${line('status = CmRegisterCallbackEx(RegistryCallback, &altitude, DriverObject, NULL, &Cookie')}`]);
  assert.ok(w.sim.kernel.output.includes('back to outer 1600'), w.sim.kernel.output.join('\n'));
});

test('ZwTerminateProcess ends the process (its exit runs) and a second call says it is terminating', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(`io #1 create "${V}\\kill.txt" process "shell.exe" at 1`, 'expect process "tool.exe" exited'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  assert.ok(out.includes('terminate 0x00000000'), out.join('\n'));
  assert.ok(out.includes('terminate again 0xC000010A'), out.join('\n'));
  const tool = w.sim.kernel.processes.named('tool.exe')!;
  assert.equal(tool.state, 'exited');
  assert.equal(tool.exitStatus, 0xc0000022);
  // The only violation is the fixture's second CmUnRegisterCallback of one cookie.
  assert.deepEqual(w.sim.violations.map((v) => v.message.slice(0, 40)), ['CmUnRegisterCallback was given cookie 0x']);
});
