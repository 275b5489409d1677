/**
 * What the file system answers to queries, as the bytes of the real x64 structures: the
 * FILE_*_INFORMATION classes of IRP_MJ_QUERY_INFORMATION, the FILE_*_DIRECTORY_INFORMATION entries
 * of a directory query chained by NextEntryOffset, and the FILE_RENAME/LINK_INFORMATION a set
 * request carries. Every offset and size comes from the built-in headers' declarations (through
 * the binding layer), so the engine and C agree by construction.
 */
import { shortNameOf } from './shortNames';
import { sizeOf, type StructType } from '../c/types';
import type { Marshal } from '../kernel/marshal';
import { fieldPlaces } from '../memory/typed';
import { FILE_ATTRIBUTE, FILE_INFORMATION_CLASS as FIC } from './constants';
import type { FsNode } from './fsTree';
import type { FileObject } from './structs';

/** An answer: its bytes, and how many of them a buffer must hold at least (the fixed part). */
export type InfoResult = { fixed: number; bytes: Uint8Array } | 'invalid-class' | 'no-layouts';

/** A structure's size and field offsets, from the built-in headers. */
export class Layout {
  readonly size: number;
  private readonly places: ReturnType<typeof fieldPlaces>;

  constructor(readonly st: StructType) {
    this.size = sizeOf(st);
    this.places = fieldPlaces(st);
  }

  off(name: string): number {
    const p = this.places.get(name);
    if (p === undefined) throw new Error(`${this.st.tag} has no field ${name}`);
    return p.offset;
  }
}

const LAYOUTS = new WeakMap<Marshal, Map<string, Layout>>();

export function layout(m: Marshal, tag: string): Layout {
  let byTag = LAYOUTS.get(m);
  if (byTag === undefined) LAYOUTS.set(m, (byTag = new Map()));
  let l = byTag.get(tag);
  if (l === undefined) byTag.set(tag, (l = new Layout(m.struct(tag))));
  return l;
}

/** A little-endian byte builder over one answer. */
export class Out {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }

  u8(at: number, v: number): void {
    this.dv.setUint8(at, v);
  }

  u16(at: number, v: number): void {
    this.dv.setUint16(at, v, true);
  }

  u32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  i64(at: number, v: number | bigint): void {
    this.dv.setBigInt64(at, BigInt(v), true);
  }

  chars(at: number, text: string): void {
    for (let i = 0; i < text.length; i++) this.dv.setUint16(at + 2 * i, text.charCodeAt(i), true);
  }
}

/** A named stream has the attributes and times of its file. */
function attributesOf(node: FsNode): number {
  node = node.base ?? node;
  return node.attributes === 0 ? FILE_ATTRIBUTE.NORMAL : node.attributes;
}

/** The four times, allocation size, end of file and attributes at the fields of `l` (they share names). */
function writeTimes(o: Out, l: Layout, base: number, node: FsNode): void {
  node = node.base ?? node;
  o.i64(base + l.off('CreationTime'), node.created);
  o.i64(base + l.off('LastAccessTime'), node.written);
  o.i64(base + l.off('LastWriteTime'), node.written);
  o.i64(base + l.off('ChangeTime'), node.written);
}

