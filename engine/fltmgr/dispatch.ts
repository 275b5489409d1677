/**
 * Pre/post dispatch: pre-operation callbacks from the top of the filter stack down, the file
 * system, post-operation callbacks back up — with every FLT_PREOP_* and FLT_POSTOP_* result acting
 * as documented on the PFLT_PRE_OPERATION_CALLBACK and PFLT_POST_OPERATION_CALLBACK pages:
 *
 * - SUCCESS_WITH_CALLBACK: the filter's post-op will get the completion context it set.
 * - SUCCESS_NO_CALLBACK: no post-op for this filter.
 * - COMPLETE: the filters below and the file system never see the operation; only the post-ops of
 *   the filters above run.
 * - PENDING: processing stops until FltCompletePendedPreOperation (IRP operations only).
 * - SYNCHRONIZE: the post-op runs in the thread that called the pre-op, at PASSIVE_LEVEL, after
 *   completion; that thread waits for it.
 * - DISALLOW_FASTIO: a fast I/O request fails back to the I/O manager, which reissues it as an IRP.
 * - post-op MORE_PROCESSING_REQUIRED: completion stops until FltCompletePendedPostOperation.
 *
 * This module is the first half: the pre-operation callbacks, and resuming a pended pre-operation
 * (`resumeFast`); the file system hand-off, completion, post-ops and resuming a pended post-op
 * (`resumePost`) are postOps.ts. pending.ts holds the routines drivers call to resume, and their
 * checks.
 * The I/O manager's side (issuing thread, fast I/O reissue, reparse) is issue.ts; the rules a
 * pre-op's result is checked against are preopRules.ts.
 */
import { Ref } from '../kernel/cvalues';
import { DriverCallMark } from '../kernel/driverCallMark';
import { isCo, type Co } from '../kernel/coroutine';
import { kernelFrame } from '../kernel/kernel';
import { formatStatus, STATUS } from '../kernel/status';
import type { CallbackScope, KThread } from '../kernel/thread';
import type { FltCallbackData, IoRequest } from './callbackData';
import { FLTFL_OPERATION_REGISTRATION as SKIP, FO, FltPreopStatus, IRP_FLAGS, IRP_MJ, preopName } from './constants';
import type { FilterManager } from './fltmgr';
import type { Instance, OperationCallbacks } from './objects';
import { Issuer } from './issue';
import { newScope, PostDispatch } from './postOps';
import type { Requests } from './requests';
import { checkCompleteStatus, checkHandoff, noContext } from './preopRules';

const PRE_FRAME = kernelFrame('FltpPerformPreCallbacks', 'fltmgr');
const CPP_FRAME = kernelFrame('FltCompletePendedPreOperation', 'fltmgr');

/** What callPre notes before calling a pre-op that turns out to be a generator, for callPreRest. */
interface PreEntry {
  cell: { CompletionContext: unknown };
  scope: CallbackScope;
  saved: CallbackScope | null;
  ioStatus: number;
  ioInfo: number;
  thread: KThread;
  mode: number;
  mark: DriverCallMark;
}

export class Dispatcher extends PostDispatch {
  private readonly issuer: Issuer;

  constructor(fm: FilterManager, requests: Requests) {
    super(fm);
    // Objects, not closures, are handed over: see "Hooks are objects" in docs/architecture.md.
    this.issuer = new Issuer(fm, requests, (t, data) => this.runPreFast(t, data));
    fm.fs.notify.completer = this;
  }

  /** A directory change notification the file system pended is answered (DirectoryNotify). */
  completePended(data: FltCallbackData, status: number, information: number): void {
    this.completeAtPassive(data, { status, information, async: true });
  }

  /** The same, in thread `t`, which runs now (a cancellation). */
  completePendedIn(t: KThread, data: FltCallbackData, status: number, information: number): Co<void> {
    return this.completeInThread(t, data, { status, information, async: true });
  }

  /** Starts the issuing thread of a workload request now. */
  spawnIssuer(req: IoRequest): KThread {
    return this.issuer.spawn(req);
  }

