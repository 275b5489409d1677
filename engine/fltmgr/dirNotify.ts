/**
 * Directory change notification (IRP_MN_NOTIFY_CHANGE_DIRECTORY), as the file system keeps it with
 * FsRtlNotifyFilterChangeDirectory: the first request on a folder handle sets up a watch that lives
 * until the handle's cleanup; its completion filter and watch-tree flag are the first request's.
 *
 * - A request with nothing to report is pended (STATUS_PENDING): the file system holds it, and the
 *   filters' post-ops run when it completes later.
 * - A change in the folder (or below it, for a watch-tree watch) that the filter selects completes
 *   the pended request with FILE_NOTIFY_INFORMATION records (NextEntryOffset-chained, 4-byte
 *   aligned, names relative to the watched folder); with no request pended, changes are kept for
 *   the next one, which completes at once.
 * - Records that do not fit the request's buffer (or the changes kept between requests) are
 *   dropped: the request completes with STATUS_NOTIFY_ENUM_DIR and no bytes, telling the caller to
 *   list the folder again.
 * - Cleanup of the handle completes a pended request with STATUS_NOTIFY_CLEANUP; cancelling it
 *   (IoCancelIrp) completes it with STATUS_CANCELLED.
 */
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { FO } from './constants';
import type { FsNode } from './fsTree';
import type { FileObject } from './structs';
import { completionBuffer } from './systemBuffers';
import type { Co } from '../kernel/coroutine';
import type { KThread } from '../kernel/thread';

/** FILE_NOTIFY_CHANGE_* bits of a completion filter. */
export const FILE_NOTIFY_CHANGE = {
  FILE_NAME: 0x1,
  DIR_NAME: 0x2,
  ATTRIBUTES: 0x4,
  SIZE: 0x8,
  LAST_WRITE: 0x10,
  LAST_ACCESS: 0x20,
  CREATION: 0x40,
  EA: 0x80,
  SECURITY: 0x100,
  STREAM_NAME: 0x200,
  STREAM_SIZE: 0x400,
  STREAM_WRITE: 0x800,
} as const;
export const FILE_NOTIFY_VALID_MASK = 0xfff;

/** FILE_ACTION_* of a FILE_NOTIFY_INFORMATION record. */
export enum FileAction {
  ADDED = 1,
  REMOVED = 2,
  MODIFIED = 3,
  RENAMED_OLD_NAME = 4,
  RENAMED_NEW_NAME = 5,
  ADDED_STREAM = 6,
  REMOVED_STREAM = 7,
  MODIFIED_STREAM = 8,
}

/** A change to a named stream is reported as one: its own actions, and the STREAM_* filter bits. */
const STREAM_ACTION: Partial<Record<FileAction, FileAction>> = { [FileAction.ADDED]: FileAction.ADDED_STREAM, [FileAction.REMOVED]: FileAction.REMOVED_STREAM, [FileAction.MODIFIED]: FileAction.MODIFIED_STREAM };

function streamFilter(filter: number): number {
  return (filter & (FILE_NOTIFY_CHANGE.FILE_NAME | FILE_NOTIFY_CHANGE.DIR_NAME) ? FILE_NOTIFY_CHANGE.STREAM_NAME : 0)
    | (filter & FILE_NOTIFY_CHANGE.SIZE ? FILE_NOTIFY_CHANGE.STREAM_SIZE : 0)
    | (filter & FILE_NOTIFY_CHANGE.LAST_WRITE ? FILE_NOTIFY_CHANGE.STREAM_WRITE : 0);
}

/** The bytes of FILE_NOTIFY_INFORMATION before its name. */
const RECORD_HEADER = 12;

export interface NotifyRecord {
  action: FileAction;
  /** Relative to the watched folder: `a.txt`, or `sub\a.txt` below it. */
  name: string;
}

export interface NotifyParameters {
  length: number;
  completionFilter: number;
  watchTree: boolean;
  buffer: unknown;
}

export type NotifyOutcome = { status: number; information: number } | 'pending';

