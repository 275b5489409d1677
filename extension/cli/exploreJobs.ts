/**
 * `fltsim explore` on several threads (`--jobs N`; by default as many as the machine has processors):
 * the depth-first search's subtrees (engine/run/exploreSplit.ts), in the one-thread search's order,
 * are handed out to this thread and N-1 worker threads as each one frees up, and the report joined
 * from their logs is the one-thread report. A subtree the one-thread search would never reach (a
 * failure or the schedule budget comes first) is not handed out, or dropped if under way.
 *
 * This thread explores too, in slices between which it hands out work, so the workers' start-up
 * (each loads the bundle and prepares the scenario itself: compiled code does not cross threads)
 * overlaps with exploring instead of delaying it. The workers run this same file:
 * `runExploreWorker` is their entry point.
 */
import * as path from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { prepareScenario, ScenarioSplit, type ExploreStop, type PreparedScenario, type ScenarioExploration, type ScenarioExploreOptions, type SubtreeResult } from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';

/** What a worker is started with: plain data (it crosses a thread boundary). */
export interface ExploreWorkerInit {
  kind: 'fltsim-explore-worker';
  scenarioPath: string;
  options: Omit<ScenarioExploreOptions, 'relativize' | 'shouldStop' | 'shard'>;
  /** Wall-clock deadline (ms since the epoch), or null. */
  deadline: number | null;
  /** Int32 slots: [0] non-zero once the exploration is cancelled; [1 + slot] 1 + the index of a subtree this worker is to drop. */
  stop: SharedArrayBuffer;
  slot: number;
}

interface SubtreeTask {
  index: number;
  prefix: number[];
  /** At most this many schedules: what the one-thread search could still run when it was handed out. */
  cap: number;
}

type ToWorker = { task: SubtreeTask };
type FromWorker =
  | { ready: true }
  | { progress: { schedules: number; failing: number } }
  | { result: SubtreeResult }
  | { error: string };

export function isExploreWorker(data: unknown): data is ExploreWorkerInit {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'fltsim-explore-worker';
}

/** How long this thread explores before it lets messages in (and hands out work). */
const SLICE_MS = 20;
const PROGRESS_MS = 250;
/** How often a worker says how far its subtree got: often, so a subtree past the budget is dropped soon. */
const WORKER_PROGRESS_MS = 50;

/** Why a thread's current subtree should stop: the exploration cancelled or out of time, or the subtree no longer needed. */
function stopCheck(stop: Int32Array, deadline: number | null, dropped: () => boolean): () => 'time-limit' | 'cancelled' | undefined {
  return () => (Atomics.load(stop, 0) !== 0 || dropped() ? 'cancelled' : deadline !== null && Date.now() >= deadline ? 'time-limit' : undefined);
}