  /** Runs pre-operation callbacks from `data.preIndex` down, then sends the operation on. */
  *runPre(t: KThread, data: FltCallbackData): Co<void> {
    const rest = this.runPreFast(t, data);
    if (rest !== undefined) yield* rest;
  }

  /**
   * runPre without a generator of its own: it runs as far as it can without yielding and returns
   * undefined when it is done, or a generator that does the rest (run it with `yield*` at once).
   * Plain TypeScript callbacks thus cost no generator frames; a callback that is a generator hands
   * the remaining work to `runPreRest`.
   */
  runPreFast(t: KThread, data: FltCallbackData): Co<void> | undefined {
    const major = data.Iopb.MajorFunction;
    const depth = t.frames.length;
    t.frames.push(PRE_FRAME);
    let rest: Co<void> | undefined;
    try {
      for (let inst = this.nextPre(data, major); inst !== null; inst = this.nextPre(data, major)) {
        const go = this.callPre(t, data, inst, inst.filter.registration.ops[major]!);
        if (go === false) return undefined;
        if (go !== true) {
          rest = this.runPreRest(t, data, major, depth, go);
          return rest;
        }
        data.preIndex++;
      }
    } finally {
      // The generator that goes on owns the frames from here.
      if (rest === undefined) while (t.frames.length > depth) t.frames.pop();
    }
    return this.sendToFs(t, data);
  }

  /** The rest of runPreFast once a pre-op callback turned out to be a generator (`pending`). */
  private *runPreRest(t: KThread, data: FltCallbackData, major: number, depth: number, pending: Co<boolean>): Co<void> {
    try {
      if (!(yield* pending)) return;
      data.preIndex++;
      for (let inst = this.nextPre(data, major); inst !== null; inst = this.nextPre(data, major)) {
        let go = this.callPre(t, data, inst, inst.filter.registration.ops[major]!);
        if (go !== true && go !== false) go = yield* go;
        if (!go) return;
        data.preIndex++;
      }
    } finally {
      while (t.frames.length > depth) t.frames.pop();
    }
    yield* this.sendToFs(t, data);
  }

  /**
   * Moves `data.preIndex` to the next instance whose pre-op must be called and returns it, or null
   * at the bottom of the stack. Instances without a pre-op for this operation but with a post-op
   * get their post frame on the way.
   */
  private nextPre(data: FltCallbackData, major: number): Instance | null {
    while (data.preIndex < data.stack.length) {
      const inst = data.stack[data.preIndex]!;
      const ops = inst.filter.registration.ops[major];
      if (ops === undefined || inst.state !== 'attached' || skips(ops, data)) {
        data.preIndex++;
        continue;
      }
      if (ops.pre === null) {
        if (ops.post !== null) this.pushPost(data, inst, ops, null, null);
        data.preIndex++;
        continue;
      }
      return inst;
    }
    return null;
  }

  /**
   * Calls one pre-op and acts on its result: false when processing stops here (pended or
   * completed), true when it goes on to the next filter — or, when the callback is a generator or
   * acting on the result has to wait, a generator that finishes the call and yields that answer.
   */
  private callPre(t: KThread, data: FltCallbackData, inst: Instance, ops: OperationCallbacks): boolean | Co<boolean> {
    const k = this.fm.k;
    data.Iopb.TargetInstance = inst;
    data.move(k, 'pre-op', inst.filter.name, 'pre-op', `${ops.preName}(${data.label}) in ${inst.filter.name}`);
    inst.outstanding.acquire();
    const cell = { CompletionContext: null as unknown };
    const scope = newScope('pre', data, false);
    const saved = t.scope;
    t.scope = scope;
    const ioStatus = data.IoStatus.Status;
    const ioInfo = data.IoStatus.Information;
    const thread = data.Thread as KThread;
    const mode = data.RequestorMode;
    data.preRunning = true;
    let status: unknown;
    const mark = new DriverCallMark(t);
    let ok = false;
    let handedOver = false;
    try {
      status = k.enterDriver(t, ops.pre!, ops.preName, [data, inst.relatedObjects(data.fileObject), new Ref(cell, 'CompletionContext')]);
      if (isCo(status)) {
        handedOver = true;
        const entry: PreEntry = { cell, scope, saved, ioStatus, ioInfo, thread, mode, mark };
        return this.callPreRest(t, data, inst, ops, status, entry);
      }
      ok = true;
    } finally {
      if (!handedOver) {
        k.leaveDriver(t, ops.preName, mark, ok);
        t.scope = saved;
        data.preRunning = false;
      }
    }
    return this.afterPre(t, data, inst, ops, status, cell.CompletionContext ?? null, scope, ioStatus, ioInfo, thread, mode);
  }

