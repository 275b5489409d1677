/**
 * The file system under the filters: a small model that completes each operation with a plausible
 * status and Information, and decides whether completion is asynchronous.
 *
 * - Files exist unless the scenario says otherwise; a file is 64 KiB unless declared.
 * - create: STATUS_SUCCESS with FILE_OPENED for an existing file, else STATUS_OBJECT_NAME_NOT_FOUND.
 * - read: the bytes available from the offset (up to Length), or STATUS_END_OF_FILE past the end.
 * - write: Length bytes; the file grows to offset + Length.
 * - cleanup, close, flush, query/set information, directory control: STATUS_SUCCESS (query and
 *   directory control report Length bytes).
 * - file system control and device control: STATUS_INVALID_DEVICE_REQUEST.
 * - An IRP whose cancel flag is set when it reaches the file system completes with STATUS_CANCELLED.
 * - IRP reads and writes complete asynchronously, from the completion context at DISPATCH_LEVEL;
 *   everything else, and all fast I/O, completes synchronously in the calling thread.
 */
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { FILE_OPENED, FO, IRP_MJ } from './constants';
import { FileObject, FileStream } from './structs';

export interface FileSpec {
  size?: number;
  exists?: boolean;
}

export interface FsResult {
  status: number;
  information: number;
  async: boolean;
}

export const DEFAULT_FILE_SIZE = 64 * 1024;

export class FileSystemModel {
  private readonly streams = new Map<string, FileStream>();
  /** The file object of the latest create per path, which later requests on the path use. */
  private readonly open = new Map<string, FileObject>();
  private fileObjects = 0;

  constructor(files: Readonly<Record<string, FileSpec>> = {}) {
    for (const [path, spec] of Object.entries(files)) {
      this.streams.set(key(path), new FileStream(path, spec.size ?? DEFAULT_FILE_SIZE, spec.exists ?? true));
    }
  }

  stream(path: string): FileStream {
    let s = this.streams.get(key(path));
    if (!s) {
      s = new FileStream(path, DEFAULT_FILE_SIZE, true);
      this.streams.set(key(path), s);
    }
    return s;
  }

  /** A new FILE_OBJECT for a create, or the open one of the path for other requests. */
  fileObjectFor(path: string, nameInVolume: string, create: boolean, synchronous: boolean): FileObject {
    let fo = create ? undefined : this.open.get(path);
    if (!fo) {
      const k = key(path);
      fo = create ? undefined : this.open.get(k);
      if (!fo) {
        fo = new FileObject(++this.fileObjects, this.stream(path), nameInVolume, synchronous ? FO.SYNCHRONOUS_IO : 0);
        this.open.set(k, fo);
      }
      // Later requests spelled the same way find it without lower-casing the path again.
      if (k !== path) this.open.set(path, fo);
    }
    return fo;
  }

  perform(data: FltCallbackData): FsResult {
    const major = data.Iopb.MajorFunction;
    const stream = data.fileObject.stream;
    const async = data.isIrp && (major === IRP_MJ.READ || major === IRP_MJ.WRITE);
    if (data.isIrp && data.cancelled) return { status: STATUS.STATUS_CANCELLED, information: 0, async };
    const p = data.Iopb.Parameters as Record<string, { Length?: number; ByteOffset?: { QuadPart: number } } | undefined>;
    switch (major) {
      case IRP_MJ.CREATE:
        if (!stream.exists) return { status: STATUS.STATUS_OBJECT_NAME_NOT_FOUND, information: 0, async };
        data.fileObject.Flags |= FO.FILE_OPEN | FO.HANDLE_CREATED;
        return { status: STATUS.STATUS_SUCCESS, information: FILE_OPENED, async };
      case IRP_MJ.READ: {
        const rw = p.Read!;
        const offset = rw.ByteOffset?.QuadPart ?? 0;
        const length = rw.Length ?? 0;
        if (offset >= stream.size) return { status: STATUS.STATUS_END_OF_FILE, information: 0, async };
        return { status: STATUS.STATUS_SUCCESS, information: Math.min(length, stream.size - offset), async };
      }
      case IRP_MJ.WRITE: {
        const rw = p.Write!;
        const offset = rw.ByteOffset?.QuadPart ?? 0;
        const length = rw.Length ?? 0;
        stream.size = Math.max(stream.size, offset + length);
        stream.exists = true;
        return { status: STATUS.STATUS_SUCCESS, information: length, async };
      }
      case IRP_MJ.CLEANUP:
        data.fileObject.Flags |= FO.CLEANUP_COMPLETE;
        return { status: STATUS.STATUS_SUCCESS, information: 0, async };
      case IRP_MJ.QUERY_INFORMATION:
        return { status: STATUS.STATUS_SUCCESS, information: p.QueryFileInformation?.Length ?? 0, async };
      case IRP_MJ.DIRECTORY_CONTROL: {
        const q = (p.DirectoryControl as { QueryDirectory?: { Length?: number } } | undefined)?.QueryDirectory;
        return { status: STATUS.STATUS_SUCCESS, information: q?.Length ?? 0, async };
      }
      case IRP_MJ.FILE_SYSTEM_CONTROL:
      case IRP_MJ.DEVICE_CONTROL:
      case IRP_MJ.INTERNAL_DEVICE_CONTROL:
        return { status: STATUS.STATUS_INVALID_DEVICE_REQUEST, information: 0, async };
      default:
        return { status: STATUS.STATUS_SUCCESS, information: 0, async };
    }
  }
}

function key(path: string): string {
  return path.toLowerCase();
}
