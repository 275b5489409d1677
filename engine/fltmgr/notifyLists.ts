/**
 * Change-notification lists a filter keeps itself, as a file system keeps its own with the FsRtl
 * notify package: a filter that answers IRP_MN_NOTIFY_CHANGE_DIRECTORY for folders it presents
 * (a virtual or merged namespace) hands the callback data to FltNotifyFilterChangeDirectory and
 * returns FLT_PREOP_PENDING; FsRtlNotifyFilterReportChange (or FsRtlNotifyFullReportChange) reports
 * a change, which completes a matching pended request with FILE_NOTIFY_INFORMATION records laid out
 * as the file system's own (dirNotify.ts); FsRtlNotifyCleanup ends one handle's watch with
 * STATUS_NOTIFY_CLEANUP and FsRtlNotifyCleanupAll every watch of the list.
 *
 * A list is identified by the LIST_ENTRY head the filter passes and a watch by its FsContext. The
 * package's own entries are kept here, not linked into the filter's list head (the filter must not
 * walk them anyway). TraverseCallback and SubjectContext are accepted and not called (no security
 * model); FilterCallback is called for each matching watch as the package calls it.
 */
import type { Co } from '../kernel/coroutine';
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { writeOut } from '../kernel/objects';
import { pointerOf } from '../kernel/marshal';
import { STATUS } from '../kernel/status';
import { Ptr } from '../memory/pointer';
import { callbackDataArg, type FltCallbackData } from './callbackData';
import { FltPreopStatus, IRP_MJ } from './constants';
import { encodeRecords, FILE_NOTIFY_VALID_MASK, type FileAction, type NotifyRecord } from './dirNotify';
import type { FilterManager } from './fltmgr';
import type { PendingRoutines } from './pending';

const IRP_MN_NOTIFY_CHANGE_DIRECTORY = 0x02;

/** PNOTIFY_SYNC: opaque to C. */
export class NotifySync {
  constructor(readonly id: number) {}
}

interface Watch {
  readonly fsContext: unknown;
  readonly directory: string;
  readonly tree: boolean;
  readonly ignoreBuffer: boolean;
  readonly filter: number;
  readonly filterCallback: DriverFn | null;
  pending: FltCallbackData | null;
  kept: NotifyRecord[];
  /** Kept changes outgrew the latest request's buffer: the next request gets STATUS_NOTIFY_ENUM_DIR. */
  overflow: boolean;
  /** The buffer length of the latest request: how much the watch keeps between requests. */
  length: number;
}

export class NotifyListRoutines {
  private syncs = 0;
  /** Watches by list head, then by FsContext. */
  private readonly lists = new Map<unknown, Map<unknown, Watch>>();

  constructor(
    private readonly fm: FilterManager,
    private readonly pending: PendingRoutines,
  ) {}

  FsRtlNotifyInitializeSync(NotifySync_: unknown): void {
    this.fm.k.checkIrql('FsRtlNotifyInitializeSync');
    writeOut(NotifySync_, new NotifySync(++this.syncs));
  }

  FsRtlNotifyUninitializeSync(NotifySync_: unknown): void {
    this.fm.k.checkIrql('FsRtlNotifyUninitializeSync');
    writeOut(NotifySync_, null);
  }