  /** callPre for a pre-op callback that is a generator: runs it, then acts on its result. */
  private *callPreRest(t: KThread, data: FltCallbackData, inst: Instance, ops: OperationCallbacks, co: Co<unknown>, e: PreEntry): Co<boolean> {
    const k = this.fm.k;
    let status: unknown;
    let ok = false;
    try {
      status = yield* co;
      ok = true;
    } finally {
      k.leaveDriver(t, ops.preName, e.mark, ok);
      t.scope = e.saved;
      data.preRunning = false;
    }
    const go = this.afterPre(t, data, inst, ops, status, e.cell.CompletionContext ?? null, e.scope, e.ioStatus, e.ioInfo, e.thread, e.mode);
    return go === true || go === false ? go : yield* go;
  }

  /** Acts on a pre-op's result (see callPre for what it returns). */
  private afterPre(t: KThread, data: FltCallbackData, inst: Instance, ops: OperationCallbacks, status: unknown, ctx: unknown, scope: CallbackScope,
    ioStatus: number, ioInfo: number, thread: KThread, mode: number): boolean | Co<boolean> {
    const k = this.fm.k;
    if (data.Thread !== thread || data.RequestorMode !== mode) {
      k.violation('readonly-fields', `${ops.preName} changed ${data.Thread !== thread ? 'Data->Thread' : 'Data->RequestorMode'} of ${data.label}; both are read-only`, data.id);
      data.Thread = thread;
      data.RequestorMode = mode;
    }
    const early = data.early;
    const st = typeof status === 'number' ? status : -1;
    // The callback's end: a pended IRP's `pend` event below marks it; every other result has this one.
    if (st !== FltPreopStatus.FLT_PREOP_PENDING || !data.isIrp) data.note(k, 'return', `${ops.preName} returns ${preopName(status)} for ${data.label}`);
    if (early === null && st !== FltPreopStatus.FLT_PREOP_COMPLETE && st !== FltPreopStatus.FLT_PREOP_PENDING && st !== FltPreopStatus.FLT_PREOP_DISALLOW_FASTIO
      && (data.IoStatus.Status >>> 0 !== ioStatus >>> 0 || Number(data.IoStatus.Information) !== Number(ioInfo))) {
      k.violation('iostatus-when-passing', `${ops.preName} changed Data->IoStatus of ${data.label} but returned ${preopName(st)}; the change is ignored unless the operation is completed`, data.id);
    }
    switch (st) {
      case FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK:
        this.wantPost(data, inst, ops, ctx, null);
        break;
      case FltPreopStatus.FLT_PREOP_SYNCHRONIZE:
        if (data.isIrp && (data.major === IRP_MJ.READ || data.major === IRP_MJ.WRITE) && !data.request.synchronous) {
          k.violation('sync-async-rw', `${ops.preName} returned FLT_PREOP_SYNCHRONIZE for asynchronous ${data.label}; this can deadlock the caller`, data.id);
        }
        this.wantPost(data, inst, ops, ctx, data.isIrp ? t : null);
        break;
      case FltPreopStatus.FLT_PREOP_SUCCESS_NO_CALLBACK:
        noContext(this.fm.k, data, ops, ctx, st);
        break;
      case FltPreopStatus.FLT_PREOP_PENDING:
        if (!data.isIrp) {
          k.violation('preop-pending-non-irp', `${ops.preName} returned FLT_PREOP_PENDING for ${data.label}, which is not IRP-based; the simulation goes on as if it returned FLT_PREOP_SUCCESS_NO_CALLBACK`, data.id);
          break;
        }
        noContext(this.fm.k, data, ops, ctx, st);
        checkHandoff(this.fm.k, data, ops, scope);
        data.pendedBy = inst;
        inst.outstanding.acquire();
        if (data.state === 'pre-op') data.move(k, 'pended', inst.filter.name, 'pend', `${ops.preName} pended ${data.label} (FLT_PREOP_PENDING)`);
        else data.note(k, 'pend', `${ops.preName} pended ${data.label} (FLT_PREOP_PENDING)`);
        inst.outstanding.release(k);
        if (early !== null) {
          data.early = null;
          return this.resumeEarly(t, data, early.status, early.ctx);
        }
        return false;
      case FltPreopStatus.FLT_PREOP_COMPLETE:
        noContext(this.fm.k, data, ops, ctx, st);
        checkCompleteStatus(this.fm.k, data, ops.preName);
        data.completedBy = inst.filter.name;
        inst.outstanding.release(k);
        data.move(k, data.completedState(), inst.filter.name, 'complete', `${ops.preName} completed ${data.label} with ${formatStatus(data.IoStatus.Status)} (FLT_PREOP_COMPLETE)`);
        return this.completedInPre(t, data, ops, early, st);
      case FltPreopStatus.FLT_PREOP_DISALLOW_FASTIO:
        if (data.isFastIo) {
          noContext(this.fm.k, data, ops, ctx, st);
          data.IoStatus.Status = STATUS.STATUS_FLT_DISALLOW_FAST_IO;
          data.IoStatus.Information = 0;
          data.completedBy = inst.filter.name;
          inst.outstanding.release(k);
          data.move(k, 'completed', inst.filter.name, 'complete', `${ops.preName} disallowed fast I/O for ${data.label}; the I/O manager will reissue it as an IRP`);
          data.reissue = true;
          return this.completedInPre(t, data, ops, null, st);
        }
        k.violation('disallow-fastio-misuse', `${ops.preName} returned FLT_PREOP_DISALLOW_FASTIO for ${data.label}, which is not fast I/O; treated as FLT_PREOP_SUCCESS_NO_CALLBACK`, data.id);
        break;
      default:
        k.violation('preop-bad-status', `${ops.preName} returned ${String(status)} for ${data.label}, which is not an FLT_PREOP_CALLBACK_STATUS; treated as FLT_PREOP_SUCCESS_NO_CALLBACK`, data.id);
        break;
    }
    this.earlyIgnored(data, ops, early, st);
    inst.outstanding.release(k);
    return true;
  }

