/**
 * MDLs: the description of a buffer's pages that direct I/O hands around.
 *
 * An MDL here describes one buffer (allocation + offset) of ByteCount bytes. StartVa is the start of
 * the buffer's page and ByteOffset the buffer's offset in it, so StartVa + ByteOffset is the buffer,
 * as MmGetMdlVirtualAddress computes it on Windows. The pages have no life of their own: the system
 * address MmGetSystemAddressForMdlSafe returns is the buffer itself, so a write through either
 * address is seen through the other, as with Windows' second mapping of the same physical pages.
 *
 * What is checked: an MDL built for paged memory must be locked (MmProbeAndLockPages) before it is
 * mapped; MmBuildMdlForNonPagedPool only for nonpaged pool; pages locked are unlocked (MmUnlockPages)
 * before the MDL is freed, exactly once; an MDL freed twice or never freed (reported at unload, as
 * pool is). MmProbeAndLockPages checks that the whole buffer is there (a range outside it faults as
 * C would); user-mode addresses and the exception it raises on Windows come with engine/memory's
 * user/kernel split.
 */
import { Ref } from './cvalues';
import { callSite, type Kernel } from './kernel';
import type { SourceLocation } from './events';
import { EngineStruct, mirrorFields, type Marshal } from './marshal';
import { Ptr, resolve } from '../memory/pointer';
import type { StructView } from '../memory/view';

export const MDL_MAPPED_TO_SYSTEM_VA = 0x1;
export const MDL_PAGES_LOCKED = 0x2;
export const MDL_SOURCE_IS_NONPAGED_POOL = 0x4;
export const MDL_PARTIAL = 0x10;
const PAGE_SIZE = 0x1000;
/** An MDL's header plus one PFN entry per page, as MmSizeOfMdl counts it. */
const MDL_HEADER_SIZE = 0x30;

/** MDL: C reads its fields (`Mdl->Next`, `Mdl->MdlFlags`), so it is laid out when C needs it. */
export class Mdl extends EngineStruct {
  protected get cTag(): string {
    return '_MDL';
  }

  protected readonly js: Record<string, unknown>;
  declare Next: Mdl | null;
  declare Size: number;
  declare MdlFlags: number;
  declare MappedSystemVa: unknown;
  declare StartVa: unknown;
  declare ByteCount: number;
  declare ByteOffset: number;
  /** The buffer the MDL describes (StartVa + ByteOffset). */
  readonly va: unknown;
  freed = false;
  /**
   * A filter put it in an operation's parameters (a swapped buffer's MDL) and the operation went on
   * to the file system: the Filter Manager frees it when the operation completes, not the filter.
   */
  handedToIo = false;
  /** Made by the I/O manager or the Filter Manager (FltLockUserBuffer), which frees it itself. */
  readonly system: boolean;
  allocatedAt: { location: SourceLocation; function: string } | undefined;

