/**
 * The depth-first search cut into subtrees by work stealing (engine/explore/split.ts,
 * engine/run/exploreSplit.ts), as `fltsim explore --jobs` runs it: whenever a thread gives part of
 * its subtree away, whatever order the subtrees are then explored in, and however far past the
 * one-thread search's stop each one runs, the joined report is the one-thread report — the same
 * schedule counts, digest, exhaustive verdict, stop, failure and replay file — on every explore
 * fixture and bundled sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { prepareScenario, ScenarioExplorer, ScenarioSplit, SubtreeOrder, type ScenarioExploreOptions, type SubtreeResult } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const ROOT = path.join(__dirname, '..', '..', '..');
const scenarios = [
  ...readdirSync(path.join(ROOT, 'test', 'fixtures', 'explore')).flatMap((d) => readdirSync(path.join(ROOT, 'test', 'fixtures', 'explore', d)).filter((f) => f.endsWith('.fltsim')).map((f) => path.join('test', 'fixtures', 'explore', d, f))),
  ...readdirSync(path.join(ROOT, 'samples')).flatMap((d) => readdirSync(path.join(ROOT, 'samples', d)).filter((f) => f.endsWith('.fltsim')).map((f) => path.join('samples', d, f))),
];

/** A small seeded generator (mulberry32): which thread moves next, and when one steals. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stolen {
  one: unknown;
  split: unknown;
  /** Subtrees the search ended up cut into. */
  subtrees: number;
  /** The id of the first subtree (in the one-thread order) with a failing schedule, or -1. */
  failedIn: number;
}

/** Schedules a subtree runs past the point where the one-thread search no longer needs it, before it is dropped. */
const OVERRUN = 10;

/**
 * The one-thread exploration, and the same exploration as threads that steal from each other:
 * every step, one running subtree (picked at random) either runs its next schedule or, with
 * probability `stealRate`, gives part of itself to a new thread. A subtree runs on past where the
 * one-thread search stops (OVERRUN schedules past the budget or an earlier failure, as a thread may
 * before it hears it is dropped), then is dropped unfinished, as `fltsim explore --jobs` drops it.
 */
async function both(file: string, options: ScenarioExploreOptions, seed = 1, stealRate = 0.2): Promise<Stolen> {
  const p = await prepareScenario(path.join(ROOT, file), nodeFiles);
  assert.ok(p.ok, `${file} prepares`);
  const one = new ScenarioExplorer(p.prepared, options);
  while (one.step());
  const split = new ScenarioSplit(p.prepared, options);
  const order = new SubtreeOrder();
  const running = [{ id: 0, ex: split.subtree([], 0, split.max), late: 0 }];
  const results = new Map<number, SubtreeResult>();
  const ran = (id: number): number => results.get(id)?.hashA.length ?? running.find((r) => r.id === id)?.ex.progress.schedules ?? 0;
  const needed = (id: number): boolean => {
    const earlier = order.ids.slice(0, order.position(id));
    if (options.keepGoing !== true && earlier.some((e) => (results.get(e)?.failing.length ?? 0) > 0)) return false;
    return earlier.reduce((n, e) => n + ran(e), 0) < split.max;
  };
  const next = random(seed);
  while (running.length > 0) {
    const k = Math.floor(next() * running.length);
    const r = running[k]!;
    if (!needed(r.id) && ++r.late > OVERRUN) {
      running.splice(k, 1);
      continue;
    }
    if (next() < stealRate) {
      for (const given of order.given(r.id, r.ex.donate())) running.push({ id: given, ex: split.subtree(order.prefix(given), given, split.max), late: 0 });
      continue;
    }
    if (r.ex.step()) continue;
    results.set(r.id, r.ex.result());
    running.splice(k, 1);
  }
  const failedIn = order.ids.find((id) => (results.get(id)?.failing.length ?? 0) > 0) ?? -1;
  return { one: one.finish(), split: split.finish(order.ids.map((id) => results.get(id)), 'cancelled'), subtrees: order.ids.length, failedIn };
}