  /** A pre-op completed the operation (or disallowed fast I/O): post-ops above run, then false. */
  private completedInPre(t: KThread, data: FltCallbackData, ops: OperationCallbacks, early: FltCallbackData['early'], st: number): false | Co<boolean> {
    const rest = this.unwindFast(t, data);
    if (rest !== undefined) return this.completedInPreRest(data, ops, early, st, rest);
    this.earlyIgnored(data, ops, early, st);
    return false;
  }

  private *completedInPreRest(data: FltCallbackData, ops: OperationCallbacks, early: FltCallbackData['early'], st: number, rest: Co<void>): Co<boolean> {
    yield* rest;
    this.earlyIgnored(data, ops, early, st);
    return false;
  }

  /** FltCompletePendedPreOperation came while the pre-op ran: it takes effect now that it pended. */
  private *resumeEarly(t: KThread, data: FltCallbackData, status: number, ctx: unknown): Co<boolean> {
    const rest = this.resumeFast(t, data, status, ctx);
    if (rest !== undefined) yield* rest;
    return false;
  }

  /** An early FltCompletePendedPreOperation for a pre-op that did not pend: the call is ignored. */
  private earlyIgnored(data: FltCallbackData, ops: OperationCallbacks, early: FltCallbackData['early'], st: number): void {
    if (early === null) return;
    data.early = null;
    this.fm.k.violation('cpp-not-pended', `FltCompletePendedPreOperation was called for ${data.label} while ${ops.preName} ran, but it returned ${preopName(st)}, not FLT_PREOP_PENDING; the call is ignored`, data.id);
  }

