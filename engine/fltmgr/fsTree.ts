/**
 * What a volume holds: its folders and files (FsNode) with their bytes, the one stream object per
 * stream (FileStream, the FsContext every open of the stream shares; a named stream `a.txt:s` is a
 * node of its own), and the volume's tree and properties
 * (FsVolume). The file system that answers operations on them is filesystem.ts.
 */
import { FilePages } from '../kernel/filePages';
import { PAGE_SIZE } from '../memory/page';
import type { AddressSpace } from '../memory/space';
import { childByShortName } from './shortNames';
import { FILE_ATTRIBUTE, FLT_FSTYPE } from './constants';
import { sizeOf } from '../c/types';
import { EngineStruct } from '../kernel/marshal';
import type { SystemLock } from '../kernel/locks';
import type { StructView } from '../memory/view';
import { SectionObjectPointers } from './sectionPointers';
import { splitStream } from './streamNames';

/** Where a volume gets fresh file and stream ids (the file system model, for the whole run). */
export interface IdSource {
  newFileId(): number;
  newStreamId(): number;
}

/** File systems a scenario volume can have. */
export const FILE_SYSTEMS = ['ntfs', 'refs', 'fat', 'exfat', 'cdfs', 'udfs'] as const;
export type FileSystemName = (typeof FILE_SYSTEMS)[number];

export interface VolumeSpec {
  /** `\Device\HarddiskVolume2`. */
  name: string;
  fileSystem?: FileSystemName;
  sectorSize?: number;
  writable?: boolean;
  removable?: boolean;
  /** Only declared files exist (true for every volume a scenario declares). */
  strict?: boolean;
}

/** The folder every NTFS and ReFS volume has at its root. */
export const SYSTEM_VOLUME_INFORMATION = '\\System Volume Information';

/** FLT_FILESYSTEM_TYPE of each file system. */
export const FS_TYPE: Readonly<Record<FileSystemName, number>> = {
  ntfs: FLT_FSTYPE.NTFS, refs: FLT_FSTYPE.REFS, fat: FLT_FSTYPE.FAT, exfat: FLT_FSTYPE.EXFAT, cdfs: FLT_FSTYPE.CDFS, udfs: FLT_FSTYPE.UDFS,
};

/** Driver names as FLT_VOLUME_PROPERTIES reports them (`\FileSystem\Ntfs`). */
export const FS_DRIVER_NAME: Readonly<Record<FileSystemName, string>> = {
  ntfs: 'Ntfs', refs: 'ReFS', fat: 'fastfat', exfat: 'exfat', cdfs: 'cdfs', udfs: 'udfs',
};

/** 2026-01-01T00:00:00Z in 100 ns units since 1601: the simulated clock's time zero on disk. */
export const EPOCH = 134116992000000000n;

/** Where a write's bytes come from, a chunk at a time (undefined: known to be zeros). */
export interface ChunkSource {
  length: number;
  read: (from: number, n: number) => Uint8Array | undefined;
}

/** Bytes per chunk of file content. */
const CHUNK = 64 * 1024;

/**
 * Whether every byte is zero, four at a time where they are aligned for it: a 4 GiB write of
 * zeros took 45 s byte by byte with a callback (found by npm run fuzz).
 */
