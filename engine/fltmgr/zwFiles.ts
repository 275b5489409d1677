/**
 * The Zw file routines drivers call on handles: ZwCreateFile, ZwOpenFile, ZwReadFile,
 * ZwWriteFile, ZwQueryInformationFile, ZwSetInformationFile and ZwQueryDirectoryFile (ZwClose is
 * the object manager's: for a file handle it sends the cleanup and close).
 *
 * As on Windows, I/O a driver sends with a Zw routine starts at the top of the volume's stack:
 * every minifilter instance sees it, the calling filter's own included (the re-entrancy that
 * FltCreateFile avoids), marked as coming from kernel mode and not as filter-generated. A handle
 * from FltCreateFile keeps its place: its I/O starts below the instance that opened it. Every call
 * completes before it returns, so a handle opened without FILE_SYNCHRONOUS_IO_* never sees
 * STATUS_PENDING; Event and ApcRoutine are not used.
 */
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { Co } from '../kernel/coroutine';
import { KHandle, writeOut } from '../kernel/objects';
import { OBJ_KERNEL_HANDLE } from '../kernel/objectManager';
import { STATUS } from '../kernel/status';
import { FILE_DISPOSITION, FO, IRP_MJ, IRP_MN_QUERY_DIRECTORY, SL_RESTART_SCAN, SL_RETURN_SINGLE_ENTRY } from './constants';
import { FileHandle, type FilterIoRoutines, type Issue } from './filterio';
import type { FilterManager } from './fltmgr';
import type { ReadWriteParameters } from './structs';

/** ByteOffset FILE_USE_FILE_POINTER_POSITION: at the file's position (FILE_WRITE_TO_END_OF_FILE, -1, the file system resolves). */
const FILE_USE_FILE_POINTER_POSITION = -2;
/** Create options that make the file object synchronous: the I/O manager keeps its position. */
const FILE_SYNCHRONOUS_IO = 0x10 | 0x20;

export class ZwFileRoutines {
  constructor(
    private readonly fm: FilterManager,
    private readonly io: FilterIoRoutines,
  ) {}

  *ZwCreateFile(FileHandle_: unknown, DesiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown, _AllocationSize: unknown, _FileAttributes: number,
    ShareAccess: number, CreateDisposition: number, CreateOptions: number, _EaBuffer: unknown, _EaLength: number): Co<number> {
    return yield* this.open('ZwCreateFile', FileHandle_, DesiredAccess, ObjectAttributes, IoStatusBlock, ShareAccess, CreateDisposition, CreateOptions);
  }

  *ZwOpenFile(FileHandle_: unknown, DesiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown, ShareAccess: number, OpenOptions: number): Co<number> {
    return yield* this.open('ZwOpenFile', FileHandle_, DesiredAccess, ObjectAttributes, IoStatusBlock, ShareAccess, FILE_DISPOSITION.FILE_OPEN, OpenOptions);
  }

  *ZwReadFile(FileHandle_: unknown, _Event: unknown, _ApcRoutine: unknown, _ApcContext: unknown, IoStatusBlock: unknown, Buffer: unknown, Length: number, ByteOffset: unknown, _Key: unknown): Co<number> {
    return yield* this.readWrite('ZwReadFile', IRP_MJ.READ, FileHandle_, IoStatusBlock, Buffer, Length, ByteOffset);
  }

  *ZwWriteFile(FileHandle_: unknown, _Event: unknown, _ApcRoutine: unknown, _ApcContext: unknown, IoStatusBlock: unknown, Buffer: unknown, Length: number, ByteOffset: unknown, _Key: unknown): Co<number> {
    return yield* this.readWrite('ZwWriteFile', IRP_MJ.WRITE, FileHandle_, IoStatusBlock, Buffer, Length, ByteOffset);
  }

  *ZwQueryInformationFile(FileHandle_: unknown, IoStatusBlock: unknown, FileInformation: unknown, Length: number, FileInformationClass: number): Co<number> {
    return yield* this.send('ZwQueryInformationFile', FileHandle_, IoStatusBlock, {
      major: IRP_MJ.QUERY_INFORMATION, length: Length, infoClass: FileInformationClass,
      fill: (p) => {
        (p.QueryFileInformation as { InfoBuffer: unknown }).InfoBuffer = FileInformation;
      },
    });
  }

  *ZwSetInformationFile(FileHandle_: unknown, IoStatusBlock: unknown, FileInformation: unknown, Length: number, FileInformationClass: number): Co<number> {
    return yield* this.send('ZwSetInformationFile', FileHandle_, IoStatusBlock, {
      major: IRP_MJ.SET_INFORMATION, length: Length, infoClass: FileInformationClass,
      fill: (p) => {
        (p.SetFileInformation as { InfoBuffer: unknown }).InfoBuffer = FileInformation;
      },
    });
  }

