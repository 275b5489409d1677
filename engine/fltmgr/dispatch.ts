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
 * Resuming a pended operation continues here as well (`resumeFast`, `resumePost`): pending.ts holds
 * the routines drivers call to do it, and their checks.
 * The I/O manager's side (issuing thread, fast I/O reissue, reparse) is issue.ts; the rules a
 * pre-op's result is checked against are preopRules.ts.
 */
import { Ref } from '../kernel/cvalues';
import { isCo, Trap, type Co } from '../kernel/coroutine';
import { kernelFrame } from '../kernel/kernel';
import type { DriverFn } from '../kernel/driverFn';
import { formatStatus, STATUS } from '../kernel/status';
import { PRIORITY, type CallbackScope, type KThread } from '../kernel/thread';
import { Irql } from '../kernel/irql';
import { FltCallbackData, type IoRequest, type PostFrame } from './callbackData';
import { FLTFL_CALLBACK_DATA, FLTFL_OPERATION_REGISTRATION as SKIP, FLTFL_POST_OPERATION_DRAINING, FO, FltPostopStatus, FltPreopStatus, IRP_FLAGS, IRP_MJ, majorName, postopName, preopName } from './constants';
import type { FilterManager } from './fltmgr';
import type { FsResult } from './filesystem';
import type { Instance, OperationCallbacks } from './objects';
import { Issuer } from './issue';
import type { Requests } from './requests';
import { checkCompleteStatus, checkHandoff, noContext } from './preopRules';
import { copyToCallerBuffer } from './systemBuffers';
import { takeStatusRequests } from './operationStatus';

const PRE_FRAME = kernelFrame('FltpPerformPreCallbacks', 'fltmgr');
const POST_FRAME = kernelFrame('FltpPerformPostCallbacks', 'fltmgr');
const CPP_FRAME = kernelFrame('FltCompletePendedPreOperation', 'fltmgr');
const CPOST_FRAME = kernelFrame('FltCompletePendedPostOperation', 'fltmgr');
/** nextPost's answer when the post-ops left belong to a thread waiting in a synchronized pre-op. */
const HANDED_OFF = Symbol('handed off');

/** What callPre notes before calling a pre-op that turns out to be a generator, for callPreRest. */
interface PreEntry {
  cell: { CompletionContext: unknown };
  scope: CallbackScope;
  saved: CallbackScope | null;
  ioStatus: number;
  ioInfo: number;
  thread: KThread;
  mode: number;
  depth: number;
  irql: number;
  held: number;
  region: number;
}

function newScope(role: CallbackScope['role'], data: unknown, unsafe: boolean): CallbackScope {
  return { role, data, unsafe, irqlQueried: false, handoffs: 0, failedHandoff: null };
}

export class Dispatcher {
  private readonly issuer: Issuer;

  constructor(
    private readonly fm: FilterManager,
    requests: Requests,
  ) {
    this.issuer = new Issuer(fm, requests, (t, data) => this.runPreFast(t, data));
    fm.fs.notify.complete = (data, status, information) => this.completeAtPassive(data, { status, information, async: true });
    fm.fs.notify.completeIn = (t, data, status, information) => this.completeInThread(t, data, { status, information, async: true });
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
    const depth = t.frames.length;
    const irql = t.irql;
    const held = t.held.length;
    const region = t.criticalRegion;
    let ok = false;
    let handedOver = false;
    try {
      status = k.enterDriver(t, ops.pre!, ops.preName, [data, inst.relatedObjects(data.fileObject), new Ref(cell, 'CompletionContext')]);
      if (isCo(status)) {
        handedOver = true;
        const entry: PreEntry = { cell, scope, saved, ioStatus, ioInfo, thread, mode, depth, irql, held, region };
        return this.callPreRest(t, data, inst, ops, status, entry);
      }
      ok = true;
    } finally {
      if (!handedOver) {
        k.leaveDriver(t, ops.preName, depth, irql, held, region, ok);
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
      k.leaveDriver(t, ops.preName, e.depth, e.irql, e.held, e.region, ok);
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
    const before = this.fm.beforeFileSystem?.(t, data);
    if (before !== undefined) yield* before;
    data.move(k, 'in-fs', 'file system', 'fs', `file system receives ${data.label}`);
    const r = this.fm.fs.perform(data);
    if (data.statusRequests.length > 0) yield* this.reportOperationStatus(t, data, r.async ? STATUS.STATUS_PENDING : r.status);
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
    const depth = t.frames.length;
    const irql = t.irql;
    const held = t.held.length;
    const region = t.criticalRegion;
    let ok = false;
    try {
      status = k.enterDriver(t, f.ops.post!, name, [data, f.inst.relatedObjects(data.fileObject), f.ctx, flags]);
      if (isCo(status)) status = yield* status;
      ok = true;
    } finally {
      k.leaveDriver(t, name, depth, irql, held, region, ok);
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
