/**
 * The C-visible structures of the Filter Manager, with the WDK's field names, so interpreted C
 * reads and writes these very objects (`Data->Iopb->Parameters.Read.Length`). Embedded structs are
 * linked with `embed()`; pointer fields hold objects, Refs or null. Registration structures are
 * declared here as the shapes the engine reads from driver memory.
 */
import { embed, LargeInteger, makeListEntry, makeUnicodeString, Ref, type ListEntry, type UnicodeString } from '../kernel/cvalues';
import type { DriverFn } from '../kernel/driverFn';
import { FLT_RELATED_OBJECTS_SIZE, IRP_MJ } from './constants';

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
 * made on first access, so requests nobody inspects cost nothing.
 */
export class ReadWriteParameters {
  Length: number;
  Key = 0;
  ByteOffset: LargeInteger;
  MdlAddress: unknown = null;
  private buffer: unknown = undefined;

  constructor(length: number, offset: number) {
    this.Length = length;
    this.ByteOffset = embed(this, 'ByteOffset', new LargeInteger(offset));
  }

  /** A Ref to the first byte of a zero-filled byte array of Length bytes (the user or system buffer). */
  get ReadBuffer(): unknown {
    if (this.buffer === undefined) this.buffer = new Ref(new Array<number>(this.Length).fill(0), 0);
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

export class FltIoParameterBlock {
  IrpFlags: number;
  MajorFunction: number;
  MinorFunction: number;
  OperationFlags = 0;
  Reserved = 0;
  TargetFileObject: FileObject | null;
  TargetInstance: unknown = null;
  private parametersStore: FltParameters | undefined = undefined;

  /**
   * `source` gives the values of the parameters; they are built from it when first read (most
   * operations pass through the engine without anyone looking at them), as they were at issue time.
   */
  constructor(major: number, minor: number, irpFlags: number, fileObject: FileObject | null, private readonly source: ParameterSource, private readonly createOptions: number) {
    this.IrpFlags = irpFlags;
    this.MajorFunction = major;
    this.MinorFunction = minor;
    this.TargetFileObject = fileObject;
  }

  /** FLT_PARAMETERS, embedded in the parameter block. */
  get Parameters(): FltParameters {
    if (this.parametersStore === undefined) {
      const s = this.source;
      embed(this, 'Parameters', makeParameters({ major: s.major, length: s.length, offset: s.offset, infoClass: s.infoClass, code: s.code, createOptions: this.createOptions }));
    }
    return this.parametersStore!;
  }

  set Parameters(v: FltParameters) {
    this.parametersStore = v;
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
}

/** Builds FLT_PARAMETERS for a major function, embedding each member in the union object. */
export function makeParameters(p: ParameterInput): FltParameters {
  const params = Object.create(PARAMETERS_PROTO) as FltParameters;
  switch (p.major) {
    case IRP_MJ.CREATE:
      embed(params, 'Create', {
        SecurityContext: { SecurityQos: null, AccessState: null, DesiredAccess: 0x120089, FullCreateOptions: p.createOptions },
        Options: p.createOptions,
        FileAttributes: 0x80,
        ShareAccess: 0x7,
        EaLength: 0,
        EaBuffer: null,
        AllocationSize: new LargeInteger(0),
      });
      break;
    case IRP_MJ.READ:
    case IRP_MJ.WRITE: {
      const rw = new ReadWriteParameters(p.length, p.offset);
      embed(params, 'Read', rw);
      params.Write = rw;
      break;
    }
    case IRP_MJ.QUERY_INFORMATION:
      embed(params, 'QueryFileInformation', { Length: p.length, FileInformationClass: p.infoClass, InfoBuffer: byteBuffer(p.length) });
      break;
    case IRP_MJ.SET_INFORMATION:
      embed(params, 'SetFileInformation', {
        Length: p.length,
        FileInformationClass: p.infoClass,
        ParentOfTarget: null,
        ReplaceIfExists: 0,
        AdvanceOnly: 0,
        ClusterCount: 0,
        DeleteHandle: null,
        InfoBuffer: byteBuffer(p.length),
      });
      break;
    case IRP_MJ.DIRECTORY_CONTROL:
      embed(params, 'DirectoryControl', {
        QueryDirectory: { Length: p.length, FileName: null, FileInformationClass: p.infoClass, FileIndex: 0, DirectoryBuffer: byteBuffer(p.length), MdlAddress: null },
      });
      break;
    case IRP_MJ.FILE_SYSTEM_CONTROL:
    case IRP_MJ.DEVICE_CONTROL:
    case IRP_MJ.INTERNAL_DEVICE_CONTROL: {
      const c: ControlParameters = {
        OutputBufferLength: p.length,
        InputBufferLength: p.length,
        InputBuffer: byteBuffer(p.length),
        OutputBuffer: byteBuffer(p.length),
        SystemBuffer: null,
        InputSystemBuffer: null,
        OutputMdlAddress: null,
      };
      const member = p.major === IRP_MJ.FILE_SYSTEM_CONTROL ? 'FileSystemControl' : 'DeviceIoControl';
      if (p.major === IRP_MJ.FILE_SYSTEM_CONTROL) c.FsControlCode = p.code;
      else c.IoControlCode = p.code;
      const union: Record<string, unknown> = {};
      embed(union, 'Common', c);
      union.Neither = c;
      union.Buffered = c;
      union.Direct = c;
      embed(params, member, union);
      break;
    }
    case IRP_MJ.FLUSH_BUFFERS:
      embed(params, 'FlushBuffers', { Type: 0, Reserved: 0 });
      break;
  }
  return params;
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
      Object.defineProperty(this, 'Others', { value: null, writable: true, enumerable: true, configurable: true });
      const others = { Argument1: null, Argument2: null, Argument3: null, Argument4: null, Argument5: null, Argument6: new LargeInteger(0) };
      embed(others, 'Argument6', others.Argument6);
      return embed(this, 'Others', others);
    },
    set(this: Record<string, unknown>, v: unknown) {
      Object.defineProperty(this, 'Others', { value: v, writable: true, enumerable: true, configurable: true });
    },
  },
});

