/**
 * The second half of an operation's dispatch: the hand-off to the file system, its completion (in
 * the calling thread, from the completion context, or at PASSIVE_LEVEL for a pended change
 * notification), and the post-operation callbacks from the lowest filter up — with
 * FLT_POSTOP_MORE_PROCESSING_REQUIRED stopping completion until FltCompletePendedPostOperation.
 * The first half (pre-operation callbacks) is dispatch.ts.
 */
import { DriverCallMark } from '../kernel/driverCallMark';
import { isCo, Trap, type Co } from '../kernel/coroutine';
import { kernelFrame } from '../kernel/kernel';
import type { DriverFn } from '../kernel/driverFn';
import { formatStatus, STATUS } from '../kernel/status';
import { PRIORITY, type CallbackScope, type KThread } from '../kernel/thread';
import { Irql } from '../kernel/irql';
import { FLTFL_CALLBACK_DATA, FLTFL_POST_OPERATION_DRAINING, FltPostopStatus, IRP_MJ, majorName, postopName } from './constants';
import type { FltCallbackData, PostFrame } from './callbackData';
import type { FilterManager } from './fltmgr';
import type { FsResult } from './fsAnswer';
import type { Instance, OperationCallbacks } from './objects';
import { copyToCallerBuffer } from './systemBuffers';
import { takeStatusRequests } from './operationStatus';

const POST_FRAME = kernelFrame('FltpPerformPostCallbacks', 'fltmgr');
const CPOST_FRAME = kernelFrame('FltCompletePendedPostOperation', 'fltmgr');

const HANDED_OFF = Symbol('handed off');

/** A fresh scope for a pre-op or post-op call: what the callback does is checked against it. */
export function newScope(role: CallbackScope['role'], data: unknown, unsafe: boolean): CallbackScope {
  return { role, data, unsafe, irqlQueried: false, handoffs: 0, failedHandoff: null };
}

export class PostDispatch {
  constructor(protected readonly fm: FilterManager) {}

  /** Records the post-op a filter asked for, or the bug check it would cause without one. */
  wantPost(data: FltCallbackData, inst: Instance, ops: OperationCallbacks, ctx: unknown, sync: KThread | null): void {
    if (ops.post === null) {
      this.fm.k.violation('preop-callback-without-postop', `${ops.preName} asked for a post-operation callback for ${data.label}, but ${inst.filter.name} registered none for ${majorName(ops.major)} (bug check 0xF5, parameter 0x66)`, data.id);
      return;
    }
    this.pushPost(data, inst, ops, ctx, sync);
  }

  pushPost(data: FltCallbackData, inst: Instance, ops: OperationCallbacks, ctx: unknown, sync: KThread | null): void {
    inst.outstanding.acquire();
    data.post.push({ inst, ops, ctx, sync, drained: false });
  }

  /** Hands the operation to the file system and, when it completes here, starts the post-ops. */
  *sendToFs(t: KThread, data: FltCallbackData): Co<void> {
    const k = this.fm.k;
    const before = this.fm.beforeFileSystem?.conflicts(t, data);
    if (before !== undefined) yield* before;
    data.move(k, 'in-fs', 'file system', 'fs', `file system receives ${data.label}`);
    const r = this.fm.fs.perform(data);
    if (data.statusRequests !== null && data.statusRequests.length > 0) yield* this.reportOperationStatus(t, data, r.async ? STATUS.STATUS_PENDING : r.status);
    if (!r.async) {
      this.fsDone(data, r, false);
      yield* this.unwind(t, data);
      return;
    }
    // A pended request (a change notification) completes when the file system says so: the
    // post-ops run then, from the completion context.
    if (r.pended === true) data.note(k, 'state', `file system pends ${data.label} (STATUS_PENDING) until a change, cleanup or cancel`);
    else this.completeLater(data, r);
    // A filter above returned SYNCHRONIZE in this thread: it waits here until completion reaches it.
    if (data.post.some((f) => f.sync === t)) {
      k.beginWait(t, `completion of ${data.label} (FLT_PREOP_SYNCHRONIZE)`, null);
      yield Trap.Block;
      yield* this.unwind(t, data);
    }
  }

  /** FltRequestOperationStatusCallback: each requester hears what the dispatch returned, in `t`. */
  private *reportOperationStatus(t: KThread, data: FltCallbackData, status: number): Co<void> {
    for (const q of takeStatusRequests(data)) {
      data.note(this.fm.k, 'state', `operation status of ${data.label} reported to ${q.inst.filter.name}: ${formatStatus(status)}`);
      yield* this.fm.k.callDriver(t, q.routine as DriverFn, `${q.inst.filter.name} operation status callback`, [q.inst.relatedObjects(data.fileObject), q.iopb, status, q.context]);
    }
  }

