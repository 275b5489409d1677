/**
 * The scheduling seam (engine/kernel/schedule.ts): a policy is offered every choice with what the
 * seeded priority rule prefers, so following `preferred` reproduces a run without a policy byte for
 * byte; other choices preempt at switch points, hold a thread back while time passes, and never
 * interrupt code at DISPATCH_LEVEL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  prepareScenario, Ref, runScenario, SeededPolicy, TIME_PASSES, Trap, type ActorId, type Co, type Decision, type SchedulePolicy, type Simulation,
} from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';
import { newSim } from '../simHarness';

const P = 8;

/** Two threads of equal priority that each make three kernel calls, and a workload event at tick 5. */
function twoThreads(policy?: SchedulePolicy): { sim: Simulation; marks: string[] } {
  const sim = newSim(policy ? { policy } : {});
  const marks: string[] = [];
  const body = (name: string) => function* (): Co<void> {
    for (let i = 0; i < 3; i++) {
      marks.push(`${name}${i}@${sim.now}`);
      sim.api.KeQueryInterruptTime();
      yield Trap.Yield; // a switch point, as after every kernel call
    }
  };
  sim.kernel.spawn('A', 'system', P, body('A'));
  sim.kernel.spawn('B', 'system', P, body('B'));
  sim.io({ id: 1, major: 'read', path: '\\Device\\HarddiskVolume1\\x', at: 5 });
  return { sim, marks };
}

/** Records every decision and answers with `pick` (default: what the seeded rule prefers). */
class Recorder implements SchedulePolicy {
  readonly seen: Decision[] = [];
  constructor(private readonly pick: (d: Decision) => ActorId = (d) => d.preferred) {}
  choose(d: Decision): ActorId {
    this.seen.push({ ...d, options: [...d.options] });
    return this.pick(d);
  }
}

test('a policy that follows the seeded rule reproduces the run without a policy, event for event', () => {
  for (const seed of [1, 2, 3, 9]) {
    const a = newSim({ seed, switchProbability: 0.5 });
    const b = newSim({ seed, switchProbability: 0.5, policy: new SeededPolicy() });
    for (const sim of [a, b]) {
      for (const name of ['A', 'B', 'C']) {
        sim.kernel.spawn(name, 'system', P, function* (): Co<void> {
          for (let i = 0; i < 4; i++) {
            sim.api.KeQueryInterruptTime();
            yield Trap.Yield;
          }
        });
      }
      sim.run();
    }
    assert.deepEqual(b.events, a.events, `seed ${seed}`);
    assert.ok(a.events.some((e) => e.kind === 'preempt'), 'the seeded rule switched threads at least once');
  }
});

test('every bundled sample runs the same with the seeded policy as without one', async () => {
  const samples = path.join(__dirname, '..', '..', '..', 'samples');
  for (const file of ['cbdq-cancel/cancel.fltsim', 'irql-bug/bug.fltsim', 'pend-generic-workitem/with-callback.fltsim']) {
    const p = await prepareScenario(path.join(samples, file), nodeFiles);
    assert.ok(p.ok, file);
    for (const seed of [1, 2]) {
      const plain = runScenario(p.prepared, { seed });
      const seeded = runScenario(p.prepared, { seed, policy: new SeededPolicy() });
      assert.equal(JSON.stringify(seeded.report), JSON.stringify(plain.report), `${file} seed ${seed}`);
      assert.deepEqual(seeded.timeline, plain.timeline, `${file} seed ${seed}`);
    }
  }
});

test('decisions offer the running thread first, then ready threads, then time; preferred is the rule\'s pick', () => {
  const rec = new Recorder();
  const { sim } = twoThreads(rec);
  sim.run();
  assert.ok(rec.seen.length > 0);
  for (const d of rec.seen) {
    assert.ok(d.options.length >= 2, 'a decision has options');
    assert.ok(d.options.includes(d.preferred));
    if (d.running !== 0) assert.equal(d.options[0], d.running);
    const t = d.options.indexOf(TIME_PASSES);
    if (t >= 0) assert.equal(t, d.options.length - 1, 'time passing is the last option');
  }
  assert.deepEqual(rec.seen.map((d) => d.index), rec.seen.map((_d, i) => i));
});

test('letting time pass at a switch point holds the running thread back while a workload event lands', () => {
  let done = false;
  const rec = new Recorder((d) => {
    // The first time A could go on while a timer is set: let the clock move instead.
    if (!done && d.running !== 0 && d.options.includes(TIME_PASSES)) {
      done = true;
      return TIME_PASSES;
    }
    return d.preferred;
  });
  const { sim, marks } = twoThreads(rec);
  sim.run();
  assert.ok(done);
  // Without the policy everything at tick 0 runs first; here a thread ran on after the clock moved to 5.
  assert.ok(marks.some((m) => m.endsWith('@5')), marks.join(' '));
  const held = sim.events.find((e) => e.kind === 'preempt' && e.detail.includes('held off the processor while time passes'));
  assert.ok(held, 'the hold-back is in the event stream');
  const plain = twoThreads();
  plain.sim.run();
  assert.ok(plain.marks.every((m) => m.endsWith('@0')), plain.marks.join(' '));
});

test('choosing another ready thread preempts the running one; a choice outside the options is refused', () => {
  const rec = new Recorder((d) => (d.running !== 0 ? (d.options.find((a) => a !== d.running && a !== TIME_PASSES) ?? d.preferred) : d.preferred));
  const { sim, marks } = twoThreads(rec);
  sim.run();
  // A and B alternate at every switch point.
  assert.deepEqual(marks.slice(0, 4).map((m) => m[0]), ['A', 'B', 'A', 'B']);
  const bad = newSim({ policy: { choose: () => 999 } });
  bad.kernel.spawn('A', 'system', P, function* (): Co<void> {
    yield Trap.Yield;
  });
  bad.kernel.spawn('B', 'system', P, function* (): Co<void> {
    yield Trap.Yield;
  });
  assert.throws(() => bad.run(), /chose 999, which is not one of/);
});

test('code at DISPATCH_LEVEL is never interrupted: no decision while a spin lock is held', () => {
  const holding: boolean[] = [];
  const box: { sim?: Simulation } = {};
  const rec = new Recorder((d) => {
    holding.push((box.sim!.kernel.threads.get(d.running)?.held.length ?? 0) > 0);
    return d.preferred;
  });
  const sim = (box.sim = newSim({ policy: rec }));
  const spin = new Ref({ v: 0 }, 'v');
  sim.kernel.spawn('Locker', 'system', P, function* (): Co<void> {
    const old = yield* sim.api.KeAcquireSpinLock(spin);
    for (let i = 0; i < 3; i++) yield Trap.Yield;
    sim.api.KeReleaseSpinLock(spin, old);
    yield Trap.Yield;
  });
  sim.kernel.spawn('Other', 'system', P, function* (): Co<void> {
    yield Trap.Yield;
  });
  sim.run();
  assert.ok(holding.length > 0);
  assert.ok(holding.every((h) => !h), 'no decision was offered while Locker held the spin lock');
});
