/**
 * The file system under the filters: volumes holding folders and files with content (fsTree.ts),
 * one model that workload I/O and filter-initiated I/O (FltReadFile and kin) both reach. Its state
 * (volumes, file objects, handles) is fsState.ts; create is fsCreate.ts, set information
 * fsSetInformation.ts, directory control fsDirectory.ts. This module routes each operation and
 * answers the rest:
 *
 * - read and write move real bytes between the file and the operation's buffer (whatever buffer
 *   the filters left in the parameters); reads stop at end of file.
 * - query volume information answers the FILE_FS_* classes volumeInfo.ts builds; query information
 *   answers the common classes with the real FILE_*_INFORMATION layouts (fileinfo.ts).
 * - A handle left open on a deleted file gets STATUS_FILE_DELETED for everything but cleanup and
 *   close.
 * - file system control: FSCTL_GET_OBJECT_ID finds no object id on NTFS; oplock requests are not
 *   granted (STATUS_OPLOCK_NOT_GRANTED), acknowledgments are a protocol error; the rest get
 *   STATUS_INVALID_DEVICE_REQUEST.
 * - device control on a volume open passes the storage queries on to the disk (storageQueries.ts);
 *   other device control gets STATUS_INVALID_DEVICE_REQUEST.
 * - An IRP whose cancel flag is set when it reaches the file system completes with STATUS_CANCELLED.
 * - IRP reads and writes complete asynchronously, from the completion context at DISPATCH_LEVEL;
 *   everything else, and all fast I/O, completes synchronously in the calling thread, except a
 *   directory change notification with nothing to report yet, which the file system pends.
 */
import { handMdlToIo } from '../kernel/mdl';
import { readBuffer, readBufferPart } from '../kernel/buffers';
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { FO, IRP_MJ, IRP_MN_NOTIFY_CHANGE_DIRECTORY, OPLOCK_FSCTL } from './constants';
import { FILE_NOTIFY_CHANGE as CHANGE, FileAction } from './dirNotify';
import { fileInformation, type InfoResult } from './fileinfo';
import { fail, ok, type FsAnswer, type FsResult } from './fsAnswer';
import { createFile } from './fsCreate';
import { notifyChange, queryDirectory } from './fsDirectory';
import { setInformation } from './fsSetInformation';
import { FsState } from './fsState';
import type { FsNode, FsVolume } from './fsTree';
import { isStorageQuery, storageQuery } from './storageQueries';
import { volumeInformation } from './volumeInfo';
import type { FileObject } from './structs';

/** The METHOD_NEITHER view of a control request's parameters (structs.ts fills that one). */
interface ControlBuffers { IoControlCode?: number; InputBufferLength?: number; InputBuffer?: unknown; OutputBufferLength?: number; OutputBuffer?: unknown }

/** FSCTL_GET_OBJECT_ID. */
const FSCTL_GET_OBJECT_ID = 0x9009c;
const OPLOCK_REQUESTS = new Set<number>([OPLOCK_FSCTL.REQUEST_OPLOCK_LEVEL_1, OPLOCK_FSCTL.REQUEST_OPLOCK_LEVEL_2, OPLOCK_FSCTL.REQUEST_BATCH_OPLOCK, OPLOCK_FSCTL.REQUEST_FILTER_OPLOCK]);
const OPLOCK_ACKS = new Set<number>([OPLOCK_FSCTL.OPLOCK_BREAK_ACKNOWLEDGE, OPLOCK_FSCTL.OPLOCK_BREAK_ACK_NO_2, OPLOCK_FSCTL.OPBATCH_ACK_CLOSE_PENDING]);

export class FileSystemModel extends FsState {
  perform(data: FltCallbackData): FsResult {
    const major = data.Iopb.MajorFunction;
    const async = data.isIrp && (major === IRP_MJ.READ || major === IRP_MJ.WRITE);
    if (data.isIrp && data.cancelled) return { status: STATUS.STATUS_CANCELLED, information: 0, async };
    handOverMdls(data.Iopb.Parameters as Record<string, unknown>);
    if (major === IRP_MJ.DIRECTORY_CONTROL && data.Iopb.MinorFunction === IRP_MN_NOTIFY_CHANGE_DIRECTORY) {
      const r = notifyChange(this, data);
      return r === 'pending' ? { status: STATUS.STATUS_PENDING, information: 0, async: true, pended: true } : { ...r, async: false };
    }
    const r = this.performSync(data, major);
    return { status: r.status, information: r.information, async };
  }

