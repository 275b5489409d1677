/**
 * Schedule exploration of scenarios (engine/run/explore.ts) on three drivers whose bug shows only
 * under some interleavings, each with its fixed twin (test/fixtures/explore/):
 * - flag-race: a cancel-safe queue whose insert starts a worker through an unprotected flag, reads
 *   1 ms apart, so only a worker held back past the next read strands it;
 * - cancel-race: a worker that completes an operation after looking at it but before taking it off
 *   its list, while a cancellation takes it off and completes it too;
 * - teardown-race: unload freeing memory a queued work item still uses;
 * - lock-order: two fast mutexes taken in opposite orders, a deadlock only when a read is held back
 *   between its two acquisitions;
 * - livelock: two reads 10 ms apart that politely give way to each other and retry; only when the
 *   first is held back until the second arrives do they run in step and give way for ever.
 * For each: the default schedule passes, exploration finds the failure, the replay reproduces it,
 * and the fixed driver explores clean and exhaustively.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  explore, exploreScenario, mergeExploreReports, prepareScenario, runScenario, ScenarioTarget, type ActorId, type PreparedScenario,
} from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'explore');

async function load(dir: string, name: string): Promise<PreparedScenario> {
  const p = await prepareScenario(path.join(FIXTURES, dir, `${name}.fltsim`), nodeFiles);
  if (!p.ok) throw new Error(p.diagnostics.map((d) => d.message).join('; '));
  return p.prepared;
}

const relativize = (f: string): string => path.relative(FIXTURES, f).split(path.sep).join('/');

const CASES = [
  { dir: 'flag-race', keys: ['expect:9', 'violation:pended-pre-not-completed'], where: /read WorkerRunning at flag-race\/flagrace\.c:111/, fixedBound: 2, needs: 2 },
  { dir: 'cancel-race', keys: ['expect:8', 'violation:complete-twice'], where: /Cancel I\/O #1 .* called FltCompletePendedPreOperation/, fixedBound: 2, needs: 1 },
  { dir: 'teardown-race', keys: ['fault'], where: /Unload all drivers .* called ExFreePoolWithTag at teardown-race\/countwi\.c:57/, fixedBound: 2, needs: 2 },
  { dir: 'lock-order', keys: ['expect:9', 'violation:deadlock'], where: /I\/O #2 \(write\) \[thread \d+\] called ExAcquireFastMutex at lock-order\/twolocks\.c:\d+/, fixedBound: 2, needs: 1 },
];

test('a scenario whose default schedule fails: the first schedule fails, with no change to shrink', async () => {
  const { report } = exploreScenario(await load('lock-order', 'default-fails'), { strategy: 'dfs', relativize, estimateProbes: 0 });
  assert.equal(report.passed, false);
  const f = report.failure!;
  assert.equal(f.index, 1);
  assert.equal(f.firstChange, 0);
  assert.equal(f.preemptions, 0);
  assert.ok(f.reasons.some((r) => r.startsWith('line 7: expect #1 status STATUS_CANCELLED')), f.reasons.join(' | '));
});

for (const c of CASES) {
  test(`${c.dir}: the default schedule passes, exploration finds the failure, the replay reproduces it`, async () => {
    const prepared = await load(c.dir, 'race');
    assert.equal(runScenario(prepared).report.passed, true, 'the default schedule passes');
    const { report, replay } = exploreScenario(prepared, { strategy: 'dfs', relativize, estimateProbes: 0 });
    assert.equal(report.passed, false);
    assert.equal(report.stoppedBy, 'failure');
    assert.ok(report.schedules.run >= 2, 'found after the default schedule');
    const f = report.failure!;
    assert.ok(f.preemptions <= c.needs, `shrunk to ${f.preemptions} preemptions`);
    assert.ok(f.firstChange > 0);
    assert.ok(f.interleaving.some((l) => c.where.test(l)), f.interleaving.join('\n'));
    assert.ok(f.interleaving.some((l) => l.includes('» ')), 'changes from the default schedule are marked');
    assert.deepEqual(replay!.schedule, f.schedule);
    // Replaying the schedule fails the same way.
    const again = runScenario(prepared, { schedule: f.schedule, relativize });
    assert.equal(again.report.passed, false);
    assert.equal(again.report.schedule!.firstChange, f.firstChange);
    assert.deepEqual(again.report.schedule!.failures, f.reasons);
    for (const key of c.keys) {
      const needle = key === 'fault' ? 'the run stopped' : key.startsWith('expect:') ? `line ${key.slice(7)}:` : key.replace(':', ' ');
      assert.ok(f.reasons.some((r) => r.startsWith(needle)), `${key} in ${f.reasons.join(' | ')}`);
    }
  });

  test(`${c.dir}: the fixed driver explores clean, exhaustively`, async () => {
    const prepared = await load(c.dir, 'fixed');
    const { report, replay } = exploreScenario(prepared, { strategy: 'dfs', preemptions: c.fixedBound, estimateProbes: 0 });
    assert.equal(report.passed, true);
    assert.equal(report.failure, null);
    assert.equal(replay, null);
    assert.equal(report.schedules.exhaustive, true);
    assert.equal(report.stoppedBy, 'exhausted');
    assert.ok(report.schedules.run > 1);
  });
}

test('livelock: the default schedule passes, exploration reports the step budget, the replay loops the same way', async () => {
  const prepared = await load('livelock', 'race');
  assert.equal(runScenario(prepared).report.passed, true, 'the default schedule passes');
  // One preemption is enough, and keeps the search short: each livelocked run goes to the budget.
  const { report, replay } = exploreScenario(prepared, { strategy: 'dfs', preemptions: 1, relativize, estimateProbes: 0 });
  assert.equal(report.passed, false);
  const f = report.failure!;
  assert.equal(f.preemptions, 1);
  assert.equal(f.reasons.length, 1, f.reasons.join(' | '));
  assert.match(f.reasons[0]!, /^the run did not end within 20,000 steps: threads keep running without finishing \(a livelock/);
  // The interleaving: the first read held back until the second starts, then both raise and test
  // their flags in step.
  const held = f.interleaving.findIndex((l) => /» time passes to 10 ms while I\/O #1 \(read\) \[thread \d+\] is held back; I\/O #2 \(read\) \[thread \d+\] starts/.test(l));
  assert.ok(held >= 0, f.interleaving.join('\n'));
  assert.ok(f.interleaving.slice(held).some((l) => /I\/O #1 \(read\) .* read Wants at livelock\/politeflags\.c:\d+/.test(l)), f.interleaving.join('\n'));
  assert.ok(f.interleaving.slice(held).some((l) => /I\/O #2 \(read\) .* read Wants at livelock\/politeflags\.c:\d+/.test(l)), f.interleaving.join('\n'));
  assert.deepEqual(replay!.schedule, f.schedule);
  const again = runScenario(prepared, { schedule: f.schedule, relativize });
  assert.equal(again.report.passed, false);
  assert.deepEqual(again.report.schedule!.failures, f.reasons);
  assert.equal(again.report.schedule!.firstChange, f.firstChange);
});

test('livelock: the fixed driver (one interlocked owner word) explores clean, exhaustively', async () => {
  const { report } = exploreScenario(await load('livelock', 'fixed'), { strategy: 'dfs', preemptions: 2, estimateProbes: 0 });
  assert.equal(report.passed, true);
  assert.equal(report.schedules.exhaustive, true);
  assert.equal(report.stoppedBy, 'exhausted');
  assert.ok(report.schedules.run > 1);
});

/** Every schedule an exploration runs, as choice lists, and the failing ones' reasons. */
function schedules(target: ScenarioTarget, options: Parameters<typeof explore>[1]): { all: string[]; failures: Set<string>; exhaustive: boolean; digest: string } {
  const all: string[] = [];
  const failures = new Set<string>();
  const ex = explore(target, {
    ...options,
    keepGoing: true,
    estimateProbes: 0,
    onSchedule: (choices: readonly ActorId[], v) => {
      all.push(choices.join(','));
      if (v.failures.length > 0) failures.add(v.failures.map((f) => f.key).sort().join('+'));
    },
  });
  return { all, failures, exhaustive: ex.exhaustive, digest: ex.digest };
}

