/**
 * Cancel-safe IRP queues (IoCsq*): a driver keeps IRPs it pends (usually IOCTLs on its control
 * device) in a queue of its own, and the I/O manager's queue routines make cancellation safe. The
 * machinery shared with the Filter Manager's cbdq lives in csqCore.ts; this module adds what is
 * particular to IRPs:
 *
 * - IoCsqInsertIrp(Ex) takes the lock, calls the driver's Insert (the Ex form may refuse with an
 *   error status, and then nothing is queued), marks the IRP pending, records the IO_CSQ_IRP_CONTEXT
 *   if one is given and sets the queue's own cancel routine. An IRP already cancelled comes straight
 *   back out and goes to the driver's CompleteCanceledIrp.
 * - IoCsqRemoveIrp (by context) and IoCsqRemoveNextIrp (by Peek) clear the cancel routine before
 *   taking an IRP; an IRP whose cancel routine is already running stays for the cancel path, so
 *   neither ever returns a cancelled IRP.
 * - Cancelling a queued IRP (IoCancelIrp, a workload `cancel #N`) runs the queue's cancel routine:
 *   it releases the cancel spin lock, then Acquire, Remove, Release, and CompleteCanceledIrp, which
 *   must complete the IRP with an error status.
 * - Completing an IRP that still sits in the queue is csq-complete-queued (irp.ts asks `irp.csq`).
 */
import type { Co } from './coroutine';
import { CsqCore, type CsqCallbacks, type CsqFlavour } from './csqCore';
import type { FunctionValue } from './cvalues';
import type { DriverFn } from './driverFn';
import { Irp } from './irp';
import { SL_PENDING_RETURNED } from './irpCompletion';
import { kernelFrame, type Kernel } from './kernel';
import { ObjectStates, isAddressable } from './objects';
import type { SpinLockRoutines } from './spinlocks';
import { formatStatus, ntError, ntSuccess, STATUS } from './status';
import type { KThread } from './thread';

const IO_TYPE_CSQ_IRP_CONTEXT = 1;

const CSQ_NAMES: Record<keyof CsqCallbacks, string> = {
  insert: 'CsqInsertIrp', remove: 'CsqRemoveIrp', peek: 'CsqPeekNextIrp',
  acquire: 'CsqAcquireLock', release: 'CsqReleaseLock', completeCanceled: 'CsqCompleteCanceledIrp',
};

const CSQ_FLAVOUR: CsqFlavour<Irp> = {
  lockIrqlRule: 'csq-lock-irql',
  peekRule: 'csq-peek-contract',
  asItem: (v) => (v instanceof Irp ? v : null),
  label: (irp) => irp.label,
  id: () => 0,
};

/** The fields of IO_CSQ_IRP_CONTEXT the queue writes. */
interface IrpContextView {
  Type: number;
  Irp: unknown;
  Csq: unknown;
}

export class CsqState {
  readonly core: CsqCore<Irp>;
  /** A queued IRP → the IO_CSQ_IRP_CONTEXT it was inserted with. */
  readonly contexts = new Map<Irp, IrpContextView>();

  constructor(
    k: Kernel,
    readonly id: number,
    readonly object: object,
    callbacks: CsqCallbacks,
    /** Initialised with IoCsqInitializeEx: Insert returns a status and takes an insert context. */
    readonly ex: boolean,
  ) {
    this.core = new CsqCore(k, object, callbacks, CSQ_NAMES, CSQ_FLAVOUR);
  }

  get name(): string {
    return `csq#${this.id}`;
  }
}

export class CsqRoutines {
  /** Every queue initialised in the run. */
  readonly all: CsqState[] = [];
  private readonly queues = new ObjectStates<CsqState>();
  /** IO_CSQ_IRP_CONTEXT → the IRP inserted with it (and not removed since). */
  private readonly irpContexts = new ObjectStates<Irp>();
  private count = 0;

  constructor(
    private readonly k: Kernel,
    private readonly spin: SpinLockRoutines,
  ) {}

  IoCsqInitialize(Csq: unknown, CsqInsertIrp: DriverFn, CsqRemoveIrp: DriverFn, CsqPeekNextIrp: DriverFn, CsqAcquireLock: DriverFn, CsqReleaseLock: DriverFn, CsqCompleteCanceledIrp: DriverFn): number {
    return this.initialize('IoCsqInitialize', false, Csq, [CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp]);
  }

  IoCsqInitializeEx(Csq: unknown, CsqInsertIrp: DriverFn, CsqRemoveIrp: DriverFn, CsqPeekNextIrp: DriverFn, CsqAcquireLock: DriverFn, CsqReleaseLock: DriverFn, CsqCompleteCanceledIrp: DriverFn): number {
    return this.initialize('IoCsqInitializeEx', true, Csq, [CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp]);
  }

