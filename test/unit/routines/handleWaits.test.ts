/**
 * Events by handle and waits on handles (engine/kernel/handleWaits.ts) on a driver written for
 * these tests (test/fixtures/routines/handlewaits.c): an event handle, a process handle that is
 * signalled when the process exits, and a thread handle signalled when the thread ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('handlewaits.c', readFileSync(path.resolve('test/fixtures/routines/handlewaits.c'), 'utf8'));

test('ZwWaitForSingleObject waits on an event handle and on a process until it exits; ZwWaitForMultipleObjects (WaitAny) ends when the thread does', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "handlewaits.c"', 'process "notepad.exe" pid 1200 exit at 20', 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'test wait 0x00000102', // a zero timeout on a clear event: STATUS_TIMEOUT
    'set 0x00000000 previous 0',
    'wrong kind 0xC0000024', // a thread handle is no event: STATUS_OBJECT_TYPE_MISMATCH
    'worker woke 0x00000000',
    'process exited 0x00000000',
    'unload wait 0x00000001', // STATUS_WAIT_1: the thread, the second handle
  ]);
  const exited = w.sim.kernel.log.all().find((e) => /process notepad\.exe \(pid 1200\) exits/.test(e.detail));
  const unloaded = w.sim.kernel.log.all().find((e) => /unload wait/.test(e.detail));
  assert.ok(exited !== undefined && unloaded !== undefined && unloaded.time >= exited.time && exited.time === 20, `${exited?.time} ${unloaded?.time}`);
  assert.deepEqual(w.sim.violations.map((v) => `${v.rule}: ${v.message}`), ['invalid-parameter: ZwSetEvent was given a handle to thread System thread 1 (Worker), not an event (ZwCreateEvent)']);
});
