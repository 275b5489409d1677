/**
 * The file system under the filters: volumes holding folders and files with content (fsTree.ts),
 * one model that workload I/O and filter-initiated I/O (FltReadFile and kin) both reach.
 *
 * - Volumes come from the scenario (`volume` lines: file system, sector size, writable, removable).
 *   A declared volume holds exactly the folders and files the scenario declares. The default volume
 *   of a scenario without `volume` lines is lenient, as fltsim always was: a path nobody declared is
 *   a 64 KiB file of zeros (a folder when it is listed), unless declared with `exists: false`.
 *   NTFS and ReFS volumes also have their hidden `\System Volume Information` folder.
 * - create: share access (shareAccess.ts: STATUS_SHARING_VIOLATION), dispositions (FILE_SUPERSEDE …
 *   FILE_OVERWRITE_IF) and the options FILE_DIRECTORY_FILE,
 *   FILE_NON_DIRECTORY_FILE and FILE_DELETE_ON_CLOSE; a missing file gives
 *   STATUS_OBJECT_NAME_NOT_FOUND, a missing folder on the way STATUS_OBJECT_PATH_NOT_FOUND.
 * - read and write move real bytes between the file and the operation's buffer (whatever buffer
 *   the filters left in the parameters); reads stop at end of file.
 * - query volume information answers the FILE_FS_* classes volumeInfo.ts builds.
 * - query/set information answer the common classes with the real FILE_*_INFORMATION layouts
 *   (fileinfo.ts); a disposition marks the file, which goes at its last cleanup; rename and link
 *   move or add names. Directory queries return FILE_*_DIRECTORY_INFORMATION entries chained by
 *   NextEntryOffset, resuming where the previous query on the handle stopped.
 * - File ids are stable: a file keeps its id across renames, for the whole run. A handle left open
 *   on a deleted file gets STATUS_FILE_DELETED for everything but cleanup and close.
 * - file system control: FSCTL_GET_OBJECT_ID finds no object id on NTFS; oplock requests are not
 *   granted (STATUS_OPLOCK_NOT_GRANTED), acknowledgments are a protocol error; the rest, and device
 *   control, get STATUS_INVALID_DEVICE_REQUEST.
 * - An IRP whose cancel flag is set when it reaches the file system completes with STATUS_CANCELLED.
 * - IRP reads and writes complete asynchronously, from the completion context at DISPATCH_LEVEL;
 *   everything else, and all fast I/O, completes synchronously in the calling thread, except a
 *   directory change notification with nothing to report yet: the file system pends it and
 *   completes it when a change comes, at cleanup, or when it is cancelled (dirNotify.ts).
 */
