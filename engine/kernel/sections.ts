/**
 * Section objects and their views (the memory manager's side of file mapping), and process handles.
 *
 * A section maps a file's data (FltCreateSectionForDataScan): its size is the file's when it is
 * made, and its views are the file's own pages (filePages.ts), not copies — a view shows what the
 * file holds now, a write to the file shows in it, and a store through a PAGE_READWRITE view changes
 * the file. A view (ZwMapViewOfSection) covers whole pages, from a SectionOffset rounded down to the
 * 64 KiB allocation granularity, at most to the section's end (else STATUS_INVALID_VIEW_SIZE); a
 * PAGE_READONLY view faults on a store. ZwUnmapViewOfSection frees the view: a later access is a
 * use after free, a second unmap STATUS_NOT_MAPPED_VIEW. A view keeps its section's pages whether
 * or not handles and references to the section remain.
 *
 * The process a view is mapped into matters: the scenario's user-mode program (the `client` lines)
 * maps views in its own process, and a driver may map a view in the process it runs in
 * (ZwCurrentProcess, or a handle from ZwOpenProcess).
 */
import type { Kernel } from './kernel';
import { KHandle, readOut, writeOut } from './objects';
import { OBJ_KERNEL_HANDLE, ReferenceCount, type ObjectManagerRoutines, type Referenced } from './objectManager';
import { STATUS } from './status';
import { handleValue, processOfHandle, type KProcess } from './processes';
import type { FilePages } from './filePages';
import { Ptr, type AllocPtr } from '../memory/pointer';
import type { StructView } from '../memory/view';
import { PAGE_SIZE } from '../memory/page';

export { PAGE_SIZE };
const PAGE_READONLY = 0x02;
const PAGE_READWRITE = 0x04;
const PAGE_WRITECOPY = 0x08;
/** Views start on multiples of this (the allocation granularity). */
const ALLOCATION_GRANULARITY = 64 * 1024;
/** ZwCurrentProcess(): the handle value -1. */

export class Section implements Referenced {
  readonly refs: ReferenceCount;
  /** The view memory of each live view, by its allocation. */
  readonly views = new Map<object, { process: object; ptr: AllocPtr }>();
  /** Every handle to the section has been closed. */
  handlesClosed = false;

  constructor(
    readonly label: string,
    /** The file's pages: what every view maps. */
    readonly pages: FilePages,
    /** Bytes the section maps (the file's size when it was made). */
    readonly size: number,
    /** The view protections the section allows: PAGE_READONLY for a SECTION_MAP_READ section. */
    readonly writable: boolean,
  ) {
    this.refs = new ReferenceCount(label);
  }
}