  *ZwQueryDirectoryFile(FileHandle_: unknown, _Event: unknown, _ApcRoutine: unknown, _ApcContext: unknown, IoStatusBlock: unknown, FileInformation: unknown, Length: number,
    FileInformationClass: number, ReturnSingleEntry: number, FileName: unknown, RestartScan: number): Co<number> {
    return yield* this.send('ZwQueryDirectoryFile', FileHandle_, IoStatusBlock, {
      major: IRP_MJ.DIRECTORY_CONTROL, minor: IRP_MN_QUERY_DIRECTORY, length: Length, infoClass: FileInformationClass,
      fill: (p, iopb) => {
        const q = (p.DirectoryControl as { QueryDirectory: Record<string, unknown> }).QueryDirectory;
        q.DirectoryBuffer = FileInformation;
        q.FileName = FileName ?? null;
        iopb.OperationFlags = (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0) | (RestartScan ? SL_RESTART_SCAN : 0);
      },
    });
  }

  // --- the work ---

  private *open(routine: string, FileHandle_: unknown, desiredAccess: number, ObjectAttributes: unknown, IoStatusBlock: unknown, shareAccess: number, disposition: number, options: number): Co<number> {
    const k = this.fm.k;
    k.checkIrql(routine);
    writeOut(FileHandle_, null);
    if (FileHandle_ === null || FileHandle_ === undefined) {
      k.violation('null-param', `${routine} needs a place to return the handle`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const oa = ObjectAttributes as { ObjectName?: unknown; Attributes?: number } | null;
    if (oa?.ObjectName) {
      // Only a name on a volume of the run can be opened; say which one was asked for otherwise.
      const name = unicodeStringText(k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING'));
      if (name === '') return this.io.ioStatus(IoStatusBlock, STATUS.STATUS_OBJECT_NAME_INVALID, 0);
    }
    // Without OBJ_KERNEL_HANDLE the handle lands in the process the caller runs in.
    const kernelHandle = ((Number(oa?.Attributes ?? 0)) & OBJ_KERNEL_HANDLE) !== 0;
    const process = kernelHandle ? null : k.current.process;
    const synchronous = (options & FILE_SYNCHRONOUS_IO) !== 0;
    return yield* this.io.openFile(routine, null, FileHandle_, undefined, desiredAccess, ObjectAttributes, IoStatusBlock, disposition, options, shareAccess, 0, { process, synchronous, generated: false });
  }

  /** The open file handle `h` names, or null after reporting why not. */
  private handle(routine: string, h: unknown): FileHandle | null {
    const k = this.fm.k;
    k.checkIrql(routine);
    if (h instanceof FileHandle && !h.closed) return h;
    const what = h === null || h === undefined ? 'NULL' : h instanceof FileHandle ? 'a closed file handle' : h instanceof KHandle ? `a handle to ${h.what}` : 'not a handle';
    k.violation(h === null || h === undefined ? 'null-param' : 'bad-object', `${routine} needs an open file handle (from ZwCreateFile, ZwOpenFile or FltCreateFile); it was given ${what}`);
    return null;
  }

  private *send(routine: string, h: unknown, IoStatusBlock: unknown, x: Omit<Issue, 'routine' | 'instance' | 'volume' | 'fileObject'>): Co<number> {
    const handle = this.handle(routine, h);
    if (handle === null) return STATUS.STATUS_INVALID_HANDLE;
    const data = yield* this.io.issue(this.fm.k.current, { routine, instance: handle.instance, volume: handle.volume, fileObject: handle.fileObject, generated: handle.generated, ...x });
    return this.io.ioStatus(IoStatusBlock, data.IoStatus.Status >>> 0, Number(data.IoStatus.Information));
  }

  private *readWrite(routine: string, major: number, h: unknown, IoStatusBlock: unknown, Buffer: unknown, Length: number, ByteOffset: unknown): Co<number> {
    const handle = this.handle(routine, h);
    if (handle === null) return STATUS.STATUS_INVALID_HANDLE;
    const fo = handle.fileObject;
    const synchronous = (fo.Flags & FO.SYNCHRONOUS_IO) !== 0;
    let offset = ByteOffset === null || ByteOffset === undefined ? FILE_USE_FILE_POINTER_POSITION : Number((ByteOffset as { QuadPart: number | bigint }).QuadPart);
    if (offset === FILE_USE_FILE_POINTER_POSITION) {
      if (!synchronous) {
        this.fm.k.violation('invalid-parameter', `${routine} without a ByteOffset on a handle opened without FILE_SYNCHRONOUS_IO_ALERT/NONALERT: the file has no position to use`);
        return this.io.ioStatus(IoStatusBlock, STATUS.STATUS_INVALID_PARAMETER, 0);
      }
      offset = Number(fo.CurrentByteOffset.QuadPart);
    }
    const data = yield* this.io.issue(this.fm.k.current, {
      routine, instance: handle.instance, volume: handle.volume, fileObject: fo, generated: handle.generated, major, length: Length, offset,
      fill: (p) => {
        (p.Read as ReadWriteParameters).ReadBuffer = Buffer;
      },
    });
    const status = data.IoStatus.Status >>> 0;
    const done = Number(data.IoStatus.Information);
    // The I/O manager moves a synchronous file's position past what was transferred; the file
    // system resolves the end-of-file offset and moves it itself.
    if (status === STATUS.STATUS_SUCCESS && synchronous && offset >= 0) fo.CurrentByteOffset.QuadPart = offset + done;
    this.io.ioStatus(IoStatusBlock, status, done);
    return status;
  }
}