  private initialize(routine: string, ex: boolean, Csq: unknown, cbs: DriverFn[]): number {
    const k = this.k;
    k.checkIrql(routine);
    if (!isAddressable(Csq) || typeof Csq !== 'object') {
      k.violation('null-param', `${routine} needs the address of an IO_CSQ in the driver's memory`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (cbs.some((c) => !c)) {
      k.violation('null-param', `${routine} needs all six queue callbacks (insert, remove, peek-next, acquire, release, complete-canceled)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const [insert, remove, peek, acquire, release, completeCanceled] = cbs as [DriverFn, DriverFn, DriverFn, DriverFn, DriverFn, DriverFn];
    const q = new CsqState(k, ++this.count, Csq as object, { insert, remove, peek, acquire, release, completeCanceled }, ex);
    const view = Csq as { Type?: number };
    if ('Type' in view) view.Type = ex ? 3 : 2;
    const old = this.queues.get(Csq);
    if (old !== undefined && old.core.items.length > 0) {
      k.violation('invalid-parameter', `${routine} on ${old.name} while ${old.core.items.length} IRP(s) are still queued in it; initialise a queue once, before it is used`);
    }
    this.queues.set(Csq, q);
    this.all.push(q);
    k.emit('cbdq-enable', 0, `${routine}: ${q.name} is ready (${q.core.names.insert}, ${q.core.names.acquire})`);
    return STATUS.STATUS_SUCCESS;
  }

  *IoCsqInsertIrp(Csq: unknown, Irp_: unknown, Context: unknown): Co<void> {
    const q = this.queue(Csq, 'IoCsqInsertIrp');
    if (q === null) return;
    if (q.ex) {
      this.k.violation('invalid-parameter', `IoCsqInsertIrp on ${q.name}, which IoCsqInitializeEx set up: its insert callback takes an insert context and returns a status, so use IoCsqInsertIrpEx`);
    }
    yield* this.insert('IoCsqInsertIrp', q, Irp_, Context, null);
  }

  *IoCsqInsertIrpEx(Csq: unknown, Irp_: unknown, Context: unknown, InsertContext: unknown): Co<number> {
    const q = this.queue(Csq, 'IoCsqInsertIrpEx');
    if (q === null) return STATUS.STATUS_INVALID_PARAMETER;
    return yield* this.insert('IoCsqInsertIrpEx', q, Irp_, Context, InsertContext ?? null);
  }

  private *insert(routine: string, q: CsqState, Irp_: unknown, Context: unknown, insertContext: unknown): Co<number> {
    const k = this.k;
    const t = k.current;
    if (!(Irp_ instanceof Irp) || Irp_.freed || Irp_.completed) {
      k.violation(Irp_ === null || Irp_ === undefined ? 'null-param' : 'bad-object', `${routine} needs an IRP the driver holds${Irp_ instanceof Irp ? ', not one already completed' : ''}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const irp = Irp_;
    if (irp.csq !== null) {
      k.violation('bad-object', `${routine}(${irp.label}): the IRP already sits in ${irp.csq.name}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const ctx = this.contextView(Context);
    const depth = t.frames.length;
    t.frames.push(kernelFrame(routine, 'io'));
    let status: number = STATUS.STATUS_SUCCESS;
    let cancelNow = false;
    try {
      const cell = yield* q.core.lock(t, q.name, routine);
      const args = q.ex ? [q.object, irp, insertContext] : [q.object, irp];
      const r = yield* k.callDriver(t, q.core.callbacks.insert, q.core.names.insert, args);
      if (q.ex) status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
      if (ntSuccess(status)) {
        q.core.items.push(irp);
        irp.csq = q;
        const stack = irp.currentStack(k.marshal.struct('_IO_STACK_LOCATION')) as unknown as { Control: number };
        stack.Control = Number(stack.Control) | SL_PENDING_RETURNED;
        if (ctx !== null) {
          ctx.Type = IO_TYPE_CSQ_IRP_CONTEXT;
          ctx.Irp = irp;
          ctx.Csq = q.object;
          q.contexts.set(irp, ctx);
          this.irpContexts.set(Context, irp);
        }
        irp.view.CancelRoutine = this.cancelRoutineFor(q, irp);
        k.emit('cbdq-insert', 0, `${routine}(${irp.label}) into ${q.name}: marked pending, cancel routine set`);
        if (Number(irp.view.Cancel) !== 0) {
          // Cancelled before it was queued: the queue takes it straight back out (the cancel routine never ran).
          irp.view.CancelRoutine = null;
          cancelNow = true;
          yield* this.removeLocked(t, q, irp, 'it was already cancelled');
        }
      }
      yield* q.core.unlock(t, cell);
      if (cancelNow) yield* this.completeCanceled(t, q, irp);
    } finally {
      t.frames.length = depth;
    }
    return status;
  }

  *IoCsqRemoveIrp(Csq: unknown, Context: unknown): Co<Irp | null> {
    const k = this.k;
    const t = k.current;
    const q = this.queue(Csq, 'IoCsqRemoveIrp');
    if (q === null) return null;
    if (Context === null || Context === undefined) {
      k.violation('null-param', 'IoCsqRemoveIrp needs the IO_CSQ_IRP_CONTEXT the IRP was inserted with');
      return null;
    }
    const irp = this.irpContexts.get(Context);
    return yield* q.core.underLock(t, q.name, kernelFrame('IoCsqRemoveIrp', 'io'), 'IoCsqRemoveIrp', function* (this: CsqRoutines): Co<Irp | null> {
      if (irp === undefined || irp.csq !== q || !this.claim(irp)) return null;
      yield* this.removeLocked(t, q, irp, 'IoCsqRemoveIrp');
      return irp;
    }.bind(this));
  }

  *IoCsqRemoveNextIrp(Csq: unknown, PeekContext: unknown): Co<Irp | null> {
    const k = this.k;
    const t = k.current;
    const q = this.queue(Csq, 'IoCsqRemoveNextIrp');
    if (q === null) return null;
    return yield* q.core.underLock(t, q.name, kernelFrame('IoCsqRemoveNextIrp', 'io'), 'IoCsqRemoveNextIrp', function* (this: CsqRoutines): Co<Irp | null> {
      const next = yield* q.core.scan(t, q.name, PeekContext, (irp) => this.claim(irp));
      if (next !== null) yield* this.removeLocked(t, q, next, 'IoCsqRemoveNextIrp');
      return next;
    }.bind(this));
  }

  /** Clears the IRP's cancel routine; false when it was already gone (its cancel is under way). */
  private claim(irp: Irp): boolean {
    const had = irp.view.CancelRoutine;
    irp.view.CancelRoutine = null;
    return had !== null && had !== undefined;
  }

  /**
   * The queue's cancel routine for one IRP, as IoCancelIrp calls it (the cancel spin lock held): a
   * function value, so it can sit in Irp->CancelRoutine like a driver's own routine.
   */
  private cancelRoutineFor(q: CsqState, irp: Irp): FunctionValue {
    const run = function* (this: CsqRoutines): Co<void> {
      const t = this.k.current;
      this.spin.IoReleaseCancelSpinLock(Number(irp.view.CancelIrql));
      yield* this.cancelQueued(t, q, irp);
    };
    return { kind: 'function', name: 'IoCsqCancelRoutine', module: 'nt', call: () => run.call(this) };
  }

  private *cancelQueued(t: KThread, q: CsqState, irp: Irp): Co<void> {
    const depth = t.frames.length;
    t.frames.push(kernelFrame('IoCsqCancelRoutine', 'io'));
    try {
      const cell = yield* q.core.lock(t, q.name, null);
      if (irp.csq === q) yield* this.removeLocked(t, q, irp, 'cancellation');
      yield* q.core.unlock(t, cell);
      yield* this.completeCanceled(t, q, irp);
    } finally {
      t.frames.length = depth;
    }
  }

  /** Calls the driver's Remove callback (the lock is held) and takes the IRP off the books. */
  private *removeLocked(t: KThread, q: CsqState, irp: Irp, why: string): Co<void> {
    const k = this.k;
    yield* k.callDriver(t, q.core.callbacks.remove, q.core.names.remove, [q.object, irp]);
    q.core.drop(irp);
    irp.csq = null;
    const ctx = q.contexts.get(irp);
    if (ctx !== undefined) {
      ctx.Irp = null;
      q.contexts.delete(irp);
    }
    k.emit('cbdq-remove', 0, `${q.core.names.remove}(${irp.label}) out of ${q.name} (${why})`);
  }

  private *completeCanceled(t: KThread, q: CsqState, irp: Irp): Co<void> {
    const k = this.k;
    q.core.cancelling = irp;
    try {
      yield* k.callDriver(t, q.core.callbacks.completeCanceled, q.core.names.completeCanceled, [q.object, irp]);
    } finally {
      q.core.cancelling = null;
    }
    if (!irp.completed) {
      k.violation('csq-cancel-cb', `${q.core.names.completeCanceled} returned without completing ${irp.label}; it must set an error status (STATUS_CANCELLED) and call IoCompleteRequest`);
    } else if (!ntError(irp.status)) {
      k.violation('csq-cancel-cb', `${q.core.names.completeCanceled} completed ${irp.label} with ${formatStatus(irp.status)}; a cancelled IRP needs an error status such as STATUS_CANCELLED`);
    }
  }

  private contextView(Context: unknown): IrpContextView | null {
    if (Context === null || Context === undefined) return null;
    return this.k.marshal.deref<IrpContextView>(Context, '_IO_CSQ_IRP_CONTEXT');
  }

  /** The queue IoCsqInitialize(Ex) set up for this object, or null (csq-uninitialized). */
  private queue(Csq: unknown, routine: string): CsqState | null {
    const q = this.queues.get(Csq);
    if (q === undefined) {
      this.k.violation('csq-uninitialized', `${routine} was called on an IO_CSQ that IoCsqInitialize or IoCsqInitializeEx never set up`);
      return null;
    }
    return q;
  }
}
