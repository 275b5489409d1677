/**
 * ZwQueryInformationThread on a system thread's handle (engine/kernel/threadInfo.ts) on a driver
 * written for these tests (test/fixtures/routines/threadinfo.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('threadinfo.c', readFileSync(path.resolve('test/fixtures/routines/threadinfo.c'), 'utf8'));

test('ZwQueryInformationThread answers the basic information, the start routine and whether the thread ended; exact sizes only; other classes are STATUS_INVALID_INFO_CLASS', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "threadinfo.c"\nunload at 2', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  const id = /worker runs as thread (\d+)/.exec(out.join('\n'))?.[1];
  assert.ok(id !== undefined, out.join('\n'));
  assert.deepEqual(out, [
    `before: 0x00000000 0x00000000 0x00000000 exit 0x103 thread ${id} start-is-worker 1 terminated 0 returned 48`, // STATUS_PENDING while it runs
    'short 0xC0000004 returned 48',
    'times 0xC0000003',
    `worker runs as thread ${id}`,
    `after: 0x00000000 0x00000000 0x00000000 exit 0x1234 thread ${id} start-is-worker 1 terminated 1 returned 48`,
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});
