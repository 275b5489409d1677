/**
 * File name information: FltGetFileNameInformation returns a reference-counted
 * FLT_FILE_NAME_INFORMATION the driver must release once, must not modify, and may only request at
 * APC_LEVEL or below and never for paging I/O or with a top-level IRP.
 */
import { makeUnicodeString, unicodeStringText, WideText, type UnicodeString } from '../kernel/cvalues';
import { writeOut } from '../kernel/objects';
import { EngineStruct, mirrorFields, pointerOf, writeFields, type Marshal } from '../kernel/marshal';
import type { StructView } from '../memory/view';
import { STATUS } from '../kernel/status';
import { callbackDataArg, type FltCallbackData } from './callbackData';
import { FLTFL_FILE_NAME_PARSED_ALL, FLT_FILE_NAME_NORMALIZED, FLT_FILE_NAME_OPENED, FLT_FILE_NAME_SHORT, IRP_FLAGS } from './constants';
import { shortNameOf } from './shortNames';
import { generateShortName } from '../kernel/dos83';
import { renameTarget } from './fsNaming';
import type { FsNode } from './fsTree';
import { Instance } from './objects';
import { Ptr } from '../memory/pointer';
import { readChars } from '../memory/strings';
import type { FilterManager } from './fltmgr';
import type { NameProviders } from './nameProviders';
import { returnsCo, type Co } from '../kernel/coroutine';
import type { KThread } from '../kernel/thread';
import { FileObject as FileObjectStruct } from './structs';
import { FLT_FILE_NAME_DO_NOT_CACHE, NameCache, queryMethod } from './nameCache';

/** The components FltParseFileNameInformation fills, each a substring of Name. */
export const NAME_COMPONENTS = ['Volume', 'Share', 'Extension', 'Stream', 'FinalComponent', 'ParentDir'] as const;
export type NameComponent = (typeof NAME_COMPONENTS)[number];
/** Where a component sits in Name, in characters. */
export type ComponentRange = readonly [start: number, length: number];

/**
 * FLT_FILE_NAME_INFORMATION: the names live in JS until C reads them, then in its memory. As on
 * Windows, every parsed component is a substring of Name: its Buffer points into Name's characters
 * (drivers compute `Name.Buffer + Volume.Length` and compare Buffer pointers), never a copy.
 */
export class FltFileNameInformation extends EngineStruct {
  protected get cTag(): string {
    return '_FLT_FILE_NAME_INFORMATION';
  }

  protected readonly js: Record<string, unknown>;
  declare Size: number;
  declare NamesParsed: number;
  declare Format: number;
  declare Name: UnicodeString;
  declare Volume: UnicodeString;
  declare Share: UnicodeString;
  declare Extension: UnicodeString;
  declare Stream: UnicodeString;
  declare FinalComponent: UnicodeString;
  declare ParentDir: UnicodeString;
  /** Engine-private. */
  refs = 1;
  readonly original: string;
  readonly id: number;
  /** The components set so far, as ranges of Name (kept so C memory gets them as pointers into Name). */
  private readonly ranges = new Map<NameComponent, ComponentRange>();

  constructor(id: number, full: string, format: number) {
    super();
    this.id = id;
    this.original = full;
    const empty = (): UnicodeString => ({ Length: 0, MaximumLength: 0, Buffer: null });
    this.js = { Size: 0x58, NamesParsed: 0, Format: format, Name: makeUnicodeString(full), Volume: empty(), Share: empty(), Extension: empty(), Stream: empty(), FinalComponent: empty(), ParentDir: empty() };
  }

  /** Points a component at `length` characters of Name from `start` (length 0: an empty component). */
  setComponent(which: NameComponent, [start, length]: ComponentRange): void {
    this.ranges.set(which, [start, length]);
    this[which] = this.componentValue(start, length);
  }