test('partial-order reduction runs fewer schedules and finds every kind of failure the full search finds', async () => {
  const target = new ScenarioTarget(await load('cancel-race', 'race'), 1);
  const reduced = schedules(target, { strategy: 'dfs', preemptions: 1 });
  const full = schedules(target, { strategy: 'dfs', preemptions: 1, reduction: false });
  assert.equal(reduced.exhaustive, true);
  assert.equal(full.exhaustive, true);
  assert.ok(reduced.all.length < full.all.length, `${reduced.all.length} vs ${full.all.length}`);
  assert.deepEqual([...reduced.failures].sort(), [...full.failures].sort());
  assert.ok(full.failures.size >= 2, [...full.failures].join(' | '));
  // Every schedule the reduced search ran is one the full search runs too.
  const everything = new Set(full.all);
  assert.ok(reduced.all.every((s) => everything.has(s)));
});

test('shards split the schedules: their union is the unsharded run, with no overlap', async () => {
  const target = new ScenarioTarget(await load('cancel-race', 'fixed'), 1);
  const whole = schedules(target, { strategy: 'dfs', preemptions: 1 });
  const parts = [1, 2, 3].map((index) => schedules(target, { strategy: 'dfs', preemptions: 1, shard: { index, count: 3 } }));
  const union = parts.flatMap((p) => p.all);
  assert.equal(new Set(union).size, union.length, 'no schedule runs in two shards');
  assert.deepEqual([...union].sort(), [...whole.all].sort());
  assert.ok(parts.filter((p) => p.all.length > 0).length >= 2, `sizes ${parts.map((p) => p.all.length).join(', ')}`);
  assert.ok(parts.every((p) => p.exhaustive));
  for (const strategy of ['random', 'pct'] as const) {
    const w = schedules(target, { strategy, maxSchedules: 12 });
    const halves = [1, 2].map((index) => schedules(target, { strategy, maxSchedules: 6, shard: { index, count: 2 } }));
    assert.deepEqual(halves.flatMap((h) => h.all).sort(), [...w.all].sort(), strategy);
  }
});

