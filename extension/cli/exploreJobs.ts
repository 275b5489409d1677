/**
 * `fltsim explore --jobs N`: the exploration split into N shards (the same split `--shard I/N` makes
 * for CI jobs), each explored in a worker thread of this process, and their reports joined into one
 * (joinShardReports). The workers run this same file: `runShardWorker` is their entry point.
 */
import * as path from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { joinShardReports, prepareScenario, ScenarioExplorer, type ExploreReport, type ReplayFile, type ScenarioExploreOptions } from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';
import { relative } from './paths';

/** What a worker is given: plain data (it crosses a thread boundary). */
export interface ShardTask {
  kind: 'fltsim-explore-shard';
  scenarioPath: string;
  options: Omit<ScenarioExploreOptions, 'relativize' | 'shouldStop' | 'shard'>;
  shard: { index: number; count: number };
  /** Wall-clock deadline (ms since the epoch), or null. */
  deadline: number | null;
  /** One Int32: non-zero once the exploration is cancelled. */
  stop: SharedArrayBuffer;
}

type WorkerMessage =
  | { progress: { schedules: number; failing: number } }
  | { done: { report: ExploreReport; replay: ReplayFile | null } }
  | { error: string };

export function isShardTask(data: unknown): data is ShardTask {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'fltsim-explore-shard';
}

/** A worker's whole life: explore its shard, posting progress, then its report. */
export async function runShardWorker(task: ShardTask = workerData as ShardTask): Promise<void> {
  const port = parentPort!;
  const post = (m: WorkerMessage): void => port.postMessage(m);
  try {
    const prepared = await prepareScenario(task.scenarioPath, nodeFiles);
    if (!prepared.ok) {
      post({ error: prepared.diagnostics.map((d) => d.message).join('; ') });
      return;
    }
    const stop = new Int32Array(task.stop);
    const explorer = new ScenarioExplorer(prepared.prepared, {
      ...task.options,
      shard: task.shard,
      relativize: relative,
      shouldStop: () => (Atomics.load(stop, 0) !== 0 ? 'cancelled' : task.deadline !== null && Date.now() >= task.deadline ? 'time-limit' : undefined),
    });
    let last = 0;
    while (explorer.step()) {
      if (Date.now() - last > 250) {
        last = Date.now();
        post({ progress: explorer.progress });
      }
    }
    post({ progress: explorer.progress });
    post({ done: explorer.finish() });
  } catch (err) {
    post({ error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Explores `task`'s scenario as `jobs` shards in parallel. `onProgress` hears the summed counts;
 * `stop` (set by the caller on a signal) makes every worker end with the report it has.
 */
export async function exploreInWorkers(
  base: Omit<ShardTask, 'kind' | 'shard' | 'stop'>,
  jobs: number,
  stop: SharedArrayBuffer,
  onProgress?: (p: { schedules: number; failing: number }) => void,
): Promise<{ report: ExploreReport; replay: ReplayFile | null }> {
  const progress = new Array<{ schedules: number; failing: number }>(jobs).fill({ schedules: 0, failing: 0 });
  const results = await Promise.all(
    Array.from({ length: jobs }, (_, i) => {
      // The estimate of the schedule count is the same whichever shard makes it: the first does.
      const options = i === 0 ? base.options : { ...base.options, estimateProbes: 0 };
      const task: ShardTask = { ...base, options, kind: 'fltsim-explore-shard', shard: { index: i + 1, count: jobs }, stop };
      return new Promise<{ report: ExploreReport; replay: ReplayFile | null }>((resolve, reject) => {
        // The bundled CLI starts a worker of itself (main.ts hands a shard task to runShardWorker).
        const worker = new Worker(path.resolve(__filename), { workerData: task });
        let settled = false;
        worker.on('message', (m: WorkerMessage) => {
          if ('progress' in m) {
            progress[i] = m.progress;
            onProgress?.(progress.reduce((a, p) => ({ schedules: a.schedules + p.schedules, failing: a.failing + p.failing }), { schedules: 0, failing: 0 }));
          } else if ('done' in m) {
            settled = true;
            resolve(m.done);
          } else {
            settled = true;
            reject(new Error(`shard ${i + 1}/${jobs}: ${m.error}`));
          }
        });
        worker.on('error', (e) => {
          settled = true;
          reject(e);
        });
        worker.on('exit', (code) => {
          if (!settled) reject(new Error(`shard ${i + 1}/${jobs}: the worker exited (${code}) without a report`));
        });
      });
    }),
  );
  const joined = joinShardReports(results.map((r) => r.report), jobs);
  if (!joined.ok) throw new Error(joined.message);
  const report = joined.report;
  // The replay file of the failure the joined report chose (the lowest-numbered failing shard's).
  const chosen = results.map((r) => r.report).sort((a, b) => (a.shard?.index ?? 1) - (b.shard?.index ?? 1)).find((r) => r.failure !== null);
  const replay = chosen ? results.find((r) => r.report === chosen)!.replay : null;
  return { report, replay };
}