import { handMdlToIo } from '../kernel/mdl';
import { readBuffer, readBufferPart, writeBuffer } from '../kernel/buffers';
import { LargeInteger, makeUnicodeString, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { Marshal } from '../kernel/marshal';
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import {
  FILE_ATTRIBUTE, FILE_CREATE_OPTION, FILE_DISPOSITION, FILE_DISPOSITION_FLAG, FILE_INFORMATION_CLASS as FIC,
  FILE_OPENED, FILE_CREATED, FILE_OVERWRITTEN, FILE_SUPERSEDED, FO, IRP_MJ, IRP_MN_NOTIFY_CHANGE_DIRECTORY, IRP_MN_QUERY_DIRECTORY,
  OPLOCK_FSCTL, SL_RESTART_SCAN, SL_RETURN_SINGLE_ENTRY, SL_WATCH_TREE,
} from './constants';
import { DirectoryNotify, FILE_NOTIFY_CHANGE as CHANGE, FileAction } from './dirNotify';
import { directoryEntries, fileInformation, readLinkInformation, type InfoResult } from './fileinfo';
import { EPOCH, FileStream, FsNode, FsVolume, type VolumeSpec } from './fsTree';
import { assignShortName, shortNameOf } from './shortNames';
import { TunnelCache, type Tunnelled } from './tunnel';
import { ALL_SHARE, ShareAccessTable } from './shareAccess';
import { volumeInformation } from './volumeInfo';
import { DEFAULT_DESIRED_ACCESS, FileObject } from './structs';

export interface FileSpec {
  size?: number;
  exists?: boolean;
  /** The file's bytes (its size is their length unless `size` says more). */
  content?: Uint8Array;
  /** A folder rather than a file. */
  directory?: boolean;
}

export interface FsResult {
  status: number;
  information: number;
  async: boolean;
  /** The file system holds the request (STATUS_PENDING) and completes it later through `notify.complete`. */
  pended?: boolean;
}

export const DEFAULT_FILE_SIZE = 64 * 1024;

/** FSCTL_GET_OBJECT_ID. */
const FSCTL_GET_OBJECT_ID = 0x9009c;
const OPLOCK_REQUESTS = new Set<number>([OPLOCK_FSCTL.REQUEST_OPLOCK_LEVEL_1, OPLOCK_FSCTL.REQUEST_OPLOCK_LEVEL_2, OPLOCK_FSCTL.REQUEST_BATCH_OPLOCK, OPLOCK_FSCTL.REQUEST_FILTER_OPLOCK]);
const OPLOCK_ACKS = new Set<number>([OPLOCK_FSCTL.OPLOCK_BREAK_ACKNOWLEDGE, OPLOCK_FSCTL.OPLOCK_BREAK_ACK_NO_2, OPLOCK_FSCTL.OPBATCH_ACK_CLOSE_PENDING]);

export class FileSystemModel {
  private readonly volumes = new Map<string, FsVolume>();
  /** The file object of the latest create per path, which later requests on the path use. */
  private readonly open = new Map<string, FileObject>();
  /** What each workload create's file object replaced in `open`, until the create is done. */
  private readonly replaced = new WeakMap<FileObject, [string, FileObject | undefined][]>();
  private fileObjects = 0;
  private fileIds = 0x10000;
  private streams = 0;
  private readonly shares = new ShareAccessTable();
  /** Virtual time, for file times (set by the Filter Manager before each operation). */
  now: () => number = () => 0;
  marshal: Marshal | undefined = undefined;
  /** Pended directory change notifications and the watches behind them. */
  readonly notify = new DirectoryNotify();
  /** Names of files that left a folder, for a while (tunneling). */
  readonly tunnel = new TunnelCache();
  /** Told before a file or folder loses its name (renamed, or removed): the name cache drops what it held for it. */
  readonly nameLost: ((node: FsNode) => void)[] = [];

  constructor(volumes: readonly VolumeSpec[], files: Readonly<Record<string, FileSpec>> = {}, locate: (path: string) => { volume: { name: string }; nameInVolume: string }) {
    volumes.forEach((v, i) => this.volumes.set(v.name.toLowerCase(), new FsVolume(this, v, 0x5eed0000 + i)));
    for (const [path, spec] of Object.entries(files)) {
      const { volume, nameInVolume } = locate(path);
      const vol = this.volume(volume.name);
      if (spec.exists === false) {
        vol.absent.add(nameInVolume.toLowerCase());
        continue;
      }
      const node = vol.make(nameInVolume, spec.directory ?? false, EPOCH);
      if (spec.content !== undefined) node.write(0, spec.content, EPOCH);
      if (!node.directory) node.setSize(Math.max(spec.size ?? (spec.content ? spec.content.length : DEFAULT_FILE_SIZE), node.size));
    }
    this.notify.store = (buffer, bytes) => this.store(buffer, 0, bytes);
  }

  newFileId(): number {
    return this.fileIds++;
  }

  newStreamId(): number {
    return ++this.streams;
  }

  /** The model of a volume by its device name. */
  volume(name: string): FsVolume {
    const v = this.volumes.get(name.toLowerCase());
    if (v === undefined) throw new Error(`no volume ${name}`);
    return v;
  }

  /** The time the file system stamps now, in 100 ns units since 1601. */
  time(): bigint {
    return EPOCH + BigInt(Math.trunc(this.now())) * 10000n;
  }

  /** The node `nameInVolume` names, made on the spot on a lenient volume (a folder when `directory`). */
  resolve(vol: FsVolume, nameInVolume: string, directory: boolean): FsNode | undefined {
    const hit = vol.lookup(nameInVolume);
    if ('node' in hit) return hit.node.removed ? undefined : hit.node;
    if (vol.strict || vol.absent.has(nameInVolume.toLowerCase())) return undefined;
    const node = vol.make(nameInVolume, directory, EPOCH);
    if (!directory) node.setSize(DEFAULT_FILE_SIZE);
    return node;
  }

  /** A new FILE_OBJECT for a create, or the open one of the path for other requests. */
  fileObjectFor(path: string, volumeName: string, nameInVolume: string, create: boolean, synchronous: boolean, directory = false): FileObject {
    let fo = create ? undefined : this.handleOf(path);
    if (!fo) {
      const k = key(path);
      fo = create ? undefined : this.handleOf(k);
      if (!fo) {
        fo = this.newFileObject(volumeName, nameInVolume, synchronous);
        // The volume's name alone (no `\` after it) opens the volume itself, as a program's DASD open does.
        if (path.length === volumeName.length && path.toLowerCase() === volumeName.toLowerCase()) {
          fo.FileName = makeUnicodeString('');
          fo.Flags |= FO.VOLUME_OPEN;
        }
        if (create) this.replaced.set(fo, [[k, this.open.get(k)], [path, this.open.get(path)]]);
        this.open.set(k, fo);
        // A request other than a create stands for a handle already open on the file: its file
        // object holds the file's stream before the filters see it, so per-stream state
        // (stream and file contexts) set by an earlier open is found.
        const vol = create ? undefined : this.volumes.get(volumeName.toLowerCase());
        if (vol !== undefined) this.nodeOf(fo, vol, directory);
      }
      // Later requests spelled the same way find it without lower-casing the path again.
      if (k !== path) this.open.set(path, fo);
    }
    return fo;
  }

  /**
   * A workload create is done. Until then requests on its path used the handle before it (a
   * program has no handle before its create returns); from now on they use it, unless the create
   * left no handle (it failed, or a filter cancelled it), in which case they keep the one before.
   */
  createDone(fo: FileObject): void {
    const r = this.replaced.get(fo);
    if (r === undefined) return;
    this.replaced.delete(fo);
    if (fo.openHandle) return;
    for (const [k, previous] of r) {
      if (this.open.get(k) !== fo) continue;
      if (previous !== undefined) this.open.set(k, previous);
      else this.open.delete(k);
    }
  }

  /** The handle requests on `path` use: the latest create's, or the one before while that create is in flight. */
  private handleOf(path: string): FileObject | undefined {
    const fo = this.open.get(path);
    if (fo === undefined) return undefined;
    const before = this.replaced.get(fo)?.find(([k]) => k === path)?.[1];
    return before ?? fo;
  }

  /** A file object about to be opened on `nameInVolume` (a create, workload or filter-issued). */
  newFileObject(volumeName: string, nameInVolume: string, synchronous: boolean): FileObject {
    const fo = new FileObject(++this.fileObjects, new FileStream(this.newStreamId(), volumeName, null, volumeName + nameInVolume), nameInVolume, synchronous ? FO.SYNCHRONOUS_IO : 0);
    const devices = this.devicesOf?.(volumeName);
    if (devices !== undefined) {
      fo.DeviceObject = devices.DeviceObject;
      fo.Vpb = devices.Vpb;
    }
    return fo;
  }

  /**
   * FILE_OBJECT's DeviceObject (the volume's storage device) and Vpb for a volume, as the I/O
   * manager sets them at create; volumeDevices.ts answers it.
   */
  devicesOf: ((volumeName: string) => { DeviceObject: unknown; Vpb: unknown } | undefined) | null = null;

  perform(data: FltCallbackData): FsResult {
    const major = data.Iopb.MajorFunction;
    const async = data.isIrp && (major === IRP_MJ.READ || major === IRP_MJ.WRITE);
    if (data.isIrp && data.cancelled) return { status: STATUS.STATUS_CANCELLED, information: 0, async };
    handOverMdls(data.Iopb.Parameters as Record<string, unknown>);
    if (major === IRP_MJ.DIRECTORY_CONTROL && data.Iopb.MinorFunction === IRP_MN_NOTIFY_CHANGE_DIRECTORY) {
      const r = this.notifyChange(data);
      return r === 'pending' ? { status: STATUS.STATUS_PENDING, information: 0, async: true, pended: true } : { ...r, async: false };
    }
    const r = this.performSync(data, major);
    return { status: r.status, information: r.information, async };
  }

  private performSync(data: FltCallbackData, major: number): { status: number; information: number } {
    const fo = data.fileObject;
    const vol = this.volume(data.volume.name);
    if (major === IRP_MJ.CREATE) return this.create(data, fo, vol);
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
        return this.setInformation(data, fo, node, vol);
      case IRP_MJ.QUERY_VOLUME_INFORMATION: {
        const q = p.QueryVolumeInformation as { Length: number; FsInformationClass: number; VolumeBuffer: unknown };
        return this.answer(volumeInformation(this.layouts(), q.FsInformationClass, vol), q.VolumeBuffer, Number(q.Length));
      }
      case IRP_MJ.DIRECTORY_CONTROL:
        return this.queryDirectory(data, fo, node);
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
        return fail(STATUS.STATUS_INVALID_DEVICE_REQUEST);
      default:
        return ok(0);
    }
  }

  /** The file a file object has open; a workload request on a path it never created opens it implicitly. */
  private nodeOf(fo: FileObject, vol: FsVolume, directory: boolean): FsNode | undefined {
    const s = fo.stream;
    if (s.node !== null) return s.node;
    const node = this.resolve(vol, fo.nameInVolume, directory);
    if (node !== undefined) {
      fo.attach(node.stream);
      fo.openHandle = true;
      node.handles++;
      // As if opened for reading and writing, sharing all (not counted: nobody asked for it).
      this.shares.describe(fo, DEFAULT_DESIRED_ACCESS, ALL_SHARE);
    }
    return node;
  }

  private create(data: FltCallbackData, fo: FileObject, vol: FsVolume): { status: number; information: number } {
    const c = (data.Iopb.Parameters as { Create?: { Options: number; ShareAccess?: number; SecurityContext?: { DesiredAccess?: number } } }).Create;
    const options = (c?.Options ?? FILE_DISPOSITION.FILE_OPEN << 24) >>> 0;
    // What the parameters say when the request reaches the file system (a filter may have changed them).
    const access = Number(c?.SecurityContext?.DesiredAccess ?? DEFAULT_DESIRED_ACCESS) >>> 0;
    const share = Number(c?.ShareAccess ?? ALL_SHARE) & ALL_SHARE;
    const disposition = options >>> 24;
    const opts = options & 0xffffff;
    const wantDir = (opts & FILE_CREATE_OPTION.FILE_DIRECTORY_FILE) !== 0;
    // A filter above may have replaced FileName (IoReplaceFileObjectName) and passed the create on:
    // the file system opens the name the file object holds now.
    const name = fo.currentFileName() || fo.nameInVolume;
    const time = this.time();
    let node = this.resolve(vol, name, wantDir);
    let information: number;
    if (node !== undefined && node.deletePending) return fail(STATUS.STATUS_DELETE_PENDING);
    if (node === undefined) {
      if (disposition === FILE_DISPOSITION.FILE_OPEN || disposition === FILE_DISPOSITION.FILE_OVERWRITE) {
        const hit = vol.lookup(name);
        return fail('missing' in hit && hit.missing === 'path' ? STATUS.STATUS_OBJECT_PATH_NOT_FOUND : STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
      }
      const hit = vol.lookup(name);
      if (!('missing' in hit) || hit.parent === null) return fail(STATUS.STATUS_OBJECT_PATH_NOT_FOUND);
      if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
      const tunnelled = this.tunnel.arriving(hit.parent, hit.name, this.now());
      node = new FsNode(this.newFileId(), hit.name, hit.parent, wantDir, vol, time);
      this.takeTunnelled(data, node, hit.name, tunnelled);
      hit.parent.children!.set(node.name.toLowerCase(), node);
      vol.absent.delete(name.toLowerCase());
      information = FILE_CREATED;
      this.notify.changed(node, FileAction.ADDED, nameChange(node));
    } else {
      if (disposition === FILE_DISPOSITION.FILE_CREATE) return fail(STATUS.STATUS_OBJECT_NAME_COLLISION);
      if (wantDir && !node.directory) return fail(STATUS.STATUS_NOT_A_DIRECTORY);
      if ((opts & FILE_CREATE_OPTION.FILE_NON_DIRECTORY_FILE) !== 0 && node.directory) return fail(STATUS.STATUS_FILE_IS_A_DIRECTORY);
      const shared = data.request.ignoreShareAccess === true ? STATUS.STATUS_SUCCESS : this.shares.check(node, access, share);
      if (shared !== STATUS.STATUS_SUCCESS) return fail(shared);
      information = FILE_OPENED;
      if (disposition === FILE_DISPOSITION.FILE_SUPERSEDE || disposition === FILE_DISPOSITION.FILE_OVERWRITE || disposition === FILE_DISPOSITION.FILE_OVERWRITE_IF) {
        if (node.directory) return fail(STATUS.STATUS_INVALID_PARAMETER);
        if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
        // A mapped view holds the file's pages: it cannot be cut short under it.
        if (node.mappedPast(0)) return fail(STATUS.STATUS_USER_MAPPED_FILE);
        const before = node.size;
        node.setSize(0);
        node.written = time;
        information = disposition === FILE_DISPOSITION.FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
        this.notify.changed(node, FileAction.MODIFIED, CHANGE.LAST_WRITE | (before !== 0 ? CHANGE.SIZE : 0));
      }
    }
    if ((opts & FILE_CREATE_OPTION.FILE_DELETE_ON_CLOSE) !== 0) {
      if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
      fo.deleteOnClose = true;
      fo.Flags |= FO.DELETE_ON_CLOSE;
    }
    if (data.request.ignoreShareAccess !== true) this.shares.grant(node, fo, access, share);
    fo.attach(node.stream);
    fo.openHandle = true;
    node.handles++;
    fo.Flags |= FO.FILE_OPEN | FO.HANDLE_CREATED;
    return ok(information);
  }

  /** The last cleanup of a file marked for deletion deletes it. */
  private cleanup(fo: FileObject, node: FsNode): void {
    if (!fo.openHandle) return;
    fo.openHandle = false;
    this.shares.close(fo);
    node.handles = Math.max(0, node.handles - 1);
    if (fo.deleteOnClose) node.deletePending = true;
    if (node.deletePending && node.handles === 0) this.remove(node);
  }

  private remove(node: FsNode): void {
    if (node.parent === null) return;
    for (const f of this.nameLost) f(node);
    this.tunnel.departed(node, shortNameOf(node), this.now());
    node.parent.children!.delete(node.name.toLowerCase());
    node.removed = true;
    this.notify.changed(node, FileAction.REMOVED, nameChange(node));
  }

  private setInformation(data: FltCallbackData, fo: FileObject, node: FsNode, vol: FsVolume): { status: number; information: number } {
    const s = (data.Iopb.Parameters as { SetFileInformation?: { Length: number; FileInformationClass: number; InfoBuffer: unknown } }).SetFileInformation!;
    const cls = s.FileInformationClass;
    const length = Number(s.Length);
    const bytes = this.load(s.InfoBuffer, length);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const u32 = (at: number) => (at + 4 <= bytes.length ? dv.getUint32(at, true) : 0);
    const changes = cls !== FIC.FilePositionInformation;
    if (changes && !vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
    switch (cls) {
      case FIC.FileBasicInformation:
        if (length < 40) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
        if (u32(32) !== 0) {
          const before = node.attributes;
          node.attributes = (u32(32) & ~FILE_ATTRIBUTE.NORMAL) | (node.directory ? FILE_ATTRIBUTE.DIRECTORY : 0);
          if (node.attributes !== before) this.notify.changed(node, FileAction.MODIFIED, CHANGE.ATTRIBUTES);
        }
        return ok(0);
      case FIC.FileEndOfFileInformation:
      case FIC.FileAllocationInformation: {
        if (length < 8) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
        const size = Number(dv.getBigInt64(0, true));
        if (node.directory || size < 0) return fail(STATUS.STATUS_INVALID_PARAMETER);
        if (size < node.size && node.mappedPast(size)) return fail(STATUS.STATUS_USER_MAPPED_FILE);
        const before = node.size;
        if (cls === FIC.FileEndOfFileInformation || size < node.size) node.setSize(size);
        node.written = this.time();
        if (node.size !== before) this.notify.changed(node, FileAction.MODIFIED, CHANGE.SIZE);
        return ok(0);
      }
      case FIC.FilePositionInformation:
        if (length < 8) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
        fo.CurrentByteOffset = new LargeInteger(Number(dv.getBigInt64(0, true)));
        return ok(0);
      case FIC.FileDispositionInformation:
      case FIC.FileDispositionInformationEx: {
        if (length < (cls === FIC.FileDispositionInformation ? 1 : 4)) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
        const flags = cls === FIC.FileDispositionInformation ? (bytes[0] !== 0 ? FILE_DISPOSITION_FLAG.DELETE : 0) : u32(0);
        const del = (flags & FILE_DISPOSITION_FLAG.DELETE) !== 0;
        if (del && node.parent === null) return fail(STATUS.STATUS_CANNOT_DELETE);
        if (del && node.directory && node.children!.size > 0) return fail(STATUS.STATUS_DIRECTORY_NOT_EMPTY);
        // As MmFlushImageSection(MmFlushForDelete) answers while views of the file are mapped.
        if (del && node.mappedViews > 0) return fail(STATUS.STATUS_CANNOT_DELETE);
        if ((flags & FILE_DISPOSITION_FLAG.ON_CLOSE) !== 0) fo.deleteOnClose = del;
        else node.deletePending = del;
        return ok(0);
      }
      case FIC.FileRenameInformation:
      case FIC.FileRenameInformationEx:
      case FIC.FileLinkInformation:
      case FIC.FileLinkInformationEx:
        return this.renameOrLink(data, node, vol, cls, bytes);
      default:
        return fail(STATUS.STATUS_INVALID_INFO_CLASS);
    }
  }

  private renameOrLink(data: FltCallbackData, node: FsNode, vol: FsVolume, cls: number, bytes: Uint8Array): { status: number; information: number } {
    const info = readLinkInformation(this.layouts(), bytes);
    if (info === undefined) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
    const target = this.targetName(info.fileName, node, data.volume.name);
    if (target === undefined) return fail(STATUS.STATUS_NOT_SAME_DEVICE);
    const link = cls === FIC.FileLinkInformation || cls === FIC.FileLinkInformationEx;
    if (link && node.directory) return fail(STATUS.STATUS_FILE_IS_A_DIRECTORY);
    const hit = vol.lookup(target);
    if ('node' in hit && hit.node === node) return ok(0);
    if (!('node' in hit) && hit.parent === null) return fail(STATUS.STATUS_OBJECT_PATH_NOT_FOUND);
    if ('node' in hit) {
      if (!info.replace) return fail(STATUS.STATUS_OBJECT_NAME_COLLISION);
      if (hit.node.directory || hit.node.handles > 0) return fail(STATUS.STATUS_ACCESS_DENIED);
      this.remove(hit.node);
    }
    const after = vol.lookup(target) as { parent: FsNode; name: string };
    const parent = after.parent;
    if (link) {
      // A hard link: the same content under a second name (fltsim keeps one name per file; the
      // link is a copy that shares the file id).
      const copy = new FsNode(node.id, after.name, parent, false, vol, this.time());
      copy.write(0, node.read(0, node.size), this.time());
      parent.children!.set(after.name.toLowerCase(), copy);
      this.notify.changed(copy, FileAction.ADDED, CHANGE.FILE_NAME);
      return ok(0);
    }
    // Within one folder a rename reports the old and the new name; across folders, a removal
    // from the old one and an addition to the new one.
    const sameFolder = node.parent === parent;
    for (const f of this.nameLost) f(node);
    this.tunnel.departed(node, shortNameOf(node), this.now());
    const tunnelled = this.tunnel.arriving(parent, after.name, this.now());
    this.notify.changed(node, sameFolder ? FileAction.RENAMED_OLD_NAME : FileAction.REMOVED, nameChange(node));
    node.parent!.children!.delete(node.name.toLowerCase());
    node.name = after.name;
    node.parent = parent;
    this.takeTunnelled(data, node, after.name, tunnelled);
    parent.children!.set(node.name.toLowerCase(), node);
    this.notify.changed(node, sameFolder ? FileAction.RENAMED_NEW_NAME : FileAction.ADDED, nameChange(node));
    return ok(0);
  }

  /**
   * `node` arrives in its folder as `name` and the tunnel cache had that name: it takes the departed
   * file's creation time and its other name (the long one when it came by the short one).
   */
  private takeTunnelled(data: FltCallbackData, node: FsNode, name: string, t: Tunnelled | undefined): void {
    if (t === undefined) return;
    const byShort = t.long.toUpperCase() !== name.toUpperCase();
    if (byShort && node.parent!.children!.has(t.long.toLowerCase())) return;
    if (byShort) node.name = t.long;
    node.created = t.created;
    assignShortName(node, byShort ? name.toUpperCase() : t.short);
    this.tunnel.noteTunnelled(data.id, node);
  }

  private targetName(fileName: string, node: FsNode, volumeName: string): string | undefined {
    return renameTarget(fileName, node.parent!.path, volumeName);
  }

  private queryDirectory(data: FltCallbackData, fo: FileObject, node: FsNode): { status: number; information: number } {
    if (data.Iopb.MinorFunction !== IRP_MN_QUERY_DIRECTORY) return ok(0);
    if (!node.directory) return fail(STATUS.STATUS_INVALID_PARAMETER);
    const q = (data.Iopb.Parameters as { DirectoryControl?: { QueryDirectory: { Length: number; FileName: unknown; FileInformationClass: number; DirectoryBuffer: unknown } } }).DirectoryControl!.QueryDirectory;
    const flags = data.Iopb.OperationFlags;
    const first = fo.dirCursor === undefined;
    if (first || (flags & SL_RESTART_SCAN) !== 0) {
      const pattern = patternText(q.FileName) ?? fo.dirPattern ?? '*';
      fo.dirPattern = pattern;
      const names = [...node.children!.values()].sort((a, b) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1));
      const entries: { name: string; node: FsNode }[] = node.parent !== null ? [{ name: '.', node }, { name: '..', node: node.parent }] : [];
      for (const n of names) entries.push({ name: n.name, node: n });
      fo.dirCursor = { entries: entries.filter((e) => matches(pattern, e.name)), next: 0 };
    }
    const cursor = fo.dirCursor!;
    if (cursor.next >= cursor.entries.length) {
      return fail(cursor.entries.length === 0 && first ? STATUS.STATUS_NO_SUCH_FILE : STATUS.STATUS_NO_MORE_FILES);
    }
    const single = (flags & SL_RETURN_SINGLE_ENTRY) !== 0;
    const r = directoryEntries(this.layouts(), q.FileInformationClass, cursor.entries.slice(cursor.next, single ? cursor.next + 1 : undefined), Number(q.Length));
    if (r === 'invalid-class') return fail(STATUS.STATUS_INVALID_INFO_CLASS);
    if (r.count === 0) {
      // Not even the first entry fits: its fixed part and as much of the name as fits, and the
      // entry stays for the next query.
      if (r.bytes.length === 0) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
      this.store(q.DirectoryBuffer, 0, r.bytes);
      return { status: STATUS.STATUS_BUFFER_OVERFLOW, information: r.bytes.length };
    }
    cursor.next += r.count;
    this.store(q.DirectoryBuffer, 0, r.bytes);
    return ok(r.bytes.length);
  }

  /** IRP_MN_NOTIFY_CHANGE_DIRECTORY on a folder handle: answered at once, or pended. */
  private notifyChange(data: FltCallbackData): ReturnType<DirectoryNotify['request']> {
    const fo = data.fileObject;
    const node = this.nodeOf(fo, this.volume(data.volume.name), true);
    if (node === undefined) return fail(STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
    if (node.removed) return fail(STATUS.STATUS_DELETE_PENDING);
    const n = (data.Iopb.Parameters as { DirectoryControl?: { NotifyDirectory?: { Length: number; CompletionFilter: number; DirectoryBuffer: unknown } } }).DirectoryControl?.NotifyDirectory;
    if (n === undefined) return fail(STATUS.STATUS_INVALID_PARAMETER);
    return this.notify.request(data, fo, node, {
      length: Number(n.Length),
      completionFilter: Number(n.CompletionFilter),
      watchTree: (data.Iopb.OperationFlags & SL_WATCH_TREE) !== 0,
      buffer: n.DirectoryBuffer,
    });
  }

  /** Writes a query's answer into the caller's buffer as Windows does for a buffer of `length` bytes. */
  private answer(r: InfoResult, buffer: unknown, length: number): { status: number; information: number } {
    if (r === 'invalid-class') return fail(STATUS.STATUS_INVALID_INFO_CLASS);
    if (r === 'no-layouts') return ok(length);
    if (length < r.fixed) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
    const n = Math.min(length, r.bytes.length);
    this.store(buffer, 0, r.bytes.subarray(0, n));
    return { status: n < r.bytes.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS, information: n };
  }

  private layouts(): Marshal | undefined {
    return this.marshal?.layouts !== undefined ? this.marshal : undefined;
  }

  private store(buffer: unknown, offset: number, bytes: Uint8Array): void {
    if (this.marshal === undefined || bytes.length === 0) return;
    if (buffer === null || buffer === undefined) return;
    writeBuffer(this.marshal, buffer, offset, bytes);
  }

  private load(buffer: unknown, length: number): Uint8Array {
    if (this.marshal === undefined || buffer === null || buffer === undefined) return new Uint8Array(Math.max(0, length));
    return readBuffer(this.marshal, buffer, length);
  }

  private advance(fo: FileObject, offset: number): void {
    if ((fo.Flags & FO.SYNCHRONOUS_IO) !== 0) fo.CurrentByteOffset = new LargeInteger(offset);
  }
}

/** The buffer of a read or write: the user buffer, or the memory its MDL describes (direct I/O). */
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

function bufferOf(buffer: unknown, mdl: unknown): unknown {
  if (buffer !== null && buffer !== undefined) return buffer;
  if (mdl === null || mdl === undefined || typeof mdl !== 'object') return null;
  const m = mdl as { MappedSystemVa?: unknown; StartVa?: unknown };
  return m.MappedSystemVa ?? m.StartVa ?? null;
}

function ok(information: number): { status: number; information: number } {
  return { status: STATUS.STATUS_SUCCESS, information };
}

function fail(status: number, information = 0): { status: number; information: number } {
  return { status, information };
}

/** What kind of name change a file or folder's appearing or going is. */
function nameChange(node: FsNode): number {
  return node.directory ? CHANGE.DIR_NAME : CHANGE.FILE_NAME;
}

function key(path: string): string {
  return path.toLowerCase();
}

/** The text of a directory query's FileName (a UNICODE_STRING), if it names anything. */
function patternText(v: unknown): string | undefined {
  if (v === null || v === undefined || typeof v !== 'object') return undefined;
  const text = unicodeStringText(v as UnicodeString);
  return text === '' ? undefined : text;
}

/**
 * Where a rename or link target lands inside `volumeName`: a full `\Device\…` path on the same
 * volume, a `\??\C:\…` path, a path from the volume's root, or a bare name in the folder
 * `parentPath` (the source's). Undefined when the target is on another volume.
 */
export function renameTarget(fileName: string, parentPath: string, volumeName: string): string | undefined {
  const lower = fileName.toLowerCase();
  const vol = volumeName.toLowerCase();
  if (lower.startsWith('\\device\\')) return lower.startsWith(`${vol}\\`) ? fileName.slice(volumeName.length) : undefined;
  if (lower.startsWith('\\??\\')) return fileName.slice(fileName.indexOf(':') + 1);
  if (fileName.startsWith('\\')) return fileName;
  return `${parentPath === '\\' ? '' : parentPath}\\${fileName}`;
}

/** Windows wildcard matching, as FsRtlIsNameInExpression does it (case-insensitive): `*`, `?`. */
export function matches(pattern: string, name: string): boolean {
  const p = pattern.toUpperCase();
  const n = name.toUpperCase();
  if (p === '*' || p === '*.*') return true;
  const re = new RegExp(`^${[...p].map((c) => (c === '*' || c === '<' ? '.*' : c === '?' || c === '>' ? '.' : c === '"' ? '\\.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return re.test(n);
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