function byteBuffer(length: number): Ref | null {
  return length > 0 ? new Ref(new Array<number>(length).fill(0), 0) : null;
}

/** The file system's per-stream object (FsContext): one per path. */
export class FileStream {
  constructor(
    readonly path: string,
    public size: number,
    public exists: boolean,
  ) {}
}

export class FileObject {
  Type = 5;
  Size = 0xd8;
  DeviceObject: unknown = null;
  Vpb: unknown = null;
  FsContext: FileStream;
  FsContext2: Record<string, unknown> = {};
  SectionObjectPointer: unknown = null;
  PrivateCacheMap: unknown = null;
  FinalStatus = 0;
  RelatedFileObject: unknown = null;
  LockOperation = 0;
  DeletePending = 0;
  ReadAccess = 1;
  WriteAccess = 1;
  DeleteAccess = 0;
  SharedRead = 1;
  SharedWrite = 1;
  SharedDelete = 1;
  Flags: number;
  FileName: UnicodeString;
  CurrentByteOffset: LargeInteger;
  Waiters = 0;
  Busy = 0;
  LastLock: unknown = null;
  Lock: Record<string, unknown>;
  Event: Record<string, unknown>;
  /** Engine-private: a number for display (`FO#2`). */
  readonly id: number;

  constructor(id: number, stream: FileStream, nameInVolume: string, flags: number) {
    this.id = id;
    this.FsContext = stream;
    this.Flags = flags;
    this.FileName = embed(this, 'FileName', makeUnicodeString(nameInVolume));
    this.CurrentByteOffset = embed(this, 'CurrentByteOffset', new LargeInteger(0));
    this.Lock = embed(this, 'Lock', { Header: { Type: 0, SignalState: 0, WaitListHead: makeListEntry() } });
    this.Event = embed(this, 'Event', { Header: { Type: 0, SignalState: 0, WaitListHead: makeListEntry() } });
  }
}

/** FLT_RELATED_OBJECTS for one callback. */
export interface FltRelatedObjects {
  Size: number;
  TransactionContext: number;
  Filter: unknown;
  Volume: unknown;
  Instance: unknown;
  FileObject: unknown;
  Transaction: unknown;
}

export function makeRelatedObjects(filter: unknown, volume: unknown, instance: unknown, fileObject: unknown): FltRelatedObjects {
  return { Size: FLT_RELATED_OBJECTS_SIZE, TransactionContext: 0, Filter: filter, Volume: volume, Instance: instance, FileObject: fileObject, Transaction: null };
}

/** FLT_CALLBACK_DATA's embedded LIST_ENTRY and IO_STATUS_BLOCK, made once per callback data. */
export function makeQueueLinks(parent: object): ListEntry {
  return embed(parent, 'QueueLinks', makeListEntry());
}