for (const file of scenarios) {
  test(`${file}: the subtrees joined give the one-thread exploration's report`, async () => {
    const r = await both(file, { strategy: 'dfs', maxSchedules: 120, estimateProbes: 4, label: file });
    assert.deepEqual(r.split, r.one);
  });
}

type Report = { report: { schedules: { run: number; failing: number; exhaustive: boolean }; stoppedBy: string; failure: { index: number } | null } };

test('with reduction, a keep-going search cut by the budget: still the one-thread report', async () => {
  const race = 'test/fixtures/explore/cancel-race/race.fltsim';
  const kept = await both(race, { strategy: 'dfs', maxSchedules: 60, keepGoing: true, estimateProbes: 0, label: race });
  assert.deepEqual(kept.split, kept.one);
  const { report } = kept.one as Report;
  assert.deepEqual([report.schedules.run, report.stoppedBy], [60, 'max-schedules']);
  assert.ok(report.schedules.failing > 1, 'keep-going counted several failing schedules');
  assert.ok(kept.subtrees > 1, 'threads took parts of the search');
});

test('without reduction, stolen at any depth: the budget inside a subtree, exhaustive, the preemption bound', async () => {
  for (const seed of [1, 2, 3]) {
    const budget = await both('test/fixtures/explore/cancel-race/three.fltsim', { strategy: 'dfs', reduction: false, maxSchedules: 233, estimateProbes: 0 }, seed, 0.1);
    assert.deepEqual(budget.split, budget.one, `seed ${seed}`);
    assert.equal((budget.one as Report).report.stoppedBy, 'max-schedules');
    assert.ok(budget.subtrees > 2, `seed ${seed}: threads took parts of the search`);
  }
  const whole = await both('test/fixtures/explore/cancel-race/fixed.fltsim', { strategy: 'dfs', reduction: false, estimateProbes: 0 }, 4, 0.05);
  assert.deepEqual(whole.split, whole.one);
  assert.equal((whole.one as Report).report.schedules.exhaustive, true);
  assert.ok(whole.subtrees > 2, 'threads took parts of the search');
  const bounded = await both('test/fixtures/explore/flag-race/fixed.fltsim', { strategy: 'dfs', reduction: false, preemptions: 1, estimateProbes: 0 }, 5);
  assert.deepEqual(bounded.split, bounded.one);
});

test('without reduction, a failure found late by a thread that stole its subtree is the one-thread failure, index and replay', async () => {
  const race = 'test/fixtures/explore/lock-order/race.fltsim';
  const late = await both(race, { strategy: 'dfs', reduction: false, maxSchedules: 400, estimateProbes: 0, label: race }, 6, 0.1);
  assert.deepEqual(late.split, late.one);
  const { report } = late.one as Report;
  assert.equal(report.stoppedBy, 'failure');
  assert.ok(report.failure !== null && report.failure.index > 100, 'the failure comes late in the search');
  assert.ok(late.failedIn !== 0, 'a thread that stole part of the search found it');
  const kept = await both(race, { strategy: 'dfs', reduction: false, maxSchedules: 150, keepGoing: true, estimateProbes: 0, label: race }, 7);
  assert.deepEqual(kept.split, kept.one);
});

test('a subtree never explored ends the joined report where it stands, not exhaustive', async () => {
  const file = 'test/fixtures/explore/cancel-race/fixed.fltsim';
  const p = await prepareScenario(path.join(ROOT, file), nodeFiles);
  assert.ok(p.ok);
  const split = new ScenarioSplit(p.prepared, { strategy: 'dfs', estimateProbes: 0 });
  const order = new SubtreeOrder();
  const ex = split.subtree([], 0, split.max);
  assert.deepEqual(ex.donate(), [], 'nothing to give before the first run');
  assert.ok(ex.step());
  const given = order.given(0, ex.donate());
  assert.ok(given.length > 0, 'the search gave part of itself away');
  while (ex.step());
  const first = ex.result();
  const { report } = split.finish(order.ids.map((id) => (id === 0 ? first : undefined)), 'time-limit');
  assert.equal(report.stoppedBy, 'time-limit');
  assert.equal(report.schedules.exhaustive, false);
  assert.equal(report.schedules.run, first.hashA.length);
});
