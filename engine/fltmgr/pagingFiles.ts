/**
 * FsRtlIsPagingFile and FsRtlIsSystemPagingFile: whether a file object is a paging file, which a
 * filter must let pass untouched (no names, no contexts, no blocking). The simulated system pages
 * to the files Windows keeps at a volume's root, `\pagefile.sys` and `\swapfile.sys`: a scenario
 * that declares one and opens it gives the filter a paging file; every other file is not one.
 */
import type { Kernel } from '../kernel/kernel';
import { FileObject } from './structs';

const PAGING_FILES = new Set(['\\pagefile.sys', '\\swapfile.sys']);

export class PagingFileRoutines {
  constructor(private readonly k: Kernel) {}

  FsRtlIsPagingFile(FileObject_: unknown): number {
    return this.isPaging('FsRtlIsPagingFile', FileObject_);
  }

  FsRtlIsSystemPagingFile(FileObject_: unknown): number {
    return this.isPaging('FsRtlIsSystemPagingFile', FileObject_);
  }

  private isPaging(routine: string, fo: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    if (!(fo instanceof FileObject)) {
      k.violation(fo === null || fo === undefined ? 'null-param' : 'bad-object', `${routine} needs a FILE_OBJECT (FltObjects->FileObject)`);
      return 0;
    }
    return PAGING_FILES.has(fo.nameInVolume.toLowerCase()) ? 1 : 0;
  }
}