interface Watch {
  readonly fo: FileObject;
  readonly folder: FsNode;
  readonly filter: number;
  readonly tree: boolean;
  /** The request the file system holds, with where its records go. */
  pending: { data: FltCallbackData; length: number; buffer: unknown } | null;
  /** Changes seen while no request was pended, kept for the next one. */
  kept: NotifyRecord[];
  /** Kept changes went past what the caller's buffer can take: the next request gets ENUM_DIR. */
  overflow: boolean;
  /** The buffer length of the latest request: how much the watch keeps between requests. */
  length: number;
}

/** Who answers the requests the file system pended (the dispatcher). */
export interface NotifyCompleter {
  completePended(data: FltCallbackData, status: number, information: number): void;
  /** In thread `t`, which runs now. */
  completePendedIn(t: KThread, data: FltCallbackData, status: number, information: number): Co<void>;
}

export class DirectoryNotify {
  private readonly watches = new Map<FileObject, Watch>();
  /** Completes pended requests (the completion runs from the completion context); the dispatcher sets it. */
  completer: NotifyCompleter | null = null;
  /** Writes a request's records into its buffer; the file system sets it. */
  storage: { store(buffer: unknown, offset: number, bytes: Uint8Array): void } | null = null;

  private complete(data: FltCallbackData, status: number, information: number): void {
    this.completer?.completePended(data, status, information);
  }

  /** Writes records into a request's buffer, through the file system. */
  store(buffer: unknown, bytes: Uint8Array): void {
    this.storage?.store(buffer, 0, bytes);
  }

  /** A notify request on folder handle `fo`: answered now, or pended. */
  request(data: FltCallbackData, fo: FileObject, folder: FsNode, p: NotifyParameters): NotifyOutcome {
    if (!folder.directory) return { status: STATUS.STATUS_INVALID_PARAMETER, information: 0 };
    if ((fo.Flags & FO.CLEANUP_COMPLETE) !== 0) return { status: STATUS.STATUS_NOTIFY_CLEANUP, information: 0 };
    const filter = p.completionFilter >>> 0;
    if (filter === 0 || (filter & ~FILE_NOTIFY_VALID_MASK) !== 0) return { status: STATUS.STATUS_INVALID_PARAMETER, information: 0 };
    let w = this.watches.get(fo);
    if (w === undefined) {
      w = { fo, folder, filter, tree: p.watchTree, pending: null, kept: [], overflow: false, length: p.length };
      this.watches.set(fo, w);
    }
    // A handle holds one pended notify request at a time in this model; a second one waits behind
    // it in Windows. Keep it simple and honest: refuse the second.
    if (w.pending !== null) return { status: STATUS.STATUS_INVALID_DEVICE_REQUEST, information: 0 };
    w.length = p.length;
    if (w.overflow) {
      w.overflow = false;
      w.kept = [];
      return { status: STATUS.STATUS_NOTIFY_ENUM_DIR, information: 0 };
    }
    if (w.kept.length > 0) {
      const records = w.kept;
      w.kept = [];
      return this.answer(records, p.length, p.buffer);
    }
    w.pending = { data, length: p.length, buffer: p.buffer };
    return 'pending';
  }

  /** `node` changed (`filter`: what kind of change it is): every watch that sees it hears of it. */
  changed(node: FsNode, action: FileAction, filter: number): void {
    if (this.watches.size === 0 || node.parent === null) return;
    if (node.base !== null) {
      action = STREAM_ACTION[action] ?? action;
      filter = streamFilter(filter);
    }
    for (const w of this.watches.values()) {
      if ((w.filter & filter) === 0 || !this.sees(w, node.parent)) continue;
      const record = { action, name: relativeName(w.folder, node) };
      if (w.pending !== null) {
        const { data, length, buffer } = w.pending;
        w.pending = null;
        // The change's thread completes it: a user buffer is out of reach there (systemBuffers.ts).
        const r = this.answer([record], length, completionBuffer(data, buffer, length));
        this.complete(data, r.status, r.information);
      } else if (!w.overflow) {
        w.kept.push(record);
        if (encodedLength(w.kept) > w.length) w.overflow = true;
      }
    }
  }