function allZero(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes.byteOffset + i) % 4 !== 0) if (bytes[i++] !== 0) return false;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (bytes.length - i) >>> 2);
  for (let w = 0; w < words.length; w++) if (words[w] !== 0) return false;
  for (i += words.length * 4; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A folder or file of a volume. Its id never changes, whatever it is renamed to. */
export class FsNode {
  children: Map<string, FsNode> | null;
  /**
   * Content in chunks of CHUNK bytes, only those written with something other than zeros: a write
   * far past the end (at 4 GiB, found by npm run fuzz) costs one chunk, not a buffer of that size.
   */
  private readonly chunks = new Map<number, Uint8Array>();
  /**
   * Once a section maps the file, its content lives in the pages views share (and `chunks` stay
   * empty): the file and every view see the same bytes.
   */
  private pages: FilePages | null = null;
  size: number;
  attributes: number;
  /** Creation time; tunneling (tunnel.ts) gives a file that takes a departed one's name its creation time. */
  created: bigint;
  written: bigint;
  /** A disposition asked for deletion: the file goes at its last cleanup. */
  deletePending = false;
  /** Gone from its folder (deleted, or replaced by a rename). */
  removed = false;
  /** Handles open on it (creates not yet cleaned up). */
  handles = 0;
  private streamObject: FileStream | undefined = undefined;
  /** A named stream (`a.txt:backup`) is a node of its own: the file it belongs to, and its name. */
  base: FsNode | null = null;
  streamName = '';
  /** The file's named data streams by lower-case name (its default stream is the node itself). */
  private named: Map<string, FsNode> | undefined = undefined;

  constructor(
    readonly id: number,
    public name: string,
    public parent: FsNode | null,
    directory: boolean,
    readonly volume: FsVolume,
    time: bigint,
  ) {
    this.children = directory ? new Map() : null;
    this.size = 0;
    this.attributes = directory ? FILE_ATTRIBUTE.DIRECTORY : FILE_ATTRIBUTE.ARCHIVE;
    this.created = time;
    this.written = time;
  }

  get directory(): boolean {
    return this.children !== null;
  }

  /** `\docs\a.txt` inside its volume (`\docs\a.txt:s` for a named stream); `\` for the root. */
  get path(): string {
    if (this.base !== null) return `${this.base.path}:${this.streamName}`;
    if (this.parent === null) return '\\';
    const parts: string[] = [this.name];
    for (let n = this.parent; n.parent !== null; n = n.parent) parts.push(n.name);
    return `\\${parts.reverse().join('\\')}`;
  }

  /** The named stream `name` of this file, if it has one. */
  namedStream(name: string): FsNode | undefined {
    return this.named?.get(name.toLowerCase());
  }

  /** The file's named streams, in the order they were made. */
  get namedStreams(): readonly FsNode[] {
    return this.named === undefined ? [] : [...this.named.values()];
  }

  /** A new, empty named stream of this file: a node sharing the file's id, folder and name. */
  addStream(name: string, time: bigint): FsNode {
    const s = new FsNode(this.id, this.name, this.parent, false, this.volume, time);
    s.base = this;
    s.streamName = name;
    (this.named ??= new Map()).set(name.toLowerCase(), s);
    return s;
  }

  /** The named stream leaves the file (deleted). */
  dropStream(s: FsNode): void {
    this.named?.delete(s.streamName.toLowerCase());
  }

  /** The one stream object of this file or named stream (FsContext): every open of it shares it. */
  get stream(): FileStream {
    return (this.streamObject ??= new FileStream(this.volume.model.newStreamId(), this.volume.name, this, this.path));
  }

  /** The allocation size the file system reports: the size rounded up to whole clusters. */
  get allocationSize(): number {
    const cluster = this.volume.clusterSize;
    return Math.ceil(this.size / cluster) * cluster;
  }

  /** The pages sections of this file map: its content moves into them the first time. */
  sharedPages(space: AddressSpace, label: string): FilePages {
    if (this.pages === null) {
      const pages = new FilePages(space, `pages of ${label}`);
      for (const [index, chunk] of this.chunks) pages.write(index * CHUNK, chunk.subarray(0, Math.max(0, Math.min(CHUNK, this.size - index * CHUNK))));
      this.chunks.clear();
      this.pages = pages;
    }
    return this.pages;
  }

  /** Whether a mapped view reaches past `size`, rounded up to a page: the file cannot be cut to it (STATUS_USER_MAPPED_FILE). */
  mappedPast(size: number): boolean {
    return this.pages !== null && Math.ceil(size / PAGE_SIZE) * PAGE_SIZE < this.pages.mappedEnd;
  }

  /** Views of the file mapped now. */
  get mappedViews(): number {
    return this.pages?.viewCount ?? 0;
  }

  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (this.pages !== null) return this.pages.read(offset, Math.max(0, end - offset));
    const out = new Uint8Array(Math.max(0, end - offset));
    for (let at = offset; at < end;) {
      const index = Math.floor(at / CHUNK);
      const local = at - index * CHUNK;
      const n = Math.min(CHUNK - local, end - at);
      const chunk = this.chunks.get(index);
      if (chunk) out.set(chunk.subarray(local, local + n), at - offset);
      at += n;
    }
    return out;
  }

  /**
   * Writes at `offset`: `bytes`, or `length` bytes that `read(from, n)` gives a chunk at a time (a
   * write's buffer, never copied whole; undefined for a part known to be zeros).
   */
  write(offset: number, bytes: Uint8Array, time: bigint): void;
  write(offset: number, source: ChunkSource, time: bigint): void;
  write(offset: number, source: Uint8Array | ChunkSource, time: bigint): void {
    const length = source.length;
    const read = source instanceof Uint8Array ? (from: number, n: number) => source.subarray(from, from + n) : source.read;
    this.setSize(Math.max(this.size, offset + length));
    for (let at = 0; at < length;) {
      const index = Math.floor((offset + at) / CHUNK);
      const local = offset + at - index * CHUNK;
      const n = Math.min(CHUNK - local, length - at);
      const part = read(at, n);
      if (this.pages !== null) {
        if (part === undefined || allZero(part)) this.pages.zero(offset + at, n);
        else this.pages.write(offset + at, part);
        at += n;
        continue;
      }
      let chunk = this.chunks.get(index);
      if (part === undefined || allZero(part)) chunk?.fill(0, local, local + n);
      else {
        if (!chunk) this.chunks.set(index, (chunk = new Uint8Array(CHUNK)));
        chunk.set(part, local);
      }
      at += n;
    }
    this.written = time;
  }

  /** Sets the end of file; bytes past it read as zeros if the file grows again. */
  setSize(size: number): void {
    if (this.pages !== null) {
      // A view's last page may hold bytes stored past the old end: the file grows over zeros.
      if (size < this.size) this.pages.truncate(size);
      else if (size > this.size) this.pages.zero(this.size, Math.min(size, Math.ceil(this.size / PAGE_SIZE) * PAGE_SIZE) - this.size);
      this.size = size;
      return;
    }
    if (size < this.size) {
      for (const [index, chunk] of this.chunks) {
        const start = index * CHUNK;
        if (start >= size) this.chunks.delete(index);
        else if (start + CHUNK > size) chunk.fill(0, size - start);
      }
    }
    this.size = size;
    this.streamObject?.sizesChanged();
  }
}

