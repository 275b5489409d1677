/**
 * The depth-first search cut into subtrees (engine/explore/split.ts, engine/run/exploreSplit.ts),
 * as `fltsim explore --jobs` runs it: whatever order the subtrees are explored in, and however far
 * past the one-thread search's stop each one runs, the joined report is the one-thread report —
 * the same schedule counts, digest, exhaustive verdict, stop, failure and replay file — on every
 * explore fixture and bundled sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { prepareScenario, ScenarioExplorer, ScenarioSplit, type ScenarioExploreOptions, type SubtreeResult } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const ROOT = path.join(__dirname, '..', '..', '..');
const scenarios = [
  ...readdirSync(path.join(ROOT, 'test', 'fixtures', 'explore')).flatMap((d) => readdirSync(path.join(ROOT, 'test', 'fixtures', 'explore', d)).filter((f) => f.endsWith('.fltsim')).map((f) => path.join('test', 'fixtures', 'explore', d, f))),
  ...readdirSync(path.join(ROOT, 'samples')).flatMap((d) => readdirSync(path.join(ROOT, 'samples', d)).filter((f) => f.endsWith('.fltsim')).map((f) => path.join('samples', d, f))),
];

async function both(file: string, options: ScenarioExploreOptions): Promise<{ one: unknown; split: unknown; subtrees: number }> {
  const p = await prepareScenario(path.join(ROOT, file), nodeFiles);
  assert.ok(p.ok, `${file} prepares`);
  const one = new ScenarioExplorer(p.prepared, options);
  while (one.step());
  const split = new ScenarioSplit(p.prepared, options);
  const prefixes = split.subtrees();
  const results: SubtreeResult[] = [];
  // Last first, each to the whole budget: what another thread may do ahead of the one-thread order.
  for (let k = prefixes.length - 1; k >= 0; k--) {
    const ex = split.subtree(prefixes[k]!, k, split.max);
    while (ex.step());
    results[k] = ex.result();
  }
  return { one: one.finish(), split: split.finish(results, 'cancelled'), subtrees: prefixes.length };
}

for (const file of scenarios) {
  test(`${file}: the subtrees joined give the one-thread exploration's report`, async () => {
    const r = await both(file, { strategy: 'dfs', maxSchedules: 120, estimateProbes: 4, label: file });
    assert.deepEqual(r.split, r.one);
  });
}

test('without reduction, with --keep-going, and cut by the budget inside a subtree: still the one-thread report', async () => {
  const race = 'test/fixtures/explore/cancel-race/race.fltsim';
  const kept = await both(race, { strategy: 'dfs', maxSchedules: 60, keepGoing: true, estimateProbes: 0, label: race });
  assert.deepEqual(kept.split, kept.one);
  const report = (kept.one as { report: { schedules: { run: number; failing: number }; stoppedBy: string } }).report;
  assert.deepEqual([report.schedules.run, report.stoppedBy], [60, 'max-schedules']);
  assert.ok(report.schedules.failing > 1, 'keep-going counted several failing schedules');
  const full = await both('test/fixtures/explore/cancel-race/three.fltsim', { strategy: 'dfs', reduction: false, maxSchedules: 233, estimateProbes: 0 });
  assert.deepEqual(full.split, full.one);
  assert.ok(full.subtrees > 1, 'the search has several subtrees');
  const bounded = await both('test/fixtures/explore/flag-race/fixed.fltsim', { strategy: 'dfs', preemptions: 1, estimateProbes: 0 });
  assert.deepEqual(bounded.split, bounded.one);
});

test('a subtree never explored ends the joined report where it stands, not exhaustive', async () => {
  const file = 'test/fixtures/explore/cancel-race/fixed.fltsim';
  const p = await prepareScenario(path.join(ROOT, file), nodeFiles);
  assert.ok(p.ok);
  const split = new ScenarioSplit(p.prepared, { strategy: 'dfs', estimateProbes: 0 });
  const prefixes = split.subtrees();
  const ex = split.subtree(prefixes[0]!, 0, split.max);
  while (ex.step());
  const first = ex.result();
  assert.ok(prefixes.length > 1, 'the search has several subtrees');
  const { report } = split.finish([first, ...prefixes.slice(1).map(() => undefined)], 'time-limit');
  assert.equal(report.stoppedBy, 'time-limit');
  assert.equal(report.schedules.exhaustive, false);
  assert.equal(report.schedules.run, first.hashA.length);
});