  private performSync(data: FltCallbackData, major: number): FsAnswer {
    const fo = data.fileObject;
    const vol = this.volume(data.volume.name);
    if (major === IRP_MJ.CREATE) return createFile(this, data, fo, vol);
    const node = this.nodeOf(fo, vol, major === IRP_MJ.DIRECTORY_CONTROL);
    if (node === undefined) return fail(STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
    // A handle still open on a file that is gone answers STATUS_FILE_DELETED to all but close.
    if (node.removed && major !== IRP_MJ.CLEANUP && major !== IRP_MJ.CLOSE) return fail(STATUS.STATUS_FILE_DELETED);
    const p = data.Iopb.Parameters as Record<string, Record<string, unknown> | undefined>;
    switch (major) {
      case IRP_MJ.READ: {
        const rw = p.Read as { Length?: number; ByteOffset?: { QuadPart: number }; ReadBuffer?: unknown; MdlAddress?: unknown };
        if (node.directory) return fail(STATUS.STATUS_INVALID_DEVICE_REQUEST);
        const offset = byteOffset(rw.ByteOffset, fo, node, false);
        if (offset === undefined) return fail(STATUS.STATUS_INVALID_PARAMETER);
        const length = Number(rw.Length ?? 0);
        if (offset >= node.size) return fail(STATUS.STATUS_END_OF_FILE);
        const bytes = node.read(offset, length);
        this.store(bufferOf(rw.ReadBuffer, rw.MdlAddress), 0, bytes);
        this.advance(fo, offset + bytes.length);
        return ok(bytes.length);
      }
      case IRP_MJ.WRITE: {
        const rw = p.Write as { Length?: number; ByteOffset?: { QuadPart: number }; WriteBuffer?: unknown; MdlAddress?: unknown };
        if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
        if (node.directory) return fail(STATUS.STATUS_INVALID_DEVICE_REQUEST);
        const length = Number(rw.Length ?? 0);
        const offset = byteOffset(rw.ByteOffset, fo, node, true);
        if (offset === undefined) return fail(STATUS.STATUS_INVALID_PARAMETER);
        const buffer = bufferOf(rw.WriteBuffer, rw.MdlAddress);
        const marshal = this.marshal;
        const before = node.size;
        node.write(offset, { length, read: (from, n) => (marshal === undefined ? undefined : readBufferPart(marshal, buffer, from, n)) }, this.time());
        this.advance(fo, offset + length);
        this.notify.changed(node, FileAction.MODIFIED, CHANGE.LAST_WRITE | (node.size !== before ? CHANGE.SIZE : 0));
        return ok(length);
      }
      case IRP_MJ.CLEANUP:
        fo.Flags |= FO.CLEANUP_COMPLETE;
        this.notify.cleanup(fo);
        this.cleanup(fo, node);
        return ok(0);
      case IRP_MJ.QUERY_INFORMATION: {
        const q = p.QueryFileInformation as { Length: number; FileInformationClass: number; InfoBuffer: unknown };
        return this.answer(fileInformation(this.layouts(), q.FileInformationClass, node, fo), q.InfoBuffer, Number(q.Length));
      }
      case IRP_MJ.SET_INFORMATION:
        return setInformation(this, data, fo, node, vol);
      case IRP_MJ.QUERY_VOLUME_INFORMATION: {
        const q = p.QueryVolumeInformation as { Length: number; FsInformationClass: number; VolumeBuffer: unknown };
        return this.answer(volumeInformation(this.layouts(), q.FsInformationClass, vol), q.VolumeBuffer, Number(q.Length));
      }
      case IRP_MJ.DIRECTORY_CONTROL:
        return queryDirectory(this, data, fo, node);
      case IRP_MJ.FILE_SYSTEM_CONTROL: {
        // Files here have no object id (NTFS's answer for a file that never got one).
        const code = Number((p.FileSystemControl as { Neither?: { FsControlCode?: number } } | undefined)?.Neither?.FsControlCode ?? 0) >>> 0;
        if (code === FSCTL_GET_OBJECT_ID && vol.fileSystem === 'ntfs') return fail(STATUS.STATUS_OBJECTID_NOT_FOUND);
        // No oplock is ever granted below the filters (a filter that owns oplocks answers them itself, oplocks.ts).
        if (OPLOCK_REQUESTS.has(code)) return fail(STATUS.STATUS_OPLOCK_NOT_GRANTED);
        if (OPLOCK_ACKS.has(code)) return fail(STATUS.STATUS_INVALID_OPLOCK_PROTOCOL);
        return fail(STATUS.STATUS_INVALID_DEVICE_REQUEST);
      }
      case IRP_MJ.DEVICE_CONTROL:
      case IRP_MJ.INTERNAL_DEVICE_CONTROL:
        return this.deviceControl(fo, p, vol);
      default:
        return ok(0);
    }
  }

  /**
   * Device control: on a volume open (FltOpenVolume, a program's DASD open) the file system passes
   * the storage queries down to the disk, which answers them (storageQueries.ts); anything else is
   * STATUS_INVALID_DEVICE_REQUEST.
   */
  private deviceControl(fo: FileObject, p: Record<string, unknown>, vol: FsVolume): FsAnswer {
    const c = (p.DeviceIoControl as { Neither?: ControlBuffers } | undefined)?.Neither;
    const code = Number(c?.IoControlCode ?? 0) >>> 0;
    const m = this.layouts();
    if (c === undefined || m === undefined || (fo.Flags & FO.VOLUME_OPEN) === 0 || !isStorageQuery(code)) return fail(STATUS.STATUS_INVALID_DEVICE_REQUEST);
    const inLen = Number(c.InputBufferLength) >>> 0;
    const input = c.InputBuffer === null || c.InputBuffer === undefined ? new Uint8Array(0) : readBuffer(m, c.InputBuffer, inLen);
    const outLen = c.OutputBuffer === null || c.OutputBuffer === undefined ? 0 : Number(c.OutputBufferLength) >>> 0;
    const r = storageQuery(m, code, input, outLen, vol, this.diskNumber(vol));
    if (r.bytes.length > 0) this.store(c.OutputBuffer, 0, r.bytes);
    return { status: r.status, information: r.bytes.length };
  }

  /** Writes a query's answer into the caller's buffer as Windows does for a buffer of `length` bytes. */
  private answer(r: InfoResult, buffer: unknown, length: number): FsAnswer {
    if (r === 'invalid-class') return fail(STATUS.STATUS_INVALID_INFO_CLASS);
    if (r === 'no-layouts') return ok(length);
    if (length < r.fixed) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
    const n = Math.min(length, r.bytes.length);
    this.store(buffer, 0, r.bytes.subarray(0, n));
    return { status: n < r.bytes.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS, information: n };
  }
}

/**
 * An MDL a filter swapped into the parameters (MdlAddress, OutputMdlAddress of any member) is the
 * request's from here on: the Filter Manager frees it when the operation completes.
 */
function handOverMdls(params: Record<string, unknown>): void {
  const member = (o: unknown, name: string): Record<string, unknown> | undefined => (o !== null && typeof o === 'object' ? ((o as Record<string, unknown>)[name] as Record<string, unknown> | undefined) : undefined);
  for (const rw of [member(params, 'Read'), member(params, 'Write')]) handMdlToIo(rw?.MdlAddress);
  const dc = member(params, 'DirectoryControl');
  for (const q of [member(dc, 'QueryDirectory'), member(dc, 'NotifyDirectory')]) handMdlToIo(q?.MdlAddress);
  for (const c of [member(member(params, 'FileSystemControl'), 'Neither'), member(member(params, 'DeviceIoControl'), 'Neither')]) handMdlToIo(c?.OutputMdlAddress);
}

/** The buffer of a read or write: the user buffer, or the memory its MDL describes (direct I/O). */
function bufferOf(buffer: unknown, mdl: unknown): unknown {
  if (buffer !== null && buffer !== undefined) return buffer;
  if (mdl === null || mdl === undefined || typeof mdl !== 'object') return null;
  const m = mdl as { MappedSystemVa?: unknown; StartVa?: unknown };
  return m.MappedSystemVa ?? m.StartVa ?? null;
}

/** ByteOffset values that are not offsets: append (writes only), and the file object's position. */
const FILE_WRITE_TO_END_OF_FILE = -1;
const FILE_USE_FILE_POINTER_POSITION = -2;

/**
 * Where a read or write starts; undefined for a negative offset that is neither special value (the
 * file system refuses it: before, it threw inside the engine).
 */
function byteOffset(raw: { QuadPart: number } | undefined, fo: FileObject, node: FsNode, write: boolean): number | undefined {
  const offset = Number(raw?.QuadPart ?? 0);
  if (offset === FILE_USE_FILE_POINTER_POSITION) return Number(fo.CurrentByteOffset.QuadPart);
  if (write && offset === FILE_WRITE_TO_END_OF_FILE) return node.size;
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}