/** A worker's whole life: prepare the scenario, then explore each subtree it is handed. */
export async function runExploreWorker(init: ExploreWorkerInit = workerData as ExploreWorkerInit): Promise<void> {
  const port = parentPort!;
  const post = (m: FromWorker): void => port.postMessage(m);
  try {
    const prepared = await prepareScenario(init.scenarioPath, nodeFiles);
    if (!prepared.ok) {
      post({ error: prepared.diagnostics.map((d) => d.message).join('; ') });
      return;
    }
    const split = new ScenarioSplit(prepared.prepared, init.options);
    const stop = new Int32Array(init.stop);
    port.on('message', ({ task }: ToWorker) => {
      try {
        const ex = split.subtree(task.prefix, task.index, task.cap, stopCheck(stop, init.deadline, () => Atomics.load(stop, 1 + init.slot) === task.index + 1));
        let last = Date.now();
        while (ex.step()) {
          if (Date.now() - last > WORKER_PROGRESS_MS) {
            last = Date.now();
            post({ progress: ex.progress });
          }
        }
        post({ result: ex.result() });
      } catch (err) {
        post({ error: err instanceof Error ? err.message : String(err) });
      }
    });
    post({ ready: true });
  } catch (err) {
    post({ error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Explores `prepared` (dfs) on this thread and `jobs - 1` workers. `onProgress` hears rough counts
 * (schedules run on every thread, some of which the report may not count); `stop` (set by the caller
 * on a signal) ends the exploration with what it has.
 */
export async function exploreInThreads(
  prepared: PreparedScenario,
  init: Omit<ExploreWorkerInit, 'kind' | 'stop' | 'slot'> & { relativize: (file: string) => string },
  jobs: number,
  stop: SharedArrayBuffer,
  onProgress?: (p: { schedules: number; failing: number }) => void,
): Promise<ScenarioExploration> {
  const flags = new Int32Array(stop);
  const { relativize, ...plain } = init;
  const workers: Worker[] = [];
  const idle: number[] = [];
  /** The subtree each worker explores, by slot. */
  const busy = new Map<number, SubtreeTask>();
  /** What each thread's subtree has run so far (this thread's under slot -1). */
  const running = new Map<number, { index: number; schedules: number; failing: number }>();
  let failed: Error | undefined;
  // Set once the subtrees are listed; no worker has a result before it is handed a subtree.
  let record: (r: SubtreeResult) => void = () => undefined;
  let dropLate: () => void = () => undefined;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  // Started first: their start-up overlaps with this thread's own preparation of the search.
  for (let slot = 0; slot < jobs - 1; slot++) {
    const data: ExploreWorkerInit = { ...plain, kind: 'fltsim-explore-worker', stop, slot };
    // The bundled CLI starts a worker of itself (main.ts hands the init data to runExploreWorker).
    const worker = new Worker(path.resolve(__filename), { workerData: data });
    workers.push(worker);
    worker.on('message', (m: FromWorker) => {
      if ('ready' in m) idle.push(slot);
      else if ('progress' in m) {
        const task = busy.get(slot);
        if (task !== undefined) running.set(slot, { index: task.index, ...m.progress });
        dropLate();
      }
      else if ('result' in m) {
        const task = busy.get(slot);
        busy.delete(slot);
        running.delete(slot);
        idle.push(slot);
        // A dropped subtree's result is never read: an earlier subtree ends the search before it.
        if (task !== undefined && Atomics.load(flags, 1 + slot) !== task.index + 1) record(m.result);
      } else failed ??= new Error(`worker ${slot + 1}: ${m.error}`);
      poke();
    });
    worker.on('error', (e) => {
      failed ??= e;
      poke();
    });
    worker.on('exit', (code) => {
      if (busy.has(slot) || !idle.includes(slot)) failed ??= new Error(`worker ${slot + 1} exited (${code}) before its work was done`);
      poke();
    });
  }

  try {
    const split = new ScenarioSplit(prepared, { ...plain.options, relativize });
    const prefixes = split.subtrees();
    const results: (SubtreeResult | undefined)[] = new Array<SubtreeResult | undefined>(prefixes.length).fill(undefined);
    const keepGoing = plain.options.keepGoing === true;
    let next = 0;
    let ownDone = { schedules: 0, failing: 0 };
    let lastProgress = 0;

    // Schedules the one-thread search runs before subtree k, at least (the finished subtrees', and
    // what the running ones ran so far), and whether it reaches subtree k at all.
    const before = (k: number): number => {
      let n = results.slice(0, k).reduce((sum, r) => sum + (r?.hashA.length ?? 0), 0);
      for (const r of running.values()) if (r.index < k) n += r.schedules;
      return n;
    };
    const needed = (k: number): boolean => {
      if (!keepGoing && results.slice(0, k).some((r) => r !== undefined && r.failing.length > 0)) return false;
      return before(k) < split.max;
    };
    dropLate = () => {
      for (const [slot, task] of busy) if (!needed(task.index)) Atomics.store(flags, 1 + slot, task.index + 1);
    };
    const take = (): SubtreeTask | undefined => {
      if (Atomics.load(flags, 0) !== 0) return undefined;
      if (init.deadline !== null && Date.now() >= init.deadline) return undefined;
      while (next < prefixes.length && !needed(next)) next++;
      if (next >= prefixes.length) return undefined;
      const index = next++;
      return { index, prefix: prefixes[index]!, cap: split.max - before(index) };
    };
    record = (r) => {
      results[r.index] = r;
      ownDone = { schedules: ownDone.schedules + r.hashA.length, failing: ownDone.failing + r.failing.length };
      dropLate();
    };
    const report = (): void => {
      if (!onProgress || Date.now() - lastProgress < PROGRESS_MS) return;
      lastProgress = Date.now();
      let p = ownDone;
      for (const r of running.values()) p = { schedules: p.schedules + r.schedules, failing: p.failing + r.failing };
      onProgress(p);
    };
    const handOut = (): void => {
      while (idle.length > 0) {
        const task = take();
        if (task === undefined) return;
        const slot = idle.shift()!;
        busy.set(slot, task);
        workers[slot]!.postMessage({ task } satisfies ToWorker);
      }
    };

    // This thread's share: subtrees in turn, letting messages in between slices.
    for (let task = take(); task !== undefined; task = take()) {
      const mine = task;
      const ex = split.subtree(mine.prefix, mine.index, mine.cap, stopCheck(flags, init.deadline, () => !needed(mine.index)));
      let more = true;
      while (more) {
        const sliceEnd = Date.now() + SLICE_MS;
        while (more && Date.now() < sliceEnd) more = ex.step();
        running.set(-1, { index: mine.index, ...ex.progress });
        dropLate();
        report();
        await new Promise((r) => setImmediate(r));
        if (failed) throw failed;
        handOut();
      }
      running.delete(-1);
      const result = ex.result();
      // A dropped subtree's result is never read: an earlier subtree ends the search before it.
      if (needed(mine.index)) record(result);
    }
    // Then wait for the workers' subtrees.
    for (;;) {
      if (failed) throw failed;
      handOut();
      if (busy.size === 0) break;
      report();
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, PROGRESS_MS);
      });
    }
    const reason: ExploreStop = Atomics.load(flags, 0) !== 0 ? 'cancelled' : init.deadline !== null && Date.now() >= init.deadline ? 'time-limit' : 'cancelled';
    return split.finish(results, reason);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

