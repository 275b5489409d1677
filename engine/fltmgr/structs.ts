/**
 * The C-visible structures of the Filter Manager, with the WDK's field names. Each is an engine
 * object (EngineStruct) whose fields live in JS until C code first needs its address; then it is
 * laid out from the built-in headers' declaration and C reads and writes the same bytes the engine
 * does (`Data->Iopb->Parameters.Read.Length`). Registration structures are declared here as the
 * shapes the engine reads from driver memory (through views) or from TypeScript objects.
 */
import { LargeInteger, makeUnicodeString, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { DriverFn } from '../kernel/driverFn';
import { EngineBuffer, EngineStruct, mirrorFields, ownerOrPointer, writeFields, type Marshal } from '../kernel/marshal';
import type { StructView } from '../memory/view';
import { bufferSpace } from './bufferSpace';
import { isBufferedMethod } from '../kernel/transferMethod';
import { FLT_RELATED_OBJECTS_SIZE, IRP_MJ } from './constants';
import type { FileStream, FsNode } from './fsTree';

// --- registration (read from the driver) ---

export interface FltOperationRegistration {
  MajorFunction: number;
  Flags?: number;
  PreOperation?: DriverFn | null;
  PostOperation?: DriverFn | null;
  Reserved1?: unknown;
}

export interface FltContextRegistration {
  ContextType: number;
  Flags?: number;
  ContextCleanupCallback?: DriverFn | null;
  Size?: number;
  PoolTag?: number;
  ContextAllocateCallback?: DriverFn | null;
  ContextFreeCallback?: DriverFn | null;
  Reserved1?: unknown;
}

/** FLT_REGISTRATION; array fields may be a JS array (TypeScript scenarios) or a pointer to the first element (C). */
export interface FltRegistration {
  Size: number;
  Version: number;
  Flags?: number;
  ContextRegistration?: unknown;
  OperationRegistration?: unknown;
  FilterUnloadCallback?: DriverFn | null;
  InstanceSetupCallback?: DriverFn | null;
  InstanceQueryTeardownCallback?: DriverFn | null;
  InstanceTeardownStartCallback?: DriverFn | null;
  InstanceTeardownCompleteCallback?: DriverFn | null;
  GenerateFileNameCallback?: DriverFn | null;
  NormalizeNameComponentCallback?: DriverFn | null;
  NormalizeContextCleanupCallback?: DriverFn | null;
  TransactionNotificationCallback?: DriverFn | null;
  NormalizeNameComponentExCallback?: DriverFn | null;
  SectionNotificationCallback?: DriverFn | null;
}

// --- I/O structures ---

export interface IoStatusBlock {
  Status: number;
  Information: number;
}

/**
 * Parameters.Read and Parameters.Write are one object, as the C union makes them. The buffer is
 * memory made when C first uses it, so requests nobody inspects cost nothing.
 */
export class ReadWriteParameters {
  Length: number;
  Key = 0;
  ByteOffset: LargeInteger;
  MdlAddress: unknown = null;
  private buffer: unknown = undefined;

  constructor(length: number, offset: number, private readonly user = false) {
    this.Length = length;
    this.ByteOffset = new LargeInteger(offset);
  }

  get ReadBuffer(): unknown {
    if (this.buffer === undefined) this.buffer = byteBuffer(this.Length, undefined, this.user);
    return this.buffer;
  }

  set ReadBuffer(v: unknown) {
    this.buffer = v;
  }

  get WriteBuffer(): unknown {
    return this.ReadBuffer;
  }

  set WriteBuffer(v: unknown) {
    this.buffer = v;
  }
}

/** One object for the FileSystemControl / DeviceIoControl union members, whose leading fields coincide. */
export interface ControlParameters {
  OutputBufferLength: number;
  InputBufferLength: number;
  FsControlCode?: number;
  IoControlCode?: number;
  InputBuffer: unknown;
  OutputBuffer: unknown;
  SystemBuffer: unknown;
  InputSystemBuffer: unknown;
  OutputMdlAddress: unknown;
}

/** FLT_PARAMETERS: only the members of the operation's major function are present, plus Others. */
export type FltParameters = Record<string, unknown>;

export class FltIoParameterBlock extends EngineStruct {
  protected get cTag(): string {
    return '_FLT_IO_PARAMETER_BLOCK';
  }

  private irpFlags: number;
  private readonly majorFunction: number;
  private minorFunction: number;
  private operationFlags = 0;
  private readonly fileObject: FileObject | null;
  private targetInstance: unknown = null;
  private parametersStore: FltParameters | undefined = undefined;

  /**
   * `source` gives the values of the parameters; they are built from it when first read (most
   * operations pass through the engine without anyone looking at them), as they were at issue time.
   */
  constructor(major: number, minor: number, irpFlags: number, fileObject: FileObject | null, private readonly source: ParameterSource, private readonly createOptions: number) {
    super();
    this.irpFlags = irpFlags;
    this.majorFunction = major;
    this.minorFunction = minor;
    this.fileObject = fileObject;
  }

  /** A copy of the block as it stands, for a callback that must not see later changes. */
  snapshot(): FltIoParameterBlock {
    const copy = new FltIoParameterBlock(this.MajorFunction, this.MinorFunction, this.IrpFlags, this.TargetFileObject, this.source, this.createOptions);
    copy.OperationFlags = this.OperationFlags;
    copy.TargetInstance = this.TargetInstance;
    return copy;
  }

  get IrpFlags(): number {
    return this.c === undefined ? this.irpFlags : (this.c.IrpFlags as number);
  }

  set IrpFlags(v: number) {
    if (this.c === undefined) this.irpFlags = v;
    else this.c.IrpFlags = v;
  }

  get MajorFunction(): number {
    return this.c === undefined ? this.majorFunction : (this.c.MajorFunction as number);
  }

  get MinorFunction(): number {
    return this.c === undefined ? this.minorFunction : (this.c.MinorFunction as number);
  }

  set MinorFunction(v: number) {
    if (this.c === undefined) this.minorFunction = v;
    else this.c.MinorFunction = v;
  }

  get OperationFlags(): number {
    return this.c === undefined ? this.operationFlags : (this.c.OperationFlags as number);
  }

  set OperationFlags(v: number) {
    if (this.c === undefined) this.operationFlags = v;
    else this.c.OperationFlags = v;
  }

  get TargetFileObject(): FileObject | null {
    return this.c === undefined ? this.fileObject : (ownerOrPointer(this.c.TargetFileObject) as FileObject | null);
  }

  get TargetInstance(): unknown {
    return this.c === undefined ? this.targetInstance : ownerOrPointer(this.c.TargetInstance);
  }

  set TargetInstance(v: unknown) {
    if (this.c === undefined) this.targetInstance = v;
    else this.c.TargetInstance = v;
  }

  /** FLT_PARAMETERS, embedded in the parameter block: the JS members, or the union in memory. */
  get Parameters(): FltParameters {
    if (this.c !== undefined) return this.c.Parameters as FltParameters;
    return (this.parametersStore ??= this.makeParameters());
  }

  private makeParameters(): FltParameters {
    const s = this.source;
    return makeParameters({
      major: s.major, length: s.length, offset: s.offset, infoClass: s.infoClass, code: s.code, createOptions: this.createOptions,
      data: s.data, outputLength: s.outputLength, pattern: s.pattern, desiredAccess: s.desiredAccess, shareAccess: s.shareAccess, completionFilter: s.completionFilter,
      kernelMode: s.kernelMode, systemBuffer: s.systemBuffer, paging: s.paging,
    });
  }

  protected override cLabel(): string {
    return `FLT_IO_PARAMETER_BLOCK of ${this.fileObject ? `FO#${this.fileObject.id}` : 'an operation'}`;
  }

  protected override cFill(v: StructView, m: Marshal): void {
    v.IrpFlags = this.irpFlags;
    v.MajorFunction = this.majorFunction;
    v.MinorFunction = this.minorFunction;
    v.OperationFlags = this.operationFlags;
    v.TargetFileObject = this.fileObject;
    v.TargetInstance = this.targetInstance;
    const params = this.parametersStore ?? this.makeParameters();
    const p = v.Parameters as StructView;
    m.writeFields(p, params, true);
    if (params.Read instanceof ReadWriteParameters) (p.Read as StructView).ReadBuffer = params.Read.ReadBuffer;
  }
}

/** Where a parameter block's values come from: the request (its fields never change). */
export type ParameterSource = Readonly<Omit<ParameterInput, 'createOptions'>>;

export interface ParameterInput {
  major: number;
  length: number;
  offset: number;
  infoClass: number;
  code: number;
  createOptions: number;
  /** What the caller's buffer holds when the request is issued (a write's data, a rename's FILE_RENAME_INFORMATION, a control request's input). */
  data?: Uint8Array;
  /** A control request's output buffer length; `length` when absent. */
  outputLength?: number;
  /** A directory query's file name pattern. */
  pattern?: string;
  /** A directory change notification's completion filter: it makes the DirectoryControl member NotifyDirectory. */
  completionFilter?: number;
  /** A create's ACCESS_MASK. */
  desiredAccess?: number;
  /** A create's FILE_SHARE_* bits. */
  shareAccess?: number;
  /** Who issued it and how its buffers are placed (bufferSpace.ts); absent means kernel buffers. */
  kernelMode?: boolean;
  systemBuffer?: boolean;
  paging?: boolean;
}

/** FILE_GENERIC_READ | FILE_GENERIC_WRITE: what a create asks for unless its caller says otherwise. */
export const DEFAULT_DESIRED_ACCESS = 0x12019f;

/** ACCESS_STATE of a create: the access asked for, none granted yet. */
export class AccessState extends EngineStruct {
  protected get cTag(): string {
    return '_ACCESS_STATE';
  }

  readonly Flags = 0;

  constructor(
    readonly RemainingDesiredAccess: number,
    readonly OriginalDesiredAccess: number,
  ) {
    super();
  }
}

/** IO_SECURITY_CONTEXT of a create (Parameters.Create.SecurityContext). */
export class IoSecurityContext extends EngineStruct {
  protected get cTag(): string {
    return '_IO_SECURITY_CONTEXT';
  }

  readonly SecurityQos = null;
  readonly AccessState: AccessState;

  constructor(
    readonly DesiredAccess: number,
    readonly FullCreateOptions: number,
  ) {
    super();
    this.AccessState = new AccessState(DesiredAccess, DesiredAccess);
  }
}

/**
 * Builds FLT_PARAMETERS for a major function: the members that union holds for it. Members that
 * share storage in C (Read and Write; the FileSystemControl forms) are one JS object.
 */
export function makeParameters(p: ParameterInput): FltParameters {
  // A read's or write's `Write` comes from its prototype: defining it on each object cost a
  // defineProperty call (about 1 µs, ten times making the object) for every read and write.
  const readWrite = p.major === IRP_MJ.READ || p.major === IRP_MJ.WRITE;
  const params = Object.create(readWrite ? READ_WRITE_PARAMETERS_PROTO : PARAMETERS_PROTO) as FltParameters;
  const user = bufferSpace(p) === 'user';
  switch (p.major) {
    case IRP_MJ.CREATE:
      params.Create = {
        SecurityContext: new IoSecurityContext(p.desiredAccess ?? DEFAULT_DESIRED_ACCESS, p.createOptions & 0xffffff),
        Options: p.createOptions,
        FileAttributes: 0x80,
        ShareAccess: p.shareAccess ?? 0x7,
        EaLength: 0,
        EaBuffer: null,
        AllocationSize: new LargeInteger(0),
      };
      break;
    case IRP_MJ.READ:
    case IRP_MJ.WRITE: {
      const rw = new ReadWriteParameters(p.length, p.offset, user);
      if (p.data !== undefined && p.major === IRP_MJ.WRITE) rw.WriteBuffer = byteBuffer(p.length, p.data, user);
      params.Read = rw;
      break;
    }
    case IRP_MJ.QUERY_INFORMATION:
      params.QueryFileInformation = { Length: p.length, FileInformationClass: p.infoClass, InfoBuffer: byteBuffer(p.length) };
      break;
    case IRP_MJ.SET_INFORMATION:
      params.SetFileInformation = {
        Length: p.length,
        FileInformationClass: p.infoClass,
        ParentOfTarget: null,
        ReplaceIfExists: 0,
        AdvanceOnly: 0,
        InfoBuffer: byteBuffer(p.length, p.data),
      };
      break;
    case IRP_MJ.QUERY_VOLUME_INFORMATION:
      params.QueryVolumeInformation = { Length: p.length, FsInformationClass: p.infoClass, VolumeBuffer: byteBuffer(p.length) };
      break;
    case IRP_MJ.DIRECTORY_CONTROL:
      if (p.completionFilter !== undefined) {
        params.DirectoryControl = {
          NotifyDirectory: { Length: p.length, CompletionFilter: p.completionFilter, Spare1: 0, Spare2: 0, DirectoryBuffer: byteBuffer(p.length, undefined, user), MdlAddress: null },
        };
        break;
      }
      params.DirectoryControl = {
        QueryDirectory: { Length: p.length, FileName: p.pattern !== undefined ? makeUnicodeString(p.pattern) : null, FileInformationClass: p.infoClass, FileIndex: 0, DirectoryBuffer: byteBuffer(p.length, undefined, user), MdlAddress: null },
      };
      break;
    case IRP_MJ.FILE_SYSTEM_CONTROL:
    case IRP_MJ.DEVICE_CONTROL:
    case IRP_MJ.INTERNAL_DEVICE_CONTROL: {
      // The input is the request's data (its `length` when it has none); METHOD_BUFFERED gives one
      // system buffer, big enough for either, holding the input and receiving the output.
      const inLength = p.data?.length ?? p.length;
      const outLength = p.outputLength ?? p.length;
      const buffered = isBufferedMethod(p.code);
      const input = buffered ? byteBuffer(Math.max(inLength, outLength), p.data) : byteBuffer(inLength, p.data, bufferSpace(p, false) === 'user');
      const c: ControlParameters = {
        OutputBufferLength: outLength,
        InputBufferLength: inLength,
        InputBuffer: input,
        OutputBuffer: buffered ? input : byteBuffer(outLength, undefined, user),
        SystemBuffer: null,
        InputSystemBuffer: null,
        OutputMdlAddress: null,
      };
      const member = p.major === IRP_MJ.FILE_SYSTEM_CONTROL ? 'FileSystemControl' : 'DeviceIoControl';
      if (p.major === IRP_MJ.FILE_SYSTEM_CONTROL) c.FsControlCode = p.code;
      else c.IoControlCode = p.code;
      // In memory these forms overlay one another; the engine fills the METHOD_NEITHER one.
      const union: Record<string, unknown> = { Neither: c };
      alias(union, 'Common', c);
      alias(union, 'Buffered', c);
      alias(union, 'Direct', c);
      params[member] = union;
      break;
    }
    case IRP_MJ.FLUSH_BUFFERS:
      params.Others = { Argument1: null, Argument2: null, Argument3: null, Argument4: null, Argument5: null, Argument6: new LargeInteger(0) };
      break;
  }
  return params;
}

/** Another name for a union member, not written separately when the block goes to memory. */
function alias(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: false, configurable: true });
}