/** A FILE_INFORMATION_CLASS answer for `node` opened by `fo`; `m` undefined: no C layouts loaded. */
export function fileInformation(m: Marshal | undefined, cls: number, node: FsNode, fo: FileObject): InfoResult {
  if (m === undefined) return isQueryClass(cls) ? 'no-layouts' : 'invalid-class';
  const fixed = (tag: string, fill: (o: Out, l: Layout) => void): InfoResult => {
    const l = layout(m, tag);
    const o = new Out(l.size);
    fill(o, l);
    return { fixed: l.size, bytes: o.bytes };
  };
  const named = (tag: string, name: string, fill: (o: Out, l: Layout) => void): InfoResult => {
    const l = layout(m, tag);
    const at = l.off('FileName');
    const o = new Out(Math.max(l.size, at + 2 * name.length));
    fill(o, l);
    o.u32(l.off('FileNameLength'), 2 * name.length);
    o.chars(at, name);
    return { fixed: at, bytes: o.bytes };
  };
  switch (cls) {
    case FIC.FileBasicInformation:
      return fixed('_FILE_BASIC_INFORMATION', (o, l) => {
        writeTimes(o, l, 0, node);
        o.u32(l.off('FileAttributes'), attributesOf(node));
      });
    case FIC.FileStandardInformation:
      return fixed('_FILE_STANDARD_INFORMATION', (o, l) => standard(o, l, 0, node));
    case FIC.FileInternalInformation:
      return fixed('_FILE_INTERNAL_INFORMATION', (o, l) => o.i64(l.off('IndexNumber'), node.id));
    case FIC.FileEaInformation:
      return fixed('_FILE_EA_INFORMATION', () => undefined);
    case FIC.FileAccessInformation:
      return fixed('_FILE_ACCESS_INFORMATION', (o, l) => o.u32(l.off('AccessFlags'), 0x1f01ff));
    case FIC.FilePositionInformation:
      return fixed('_FILE_POSITION_INFORMATION', (o, l) => o.i64(l.off('CurrentByteOffset'), Number(fo.CurrentByteOffset.QuadPart)));
    case FIC.FileModeInformation:
      return fixed('_FILE_MODE_INFORMATION', (o, l) => o.u32(l.off('Mode'), 0));
    case FIC.FileAlignmentInformation:
      return fixed('_FILE_ALIGNMENT_INFORMATION', (o, l) => o.u32(l.off('AlignmentRequirement'), 0));
    case FIC.FileNameInformation:
    case FIC.FileNormalizedNameInformation:
      return named('_FILE_NAME_INFORMATION', node.path, () => undefined);
    case FIC.FileNetworkOpenInformation:
      return fixed('_FILE_NETWORK_OPEN_INFORMATION', (o, l) => {
        writeTimes(o, l, 0, node);
        o.i64(l.off('AllocationSize'), node.allocationSize);
        o.i64(l.off('EndOfFile'), node.size);
        o.u32(l.off('FileAttributes'), attributesOf(node));
      });
    case FIC.FileAttributeTagInformation:
      return fixed('_FILE_ATTRIBUTE_TAG_INFORMATION', (o, l) => o.u32(l.off('FileAttributes'), attributesOf(node)));
    case FIC.FileIdInformation:
      return fixed('_FILE_ID_INFORMATION', (o, l) => {
        o.i64(l.off('VolumeSerialNumber'), node.volume.serial);
        o.i64(l.off('FileId'), node.id);
      });
    case FIC.FileStreamInformation:
      return streamInformation(m, node);
    case FIC.FileAllInformation: {
      const all = layout(m, '_FILE_ALL_INFORMATION');
      const nameAt = all.off('NameInformation');
      const nameLayout = layout(m, '_FILE_NAME_INFORMATION');
      const text = node.path;
      const o = new Out(Math.max(all.size, nameAt + nameLayout.off('FileName') + 2 * text.length));
      const basic = layout(m, '_FILE_BASIC_INFORMATION');
      writeTimes(o, basic, all.off('BasicInformation'), node);
      o.u32(all.off('BasicInformation') + basic.off('FileAttributes'), attributesOf(node));
      standard(o, layout(m, '_FILE_STANDARD_INFORMATION'), all.off('StandardInformation'), node);
      o.i64(all.off('InternalInformation'), node.id);
      o.u32(all.off('AccessInformation'), 0x1f01ff);
      o.i64(all.off('PositionInformation'), Number(fo.CurrentByteOffset.QuadPart));
      o.u32(nameAt + nameLayout.off('FileNameLength'), 2 * text.length);
      o.chars(nameAt + nameLayout.off('FileName'), text);
      return { fixed: nameAt + nameLayout.off('FileName'), bytes: o.bytes };
    }
    default:
      return 'invalid-class';
  }
}

function standard(o: Out, l: Layout, base: number, node: FsNode): void {
  o.i64(base + l.off('AllocationSize'), node.allocationSize);
  o.i64(base + l.off('EndOfFile'), node.size);
  o.u32(base + l.off('NumberOfLinks'), 1);
  o.u8(base + l.off('DeletePending'), node.deletePending ? 1 : 0);
  o.u8(base + l.off('Directory'), node.directory ? 1 : 0);
}