/** FSRTL_FLAG_ADVANCED_HEADER, FSRTL_FLAG2_SUPPORTS_FILTER_CONTEXTS and FSRTL_FCB_HEADER_V1 (ntifs.h). */
const FCB_ADVANCED_HEADER = 0x40;
const FCB_SUPPORTS_FILTER_CONTEXTS = 0x02;
const FCB_HEADER_V1 = 1;

/** One of the ERESOURCEs a file system's FCB header points at, initialized by the file system. */
class FcbResource extends EngineStruct implements SystemLock {
  readonly systemLockKind = 'resource';

  constructor(private readonly label: string) {
    super();
  }

  protected get cTag(): string {
    return '_ERESOURCE';
  }

  protected override cLabel(): string {
    return this.label;
  }

  protected override cFill(): void {}
}

/**
 * The file system's per-stream object (FsContext): one per stream of a file (the file's default
 * stream, and each named stream), whatever it is opened as. Before
 * a create reaches the file system its file object holds a stream with no file yet (`node` null),
 * named by the path it opens.
 *
 * In C it is what FsContext points at on Windows' file systems: an FSRTL_ADVANCED_FCB_HEADER, whose
 * AllocationSize, FileSize and ValidDataLength follow the file (encryption filters read them to hide
 * their own header), and whose Resource and PagingIoResource are initialized ERESOURCEs a filter may
 * acquire and release (the simulated file system itself does not take them). What C writes into the
 * header is not read back.
 */
export class FileStream extends EngineStruct {
  constructor(
    /** Stable for the run (per run, so runs stay deterministic): what per-stream state is keyed by. */
    readonly id: number,
    readonly volumeName: string,
    public node: FsNode | null,
    private readonly openedAs: string,
  ) {
    super();
  }

  protected get cTag(): string {
    return '_FSRTL_ADVANCED_FCB_HEADER';
  }

  protected override cLabel(): string {
    return `FCB header of ${this.path}`;
  }

  protected override cFill(v: StructView): void {
    v.NodeByteSize = sizeOf(v.$type);
    v.Flags = FCB_ADVANCED_HEADER;
    v.Flags2 = FCB_SUPPORTS_FILTER_CONTEXTS;
    v.Version = FCB_HEADER_V1;
    v.Resource = new FcbResource(`main resource of ${this.path}`);
    v.PagingIoResource = new FcbResource(`paging I/O resource of ${this.path}`);
    this.writeSizes(v);
  }

  /** The file's size changed: the header C may hold says so too. */
  sizesChanged(): void {
    if (this.c !== undefined) this.writeSizes(this.c);
  }

  private writeSizes(v: StructView): void {
    const node = this.node;
    const size = BigInt(node?.size ?? 0);
    (v.AllocationSize as StructView).QuadPart = BigInt(node?.allocationSize ?? 0);
    (v.FileSize as StructView).QuadPart = size;
    (v.ValidDataLength as StructView).QuadPart = size;
  }

  /** `\Device\HarddiskVolume1\docs\a.txt`: where the file is now (renames move it). */
  get path(): string {
    return this.node !== null ? this.volumeName + this.node.path : this.openedAs;
  }

  get size(): number {
    return this.node?.size ?? 0;
  }

  get exists(): boolean {
    return this.node !== null && !this.node.removed;
  }

