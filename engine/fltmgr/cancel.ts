/**
 * Cancellation, as IoCancelIrp does it for a workload `cancel`: set the operation's cancel flag
 * (FltIsIoCanceled), then run its cancel routine if it has one — the cbdq's (Acquire, Remove,
 * Release, CompleteCanceledIo) or the one set with FltSetCancelCompletion — in the cancelling
 * thread at that thread's IRQL. An operation with no cancel routine only gets the flag. Fast I/O
 * has no IRP and cannot be cancelled.
 */
import type { Co } from '../kernel/coroutine';
import type { DispatcherRoutines } from '../kernel/dispatcher';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { callbackDataArg, type FltCallbackData } from './callbackData';
import type { CbdqRoutines } from './cbdq';
import { IRP_FLAGS } from './constants';
import type { FilterManager } from './fltmgr';

export class CancelRoutines {
  /** Threads in FltCancellableWaitForSingleObject, by the operation whose cancel ends the wait. */
  private readonly cancellableWaits = new Map<FltCallbackData, { thread: KThread; object: unknown }>();

  constructor(
    private readonly fm: FilterManager,
    private readonly cbdq: CbdqRoutines,
    private readonly dispatcher: DispatcherRoutines,
  ) {}

  /**
   * KeWaitForSingleObject that also ends, with STATUS_CANCELLED, when CallbackData (optional) is
   * cancelled before or during the wait.
   */
  *FltCancellableWaitForSingleObject(Object: unknown, Timeout: unknown, CallbackData: unknown): Co<number> {
    const k = this.fm.k;
    k.checkIrql('FltCancellableWaitForSingleObject');
    const data = CallbackData === null || CallbackData === undefined ? null : callbackDataArg(k, CallbackData, 'FltCancellableWaitForSingleObject');
    if (data !== null && data.cancelled) return STATUS.STATUS_CANCELLED;
    if (data !== null) this.cancellableWaits.set(data, { thread: k.current, object: Object });
    try {
      return yield* this.dispatcher.KeWaitForSingleObject(Object, 0, 0, 0, Timeout);
    } finally {
      if (data !== null) this.cancellableWaits.delete(data);
    }
  }

  /** The body of a workload cancel: IoCancelIrp on request `io`. */
  *cancelRequest(t: KThread, io: number): Co<void> {
    const k = this.fm.k;
    this.fm.touchRequest(io);
    let data: FltCallbackData | undefined;
    for (const d of this.fm.live.values()) {
      if (d.request.id !== io) continue;
      data = d;
      break;
    }
    if (data === undefined) {
      const done = this.fm.results.get(io);
      k.emit('cancel', done ? done.data : 0, `IoCancelIrp(I/O #${io}): ${done ? 'it has already completed' : 'no such request in flight'}; nothing to cancel`);
      return;
    }
    yield* this.cancel(t, data);
  }

  *cancel(t: KThread, data: FltCallbackData): Co<void> {
    const k = this.fm.k;
    if (!data.isIrp) {
      data.note(k, 'cancel', `IoCancelIrp(${data.label}): fast I/O has no IRP to cancel`);
      return;
    }
    if (data.cancelled) {
      data.note(k, 'cancel', `IoCancelIrp(${data.label}): already cancelled`);
      return;
    }
    data.cancelled = true;
    const waiting = this.cancellableWaits.get(data);
    if (waiting !== undefined && waiting.thread.state === 'waiting') {
      data.note(k, 'cancel', `IoCancelIrp(${data.label}): ends the cancellable wait of ${waiting.thread.name}`);
      this.dispatcher.abandonWait(waiting.object, waiting.thread, STATUS.STATUS_CANCELLED);
    }
    if (this.fm.fs.notify.holds(data)) {
      data.note(k, 'cancel', `IoCancelIrp(${data.label}): the file system's cancel routine completes the pended change notification with STATUS_CANCELLED`);
      yield* this.fm.fs.notify.cancel(t, data);
      return;
    }
    if (data.cbdq !== null && !data.cancelTaken) {
      data.cancelTaken = true;
      data.note(k, 'cancel', `IoCancelIrp(${data.label}): cancel flag set; ${data.cbdq.name} runs its cancel routine`);
      yield* this.cbdq.cancelQueued(t, data);
      return;
    }
    if (data.cancelRoutine !== null) {
      const fn = data.cancelRoutine;
      data.cancelRoutine = null;
      const name = nameOf(fn, 'CanceledCallback');
      data.note(k, 'cancel', `IoCancelIrp(${data.label}): cancel flag set; calling ${name}`);
      yield* k.callDriver(t, fn, name, [data]);
      return;
    }
    data.note(k, 'cancel', `IoCancelIrp(${data.label}): cancel flag set (no cancel routine; state ${data.state})`);
  }

