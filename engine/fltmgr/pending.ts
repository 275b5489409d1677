/**
 * Resuming pended operations, as the FltCompletePendedPreOperation page says: CallbackStatus is
 * one of FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_NO_CALLBACK or FLT_PREOP_SUCCESS_WITH_CALLBACK;
 * Context must be NULL unless the status is SUCCESS_WITH_CALLBACK; the call may run at
 * DISPATCH_LEVEL only with FLT_PREOP_COMPLETE; processing resumes as the status directs, in the
 * calling thread. Also FltCompletePendedPostOperation and FltDoCompletionProcessingWhenSafe.
 * These are the routines and their checks; moving the operation on is the dispatcher's.
 */
import { LazyCo, returnsCo, type Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { Irql } from '../kernel/irql';
import { irqlBound, type Kernel } from '../kernel/kernel';
import { writeOut } from '../kernel/objects';
import type { KThread } from '../kernel/thread';
import type { WorkEntry, WorkQueues } from '../kernel/workqueue';
import { callbackDataArg, callbackDataId, type FltCallbackData } from './callbackData';
import { FLTFL_POST_OPERATION_DRAINING, FltPostopStatus, FltPreopStatus, IRP_FLAGS, preopName } from './constants';
import type { Dispatcher } from './dispatch';

/** FltCompletePendedPreOperation's IRQL bound, for FLT_PREOP_COMPLETE and for the other statuses. */
const CPP_COMPLETE = irqlBound('FltCompletePendedPreOperation', { completeStatusIsComplete: true });
const CPP_NOT_COMPLETE = irqlBound('FltCompletePendedPreOperation', { completeStatusIsComplete: false });

/** FltDoCompletionProcessingWhenSafe's posted SafePostCallback. */
class SafePostWork implements WorkEntry {
  readonly kind = 'safe post-operation work';
  orphaned = false;
  constructor(
    readonly id: number,
    readonly label: string,
    readonly data: FltCallbackData,
    private readonly args: unknown[],
    private readonly fn: DriverFn,
    private readonly owner: PendingRoutines,
  ) {}

  run(worker: KThread): Co<void> {
    return this.owner.runSafePost(worker, this, this.fn, this.args);
  }
}

export class PendingRoutines {
  private safeWork = 0;

  constructor(
    private readonly k: Kernel,
    private readonly queues: WorkQueues,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** A coroutine routine that costs no generator unless resuming the operation has to wait (LazyCo). */
  FltCompletePendedPreOperation(CallbackData: unknown, CallbackStatus: number, Context: unknown): Co<void> {
    return new LazyCo(this, this.completePendedPre, CallbackData, CallbackStatus, Context);
  }

  /**
   * FltCompletePendedPreOperation's work, run at once; returns a generator for what is left when
   * resuming the operation has to call a generator callback (run it with `yield*`). Kept apart from
   * the routine so the generator every call needs stays small.
   */
  private completePendedPre(CallbackData: unknown, CallbackStatus: number, Context: unknown): Co<void> | undefined {
    const k = this.k;
    const t = k.current;
    k.checkBound(CallbackStatus === FltPreopStatus.FLT_PREOP_COMPLETE ? CPP_COMPLETE : CPP_NOT_COMPLETE, 'cpp-irql', callbackDataId(CallbackData));
    const data = callbackDataArg(k, CallbackData, 'FltCompletePendedPreOperation');
    if (data === null) return undefined;
    let status = CallbackStatus;
    if (status !== FltPreopStatus.FLT_PREOP_COMPLETE && status !== FltPreopStatus.FLT_PREOP_SUCCESS_NO_CALLBACK && status !== FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK) {
      const keepPended = status === FltPreopStatus.FLT_PREOP_PENDING;
      const instead = status === FltPreopStatus.FLT_PREOP_SYNCHRONIZE ? FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK : FltPreopStatus.FLT_PREOP_SUCCESS_NO_CALLBACK;
      k.violation('cpp-bad-status', `FltCompletePendedPreOperation(${data.label}, ${preopName(status)}): only FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_NO_CALLBACK and FLT_PREOP_SUCCESS_WITH_CALLBACK are allowed; ${keepPended ? 'the operation stays pended' : `treated as ${preopName(instead)}`}`, data.id);
      if (keepPended) return undefined;
      status = instead;
    }
    let ctx = Context ?? null;
    if (ctx !== null && status !== FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK) {
      k.violation('cpp-ctx-not-null', `FltCompletePendedPreOperation(${data.label}, ${preopName(status)}) got a non-NULL Context; it must be NULL unless the status is FLT_PREOP_SUCCESS_WITH_CALLBACK (ignored)`, data.id);
      ctx = null;
    }
    const detail = `FltCompletePendedPreOperation(${data.label}, ${preopName(status)})`;
    if (data.pendedBy === null && data.preRunning && data.early === null) {
      // The worker beat the pre-op's return: Filter Manager finishes the hand-over when it returns PENDING.
      data.note(k, 'complete', detail);
      data.early = { status, ctx };
      return undefined;
    }
    if (data.pendedBy === null) {
      data.note(k, 'complete', detail);
      if (data.resumed > 0) k.violation('complete-twice', `FltCompletePendedPreOperation called again for ${data.label}, which was already resumed (state ${data.state}); the call is ignored`, data.id);
      else k.violation('cpp-not-pended', `FltCompletePendedPreOperation called for ${data.label}, which no pre-operation callback pended (state ${data.state}); the call is ignored`, data.id);
      return undefined;
    }
    return this.dispatcher.resumeFast(t, data, status, ctx, detail);
  }

  *FltCompletePendedPostOperation(CallbackData: unknown): Co<void> {
    const k = this.k;
    k.checkIrql('FltCompletePendedPostOperation', undefined, undefined, callbackDataId(CallbackData));
    const data = callbackDataArg(k, CallbackData, 'FltCompletePendedPostOperation');
    if (data === null) return;
    if (data.postPendedBy === null) {
      k.violation('cpost-not-pended', `FltCompletePendedPostOperation called for ${data.label}, which no post-operation callback pended (state ${data.state}); the call is ignored`, data.id);
      return;
    }
    data.note(k, 'complete', `FltCompletePendedPostOperation(${data.label})`);
    yield* this.dispatcher.resumePost(k.current, data);
  }

  /**
   * Below DISPATCH_LEVEL, calls SafePostCallback at once and stores its result; at DISPATCH_LEVEL,
   * posts it to a DelayedWorkQueue worker and stores FLT_POSTOP_MORE_PROCESSING_REQUIRED. Returns
   * FALSE (with FINISHED_PROCESSING stored) when the operation cannot be posted.
   */
  *FltDoCompletionProcessingWhenSafe(Data: unknown, FltObjects: unknown, CompletionContext: unknown, Flags: number, SafePostCallback: DriverFn, RetPostOperationStatus: unknown): Co<number> {
    const k = this.k;
    const t = k.current;
    const data = callbackDataArg(k, Data, 'FltDoCompletionProcessingWhenSafe');
    const fail = (): number => {
      writeOut(RetPostOperationStatus, FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING);
      return 0;
    };
    if (data === null) return fail();
    if (t.scope === null || t.scope.role !== 'post' || t.scope.data !== data) {
      k.violation('dcpws-misuse', `FltDoCompletionProcessingWhenSafe called for ${data.label} outside its post-operation callback`, data.id);
      return fail();
    }
    if ((Flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || data.draining) {
      k.violation('postop-draining', `FltDoCompletionProcessingWhenSafe called while ${data.label} is draining`, data.id);
      return fail();
    }
    if (!data.isIrp || (data.Iopb.IrpFlags & IRP_FLAGS.IRP_PAGING_IO) !== 0) {
      k.violation('dcpws-misuse', `FltDoCompletionProcessingWhenSafe called for ${data.label}, which is ${data.isIrp ? 'paging I/O' : 'not IRP-based'}; it cannot be posted`, data.id);
      return fail();
    }
    const args = [Data, FltObjects, CompletionContext, Flags];
    const name = nameOf(SafePostCallback, 'SafePostCallback');
    if (t.irql < Irql.DISPATCH_LEVEL) {
      const saved = t.scope;
      t.scope = { role: 'safe-post', data, unsafe: false, irqlQueried: false, handoffs: 0, failedHandoff: null };
      let r: unknown;
      try {
        r = yield* k.callDriver(t, SafePostCallback, name, args);
      } finally {
        t.scope = saved;
      }
      writeOut(RetPostOperationStatus, r);
      return 1;
    }
    const work = new SafePostWork(++this.safeWork, name, data, args, SafePostCallback, this);
    data.safePostWork = work;
    data.safePosted = true;
    this.queues.delayed.enqueue(work);
    data.note(k, 'workitem-queue', `FltDoCompletionProcessingWhenSafe posts ${name}(${data.label}) to DelayedWorkQueue`);
    writeOut(RetPostOperationStatus, FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED);
    return 1;
  }

  *runSafePost(worker: KThread, work: SafePostWork, fn: DriverFn, args: unknown[]): Co<void> {
    const k = this.k;
    const data = work.data;
    data.note(k, 'workitem-start', `${work.label}(${data.label}) starts in DelayedWorkQueue`);
    worker.scope = { role: 'safe-post', data, unsafe: false, irqlQueried: false, handoffs: 0, failedHandoff: null };
    let r: unknown;
    try {
      r = yield* k.callDriver(worker, fn, work.label, args);
    } finally {
      worker.scope = null;
      k.emit('workitem-end', data.id, `${work.label}(${data.label}) returns`);
    }
    data.safePostWork = null;
    if (work.orphaned) return;
    const st = typeof r === 'number' ? r : FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING;
    if (data.postPendedBy === null && data.state === 'post-op') {
      data.safeResult = st;
      return;
    }
    if (st === FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING && data.postPendedBy !== null) {
      yield* this.dispatcher.resumePost(worker, data);
    } else if (st === FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED) {
      data.safeMpr = true;
    }
  }
}

returnsCo(PendingRoutines.prototype.FltCompletePendedPreOperation);
