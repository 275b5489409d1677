/**
 * `fltsim explore` on several threads (`--jobs N`, or helpers brought in once a search proves big):
 * the depth-first search starts as one subtree on this thread; a thread with nothing to do takes
 * part of a running thread's subtree (work stealing, engine/explore/split.ts), and the report
 * joined from every thread's log in the one-thread order is the one-thread report. A subtree the
 * one-thread search would never reach (a failure or the schedule budget comes first) is not handed
 * out, or dropped if under way.
 *
 * This thread explores too, in slices between which it hands out work and gives parts of its own
 * subtree away, so the workers' start-up (each loads the bundle and prepares the scenario itself:
 * compiled code does not cross threads) overlaps with exploring instead of delaying it. The workers
 * run this same file: `runExploreWorker` is their entry point.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import {
  DEFAULT_MAX_SCHEDULES, prepareScenario, ScenarioSplit, SubtreeOrder, type ExploreStop, type PreparedScenario, type ScenarioExploration, type ScenarioExploreOptions, type SubtreeResult,
} from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';

/** What a worker is started with: plain data (it crosses a thread boundary). */
export interface ExploreWorkerInit {
  kind: 'fltsim-explore-worker';
  scenarioPath: string;
  options: Omit<ScenarioExploreOptions, 'relativize' | 'shouldStop' | 'shard'>;
  /** Int32 slots, see `threadFlags`. */
  stop: SharedArrayBuffer;
  slot: number;
}

/**
 * The flags threads share: [0] non-zero once the exploration is cancelled; per worker slot, at
 * `dropAt(slot)` 1 + the id of a subtree it is to drop, at `stealAt(slot)` 1 + the id of a subtree
 * it is asked to give part of.
 */
export function threadFlags(jobs: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (1 + 2 * jobs));
}
const dropAt = (slot: number): number => 1 + 2 * slot;
const stealAt = (slot: number): number => 2 + 2 * slot;

interface SubtreeTask {
  id: number;
  prefix: number[];
  /** At most this many schedules: what the one-thread search could still run when it was handed out. */
  cap: number;
  /** Wall-clock deadline (ms since the epoch), or null. */
  deadline: number | null;
}

type ToWorker = { task: SubtreeTask };
type FromWorker =
  | { ready: true }
  | { progress: { schedules: number; failing: number } }
  | { donated: { id: number; prefixes: number[][] } }
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