/**
 * `Parameters.Others` (the union's untyped view) is made when something reads it: most operations
 * never touch it, and every operation builds a Parameters object.
 */
const PARAMETERS_PROTO: object = Object.create(Object.prototype, {
  Others: {
    configurable: true,
    enumerable: false,
    get(this: Record<string, unknown>) {
      const others = { Argument1: null, Argument2: null, Argument3: null, Argument4: null, Argument5: null, Argument6: new LargeInteger(0) };
      alias(this, 'Others', others);
      return others;
    },
    set(this: Record<string, unknown>, v: unknown) {
      alias(this, 'Others', v);
    },
  },
});

/** A read's or write's parameters: `Write` is `Read` (one member of the C union) until set apart. */
const READ_WRITE_PARAMETERS_PROTO: object = Object.create(PARAMETERS_PROTO, {
  Write: {
    configurable: true,
    enumerable: false,
    get(this: Record<string, unknown>) {
      return this.Read;
    },
    set(this: Record<string, unknown>, v: unknown) {
      alias(this, 'Write', v);
    },
  },
});

function byteBuffer(length: number, contents?: Uint8Array, user = false): EngineBuffer | null {
  if (length <= 0) return null;
  const b = new EngineBuffer(length, user ? 'user buffer' : 'operation buffer', user);
  if (contents !== undefined) b.contents = contents;
  return b;
}


