/**
 * Schedule policies without search state (engine/explore/policies.ts) and preemption counting
 * (engine/explore/schedule.ts): replay, random walk within a bound, PCT, digests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDigests, PctPolicy, preemptionCost, RandomWalkPolicy, ReplayPolicy, ScheduleMismatch, TIME_PASSES, type Decision } from '../../../engine';
import { allowedOptions, ScheduleDigest } from '../../../engine/explore/schedule';

const d = (index: number, options: number[], preferred: number, running: number): Decision => ({ index, options, preferred, running });

test('a preemption is counted for holding back a running thread, or a ready one while time passes', () => {
  const at = d(0, [3, 5, TIME_PASSES], 5, 3);
  assert.equal(preemptionCost(at, 3), 0, 'going on is free');
  assert.equal(preemptionCost(at, 5), 0, 'what the rule prefers is free');
  assert.equal(preemptionCost(at, TIME_PASSES), 1, 'letting time pass while 3 could run costs one');
  const free = d(1, [5, 6, TIME_PASSES], 5, 0);
  assert.deepEqual(free.options.map((a) => preemptionCost(free, a)), [0, 0, 1], 'picking a ready thread for the free processor is free; letting time pass over them is not');
  const idle = d(2, [5, TIME_PASSES], TIME_PASSES, 0);
  assert.deepEqual(idle.options.map((a) => preemptionCost(idle, a)), [0, 0], 'time passing where the rule lets it pass is free');
  assert.deepEqual(allowedOptions(at, 2, 2), [3, 5]);
  assert.deepEqual(allowedOptions(free, 2, 2), [5, 6]);
});

test('replay follows its choices then the rule; strict replay refuses a choice that is not an option', () => {
  const p = new ReplayPolicy([5, TIME_PASSES], true);
  assert.equal(p.choose(d(0, [5, 6], 5, 0)), 5);
  assert.equal(p.firstChange, -1);
  assert.equal(p.choose(d(1, [5, 6, TIME_PASSES], 5, 5)), TIME_PASSES);
  assert.equal(p.firstChange, 1);
  assert.deepEqual(p.firstChangeDecision?.choice, TIME_PASSES);
  assert.equal(p.choose(d(2, [5, 7], 7, 0)), 7, 'after the list: the rule');
  const strict = new ReplayPolicy([9], true);
  assert.throws(() => strict.choose(d(0, [5, 6], 5, 0)), (e: unknown) => e instanceof ScheduleMismatch && /at decision 1 it runs thread 9, but only thread 5 or thread 6 can run there/.test(e.message));
  const lenient = new ReplayPolicy([9], false);
  assert.equal(lenient.choose(d(0, [5, 6], 5, 0)), 5);
  assert.equal(lenient.mismatches, 1);
});

test('a random walk stays within its preemption bound and is the same for the same seed', () => {
  const walk = (seed: number): number[] => {
    const p = new RandomWalkPolicy(seed, 1);
    const out: number[] = [];
    let spent = 0;
    for (let i = 0; i < 50; i++) {
      const dec = d(i, [3, 4, TIME_PASSES], 3, 3);
      const c = p.choose(dec);
      spent += preemptionCost(dec, c);
      out.push(c);
    }
    assert.ok(spent <= 1, `spent ${spent}`);
    return out;
  };
  assert.deepEqual(walk(7), walk(7));
  // Picking among ready threads for the free processor costs nothing: both stay possible with no
  // preemption left; letting time pass over them does not.
  const free = (seed: number): number[] => {
    const p = new RandomWalkPolicy(seed, 0);
    return Array.from({ length: 30 }, (_x, i) => p.choose(d(i, [3, 4, TIME_PASSES], 3, 0)));
  };
  assert.deepEqual(free(7), free(7));
  assert.notDeepEqual(free(7), free(8));
  assert.deepEqual(new Set(free(7)), new Set([3, 4]));
});

test('PCT runs the highest priority option and demotes the running actor at its change points', () => {
  const pick = (seed: number): number[] => {
    const p = new PctPolicy(seed, 3, 40);
    return Array.from({ length: 40 }, (_x, i) => p.choose(d(i, [1, 2, 3], 1, i === 0 ? 0 : 1)));
  };
  const a = pick(11);
  assert.deepEqual(a, pick(11));
  // With depth 3 the priorities change at most twice: at most three stretches of one actor.
  let stretches = 1;
  for (let i = 1; i < a.length; i++) if (a[i] !== a[i - 1]) stretches++;
  assert.ok(stretches <= 3, a.join(','));
});

test('digests of disjoint sets of schedules add up to the digest of their union', () => {
  const all = new ScheduleDigest();
  const one = new ScheduleDigest();
  const two = new ScheduleDigest();
  const lists = [[1, 2], [1, 0, 3], [2], [4, 4, 4]];
  lists.forEach((c, i) => {
    all.add(c);
    (i % 2 === 0 ? one : two).add(c);
  });
  assert.equal(addDigests([one.toString(), two.toString()]), all.toString());
  assert.notEqual(one.toString(), all.toString());
});
