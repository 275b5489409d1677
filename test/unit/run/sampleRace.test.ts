/**
 * The bundled race sample (samples/worker-flag-race) does what its README says: the scenario passes
 * as `fltsim run` runs it (samples.test.ts checks seeds 1-3), exploration finds the stranded read, the
 * schedule it records reproduces that, and the fixed build explores clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { exploreScenario, prepareScenario, runScenario, type PreparedScenario } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const SAMPLE = path.resolve('samples', 'worker-flag-race');

async function load(name: string): Promise<PreparedScenario> {
  const p = await prepareScenario(path.join(SAMPLE, `${name}.fltsim`), nodeFiles);
  if (!p.ok) throw new Error(p.diagnostics.map((d) => d.message).join('; '));
  return p.prepared;
}

const relativize = (f: string): string => path.basename(f);

test('worker-flag-race: exploration finds the read no worker completes, held back before WorkerActive = 0', async () => {
  const prepared = await load('race');
  assert.equal(runScenario(prepared).report.passed, true);
  const { report } = exploreScenario(prepared, { strategy: 'dfs', relativize, estimateProbes: 0 });
  assert.equal(report.passed, false);
  const f = report.failure!;
  // Preempted by the first read's thread, then kept off the processor while time passes to the second.
  assert.equal(f.preemptions, 2);
  assert.ok(f.reasons.some((r) => /^violation pended-pre-not-completed .*#2 was pended by flagworker/.test(r)), f.reasons.join(' | '));
  // The second read looks at the flag before the held-back worker clears it.
  const readAt = f.interleaving.findIndex((l) => /I\/O #2 \(read\) \[thread \d+\] read WorkerActive at flagworker\.c:\d+/.test(l));
  const clearAt = f.interleaving.findIndex((l) => /Delayed worker 1 \[thread \d+\] wrote WorkerActive at flagworker\.c:\d+/.test(l));
  assert.ok(readAt >= 0 && clearAt > readAt, f.interleaving.join('\n'));
  const again = runScenario(prepared, { schedule: f.schedule, relativize });
  assert.equal(again.report.passed, false);
  assert.deepEqual(again.report.schedule!.failures, f.reasons);
});

test('worker-flag-race: the fixed build explores clean and exhaustively within two preemptions (the race needs two)', async () => {
  const { report } = exploreScenario(await load('fixed'), { strategy: 'dfs', preemptions: 2, estimateProbes: 0 });
  assert.equal(report.passed, true);
  assert.equal(report.schedules.exhaustive, true);
  assert.ok(report.schedules.run > 1);
});