/**
 * FILE_OBJECT. Its fields here are the values it starts with in C memory; once C has seen it, only
 * Flags is read back (the engine sets FO_* bits as the file system would), and the engine finds the
 * stream through `stream`, which C cannot change.
 */
export class FileObject extends EngineStruct {
  protected get cTag(): string {
    return '_FILE_OBJECT';
  }

  Type = 5;
  Size = 0xd8;
  DeviceObject: unknown = null;
  Vpb: unknown = null;
  /** NULL until the file system's create succeeds, as on Windows (name providers test it). */
  FsContext: FileStream | null;
  FsContext2: Record<string, unknown> = {};
  /** The stream's SECTION_OBJECT_POINTERS once the file system opened it (NULL before, as FsContext). */
  SectionObjectPointer: unknown;
  FileName: UnicodeString;
  /**
   * The access this open was granted and what it shares (as IoSetShareAccess sets them; all 0 for
   * an open that asked for none of read, write or delete) and the position synchronous I/O moves:
   * set by the file system, read from C memory once C has seen the object (mirrorFields below).
   */
  declare ReadAccess: number;
  declare WriteAccess: number;
  declare DeleteAccess: number;
  declare SharedRead: number;
  declare SharedWrite: number;
  declare SharedDelete: number;
  declare CurrentByteOffset: LargeInteger;
  readonly js: Record<string, unknown> = {
    ReadAccess: 0, WriteAccess: 0, DeleteAccess: 0, SharedRead: 0, SharedWrite: 0, SharedDelete: 0, CurrentByteOffset: new LargeInteger(0),
  };
  private flags: number;
  /** Engine-private: a number for display (`FO#2`). */
  readonly id: number;
  /** Engine-private: the stream this file object opens (the file's own once the create succeeded). */
  stream: FileStream;
  /** Engine-private: the name it was opened by, inside its volume. */
  readonly nameInVolume: string;
  /** Engine-private: opened with FILE_DELETE_ON_CLOSE (or a disposition with FILE_DISPOSITION_ON_CLOSE). */
  deleteOnClose = false;
  /** Engine-private: the create succeeded and no cleanup has come yet. */
  openHandle = false;
  /** Engine-private: where the directory query on this handle stands, and its pattern. */
  dirCursor: { entries: { name: string; node: FsNode }[]; next: number } | undefined = undefined;
  dirPattern: string | undefined = undefined;
  /** Engine-private: the transaction the file was opened in (a transacted create), or null. */
  transaction: object | null = null;