  /**
   * Resumes a pended operation in thread `t` as `status` directs, and returns undefined when done,
   * or a generator for the rest (run it with `yield*`). `detail` names the call that resumes it,
   * recorded as the operation's `complete` event (null when that event was recorded already, for
   * a completion that came before the pre-op returned).
   */
  resumeFast(t: KThread, data: FltCallbackData, status: number, ctx: unknown, detail: string | null = null): Co<void> | undefined {
    const k = this.fm.k;
    const inst = data.pendedBy!;
    data.pendedBy = null;
    data.resumed++;
    data.lastResumeStatus = status;
    if (data.cbdq !== null) {
      k.violation('cbdq-complete-queued', `${data.label} was resumed while it still sits in ${data.cbdq.name}; remove it from the queue first`, data.id);
      data.cbdq.forget(data);
    }
    const ops = inst.filter.registration.ops[data.major]!;
    const depth = t.frames.length;
    t.frames.push(CPP_FRAME);
    let rest: Co<void> | undefined;
    try {
      if (status === FltPreopStatus.FLT_PREOP_COMPLETE) {
        checkCompleteStatus(this.fm.k, data, 'FltCompletePendedPreOperation');
        data.completedBy = inst.filter.name;
        if (detail !== null) data.move(k, data.completedState(), inst.filter.name, 'complete', detail);
        else data.move(k, data.completedState(), inst.filter.name, 'state', `${data.label} completed by ${inst.filter.name}: ${formatStatus(data.IoStatus.Status)}`);
        inst.outstanding.release(k);
        if (data.post.length === 0) this.finish(data);
        else rest = this.unwindFast(t, data);
      } else {
        if (detail !== null) data.note(k, 'complete', detail);
        if (status === FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK) this.wantPost(data, inst, ops, ctx, null);
        inst.outstanding.release(k);
        data.preIndex++;
        rest = this.runPreFast(t, data);
      }
      if (rest !== undefined) rest = popFramesAfter(t, depth, rest);
      return rest;
    } finally {
      if (rest === undefined) while (t.frames.length > depth) t.frames.pop();
    }
  }
}

/** Runs `rest`, then pops the thread's frames back to `depth` (also when it throws). */
function* popFramesAfter(t: KThread, depth: number, rest: Co<void>): Co<void> {
  try {
    yield* rest;
  } finally {
    while (t.frames.length > depth) t.frames.pop();
  }
}

/** Whether a filter's FLT_OPERATION_REGISTRATION flags exclude this operation. */
function skips(ops: OperationCallbacks, data: FltCallbackData): boolean {
  const f = ops.flags;
  if (f === 0) return false;
  const irpFlags = data.Iopb.IrpFlags;
  const paging = (irpFlags & IRP_FLAGS.IRP_PAGING_IO) !== 0;
  const rw = data.major === IRP_MJ.READ || data.major === IRP_MJ.WRITE;
  const nocache = (irpFlags & IRP_FLAGS.IRP_NOCACHE) !== 0;
  if (f & SKIP.SKIP_PAGING_IO && data.isIrp && paging) return true;
  if (f & SKIP.SKIP_CACHED_IO && rw && !nocache) return true;
  if (f & SKIP.SKIP_NON_CACHED_NON_PAGING_IO && rw && nocache && !paging) return true;
  if (f & SKIP.SKIP_NON_DASD_IO && (data.fileObject.Flags & FO.VOLUME_OPEN) === 0) return true;
  return false;
}