  private sections: SectionObjectPointers | undefined = undefined;

  /** What FILE_OBJECT.SectionObjectPointer of every open of the stream points at. */
  get sectionPointers(): SectionObjectPointers {
    return (this.sections ??= new SectionObjectPointers(this));
  }

  /** A key for per-stream state, stable across renames. */
  get key(): string {
    return `stream${this.id}`;
  }
}

/** One volume's tree and properties. */
export class FsVolume {
  readonly root: FsNode;
  readonly fileSystem: FileSystemName;
  readonly sectorSize: number;
  readonly writable: boolean;
  readonly removable: boolean;
  readonly strict: boolean;
  /** Paths declared absent on a lenient volume (lower case, inside the volume). */
  readonly absent = new Set<string>();

  constructor(
    readonly model: IdSource,
    spec: VolumeSpec,
    readonly serial: number,
  ) {
    this.fileSystem = spec.fileSystem ?? 'ntfs';
    this.sectorSize = spec.sectorSize ?? 512;
    this.writable = spec.writable ?? this.fileSystem !== 'cdfs';
    this.removable = spec.removable ?? false;
    this.strict = spec.strict ?? false;
    this.root = new FsNode(model.newFileId(), '', null, true, this, EPOCH);
    this.name = spec.name;
    // NTFS and ReFS volumes always have this hidden system folder (filters keep their own files there).
    if (this.fileSystem === 'ntfs' || this.fileSystem === 'refs') {
      this.make(SYSTEM_VOLUME_INFORMATION, true, EPOCH).attributes = FILE_ATTRIBUTE.DIRECTORY | FILE_ATTRIBUTE.HIDDEN | FILE_ATTRIBUTE.SYSTEM;
    }
  }

  readonly name: string;

  get clusterSize(): number {
    return Math.max(this.sectorSize, 4096);
  }

  get fsType(): number {
    return FS_TYPE[this.fileSystem];
  }

  /**
   * The node at `nameInVolume` (`\docs\a.txt`, or a named stream `\docs\a.txt:s`), or why there
   * is none: a missing name or folder, a file without that stream, or a name no stream can have.
   */
  lookup(nameInVolume: string): Lookup {
    const split = splitStream(nameInVolume);
    if (split === undefined) return { missing: 'invalid', parent: null, name: nameInVolume };
    const parts = components(split.file);
    let cur = this.root;
    for (let i = 0; i < parts.length; i++) {
      const next = cur.children?.get(parts[i]!.toLowerCase()) ?? childByShortName(cur, parts[i]!);
      if (next === undefined) return { missing: i === parts.length - 1 ? 'name' : 'path', parent: i === parts.length - 1 && cur.directory ? cur : null, name: parts[i]! };
      cur = next;
    }
    if (split.stream === undefined) return { node: cur };
    const stream = cur.namedStream(split.stream);
    return stream !== undefined ? { node: stream } : { missing: 'stream', parent: null, name: split.stream, file: cur };
  }

  /** Makes the folders of `nameInVolume` and the node itself (a declaration, or a lenient lookup). */
  make(nameInVolume: string, directory: boolean, time: bigint): FsNode {
    const split = splitStream(nameInVolume);
    if (split === undefined) throw new Error(`"${nameInVolume}" is not a valid name for a file or stream`);
    if (split.stream !== undefined) {
      const file = this.make(split.file, directory, time);
      return file.namedStream(split.stream) ?? file.addStream(split.stream, time);
    }
    const parts = components(split.file);
    let cur = this.root;
    for (let i = 0; i < parts.length; i++) {
      const key = parts[i]!.toLowerCase();
      let next = cur.children!.get(key);
      if (next === undefined) {
        next = new FsNode(this.model.newFileId(), parts[i]!, cur, directory || i < parts.length - 1, this, time);
        cur.children!.set(key, next);
      } else if (next.children === null && i < parts.length - 1) {
        // A lenient volume made it a file before anyone listed it as a folder.
        next.children = new Map();
        next.attributes = FILE_ATTRIBUTE.DIRECTORY;
      }
      cur = next;
    }
    return cur;
  }
}

/** What a lookup found: the node, or why there is none. */
export type Lookup =
  | { node: FsNode }
  | { missing: 'name' | 'path'; parent: FsNode | null; name: string }
  | { missing: 'stream'; parent: null; name: string; file: FsNode }
  | { missing: 'invalid'; parent: null; name: string };

/** `\docs\a.txt` → ['docs', 'a.txt']. */
function components(nameInVolume: string): string[] {
  return nameInVolume.split('\\').filter((p) => p !== '');
}
