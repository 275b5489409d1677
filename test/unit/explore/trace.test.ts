/**
 * The Trace (engine/explore/trace.ts) on hand-made runs: steps split where the actor changes or a
 * decision is made; conflicting accesses of different actors are races unless already ordered
 * (same actor, a thread made runnable by the step, an earlier conflict); reads do not race reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KThread, Trace, TIME_PASSES, type Decision } from '../../../engine';

const decision = (index: number, options: number[], preferred: number, running = 0): Decision => ({ index, options, preferred, running });

test('writes by two threads race; a read after a write races it; two reads do not', () => {
  const t = new Trace();
  const x = {};
  const y = {};
  t.access(1, x, true); // step 0
  t.access(2, x, true); // step 1: write after write by another thread
  t.access(3, y, false); // step 2
  t.access(4, y, false); // step 3: read after read
  t.access(1, y, true); // step 4: write after two reads
  assert.deepEqual(t.steps.map((s) => s.actor), [1, 2, 3, 4, 1]);
  assert.deepEqual(t.races, [[0, 1], [2, 4], [3, 4]]);
});

test('program order, making a thread runnable and earlier conflicts order steps: no race', () => {
  const t = new Trace();
  const x = {};
  const worker = new KThread(2, 'worker', 'worker', 12);
  t.access(1, x, true); // step 0: thread 1 writes x
  t.readied(1, worker); // ... and wakes thread 2 in the same step
  t.access(2, x, true); // step 1: thread 2 then writes x — ordered by the wake
  assert.deepEqual(t.races, []);
  assert.ok(t.happensBefore(0, 1));
  const z = {};
  t.access(3, z, true); // step 2
  t.access(1, z, true); // step 3: races step 2
  t.access(1, x, false); // same step as 3: thread 1 reads x after thread 2 wrote it in step 1
  assert.deepEqual(t.races, [[2, 3], [1, 3]]);
});

test('a decision starts a new step even for the same thread, and records the footprint by stable name', () => {
  const t = new Trace();
  const x = {};
  t.decided(decision(0, [1, 2], 1, 1), 1);
  t.access(1, x, false);
  t.decided(decision(1, [1, 2, TIME_PASSES], 1, 1), TIME_PASSES);
  t.decided(decision(2, [1, 2], 2), 2);
  t.access(2, x, true);
  assert.deepEqual(t.steps.map((s) => [s.actor, s.node]), [[1, 0], [TIME_PASSES, 1], [2, 2]]);
  assert.deepEqual(t.choices, [1, TIME_PASSES, 2]);
  assert.deepEqual(t.races, [[0, 2]]);
  assert.deepEqual([...t.segments[0]!], [['Object', false]]);
  assert.deepEqual([...t.segments[2]!], [['Object', true]]);
});

test('accesses made outside any step (before the run) are ignored', () => {
  const t = new Trace();
  t.access(-1, {}, true);
  t.readied(-1, new KThread(5, 'x', 'io', 8));
  assert.equal(t.steps.length, 0);
});

test('a trace that does not track ordering keeps the same steps, decisions and wakes, without races or footprints', () => {
  const play = (t: Trace): void => {
    const x = {};
    const y = {};
    t.decided(decision(0, [1, 2], 1, 1), 1);
    t.access(1, x, true);
    t.readied(1, new KThread(2, 'worker', 'worker', 12));
    t.decided(decision(1, [1, 2], 2, 1), 2);
    t.access(2, x, true);
    t.access(3, y, false);
    t.access(1, y, true);
    t.routine(1, 'KeSetEvent');
  };
  const full = new Trace();
  const light = new Trace(false);
  play(full);
  play(light);
  const shape = (t: Trace): unknown => t.steps.map((s) => ({ index: s.index, actor: s.actor, node: s.node, last: s.last, readied: s.readied }));
  assert.deepEqual(shape(light), shape(full));
  assert.deepEqual(light.choices, full.choices);
  assert.deepEqual([...light.names], [...full.names]);
  assert.ok(full.races.length > 0 && full.segments.length === 2);
  assert.deepEqual(light.races, []);
  assert.deepEqual(light.segments, []);
});
