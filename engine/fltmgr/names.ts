/**
 * File name information: FltGetFileNameInformation returns a reference-counted
 * FLT_FILE_NAME_INFORMATION the driver must release once, must not modify, and may only request at
 * APC_LEVEL or below and never for paging I/O or with a top-level IRP.
 */
import { makeUnicodeString, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { writeOut } from '../kernel/objects';
import { EngineStruct, mirrorFields, pointerOf } from '../kernel/marshal';
import { STATUS } from '../kernel/status';
import { callbackDataArg, type FltCallbackData } from './callbackData';
import { FLT_FILE_NAME_NORMALIZED, FLT_FILE_NAME_OPENED, FLT_FILE_NAME_SHORT, IRP_FLAGS } from './constants';
import { shortName } from './fileinfo';
import { renameTarget } from './filesystem';
import type { FsNode } from './fsTree';
import { Instance } from './objects';
import { Ptr } from '../memory/pointer';
import { readChars } from '../memory/strings';
import type { FilterManager } from './fltmgr';
import { FileObject as FileObjectStruct } from './structs';

/** FLT_FILE_NAME_INFORMATION: the names live in JS until C reads them, then in its memory. */
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

  constructor(id: number, full: string, format: number) {
    super();
    this.id = id;
    this.original = full;
    const empty = () => makeUnicodeString('');
    this.js = { Size: 0x58, NamesParsed: 0, Format: format, Name: makeUnicodeString(full), Volume: empty(), Share: empty(), Extension: empty(), Stream: empty(), FinalComponent: empty(), ParentDir: empty() };
  }

  protected override cLabel(): string {
    return `FLT_FILE_NAME_INFORMATION #${this.id}`;
  }
}
mirrorFields(FltFileNameInformation, ['Size', 'NamesParsed', 'Format', 'Name', 'Volume', 'Share', 'Extension', 'Stream', 'FinalComponent', 'ParentDir']);

export class NameRoutines {
  private nextId = 1;
  readonly live = new Map<number, FltFileNameInformation>();

  constructor(private readonly fm: FilterManager) {}

  FltGetFileNameInformation(CallbackData: unknown, NameOptions: number, FileNameInformation: unknown): number {
    const k = this.fm.k;
    writeOut(FileNameInformation, null);
    k.checkIrql('FltGetFileNameInformation', undefined, 'name-info');
    const data = callbackDataArg(this.fm.k, CallbackData, 'FltGetFileNameInformation');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    if ((data.Iopb.IrpFlags & IRP_FLAGS.IRP_PAGING_IO) !== 0 || k.current.topLevelIrp !== null) return STATUS.STATUS_FLT_INVALID_NAME_REQUEST;
    return this.make(data, NameOptions, FileNameInformation);
  }