  constructor(va: unknown, length: number, flags: number, system: boolean) {
    super();
    this.va = va;
    this.system = system;
    const offset = va instanceof Ptr ? ((va.address % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE : 0;
    const pages = Math.ceil((offset + length) / PAGE_SIZE) || 1;
    const startVa = va instanceof Ptr ? va.add(-offset) : va;
    this.js = {
      Next: null,
      Size: MDL_HEADER_SIZE + 8 * pages,
      MdlFlags: flags,
      MappedSystemVa: va instanceof Ref || (flags & MDL_MAPPED_TO_SYSTEM_VA) !== 0 ? va : null,
      StartVa: startVa,
      ByteCount: length,
      ByteOffset: offset,
    };
  }

  get label(): string {
    const at = this.allocatedAt;
    return `MDL (${this.ByteCount} bytes)${at ? ` from IoAllocateMdl in ${at.function} at ${at.location.file}:${at.location.line}` : ''}`;
  }

  /** The C memory, if C has seen the MDL (freed with it). */
  get memory(): StructView | undefined {
    return this.c;
  }

  protected override cFill(v: StructView, _m: Marshal): void {
    for (const [k, val] of Object.entries(this.js)) if (val !== null && val !== undefined) v[k] = val;
  }
}
mirrorFields(Mdl, ['Next', 'Size', 'MdlFlags', 'MappedSystemVa', 'StartVa', 'ByteCount', 'ByteOffset']);

export class MdlRoutines {
  /** MDLs drivers allocated and have not freed. */
  private readonly live = new Set<Mdl>();

  constructor(private readonly k: Kernel) {}

  /** An MDL the engine makes for a request's buffer (FltLockUserBuffer): already locked. */
  systemMdl(va: unknown, length: number): Mdl {
    return new Mdl(va, length, MDL_PAGES_LOCKED, true);
  }

  /**
   * An MDL for VirtualAddress..+Length. With an IRP, the MDL becomes Irp->MdlAddress, or — for a
   * SecondaryBuffer — the end of the chain that starts there.
   */
  IoAllocateMdl(VirtualAddress: unknown, Length: number, SecondaryBuffer: unknown, _ChargeQuota: unknown, Irp_: unknown): Mdl | null {
    const k = this.k;
    k.checkIrql('IoAllocateMdl');
    const length = Number(Length) >>> 0;
    if (length === 0) {
      k.violation('invalid-parameter', 'IoAllocateMdl with Length 0: an MDL describes at least one byte');
      return null;
    }
    if (k.allocationFails('IoAllocateMdl')) return null;
    const mdl = new Mdl(VirtualAddress, length, 0, false);
    mdl.allocatedAt = callSite(k.current);
    this.live.add(mdl);
    if (Irp_ !== null && Irp_ !== undefined && typeof Irp_ === 'object' && 'view' in Irp_) {
      const irp = (Irp_ as { view: StructView }).view;
      const head = irp.MdlAddress as unknown;
      if (!SecondaryBuffer || head === null || head === undefined) irp.MdlAddress = mdl;
      else {
        let last = head instanceof Mdl ? head : null;
        while (last !== null && last.Next instanceof Mdl) last = last.Next;
        if (last !== null) last.Next = mdl;
      }
    }
    return mdl;
  }

  IoFreeMdl(Mdl_: unknown): void {
    const k = this.k;
    k.checkIrql('IoFreeMdl');
    const mdl = this.mdlArg(Mdl_, 'IoFreeMdl');
    if (mdl === null) return;
    if (mdl.system) {
      k.violation('lock-user-buffer', `IoFreeMdl on the ${mdl.label} the Filter Manager made with FltLockUserBuffer; it frees that MDL itself when the operation completes`);
      return;
    }
    if ((mdl.MdlFlags & MDL_PAGES_LOCKED) !== 0) {
      k.violation('mdl-locked-at-free', `IoFreeMdl on ${mdl.label} whose pages are still locked; call MmUnlockPages first (Windows bug check 0x76, PROCESS_HAS_LOCKED_PAGES, later)`);
    }
    mdl.freed = true;
    this.live.delete(mdl);
    const mem = mdl.memory;
    if (mem !== undefined) k.marshal.space.free(mem.$alloc);
  }

  /** Fills the MDL for a buffer in nonpaged pool: nothing to lock, and its system address is the buffer. */
  MmBuildMdlForNonPagedPool(MemoryDescriptorList: unknown): void {
    const k = this.k;
    k.checkIrql('MmBuildMdlForNonPagedPool');
    const mdl = this.mdlArg(MemoryDescriptorList, 'MmBuildMdlForNonPagedPool');
    if (mdl === null) return;
    if (isPagedPool(mdl.va)) {
      k.violation('invalid-parameter', `MmBuildMdlForNonPagedPool on ${mdl.label}, which describes paged pool; lock paged memory with MmProbeAndLockPages instead`);
    }
    mdl.MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
    mdl.MappedSystemVa = mdl.va;
  }

  /** Makes the pages resident and locked; the whole range must be memory the caller can reach. */
  MmProbeAndLockPages(MemoryDescriptorList: unknown, _AccessMode: number, Operation: number): void {
    const k = this.k;
    k.checkIrql('MmProbeAndLockPages');
    const mdl = this.mdlArg(MemoryDescriptorList, 'MmProbeAndLockPages');
    if (mdl === null) return;
    if ((mdl.MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL)) !== 0) {
      k.violation('invalid-parameter', `MmProbeAndLockPages on ${mdl.label}, whose pages are already ${(mdl.MdlFlags & MDL_PAGES_LOCKED) !== 0 ? 'locked' : 'described as nonpaged pool'}`);
      return;
    }
    // The probe touches every byte of the range: a range beyond the buffer faults here, at this line.
    resolveRange(mdl.va, mdl.ByteCount, Number(Operation) === 0 ? 'reads' : 'writes');
    mdl.MdlFlags |= MDL_PAGES_LOCKED;
  }

  MmUnlockPages(MemoryDescriptorList: unknown): void {
    const k = this.k;
    k.checkIrql('MmUnlockPages');
    const mdl = this.mdlArg(MemoryDescriptorList, 'MmUnlockPages');
    if (mdl === null) return;
    if ((mdl.MdlFlags & MDL_PAGES_LOCKED) === 0) {
      k.violation('invalid-parameter', `MmUnlockPages on ${mdl.label}, whose pages are not locked (MmProbeAndLockPages did not run or they were unlocked already)`);
      return;
    }
    mdl.MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA);
    mdl.MappedSystemVa = null;
  }

