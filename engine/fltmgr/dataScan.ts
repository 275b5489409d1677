/**
 * Data-scan sections: how an anti-virus filter lets a scanner read a file through memory.
 *
 * FltRegisterForDataScan enables it on an instance. FltCreateSectionForDataScan makes a section
 * (kernel/sections.ts) over the file's content as it is when a view is mapped, ties it to a section
 * context (a FLT_SECTION_CONTEXT from FltAllocateContext, attached to the stream on that instance,
 * which holds a reference to it), returns a handle — a kernel handle with OBJ_KERNEL_HANDLE, else
 * one in the process the caller runs in, which is how a message callback hands it to the user-mode
 * scanner — and, if asked, the section object with a reference (ObDereferenceObject). The scanner
 * maps a view, reads, unmaps and closes its handle; FltCloseSectionForDataScan closes the section
 * and detaches the context. A section never closed is reported at the end of the run
 * (`data-scan-section-leak`).
 */
import type { Co } from '../kernel/coroutine';
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

const PAGE_READWRITE = 0x04;

/** One open data-scan section. */
interface ScanSection {
  section: Section;
  handle: KHandle;
  context: FltContext;
  instance: Instance;
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
    if (this.open.has(ctx)) return STATUS.STATUS_FLT_CONTEXT_ALREADY_LINKED;
    if (this.contexts.hasSection(Instance_, FileObject_)) return STATUS.STATUS_FLT_CONTEXT_ALREADY_DEFINED;
    if (k.allocationFails('FltCreateSectionForDataScan')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const section = new Section(`data-scan section of ${stream.path}`, () => node.read(0, node.size), (Number(SectionPageProtection) >>> 0) === PAGE_READWRITE);
    const attributes = Number((ObjectAttributes as StructView | null)?.Attributes ?? 0);
    const handle = this.sections.openHandle(section, attributes);
    this.contexts.attachSection(ctx, Instance_, FileObject_);
    this.open.set(ctx, { section, handle, context: ctx, instance: Instance_, site: callSite(k.current) });
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

  endChecks(): void {
    for (const s of this.open.values()) this.report(s, 'by the end of the run');
  }

  private report(s: ScanSection, when: string): void {
    const k = this.fm.k;
    k.violation('data-scan-section-leak', `the ${s.section.label}${s.site ? ` made in ${s.site.function}` : ''} was never closed with FltCloseSectionForDataScan ${when}`, 0, k.outside, s.site?.location);
  }
}