  FltGetFileNameInformationUnsafe(FileObject: unknown, _Instance: unknown, NameOptions: number, FileNameInformation: unknown): number {
    const k = this.fm.k;
    writeOut(FileNameInformation, null);
    k.checkIrql('FltGetFileNameInformationUnsafe', undefined, 'name-info');
    if (!(FileObject instanceof FileObjectStruct)) return STATUS.STATUS_INVALID_PARAMETER;
    return this.give(FileObject, NameOptions, FileNameInformation);
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

  /** Fills Volume, ParentDir, FinalComponent, Extension and Stream from Name. */
  FltParseFileNameInformation(FileNameInformation: unknown): number {
    this.fm.k.checkIrql('FltParseFileNameInformation');
    const info = this.info(FileNameInformation, 'FltParseFileNameInformation');
    if (info === null) return STATUS.STATUS_INVALID_PARAMETER;
    const full = unicodeStringText(info.Name);
    const { volume, nameInVolume } = this.fm.locate(full);
    const colon = nameInVolume.indexOf(':');
    const path = colon >= 0 ? nameInVolume.slice(0, colon) : nameInVolume;
    const stream = colon >= 0 ? nameInVolume.slice(colon) : '';
    const slash = path.lastIndexOf('\\');
    const final = path.slice(slash + 1);
    const dot = final.lastIndexOf('.');
    info.Volume = makeUnicodeString(volume.name);
    info.ParentDir = makeUnicodeString(path.slice(0, slash + 1));
    info.FinalComponent = makeUnicodeString(final + stream);
    info.Extension = makeUnicodeString(dot >= 0 ? final.slice(dot + 1) : '');
    info.Stream = makeUnicodeString(stream);
    info.NamesParsed = 0xf;
    return STATUS.STATUS_SUCCESS;
  }

  /** End of run: name information never released. */
  endChecks(): void {
    for (const info of this.live.values()) {
      this.fm.k.violation('name-info', `the name information for ${info.original} was never released with FltReleaseFileNameInformation`, 0, this.fm.k.outside);
    }
  }

  private make(data: FltCallbackData, options: number, out: unknown): number {
    return this.give(data.fileObject, options, out);
  }

  /**
   * The name of the file `fo` has open, in the format asked for: normalized (where the file is now,
   * long names, as the file system spells them), opened (the path it was opened by) or short (the
   * 8.3 name of the final component alone, or its long name when it has no other).
   */
  private give(fo: FileObjectStruct, options: number, out: unknown): number {
    const format = options & 0xff || FLT_FILE_NAME_NORMALIZED;
    if (format !== FLT_FILE_NAME_NORMALIZED && format !== FLT_FILE_NAME_OPENED && format !== FLT_FILE_NAME_SHORT) {
      this.fm.k.violation('name-info', `name options 0x${options.toString(16)} ask for no name format; use FLT_FILE_NAME_NORMALIZED, FLT_FILE_NAME_OPENED or FLT_FILE_NAME_SHORT`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const stream = fo.stream;
    let name: string;
    if (format === FLT_FILE_NAME_OPENED) {
      name = stream.volumeName + (fo.nameInVolume.startsWith('\\') ? fo.nameInVolume : `\\${fo.nameInVolume}`);
    } else {
      const node = stream.node ?? this.existing(stream.volumeName, fo.nameInVolume);
      const path = node !== undefined ? node.path : fo.nameInVolume;
      if (format === FLT_FILE_NAME_SHORT) {
        const final = path.slice(path.lastIndexOf('\\') + 1);
        name = shortName(final) ?? final;
      } else {
        name = stream.volumeName + path;
      }
    }
    return this.hand(name, format, out);
  }

  /** The file a name refers to if it exists (a pre-create's name is normalized from it). */
  private existing(volumeName: string, nameInVolume: string): FsNode | undefined {
    const hit = this.fm.fs.volume(volumeName).lookup(nameInVolume);
    return 'node' in hit ? hit.node : undefined;
  }

  private hand(name: string, format: number, out: unknown): number {
    const info = new FltFileNameInformation(this.nextId++, name, format);
    this.live.set(info.id, info);
    writeOut(out, info);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * The name a rename or link (IRP_MJ_SET_INFORMATION) would give the file: FileName is the
   * target as the request carries it (a full path, or a name in the file's own folder).
   */
  FltGetDestinationFileNameInformation(Instance_: unknown, FileObject: unknown, _RootDirectory: unknown, FileName: unknown, FileNameLength: number, NameOptions: number,
    RetFileNameInformation: unknown): number {
    const k = this.fm.k;
    writeOut(RetFileNameInformation, null);
    k.checkIrql('FltGetDestinationFileNameInformation', undefined, 'name-info');
    if (!(Instance_ instanceof Instance) || !(FileObject instanceof FileObjectStruct)) {
      k.violation('bad-object', 'FltGetDestinationFileNameInformation needs the instance and the file object of the rename or link');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const p = pointerOf(FileName);
    const text = p instanceof Ptr ? readChars(p, 2, Math.floor(FileNameLength / 2)) : typeof FileName === 'string' ? FileName : '';
    const node = FileObject.stream.node;
    const parent = node?.parent ? node.parent.path : FileObject.nameInVolume.slice(0, Math.max(0, FileObject.nameInVolume.lastIndexOf('\\'))) || '\\';
    const target = renameTarget(text, parent, FileObject.stream.volumeName);
    if (target === undefined) return STATUS.STATUS_NOT_SAME_DEVICE;
    const format = NameOptions & 0xff || FLT_FILE_NAME_NORMALIZED;
    return this.hand(FileObject.stream.volumeName + target, format === FLT_FILE_NAME_SHORT ? FLT_FILE_NAME_NORMALIZED : format, RetFileNameInformation);
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

  /** No name is tunneled here (no short-name tunneling cache): *RetTunneledFileNameInformation is NULL. */
  FltGetTunneledName(CallbackData: unknown, FileNameInformation: unknown, RetTunneledFileNameInformation: unknown): number {
    const k = this.fm.k;
    writeOut(RetTunneledFileNameInformation, null);
    k.checkIrql('FltGetTunneledName', undefined, 'name-info');
    if (callbackDataArg(k, CallbackData, 'FltGetTunneledName') === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (this.info(FileNameInformation, 'FltGetTunneledName') === null) return STATUS.STATUS_INVALID_PARAMETER;
    return STATUS.STATUS_SUCCESS;
  }

  private info(v: unknown, routine: string): FltFileNameInformation | null {
    if (v instanceof FltFileNameInformation) return v;
    this.fm.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs name information from FltGetFileNameInformation`);
    return null;
  }
}