  constructor(id: number, stream: FileStream, nameInVolume: string, flags: number) {
    super();
    this.id = id;
    this.stream = stream;
    this.nameInVolume = nameInVolume;
    this.FsContext = stream.node !== null ? stream : null;
    this.SectionObjectPointer = stream.node !== null ? stream.sectionPointers : null;
    this.flags = flags;
    this.FileName = makeUnicodeString(nameInVolume);
  }

  /** What the create was granted (IoSetShareAccess): access asked for and sharing allowed, as 0/1. */
  setShareAccess(read: boolean, write: boolean, del: boolean, share: number): void {
    const any = read || write || del;
    this.ReadAccess = read ? 1 : 0;
    this.WriteAccess = write ? 1 : 0;
    this.DeleteAccess = del ? 1 : 0;
    this.SharedRead = any && (share & 0x1) !== 0 ? 1 : 0;
    this.SharedWrite = any && (share & 0x2) !== 0 ? 1 : 0;
    this.SharedDelete = any && (share & 0x4) !== 0 ? 1 : 0;
  }

  get Flags(): number {
    return this.c === undefined ? this.flags : (this.c.Flags as number);
  }

  set Flags(v: number) {
    if (this.c === undefined) this.flags = v;
    else this.c.Flags = v;
  }

  /** FileName as it is now (a filter may have replaced it before a reparse). */
  currentFileName(): string {
    return unicodeStringText((this.c !== undefined ? this.c.FileName : this.FileName) as UnicodeString);
  }