function isQueryClass(cls: number): boolean {
  return [FIC.FileBasicInformation, FIC.FileStandardInformation, FIC.FileInternalInformation, FIC.FileEaInformation, FIC.FileAccessInformation,
    FIC.FilePositionInformation, FIC.FileModeInformation, FIC.FileAlignmentInformation, FIC.FileNameInformation, FIC.FileNormalizedNameInformation,
    FIC.FileNetworkOpenInformation, FIC.FileAttributeTagInformation, FIC.FileIdInformation, FIC.FileAllInformation, FIC.FileStreamInformation].includes(cls as never);
}

const DIRECTORY_TAGS: Readonly<Record<number, string>> = {
  [FIC.FileDirectoryInformation]: '_FILE_DIRECTORY_INFORMATION',
  [FIC.FileFullDirectoryInformation]: '_FILE_FULL_DIR_INFORMATION',
  [FIC.FileBothDirectoryInformation]: '_FILE_BOTH_DIR_INFORMATION',
  [FIC.FileIdBothDirectoryInformation]: '_FILE_ID_BOTH_DIR_INFORMATION',
  [FIC.FileIdFullDirectoryInformation]: '_FILE_ID_FULL_DIR_INFORMATION',
  [FIC.FileIdExtdDirectoryInformation]: '_FILE_ID_EXTD_DIR_INFORMATION',
  [FIC.FileIdExtdBothDirectoryInformation]: '_FILE_ID_EXTD_BOTH_DIR_INFORMATION',
  [FIC.FileNamesInformation]: '_FILE_NAMES_INFORMATION',
};

/**
 * As many whole directory entries as fit in `length` bytes, each 8-byte aligned and chained by
 * NextEntryOffset (0 in the last). When not even the first fits, `count` is 0 and `bytes` hold its
 * fixed part and as much of its name as fits (empty when not even the fixed part does).
 */
export function directoryEntries(m: Marshal | undefined, cls: number, entries: readonly { name: string; node: FsNode }[], length: number): { bytes: Uint8Array; count: number } | 'invalid-class' {
  const tag = DIRECTORY_TAGS[cls];
  if (tag === undefined) return 'invalid-class';
  if (m === undefined) return { bytes: new Uint8Array(0), count: entries.length };
  const l = layout(m, tag);
  const nameAt = l.off('FileName');
  const places = new Set(fieldPlaces(l.st).keys());
  const starts: number[] = [];
  let used = 0;
  for (const e of entries) {
    const start = (used + 7) & ~7;
    const size = nameAt + 2 * e.name.length;
    if (start + size > length) break;
    starts.push(start);
    used = start + size;
  }
  if (starts.length === 0) {
    const e = entries[0];
    if (e === undefined || length < nameAt) return { bytes: new Uint8Array(0), count: 0 };
    const o = new Out(nameAt + 2 * e.name.length);
    entry(o, 0, l, places, e.name, e.node);
    return { bytes: o.bytes.subarray(0, length), count: 0 };
  }
  const o = new Out(used);
  starts.forEach((start, i) => {
    const e = entries[i]!;
    entry(o, start, l, places, e.name, e.node);
    o.u32(start + l.off('NextEntryOffset'), i + 1 < starts.length ? starts[i + 1]! - start : 0);
  });
  return { bytes: o.bytes, count: starts.length };
}

/** One entry at `base` (its name runs to its end; the struct's trailing padding is not part of it). */
function entry(o: Out, base: number, l: Layout, places: Set<string>, name: string, node: FsNode): void {
  if (places.has('CreationTime')) {
    writeTimes(o, l, base, node);
    o.i64(base + l.off('EndOfFile'), node.directory ? 0 : node.size);
    o.i64(base + l.off('AllocationSize'), node.directory ? 0 : node.allocationSize);
    o.u32(base + l.off('FileAttributes'), attributesOf(node));
  }
  o.u32(base + l.off('FileNameLength'), 2 * name.length);
  if (places.has('FileId')) o.i64(base + l.off('FileId'), node.id);
  if (places.has('ShortNameLength')) {
    const short = name === node.name ? shortNameOf(node) : undefined;
    if (short !== undefined) {
      o.u8(base + l.off('ShortNameLength'), 2 * short.length);
      o.chars(base + l.off('ShortName'), short);
    }
  }
  o.chars(base + l.off('FileName'), name);
}

