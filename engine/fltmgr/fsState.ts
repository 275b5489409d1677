/**
 * What the file system model holds between operations: its volumes (fsTree.ts), the file object
 * each path's requests use, handles and share access, file ids, and the moving of bytes in and out
 * of callers' buffers. The operations themselves are filesystem.ts and the fs*.ts beside it.
 *
 * Volumes come from the scenario (`volume` lines: file system, sector size, writable, removable).
 * A declared volume holds exactly the folders and files the scenario declares. The default volume
 * of a scenario without `volume` lines is lenient, as fltsim always was: a path nobody declared is
 * a 64 KiB file of zeros (a folder when it is listed), unless declared with `exists: false`.
 * NTFS and ReFS volumes also have their hidden `\System Volume Information` folder. File ids are
 * stable: a file keeps its id across renames, for the whole run.
 */
import { readBuffer, writeBuffer } from '../kernel/buffers';
import { LargeInteger, makeUnicodeString } from '../kernel/cvalues';
import type { Marshal } from '../kernel/marshal';
import type { FltCallbackData } from './callbackData';
import { FO } from './constants';
import { DirectoryNotify, FileAction } from './dirNotify';
import { nameChange } from './fsNaming';
import { EPOCH, FileStream, FsNode, FsVolume, type VolumeSpec } from './fsTree';
import { assignShortName, shortNameOf } from './shortNames';
import { TunnelCache, type Tunnelled } from './tunnel';
import { ALL_SHARE, ShareAccessTable } from './shareAccess';
import { DEFAULT_DESIRED_ACCESS, FileObject } from './structs';

export interface FileSpec {
  size?: number;
  exists?: boolean;
  /** The file's bytes (its size is their length unless `size` says more). */
  content?: Uint8Array;
  /** A folder rather than a file. */
  directory?: boolean;
}

export const DEFAULT_FILE_SIZE = 64 * 1024;

export class FsState {
  protected readonly volumes = new Map<string, FsVolume>();
  /** The file object of the latest create per path, which later requests on the path use. */
  private readonly open = new Map<string, FileObject>();
  /** What each workload create's file object replaced in `open`, until the create is done. */
  private readonly replaced = new WeakMap<FileObject, [string, FileObject | undefined][]>();
  private fileObjects = 0;
  private fileIds = 0x10000;
  private streams = 0;
  readonly shares = new ShareAccessTable();
  /** Virtual time, for file times (set by the Filter Manager before each operation). */
  clock: { readonly now: number } | null = null;
  now(): number {
    return this.clock === null ? 0 : this.clock.now;
  }
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
    this.notify.storage = this;
  }

  newFileId(): number {
    return this.fileIds++;
  }

  newStreamId(): number {
    return ++this.streams;
  }

  /** The model of a volume by its device name. */
  /** The number of the disk a volume lies on: its place among the scenario's volumes (0 for the first). */
  diskNumber(vol: FsVolume): number {
    return [...this.volumes.values()].indexOf(vol);
  }

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
    // A named stream exists only where it was declared or created, even on a lenient volume.
    if (hit.missing === 'stream' || hit.missing === 'invalid') return undefined;
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

  /**
   * A workload create that reparsed is reopened as `fo` (a create of the new name): the program's
   * handle is that file object, so later requests written with the first name use it too. Until
   * the reopen is done they use the handle before; a failed reopen leaves them with it.
   */
  reopenedAs(originalPath: string, fo: FileObject): void {
    const r = this.replaced.get(fo);
    if (r === undefined) return;
    for (const p of new Set([key(originalPath), originalPath])) {
      if (r.some(([k]) => k === p)) continue;
      r.push([p, this.open.get(p)]);
      this.open.set(p, fo);
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
    const devices = this.devices?.devicesOf(volumeName);
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
  devices: { devicesOf(volumeName: string): { DeviceObject: unknown; Vpb: unknown } | undefined } | null = null;

  /** The file a file object has open; a workload request on a path it never created opens it implicitly. */
  nodeOf(fo: FileObject, vol: FsVolume, directory: boolean): FsNode | undefined {
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

  /** The last cleanup of a file marked for deletion deletes it. */
  cleanup(fo: FileObject, node: FsNode): void {
    if (!fo.openHandle) return;
    fo.openHandle = false;
    this.shares.close(fo);
    node.handles = Math.max(0, node.handles - 1);
    if (fo.deleteOnClose) node.deletePending = true;
    if (node.deletePending && node.handles === 0) this.remove(node);
  }

  /** The file or folder leaves its folder (deleted, or replaced by a rename). */
  remove(node: FsNode): void {
    if (node.parent === null) return;
    for (const f of this.nameLost) f(node);
    if (node.base !== null) {
      node.base.dropStream(node);
      node.removed = true;
      this.notify.changed(node, FileAction.REMOVED, nameChange(node));
      return;
    }
    // A file's named streams go with it.
    for (const s of node.namedStreams) s.removed = true;
    this.tunnel.departed(node, shortNameOf(node), this.now());
    node.parent.children!.delete(node.name.toLowerCase());
    node.removed = true;
    this.notify.changed(node, FileAction.REMOVED, nameChange(node));
  }

  /**
   * `node` arrives in its folder as `name` and the tunnel cache had that name: it takes the departed
   * file's creation time and its other name (the long one when it came by the short one).
   */
  takeTunnelled(data: FltCallbackData, node: FsNode, name: string, t: Tunnelled | undefined): void {
    if (t === undefined) return;
    const byShort = t.long.toUpperCase() !== name.toUpperCase();
    if (byShort && node.parent!.children!.has(t.long.toLowerCase())) return;
    if (byShort) node.name = t.long;
    node.created = t.created;
    assignShortName(node, byShort ? name.toUpperCase() : t.short);
    this.tunnel.noteTunnelled(data.id, node);
  }

  /** The marshal when the driver's C layouts are known (answers are then real bytes). */
  layouts(): Marshal | undefined {
    return this.marshal?.layouts !== undefined ? this.marshal : undefined;
  }

  /** Writes `bytes` into a caller's buffer (nothing without a marshal or a buffer). */
  store(buffer: unknown, offset: number, bytes: Uint8Array): void {
    if (this.marshal === undefined || bytes.length === 0) return;
    if (buffer === null || buffer === undefined) return;
    writeBuffer(this.marshal, buffer, offset, bytes);
  }

  /** `length` bytes of a caller's buffer (zeros when there is none to read). */
  load(buffer: unknown, length: number): Uint8Array {
    if (this.marshal === undefined || buffer === null || buffer === undefined) return new Uint8Array(Math.max(0, length));
    return readBuffer(this.marshal, buffer, length);
  }

  /** A synchronous file object's position moves past what a read or write moved. */
  advance(fo: FileObject, offset: number): void {
    if ((fo.Flags & FO.SYNCHRONOUS_IO) !== 0) fo.CurrentByteOffset = new LargeInteger(offset);
  }
}

function key(path: string): string {
  return path.toLowerCase();
}
