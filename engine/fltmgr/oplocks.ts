/**
 * The oplock package as a filter that owns oplocks calls it (FltInitializeOplock, FltOplockFsctrl,
 * FltCheckOplock…), the way a file system answers oplocks on its files:
 *
 * - A request for an exclusive oplock (level 1, batch, filter) is granted only on an asynchronous
 *   request when the caller's OpenCount is 1 and no other oplock is held; a level 2 oplock while no
 *   exclusive one is. A granted request stays pended (FLT_PREOP_PENDING) until the oplock breaks;
 *   one not granted completes with STATUS_OPLOCK_NOT_GRANTED.
 * - FltCheckOplock on an operation from another handle breaks an exclusive oplock: a create or
 *   read to level 2 (a filter oplock only for a create that wants write or delete access, to none),
 *   a write or set-information to none. The owner's oplock request completes with
 *   FILE_OPLOCK_BROKEN_TO_LEVEL_2 or _TO_NONE and the operation waits for the owner's
 *   acknowledgment (FSCTL_OPLOCK_BREAK_ACKNOWLEDGE, _ACK_NO_2, FSCTL_OPBATCH_ACK_CLOSE_PENDING) or
 *   cleanup: blocked in FltCheckOplock without a WaitCompletionRoutine, pended (FLT_PREOP_PENDING)
 *   with one, which is called when the break ends. Level 2 oplocks break to none on a write or
 *   set-information without waiting for anyone.
 * - The owner's own operations never break its oplock; its cleanup releases it.
 * In the workload the program that holds the oplock is a scenario `io … fsctl … async` request, and
 * its acknowledgment another fsctl line at the time it answers (or none, and the waiting operation
 * stays pended).
 */
