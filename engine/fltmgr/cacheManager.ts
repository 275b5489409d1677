/**
 * The cache and memory manager calls filters make to push a file's cached data out or throw it
 * away (CcFlushCache, CcPurgeCacheSection, MmFlushImageSection), given the stream's
 * SECTION_OBJECT_POINTERS (FileObject->SectionObjectPointer). The simulated system caches no file
 * data and makes no image sections: a flush has nothing to write (IoStatus success, 0 bytes), and a
 * purge or an image flush succeeds unless a mapped view of the file holds its pages (sections.ts),
 * which is when Windows refuses them too.
 */
import type { Kernel } from '../kernel/kernel';
import { STATUS } from '../kernel/status';
import { isView } from '../memory/view';
import { SectionObjectPointers } from './sectionPointers';

/** MMFLUSH_TYPE. */
const MmFlushForDelete = 1;

export class CacheManagerRoutines {
  constructor(private readonly k: Kernel) {}

  CcFlushCache(SectionObjectPointer: unknown, _FileOffset: unknown, _Length: number, IoStatus: unknown): void {
    this.k.checkIrql('CcFlushCache');
    if (this.pointers('CcFlushCache', SectionObjectPointer) === undefined) return;
    if (isView(IoStatus)) {
      IoStatus.Status = STATUS.STATUS_SUCCESS;
      IoStatus.Information = 0;
    }
  }

  CcPurgeCacheSection(SectionObjectPointer: unknown, _FileOffset: unknown, _Length: number, _Flags: number): number {
    this.k.checkIrql('CcPurgeCacheSection');
    const p = this.pointers('CcPurgeCacheSection', SectionObjectPointer);
    if (p === undefined) return 0;
    return (p.stream.node?.mappedViews ?? 0) === 0 ? 1 : 0;
  }

  MmFlushImageSection(SectionObjectPointer: unknown, FlushType: number): number {
    this.k.checkIrql('MmFlushImageSection');
    const p = this.pointers('MmFlushImageSection', SectionObjectPointer);
    if (p === undefined) return 0;
    // No image sections exist: flushing for write always succeeds; a delete must also wait for mapped views.
    if (Number(FlushType) === MmFlushForDelete) return (p.stream.node?.mappedViews ?? 0) === 0 ? 1 : 0;
    return 1;
  }

  private pointers(routine: string, v: unknown): SectionObjectPointers | undefined {
    if (v instanceof SectionObjectPointers) return v;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs the stream's SECTION_OBJECT_POINTERS (FileObject->SectionObjectPointer of a file object the file system opened)`);
    return undefined;
  }
}