  private componentValue(start: number, length: number): UnicodeString {
    if (length === 0) return { Length: 0, MaximumLength: 0, Buffer: null };
    if (this.c === undefined) return { Length: length * 2, MaximumLength: length * 2, Buffer: new WideText(this.original.slice(start, start + length)) };
    const name = this.c.Name as unknown as { Buffer: unknown };
    return { Length: length * 2, MaximumLength: length * 2, Buffer: name.Buffer instanceof Ptr ? name.Buffer.add(start * 2) : null };
  }

  protected override cFill(v: StructView, _m: Marshal): void {
    const rest: Record<string, unknown> = { ...this.js };
    for (const which of NAME_COMPONENTS) delete rest[which];
    writeFields(v, rest, true);
    for (const [which, [start, length]] of this.ranges) writeFields(v[which] as StructView, this.componentValue(start, length), true);
  }

  protected override cLabel(): string {
    return `FLT_FILE_NAME_INFORMATION #${this.id}`;
  }
}
mirrorFields(FltFileNameInformation, ['Size', 'NamesParsed', 'Format', 'Name', ...NAME_COMPONENTS]);

/**
 * Where each component of a file name lies (FltParseFileNameInformation's split): `volumeLength`
 * characters of volume (0 for a short name), then the share for a network name, the parent folder
 * with its trailing backslash, the final component with its stream, the extension after its last
 * dot, and the stream from its first colon.
 */
export function nameComponents(name: string, volumeLength: number, shareLength = 0): Record<NameComponent, ComponentRange> {
  const pathStart = volumeLength + shareLength;
  const slash = name.lastIndexOf('\\');
  const finalStart = slash >= pathStart ? slash + 1 : pathStart;
  const colon = name.indexOf(':', finalStart);
  const finalEnd = colon >= 0 ? colon : name.length;
  const dot = name.lastIndexOf('.', finalEnd - 1);
  const hasExtension = dot >= finalStart;
  return {
    Volume: [0, volumeLength],
    Share: [volumeLength, shareLength],
    ParentDir: [pathStart, finalStart - pathStart],
    FinalComponent: [finalStart, name.length - finalStart],
    Extension: hasExtension ? [dot + 1, finalEnd - dot - 1] : [finalEnd, 0],
    Stream: colon >= 0 ? [colon, name.length - colon] : [name.length, 0],
  };
}

export class NameRoutines {
  private nextId = 1;
  readonly live = new Map<number, FltFileNameInformation>();
  private readonly cache = new NameCache();

  constructor(
    private readonly fm: FilterManager,
    private readonly providers: NameProviders,
  ) {
    fm.fs.nameLost.push((node) => this.cache.invalidate(node));
  }

  /**
   * The name of the operation's file. A name provider below the caller answers when there is one
   * (its callbacks run, so this may return a generator); otherwise the file system does.
   */
  FltGetFileNameInformation(CallbackData: unknown, NameOptions: number, FileNameInformation: unknown): number | Co<number> {
    const k = this.fm.k;
    writeOut(FileNameInformation, null);
    k.checkIrql('FltGetFileNameInformation', undefined, 'name-info');
    const data = callbackDataArg(this.fm.k, CallbackData, 'FltGetFileNameInformation');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    // Paging I/O or a top-level IRP: the file system must not be asked, but the cache may be read when the query method allows it.
    const fsAllowed = (data.Iopb.IrpFlags & IRP_FLAGS.IRP_PAGING_IO) === 0 && k.current.topLevelIrp === null;
    const method = queryMethod(NameOptions);
    if (!fsAllowed && method !== 'cache-only' && method !== 'always-allow-cache-lookup') return STATUS.STATUS_FLT_INVALID_NAME_REQUEST;
    return this.request(data.fileObject, data, null, NameOptions, FileNameInformation, fsAllowed);
  }