import { type Co, Trap } from '../kernel/coroutine';
import type { DriverFn } from '../kernel/driverFn';
import { nameOf } from '../kernel/driverFn';
import type { Kernel } from '../kernel/kernel';
import { isOutParam } from '../kernel/cvalues';
import { formatStatus, STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { ownerOf } from '../memory/pointer';
import { callbackDataArg, type FltCallbackData } from './callbackData';
import { FltPreopStatus, IRP_MJ, OPLOCK_FSCTL } from './constants';
import type { PendingRoutines } from './pending';
import type { FileObject } from './structs';

/** IO_STATUS_BLOCK.Information of a completed oplock request: what the oplock was broken to. */
export const FILE_OPLOCK_BROKEN_TO_LEVEL_2 = 0x7;
export const FILE_OPLOCK_BROKEN_TO_NONE = 0x8;

type Exclusive = 'level1' | 'batch' | 'filter';
type Level = 'none' | 'level2' | Exclusive;

/** An operation waiting for a break to end: its thread blocks, or its WaitCompletionRoutine is called. */
interface Waiter {
  data: FltCallbackData;
  thread: KThread | null;
  routine: DriverFn | null;
  context: unknown;
}

/** The OPLOCK a filter keeps (in a stream context, usually): what is held, by whom, and a break in progress. */
export class Oplock {
  level: Level = 'none';
  /** The exclusive oplock's owner and its pended request. */
  owner: { fileObject: FileObject; request: FltCallbackData } | null = null;
  /** Level 2 holders and their pended requests. */
  readonly shared = new Map<FileObject, FltCallbackData>();
  breakingTo: 'level2' | 'none' | null = null;
  readonly waiters: Waiter[] = [];
  readonly notifies: FltCallbackData[] = [];

  constructor(readonly id: number) {}
}

const EXCLUSIVE: Readonly<Record<number, Exclusive>> = {
  [OPLOCK_FSCTL.REQUEST_OPLOCK_LEVEL_1]: 'level1',
  [OPLOCK_FSCTL.REQUEST_BATCH_OPLOCK]: 'batch',
  [OPLOCK_FSCTL.REQUEST_FILTER_OPLOCK]: 'filter',
};

/** ACCESS_MASK bits that make a create break a filter oplock (write data, append data, delete). */
const WRITE_OR_DELETE = 0x2 | 0x4 | 0x10000;

export class OplockRoutines {
  private oplocks = 0;

  constructor(
    private readonly k: Kernel,
    private readonly pending: PendingRoutines,
  ) {}

  FltInitializeOplock(Oplock_: unknown): void {
    const k = this.k;
    k.checkIrql('FltInitializeOplock');
    if (!isOutParam(Oplock_)) {
      k.violation('null-param', 'FltInitializeOplock needs a pointer to the OPLOCK to initialize');
      return;
    }
    Oplock_.set(new Oplock(++this.oplocks));
  }

  /** Completes what the oplock still holds pended (requests broken to none, waiting operations released), then forgets it. */
  *FltUninitializeOplock(Oplock_: unknown): Co<void> {
    this.k.checkIrql('FltUninitializeOplock');
    const o = this.oplockArg(Oplock_, 'FltUninitializeOplock');
    if (o === null) return;
    yield* this.release(o, 'none');
    (Oplock_ as { set(v: unknown): void }).set(null);
  }

  /** An oplock FSCTL: FLT_PREOP_PENDING for a granted request, FLT_PREOP_COMPLETE (status in IoStatus) otherwise. */
  *FltOplockFsctrl(Oplock_: unknown, CallbackData: unknown, OpenCount: number): Co<number> {
    const k = this.k;
    k.checkIrql('FltOplockFsctrl');
    const o = this.oplockArg(Oplock_, 'FltOplockFsctrl');
    const data = callbackDataArg(k, CallbackData, 'FltOplockFsctrl');
    if (o === null || data === null) return FltPreopStatus.FLT_PREOP_SUCCESS_NO_CALLBACK;
    if (data.major !== IRP_MJ.FILE_SYSTEM_CONTROL) {
      k.violation('bad-object', `FltOplockFsctrl needs an IRP_MJ_FILE_SYSTEM_CONTROL operation; ${data.label} is not one`, data.id);
      return complete(data, STATUS.STATUS_INVALID_PARAMETER);
    }
    const code = fsctlCode(data);
    const fo = data.fileObject;
    const exclusive = EXCLUSIVE[code];
    if (exclusive !== undefined) {
      if (!data.isIrp || data.request.synchronous || OpenCount !== 1 || o.level !== 'none' || o.breakingTo !== null) return complete(data, STATUS.STATUS_OPLOCK_NOT_GRANTED);
      o.level = exclusive;
      o.owner = { fileObject: fo, request: data };
      data.note(k, 'state', `${data.label}: ${exclusive} oplock granted to FO#${fo.id}; the request stays pended until the oplock breaks`);
      return FltPreopStatus.FLT_PREOP_PENDING;
    }
    switch (code) {
      case OPLOCK_FSCTL.REQUEST_OPLOCK_LEVEL_2:
        if (!data.isIrp || data.request.synchronous || (o.level !== 'none' && o.level !== 'level2') || o.breakingTo !== null) return complete(data, STATUS.STATUS_OPLOCK_NOT_GRANTED);
        o.level = 'level2';
        o.shared.set(fo, data);
        data.note(k, 'state', `${data.label}: level 2 oplock granted to FO#${fo.id}`);
        return FltPreopStatus.FLT_PREOP_PENDING;
      case OPLOCK_FSCTL.OPLOCK_BREAK_ACKNOWLEDGE:
      case OPLOCK_FSCTL.OPLOCK_BREAK_ACK_NO_2:
      case OPLOCK_FSCTL.OPBATCH_ACK_CLOSE_PENDING: {
        if (o.breakingTo === null || o.owner === null) return complete(data, STATUS.STATUS_INVALID_OPLOCK_PROTOCOL);
        data.note(k, 'state', `${data.label} acknowledges the oplock break`);
        yield* this.release(o, code === OPLOCK_FSCTL.OPLOCK_BREAK_ACKNOWLEDGE ? o.breakingTo : 'none');
        return complete(data, STATUS.STATUS_SUCCESS);
      }
      case OPLOCK_FSCTL.OPLOCK_BREAK_NOTIFY:
        if (o.breakingTo === null) return complete(data, STATUS.STATUS_SUCCESS);
        o.notifies.push(data);
        return FltPreopStatus.FLT_PREOP_PENDING;
      default:
        return complete(data, STATUS.STATUS_INVALID_PARAMETER);
    }
  }

  /** FLT_PREOP_SUCCESS_WITH_CALLBACK when the operation may go on, FLT_PREOP_PENDING when it waits for a break with its WaitCompletionRoutine. */
  *FltCheckOplock(Oplock_: unknown, CallbackData: unknown, Context: unknown, WaitCompletionRoutine: DriverFn | null, PrePostCallbackDataRoutine: DriverFn | null): Co<number> {
    return yield* this.check('FltCheckOplock', Oplock_, CallbackData, Context, WaitCompletionRoutine, PrePostCallbackDataRoutine, false);
  }

  *FltCheckOplockEx(Oplock_: unknown, CallbackData: unknown, _Flags: number, Context: unknown, WaitCompletionRoutine: DriverFn | null, PrePostCallbackDataRoutine: DriverFn | null): Co<number> {
    return yield* this.check('FltCheckOplockEx', Oplock_, CallbackData, Context, WaitCompletionRoutine, PrePostCallbackDataRoutine, false);
  }

  /** Breaks whatever oplock another handle holds to none, as a write would. */
  *FltOplockBreakToNone(Oplock_: unknown, CallbackData: unknown, Context: unknown, WaitCompletionRoutine: DriverFn | null, PrePostCallbackDataRoutine: DriverFn | null): Co<number> {
    return yield* this.check('FltOplockBreakToNone', Oplock_, CallbackData, Context, WaitCompletionRoutine, PrePostCallbackDataRoutine, true);
  }

  /** FALSE while a break is in progress or level 2 oplocks are held (a fast write could not break them). */
  FltOplockIsFastIoPossible(Oplock_: unknown): number {
    this.k.checkIrql('FltOplockIsFastIoPossible');
    const o = this.oplockArg(Oplock_, 'FltOplockIsFastIoPossible');
    return o !== null && o.breakingTo === null && o.level !== 'level2' ? 1 : 0;
  }

  /** TRUE while a batch or filter oplock is held. */
  FltCurrentBatchOplock(Oplock_: unknown): number {
    this.k.checkIrql('FltCurrentBatchOplock');
    const o = this.oplockArg(Oplock_, 'FltCurrentBatchOplock');
    return o !== null && (o.level === 'batch' || o.level === 'filter') ? 1 : 0;
  }

  private *check(routine: string, Oplock_: unknown, CallbackData: unknown, Context: unknown, wait: DriverFn | null, prePost: DriverFn | null, toNone: boolean): Co<number> {
    const k = this.k;
    k.checkIrql(routine);
    const o = this.oplockArg(Oplock_, routine);
    const data = callbackDataArg(k, CallbackData, routine);
    if (o === null || data === null) return FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK;
    const fo = data.fileObject;
    if (data.major === IRP_MJ.CLEANUP) {
      yield* this.cleanup(o, fo);
      return FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK;
    }
    if (o.owner !== null && o.owner.fileObject !== fo && o.breakingTo === null) {
      const to = toNone ? 'none' : this.breakTo(o.level as Exclusive, data);
      if (to !== null) yield* this.startBreak(o, to, data);
    } else if (o.level === 'level2' && (toNone || data.major === IRP_MJ.WRITE || data.major === IRP_MJ.SET_INFORMATION)) {
      // Level 2 holders are told, and nobody waits for them.
      for (const [holder, request] of [...o.shared]) if (holder !== fo || toNone) yield* this.finishRequest(o, holder, request, FILE_OPLOCK_BROKEN_TO_NONE);
      if (o.shared.size === 0) o.level = 'none';
    }
    if (o.breakingTo === null || o.owner?.fileObject === fo) return FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK;
    if (wait !== null) {
      if (prePost !== null) yield* k.callDriver(k.current, prePost, nameOf(prePost, 'PrePostCallbackDataRoutine'), [data, Context]);
      o.waiters.push({ data, thread: null, routine: wait, context: Context });
      data.note(k, 'state', `${data.label} waits for the oplock break (${routine} returns FLT_PREOP_PENDING)`);
      return FltPreopStatus.FLT_PREOP_PENDING;
    }
    const t = k.current;
    o.waiters.push({ data, thread: t, routine: null, context: null });
    k.beginWait(t, `the oplock break ${data.label} started to be acknowledged (${routine})`, null);
    yield Trap.Block;
    return FltPreopStatus.FLT_PREOP_SUCCESS_WITH_CALLBACK;
  }

  /** What `data` from another handle breaks an exclusive oplock to, or null when it does not break it. */
  private breakTo(level: Exclusive, data: FltCallbackData): 'level2' | 'none' | null {
    switch (data.major) {
      case IRP_MJ.CREATE: {
        if (level !== 'filter') return 'level2';
        const access = Number((data.Iopb.Parameters as { Create?: { SecurityContext?: { DesiredAccess?: number } } }).Create?.SecurityContext?.DesiredAccess ?? 0);
        return (access & WRITE_OR_DELETE) !== 0 ? 'none' : null;
      }
      case IRP_MJ.READ:
        return level === 'filter' ? null : 'level2';
      case IRP_MJ.WRITE:
      case IRP_MJ.SET_INFORMATION:
      case IRP_MJ.FLUSH_BUFFERS:
        return 'none';
      default:
        return null;
    }
  }

  private *startBreak(o: Oplock, to: 'level2' | 'none', cause: FltCallbackData): Co<void> {
    const owner = o.owner!;
    o.breakingTo = to;
    cause.note(this.k, 'state', `${cause.label} breaks the ${o.level} oplock of FO#${owner.fileObject.id} to ${to === 'level2' ? 'level 2' : 'none'}; it waits for the owner's acknowledgment`);
    yield* this.resume(owner.request, STATUS.STATUS_SUCCESS, to === 'level2' ? FILE_OPLOCK_BROKEN_TO_LEVEL_2 : FILE_OPLOCK_BROKEN_TO_NONE);
  }

  /** The owner's cleanup releases its oplock (ending a break in progress); a level 2 holder's, its own. */
  private *cleanup(o: Oplock, fo: FileObject): Co<void> {
    const request = o.shared.get(fo);
    if (request !== undefined) {
      yield* this.finishRequest(o, fo, request, FILE_OPLOCK_BROKEN_TO_NONE);
      if (o.shared.size === 0 && o.level === 'level2') o.level = 'none';
    }
    if (o.owner?.fileObject === fo) yield* this.release(o, 'none');
  }

  /** Ends the exclusive oplock (and any break): the owner keeps a level 2 oplock or none; waiters go on. */
  private *release(o: Oplock, to: 'level2' | 'none'): Co<void> {
    const owner = o.owner;
    const wasBreaking = o.breakingTo !== null;
    o.owner = null;
    o.breakingTo = null;
    o.level = o.shared.size > 0 ? 'level2' : 'none';
    // Not broken yet (cleanup or uninitialize): the owner's request completes now.
    if (owner !== null && !wasBreaking) yield* this.resume(owner.request, STATUS.STATUS_SUCCESS, FILE_OPLOCK_BROKEN_TO_NONE);
    if (to === 'none' && owner !== null) {
      for (const [holder, request] of [...o.shared]) yield* this.finishRequest(o, holder, request, FILE_OPLOCK_BROKEN_TO_NONE);
      o.level = 'none';
    }
    for (const n of o.notifies.splice(0)) yield* this.resume(n, STATUS.STATUS_SUCCESS, 0);
    for (const w of o.waiters.splice(0)) {
      if (w.thread !== null) this.k.wake(w.thread);
      else yield* this.k.callDriver(this.k.current, w.routine!, nameOf(w.routine!, 'WaitCompletionRoutine'), [w.data, w.context]);
    }
  }

  private *finishRequest(o: Oplock, holder: FileObject, request: FltCallbackData, information: number): Co<void> {
    o.shared.delete(holder);
    yield* this.resume(request, STATUS.STATUS_SUCCESS, information);
  }

  /** Completes an oplock FSCTL the package pended, as its filter would with FltCompletePendedPreOperation. */
  private *resume(data: FltCallbackData, status: number, information: number): Co<void> {
    if (data.pendedBy === null) return;
    data.IoStatus.Status = status;
    data.IoStatus.Information = information;
    data.note(this.k, 'state', `the oplock package completes ${data.label}: ${formatStatus(status)}, Information ${information}`);
    yield* this.pending.FltCompletePendedPreOperation(data, FltPreopStatus.FLT_PREOP_COMPLETE, null);
  }

  private oplockArg(v: unknown, routine: string): Oplock | null {
    const raw = isOutParam(v) ? v.get() : null;
    // C code's OPLOCK holds a pointer to the engine object; TypeScript callers' holds the object.
    const o = raw instanceof Oplock ? raw : ownerOf(raw);
    if (o instanceof Oplock) return o;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a pointer to an OPLOCK that FltInitializeOplock initialized`);
    return null;
  }
}

function complete(data: FltCallbackData, status: number): number {
  data.IoStatus.Status = status;
  data.IoStatus.Information = 0;
  return FltPreopStatus.FLT_PREOP_COMPLETE;
}

function fsctlCode(data: FltCallbackData): number {
  const p = data.Iopb.Parameters as { FileSystemControl?: { Common?: { FsControlCode?: number } } };
  return Number(p.FileSystemControl?.Common?.FsControlCode ?? 0) >>> 0;
}