export class SectionRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly ob: ObjectManagerRoutines,
  ) {}

  /** A handle to `section` in the caller's process (or a kernel handle), closed with ZwClose/NtClose or CloseHandle. */
  openHandle(section: Section, objectAttributesFlags: number): KHandle {
    const process = (objectAttributesFlags & OBJ_KERNEL_HANDLE) !== 0 ? null : (this.k.current.process ?? null);
    const h = new KHandle(section, section.label, process);
    // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
    const onClose = (): void => {
      section.handlesClosed = true;
    };
    h.onClose = onClose;
    return h;
  }

  /**
   * A view of `length` bytes of `section` from `offset` (a multiple of the allocation granularity;
   * 0: to the section's end) in `process`, over the file's own pages; STATUS_INVALID_VIEW_SIZE
   * when it would reach past the section's end.
   */
  mapView(section: Section, process: object, readOnly: boolean, offset = 0, length = 0): AllocPtr | number {
    if (offset >= section.size && !(offset === 0 && length === 0)) return STATUS.STATUS_INVALID_VIEW_SIZE;
    const size = length === 0 ? section.size - offset : length;
    if (offset + size > section.size) return STATUS.STATUS_INVALID_VIEW_SIZE;
    const owner = process as { name?: string };
    const pages = Math.max(1, Math.ceil(size / PAGE_SIZE));
    const a = section.pages.map(offset, size, `view of ${section.label}${offset === 0 ? '' : ` from ${offset}`} in ${owner.name ?? 'a process'} (${pages * PAGE_SIZE} bytes)`, readOnly);
    const ptr = this.k.marshal.space.pointer(a);
    section.views.set(a, { process, ptr });
    this.mapped.add(section);
    return ptr;
  }

  /** Unmaps the view at `base` in `process`; false when no live view of any section starts there. */
  unmapView(process: object, base: unknown): boolean {
    if (!(base instanceof Ptr) || base.alloc === null || base.offset !== 0) return false;
    for (const s of this.mapped) {
      const v = s.views.get(base.alloc);
      if (v === undefined || v.process !== process) continue;
      s.views.delete(base.alloc);
      if (s.views.size === 0) this.mapped.delete(s);
      const f = this.k.current.cFrame();
      s.pages.unmap(base.alloc, f === undefined ? undefined : { file: f.file!, line: f.line ?? 0, column: f.column });
      return true;
    }
    return false;
  }

  /**
   * The scenario's user program maps a view of the section a handle of its own names (MapViewOfFile):
   * what reads the section's bytes through the view (as they are when it reads), and what unmaps it
   * and closes the handle (UnmapViewOfFile, CloseHandle). A string says why it cannot.
   */
  mapForUserProgram(handle: unknown): { read: () => Uint8Array; size: number; label: string; unmap: () => void } | string {
    if (!(handle instanceof KHandle)) return 'the value it was given is not a handle';
    if (handle.closed) return `the handle to ${handle.what} is closed`;
    if (!(handle.object instanceof Section)) return `${handle.what} is not a section`;
    // The user program runs in the process its port connection was made from.
    const program = this.k.current.process ?? this.k.processes.program;
    if (handle.process !== program) return `the handle to ${handle.what} belongs to ${handle.process === null ? 'the kernel (OBJ_KERNEL_HANDLE)' : 'another process'}, not to the user program`;
    const section = handle.object;
    const view = this.mapView(section, program, true);
    if (typeof view === 'number') return `the section maps no bytes (${section.label} is empty)`;
    return {
      read: () => view.alloc.peek(0, section.size),
      size: section.size,
      label: `a view of ${section.label}`,
      unmap: () => {
        this.unmapView(program, view);
        handle.closed = true;
        handle.onClose?.();
      },
    };
  }

  /** Sections with views mapped, to find the one ZwUnmapViewOfSection means. */
  private readonly mapped = new Set<Section>();

  ZwMapViewOfSection(
    SectionHandle: unknown,
    ProcessHandle: unknown,
    BaseAddress: unknown,
    _ZeroBits: unknown,
    _CommitSize: unknown,
    SectionOffset: unknown,
    ViewSize: unknown,
    _InheritDisposition: number,
    _AllocationType: number,
    Win32Protect: number,
  ): number {
    const k = this.k;
    k.checkIrql('ZwMapViewOfSection');
    if (!(SectionHandle instanceof KHandle) || SectionHandle.closed || !(SectionHandle.object instanceof Section)) {
      if (!(SectionHandle instanceof KHandle)) k.violation(SectionHandle === null || SectionHandle === undefined ? 'null-param' : 'bad-object', 'ZwMapViewOfSection needs a section handle (from FltCreateSectionForDataScan or ZwCreateSection)');
      return STATUS.STATUS_INVALID_HANDLE;
    }
    const process = this.processOf(ProcessHandle);
    if (process === null) return STATUS.STATUS_INVALID_HANDLE;
    if (BaseAddress === null || BaseAddress === undefined || ViewSize === null || ViewSize === undefined) {
      k.violation('null-param', 'ZwMapViewOfSection needs BaseAddress and ViewSize (in: 0 for the whole section; out: the size mapped)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const protect = Number(Win32Protect) >>> 0;
    if (protect !== PAGE_READONLY && protect !== PAGE_READWRITE && protect !== PAGE_WRITECOPY) return STATUS.STATUS_INVALID_PAGE_PROTECTION;
    const section = SectionHandle.object;
    if (protect === PAGE_READWRITE && !section.writable) return STATUS.STATUS_SECTION_PROTECTION;
    if (protect === PAGE_WRITECOPY) {
      k.violation('invalid-parameter', 'ZwMapViewOfSection with PAGE_WRITECOPY: fltsim maps shared views only (PAGE_READONLY or PAGE_READWRITE)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const asked = Number((SectionOffset as StructView | null)?.QuadPart ?? 0);
    if (!Number.isSafeInteger(asked) || asked < 0) return STATUS.STATUS_INVALID_PARAMETER;
    // The offset goes down to the allocation granularity and the view grows by what that adds.
    const offset = asked - (asked % ALLOCATION_GRANULARITY);
    const requested = Number(readOut(ViewSize) ?? 0);
    const length = requested === 0 ? 0 : requested + (asked - offset);
    const view = this.mapView(section, process, protect === PAGE_READONLY, offset, length);
    if (typeof view === 'number') return view;
    if (SectionOffset !== null && SectionOffset !== undefined) (SectionOffset as StructView).QuadPart = offset;
    writeOut(BaseAddress, view);
    writeOut(ViewSize, view.alloc.size);
    return STATUS.STATUS_SUCCESS;
  }

  ZwUnmapViewOfSection(ProcessHandle: unknown, BaseAddress: unknown): number {
    const k = this.k;
    k.checkIrql('ZwUnmapViewOfSection');
    const process = this.processOf(ProcessHandle);
    if (process === null) return STATUS.STATUS_INVALID_HANDLE;
    return this.unmapView(process, BaseAddress) ? STATUS.STATUS_SUCCESS : STATUS.STATUS_NOT_MAPPED_VIEW;
  }

  /** A handle to the running process a CLIENT_ID names (System, a default process or a scenario process). */
  ZwOpenProcess(ProcessHandle: unknown, _DesiredAccess: number, ObjectAttributes: unknown, ClientId: unknown): number {
    const k = this.k;
    k.checkIrql('ZwOpenProcess');
    writeOut(ProcessHandle, null);
    if (ClientId === null || ClientId === undefined) {
      k.violation('null-param', 'ZwOpenProcess needs a CLIENT_ID naming the process (fltsim does not open processes by name)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const id = handleValue((ClientId as StructView).UniqueProcess);
    const process = id === undefined ? undefined : k.processes.byPid(id);
    if (process === undefined || process.state !== 'running') return STATUS.STATUS_INVALID_CID;
    const attributes = Number((ObjectAttributes as StructView | null)?.Attributes ?? 0);
    const handle = new KHandle(process, `process ${process.name}`, (attributes & OBJ_KERNEL_HANDLE) !== 0 ? null : (k.current.process ?? null));
    k.handles.record(handle, 'ZwOpenProcess', k.current);
    writeOut(ProcessHandle, handle);
    return STATUS.STATUS_SUCCESS;
  }

  /** The process a handle names: ZwCurrentProcess() is the caller's own. */
  private processOf(h: unknown): KProcess | null {
    const k = this.k;
    const p = processOfHandle(h, k.processOf(k.current));
    if (p !== undefined) return p;
    k.violation(h === null || h === undefined ? 'null-param' : 'bad-object', 'a process handle must come from ZwOpenProcess or be ZwCurrentProcess()');
    return null;
  }

  /** Takes a reference on the section for the caller (the SectionObject out-parameter). */
  reference(section: Section, routine: string): void {
    this.ob.take(section, routine);
  }
}

