/**
 * Cancel-safe callback data queues, built on the machinery IoCsq shares (kernel/csqCore.ts). The
 * queue object lives in the driver's own memory; the engine
 * keeps its state beside it. The model calls the driver's six callbacks the way the real queue (a
 * wrapper over IoCsq) does:
 *
 * - Insert, Remove and Peek always run between Acquire and Release.
 * - FltCbdqRemoveNextIo scans with Peek (PeekContext passed through), skips operations whose cancel
 *   is in progress, and returns NULL when nothing matches; it never returns a cancelled item.
 * - Cancelling a queued operation runs, in the cancelling thread: Acquire, Remove, Release, then
 *   CompleteCanceledIo (after the lock is released).
 * - Inserting an operation that was already cancelled inserts it, removes it again, and completes it
 *   through CompleteCanceledIo at once (the documented insert/cancel race).
 * - Only IRP-based operations may be inserted; a disabled queue refuses with STATUS_FLT_CBDQ_DISABLED.
 * - The IRQL bound is DISPATCH_LEVEL when Acquire takes a spin lock and APC_LEVEL otherwise; the
 *   model learns which by watching what Acquire acquires.
 */
import { addressOf } from '../kernel/marshal';
import type { Co } from '../kernel/coroutine';
import { CsqCore, type CsqCallbacks, type CsqFlavour, type CsqLockKind } from '../kernel/csqCore';
import type { DriverFn } from '../kernel/driverFn';
import { kernelFrame, type Kernel } from '../kernel/kernel';
import { ObjectStates, isAddressable } from '../kernel/objects';
import { formatStatus, ntError, ntSuccess, STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { callbackDataArg, FltCallbackData, type QueueHolder } from './callbackData';
import { FltPreopStatus, preopName } from './constants';
import { Instance } from './objects';

export type CbdqLockKind = CsqLockKind;

const CBDQ_NAMES: Record<keyof CsqCallbacks, string> = {
  insert: 'CbdqInsertIo', remove: 'CbdqRemoveIo', peek: 'CbdqPeekNextIo',
  acquire: 'CbdqAcquire', release: 'CbdqRelease', completeCanceled: 'CbdqCompleteCanceledIo',
};

const CBDQ_FLAVOUR: CsqFlavour<FltCallbackData> = {
  lockIrqlRule: 'cbdq-lock-irql',
  peekRule: 'cbdq-peek-contract',
  asItem: (v) => (v instanceof FltCallbackData ? v : null),
  label: (d) => d.label,
  id: (d) => d.id,
};

export class CbdqState implements QueueHolder {
  enabled = true;
  readonly core: CsqCore<FltCallbackData>;

  constructor(
    k: Kernel,
    readonly id: number,
    readonly object: object,
    readonly instance: Instance,
    callbacks: CsqCallbacks,
  ) {
    this.core = new CsqCore(k, object, callbacks, CBDQ_NAMES, CBDQ_FLAVOUR);
  }

  get name(): string {
    return `cbdq#${this.id} (${this.instance.filter.name})`;
  }

  /** Queued operations in the order they were inserted. */
  get items(): readonly FltCallbackData[] {
    return this.core.items;
  }

  get lockKind(): CbdqLockKind {
    return this.core.lockKind;
  }

  get names(): Record<keyof CsqCallbacks, string> {
    return this.core.names;
  }

  get callbacks(): CsqCallbacks {
    return this.core.callbacks;
  }

  /** Drops the engine's record of a queued operation. */
  forget(data: FltCallbackData): void {
    this.core.drop(data);
    if (data.cbdq === this) {
      data.cbdq = null;
      data.cbdqContext = null;
    }
  }
}

export class CbdqRoutines {
  /** Every cbdq initialized in the run. */
  readonly all: CbdqState[] = [];
  private readonly queues = new ObjectStates<CbdqState>();
  /** FLT_CALLBACK_DATA_QUEUE_IO_CONTEXT → the operation inserted with it. */
  private readonly ioContexts = new ObjectStates<FltCallbackData>();
  private count = 0;

  constructor(private readonly k: Kernel) {}

  FltCbdqInitialize(Instance_: unknown, Cbdq: unknown, CbdqInsertIo: DriverFn, CbdqRemoveIo: DriverFn, CbdqPeekNextIo: DriverFn, CbdqAcquire: DriverFn, CbdqRelease: DriverFn, CbdqCompleteCanceledIo: DriverFn): number {
    const k = this.k;
    if (!(Instance_ instanceof Instance)) {
      k.violation('bad-object', 'FltCbdqInitialize needs the PFLT_INSTANCE the queue belongs to');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!isAddressable(Cbdq) || typeof Cbdq !== 'object') {
      k.violation('null-param', 'FltCbdqInitialize needs the address of an FLT_CALLBACK_DATA_QUEUE');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const cbs = [CbdqInsertIo, CbdqRemoveIo, CbdqPeekNextIo, CbdqAcquire, CbdqRelease, CbdqCompleteCanceledIo];
    if (cbs.some((c) => !c)) {
      k.violation('null-param', 'FltCbdqInitialize needs all six queue callbacks');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const q = new CbdqState(k, ++this.count, Cbdq as object, Instance_, {
      insert: CbdqInsertIo, remove: CbdqRemoveIo, peek: CbdqPeekNextIo,
      acquire: CbdqAcquire, release: CbdqRelease, completeCanceled: CbdqCompleteCanceledIo,
    });
    this.queues.set(Cbdq, q);
    this.all.push(q);
    k.emit('cbdq-enable', 0, `FltCbdqInitialize: ${q.name} is ready and enabled`);
    return STATUS.STATUS_SUCCESS;
  }

  *FltCbdqInsertIo(Cbdq: unknown, CallbackData: unknown, Context: unknown, InsertContext: unknown): Co<number> {
    const k = this.k;
    const t = k.current;
    const q = this.queue(Cbdq, 'FltCbdqInsertIo');
    if (q === null) return STATUS.STATUS_INVALID_PARAMETER;
    const data = callbackDataArg(k, CallbackData, 'FltCbdqInsertIo');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    const failed = (status: number): number => {
      if (t.scope && t.scope.failedHandoff === null) t.scope.failedHandoff = 'cbdq';
      return status;
    };
    if (!data.isIrp) {
      k.violation('cbdq-non-irp', `FltCbdqInsertIo(${data.label}): only IRP-based operations may be queued; check FLT_IS_IRP_OPERATION first`, data.id);
      return failed(STATUS.STATUS_INVALID_PARAMETER);
    }
    if (data.cbdq !== null) {
      k.violation('bad-object', `FltCbdqInsertIo(${data.label}): the operation already sits in ${data.cbdq.name}`, data.id);
      return failed(STATUS.STATUS_INVALID_PARAMETER);
    }
    const depth = t.frames.length;
    t.frames.push(kernelFrame('FltCbdqInsertIo', 'fltmgr'));
    let status: number = STATUS.STATUS_SUCCESS;
    let cancelNow = false;
    try {
      const cell = yield* this.lock(t, q, 'FltCbdqInsertIo');
      if (!q.enabled) status = STATUS.STATUS_FLT_CBDQ_DISABLED;
      else {
        const r = yield* k.callDriver(t, q.callbacks.insert, q.names.insert, [q.object, data, InsertContext ?? null]);
        status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
        if (ntSuccess(status)) {
          q.core.items.push(data);
          data.cbdq = q;
          data.cbdqContext = Context ?? null;
          data.cancelTaken = false;
          if (isAddressable(Context)) this.ioContexts.set(Context, data);
          data.move(k, 'queued', q.name, 'cbdq-insert', `FltCbdqInsertIo(${data.label}) into ${q.name}`);
          if (data.cancelled) {
            // Cancelled before it was queued: the queue takes it straight back out and completes it as cancelled.
            data.cancelTaken = true;
            cancelNow = true;
            yield* this.removeLocked(t, q, data, 'it was already cancelled');
          }
        }
      }
      yield* this.unlock(t, q, cell);
      if (cancelNow) yield* this.completeCanceled(t, q, data);
    } finally {
      t.frames.length = depth;
    }
    if (status === STATUS.STATUS_FLT_CBDQ_DISABLED) data.note(k, 'cbdq-insert', `FltCbdqInsertIo(${data.label}) refused: ${q.name} is disabled (STATUS_FLT_CBDQ_DISABLED)`);
    if (!ntSuccess(status)) return failed(status);
    if (t.scope) t.scope.handoffs++;
    return status;
  }

  *FltCbdqRemoveIo(Cbdq: unknown, Context: unknown): Co<FltCallbackData | null> {
    const k = this.k;
    const t = k.current;
    const q = this.queue(Cbdq, 'FltCbdqRemoveIo');
    if (q === null) return null;
    if (Context === null || Context === undefined) {
      k.violation('cbdq-remove-null', 'FltCbdqRemoveIo was called with a NULL Context; pass the context given to FltCbdqInsertIo');
      return null;
    }
    const data = this.ioContexts.get(Context);
    if (data !== undefined && q.core.cancelling === data) {
      k.violation('cbdq-cancel-cb', `${q.names.completeCanceled} calls FltCbdqRemoveIo for ${data.label}, which the queue already removed`, data.id);
    }
    if (data !== undefined && data.cbdq === q && isFreed(Context)) {
      k.violation('cbdq-io-ctx-lifetime', `the queue I/O context of ${data.label} was freed while the operation was still queued`, data.id);
    }
    return yield* q.core.underLock(t, q.name, kernelFrame('FltCbdqRemoveIo', 'fltmgr'), 'FltCbdqRemoveIo', function* (this: CbdqRoutines): Co<FltCallbackData | null> {
      if (data === undefined || data.cbdq !== q || data.cancelTaken) return null;
      data.cancelTaken = true;
      yield* this.removeLocked(t, q, data, 'FltCbdqRemoveIo');
      return data;
    }.bind(this));
  }

  *FltCbdqRemoveNextIo(Cbdq: unknown, PeekContext: unknown): Co<FltCallbackData | null> {
    const k = this.k;
    const t = k.current;
    const q = this.queue(Cbdq, 'FltCbdqRemoveNextIo');
    if (q === null) return null;
    return yield* q.core.underLock(t, q.name, kernelFrame('FltCbdqRemoveNextIo', 'fltmgr'), 'FltCbdqRemoveNextIo', function* (this: CbdqRoutines): Co<FltCallbackData | null> {
      const next = yield* q.core.scan(t, q.name, PeekContext, (d) => !d.cancelTaken);
      if (next === null) return null;
      next.cancelTaken = true;
      yield* this.removeLocked(t, q, next, 'FltCbdqRemoveNextIo');
      return next;
    }.bind(this));
  }

  *FltCbdqEnable(Cbdq: unknown): Co<void> {
    yield* this.setEnabled(Cbdq, true, 'FltCbdqEnable');
  }

  *FltCbdqDisable(Cbdq: unknown): Co<void> {
    yield* this.setEnabled(Cbdq, false, 'FltCbdqDisable');
  }

  private *setEnabled(Cbdq: unknown, enabled: boolean, routine: string): Co<void> {
    const k = this.k;
    const t = k.current;
    const q = this.queue(Cbdq, routine);
    if (q === null) return;
    yield* q.core.underLock(t, q.name, kernelFrame(routine, 'fltmgr'), routine, function* (): Co<void> {
      q.enabled = enabled;
    });
    k.emit(enabled ? 'cbdq-enable' : 'cbdq-disable', 0, `${routine}(${q.name})${enabled ? '' : `: ${q.items.length} item(s) still queued`}`);
  }

  /**
   * The queue's cancel routine, run in the cancelling thread: Acquire, Remove, Release, then
   * CompleteCanceledIo. The caller has set the cancel flag and claimed the cancel routine.
   */
  *cancelQueued(t: KThread, data: FltCallbackData): Co<void> {
    const q = data.cbdq;
    if (!(q instanceof CbdqState)) return;
    this.k.touch(q.object, true);
    const depth = t.frames.length;
    t.frames.push(kernelFrame('FltpCbdqCancelRoutine', 'fltmgr'));
    try {
      const cell = yield* this.lock(t, q, null);
      if (data.cbdq === q) yield* this.removeLocked(t, q, data, 'cancellation');
      yield* this.unlock(t, q, cell);
      yield* this.completeCanceled(t, q, data);
    } finally {
      t.frames.length = depth;
    }
  }

  /** The queue that FltCbdqInitialize set up for this object, or null (cbdq-uninitialized). */
  private queue(Cbdq: unknown, routine: string): CbdqState | null {
    const q = this.queues.get(Cbdq);
    if (q === undefined) {
      this.k.violation('cbdq-uninitialized', `${routine} was called on a queue that FltCbdqInitialize never set up`);
      return null;
    }
    return q;
  }

  private lock(t: KThread, q: CbdqState, routine: string | null): Co<{ Irql: number }> {
    return q.core.lock(t, q.name, routine);
  }

  private unlock(t: KThread, q: CbdqState, cell: { Irql: number }): Co<void> {
    return q.core.unlock(t, cell);
  }

  /** Calls the driver's Remove callback (the lock is held) and takes the operation off the books. */
  private *removeLocked(t: KThread, q: CbdqState, data: FltCallbackData, why: string): Co<void> {
    const k = this.k;
    yield* k.callDriver(t, q.callbacks.remove, q.names.remove, [q.object, data]);
    q.forget(data);
    data.move(k, 'removed', q.name, 'cbdq-remove', `${q.names.remove}(${data.label}) out of ${q.name} (${why})`);
  }

  private *completeCanceled(t: KThread, q: CbdqState, data: FltCallbackData): Co<void> {
    const k = this.k;
    const resumedBefore = data.resumed;
    q.core.cancelling = data;
    try {
      yield* k.callDriver(t, q.callbacks.completeCanceled, q.names.completeCanceled, [q.object, data]);
    } finally {
      q.core.cancelling = null;
    }
    if (data.resumed === resumedBefore && data.early === null) {
      k.violation('cbdq-cancel-cb', `${q.names.completeCanceled} returned without completing ${data.label}; it must call FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL)`, data.id);
      return;
    }
    const how = data.early ? data.early.status : data.lastResumeStatus;
    if (how !== FltPreopStatus.FLT_PREOP_COMPLETE) {
      k.violation('cbdq-cancel-cb', `${q.names.completeCanceled} resumed ${data.label} with ${preopName(how)}; a cancelled operation must be completed with FLT_PREOP_COMPLETE`, data.id);
    } else if (!ntError(data.IoStatus.Status)) {
      k.violation('cbdq-cancel-cb', `${q.names.completeCanceled} completed ${data.label} with ${formatStatus(data.IoStatus.Status)}; a cancelled operation needs an error status such as STATUS_CANCELLED`, data.id);
    }
  }
}

/** Whether the memory an I/O context lives in has been freed. */
function isFreed(context: unknown): boolean {
  const a = addressOf(context) as { alloc?: { freed?: boolean } } | undefined;
  return a?.alloc?.freed === true;
}