/** A worker's whole life: prepare the scenario, then explore each subtree it is handed, giving parts away when asked. */
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
    const steal = stealAt(init.slot);
    port.on('message', ({ task }: ToWorker) => {
      try {
        const ex = split.subtree(task.prefix, task.id, task.cap, stopCheck(stop, task.deadline, () => Atomics.load(stop, dropAt(init.slot)) === task.id + 1));
        let last = Date.now();
        while (ex.step()) {
          // Asked between runs: the search's decisions are those of the run just finished.
          if (Atomics.load(stop, steal) === task.id + 1) {
            Atomics.store(stop, steal, 0);
            post({ donated: { id: task.id, prefixes: ex.donate() } });
          }
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
 * The CPU time of this process's busiest threads (Linux: /proc/self/task), to tell what a second
 * thread gave from what a loaded machine took away. FLTSIM_DEBUG only.
 */
function threadCpu(): string {
  try {
    const ticks = fs.readdirSync('/proc/self/task').map((t) => {
      const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))} ${(Number(f[11]) + Number(f[12])) * 10}`;
    });
    return ticks.filter((t) => Number(t.split(' ').pop()) >= 100).join(', ');
  } catch {
    return 'unknown';
  }
}

/** A subtree of the search, as this thread tracks it. */
interface Subtree {
  readonly id: number;
  state: 'waiting' | 'running' | 'done';
  /** The thread exploring it (-1: this one). */
  slot: number;
  /** Schedules and failing ones it ran so far (rough while it runs). */
  schedules: number;
  failing: number;
  result?: SubtreeResult;
}

/** This thread's own subtree. */
const HERE = -1;

/** The scenario prepared by the caller (undefined: it did not prepare), and the exploration's deadline. */
export type Preparing = Promise<{ prepared: PreparedScenario; deadline: number | null } | undefined>;

/**
 * Explores the scenario `preparing` gives (dfs) on this thread and up to `jobs - 1` workers,
 * started once this thread has explored for `helpersAfterMs` and the search is not over — or, when
 * `helpersAfterMs` is 0, before this thread's own preparation, so that the workers load and prepare
 * while it does. `onProgress` hears rough counts (schedules run on every thread, some of which the
 * report may not count); `stop` (from `threadFlags`; the caller sets [0] on a signal) ends the
 * exploration with what it has. Undefined when the scenario did not prepare.
 */
export async function exploreInThreads(
  preparing: Preparing,
  init: Omit<ExploreWorkerInit, 'kind' | 'stop' | 'slot'> & { relativize: (file: string) => string },
  jobs: number,
  stop: SharedArrayBuffer,
  onProgress?: (p: { schedules: number; failing: number }) => void,
  helpersAfterMs = 0,
): Promise<ScenarioExploration | undefined> {
  const flags = new Int32Array(stop);
  const { relativize, ...plain } = init;
  const workers: Worker[] = [];
  const idle: number[] = [];
  /** The subtree each worker explores, by slot. */
  const busy = new Map<number, Subtree>();
  /** Workers asked to give part of their subtree, not yet answered. */
  const asked = new Set<number>();
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };

  let split: ScenarioSplit;
  let deadline: number | null = null;
  const keepGoing = plain.options.keepGoing === true;
  const order = new SubtreeOrder();
  const subtrees = new Map<number, Subtree>([[0, { id: 0, state: 'waiting', slot: HERE, schedules: 0, failing: 0 }]]);
  let lastProgress = 0;

  // Schedules the one-thread search runs before subtree `id`, at least (the finished subtrees', and
  // what the running ones ran so far), and whether it reaches that subtree at all.
  const before = (id: number): number => {
    let n = 0;
    for (const other of order.ids) {
      if (other === id) break;
      const s = subtrees.get(other)!;
      n += s.result?.hashA.length ?? s.schedules;
    }
    return n;
  };
  const needed = (id: number): boolean => {
    for (const other of order.ids) {
      if (other === id) break;
      if (!keepGoing && (subtrees.get(other)!.result?.failing.length ?? 0) > 0) return false;
    }
    return before(id) < split.max;
  };
  const dropLate = (): void => {
    for (const [slot, s] of busy) if (!needed(s.id)) Atomics.store(flags, dropAt(slot), s.id + 1);
  };
  const over = (): boolean => Atomics.load(flags, 0) !== 0 || (deadline !== null && Date.now() >= deadline);
  /** The first subtree waiting that the search still needs, in the one-thread order. */
  const waiting = (): Subtree | undefined => {
    if (over()) return undefined;
    for (const id of order.ids) {
      const s = subtrees.get(id)!;
      if (s.state === 'waiting' && needed(id)) return s;
    }
    return undefined;
  };
  const take = (slot: number): SubtreeTask | undefined => {
    const s = waiting();
    if (s === undefined) return undefined;
    s.state = 'running';
    s.slot = slot;
    return { id: s.id, prefix: [...order.prefix(s.id)], cap: split.max - before(s.id), deadline };
  };
  const record = (r: SubtreeResult): void => {
    const s = subtrees.get(r.id)!;
    s.state = 'done';
    s.result = r;
    s.schedules = r.hashA.length;
    s.failing = r.failing.length;
    dropLate();
  };
  const given = (donor: number, prefixes: number[][]): void => {
    for (const id of order.given(donor, prefixes)) subtrees.set(id, { id, state: 'waiting', slot: HERE, schedules: 0, failing: 0 });
  };

  let own: { id: number; ex: ReturnType<ScenarioSplit['subtree']> } | undefined;
  /**
   * A thread has nothing to do: ask the running subtree earliest in the one-thread order (its
   * shallowest untried options come soonest after it) to give part of itself away. This thread's
   * own subtree gives at once; a worker's between two of its runs.
   */
  const steal = (forSlot: number): void => {
    if (over() || waiting() !== undefined) return;
    for (const id of order.ids) {
      const s = subtrees.get(id)!;
      if (s.state !== 'running' || s.slot === forSlot || !needed(id)) continue;
      if (s.slot === HERE) {
        const prefixes = own?.ex.donate() ?? [];
        if (prefixes.length === 0) continue;
        given(id, prefixes);
        return;
      }
      if (asked.has(s.slot)) return;
      asked.add(s.slot);
      Atomics.store(flags, stealAt(s.slot), id + 1);
      return;
    }
  };
  const handOut = (): void => {
    while (idle.length > 0) {
      const slot = idle[0]!;
      const task = take(slot);
      if (task === undefined) {
        steal(slot);
        const again = take(slot);
        if (again === undefined) return;
        idle.shift();
        busy.set(slot, subtrees.get(again.id)!);
        workers[slot]!.postMessage({ task: again } satisfies ToWorker);
        continue;
      }
      idle.shift();
      busy.set(slot, subtrees.get(task.id)!);
      workers[slot]!.postMessage({ task } satisfies ToWorker);
    }
  };
  const report = (): void => {
    if (!onProgress || Date.now() - lastProgress < PROGRESS_MS) return;
    lastProgress = Date.now();
    let p = { schedules: 0, failing: 0 };
    for (const s of subtrees.values()) p = { schedules: p.schedules + s.schedules, failing: p.failing + s.failing };
    onProgress(p);
  };
  /** When each worker was started, and how long it took to be ready (FLTSIM_DEBUG). */
  const startUp: number[] = [];
  const startWorker = (): void => {
    const slot = workers.length;
    const created = Date.now();
    const data: ExploreWorkerInit = { ...plain, kind: 'fltsim-explore-worker', stop, slot };
    // The bundled CLI starts a worker of itself (main.ts hands the init data to runExploreWorker).
    const worker = new Worker(path.resolve(__filename), { workerData: data });
    workers.push(worker);
    worker.on('message', (m: FromWorker) => {
      if ('ready' in m) {
        startUp[slot] = Date.now() - created;
        idle.push(slot);
      }
      else if ('progress' in m) {
        const s = busy.get(slot);
        if (s !== undefined) Object.assign(s, m.progress);
        dropLate();
      } else if ('donated' in m) {
        asked.delete(slot);
        const s = subtrees.get(m.donated.id);
        if (s !== undefined && s.state === 'running' && m.donated.prefixes.length > 0) given(s.id, m.donated.prefixes);
      } else if ('result' in m) {
        const s = busy.get(slot);
        busy.delete(slot);
        asked.delete(slot);
        Atomics.store(flags, stealAt(slot), 0);
        idle.push(slot);
        // A dropped subtree's result is never read: an earlier subtree ends the search before it.
        if (s !== undefined && Atomics.load(flags, dropAt(slot)) !== s.id + 1) record(m.result);
        else if (s !== undefined) s.state = 'done';
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
  };

  let started = Date.now();
  const budget = plain.options.maxSchedules ?? DEFAULT_MAX_SCHEDULES;
  const bringHelpers = (): void => {
    if (workers.length > 0 || jobs < 2 || Date.now() - started < helpersAfterMs) return;
    // Brought in late (--jobs auto), a helper pays only where the search still has far to go: the
    // options it takes lie after everything this thread has left, so near the budget its work would
    // fall past it and be dropped (measured: a 3,000-schedule budget ran 0.75x as fast with one).
    if (helpersAfterMs > 0) {
      let done = 0;
      for (const s of subtrees.values()) done += s.schedules;
      if (budget - done < 4 * done) return;
    }
    for (let k = 1; k < jobs; k++) startWorker();
  };
  try {
    if (helpersAfterMs <= 0) bringHelpers();
    const ready = await preparing;
    if (ready === undefined) return undefined;
    split = new ScenarioSplit(ready.prepared, { ...plain.options, relativize });
    deadline = ready.deadline;
    started = Date.now();
    for (;;) {
      if (failed) throw failed;
      bringHelpers();
      handOut();
      if (own === undefined) {
        const task = take(HERE);
        if (task !== undefined) {
          const id = task.id;
          own = { id, ex: split.subtree(task.prefix, id, task.cap, stopCheck(flags, deadline, () => !needed(id))) };
        }
      }
      if (own !== undefined) {
        const mine = own;
        const s = subtrees.get(mine.id)!;
        const sliceEnd = Date.now() + SLICE_MS;
        let more = true;
        while (more && Date.now() < sliceEnd) more = mine.ex.step();
        Object.assign(s, mine.ex.progress);
        if (!more) {
          own = undefined;
          const result = mine.ex.result();
          // A dropped subtree's result is never read: an earlier subtree ends the search before it.
          if (needed(mine.id)) record(result);
          else s.state = 'done';
        }
        dropLate();
        report();
        // Let the workers' messages in.
        await new Promise((r) => setImmediate(r));
        continue;
      }
      // Nothing of its own: take part of a worker's subtree, or wait for the workers to finish theirs.
      steal(HERE);
      if (waiting() !== undefined) continue;
      if (busy.size === 0) break;
      report();
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, PROGRESS_MS);
      });
    }
    const reason: ExploreStop = Atomics.load(flags, 0) !== 0 ? 'cancelled' : deadline !== null && Date.now() >= deadline ? 'time-limit' : 'cancelled';
    // How the search was shared out, for whoever measures --jobs (FLTSIM_DEBUG also shows internal errors' stacks).
    if (process.env.FLTSIM_DEBUG) {
      const by = new Map<number, number>();
      for (const s of subtrees.values()) by.set(s.slot, (by.get(s.slot) ?? 0) + s.schedules);
      process.stderr.write(`jobs: ${order.ids.length} subtrees; schedules by thread ${JSON.stringify([...by])}; ${Date.now() - started} ms exploring; workers ready after ${JSON.stringify(startUp)} ms; CPU ms of the busiest threads ${threadCpu()}\n`);
    }
    return split.finish(order.ids.map((id) => subtrees.get(id)!.result), reason);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
