/**
 * The pages of one file's data that its sections and their views share. On Windows a mapped view
 * and the file system's cached data are the same physical pages (the data section's control area),
 * so a view shows the file as it is now, a write to the file shows in every view, and a store
 * through a writable view changes the file. Here the file system keeps a file's content in these
 * pages once a section exists for it (fltmgr/fsTree.ts); every view is an allocation made over the
 * same page objects (memory's `sharedPages`), so no byte is ever copied between them.
 *
 * A view covers whole pages: the bytes after the end of the file in its last page read as zeros,
 * and a store there does not make the file longer (the file system zeroes them if the file grows
 * over them later). Pointers stored into a view keep their provenance only in that view: through
 * another view or the file they are plain bytes, as an address written to a file is.
 */
import type { Allocation } from '../memory/allocation';
import type { Site } from '../memory/errors';
import { PAGE_SIZE } from '../memory/page';
import type { AddressSpace } from '../memory/space';

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE);
}

/** One mapped view: where it starts in the file and how many bytes it maps. */
interface MappedView {
  offset: number;
  size: number;
}

export class FilePages {
  /** Page i holds the file's bytes [i·4096, (i+1)·4096); undefined: zeros, never written. */
  private readonly table: (Uint8Array | undefined)[] = [];
  /**
   * The file system's window on the pages (an engine allocation over the table, grown by making a
   * larger one): reads and writes of the file's content go through it.
   */
  private window: Allocation | null = null;
  private readonly views = new Map<Allocation, MappedView>();

  constructor(
    private readonly space: AddressSpace,
    /** `pages of \Device\HarddiskVolume1\docs\a.txt`. */
    readonly label: string,
  ) {}

  private windowOver(end: number): Allocation {
    if (this.window === null || this.window.size < end) {
      const size = Math.max(pagesFor(end), 2 * pagesFor(this.window?.size ?? 0), 1) * PAGE_SIZE;
      // The old window shares its pages: freeing it gives none of them back.
      if (this.window !== null) this.space.free(this.window);
      this.window = this.space.allocate('engine', size, { label: this.label, zeroed: true, sharedPages: this.table });
    }
    return this.window;
  }

  read(offset: number, length: number): Uint8Array {
    if (length <= 0) return new Uint8Array(0);
    return this.windowOver(offset + length).peek(offset, length);
  }

  write(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.windowOver(offset + bytes.length).writeBytes(offset, bytes);
  }

  /** Zeroes `length` bytes at `offset`; whole pages no view maps are dropped, not filled. */
  zero(offset: number, length: number): void {
    const end = offset + length;
    for (let at = offset; at < end;) {
      const index = Math.floor(at / PAGE_SIZE);
      const pageEnd = (index + 1) * PAGE_SIZE;
      const n = Math.min(pageEnd, end) - at;
      if (n === PAGE_SIZE && !this.isMapped(index)) this.drop(index);
      else if (this.table[index] !== undefined) this.windowOver(at + n).fill(at, n, 0);
      at += n;
    }
  }

  /** The file ends at `size` now: the rest of its last page is zeroed, the pages after it dropped. */
  truncate(size: number): void {
    const first = pagesFor(size);
    if (size % PAGE_SIZE !== 0) this.zero(size, first * PAGE_SIZE - size);
    for (let i = first; i < this.table.length; i++) if (!this.isMapped(i)) this.drop(i);
  }

  private drop(index: number): void {
    const page = this.table[index];
    if (page === undefined) return;
    this.table[index] = undefined;
    this.space.recycle([page]);
  }

  private isMapped(index: number): boolean {
    const at = index * PAGE_SIZE;
    for (const v of this.views.values()) if (at >= v.offset && at < v.offset + v.size) return true;
    return false;
  }

  /**
   * A view of `length` bytes from `offset` (a multiple of the page size): an allocation over the
   * same pages, whole pages long; read-only views fault on a store.
   */
  map(offset: number, length: number, label: string, readOnly: boolean): Allocation {
    const first = offset / PAGE_SIZE;
    const count = Math.max(pagesFor(length), 1);
    for (let i = first; i < first + count; i++) this.table[i] ??= this.space.newPage(PAGE_SIZE, true);
    const view = this.space.allocate('engine', count * PAGE_SIZE, { label, zeroed: true, readOnly, sharedPages: this.table.slice(first, first + count) });
    this.views.set(view, { offset, size: count * PAGE_SIZE });
    return view;
  }

  /** Unmaps a view this file has; false when `view` is not one of its live views. */
  unmap(view: Allocation, site?: Site): boolean {
    if (!this.views.delete(view)) return false;
    this.space.free(view, site);
    return true;
  }

  /** Views mapped now. */
  get viewCount(): number {
    return this.views.size;
  }

  /** Where the furthest live view ends, in the file: the file cannot be cut shorter than this. */
  get mappedEnd(): number {
    let end = 0;
    for (const v of this.views.values()) end = Math.max(end, v.offset + v.size);
    return end;
  }
}
