/**
 * FLT_CALLBACK_DATA: the C-visible fields with their WDK names, and the engine's lifecycle state
 * of the operation (lowercase fields, which never clash with WDK names).
 *
 * Lifecycle: issued → pre-op (of a filter) → pended (by it) → queued (in a cbdq) → removed →
 * pre-op of the filters below … → in-fs → completed | cancelled → post-op … (post-pended) → done.
 * Every transition is an event on the thread that made it.
 */
import type { KProcess } from '../kernel/processes';
import type { EventKind, SimEvent } from '../kernel/events';
import type { Co } from '../kernel/coroutine';
import type { DriverFn } from '../kernel/driverFn';
import type { Kernel } from '../kernel/kernel';
import { registerNumberedKind } from '../kernel/shared';
import { STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { FLTFL_CALLBACK_DATA } from './constants';
import type { Instance, OperationCallbacks, Volume } from './objects';
import type { FileObject, FltIoParameterBlock, IoStatusBlock } from './structs';
import { EngineStruct, ownerOrPointer, type EngineBuffer, type Marshal } from '../kernel/marshal';
import type { StructView } from '../memory/view';

export type DataState =
  | 'issued'
  | 'pre-op'
  | 'pended'
  | 'queued'
  | 'removed'
  | 'in-fs'
  | 'completed'
  | 'cancelled'
  | 'post-op'
  | 'post-pended'
  | 'done';

/** A workload request after defaults are applied. */
export interface IoRequest {
  id: number;
  major: number;
  minor: number;
  /** The path as given (`\Device\HarddiskVolume1\docs\a.txt`). */
  path: string;
  length: number;
  offset: number;
  fastio: boolean;
  paging: boolean;
  nocache: boolean;
  synchronous: boolean;
  systemBuffer: boolean;
  topLevelIrp: boolean;
  kernelMode: boolean;
  infoClass: number;
  code: number;
  at: number;
  /** Parameters.Create.Options: the disposition in the high byte, FILE_* create options below. */
  createOptions?: number;
  /** What the buffer holds at issue (a write's data, a set-information structure, a control request's input). */
  data?: Uint8Array;
  /** A control request's output buffer length when it differs from `length` (`output N`). */
  outputLength?: number;
  /** A directory query's pattern. */
  pattern?: string;
  /** A directory change notification's FILE_NOTIFY_CHANGE_* bits (Parameters.DirectoryControl.NotifyDirectory). */
  completionFilter?: number;
  /** A directory change notification that watches the folder's whole tree (SL_WATCH_TREE). */
  watchTree?: boolean;
  /** How many times this create has been reparsed to a new name. */
  reparses?: number;
  /** A create's ACCESS_MASK (FILE_GENERIC_READ | FILE_GENERIC_WRITE when absent). */
  desiredAccess?: number;
  /** A create's FILE_SHARE_* bits (all three when absent). */
  shareAccess?: number;
  /** A filter's create with IO_IGNORE_SHARE_ACCESS_CHECK: share access is neither checked nor counted. */
  ignoreShareAccess?: boolean;
  /** A set-information request's structure, as the scenario describes it. */
  setInfo?: { target?: string; replace?: boolean; delete?: boolean };
  /** A transacted create: the transaction its file is opened in. */
  transaction?: object;
  /** The process whose thread issues it; the default workload process (System for kernel-mode requests) when absent. */
  process?: KProcess;
}

/**
 * The cancel-safe queue an operation sits in, as the operation sees it: a name for messages, and
 * a way to drop it from the queue's books. The queue itself is cbdq.ts's `CbdqState`.
 */
export interface QueueHolder {
  readonly name: string;
  forget(data: FltCallbackData): void;
}

/** What a filter owes an operation on its way back up: its post-operation callback. */
export interface PostFrame {
  inst: Instance;
  ops: OperationCallbacks;
  ctx: unknown;
  /** The thread that returned FLT_PREOP_SYNCHRONIZE and waits to run this post-op itself. */
  sync: KThread | null;
  /** Called already with FLTFL_POST_OPERATION_DRAINING during instance teardown. */
  drained: boolean;
}

export class FltCallbackData extends EngineStruct {
  protected get cTag(): string {
    return '_FLT_CALLBACK_DATA';
  }

  // --- C-visible (FLT_CALLBACK_DATA): accessors below, over these until C sees the object ---
  private flags: number;
  private readonly thread: KThread;
  private readonly iopb: FltIoParameterBlock;
  /** The JS block, then (once C has seen the operation) the view of its IO_STATUS_BLOCK. */
  private ioStatus: IoStatusBlock;
  private requestorMode: number;
  // QueueContext and FilterContext are made on first use: most operations never use them.
  private queueContextStore: unknown[] | undefined = undefined;
  private filterContextStore: unknown[] | undefined = undefined;

  // --- engine-private ---
  state: DataState = 'issued';
  /** Who the state refers to: the filter in pre-op/post-op/pended, the cbdq when queued. */
  stateOwner = '';
  /** Seqs of this operation's events, oldest first (see `history`). */
  readonly historySeqs: number[] = [];
  private readonly log: Kernel['log'];
  /** Instances of the volume at issue time, highest altitude first. */
  stack: Instance[];
  /** Index in `stack` of the next pre-operation callback to call. */
  preIndex = 0;
  /** Post-operation callbacks owed, lowest filter last (popped first). */
  readonly post: PostFrame[] = [];
  /** The instance whose pre-op pended the operation, until it is resumed. */
  pendedBy: Instance | null = null;
  /** Set when the pre-op pended without any hand-off the engine can see (own queues are legal). */
  noHandoff: string | null = null;
  /** The post frame whose callback returned MORE_PROCESSING_REQUIRED, until it is resumed. */
  postPendedBy: PostFrame | null = null;
  /** FltCompletePendedPreOperation called while the pre-op was still running (a legal race). */
  early: { status: number; ctx: unknown } | null = null;
  /** How many times FltCompletePendedPreOperation resumed this operation. */
  resumed = 0;
  /** The CallbackStatus of the last resumption. */
  lastResumeStatus = -1;
  /** IRP cancel flag (FltIsIoCanceled). */
  cancelled = false;
  /** The cancel routine has been claimed (by a cancel in progress, or by a removal). */
  cancelTaken = false;
  /** FltSetCancelCompletion's routine. */
  cancelRoutine: DriverFn | null = null;
  cbdq: QueueHolder | null = null;
  cbdqContext: unknown = null;
  /** The issuing thread when it waits for a synchronous operation to finish. */
  waiter: KThread | null = null;
  /** Which filter completed the operation in its pre-op path (COMPLETE). */
  completedBy: string | null = null;
  /** The SafePostCallback was posted to a worker (FltDoCompletionProcessingWhenSafe). */
  safePosted = false;
  /** The posted SafePostCallback's work until it runs; `orphaned` once the post-op ignored it, so it must not resume the operation. */
  safePostWork: { orphaned: boolean } | null = null;
  /** A posted SafePostCallback that returned before its post-op did (several processors). */
  safeResult: number | null = null;
  /** A posted SafePostCallback returned MORE_PROCESSING_REQUIRED: FltCompletePendedPostOperation is owed. */
  safeMpr = false;
  /** Fast I/O a filter disallowed: the issuing thread reissues it as an IRP. */
  reissue = false;
  /**
   * The system buffer the file system made to complete the operation away from the caller's
   * thread (systemBuffers.ts); the caller's own buffer gets its bytes once post-ops are done.
   */
  newSystemBuffer: { buffer: EngineBuffer; userBuffer: unknown } | undefined = undefined;
  /** A pre-operation callback is running for this operation right now. */
  preRunning = false;
  /** FltRequestOperationStatusCallback requests, called when the file system's dispatch returns (made on the first: few operations have any). */
  statusRequests: OperationStatusRequest[] | null = null;
  /** A post-operation callback is running with FLTFL_POST_OPERATION_DRAINING. */
  draining = false;
  readonly fileObject: FileObject;
  readonly volume: Volume;
  /** Place in the Filter Manager's live table (InsertionTable), 0 once done. */
  tableSeq = 0;
  /** `#3`: how events and messages name the operation. */
  readonly label: string;
  /** Filter-initiated I/O: the instance whose routine issued it (FltReadFile and kin). */
  issuedBy: Instance | null = null;
  /** From FltAllocateCallbackData: the instance that allocated it (it issues it when sent). */
  allocatedBy: Instance | null = null;
  /** An allocated callback data has been sent at least once. */
  sent = false;
  /** Called once the operation is done (an asynchronous filter-initiated operation's callback). */
  onDone: ((data: FltCallbackData) => void) | null = null;
  /**
   * The file system completed it at PASSIVE_LEVEL, as FsRtl completes a change notification in the
   * thread that made the change: its completion routines run there, not in the DPC context.
   */
  passiveCompletion = false;
  /**
   * Completed in the thread that cancelled it (a cancel routine completes the IRP it cancels, in
   * that thread): the completion callback of filter-issued I/O is kept here and runs there too.
   */
  completingInline = false;
  inlineCompletion: ((t: KThread) => Co<void>) | null = null;

  constructor(
    readonly id: number,
    readonly request: IoRequest,
    thread: KThread,
    flags: number,
    iopb: FltIoParameterBlock,
    fileObject: FileObject,
    volume: Volume,
    log: Kernel['log'],
  ) {
    super();
    this.log = log;
    this.flags = flags;
    this.thread = thread;
    this.iopb = iopb;
    this.ioStatus = { Status: 0, Information: 0 };
    this.requestorMode = request.kernelMode ? 0 : 1;
    this.fileObject = fileObject;
    this.volume = volume;
    // Volume.attach and detach replace the array, so sharing it is a snapshot of the stack.
    this.stack = volume.instances;
    this.label = `#${id}`;
  }

  get Flags(): number {
    return this.c === undefined ? this.flags : (this.c.Flags as number);
  }

  set Flags(v: number) {
    if (this.c === undefined) this.flags = v;
    else this.c.Flags = v;
  }

  /** Read-only for drivers: the engine checks after each callback that it did not change. */
  get Thread(): unknown {
    return this.c === undefined ? this.thread : ownerOrPointer(this.c.Thread);
  }

  set Thread(v: unknown) {
    if (this.c !== undefined) this.c.Thread = v;
  }

  /** The thread that issued the operation (what Thread holds unless a driver broke it). */
  get issuingThread(): KThread {
    return this.thread;
  }

  get Iopb(): FltIoParameterBlock {
    return this.iopb;
  }

  get IoStatus(): IoStatusBlock {
    return this.ioStatus;
  }

  get RequestorMode(): number {
    return this.c === undefined ? this.requestorMode : (this.c.RequestorMode as number);
  }

  set RequestorMode(v: number) {
    if (this.c === undefined) this.requestorMode = v;
    else this.c.RequestorMode = v;
  }

  get TagData(): unknown {
    return this.c === undefined ? null : this.c.TagData;
  }

  /** The embedded LIST_ENTRY a cancel-safe queue links the operation with (memory once C uses it). */
  get QueueLinks(): unknown {
    return this.c === undefined ? { Flink: null, Blink: null } : this.c.QueueLinks;
  }

  /** PVOID QueueContext[2], for the queue's own use. */
  get QueueContext(): unknown {
    return this.c === undefined ? (this.queueContextStore ??= [null, null]) : this.c.QueueContext;
  }

  /** PVOID FilterContext[4], for the filter's own use. */
  get FilterContext(): unknown {
    return this.c === undefined ? (this.filterContextStore ??= [null, null, null, null]) : this.c.FilterContext;
  }

  protected override cLabel(): string {
    return `FLT_CALLBACK_DATA ${this.label}`;
  }

  protected override cFill(v: StructView, _m: Marshal): void {
    v.Flags = this.flags;
    v.Thread = this.thread;
    v.Iopb = this.iopb;
    const io = v.IoStatus as StructView;
    io.Status = this.ioStatus.Status;
    io.Information = this.ioStatus.Information;
    // From now on IoStatus is that memory; one view serves every later access.
    this.ioStatus = io as unknown as IoStatusBlock;
    v.RequestorMode = this.requestorMode;
    const fill = (name: string, values: unknown[] | undefined): void => {
      if (values === undefined) return;
      const arr = v[name] as { set(i: number, x: unknown): void };
      values.forEach((x, i) => arr.set(i, x));
    };
    fill('QueueContext', this.queueContextStore);
    fill('FilterContext', this.filterContextStore);
  }

  /** FltReuseCallbackData: back to a fresh operation that has not been issued. */
  resetForReuse(): void {
    this.state = 'issued';
    this.stateOwner = '';
    this.preIndex = 0;
    this.post.length = 0;
    this.pendedBy = null;
    this.postPendedBy = null;
    this.early = null;
    this.cancelled = false;
    this.completedBy = null;
    this.Flags &= ~FLTFL_CALLBACK_DATA.POST_OPERATION;
  }

  get isIrp(): boolean {
    return (this.Flags & FLTFL_CALLBACK_DATA.IRP_OPERATION) !== 0;
  }

  get isFastIo(): boolean {
    return (this.Flags & FLTFL_CALLBACK_DATA.FAST_IO_OPERATION) !== 0;
  }

  get major(): number {
    return this.Iopb.MajorFunction;
  }

  get live(): boolean {
    return this.state !== 'done';
  }

  /** Moves to `state` and records the transition as an event of `kind`. */
  move(k: Kernel, state: DataState, owner: string, kind: EventKind, detail: string): void {
    k.touchObject(this, true);
    this.state = state;
    this.stateOwner = owner;
    this.historySeqs.push(k.emit(kind, this.id, detail));
  }

  /** Records an event about this operation without changing its state; `item`: the work item it concerns. */
  note(k: Kernel, kind: EventKind, detail: string, item = 0): void {
    k.touchObject(this, true);
    this.historySeqs.push(k.emit(kind, this.id, detail, item));
  }

  /** The events of this operation still in the event log, oldest first. */
  get history(): SimEvent[] {
    const out: SimEvent[] = [];
    for (const seq of this.historySeqs) {
      const e = this.log.get(seq);
      if (e !== undefined) out.push(e);
    }
    return out;
  }

  /** The state as the snapshot and `expect #N state` read it: `pended by cancelSafe`. */
  describeState(): string {
    return this.stateOwner ? `${this.state} (${this.stateOwner})` : this.state;
  }

  /** Completed with STATUS_CANCELLED is shown as cancelled. */
  completedState(): DataState {
    return this.IoStatus.Status >>> 0 === STATUS.STATUS_CANCELLED ? 'cancelled' : 'completed';
  }
}

registerNumberedKind(FltCallbackData, 'callback data');

/** The id of a callback data argument, 0 when it is not one (checks made before the argument is). */
export function callbackDataId(v: unknown): number {
  return v instanceof FltCallbackData ? v.id : 0;
}

/** A FltRequestOperationStatusCallback request (engine/fltmgr/operationStatus.ts calls it). */
export interface OperationStatusRequest {
  readonly inst: Instance;
  readonly routine: unknown;
  readonly context: unknown;
  readonly iopb: FltIoParameterBlock;
}

/** The callback data a routine was given, or null after recording what is wrong with it. */
export function callbackDataArg(k: Kernel, v: unknown, routine: string): FltCallbackData | null {
  if (v instanceof FltCallbackData) return v;
  if (v === null || v === undefined) k.violation('null-param', `${routine} needs a callback data pointer, got NULL`);
  else k.violation('bad-object', `${routine} needs a PFLT_CALLBACK_DATA, got something else`);
  return null;
}
