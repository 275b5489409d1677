/**
 * A cancel-safe queue written the way a minifilter writes one (its own list, its own lock), in
 * TypeScript, with every callback call recorded. Used by the cbdq tests.
 */
import { Ref, STATUS, defineFilter, type Co, type FltCallbackData, type Simulation } from '../../../engine';
import { CallLog, IRP_MJ, PRE, POST } from '../simHarness';

export type LockKind = 'spin' | 'mutex';

export interface QueueFixture {
  cbdq: Record<string, unknown>;
  list: FltCallbackData[];
  log: CallLog;
  /** Peek calls as [prev id or null, peek context]. */
  peeks: [number | null, unknown][];
  instance: () => unknown;
}

export interface QueueOptions {
  lock?: LockKind;
  /** Extra work inside Acquire after the lock is taken (a switch point, say). */
  afterAcquire?: () => Co<void>;
  /** Overrides CompleteCanceledIo. */
  completeCanceled?: (sim: Simulation, data: FltCallbackData) => Co<void>;
  /** Overrides Peek. */
  peek?: (list: FltCallbackData[], prev: FltCallbackData | null, ctx: unknown) => unknown;
  /** What the pre-op does when FltCbdqInsertIo fails (default: completes with the error). */
  onInsertFailure?: 'pend-anyway' | 'complete';
  /** Majors whose pre-op inserts into the queue (default: read). */
  majors?: number[];
  /** The pre-op for IRP_MJ_FILE_SYSTEM_CONTROL runs this (a controlled point in time to drain). */
  fsctl?: (sim: Simulation, q: QueueFixture) => Co<void>;
  teardownStart?: (sim: Simulation, q: QueueFixture) => Co<void>;
}

/** `PeekContext` that matches items whose read length equals `length`. */
export class LengthMatch {
  constructor(readonly length: number) {}
}

function matches(d: FltCallbackData, ctx: unknown): boolean {
  if (ctx instanceof LengthMatch) return (d.Iopb.Parameters.Read as { Length: number }).Length === ctx.length;
  return true;
}

export function queueFilter(sim: Simulation, opts: QueueOptions = {}) {
  const api = sim.api;
  const log = new CallLog(sim);
  const cbdq: Record<string, unknown> = {};
  const holder = { Lock: 0, Mutex: {} as Record<string, unknown> };
  const spin = new Ref(holder, 'Lock');
  const q: QueueFixture = { cbdq, list: [], log, peeks: [], instance: () => inst };
  let inst: unknown = null;
  const lock = opts.lock ?? 'spin';

  function* Acquire(_c: unknown, irql: Ref): Co<void> {
    log.add('Acquire');
    if (lock === 'spin') yield* api.KeAcquireSpinLock(spin, irql);
    else yield* api.ExAcquireFastMutex(holder.Mutex);
    if (opts.afterAcquire) yield* opts.afterAcquire();
  }
  function Release(_c: unknown, irql: number): void {
    log.add('Release');
    if (lock === 'spin') api.KeReleaseSpinLock(spin, irql);
    else api.ExReleaseFastMutex(holder.Mutex);
  }
  function Insert(_c: unknown, d: FltCallbackData): number {
    log.add('Insert', d);
    q.list.push(d);
    return STATUS.STATUS_SUCCESS;
  }
  function Remove(_c: unknown, d: FltCallbackData): void {
    log.add('Remove', d);
    const i = q.list.indexOf(d);
    if (i >= 0) q.list.splice(i, 1);
  }
  function Peek(_c: unknown, prev: FltCallbackData | null, ctx: unknown): unknown {
    log.add('Peek', prev);
    q.peeks.push([prev ? prev.id : null, ctx]);
    if (opts.peek) return opts.peek(q.list, prev, ctx);
    const start = prev === null ? 0 : q.list.indexOf(prev) + 1;
    for (let i = start; i < q.list.length; i++) if (matches(q.list[i]!, ctx)) return q.list[i];
    return null;
  }
  function* CompleteCanceled(_c: unknown, d: FltCallbackData): Co<void> {
    log.add('CompleteCanceled', d);
    if (opts.completeCanceled) {
      yield* opts.completeCanceled(sim, d);
      return;
    }
    d.IoStatus.Status = STATUS.STATUS_CANCELLED;
    d.IoStatus.Information = 0;
    yield* api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_COMPLETE, null);
  }

  const operations = (opts.majors ?? [IRP_MJ.READ]).map((major) => ({
    major,
    *pre(d: FltCallbackData): Co<number> {
      log.add('PreOp', d);
      const ioCtx = {};
      const st = yield* api.FltCbdqInsertIo(cbdq, d, ioCtx, null);
      if (st === STATUS.STATUS_SUCCESS) return PRE.FLT_PREOP_PENDING;
      if (opts.onInsertFailure === 'pend-anyway') return PRE.FLT_PREOP_PENDING;
      d.IoStatus.Status = st;
      return PRE.FLT_PREOP_COMPLETE;
    },
  }));
  if (opts.fsctl) {
    const body = opts.fsctl;
    operations.push({
      major: IRP_MJ.FILE_SYSTEM_CONTROL,
      *pre(): Co<number> {
        yield* body(sim, q);
        return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
      },
    });
  }
  const f = defineFilter(sim, {
    name: 'Csq',
    operations,
    instanceSetup: (objs: { Instance: unknown }) => {
      inst = objs.Instance;
      if (lock === 'mutex') api.ExInitializeFastMutex(holder.Mutex);
      else api.KeInitializeSpinLock(spin);
      return api.FltCbdqInitialize(objs.Instance, cbdq, Insert, Remove, Peek, Acquire, Release, CompleteCanceled);
    },
    teardownStart: opts.teardownStart ? function* TeardownStart(): Co<void> { yield* opts.teardownStart!(sim, q); } : null,
  });
  return { f, q };
}

/** Completes `d` with success, as a worker that finished the queued work would. */
export function* completeOk(sim: Simulation, d: FltCallbackData): Co<void> {
  yield* sim.api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
}

export { POST };
