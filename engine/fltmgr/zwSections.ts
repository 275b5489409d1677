/**
 * ZwCreateSection: a section over a file the driver opened (ZwCreateFile, FltCreateFile), or over
 * fresh zeroed memory when no file is given (a pagefile-backed section of MaximumSize bytes).
 * A file's section maps the file's own pages (fsTree.ts `sharedPages`, kernel/filePages.ts), as
 * FltCreateSectionForDataScan's does: ZwMapViewOfSection then shows the file as it is, and a store
 * through a PAGE_READWRITE view changes it. Drivers use it to hash or scan a file by mapping it.
 *
 * The section is as large as MaximumSize, or the file when MaximumSize is NULL or 0; a section past
 * the end of the file is STATUS_SECTION_TOO_BIG (Windows would extend a file opened for writing;
 * the model does not). Image sections (SEC_IMAGE) need the PE loader's view of the file and stop
 * the run as not modelled.
 */
import type { FilterManager } from './fltmgr';
import { FileHandle } from './filterio';
import { KHandle, writeOut } from '../kernel/objects';
import { Section, type SectionRoutines } from '../kernel/sections';
import { FilePages } from '../kernel/filePages';
import { NotModelled } from '../kernel/notModelled';
import { STATUS } from '../kernel/status';
import type { StructView } from '../memory/view';

const PAGE_READONLY = 0x02;
const PAGE_READWRITE = 0x04;
const SEC_IMAGE = 0x01000000;

export class ZwSectionRoutines {
  private anonymous = 0;

  constructor(
    private readonly fm: FilterManager,
    private readonly sections: SectionRoutines,
  ) {}

  ZwCreateSection(SectionHandle: unknown, _DesiredAccess: number, ObjectAttributes: unknown, MaximumSize: unknown, SectionPageProtection: number, AllocationAttributes: number, FileHandle_: unknown): number {
    const k = this.fm.k;
    const routine = 'ZwCreateSection';
    k.checkIrql(routine);
    if (SectionHandle === null || SectionHandle === undefined) {
      k.violation('null-param', `${routine} needs a HANDLE to return the section's handle in`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    writeOut(SectionHandle, null);
    const protect = Number(SectionPageProtection) >>> 0;
    if (protect !== PAGE_READONLY && protect !== PAGE_READWRITE) return STATUS.STATUS_INVALID_PAGE_PROTECTION;
    if ((Number(AllocationAttributes) & SEC_IMAGE) !== 0) {
      throw new NotModelled(`${routine} with SEC_IMAGE (an image section) is not modelled`, 'fltsim maps a file\'s data (SEC_COMMIT); read the file with ZwReadFile to look at its PE headers');
    }
    const asked = Number((MaximumSize as StructView | null)?.QuadPart ?? 0);
    if (!Number.isSafeInteger(asked) || asked < 0) return STATUS.STATUS_INVALID_PARAMETER;
    const attributes = Number((ObjectAttributes as StructView | null)?.Attributes ?? 0);
    let section: Section;
    if (FileHandle_ === null || FileHandle_ === undefined || FileHandle_ === 0) {
      // No file: the section's pages are new memory, zeroed, MaximumSize bytes long.
      if (asked === 0) return STATUS.STATUS_INVALID_PARAMETER;
      const label = `section ${++this.anonymous} (${asked} bytes of memory)`;
      section = new Section(label, new FilePages(k.marshal.space, label), asked, protect === PAGE_READWRITE);
    } else {
      if (!(FileHandle_ instanceof KHandle) || FileHandle_.closed) return STATUS.STATUS_INVALID_HANDLE;
      if (!(FileHandle_ instanceof FileHandle)) {
        k.violation('invalid-parameter', `${routine} was given a handle to ${FileHandle_.what}, not a file (ZwCreateFile, FltCreateFile)`);
        return STATUS.STATUS_OBJECT_TYPE_MISMATCH;
      }
      const stream = FileHandle_.fileObject.stream;
      const node = stream.node;
      if (node === null || !stream.exists) return STATUS.STATUS_FILE_DELETED;
      if (node.directory) return STATUS.STATUS_INVALID_FILE_FOR_SECTION;
      if (protect === PAGE_READWRITE && !FileHandle_.fileObject.WriteAccess) return STATUS.STATUS_ACCESS_DENIED;
      const size = asked === 0 ? node.size : asked;
      if (size === 0) return STATUS.STATUS_MAPPED_FILE_SIZE_ZERO;
      if (size > node.size) return STATUS.STATUS_SECTION_TOO_BIG;
      section = new Section(`section of ${stream.path}`, node.sharedPages(k.marshal.space, stream.path), size, protect === PAGE_READWRITE);
    }
    const handle = this.sections.openHandle(section, attributes);
    k.handles.record(handle, routine, k.current);
    writeOut(SectionHandle, handle);
    k.emit('io-issue', 0, `${routine}: ${section.label} (${section.size} bytes, ${protect === PAGE_READWRITE ? 'read/write' : 'read-only'})`);
    return STATUS.STATUS_SUCCESS;
  }
}