  /** Replaces FileName (IoReplaceFileObjectName), in C memory too once C has seen the object. */
  replaceFileName(text: string): void {
    this.FileName = makeUnicodeString(text);
    if (this.c !== undefined) writeFields(this.c.FileName as StructView, this.FileName);
  }

  /** The create reached the file: from now on the file object has the file's own stream. */
  attach(stream: FileStream): void {
    this.stream = stream;
    this.FsContext = stream;
    this.SectionObjectPointer = stream.sectionPointers;
    if (this.c !== undefined) {
      this.c.FsContext = stream;
      this.c.SectionObjectPointer = stream.sectionPointers;
    }
  }

  protected override cLabel(): string {
    return `FILE_OBJECT FO#${this.id}`;
  }

  protected override cFill(v: StructView, m: Marshal): void {
    m.writeFields(v, this, true);
    m.writeFields(v, this.js, true);
    v.Flags = this.flags;
  }
}
mirrorFields(FileObject, ['ReadAccess', 'WriteAccess', 'DeleteAccess', 'SharedRead', 'SharedWrite', 'SharedDelete', 'CurrentByteOffset']);

/** FLT_RELATED_OBJECTS for one callback. */
export class FltRelatedObjects extends EngineStruct {
  protected get cTag(): string {
    return '_FLT_RELATED_OBJECTS';
  }

  readonly Size = FLT_RELATED_OBJECTS_SIZE;
  readonly TransactionContext = 0;

  constructor(
    readonly Filter: unknown,
    readonly Volume: unknown,
    readonly Instance: unknown,
    readonly FileObject: unknown,
    readonly Transaction: unknown = null,
  ) {
    super();
  }

  /** The same objects with Transaction set (what a transaction notification callback receives). */
  withTransaction(transaction: object): FltRelatedObjects {
    return new FltRelatedObjects(this.Filter, this.Volume, this.Instance, this.FileObject, transaction);
  }
}

/** The related objects of an operation: the file's transaction when it was opened in one. */
export function makeRelatedObjects(filter: unknown, volume: unknown, instance: unknown, fileObject: unknown): FltRelatedObjects {
  const transaction = fileObject instanceof FileObject ? fileObject.transaction : null;
  return new FltRelatedObjects(filter, volume, instance, fileObject, transaction);
}