  /** Queues the file system's completion of `data` in the completion context. */
  completeLater(data: FltCallbackData, r: FsResult): void {
    this.fm.completion.queue({ label: `completion of ${data.label}`, data: data.id, run: (ct) => this.asyncCompletion(ct, data, r) });
  }

  /**
   * A pended change notification completes at PASSIVE_LEVEL: Windows completes it in the thread
   * whose change (or cleanup, or cancel) ended it. fltsim runs that completion in a thread of its
   * own at PASSIVE_LEVEL, started at that moment, so post-ops and completion routines see the IRQL
   * Windows gives them.
   */
  completeAtPassive(data: FltCallbackData, r: FsResult): void {
    data.passiveCompletion = true;
    this.runAtPassive(`Notify completion of ${data.label}`, (t) => this.asyncCompletion(t, data, r));
  }

  /**
   * The file system completes `data` in thread `t`, which runs now (a cancel routine completing the
   * IRP it cancels): post-ops and a filter's completion callback run before `t` goes on.
   */
  *completeInThread(t: KThread, data: FltCallbackData, r: FsResult): Co<void> {
    data.passiveCompletion = true;
    data.completingInline = true;
    try {
      yield* this.asyncCompletion(t, data, r);
    } finally {
      data.completingInline = false;
    }
    const callback = data.inlineCompletion;
    data.inlineCompletion = null;
    if (callback !== null) yield* callback(t);
  }

  /** Starts a short-lived PASSIVE_LEVEL thread that stands for the completing thread's context. */
  runAtPassive(name: string, body: (t: KThread) => Co<void>): void {
    this.fm.k.spawn(name, 'system', PRIORITY.normal, body, Irql.PASSIVE_LEVEL);
  }

  private *asyncCompletion(ct: KThread, data: FltCallbackData, r: FsResult): Co<void> {
    this.fsDone(data, r, true);
    yield* this.unwind(ct, data);
    copyToCallerBuffer(this.fm.k.marshal, data);
  }

  private fsDone(data: FltCallbackData, r: FsResult, async: boolean): void {
    data.IoStatus.Status = r.status;
    data.IoStatus.Information = r.information;
    const state = data.completedState();
    data.move(this.fm.k, state, 'file system', 'fs-complete', `file system completed ${data.label}${async ? ' asynchronously' : ''}: ${formatStatus(r.status)}, ${r.information} bytes`);
  }

  /**
   * Runs owed post-ops from the lowest filter up. Stops when a post-op pends the operation, or when
   * the next post-op belongs to a thread that synchronized and waits to run it itself.
   */
  *unwind(t: KThread, data: FltCallbackData): Co<void> {
    const rest = this.unwindFast(t, data);
    if (rest !== undefined) yield* rest;
  }

  /**
   * unwind without a generator of its own while no post-op is called (the usual case: none is
   * owed). Returns undefined when done, or a generator that does the rest (run it with `yield*`).
   */
  unwindFast(t: KThread, data: FltCallbackData): Co<void> | undefined {
    const depth = t.frames.length;
    t.frames.push(POST_FRAME);
    let rest: Co<void> | undefined;
    try {
      const f = this.nextPost(t, data);
      if (f === HANDED_OFF) return undefined;
      if (f !== undefined) {
        rest = this.unwindRest(t, data, depth, this.callPost(t, data, f, 0));
        return rest;
      }
    } finally {
      // The generator that goes on owns the frames from here.
      if (rest === undefined) while (t.frames.length > depth) t.frames.pop();
    }
    this.finish(data);
    return undefined;
  }

  /**
   * Takes the next post-op owed off the operation, skipping drained ones: undefined when none is
   * left, HANDED_OFF when it belongs to a thread waiting in a synchronized pre-op (woken to call
   * it and the rest itself).
   */
  private nextPost(t: KThread, data: FltCallbackData): PostFrame | typeof HANDED_OFF | undefined {
    const post = data.post;
    while (post.length > 0) {
      const f = post[post.length - 1]!;
      if (f.drained) {
        post.pop();
        continue;
      }
      if (f.sync !== null && f.sync !== t) {
        this.fm.k.wake(f.sync);
        return HANDED_OFF;
      }
      post.pop();
      return f;
    }
    return undefined;
  }

  /** The rest of unwindFast from the first post-op it calls (`first`, not started yet). */
  private *unwindRest(t: KThread, data: FltCallbackData, depth: number, first: Co<number>): Co<void> {
    try {
      if ((yield* first) === FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED) return;
      for (let f = this.nextPost(t, data); f !== undefined; f = this.nextPost(t, data)) {
        if (f === HANDED_OFF) return;
        const st = yield* this.callPost(t, data, f, 0);
        if (st === FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED) return;
      }
    } finally {
      while (t.frames.length > depth) t.frames.pop();
    }
    this.finish(data);
  }

