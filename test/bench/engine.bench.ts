/**
 * Engine throughput: N operations (default 1,000,000), each pended by the filter's pre-op, handed
 * to a generic work item, and completed from the worker with FltCompletePendedPreOperation
 * (FLT_PREOP_COMPLETE). One filter, one processor. Compared with the floor: a bare TypeScript loop
 * doing the same bookkeeping with plain arrays — a record per operation, its state changes, a
 * work-queue push and pop, a result, and one event record (with a detail string) for each of the
 * transitions the engine records for the operation (12).
 *
 * By default the engine measured is the one the vsix ships: esbuild's minified bundle, made by
 * scripts/build.mjs --bench-bundle engine. `--source` runs the sources through tsx instead (slower:
 * its CommonJS transform turns every use of an imported binding into a property read), for
 * profiling with readable names.
 *
 *   npm run bench                         all benches
 *   FLTSIM_BENCH_OPS=100000 npm run bench  a shorter run
 *   node --import tsx test/bench/engine.bench.ts [--source | --bundle FILE]
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Co } from '../../engine/kernel/coroutine';
import type { FltCallbackData } from '../../engine/fltmgr/callbackData';

/** What the bench uses of the engine: straight from its modules, not engine/index.ts, so it loads only what it measures. */
type EngineApi = Pick<typeof import('../../engine/sim'), 'Simulation'> &
  Pick<typeof import('../../engine/fltmgr/define'), 'defineFilter'> &
  Pick<typeof import('../../engine/kernel/status'), 'STATUS'> & { flt: typeof import('../../engine/fltmgr/constants') };