  /** The name of an open file outside an operation; Instance (may be NULL) says where the request starts. */
  FltGetFileNameInformationUnsafe(FileObject: unknown, Instance_: unknown, NameOptions: number, FileNameInformation: unknown): number | Co<number> {
    const k = this.fm.k;
    writeOut(FileNameInformation, null);
    k.checkIrql('FltGetFileNameInformationUnsafe', undefined, 'name-info');
    if (!(FileObject instanceof FileObjectStruct)) return STATUS.STATUS_INVALID_PARAMETER;
    return this.request(FileObject, null, Instance_ instanceof Instance ? Instance_ : null, NameOptions, FileNameInformation);
  }

  /** Drops the cached names of FileObject, or (FileObject NULL) of every file on the instance's volume. */
  FltPurgeFileNameInformationCache(Instance_: unknown, FileObject: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltPurgeFileNameInformationCache');
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', 'FltPurgeFileNameInformationCache needs the instance of the filter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (FileObject !== null && FileObject !== undefined && !(FileObject instanceof FileObjectStruct)) return STATUS.STATUS_INVALID_PARAMETER;
    this.cache.purge(FileObject instanceof FileObjectStruct ? FileObject : null, Instance_.volume.name);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * A name for `fo`: from the cache when the query method reads it and it holds one (nameCache.ts),
   * else from the provider below the requester or the file system; `fsAllowed` false (paging I/O, a
   * top-level IRP) leaves only the cache.
   */
  private request(fo: FileObjectStruct, data: FltCallbackData | null, from: Instance | null, options: number, out: unknown, fsAllowed = true): number | Co<number> {
    const format = options & 0xff || FLT_FILE_NAME_NORMALIZED;
    if (format !== FLT_FILE_NAME_NORMALIZED && format !== FLT_FILE_NAME_OPENED && format !== FLT_FILE_NAME_SHORT) {
      this.fm.k.violation('name-info', `name options 0x${options.toString(16)} ask for no name format; use FLT_FILE_NAME_NORMALIZED, FLT_FILE_NAME_OPENED or FLT_FILE_NAME_SHORT`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const method = queryMethod(options);
    if (method === undefined) {
      this.fm.k.violation('invalid-parameter', `name options 0x${options.toString(16)} name no query method; use FLT_FILE_NAME_QUERY_DEFAULT, _CACHE_ONLY, _FILESYSTEM_ONLY or _ALWAYS_ALLOW_CACHE_LOOKUP`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const t = this.fm.k.current;
    const volume = this.fm.locate(fo.stream.volumeName).volume;
    const provider = this.providers.providerFor(volume, from ?? this.providers.requester(t, volume), options);
    // Only a file object on an existing file has names to cache: a pre-create has no stream yet.
    const open = fo.stream.node !== null;
    if (open && method !== 'filesystem-only') {
      const hit = this.cache.lookup(fo, format, provider);
      if (hit !== undefined) return this.hand(hit, format, out);
    }
    if (method === 'cache-only') return STATUS.STATUS_FLT_NAME_CACHE_MISS;
    if (!fsAllowed) return STATUS.STATUS_FLT_INVALID_NAME_REQUEST;
    const keep = open && (options & FLT_FILE_NAME_DO_NOT_CACHE) === 0 ? (name: string) => this.cache.store(fo, format, provider, name) : undefined;
    if (provider === null) {
      const name = this.nameOf(fo, format);
      keep?.(name);
      return this.hand(name, format, out);
    }
    return this.fromProvider(t, provider, fo, data, (options & ~0xff) | format, out, keep);
  }

  private *fromProvider(t: KThread, provider: Instance, fo: FileObjectStruct, data: FltCallbackData | null, options: number, out: unknown, keep?: (name: string) => void): Co<number> {
    const answer = yield* this.providers.ask(t, provider, fo, data, options);
    if ((answer.status >>> 0) >= 0x80000000 || answer.name === undefined) return answer.status;
    keep?.(answer.name);
    return this.hand(answer.name, options & 0xff, out);
  }

  FltReferenceFileNameInformation(FileNameInformation: unknown): void {
    this.fm.k.checkIrql('FltReferenceFileNameInformation', undefined, 'name-info');
    const info = this.info(FileNameInformation, 'FltReferenceFileNameInformation');
    if (info) info.refs++;
  }

  FltReleaseFileNameInformation(FileNameInformation: unknown): void {
    const k = this.fm.k;
    k.checkIrql('FltReleaseFileNameInformation', undefined, 'name-info');
    const info = this.info(FileNameInformation, 'FltReleaseFileNameInformation');
    if (info === null) return;
    if (info.refs <= 0) {
      k.violation('name-info', 'FltReleaseFileNameInformation on name information with no reference left (bug check 0xF5, parameter 0x68)');
      return;
    }
    if (unicodeStringText(info.Name) !== info.original) {
      k.violation('name-info', `the name information for ${info.original} was modified; it is shared and read-only`);
    }
    if (--info.refs === 0) this.live.delete(info.id);
  }

  /**
   * Fills Share, ParentDir, FinalComponent, Extension and Stream (and Volume again) from Name, each
   * pointing into Name's characters; a short name has only a final component and an extension.
   */
  FltParseFileNameInformation(FileNameInformation: unknown): number {
    this.fm.k.checkIrql('FltParseFileNameInformation');
    const info = this.info(FileNameInformation, 'FltParseFileNameInformation');
    if (info === null) return STATUS.STATUS_INVALID_PARAMETER;
    const full = unicodeStringText(info.Name);
    const parts = nameComponents(full, this.volumeLength(full, info.Format));
    for (const which of NAME_COMPONENTS) info.setComponent(which, parts[which]);
    info.NamesParsed = FLTFL_FILE_NAME_PARSED_ALL;
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * Splits a name string the caller holds (a full path, a path within a volume or a bare final
   * component) as FltParseFileNameInformation splits a name: Extension, Stream and FinalComponent,
   * each given as NULL are skipped; each set points into FileName's own characters.
   */
  FltParseFileName(FileName: UnicodeString | null, Extension: UnicodeString | null, Stream: UnicodeString | null, FinalComponent: UnicodeString | null): number {
    if (!FileName) {
      this.fm.k.violation('null-param', 'FltParseFileName needs the name to parse');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const text = unicodeStringText(FileName);
    const parts = nameComponents(text, 0);
    const put = (out: UnicodeString | null, [start, length]: ComponentRange) => {
      if (!out) return;
      out.Length = length * 2;
      out.MaximumLength = length * 2;
      if (length === 0) out.Buffer = null;
      else out.Buffer = FileName.Buffer instanceof Ptr ? FileName.Buffer.add(start * 2) : new WideText(text.slice(start, start + length));
    };
    put(Extension, parts.Extension);
    put(Stream, parts.Stream);
    put(FinalComponent, parts.FinalComponent);
    return STATUS.STATUS_SUCCESS;
  }

  /** How many characters of `name` are the volume's name (none in a short name). */
  private volumeLength(name: string, format: number): number {
    if ((format & 0xff) === FLT_FILE_NAME_SHORT) return 0;
    const { volume } = this.fm.locate(name);
    return name.toLowerCase().startsWith(volume.name.toLowerCase()) ? volume.name.length : 0;
  }

  /** End of run: name information never released. */
  endChecks(): void {
    for (const info of this.live.values()) {
      this.fm.k.violation('name-info', `the name information for ${info.original} was never released with FltReleaseFileNameInformation`, 0, this.fm.k.outside);
    }
  }

  /**
   * The name of the file `fo` has open, in the format asked for: normalized (where the file is now,
   * long names, as the file system spells them), opened (the path it was opened by) or short (the
   * 8.3 name of the final component alone, or its long name when it has no other).
   */
  private nameOf(fo: FileObjectStruct, format: number): string {
    const stream = fo.stream;
    let name: string;
    if (format === FLT_FILE_NAME_OPENED) {
      const opened = openedPath(fo);
      name = stream.volumeName + (opened.startsWith('\\') ? opened : `\\${opened}`);
    } else {
      const node = stream.node ?? this.existing(stream.volumeName, openedPath(fo));
      const path = node !== undefined ? node.path : openedPath(fo);
      if (format === FLT_FILE_NAME_SHORT) {
        const final = path.slice(path.lastIndexOf('\\') + 1);
        name = (node !== undefined ? shortNameOf(node) : generateShortName(final, () => false)) ?? final;
      } else {
        name = stream.volumeName + path;
      }
    }
    return name;
  }

  /** The file a name refers to if it exists (a pre-create's name is normalized from it). */
  private existing(volumeName: string, nameInVolume: string): FsNode | undefined {
    const hit = this.fm.fs.volume(volumeName).lookup(nameInVolume);
    return 'node' in hit ? hit.node : undefined;
  }

  private hand(name: string, format: number, out: unknown): number {
    const info = new FltFileNameInformation(this.nextId++, name, format);
    // The volume is parsed as the name is made; FltParseFileNameInformation does the rest.
    info.setComponent('Volume', [0, this.volumeLength(name, format)]);
    this.live.set(info.id, info);
    writeOut(out, info);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * The name a rename or link (IRP_MJ_SET_INFORMATION) would give the file: FileName is the
   * target as the request carries it (a full path, or a name in the file's own folder).
   */
  FltGetDestinationFileNameInformation(Instance_: unknown, FileObject: unknown, _RootDirectory: unknown, FileName: unknown, FileNameLength: number, NameOptions: number,
    RetFileNameInformation: unknown): number | Co<number> {
    const k = this.fm.k;
    writeOut(RetFileNameInformation, null);
    k.checkIrql('FltGetDestinationFileNameInformation', undefined, 'name-info');
    if (!(Instance_ instanceof Instance) || !(FileObject instanceof FileObjectStruct)) {
      k.violation('bad-object', 'FltGetDestinationFileNameInformation needs the instance and the file object of the rename or link');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const p = pointerOf(FileName);
    const text = p instanceof Ptr ? readChars(p, 2, Math.floor(FileNameLength / 2)) : typeof FileName === 'string' ? FileName : '';
    const format = NameOptions & 0xff || FLT_FILE_NAME_NORMALIZED;
    const provider = this.providers.providerFor(Instance_.volume, Instance_, NameOptions);
    if (provider !== null) return this.destinationFromProvider(k.current, provider, FileObject, text, format, RetFileNameInformation);
    const node = FileObject.stream.node;
    const parent = node?.parent ? node.parent.path : FileObject.nameInVolume.slice(0, Math.max(0, FileObject.nameInVolume.lastIndexOf('\\'))) || '\\';
    const target = renameTarget(text, parent, FileObject.stream.volumeName);
    if (target === undefined) return STATUS.STATUS_NOT_SAME_DEVICE;
    return this.hand(FileObject.stream.volumeName + target, format === FLT_FILE_NAME_SHORT ? FLT_FILE_NAME_NORMALIZED : format, RetFileNameInformation);
  }

  /**
   * A destination name below a name provider: a relative target lies in the folder the provider
   * says the file is in, and a normalized one is expanded by the provider's component callbacks.
   */
  private *destinationFromProvider(t: KThread, provider: Instance, fo: FileObjectStruct, text: string, format: number, out: unknown): Co<number> {
    const volume = fo.stream.volumeName;
    let parent = '\\';
    if (!text.startsWith('\\')) {
      const own = yield* this.providers.openedName(t, provider, fo);
      if ((own.status >>> 0) >= 0x80000000 || own.name === undefined) return own.status;
      const inVolume = own.name.toLowerCase().startsWith(volume.toLowerCase()) ? own.name.slice(volume.length) : own.name;
      parent = inVolume.slice(0, Math.max(0, inVolume.lastIndexOf('\\'))) || '\\';
    }
    const target = renameTarget(text, parent, volume);
    if (target === undefined) return STATUS.STATUS_NOT_SAME_DEVICE;
    let name = volume + target;
    if (format !== FLT_FILE_NAME_OPENED) {
      const normalized = yield* this.providers.normalizeDestination(t, provider, fo, name);
      if (normalized !== null) {
        if ((normalized.status >>> 0) >= 0x80000000 || normalized.name === undefined) return normalized.status;
        name = normalized.name;
      }
    }
    return this.hand(name, format === FLT_FILE_NAME_SHORT ? FLT_FILE_NAME_NORMALIZED : format, out);
  }

  /**
   * Gives a file object a new name before its create returns STATUS_REPARSE (the I/O manager then
   * opens that name). Drivers reach it through MmGetSystemRoutineAddress or FltGetRoutineAddress.
   */
  IoReplaceFileObjectName(FileObject: unknown, NewFileName: unknown, FileNameLength: number): number {
    const k = this.fm.k;
    k.checkIrql('IoReplaceFileObjectName');
    if (!(FileObject instanceof FileObjectStruct)) {
      k.violation('bad-object', 'IoReplaceFileObjectName needs the FILE_OBJECT of a create');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const p = pointerOf(NewFileName);
    if (!(p instanceof Ptr)) return STATUS.STATUS_INVALID_PARAMETER;
    FileObject.replaceFileName(readChars(p, 2, Math.floor(FileNameLength / 2)));
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * After a create, rename or link: when the file system tunnelled the file's names (tunnel.ts), a
   * normalized name built before the operation may be wrong; *RetTunneledFileNameInformation gets the
   * name the file really has, or NULL when FileNameInformation is still right.
   */
  FltGetTunneledName(CallbackData: unknown, FileNameInformation: unknown, RetTunneledFileNameInformation: unknown): number {
    const k = this.fm.k;
    writeOut(RetTunneledFileNameInformation, null);
    k.checkIrql('FltGetTunneledName', undefined, 'name-info');
    const data = callbackDataArg(k, CallbackData, 'FltGetTunneledName');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    const info = this.info(FileNameInformation, 'FltGetTunneledName');
    if (info === null) return STATUS.STATUS_INVALID_PARAMETER;
    if ((info.Format & 0xff) !== FLT_FILE_NAME_NORMALIZED) {
      k.violation('invalid-parameter', 'FltGetTunneledName needs a normalized name (FLT_FILE_NAME_NORMALIZED); only those can be tunnelled');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const node = this.fm.fs.tunnel.tunnelledBy(data.id);
    if (node === undefined || node.removed) return STATUS.STATUS_SUCCESS;
    const now = data.fileObject.stream.volumeName + node.path;
    if (now.toLowerCase() === unicodeStringText(info.Name).toLowerCase()) return STATUS.STATUS_SUCCESS;
    return this.hand(now, FLT_FILE_NAME_NORMALIZED, RetTunneledFileNameInformation);
  }

  private info(v: unknown, routine: string): FltFileNameInformation | null {
    if (v instanceof FltFileNameInformation) return v;
    this.fm.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs name information from FltGetFileNameInformation`);
    return null;
  }
}


/** The path FileObject->FileName holds now: a filter may have replaced it before passing a create on. */
function openedPath(fo: FileObjectStruct): string {
  return fo.currentFileName() || fo.nameInVolume;
}

returnsCo(NameRoutines.prototype.FltGetFileNameInformation);
returnsCo(NameRoutines.prototype.FltGetFileNameInformationUnsafe);
returnsCo(NameRoutines.prototype.FltGetDestinationFileNameInformation);
