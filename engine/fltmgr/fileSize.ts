/**
 * FsRtlGetFileSize: the size of an open file, asked of the file system with a
 * FileStandardInformation query sent to the top of the file's volume stack, as the kernel's own
 * IRP-based path does (every instance sees the query, the caller's too: a filter that calls it from
 * its own query-information callback recurses, as it would on Windows). A directory (the answer's
 * Directory flag) gives STATUS_FILE_IS_A_DIRECTORY; the file object must be open (its create done).
 */
import { offsetOf, sizeOf } from '../c/types';
import type { Co } from '../kernel/coroutine';
import { writeLargeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { FILE_INFORMATION_CLASS } from './constants';
import type { FilterManager } from './fltmgr';
import type { FilterIoRoutines } from './filterio';
import { FileObject } from './structs';

export class FileSizeRoutines {
  constructor(
    private readonly fm: FilterManager,
    private readonly io: FilterIoRoutines,
  ) {}

  *FsRtlGetFileSize(FileObject_: unknown, FileSize: unknown): Co<number> {
    const k = this.fm.k;
    k.checkIrql('FsRtlGetFileSize');
    if (!(FileObject_ instanceof FileObject)) {
      k.violation(FileObject_ === null || FileObject_ === undefined ? 'null-param' : 'bad-object', 'FsRtlGetFileSize needs a FILE_OBJECT (FltObjects->FileObject, or one from ObReferenceObjectByHandle)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (FileSize === null || FileSize === undefined) {
      k.violation('null-param', 'FsRtlGetFileSize needs a LARGE_INTEGER to return the size in');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (FileObject_.FsContext === null) {
      k.violation('bad-object', `FsRtlGetFileSize on ${FileObject_.stream.path} before its create completed: the file is not open yet (call it after the create, e.g. in the post-create callback)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const st = k.marshal.struct('_FILE_STANDARD_INFORMATION');
    const answer = k.memory.allocate('engine', sizeOf(st), { label: 'FsRtlGetFileSize\'s FILE_STANDARD_INFORMATION', zeroed: true, type: st });
    try {
      const data = yield* this.io.queryFromTop('FsRtlGetFileSize', FileObject_, FILE_INFORMATION_CLASS.FileStandardInformation, k.memory.pointer(answer), sizeOf(st));
      const status = data.IoStatus.Status >>> 0;
      if (status !== STATUS.STATUS_SUCCESS) return status;
      if (answer.readInt(offsetOf(st, ['Directory']), 1, false) !== 0) return STATUS.STATUS_FILE_IS_A_DIRECTORY;
      writeLargeOut(FileSize, answer.readInt(offsetOf(st, ['EndOfFile']), 8, true));
      return STATUS.STATUS_SUCCESS;
    } finally {
      k.memory.free(answer);
    }
  }
}