test('merging shard reports sums their counts, and their digests add up to the unsharded one', async () => {
  const prepared = await load('cancel-race', 'fixed');
  const whole = exploreScenario(prepared, { strategy: 'dfs', preemptions: 1, estimateProbes: 0 }).report;
  const parts = [1, 2].map((index) => exploreScenario(prepared, { strategy: 'dfs', preemptions: 1, estimateProbes: 0, shard: { index, count: 2 } }).report);
  const merged = mergeExploreReports(parts);
  assert.ok(merged.ok);
  assert.equal(merged.report.schedules.run, whole.schedules.run);
  assert.equal(merged.report.digest, whole.digest);
  assert.equal(merged.report.schedules.exhaustive, true);
  assert.deepEqual(merged.report.merged, { shards: 2, missing: [] });
  const half = mergeExploreReports([parts[0]!]);
  assert.ok(half.ok);
  assert.equal(half.report.schedules.exhaustive, false);
  assert.deepEqual(half.report.merged?.missing, [2]);
  const twice = mergeExploreReports([parts[0]!, parts[0]!]);
  assert.ok(!twice.ok && /shard 1\/2 is given twice/.test(twice.message));
  const other = mergeExploreReports([parts[0]!, { ...parts[1]!, preemptions: 3 }]);
  assert.ok(!other.ok && /not shards of one exploration/.test(other.message));
});

test('random and PCT strategies find the flag race; the bound and the counts are reported', async () => {
  const prepared = await load('flag-race', 'race');
  for (const strategy of ['random', 'pct'] as const) {
    const { report } = exploreScenario(prepared, { strategy, maxSchedules: 400, preemptions: strategy === 'pct' ? 2 : undefined, estimateProbes: 4 });
    assert.equal(report.strategy, strategy);
    assert.equal(report.schedules.exhaustive, false);
    assert.ok(report.schedules.estimated !== null && report.schedules.estimated > 1);
    assert.equal(report.passed, false, `${strategy} found nothing in ${report.schedules.run} schedules`);
  }
});

test('a schedule that does not fit the scenario is refused with the decision and the options', async () => {
  const prepared = await load('flag-race', 'race');
  assert.throws(() => runScenario(prepared, { schedule: { seed: 1, choices: [99] } }), /at decision 1 it runs thread 99, but only/);
});