  /** The system address of the pages: the buffer itself, so writes through either address are one. */
  MmGetSystemAddressForMdlSafe(Mdl_: unknown, _Priority: number): unknown {
    const k = this.k;
    k.checkIrql('MmGetSystemAddressForMdlSafe');
    const mdl = this.mdlArg(Mdl_, 'MmGetSystemAddressForMdlSafe');
    if (mdl === null) return null;
    if ((mdl.MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL | MDL_MAPPED_TO_SYSTEM_VA)) === 0) {
      k.violation('mdl-not-locked', `MmGetSystemAddressForMdlSafe on ${mdl.label}, whose pages are neither locked (MmProbeAndLockPages) nor built for nonpaged pool (MmBuildMdlForNonPagedPool)`);
    }
    if ((mdl.MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) === 0) {
      mdl.MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
      mdl.MappedSystemVa = mdl.va;
    }
    return mdl.MappedSystemVa ?? mdl.va;
  }

  /** The older form of the mapping (MmMapLockedPagesSpecifyCache with KernelMode): the same address. */
  MmMapLockedPagesSpecifyCache(MemoryDescriptorList: unknown, _AccessMode: number, _CacheType: number, _RequestedAddress: unknown, _BugCheckOnFailure: number, Priority: number): unknown {
    return this.MmGetSystemAddressForMdlSafe(MemoryDescriptorList, Priority);
  }

  MmUnmapLockedPages(_BaseAddress: unknown, MemoryDescriptorList: unknown): void {
    const mdl = this.mdlArg(MemoryDescriptorList, 'MmUnmapLockedPages');
    if (mdl === null) return;
    mdl.MdlFlags &= ~MDL_MAPPED_TO_SYSTEM_VA;
  }

  MmGetMdlVirtualAddress(Mdl_: unknown): unknown {
    return this.mdlArg(Mdl_, 'MmGetMdlVirtualAddress')?.va ?? null;
  }

  MmGetMdlByteCount(Mdl_: unknown): number {
    return this.mdlArg(Mdl_, 'MmGetMdlByteCount')?.ByteCount ?? 0;
  }

  MmGetMdlByteOffset(Mdl_: unknown): number {
    return this.mdlArg(Mdl_, 'MmGetMdlByteOffset')?.ByteOffset ?? 0;
  }

  /**
   * Makes TargetMdl describe part of SourceMdl's buffer (VirtualAddress..+Length, 0 = to the end);
   * the part shares the source's locked pages and system mapping.
   */
  IoBuildPartialMdl(SourceMdl: unknown, TargetMdl: unknown, VirtualAddress: unknown, Length: number): void {
    const k = this.k;
    k.checkIrql('IoBuildPartialMdl');
    const src = this.mdlArg(SourceMdl, 'IoBuildPartialMdl');
    const dst = this.mdlArg(TargetMdl, 'IoBuildPartialMdl');
    if (src === null || dst === null) return;
    const start = src.va instanceof Ptr && VirtualAddress instanceof Ptr && VirtualAddress.alloc === src.va.alloc ? VirtualAddress.offset - src.va.offset : -1;
    const length = Number(Length) >>> 0 || src.ByteCount - start;
    if (start < 0 || start + length > src.ByteCount) {
      k.violation('invalid-parameter', `IoBuildPartialMdl: the range asked for is not inside the source ${src.label}`);
      return;
    }
    const part = new Mdl(VirtualAddress, length, 0, true);
    dst.StartVa = part.StartVa;
    dst.ByteOffset = part.ByteOffset;
    dst.ByteCount = length;
    (dst as { va: unknown }).va = VirtualAddress;
    dst.MdlFlags = (dst.MdlFlags & ~(MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL)) | MDL_PARTIAL | (src.MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
    dst.MappedSystemVa = (src.MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) !== 0 || (src.MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL) !== 0 ? VirtualAddress : null;
    if (dst.MappedSystemVa !== null) dst.MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
  }

  /** MDLs from IoAllocateMdl never freed: leaks, reported at unload like pool leaks. */
  unloadLeaks(): void {
    const k = this.k;
    for (const mdl of this.live) {
      if (mdl.handedToIo) continue;
      k.violation('mdl-leak', `${mdl.label} was never freed with IoFreeMdl${(mdl.MdlFlags & MDL_PAGES_LOCKED) !== 0 ? ' (and its pages are still locked)' : ''}`, 0, k.outside, mdl.allocatedAt?.location);
    }
  }

  private mdlArg(v: unknown, routine: string): Mdl | null {
    if (v instanceof Mdl && !v.freed) return v;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs an MDL${v instanceof Mdl ? ' that is not freed' : ' (from IoAllocateMdl, or the one in the IRP or the operation\'s parameters)'}`);
    return null;
  }
}

/** The file system got an operation whose parameters carry this MDL: it is the I/O's to free now. */
export function handMdlToIo(mdl: unknown): void {
  if (mdl instanceof Mdl && !mdl.system) mdl.handedToIo = true;
}

/** Touches `length` bytes at `p`, faulting as C would when they are not all inside one allocation. */
function resolveRange(p: unknown, length: number, verb: 'reads' | 'writes'): void {
  if (!(p instanceof Ptr) && p !== null) return;
  const at = resolve(p, length, verb);
  at.alloc.check(at.offset, length, verb);
}

/** Whether the address is in paged pool (what MmBuildMdlForNonPagedPool must not be given). */
function isPagedPool(p: unknown): boolean {
  if (!(p instanceof Ptr) || p.alloc === null) return false;
  const pool = (p.alloc.owner as { pool?: unknown; block?: unknown } | undefined)?.pool;
  return typeof pool === 'string' && pool.startsWith('Paged');
}