  /** Takes a notify request into the filter's list: answered at once from changes kept, or held. */
  *FltNotifyFilterChangeDirectory(NotifySync_: unknown, NotifyList: unknown, FsContext: unknown, FullDirectoryName: unknown, WatchTree: unknown, IgnoreBuffer: unknown,
    CompletionFilter: number, NotifyCallbackData: unknown, _TraverseCallback: unknown, _SubjectContext: unknown, FilterCallback: unknown): Co<void> {
    const k = this.fm.k;
    k.checkIrql('FltNotifyFilterChangeDirectory');
    if (!this.checkSync(NotifySync_, NotifyList, 'FltNotifyFilterChangeDirectory')) return;
    const data = callbackDataArg(k, NotifyCallbackData, 'FltNotifyFilterChangeDirectory');
    if (data === null) return;
    if (data.major !== IRP_MJ.DIRECTORY_CONTROL || data.Iopb.MinorFunction !== IRP_MN_NOTIFY_CHANGE_DIRECTORY) {
      k.violation('invalid-parameter', `FltNotifyFilterChangeDirectory needs an IRP_MJ_DIRECTORY_CONTROL / IRP_MN_NOTIFY_CHANGE_DIRECTORY operation; ${data.label} is not one`, data.id);
      return;
    }
    const filter = CompletionFilter >>> 0;
    const list = this.listOf(NotifyList);
    let w = list.get(key(FsContext));
    if (w === undefined) {
      const directory = this.text(FullDirectoryName);
      w = {
        fsContext: FsContext, directory: directory.length > 1 ? directory.replace(/\\$/, '') : directory, tree: truthy(WatchTree), ignoreBuffer: truthy(IgnoreBuffer), filter,
        filterCallback: typeof FilterCallback === 'function' || (typeof FilterCallback === 'object' && FilterCallback !== null) ? FilterCallback as DriverFn : null,
        pending: null, kept: [], overflow: false, length: 0,
      };
      list.set(key(FsContext), w);
    }
    if (filter === 0 || (filter & ~FILE_NOTIFY_VALID_MASK) !== 0) return yield* this.complete(data, STATUS.STATUS_INVALID_PARAMETER, 0);
    if (w.pending !== null) return yield* this.complete(data, STATUS.STATUS_INVALID_DEVICE_REQUEST, 0);
    w.length = this.lengthOf(data);
    if (w.overflow) {
      w.overflow = false;
      w.kept = [];
      return yield* this.complete(data, STATUS.STATUS_NOTIFY_ENUM_DIR, 0);
    }
    if (w.kept.length > 0) {
      const records = w.kept;
      w.kept = [];
      return yield* this.answer(w, data, records);
    }
    w.pending = data;
    // Held on a list the package completes from: a hand-off, as a cbdq insertion is.
    if (k.current.scope) k.current.scope.handoffs++;
    data.note(k, 'state', `${data.label} held on a filter's notify list for ${w.directory} (FltNotifyFilterChangeDirectory)`);
  }

  *FsRtlNotifyFilterReportChange(NotifySync_: unknown, NotifyList: unknown, FullTargetName: unknown, TargetNameOffset: number, _StreamName: unknown, _NormalizedParentName: unknown,
    FilterMatch: number, Action: number, _TargetContext: unknown, FilterContext: unknown): Co<void> {
    this.fm.k.checkIrql('FsRtlNotifyFilterReportChange');
    yield* this.report('FsRtlNotifyFilterReportChange', NotifySync_, NotifyList, FullTargetName, TargetNameOffset, FilterMatch, Action, FilterContext);
  }

  *FsRtlNotifyFullReportChange(NotifySync_: unknown, NotifyList: unknown, FullTargetName: unknown, TargetNameOffset: number, _StreamName: unknown, _NormalizedParentName: unknown,
    FilterMatch: number, Action: number, _TargetContext: unknown): Co<void> {
    this.fm.k.checkIrql('FsRtlNotifyFullReportChange');
    yield* this.report('FsRtlNotifyFullReportChange', NotifySync_, NotifyList, FullTargetName, TargetNameOffset, FilterMatch, Action, null);
  }

  /** The handle whose FsContext this is goes away: its held request completes with STATUS_NOTIFY_CLEANUP. */
  *FsRtlNotifyCleanup(NotifySync_: unknown, NotifyList: unknown, FsContext: unknown): Co<void> {
    this.fm.k.checkIrql('FsRtlNotifyCleanup');
    if (!this.checkSync(NotifySync_, NotifyList, 'FsRtlNotifyCleanup')) return;
    const list = this.listOf(NotifyList);
    const w = list.get(key(FsContext));
    if (w === undefined) return;
    list.delete(key(FsContext));
    if (w.pending !== null) yield* this.complete(w.pending, STATUS.STATUS_NOTIFY_CLEANUP, 0);
  }

  /** Every watch of the list ends; held requests complete with STATUS_NOTIFY_CLEANUP. */
  *FsRtlNotifyCleanupAll(NotifySync_: unknown, NotifyList: unknown): Co<void> {
    this.fm.k.checkIrql('FsRtlNotifyCleanupAll');
    if (!this.checkSync(NotifySync_, NotifyList, 'FsRtlNotifyCleanupAll')) return;
    const list = this.listOf(NotifyList);
    const watches = [...list.values()];
    list.clear();
    for (const w of watches) if (w.pending !== null) yield* this.complete(w.pending, STATUS.STATUS_NOTIFY_CLEANUP, 0);
  }

  /** Whether `data` is held on a filter's notify list (hanging.ts names it so). */
  holds(data: FltCallbackData): string | undefined {
    for (const list of this.lists.values()) for (const w of list.values()) if (w.pending === data) return w.directory;
    return undefined;
  }

