/**
 * Filter-initiated I/O: FltCreateFile(Ex/Ex2), FltReadFile, FltWriteFile, Flt(Query/Set)InformationFile,
 * FltQueryDirectoryFile, FltFsControlFile, FltDeviceIoControlFile, FltOpenVolume, FltClose, and callback data a filter allocates and sends
 * itself (FltAllocateCallbackData, FltPerformSynchronousIo, FltPerformAsynchronousIo,
 * FltFreeCallbackData, FltReuseCallbackData).
 *
 * As on Windows, such an operation starts below the issuing instance: only the instances of lower
 * altitude on the volume see it (all of them when the instance is NULL), and the issuer never sees
 * its own I/O. It goes through dispatch.ts like any other operation (pre-ops, the file system,
 * post-ops, the same events the debugger stops at), marked FLTFL_CALLBACK_DATA_GENERATED_IO and
 * from kernel mode. Synchronous calls wait in the calling thread; an asynchronous one's callback
 * runs from the completion context when the operation is done.
 */
import { isCo, Trap, type Co } from '../kernel/coroutine';
import { makeUnicodeString, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { DriverFn } from '../kernel/driverFn';
import { nameOf } from '../kernel/driverFn';
import { kernelFrame } from '../kernel/kernel';
import { KHandle, writeOut } from '../kernel/objects';
import { formatStatus, STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { isView, type StructView } from '../memory/view';
import { callbackDataArg, FltCallbackData, type IoRequest } from './callbackData';
import { FILE_CREATE_OPTION, FILE_DISPOSITION, FLTFL_CALLBACK_DATA, FO, IRP_FLAGS, IRP_MJ, IRP_MN_QUERY_DIRECTORY, majorName, SL_RESTART_SCAN, SL_RETURN_SINGLE_ENTRY } from './constants';
import type { Dispatcher } from './dispatch';
import type { FilterManager } from './fltmgr';
import { Filter, Instance, type Volume } from './objects';
import { opWord } from './requests';
import { ACCESS_BITS, ALL_SHARE, IO_IGNORE_SHARE_ACCESS_CHECK } from './shareAccess';
import { FileObject, FltIoParameterBlock, type ReadWriteParameters } from './structs';

/** SYNCHRONIZE access (FltOpenVolume's handle waits on the file object). */
const SYNCHRONIZE = 0x100000;

/** FLT_IO_OPERATION_FLAGS of FltReadFile and FltWriteFile. */
const FLTFL_IO_OPERATION_NON_CACHED = 0x1;
const FLTFL_IO_OPERATION_PAGING = 0x2;
const FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET = 0x4;

/**
 * A file handle (FltCreateFile or ZwCreateFile): the file object it opened and the instance below
 * which its I/O starts (NULL: the top of the stack). Closing it (FltClose, ZwClose) sends the
 * cleanup and close down the same way.
 */
export class FileHandle extends KHandle {
  constructor(
    readonly fileObject: FileObject,
    readonly instance: Instance | null,
    readonly volume: Volume,
    /** The process whose handle table holds it; null for a kernel handle. */
    process: object | null = null,
    /** Opened by a minifilter (FltCreateFile): its I/O is marked FLTFL_CALLBACK_DATA_GENERATED_IO. */
    readonly generated = true,
  ) {
    super(fileObject, `file ${fileObject.stream.path}`, process);
  }
}

/** Who opens a file, and so what its handle and I/O are. */
export interface OpenedBy {
  /** The process whose handle table holds the handle; null for a kernel handle. */
  process: object | null;
  /** FO_SYNCHRONOUS_IO: the file object keeps a position for I/O that names no offset. */
  synchronous: boolean;
  /** A minifilter opens it: its I/O is FLTFL_CALLBACK_DATA_GENERATED_IO. */
  generated: boolean;
}

/** FltCreateFile(Ex/Ex2): a kernel handle to a synchronous file object, filter-generated I/O. */
const FLT_OPEN: OpenedBy = { process: null, synchronous: true, generated: true };

/** What an operation's parameters get from the routine that issues it. */
export interface Issue {
  routine: string;
  instance: Instance | null;
  volume: Volume;
  fileObject: FileObject;
  major: number;
  minor?: number;
  length?: number;
  offset?: number;
  infoClass?: number;
  code?: number;
  createOptions?: number;
  desiredAccess?: number;
  shareAccess?: number;
  ignoreShareAccess?: boolean;
  irpFlags?: number;
  /** A minifilter issues it (FLTFL_CALLBACK_DATA_GENERATED_IO); false for I/O the kernel sends itself. */
  generated?: boolean;
  fill?: (params: Record<string, unknown>, iopb: FltIoParameterBlock) => void;
}

export class FilterIoRoutines {
  /** Callback data allocated by FltAllocateCallbackData and not freed yet. */
  private readonly allocated = new Set<FltCallbackData>();

  constructor(
    private readonly fm: FilterManager,
    private readonly dispatcher: Dispatcher,
  ) {}

  *FltCreateFile(Filter_: unknown, Instance_: unknown, FileHandle_: unknown, DesiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown,
    _AllocationSize: unknown, _FileAttributes: number, ShareAccess: number, CreateDisposition: number, CreateOptions: number, _EaBuffer: unknown, _EaLength: number, Flags: number): Co<number> {
    return yield* this.create('FltCreateFile', Filter_, Instance_, FileHandle_, undefined, DesiredAccess, ObjectAttributes, IoStatusBlock, CreateDisposition, CreateOptions, ShareAccess, Flags);
  }

  *FltCreateFileEx(Filter_: unknown, Instance_: unknown, FileHandle_: unknown, FileObject_: unknown, DesiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown,
    _AllocationSize: unknown, _FileAttributes: number, ShareAccess: number, CreateDisposition: number, CreateOptions: number, _EaBuffer: unknown, _EaLength: number, Flags: number): Co<number> {
    return yield* this.create('FltCreateFileEx', Filter_, Instance_, FileHandle_, FileObject_, DesiredAccess, ObjectAttributes, IoStatusBlock, CreateDisposition, CreateOptions, ShareAccess, Flags);
  }

  *FltCreateFileEx2(Filter_: unknown, Instance_: unknown, FileHandle_: unknown, FileObject_: unknown, DesiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown,
    _AllocationSize: unknown, _FileAttributes: number, ShareAccess: number, CreateDisposition: number, CreateOptions: number, _EaBuffer: unknown, _EaLength: number, Flags: number,
    _DriverContext: unknown): Co<number> {
    return yield* this.create('FltCreateFileEx2', Filter_, Instance_, FileHandle_, FileObject_, DesiredAccess, ObjectAttributes, IoStatusBlock, CreateDisposition, CreateOptions, ShareAccess, Flags);
  }

  /** FltClose: cleanup and close of the handle's file object, below the instance that opened it. */
  *FltClose(FileHandle_: unknown): Co<number> {
    const k = this.fm.k;
    k.checkIrql('FltClose');
    if (!(FileHandle_ instanceof FileHandle) || FileHandle_.closed) {
      k.violation(FileHandle_ === null || FileHandle_ === undefined ? 'null-param' : 'bad-object', 'FltClose needs a handle from FltCreateFile, FltCreateFileEx or FltCreateFileEx2 that is still open');
      return STATUS.STATUS_INVALID_HANDLE;
    }
    FileHandle_.closed = true;
    yield* this.closeFile('FltClose', FileHandle_);
    return STATUS.STATUS_SUCCESS;
  }

  /** The cleanup and close a file handle's closing sends, below the instance that opened it. */
  private *closeFile(routine: string, handle: FileHandle): Co<void> {
    const t = this.fm.k.current;
    const base = { routine, instance: handle.instance, volume: handle.volume, fileObject: handle.fileObject, generated: handle.generated };
    yield* this.issue(t, { ...base, major: IRP_MJ.CLEANUP });
    yield* this.issue(t, { ...base, major: IRP_MJ.CLOSE });
  }

  *FltReadFile(InitiatingInstance: unknown, FileObject_: unknown, ByteOffset: unknown, Length: number, Buffer: unknown, Flags: number, BytesRead: unknown,
    CallbackRoutine: DriverFn | null, CallbackContext: unknown): Co<number> {
    return yield* this.readWrite('FltReadFile', IRP_MJ.READ, InitiatingInstance, FileObject_, ByteOffset, Length, Buffer, Flags, BytesRead, CallbackRoutine, CallbackContext);
  }

  *FltWriteFile(InitiatingInstance: unknown, FileObject_: unknown, ByteOffset: unknown, Length: number, Buffer: unknown, Flags: number, BytesWritten: unknown,
    CallbackRoutine: DriverFn | null, CallbackContext: unknown): Co<number> {
    return yield* this.readWrite('FltWriteFile', IRP_MJ.WRITE, InitiatingInstance, FileObject_, ByteOffset, Length, Buffer, Flags, BytesWritten, CallbackRoutine, CallbackContext);
  }

  *FltQueryInformationFile(Instance_: unknown, FileObject_: unknown, FileInformation: unknown, Length: number, FileInformationClass: number, LengthReturned: unknown): Co<number> {
    writeOut(LengthReturned, 0);
    const target = this.target('FltQueryInformationFile', Instance_, FileObject_);
    if (target === null) return STATUS.STATUS_INVALID_PARAMETER;
    const data = yield* this.issue(this.fm.k.current, {
      routine: 'FltQueryInformationFile', ...target, major: IRP_MJ.QUERY_INFORMATION, length: Length, infoClass: FileInformationClass,
      fill: (p) => {
        (p.QueryFileInformation as { InfoBuffer: unknown }).InfoBuffer = FileInformation;
      },
    });
    writeOut(LengthReturned, Number(data.IoStatus.Information));
    return data.IoStatus.Status;
  }

  /** FILE_FS_*_INFORMATION about the volume of `FileObject_`, asked below the instance. */
  *FltQueryVolumeInformationFile(Instance_: unknown, FileObject_: unknown, FsInformation: unknown, Length: number, FsInformationClass: number, LengthReturned: unknown): Co<number> {
    writeOut(LengthReturned, 0);
    const target = this.target('FltQueryVolumeInformationFile', Instance_, FileObject_);
    if (target === null) return STATUS.STATUS_INVALID_PARAMETER;
    const data = yield* this.queryVolume('FltQueryVolumeInformationFile', target, FsInformation, Length, FsInformationClass);
    writeOut(LengthReturned, Number(data.IoStatus.Information));
    return data.IoStatus.Status;
  }

  /** FILE_FS_*_INFORMATION about the instance's volume, through an open of the volume the Filter Manager makes. */
  *FltQueryVolumeInformation(Instance_: unknown, Iosb: unknown, FsInformation: unknown, Length: number, FsInformationClass: number): Co<number> {
    const k = this.fm.k;
    k.checkIrql('FltQueryVolumeInformation');
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', 'FltQueryVolumeInformation needs the instance that asks');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const fileObject = this.fm.fs.newFileObject(Instance_.volume.name, '\\', true);
    const data = yield* this.queryVolume('FltQueryVolumeInformation', { instance: Instance_, volume: Instance_.volume, fileObject }, FsInformation, Length, FsInformationClass);
    return this.ioStatus(Iosb, data.IoStatus.Status >>> 0, Number(data.IoStatus.Information));
  }

  /**
   * Sends a synchronous IRP operation down again from its post-operation callback, to the
   * instances below `InitiatingInstance` and the file system; its new result replaces the old one.
   * The operation goes down as the request first described it (with the file object as it is now,
   * a name a filter replaced included), in a callback data of its own.
   */
  *FltReissueSynchronousIo(InitiatingInstance: unknown, CallbackData: unknown): Co<void> {
    const k = this.fm.k;
    const routine = 'FltReissueSynchronousIo';
    k.checkIrql(routine);
    const data = callbackDataArg(k, CallbackData, routine);
    if (data === null) return;
    if (!(InitiatingInstance instanceof Instance)) {
      k.violation(InitiatingInstance === null || InitiatingInstance === undefined ? 'null-param' : 'bad-object', `${routine} needs the instance whose post-operation callback reissues the operation`, data.id);
      return;
    }
    const t = k.current;
    const scope = t.scope;
    const inPost = scope !== null && (scope.role === 'post' || scope.role === 'safe-post') && scope.data === data;
    const synchronous = data.request.synchronous || (data.Iopb.IrpFlags & IRP_FLAGS.IRP_SYNCHRONOUS_API) !== 0;
    if (!inPost || !data.isIrp || !synchronous) {
      const why = !inPost ? 'outside its post-operation callback' : !data.isIrp ? 'which is fast I/O' : 'which is asynchronous';
      k.violation('reissue-misuse', `${routine} was called for ${data.label} ${why}; only a synchronous IRP operation can be reissued, from its post-operation callback`, data.id);
      return;
    }
    const r = data.request;
    const again = this.newData(t, {
      routine, instance: InitiatingInstance, volume: data.volume, fileObject: data.fileObject, major: data.major, minor: r.minor, length: r.length, offset: r.offset,
      infoClass: r.infoClass, code: r.code, ...(r.createOptions !== undefined ? { createOptions: r.createOptions } : {}),
      ...(r.desiredAccess !== undefined ? { desiredAccess: r.desiredAccess } : {}), ...(r.shareAccess !== undefined ? { shareAccess: r.shareAccess } : {}),
    });
    // The same operation again, not one the filter generated.
    again.Flags = (again.Flags & ~FLTFL_CALLBACK_DATA.GENERATED_IO) >>> 0;
    yield* this.send(t, again, routine, null, null);
    data.IoStatus.Status = again.IoStatus.Status;
    data.IoStatus.Information = again.IoStatus.Information;
  }

  *FltSetInformationFile(Instance_: unknown, FileObject_: unknown, FileInformation: unknown, Length: number, FileInformationClass: number): Co<number> {
    const target = this.target('FltSetInformationFile', Instance_, FileObject_);
    if (target === null) return STATUS.STATUS_INVALID_PARAMETER;
    const data = yield* this.issue(this.fm.k.current, {
      routine: 'FltSetInformationFile', ...target, major: IRP_MJ.SET_INFORMATION, length: Length, infoClass: FileInformationClass,
      fill: (p) => {
        (p.SetFileInformation as { InfoBuffer: unknown }).InfoBuffer = FileInformation;
      },
    });
    return data.IoStatus.Status;
  }

  *FltQueryDirectoryFile(Instance_: unknown, FileObject_: unknown, FileInformation: unknown, Length: number, FileInformationClass: number, ReturnSingleEntry: number,
    FileName: unknown, RestartScan: number, LengthReturned: unknown): Co<number> {
    writeOut(LengthReturned, 0);
    const target = this.target('FltQueryDirectoryFile', Instance_, FileObject_);
    if (target === null) return STATUS.STATUS_INVALID_PARAMETER;
    const data = yield* this.issue(this.fm.k.current, {
      routine: 'FltQueryDirectoryFile', ...target, major: IRP_MJ.DIRECTORY_CONTROL, minor: IRP_MN_QUERY_DIRECTORY, length: Length, infoClass: FileInformationClass,
      fill: (p, iopb) => {
        const q = (p.DirectoryControl as { QueryDirectory: Record<string, unknown> }).QueryDirectory;
        q.DirectoryBuffer = FileInformation;
        q.FileName = FileName ?? null;
        iopb.OperationFlags = (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0) | (RestartScan ? SL_RESTART_SCAN : 0);
      },
    });
    writeOut(LengthReturned, Number(data.IoStatus.Information));
    return data.IoStatus.Status;
  }

  *FltFsControlFile(Instance_: unknown, FileObject_: unknown, FsControlCode: number, InputBuffer: unknown, InputBufferLength: number, OutputBuffer: unknown, OutputBufferLength: number,
    LengthReturned: unknown): Co<number> {
    return yield* this.control('FltFsControlFile', IRP_MJ.FILE_SYSTEM_CONTROL, 'FileSystemControl', Instance_, FileObject_, FsControlCode,
      InputBuffer, InputBufferLength, OutputBuffer, OutputBufferLength, LengthReturned);
  }

  /** A device control request on a file object, below the instance (a volume open's storage queries reach the disk). */
  *FltDeviceIoControlFile(Instance_: unknown, FileObject_: unknown, IoControlCode: number, InputBuffer: unknown, InputBufferLength: number, OutputBuffer: unknown, OutputBufferLength: number,
    LengthReturned: unknown): Co<number> {
    return yield* this.control('FltDeviceIoControlFile', IRP_MJ.DEVICE_CONTROL, 'DeviceIoControl', Instance_, FileObject_, IoControlCode,
      InputBuffer, InputBufferLength, OutputBuffer, OutputBufferLength, LengthReturned);
  }

  /** A file-system or device control request below the instance, its buffers handed down as the caller gave them. */
  private *control(routine: string, major: number, parameters: 'FileSystemControl' | 'DeviceIoControl', Instance_: unknown, FileObject_: unknown, code: number,
    InputBuffer: unknown, InputBufferLength: number, OutputBuffer: unknown, OutputBufferLength: number, LengthReturned: unknown): Co<number> {
    writeOut(LengthReturned, 0);
    const target = this.target(routine, Instance_, FileObject_);
    if (target === null) return STATUS.STATUS_INVALID_PARAMETER;
    const data = yield* this.issue(this.fm.k.current, {
      routine, ...target, major, code, length: OutputBufferLength,
      fill: (p) => {
        const c = (p[parameters] as { Neither: Record<string, unknown> }).Neither;
        c.InputBuffer = InputBuffer;
        c.InputBufferLength = InputBufferLength;
        c.OutputBuffer = OutputBuffer;
        c.OutputBufferLength = OutputBufferLength;
      },
    });
    writeOut(LengthReturned, Number(data.IoStatus.Information));
    return data.IoStatus.Status;
  }

  /**
   * FltOpenVolume: an open of the instance's volume itself (a DASD open), below the instance; the
   * handle is closed with FltClose, and the file object, when asked for, is the driver's to
   * dereference.
   */
  *FltOpenVolume(Instance_: unknown, VolumeHandle: unknown, VolumeFileObject: unknown): Co<number> {
    const k = this.fm.k;
    const routine = 'FltOpenVolume';
    k.checkIrql(routine);
    writeOut(VolumeHandle, null);
    if (VolumeFileObject !== null && VolumeFileObject !== undefined) writeOut(VolumeFileObject, null);
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', `${routine} needs the instance whose volume it opens`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (VolumeHandle === null || VolumeHandle === undefined) {
      k.violation('null-param', `${routine} needs a place for the volume handle`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const volume = Instance_.volume;
    const fo = this.fm.fs.newFileObject(volume.name, '', true);
    fo.FileName = makeUnicodeString('');
    fo.Flags |= FO.VOLUME_OPEN;
    const data = yield* this.issue(k.current, {
      routine, instance: Instance_, volume, fileObject: fo, major: IRP_MJ.CREATE,
      createOptions: (FILE_DISPOSITION.FILE_OPEN << 24 | FILE_CREATE_OPTION.FILE_SYNCHRONOUS_IO_NONALERT) >>> 0, desiredAccess: ACCESS_BITS.FILE_READ_DATA | SYNCHRONIZE, shareAccess: ALL_SHARE,
    });
    const st = data.IoStatus.Status >>> 0;
    if (st !== STATUS.STATUS_SUCCESS) return st;
    const handle = new FileHandle(fo, Instance_, volume);
    // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
    const closeIo = (): Co<void> => this.closeFile('FltClose', handle);
    handle.closeIo = closeIo;
    k.handles.record(handle, routine, k.current);
    writeOut(VolumeHandle, handle);
    if (VolumeFileObject !== null && VolumeFileObject !== undefined) writeOut(VolumeFileObject, fo);
    return st;
  }

  /** A callback data the filter fills in (Iopb) and sends with FltPerformSynchronousIo/AsynchronousIo. */
  FltAllocateCallbackData(Instance_: unknown, FileObject_: unknown, RetNewCallbackData: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltAllocateCallbackData');
    writeOut(RetNewCallbackData, null);
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', 'FltAllocateCallbackData needs the instance that will issue the I/O');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (k.allocationFails('FltAllocateCallbackData')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const fo = FileObject_ instanceof FileObject ? FileObject_ : this.fm.fs.newFileObject(Instance_.volume.name, '\\', true);
    const data = this.newData(k.current, { routine: 'FltAllocateCallbackData', instance: Instance_, volume: Instance_.volume, fileObject: fo, major: IRP_MJ.CREATE });
    data.allocatedBy = Instance_;
    this.allocated.add(data);
    writeOut(RetNewCallbackData, data);
    return STATUS.STATUS_SUCCESS;
  }

  /** Sends an allocated callback data down and waits for it; its IoStatus holds the outcome. */
  *FltPerformSynchronousIo(CallbackData: unknown): Co<void> {
    const data = this.allocatedArg(CallbackData, 'FltPerformSynchronousIo');
    if (data === null) return;
    yield* this.send(this.fm.k.current, data, 'FltPerformSynchronousIo', null, null);
  }

  /** Sends an allocated callback data down; CallbackRoutine(Data, Context) runs when it is done. */
  *FltPerformAsynchronousIo(CallbackData: unknown, CallbackRoutine: DriverFn | null, CallbackContext: unknown): Co<number> {
    const data = this.allocatedArg(CallbackData, 'FltPerformAsynchronousIo');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (!CallbackRoutine) {
      this.fm.k.violation('null-param', 'FltPerformAsynchronousIo needs a CallbackRoutine');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    yield* this.send(this.fm.k.current, data, 'FltPerformAsynchronousIo', CallbackRoutine, CallbackContext);
    return STATUS.STATUS_PENDING;
  }

  FltFreeCallbackData(CallbackData: unknown): void {
    const k = this.fm.k;
    k.checkIrql('FltFreeCallbackData');
    const data = callbackDataArg(k, CallbackData, 'FltFreeCallbackData');
    if (data === null) return;
    if (!this.allocated.delete(data)) {
      k.violation('bad-object', `FltFreeCallbackData on ${data.label}, which ${data.allocatedBy ? 'was freed already' : 'did not come from FltAllocateCallbackData'}`);
      return;
    }
    if (data.live && data.sent) k.violation('bad-object', `FltFreeCallbackData on ${data.label} while the operation is still in progress`);
  }

  /** Makes an allocated callback data ready to be filled and sent again. */
  FltReuseCallbackData(CallbackData: unknown): void {
    const data = this.allocatedArg(CallbackData, 'FltReuseCallbackData');
    if (data === null) return;
    data.IoStatus.Status = 0;
    data.IoStatus.Information = 0;
    data.resetForReuse();
  }

  /**
   * A file information query the kernel sends for a routine of its own (FsRtlGetFileSize): an IRP to
   * the top of the file object's volume stack, so every instance sees it, the caller's own too.
   */
  *queryFromTop(routine: string, fileObject: FileObject, infoClass: number, buffer: unknown, length: number): Co<FltCallbackData> {
    const { volume } = this.fm.locate(fileObject.stream.volumeName);
    return yield* this.issue(this.fm.k.current, {
      routine, instance: null, volume, fileObject, major: IRP_MJ.QUERY_INFORMATION, length, infoClass, generated: false,
      fill: (p) => {
        (p.QueryFileInformation as { InfoBuffer: unknown }).InfoBuffer = buffer;
      },
    });
  }

  /** End of run: callback data allocated and never freed. */
  endChecks(): void {
    for (const d of this.allocated) {
      this.fm.k.violation('bad-object', `callback data ${d.label} from FltAllocateCallbackData was never freed with FltFreeCallbackData`, 0, this.fm.k.outside);
    }
  }

  // --- the work ---

  private *create(routine: string, Filter_: unknown, Instance_: unknown, FileHandle_: unknown, FileObjectOut: unknown, desiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown,
    disposition: number, options: number, shareAccess: number, flags: number): Co<number> {
    const k = this.fm.k;
    k.checkIrql(routine);
    writeOut(FileHandle_, null);
    if (FileObjectOut !== undefined) writeOut(FileObjectOut, null);
    if (!(Filter_ instanceof Filter)) {
      k.violation(Filter_ === null || Filter_ === undefined ? 'null-param' : 'bad-object', `${routine} needs the filter from FltRegisterFilter`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Instance_ !== null && Instance_ !== undefined && !(Instance_ instanceof Instance)) {
      k.violation('bad-object', `${routine} needs an instance of the filter, or NULL`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const inst = (Instance_ ?? null) as Instance | null;
    return yield* this.openFile(routine, inst, FileHandle_, FileObjectOut, desiredAccess, ObjectAttributes, IoStatusBlock, disposition, options, shareAccess, flags, FLT_OPEN);
  }

  /**
   * Opens a file below `inst` (NULL: from the top of the stack) and returns a handle in
   * `FileHandle_`; `how` says who opens it (a minifilter, or a driver through ZwCreateFile).
   */
  *openFile(routine: string, inst: Instance | null, FileHandle_: unknown, FileObjectOut: unknown, desiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown,
    disposition: number, options: number, shareAccess: number, flags: number, how: OpenedBy): Co<number> {
    const { process, synchronous, generated } = how;
    const k = this.fm.k;
    const oa = ObjectAttributes as { ObjectName?: unknown; RootDirectory?: unknown } | null;
    if (!oa || !oa.ObjectName) {
      k.violation('null-param', `${routine} needs OBJECT_ATTRIBUTES with an ObjectName`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    let name = unicodeStringText(k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING'));
    const root = oa.RootDirectory;
    if (root instanceof FileHandle) name = `${root.fileObject.stream.path.replace(/\\$/, '')}\\${name}`;
    const { volume, nameInVolume } = this.fm.locate(name);
    if (inst !== null && inst.volume !== volume) {
      // Windows sends the create to the instance's volume only; a name on another volume fails.
      return this.ioStatus(IoStatusBlock, STATUS.STATUS_INVALID_PARAMETER, 0);
    }
    const fo = this.fm.fs.newFileObject(volume.name, nameInVolume, synchronous);
    const data = yield* this.issue(k.current, {
      routine, instance: inst, volume, fileObject: fo, major: IRP_MJ.CREATE,
      createOptions: ((disposition & 0xff) << 24 | (options & 0xffffff)) >>> 0, desiredAccess, shareAccess: shareAccess & ALL_SHARE,
      ignoreShareAccess: (flags & IO_IGNORE_SHARE_ACCESS_CHECK) !== 0, generated,
    });
    const st = data.IoStatus.Status >>> 0;
    this.ioStatus(IoStatusBlock, st, Number(data.IoStatus.Information));
    if (st !== STATUS.STATUS_SUCCESS) return st;
    const handle = new FileHandle(fo, inst, volume, process, generated);
    // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
    const closeIo = (): Co<void> => this.closeFile(routine.startsWith('Flt') ? 'FltClose' : 'ZwClose', handle);
    handle.closeIo = closeIo;
    k.handles.record(handle, routine, k.current);
    writeOut(FileHandle_, handle);
    if (FileObjectOut !== undefined) writeOut(FileObjectOut, fo);
    return st;
  }

  private *queryVolume(routine: string, target: { instance: Instance; volume: Volume; fileObject: FileObject }, buffer: unknown, length: number, cls: number): Co<FltCallbackData> {
    return yield* this.issue(this.fm.k.current, {
      routine, ...target, major: IRP_MJ.QUERY_VOLUME_INFORMATION, length, infoClass: cls,
      fill: (p) => {
        (p.QueryVolumeInformation as { VolumeBuffer: unknown }).VolumeBuffer = buffer;
      },
    });
  }

  /** Fills an IO_STATUS_BLOCK the caller passed (if any) and returns `status`. */
  ioStatus(iosb: unknown, status: number, information: number): number {
    if (iosb !== null && iosb !== undefined && (isView(iosb) || typeof iosb === 'object')) {
      const v = iosb as StructView;
      v.Status = status | 0;
      v.Information = information;
    }
    return status;
  }

  private *readWrite(routine: string, major: number, Instance_: unknown, FileObject_: unknown, ByteOffset: unknown, Length: number, Buffer: unknown, Flags: number, Done: unknown,
    CallbackRoutine: DriverFn | null, CallbackContext: unknown): Co<number> {
    const k = this.fm.k;
    writeOut(Done, 0);
    const target = this.target(routine, Instance_, FileObject_);
    if (target === null) return STATUS.STATUS_INVALID_PARAMETER;
    const fo = target.fileObject;
    const offset = ByteOffset === null || ByteOffset === undefined ? Number(fo.CurrentByteOffset.QuadPart) : Number((ByteOffset as { QuadPart: number | bigint }).QuadPart);
    let irpFlags = 0;
    if (Flags & FLTFL_IO_OPERATION_NON_CACHED) irpFlags |= IRP_FLAGS.IRP_NOCACHE;
    if (Flags & FLTFL_IO_OPERATION_PAGING) irpFlags |= IRP_FLAGS.IRP_PAGING_IO | IRP_FLAGS.IRP_NOCACHE;
    const issue: Issue = {
      routine, ...target, major, length: Length, offset, irpFlags,
      fill: (p) => {
        (p.Read as ReadWriteParameters).ReadBuffer = Buffer;
      },
    };
    if (CallbackRoutine) {
      const data = this.newData(k.current, issue);
      yield* this.send(k.current, data, routine, CallbackRoutine, CallbackContext);
      return STATUS.STATUS_PENDING;
    }
    const data = yield* this.issue(k.current, issue);
    const st = data.IoStatus.Status >>> 0;
    writeOut(Done, Number(data.IoStatus.Information));
    // A special offset (append, the file position) is resolved by the file system, which moves the position itself.
    if ((Flags & FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET) === 0 && st === STATUS.STATUS_SUCCESS && offset >= 0) {
      fo.CurrentByteOffset.QuadPart = offset + Number(data.IoStatus.Information);
    }
    return st;
  }

  /** The instance and file object a routine works on, after its checks (IRQL, arguments). */
  private target(routine: string, Instance_: unknown, FileObject_: unknown): { instance: Instance; volume: Volume; fileObject: FileObject } | null {
    const k = this.fm.k;
    k.checkIrql(routine);
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', `${routine} needs the instance that issues the I/O`);
      return null;
    }
    if (!(FileObject_ instanceof FileObject)) {
      k.violation(FileObject_ === null || FileObject_ === undefined ? 'null-param' : 'bad-object', `${routine} needs a FILE_OBJECT (from FltCreateFileEx, ObReferenceObjectByHandle or FltObjects->FileObject)`);
      return null;
    }
    return { instance: Instance_, volume: Instance_.volume, fileObject: FileObject_ };
  }

  private allocatedArg(v: unknown, routine: string): FltCallbackData | null {
    const k = this.fm.k;
    k.checkIrql(routine);
    const data = callbackDataArg(k, v, routine);
    if (data === null) return null;
    if (!this.allocated.has(data)) {
      k.violation('bad-object', `${routine} needs callback data from FltAllocateCallbackData; ${data.label} is ${data.allocatedBy ? 'freed' : 'an operation the Filter Manager gave the filter'}`);
      return null;
    }
    return data;
  }

  /** Builds the callback data of an operation a filter issues. */
  private newData(t: KThread, x: Issue): FltCallbackData {
    const fm = this.fm;
    const id = fm.freshId();
    const req: IoRequest = {
      id, major: x.major, minor: x.minor ?? 0, path: x.fileObject.stream.path, length: x.length ?? 0, offset: x.offset ?? 0,
      fastio: false, paging: ((x.irpFlags ?? 0) & IRP_FLAGS.IRP_PAGING_IO) !== 0, nocache: ((x.irpFlags ?? 0) & IRP_FLAGS.IRP_NOCACHE) !== 0,
      synchronous: true, systemBuffer: false, topLevelIrp: false, kernelMode: true, infoClass: x.infoClass ?? 0, code: x.code ?? 0, at: fm.k.now,
    };
    if (x.createOptions !== undefined) req.createOptions = x.createOptions;
    if (x.desiredAccess !== undefined) req.desiredAccess = x.desiredAccess >>> 0;
    if (x.shareAccess !== undefined) req.shareAccess = x.shareAccess;
    if (x.ignoreShareAccess === true) req.ignoreShareAccess = true;
    const irpFlags = (x.irpFlags ?? 0) | IRP_FLAGS.IRP_SYNCHRONOUS_API | (x.major === IRP_MJ.CREATE ? IRP_FLAGS.IRP_CREATE_OPERATION : 0);
    const iopb = new FltIoParameterBlock(x.major, req.minor, irpFlags, x.fileObject, req, req.createOptions ?? FILE_DISPOSITION.FILE_OPEN << 24);
    const flags = FLTFL_CALLBACK_DATA.IRP_OPERATION | (x.generated === false ? 0 : FLTFL_CALLBACK_DATA.GENERATED_IO);
    const data = new FltCallbackData(id, req, t, flags, iopb, x.fileObject, x.volume, fm.k.log);
    data.stack = below(x.volume, x.instance);
    data.issuedBy = x.instance;
    if (x.fill) x.fill(iopb.Parameters, iopb);
    return data;
  }

  /** Issues an operation (for a filter, or for a Zw routine from the top) and waits for it to be done. */
  *issue(t: KThread, x: Issue): Co<FltCallbackData> {
    const data = this.newData(t, x);
    yield* this.send(t, data, x.routine, null, null);
    return data;
  }

  /**
   * Sends `data` down the stack below its issuer. Without a callback the calling thread waits until
   * the operation is done; with one, the callback runs from the completion context when it is.
   */
  private *send(t: KThread, data: FltCallbackData, routine: string, callback: DriverFn | null, context: unknown): Co<void> {
    const fm = this.fm;
    const k = fm.k;
    if (data.allocatedBy !== null) {
      // The filter filled Iopb itself: the operation is what the parameter block says now.
      data.stack = below(data.volume, data.allocatedBy);
      data.preIndex = 0;
    }
    data.sent = true;
    fm.live.add(data);
    const who = data.issuedBy ?? data.allocatedBy;
    const issuer = who ? who.filter.name : (data.Flags & FLTFL_CALLBACK_DATA.GENERATED_IO) !== 0 ? 'a filter' : 'a driver through the I/O manager';
    data.note(k, 'io-issue', `${data.label} ${majorName(data.major)} issued by ${issuer} (${routine}) on ${data.fileObject.stream.path}, seen by ${data.stack.length === 0 ? 'no filter' : data.stack.map((i) => i.filter.name).join(', ')}`);
    if (callback !== null) {
      const name = nameOf(callback, 'CompletionCallback');
      // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
      const onDone = (d: FltCallbackData): void => {
        const inline = (ct: KThread): Co<void> => this.callCompletion(ct, callback, name, d, context);
        if (d.completingInline) d.inlineCompletion = inline;
        else if (d.passiveCompletion) this.dispatcher.runAtPassive(`${name} for ${d.label}`, (ct) => this.callCompletion(ct, callback, name, d, context));
        else fm.completion.queue({ label: `${name} for ${d.label}`, data: d.id, run: (ct) => this.callCompletion(ct, callback, name, d, context) });
      };
      data.onDone = onDone;
    }
    const depth = t.frames.length;
    t.frames.push(kernelFrame(routine, 'fltmgr'));
    try {
      yield* this.dispatcher.runPre(t, data);
      if (callback === null && data.live) {
        data.waiter = t;
        k.beginWait(t, `${routine} (${opWord(data.major)} ${data.label}) to complete`, null);
        yield Trap.Block;
      }
    } finally {
      while (t.frames.length > depth) t.frames.pop();
    }
    if (callback === null) data.note(k, 'state', `${routine} returns ${formatStatus(data.IoStatus.Status)} to ${who ? who.filter.name : 'the filter'}`);
  }

  private *callCompletion(t: KThread, fn: DriverFn, name: string, data: FltCallbackData, context: unknown): Co<void> {
    const r = this.fm.k.callDriverSync(t, fn, name, [data, context]);
    if (isCo(r)) yield* r;
  }
}

/** The instances of `volume` below `inst` (all of them for NULL), highest first. */
function below(volume: Volume, inst: Instance | null): Instance[] {
  if (inst === null) return volume.instances;
  const alt = Number(inst.altitude);
  return volume.instances.filter((i) => Number(i.altitude) < alt);
}