/** FILE_RENAME_INFORMATION / FILE_LINK_INFORMATION from a set request's buffer. */
export function readLinkInformation(m: Marshal | undefined, bytes: Uint8Array): { replace: boolean; fileName: string } | undefined {
  if (m === undefined) return undefined;
  const l = layout(m, '_FILE_RENAME_INFORMATION');
  const nameAt = l.off('FileName');
  if (bytes.length < nameAt) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = dv.getUint32(l.off('Flags'), true);
  const n = dv.getUint32(l.off('FileNameLength'), true);
  if (nameAt + n > bytes.length) return undefined;
  let fileName = '';
  for (let i = 0; i + 1 < n; i += 2) fileName += String.fromCharCode(dv.getUint16(nameAt + i, true));
  return { replace: (flags & 0xff) !== 0 || (flags & 0x1) !== 0, fileName };
}

/**
 * The structure a set-information request carries, built from what the scenario says: a
 * FILE_RENAME/LINK_INFORMATION naming the target, a FILE_DISPOSITION_INFORMATION(_EX) asking for
 * deletion. Without C layouts (no C code loaded) there is nobody to read it, so it is empty.
 */
export function setInformationBytes(m: Marshal, cls: number, info: { target?: string; replace?: boolean; delete?: boolean }): Uint8Array | undefined {
  if (m.layouts === undefined) return undefined;
  if (cls === FIC.FileDispositionInformation) return Uint8Array.of(info.delete ? 1 : 0);
  if (cls === FIC.FileDispositionInformationEx) return Uint8Array.of(info.delete ? 1 : 0, 0, 0, 0);
  if (info.target === undefined) return undefined;
  const l = layout(m, '_FILE_RENAME_INFORMATION');
  const at = l.off('FileName');
  const o = new Out(Math.max(l.size, at + 2 * info.target.length));
  o.u32(l.off('Flags'), info.replace ? 1 : 0);
  o.u32(l.off('FileNameLength'), 2 * info.target.length);
  o.chars(at, info.target);
  return o.bytes;
}

/**
 * FileStreamInformation: the data streams of a file as FILE_STREAM_INFORMATION entries chained by
 * NextEntryOffset, each 8-byte aligned: the default stream `::$DATA` first (files only; a folder
 * lists just its named streams), then each named stream as `:name:$DATA`, with its size and
 * allocation. Asked on any stream's handle, it lists the streams of the whole file.
 */
export function streamInformation(m: Marshal, node: FsNode): InfoResult {
  const file = node.base ?? node;
  const streams: { name: string; node: FsNode }[] = file.directory ? [] : [{ name: '::$DATA', node: file }];
  for (const s of file.namedStreams) if (!s.removed) streams.push({ name: `:${s.streamName}:$DATA`, node: s });
  const l = layout(m, '_FILE_STREAM_INFORMATION');
  const nameAt = l.off('StreamName');
  const sizes = streams.map((s) => align8(nameAt + 2 * s.name.length));
  const total = sizes.reduce((a, b) => a + b, 0);
  const o = new Out(total);
  let at = 0;
  streams.forEach((s, i) => {
    const last = i === streams.length - 1;
    o.u32(at + l.off('NextEntryOffset'), last ? 0 : sizes[i]!);
    o.u32(at + l.off('StreamNameLength'), 2 * s.name.length);
    o.i64(at + l.off('StreamSize'), s.node.size);
    o.i64(at + l.off('StreamAllocationSize'), s.node.allocationSize);
    o.chars(at + nameAt, s.name);
    at += sizes[i]!;
  });
  // The last entry needs no padding after its name.
  const end = streams.length === 0 ? 0 : total - sizes[sizes.length - 1]! + nameAt + 2 * streams[streams.length - 1]!.name.length;
  return { fixed: streams.length === 0 ? 0 : nameAt, bytes: o.bytes.subarray(0, end) };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