  /**
   * Cancels I/O the filter started itself (FltAllocateCallbackData + FltPerformAsynchronousIo, or an
   * asynchronous FltReadFile/FltWriteFile): as IoCancelIrp, the flag is set and the cancel routine
   * of whoever holds the operation runs in the caller's thread. TRUE when a cancel routine ran.
   */
  *FltCancelIo(CallbackData: unknown): Co<number> {
    const k = this.fm.k;
    k.checkIrql('FltCancelIo');
    const data = callbackDataArg(k, CallbackData, 'FltCancelIo');
    if (data === null) return 0;
    if (data.issuedBy === null && data.allocatedBy === null) {
      k.violation('invalid-parameter', `FltCancelIo(${data.label}): only I/O the filter issued itself can be cancelled this way; ${data.label} came from above the filters`, data.id);
      return 0;
    }
    if (!data.isIrp) {
      k.violation('invalid-parameter', `FltCancelIo(${data.label}): the operation is not IRP-based, so there is nothing to cancel`, data.id);
      return 0;
    }
    if (data.tableSeq === 0 || data.state === 'completed' || data.state === 'cancelled' || data.state === 'done') {
      data.note(k, 'cancel', `FltCancelIo(${data.label}): the operation is not in progress; nothing to cancel`);
      return 0;
    }
    const hadRoutine = !data.cancelled && ((data.cbdq !== null && !data.cancelTaken) || data.cancelRoutine !== null);
    yield* this.cancel(k.current, data);
    return hadRoutine ? 1 : 0;
  }

  FltIsIoCanceled(CallbackData: unknown): number {
    const data = callbackDataArg(this.fm.k, CallbackData, 'FltIsIoCanceled');
    return data !== null && data.cancelled ? 1 : 0;
  }

  /** Sets a routine to run if the operation is cancelled later; fails for non-IRP and paging I/O. */
  FltSetCancelCompletion(CallbackData: unknown, CanceledCallback: DriverFn): number {
    const k = this.fm.k;
    k.checkIrql('FltSetCancelCompletion');
    const data = callbackDataArg(this.fm.k, CallbackData, 'FltSetCancelCompletion');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (!data.isIrp || (data.Iopb.IrpFlags & IRP_FLAGS.IRP_PAGING_IO) !== 0) {
      k.violation('set-cancel-misuse', `FltSetCancelCompletion for ${data.label}, which is ${data.isIrp ? 'paging I/O' : 'not IRP-based'}`, data.id);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (data.cbdq !== null) {
      k.violation('cbdq-set-cancel', `FltSetCancelCompletion for ${data.label}, which sits in ${data.cbdq.name}; the queue owns its cancellation`, data.id);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    data.cancelRoutine = CanceledCallback;
    return STATUS.STATUS_SUCCESS;
  }

  FltClearCancelCompletion(CallbackData: unknown): number {
    this.fm.k.checkIrql('FltClearCancelCompletion');
    const data = callbackDataArg(this.fm.k, CallbackData, 'FltClearCancelCompletion');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    data.cancelRoutine = null;
    return STATUS.STATUS_SUCCESS;
  }
}