  /** The handle's cleanup: a pended request completes with STATUS_NOTIFY_CLEANUP and the watch ends. */
  cleanup(fo: FileObject): void {
    const w = this.watches.get(fo);
    if (w === undefined) return;
    this.watches.delete(fo);
    if (w.pending !== null) this.complete(w.pending.data, STATUS.STATUS_NOTIFY_CLEANUP, 0);
  }

  /**
   * IoCancelIrp on a request the file system holds: its cancel routine completes it with
   * STATUS_CANCELLED in the cancelling thread, so the post-ops have run when IoCancelIrp returns.
   */
  *cancel(t: KThread, data: FltCallbackData): Co<boolean> {
    for (const w of this.watches.values()) {
      if (w.pending?.data !== data) continue;
      w.pending = null;
      if (this.completer !== null) yield* this.completer.completePendedIn(t, data, STATUS.STATUS_CANCELLED, 0);
      return true;
    }
    return false;
  }

  /** Whether a request is pended on the file system's notify list. */
  holds(data: FltCallbackData): boolean {
    for (const w of this.watches.values()) if (w.pending?.data === data) return true;
    return false;
  }

  private sees(w: Watch, folder: FsNode): boolean {
    if (folder === w.folder) return true;
    if (!w.tree) return false;
    for (let n = folder.parent; n !== null; n = n.parent) if (n === w.folder) return true;
    return false;
  }

  private answer(records: readonly NotifyRecord[], length: number, buffer: unknown): { status: number; information: number } {
    const bytes = encodeRecords(records);
    if (bytes.length > length || buffer === null || buffer === undefined) return { status: STATUS.STATUS_NOTIFY_ENUM_DIR, information: 0 };
    this.store(buffer, bytes);
    return { status: STATUS.STATUS_SUCCESS, information: bytes.length };
  }
}

function relativeName(folder: FsNode, node: FsNode): string {
  const base = folder.path;
  const path = node.path;
  return path.slice(base === '\\' ? 1 : base.length + 1);
}

function recordLength(r: NotifyRecord): number {
  return RECORD_HEADER + r.name.length * 2;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function encodedLength(records: readonly NotifyRecord[]): number {
  let n = 0;
  records.forEach((r, i) => (n += i === records.length - 1 ? recordLength(r) : align4(recordLength(r))));
  return n;
}

/** FILE_NOTIFY_INFORMATION records, each starting 4-byte aligned; the last has NextEntryOffset 0. */
export function encodeRecords(records: readonly NotifyRecord[]): Uint8Array {
  const out = new Uint8Array(encodedLength(records));
  const dv = new DataView(out.buffer);
  let at = 0;
  records.forEach((r, i) => {
    const last = i === records.length - 1;
    const size = last ? recordLength(r) : align4(recordLength(r));
    dv.setUint32(at, last ? 0 : size, true);
    dv.setUint32(at + 4, r.action, true);
    dv.setUint32(at + 8, r.name.length * 2, true);
    for (let c = 0; c < r.name.length; c++) dv.setUint16(at + RECORD_HEADER + c * 2, r.name.charCodeAt(c), true);
    at += size;
  });
  return out;
}

/** Reads FILE_NOTIFY_INFORMATION records back (tests and the timeline use it). */
export function decodeRecords(bytes: Uint8Array): NotifyRecord[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: NotifyRecord[] = [];
  for (let at = 0; at + RECORD_HEADER <= bytes.length;) {
    const next = dv.getUint32(at, true);
    const len = dv.getUint32(at + 8, true);
    let name = '';
    for (let c = 0; c < len / 2; c++) name += String.fromCharCode(dv.getUint16(at + RECORD_HEADER + c * 2, true));
    out.push({ action: dv.getUint32(at + 4, true) as FileAction, name });
    if (next === 0) break;
    at += next;
  }
  return out;
}