  private *report(routine: string, NotifySync_: unknown, NotifyList: unknown, FullTargetName: unknown, TargetNameOffset: number, FilterMatch: number, Action: number, FilterContext: unknown): Co<void> {
    const k = this.fm.k;
    if (!this.checkSync(NotifySync_, NotifyList, routine)) return;
    const full = this.text(FullTargetName);
    const offset = Math.floor(Number(TargetNameOffset) / 2);
    if (offset < 0 || offset > full.length) {
      k.violation('invalid-parameter', `${routine}: TargetNameOffset ${TargetNameOffset} lies outside FullTargetName (${full.length * 2} bytes)`);
      return;
    }
    const parent = full.slice(0, offset).replace(/\\$/, '') || '\\';
    for (const w of [...this.listOf(NotifyList).values()]) {
      if ((w.filter & FilterMatch) === 0) continue;
      const below = samePath(parent, w.directory) ? '' : w.tree && isBelow(parent, w.directory) ? parent.slice(w.directory.length + (w.directory === '\\' ? 0 : 1)) : undefined;
      if (below === undefined) continue;
      if (w.filterCallback !== null) {
        const t = k.current;
        const r = yield* k.callDriver(t, w.filterCallback, nameOf(w.filterCallback, 'FilterCallback'), [w.fsContext, FilterContext]);
        if (!truthy(r)) continue;
      }
      const record: NotifyRecord = { action: Action as FileAction, name: below === '' ? full.slice(offset) : `${below}\\${full.slice(offset)}` };
      if (w.pending !== null) {
        const data = w.pending;
        w.pending = null;
        yield* this.answer(w, data, [record]);
      } else if (!w.overflow) {
        w.kept.push(record);
        if (encodeRecords(w.kept).length > w.length) w.overflow = true;
      }
    }
  }

  /** Fills the request's buffer with `records` (or says ENUM_DIR when they do not fit or the watch ignores buffers) and completes it. */
  private *answer(w: Watch, data: FltCallbackData, records: readonly NotifyRecord[]): Co<void> {
    const bytes = encodeRecords(records);
    const length = this.lengthOf(data);
    const buffer = this.bufferOf(data);
    if (w.ignoreBuffer || bytes.length > length || buffer === null || buffer === undefined) return yield* this.complete(data, STATUS.STATUS_NOTIFY_ENUM_DIR, 0);
    this.fm.fs.notify.store(buffer, bytes);
    yield* this.complete(data, STATUS.STATUS_SUCCESS, bytes.length);
  }

  /** Completes the pended operation as the package does: status and information, then FltCompletePendedPreOperation(FLT_PREOP_COMPLETE). */
  private *complete(data: FltCallbackData, status: number, information: number): Co<void> {
    data.IoStatus.Status = status;
    data.IoStatus.Information = information;
    yield* this.pending.FltCompletePendedPreOperation(data, FltPreopStatus.FLT_PREOP_COMPLETE, null);
  }

  private lengthOf(data: FltCallbackData): number {
    const n = (data.Iopb.Parameters as { DirectoryControl?: { NotifyDirectory?: { Length: number } } }).DirectoryControl?.NotifyDirectory;
    return Number(n?.Length ?? 0);
  }

  private bufferOf(data: FltCallbackData): unknown {
    return (data.Iopb.Parameters as { DirectoryControl?: { NotifyDirectory?: { DirectoryBuffer: unknown } } }).DirectoryControl?.NotifyDirectory?.DirectoryBuffer;
  }

  private checkSync(sync: unknown, list: unknown, routine: string): boolean {
    const k = this.fm.k;
    if (!(sync instanceof NotifySync)) {
      k.violation(sync === null || sync === undefined ? 'null-param' : 'bad-object', `${routine} needs the PNOTIFY_SYNC from FsRtlNotifyInitializeSync`);
      return false;
    }
    if (list === null || list === undefined) {
      k.violation('null-param', `${routine} needs the notify list (a LIST_ENTRY head the filter initialised)`);
      return false;
    }
    return true;
  }

  private listOf(head: unknown): Map<unknown, Watch> {
    let list = this.lists.get(key(head));
    if (list === undefined) this.lists.set(key(head), (list = new Map()));
    return list;
  }

  /** A PSTRING holding UTF-16 (the file systems' names are Unicode: a PUNICODE_STRING passed as a PSTRING). */
  private text(s: unknown): string {
    if (s === null || s === undefined) return '';
    return unicodeStringText(this.fm.k.marshal.deref<UnicodeString>(s, '_UNICODE_STRING'));
  }
}

/** A pointer argument as a map key: C pointers by address, engine objects by identity. */
function key(v: unknown): unknown {
  const p = pointerOf(v);
  return p instanceof Ptr ? p.address : v;
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== 0 && v !== 0n && v !== false;
}

function samePath(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function isBelow(path: string, folder: string): boolean {
  const f = folder === '\\' ? '\\' : `${folder}\\`;
  return path.toLowerCase().startsWith(f.toLowerCase());
}
