/**
 * SECTION_OBJECT_POINTERS: what FILE_OBJECT.SectionObjectPointer points at, one per stream, shared
 * by every file object open on it (the file system keeps it beside the FCB). The simulated system
 * caches no file data and makes no image sections, so DataSectionObject, SharedCacheMap and
 * ImageSectionObject stay NULL; the cache manager routines (cacheManager.ts) find the stream from it.
 */
import { EngineStruct } from '../kernel/marshal';

/** The stream the pointers belong to, as the cache manager routines need it (FileStream). */
export interface SectionOwner {
  readonly path: string;
  readonly node: { readonly mappedViews: number } | null;
}

export class SectionObjectPointers extends EngineStruct {
  constructor(readonly stream: SectionOwner) {
    super();
  }

  protected get cTag(): string {
    return '_SECTION_OBJECT_POINTERS';
  }

  protected override cLabel(): string {
    return `SECTION_OBJECT_POINTERS of ${this.stream.path}`;
  }

  protected override cFill(): void {}
}
