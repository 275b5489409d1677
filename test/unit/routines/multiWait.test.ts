/**
 * KeWaitForMultipleObjects (engine/kernel/multiWait.ts) on a driver written for these tests
 * (test/fixtures/routines/multiwait.c): WaitAny's STATUS_WAIT_n, WaitAll satisfying every object
 * at once, timeouts, and the wait-block rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('multiwait.c', readFileSync(path.resolve('test/fixtures/routines/multiwait.c'), 'utf8'));

test('WaitAny returns the signalled object\'s index; WaitAll waits until every object can be taken and takes them together; a timeout ends a wait', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "multiwait.c"', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'poll 102', // a zero timeout only tests: STATUS_TIMEOUT
    'any 1', // the notification event, object 1: STATUS_WAIT_1
    'waiting for all, sync 1', // the synchronization event stays signalled while the semaphore is 0
    'all 0 sync 0 sem 0', // both taken at once: the event reset, the count back to 0
    'timeout 102',
    'done',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('more than three objects without a WaitBlockArray is reported', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "multiwait.c"\ndefine BADCOUNT', files);
  assert.ok(w.sim.kernel.output.includes('four c000000d'), w.sim.kernel.output.join('\n'));
  const v = w.sim.violations.filter((x) => x.rule === 'invalid-parameter');
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /KeWaitForMultipleObjects on 4 objects without a WaitBlockArray/);
});