  /** Calls one post-op (already popped); returns its effective status. */
  *callPost(t: KThread, data: FltCallbackData, f: PostFrame, flags: number): Co<number> {
    const k = this.fm.k;
    const draining = (flags & FLTFL_POST_OPERATION_DRAINING) !== 0;
    const name = f.ops.postName;
    data.Flags |= FLTFL_CALLBACK_DATA.POST_OPERATION;
    data.Iopb.TargetInstance = f.inst;
    data.move(k, 'post-op', f.inst.filter.name, 'post-op', `${name}(${data.label})${draining ? ' draining' : ''} in ${f.inst.filter.name}`);
    const safe = data.major === IRP_MJ.CREATE || f.sync !== null || data.isFastIo || draining;
    const scope = newScope('post', data, !safe);
    const saved = t.scope;
    t.scope = scope;
    data.safePosted = false;
    data.draining = draining;
    let status: unknown;
    const mark = new DriverCallMark(t);
    let ok = false;
    try {
      status = k.enterDriver(t, f.ops.post!, name, [data, f.inst.relatedObjects(data.fileObject), f.ctx, flags]);
      if (isCo(status)) status = yield* status;
      ok = true;
    } finally {
      k.leaveDriver(t, name, mark, ok);
      t.scope = saved;
      data.draining = false;
    }
    data.note(k, 'return', `${name} returns ${postopName(status)} for ${data.label}`);
    let st = typeof status === 'number' ? status : -1;
    if (st !== FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING && st !== FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED) {
      k.violation('postop-bad-status', `${name} returned ${String(status)} for ${data.label}, which is not an FLT_POSTOP_CALLBACK_STATUS; treated as FLT_POSTOP_FINISHED_PROCESSING`, data.id);
      st = FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING;
    }
    if (draining && st !== FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING) {
      k.violation('postop-draining', `${name} returned ${st === 1 ? 'FLT_POSTOP_MORE_PROCESSING_REQUIRED' : String(st)} while draining ${data.label}; a draining post-op must finish processing`, data.id);
      st = FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING;
    }
    if (st === FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED) {
      if (!data.isIrp) {
        k.violation('postop-mpr-non-irp', `${name} returned FLT_POSTOP_MORE_PROCESSING_REQUIRED for ${data.label}, which is not IRP-based; treated as finished`, data.id);
        st = FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING;
      } else {
        if (!data.safePosted && scope.handoffs === 0) {
          k.violation('postop-mpr-without-post', `${name} returned FLT_POSTOP_MORE_PROCESSING_REQUIRED for ${data.label} without posting the work to a worker or queue`, data.id);
        }
        data.postPendedBy = f;
        data.move(k, 'post-pended', f.inst.filter.name, 'post-pend', `${name} pended ${data.label} in post-operation (FLT_POSTOP_MORE_PROCESSING_REQUIRED)`);
        const early = data.safeResult;
        if (early !== null) {
          // The posted SafePostCallback already finished on another processor: go on from here.
          data.safeResult = null;
          if (early === FltPostopStatus.FLT_POSTOP_FINISHED_PROCESSING) yield* this.resumePost(t, data);
        }
        return FltPostopStatus.FLT_POSTOP_MORE_PROCESSING_REQUIRED;
      }
    } else if (data.safePosted) {
      k.violation('dcpws-misuse', `${name} returned FLT_POSTOP_FINISHED_PROCESSING for ${data.label} after FltDoCompletionProcessingWhenSafe posted the work; it must return the status stored in *RetPostOperationStatus`, data.id);
      data.safePosted = false;
      if (data.safePostWork !== null) data.safePostWork.orphaned = true;
    }
    f.inst.outstanding.release(k);
    return st;
  }

  /** Continues completion above the post-op that returned MORE_PROCESSING_REQUIRED. */
  *resumePost(t: KThread, data: FltCallbackData): Co<void> {
    const f = data.postPendedBy!;
    data.postPendedBy = null;
    f.inst.outstanding.release(this.fm.k);
    const depth = t.frames.length;
    t.frames.push(CPOST_FRAME);
    try {
      yield* this.unwind(t, data);
    } finally {
      while (t.frames.length > depth) t.frames.pop();
    }
  }

  /** The operation is finished: record the result and release a waiting issuer. */
  finish(data: FltCallbackData): void {
    const fm = this.fm;
    fm.touchRequest(data.request.id);
    data.move(fm.k, 'done', '', 'io-done', `${data.label} done: ${formatStatus(data.IoStatus.Status)}, ${data.IoStatus.Information} bytes`);
    fm.live.remove(data);
    if (data.major === IRP_MJ.CREATE) fm.fs.createDone(data.fileObject);
    fm.results.setDone(data.request.id, data.id, data.IoStatus.Status >>> 0, data.IoStatus.Information);
    if (data.waiter !== null && !data.reissue) {
      const w = data.waiter;
      data.waiter = null;
      fm.k.wake(w);
    }
    if (data.onDone !== null) {
      const done = data.onDone;
      data.onDone = null;
      done(data);
    }
  }
}
