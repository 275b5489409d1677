/**
 * Data-scan sections: how an anti-virus filter lets a scanner read a file through memory.
 *
 * FltRegisterForDataScan enables it on an instance. FltCreateSectionForDataScan makes a section
 * (kernel/sections.ts) over the file's own pages (kernel/filePages.ts: views share the file's
 * bytes; an empty file gives STATUS_MAPPED_FILE_SIZE_ZERO), ties it to a section
 * context (a FLT_SECTION_CONTEXT from FltAllocateContext, attached to the stream on that instance,
 * which holds a reference to it), returns a handle — a kernel handle with OBJ_KERNEL_HANDLE, else
 * one in the process the caller runs in, which is how a message callback hands it to the user-mode
 * scanner — and, if asked, the section object with a reference (ObDereferenceObject). The scanner
 * maps a view, reads, unmaps and closes its handle; FltCloseSectionForDataScan closes the section
 * and detaches the context. A section never closed is reported at the end of the run
 * (`data-scan-section-leak`).
 */
import type { Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import type { KThread } from '../kernel/thread';
import { writeOut, type KHandle } from '../kernel/objects';
import { Section, type SectionRoutines } from '../kernel/sections';
import { STATUS } from '../kernel/status';
import { callSite } from '../kernel/kernel';
import type { SourceLocation } from '../kernel/events';
import type { StructView } from '../memory/view';
import type { FltContext, ContextRoutines } from './contexts';
import type { FilterManager } from './fltmgr';
import { Instance } from './objects';
import { FileObject } from './structs';
import type { FltCallbackData } from './callbackData';
import { FILE_DISPOSITION, FILE_INFORMATION_CLASS as FIC, IRP_MJ } from './constants';
import type { FsNode } from './fsTree';

const PAGE_READWRITE = 0x04;

/** One open data-scan section. */
interface ScanSection {
  section: Section;
  handle: KHandle;
  context: FltContext;
  instance: Instance;
  /** The file it maps. */
  node: FsNode;
  site: { location: SourceLocation; function: string } | undefined;
}

export class DataScanRoutines {
  private readonly registered = new Set<Instance>();
  private readonly open = new Map<FltContext, ScanSection>();

  constructor(
    private readonly fm: FilterManager,
    private readonly contexts: ContextRoutines,
    private readonly sections: SectionRoutines,
  ) {}

  FltRegisterForDataScan(Instance_: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltRegisterForDataScan');
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', 'FltRegisterForDataScan needs an instance (FltObjects->Instance)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Instance_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    this.registered.add(Instance_);
    return STATUS.STATUS_SUCCESS;
  }

  FltCreateSectionForDataScan(
    Instance_: unknown,
    FileObject_: unknown,
    SectionContext: unknown,
    _DesiredAccess: number,
    ObjectAttributes: unknown,
    _MaximumSize: unknown,
    SectionPageProtection: number,
    _AllocationAttributes: number,
    _Flags: number,
    SectionHandle: unknown,
    SectionObject: unknown,
    SectionFileSize: unknown,
  ): number {
    const k = this.fm.k;
    k.checkIrql('FltCreateSectionForDataScan');
    writeOut(SectionHandle, null);
    writeOut(SectionObject, null);
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) {
      k.violation('bad-object', 'FltCreateSectionForDataScan needs the instance and the file object (FltObjects->Instance, FltObjects->FileObject)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (SectionHandle === null || SectionHandle === undefined) {
      k.violation('null-param', 'FltCreateSectionForDataScan needs SectionHandle, where the section handle is returned');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const ctx = this.contexts.sectionContext(SectionContext);
    if (ctx === undefined || ctx.filter !== Instance_.filter) {
      k.violation('bad-object', `FltCreateSectionForDataScan needs a FLT_SECTION_CONTEXT that ${Instance_.filter.name} allocated with FltAllocateContext`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!this.registered.has(Instance_)) {
      k.violation('data-scan-not-registered', `FltCreateSectionForDataScan on the instance of ${Instance_.filter.name} on ${Instance_.volume.name}, which never called FltRegisterForDataScan`);
      return STATUS.STATUS_NOT_SUPPORTED;
    }
    if (Instance_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    const stream = FileObject_.stream;
    const node = stream.node;
    if (node === null || !stream.exists) return STATUS.STATUS_FILE_DELETED;
    if (node.directory) return STATUS.STATUS_FILE_IS_A_DIRECTORY;
    // A section over an empty file would map nothing (MmCreateSection refuses it).
    if (node.size === 0) return STATUS.STATUS_MAPPED_FILE_SIZE_ZERO;
    if (this.open.has(ctx)) return STATUS.STATUS_FLT_CONTEXT_ALREADY_LINKED;
    if (this.contexts.hasSection(Instance_, FileObject_)) return STATUS.STATUS_FLT_CONTEXT_ALREADY_DEFINED;
    if (k.allocationFails('FltCreateSectionForDataScan')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const section = new Section(`data-scan section of ${stream.path}`, node.sharedPages(k.marshal.space, stream.path), node.size, (Number(SectionPageProtection) >>> 0) === PAGE_READWRITE);
    const attributes = Number((ObjectAttributes as StructView | null)?.Attributes ?? 0);
    const handle = this.sections.openHandle(section, attributes);
    this.contexts.attachSection(ctx, Instance_, FileObject_);
    this.open.set(ctx, { section, handle, context: ctx, instance: Instance_, node, site: callSite(k.current) });
    writeOut(SectionHandle, handle);
    if (SectionObject !== null && SectionObject !== undefined) {
      this.sections.reference(section, 'FltCreateSectionForDataScan');
      writeOut(SectionObject, section);
    }
    if (SectionFileSize !== null && SectionFileSize !== undefined) (SectionFileSize as StructView).QuadPart = node.size;
    k.emit('io-issue', 0, `${Instance_.filter.name} created a data-scan section for ${stream.path} (${node.size} bytes)`);
    return STATUS.STATUS_SUCCESS;
  }

  *FltCloseSectionForDataScan(SectionContext: unknown): Co<number> {
    const k = this.fm.k;
    k.checkIrql('FltCloseSectionForDataScan');
    const ctx = this.contexts.sectionContext(SectionContext);
    if (ctx === undefined) {
      k.violation(SectionContext === null || SectionContext === undefined ? 'null-param' : 'bad-object', 'FltCloseSectionForDataScan needs the section context given to FltCreateSectionForDataScan');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const open = this.open.get(ctx);
    if (open === undefined) return STATUS.STATUS_NOT_FOUND;
    this.open.delete(ctx);
    // A kernel handle the filter was given is closed with the section; a user-mode one is the program's to close.
    if (open.handle.process === null) open.handle.closed = true;
    yield* this.contexts.detachSection(k.current, ctx);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * Before the file system gets `data`: an operation that would make the file system purge the
   * cached data of a file that has an open data-scan section is a section conflict — a write, a
   * create that overwrites or supersedes it, a new end of file or allocation size. The filter that
   * made each such section hears of it through its SectionNotificationCallback (Instance, the
   * section context, the conflicting operation's callback data), in the operation's thread, and may
   * close the section there with FltCloseSectionForDataScan; the operation then goes on either way.
   * Undefined when nothing conflicts (the common case costs no coroutine).
   */
  conflicts(t: KThread, data: FltCallbackData): Co<void> | undefined {
    if (this.open.size === 0 || !purges(data)) return undefined;
    const node = this.nodeOf(data);
    if (node === undefined) return undefined;
    const hit = [...this.open.values()].filter((s) => s.node === node && s.instance.filter.registration.raw.SectionNotificationCallback);
    return hit.length === 0 ? undefined : this.notifyConflicts(t, data, hit);
  }

  /** The file `data` is about: its file object's, or for a create the one its name opens now. */
  private nodeOf(data: FltCallbackData): FsNode | undefined {
    const fo = data.fileObject;
    if (data.major !== IRP_MJ.CREATE) return fo.stream.node ?? undefined;
    const hit = this.fm.fs.volume(data.volume.name).lookup(fo.currentFileName() || fo.nameInVolume);
    return 'node' in hit ? hit.node : undefined;
  }

  private *notifyConflicts(t: KThread, data: FltCallbackData, hit: readonly ScanSection[]): Co<void> {
    const k = this.fm.k;
    for (const s of hit) {
      // An earlier callback may have closed it already.
      if (this.open.get(s.context) !== s) continue;
      const cb = s.instance.filter.registration.raw.SectionNotificationCallback as DriverFn;
      k.emit('io-issue', data.id, `${data.label} conflicts with the ${s.section.label} of ${s.instance.filter.name}: ${nameOf(cb, 'SectionNotificationCallback')} is called`);
      yield* k.callDriver(t, cb, nameOf(cb, 'SectionNotificationCallback'), [s.instance, s.context.block, data]);
      if (this.open.get(s.context) === s) k.emit('io-issue', data.id, `the ${s.section.label} stays open; ${data.label} goes on`);
    }
  }

  endChecks(): void {
    for (const s of this.open.values()) this.report(s, 'by the end of the run');
  }

  private report(s: ScanSection, when: string): void {
    const k = this.fm.k;
    k.violation('data-scan-section-leak', `the ${s.section.label}${s.site ? ` made in ${s.site.function}` : ''} was never closed with FltCloseSectionForDataScan ${when}`, 0, k.outside, s.site?.location);
  }
}

/** Whether the file system would purge the file's cached data for `data`. */
function purges(data: FltCallbackData): boolean {
  switch (data.major) {
    case IRP_MJ.WRITE:
      return true;
    case IRP_MJ.CREATE: {
      const options = Number((data.Iopb.Parameters as { Create?: { Options?: number } }).Create?.Options ?? 0) >>> 0;
      const disposition = options >>> 24;
      return disposition === FILE_DISPOSITION.FILE_SUPERSEDE || disposition === FILE_DISPOSITION.FILE_OVERWRITE || disposition === FILE_DISPOSITION.FILE_OVERWRITE_IF;
    }
    case IRP_MJ.SET_INFORMATION: {
      const cls = Number((data.Iopb.Parameters as { SetFileInformation?: { FileInformationClass?: number } }).SetFileInformation?.FileInformationClass);
      return cls === FIC.FileEndOfFileInformation || cls === FIC.FileAllocationInformation;
    }
    default:
      return false;
  }
}