function loadEngine(): EngineApi {
  /* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the sources through tsx, or a bundle made at run time */
  if (process.argv.includes('--source')) {
    return { ...require('../../engine/sim'), ...require('../../engine/fltmgr/define'), ...require('../../engine/kernel/status'), flt: require('../../engine/fltmgr/constants') } as EngineApi;
  }
  // --bundle FILE measures a bundle made earlier (another commit's), to compare two in one sitting.
  const given = process.argv.indexOf('--bundle');
  if (given >= 0 && process.argv[given + 1]) return require(resolve(process.argv[given + 1])) as EngineApi;
  const out = resolve('node_modules', '.cache', 'fltsim-bench', 'engine.cjs');
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--bench-bundle', 'engine', out], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('bundling the engine failed (scripts/build.mjs --bench-bundle engine)');
  return require(out) as EngineApi;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const { Simulation, defineFilter, STATUS, flt } = loadEngine();
const SOURCE = process.argv.includes('--source') ? 'sources through tsx' : process.argv.includes('--bundle') ? `bundle ${process.argv[process.argv.indexOf('--bundle') + 1]}` : 'esbuild bundle';
const N = Number(process.env.FLTSIM_BENCH_OPS ?? 1_000_000);
// The driver's constants, as compiled C has them.
const FLT_PREOP_PENDING = flt.FltPreopStatus.FLT_PREOP_PENDING;
const FLT_PREOP_COMPLETE = flt.FltPreopStatus.FLT_PREOP_COMPLETE;
const DelayedWorkQueue = flt.WorkQueueType.DelayedWorkQueue;
const IRP_MJ_READ = flt.IRP_MJ.READ;
/** Both sides keep only the newest events, as a debugger session on a long run would. */
const EVENT_LIMIT = Number(process.env.FLTSIM_BENCH_EVENTS ?? 10_000);

/**
 * CPU time of this process (all its threads, the garbage collector's included) rather than wall
 * time, so other work on the machine does not count.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function engineRun(n: number): { ms: number; events: number } {
  const sim = new Simulation({ seed: 1, eventLimit: EVENT_LIMIT, stepBudget: 100 * n + 1000 });
  const api = sim.api;
  function* Worker(item: unknown, _obj: unknown, data: FltCallbackData): Co<void> {
    api.FltFreeGenericWorkItem(item);
    data.IoStatus.Status = STATUS.STATUS_SUCCESS;
    yield* api.FltCompletePendedPreOperation(data, FLT_PREOP_COMPLETE, null);
  }
  function PreRead(data: FltCallbackData, objs: { Instance: unknown }): number {
    const wi = api.FltAllocateGenericWorkItem();
    api.FltQueueGenericWorkItem(wi, objs.Instance, Worker, DelayedWorkQueue, data);
    return FLT_PREOP_PENDING;
  }
  const f = defineFilter(sim, { name: 'Bench', operations: [{ major: IRP_MJ_READ, pre: PreRead }] });
  sim.loadDriver('bench', f.driverEntry);
  for (let i = 1; i <= n; i++) sim.io({ id: i, major: IRP_MJ_READ, path: '\\Device\\HarddiskVolume1\\bench.dat', length: 512, at: i });
  const t0 = cpuMs();
  const r = sim.run();
  const ms = cpuMs() - t0;
  if (r.reason !== 'done') throw new Error(`engine run ended with ${r.reason}`);
  if (sim.violations.length > 0) throw new Error(`engine run recorded violations: ${sim.violations.slice(0, 3).map((v) => v.message).join('; ')}`);
  for (const id of [1, n]) {
    const res = sim.result(id);
    if (!res || res.state !== 'done' || res.status !== STATUS.STATUS_SUCCESS) throw new Error(`operation #${id} did not complete`);
  }
  return { ms, events: sim.kernel.log.total };
}

// --- the floor ---

interface FloorEvent {
  seq: number;
  time: number;
  thread: number;
  kind: number;
  data: number;
  detail: string;
}

interface FloorRecord {
  id: number;
  state: number;
  status: number;
  history: FloorEvent[];
}

const ISSUED = 0, PREOP = 1, PENDED = 2, COMPLETED = 3, DONE = 4;

function floorRun(n: number): { ms: number; events: number } {
  const events: FloorEvent[] = [];
  let start = 0;
  let seq = 0;
  const work: { routine: number; ctx: FloorRecord }[] = [];
  let head = 0;
  const live = new Map<number, FloorRecord>();
  const results: number[] = [];
  const emit = (d: FloorRecord, kind: number, detail: string): void => {
    const e: FloorEvent = { seq: ++seq, time: d.id, thread: 1, kind, data: d.id, detail };
    d.history.push(e);
    events.push(e);
    if (events.length - start > EVENT_LIMIT) {
      start++;
      if (start > 1024 && start >= EVENT_LIMIT) {
        events.splice(0, start);
        start = 0;
      }
    }
  };
  const t0 = cpuMs();
  for (let i = 1; i <= n; i++) {
    // The same transitions the engine records for one operation, in the same order.
    const d: FloorRecord = { id: i, state: ISSUED, status: 0, history: [] };
    live.set(i, d);
    emit(d, 10, `clock ${i - 1} ms -> ${i} ms`);
    emit(d, 11, `I/O #${i} (read) starts`);
    emit(d, ISSUED, `#${i} IRP_MJ_READ issued on \\Device\\HarddiskVolume1\\bench.dat`);
    d.state = PREOP;
    emit(d, PREOP, `BenchPreRead(#${i}) in bench`);
    work.push({ routine: 1, ctx: d });
    emit(d, 5, `FltQueueGenericWorkItem(WI#${i}, Worker, DelayedWorkQueue)`);
    d.state = PENDED;
    emit(d, PENDED, `BenchPreRead pended #${i} (FLT_PREOP_PENDING)`);
    emit(d, 12, `I/O #${i} (read) exits`);
    const w = work[head++]!;
    if (head === work.length) {
      work.length = 0;
      head = 0;
    }
    emit(w.ctx, 6, `Worker(WI#${i}) starts in DelayedWorkQueue`);
    emit(w.ctx, 7, `FltFreeGenericWorkItem(WI#${i})`);
    w.ctx.state = COMPLETED;
    w.ctx.status = 0;
    emit(w.ctx, COMPLETED, `FltCompletePendedPreOperation(#${i}, FLT_PREOP_COMPLETE)`);
    w.ctx.state = DONE;
    emit(w.ctx, DONE, `#${i} done: STATUS_SUCCESS, 0 bytes`);
    results[i] = w.ctx.status;
    live.delete(i);
    emit(w.ctx, 8, `Worker(WI#${i}) returns`);
  }
  const ms = cpuMs() - t0;
  if (live.size !== 0) throw new Error('floor: records left');
  return { ms, events: seq };
}

function perSecond(ms: number): string {
  return Math.round((N / ms) * 1000).toLocaleString('en-US');
}

// Warm both up on a small run first, so the measured runs see optimized code; then take the best of
// three runs of each, interleaved, since other work on the machine slows single runs down.
engineRun(Math.min(N, 20_000));
floorRun(Math.min(N, 20_000));
const ROUNDS = Number(process.env.FLTSIM_BENCH_ROUNDS ?? 3);
let engine = { ms: Infinity, events: 0 };
let floor = { ms: Infinity, events: 0 };
for (let r = 0; r < ROUNDS; r++) {
  const e = engineRun(N);
  if (e.ms < engine.ms) engine = e;
  const f = floorRun(N);
  if (f.ms < floor.ms) floor = f;
}
console.log(`engine: ${perSecond(engine.ms)} ops/s (${N.toLocaleString('en-US')} pended operations in ${Math.round(engine.ms)} ms CPU, ${(engine.events / N).toFixed(1)} events per operation, best of ${ROUNDS}; ${SOURCE})`);
console.log(`floor: ${perSecond(floor.ms)} ops/s (plain-array bookkeeping, ${(floor.events / N).toFixed(1)} events per operation, best of ${ROUNDS})`);
console.log(`engine/floor time ratio: ${(engine.ms / floor.ms).toFixed(2)}x (target: within 3x, issue 18)`);
