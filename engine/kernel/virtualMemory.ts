/**
 * A process's user-mode virtual memory as drivers reach it: ZwAllocateVirtualMemory,
 * ZwFreeVirtualMemory and ZwQueryVirtualMemory (MemoryBasicInformation). Each scenario process has
 * its own list of regions; a region is user-mode memory (an address in the user half, 64 KiB
 * aligned, whole pages, zero-filled) that belongs to the process named by the handle
 * (ZwCurrentProcess() or a process handle), so a region allocated in one process is free in
 * another. The arguments are checked as the reference pages say: the allocation type (MEM_COMMIT
 * and/or MEM_RESERVE), the page protection, a size, the free type (exactly one of MEM_RELEASE and
 * MEM_DECOMMIT), releasing at the region's base with a size of 0.
 *
 * ZwProtectVirtualMemory changes a region's protection. Not modelled: choosing the address (a
 * non-NULL *BaseAddress outside the process's regions stops the run naming it), protection per page
 * (it is per region) and beyond read-only (PAGE_READONLY, PAGE_EXECUTE(_READ) and PAGE_NOACCESS
 * regions refuse writes; no-access pages still read), and reserved pages that are not committed
 * read as zeros instead of faulting.
 */
import type { Kernel } from './kernel';
import { NotModelled } from './notModelled';
import { readOut, writeOut } from './objects';
import { processOfHandle, type KProcess } from './processes';
import { STATUS } from './status';
import { bufferPlace } from './buffers';
import type { Allocation } from '../memory/allocation';
import { MM_HIGHEST_USER_ADDRESS, Ptr } from '../memory/pointer';

const PAGE = 0x1000;
/** Regions start on the allocation granularity of x64 Windows. */
const GRANULARITY = 0x10000;
const MEM_COMMIT = 0x1000;
const MEM_RESERVE = 0x2000;
const MEM_DECOMMIT = 0x4000;
const MEM_RELEASE = 0x8000;
const MEM_FREE = 0x10000;
const MEM_PRIVATE = 0x20000;
const MEM_RESET = 0x80000;
const MEM_TOP_DOWN = 0x100000;
const PAGE_NOACCESS = 0x01;
const PAGE_READONLY = 0x02;
const PAGE_READWRITE = 0x04;
const PAGE_EXECUTE = 0x10;
const PAGE_EXECUTE_READ = 0x20;
const PAGE_EXECUTE_READWRITE = 0x40;
const PAGE_GUARD = 0x100;
const PAGE_NOCACHE = 0x200;
const PAGE_WRITECOMBINE = 0x400;
/** The protections a private region may have (copy-on-write needs a mapped file). */
const PRIVATE_PROTECTIONS = new Set([PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_EXECUTE, PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE]);
const MEMORY_BASIC_INFORMATION = 0;
/** sizeof(MEMORY_BASIC_INFORMATION) on x64. */
const MBI_SIZE = 48;
/** The last valid MEMORY_INFORMATION_CLASS value (MemoryImageExtensionInformation, Windows 11). */
const MAX_MEMORY_CLASS = 15;

/** One ZwAllocateVirtualMemory region of a process. */
interface Region {
  readonly alloc: Allocation;
  readonly size: number;
  protect: number;
  committed: boolean;
}

export class VirtualMemoryRoutines {
  private readonly regions = new Map<KProcess, Region[]>();

  constructor(private readonly k: Kernel) {}

  /** The IRQL check, the process and the two in/out pointers Allocate and Free both take; a status when one is wrong. */
  private target(routine: string, ProcessHandle: unknown, BaseAddress: unknown, RegionSize: unknown): KProcess | number {
    this.k.checkIrql(routine);
    const p = this.process(routine, ProcessHandle);
    if (p === undefined) return STATUS.STATUS_INVALID_HANDLE;
    if (BaseAddress === null || BaseAddress === undefined || RegionSize === null || RegionSize === undefined) {
      this.k.violation('null-param', `${routine} needs BaseAddress and RegionSize (pointers to the address and the size)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return p;
  }

  ZwAllocateVirtualMemory(ProcessHandle: unknown, BaseAddress: unknown, ZeroBits: unknown, RegionSize: unknown, AllocationType: number, Protect: number): number {
    const k = this.k;
    const routine = 'ZwAllocateVirtualMemory';
    const p = this.target(routine, ProcessHandle, BaseAddress, RegionSize);
    if (typeof p === 'number') return p;
    const type = Number(AllocationType) >>> 0;
    const protect = Number(Protect) >>> 0;
    if ((type & (MEM_COMMIT | MEM_RESERVE)) === 0 || (type & ~(MEM_COMMIT | MEM_RESERVE | MEM_TOP_DOWN | MEM_RESET)) !== 0) return STATUS.STATUS_INVALID_PARAMETER;
    if (!PRIVATE_PROTECTIONS.has(protect & ~(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE))) return STATUS.STATUS_INVALID_PAGE_PROTECTION;
    if (Number(ZeroBits) !== 0 && Number(ZeroBits) > 53) return STATUS.STATUS_INVALID_PARAMETER_3;
    const requested = Number(readOut(RegionSize) ?? 0);
    if (!(requested > 0)) return STATUS.STATUS_INVALID_PARAMETER;
    const size = Math.ceil(requested / PAGE) * PAGE;
    const wanted = readOut(BaseAddress);
    if (wanted !== null && wanted !== undefined && wanted !== 0) {
      // Committing pages of a region reserved earlier (the reserve-then-commit pattern).
      const at = addressOf(wanted);
      const r = at === undefined ? undefined : this.regionAt(p, at);
      if (r === undefined || at === undefined) {
        throw new NotModelled(`${routine} at a chosen address (${describeAddress(wanted)}) outside the process's regions is not modelled`, 'pass *BaseAddress = NULL so the system picks the address, as most drivers do');
      }
      if (at + size > r.alloc.base + r.size) return STATUS.STATUS_CONFLICTING_ADDRESSES;
      if ((type & MEM_COMMIT) !== 0) r.committed = true;
      const pageBase = at - ((at - r.alloc.base) % PAGE);
      writeOut(BaseAddress, new Ptr(r.alloc, pageBase - r.alloc.base));
      writeOut(RegionSize, Math.ceil((at + requested - pageBase) / PAGE) * PAGE);
      return STATUS.STATUS_SUCCESS;
    }
    if (k.allocationFails(routine)) return STATUS.STATUS_NO_MEMORY;
    const readOnly = readOnlyProtection(protect);
    const alloc = k.memory.allocate('user', size, { zeroed: true, align: GRANULARITY, readOnly, label: `virtual memory of ${p.name} (pid ${p.id}, ${size} bytes)` });
    const list = this.regions.get(p) ?? [];
    list.push({ alloc, size, protect, committed: (type & MEM_COMMIT) !== 0 });
    this.regions.set(p, list);
    writeOut(BaseAddress, new Ptr(alloc, 0));
    writeOut(RegionSize, size);
    return STATUS.STATUS_SUCCESS;
  }

  ZwFreeVirtualMemory(ProcessHandle: unknown, BaseAddress: unknown, RegionSize: unknown, FreeType: number): number {
    const k = this.k;
    const routine = 'ZwFreeVirtualMemory';
    const p = this.target(routine, ProcessHandle, BaseAddress, RegionSize);
    if (typeof p === 'number') return p;
    const free = Number(FreeType) >>> 0;
    if (free !== MEM_RELEASE && free !== MEM_DECOMMIT) return STATUS.STATUS_INVALID_PARAMETER;
    const at = addressOf(readOut(BaseAddress));
    const r = at === undefined ? undefined : this.regionAt(p, at);
    if (r === undefined || at === undefined) return STATUS.STATUS_MEMORY_NOT_ALLOCATED;
    const size = Number(readOut(RegionSize) ?? 0);
    if (free === MEM_RELEASE) {
      if (at !== r.alloc.base) return STATUS.STATUS_FREE_VM_NOT_AT_BASE;
      if (size !== 0 && size !== r.size) return STATUS.STATUS_INVALID_PARAMETER;
      const list = this.regions.get(p)!;
      list.splice(list.indexOf(r), 1);
      k.memory.free(r.alloc);
      writeOut(BaseAddress, new Ptr(null, r.alloc.base));
      writeOut(RegionSize, r.size);
      return STATUS.STATUS_SUCCESS;
    }
    // Decommitting the whole region (size 0 from its base) leaves it reserved and its pages zero.
    if (size === 0 && at !== r.alloc.base) return STATUS.STATUS_FREE_VM_NOT_AT_BASE;
    if (size === 0 || (at === r.alloc.base && size >= r.size)) r.committed = false;
    const from = at - r.alloc.base - ((at - r.alloc.base) % PAGE);
    const length = size === 0 ? r.size : Math.min(r.size - from, Math.ceil((at - r.alloc.base + size - from) / PAGE) * PAGE);
    if (!readOnlyProtection(r.protect)) r.alloc.writeBytes(from, new Uint8Array(length));
    writeOut(BaseAddress, new Ptr(r.alloc, from));
    writeOut(RegionSize, length);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * Changes the protection of the region holding *BaseAddress (the whole region: protection is kept
   * per region) and returns the old one; the rounded range comes back in *BaseAddress/*RegionSize.
   */
  ZwProtectVirtualMemory(ProcessHandle: unknown, BaseAddress: unknown, RegionSize: unknown, NewProtect: number, OldProtect: unknown): number {
    const k = this.k;
    const routine = 'ZwProtectVirtualMemory';
    k.checkIrql(routine);
    const p = this.process(routine, ProcessHandle);
    if (p === undefined) return STATUS.STATUS_INVALID_HANDLE;
    if (BaseAddress === null || BaseAddress === undefined || RegionSize === null || RegionSize === undefined || OldProtect === null || OldProtect === undefined) {
      k.violation('null-param', `${routine} needs BaseAddress, RegionSize and OldProtect`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const protect = Number(NewProtect) >>> 0;
    if (!PRIVATE_PROTECTIONS.has(protect & ~(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE))) return STATUS.STATUS_INVALID_PAGE_PROTECTION;
    const at = addressOf(readOut(BaseAddress));
    const r = at === undefined ? undefined : this.regionAt(p, at);
    if (r === undefined || at === undefined) return STATUS.STATUS_MEMORY_NOT_ALLOCATED;
    if (!r.committed) return STATUS.STATUS_NOT_COMMITTED;
    const size = Number(readOut(RegionSize) ?? 0);
    const from = at - r.alloc.base - ((at - r.alloc.base) % PAGE);
    writeOut(OldProtect, r.protect);
    r.protect = protect;
    r.alloc.setReadOnly(readOnlyProtection(protect));
    writeOut(BaseAddress, new Ptr(r.alloc, from));
    writeOut(RegionSize, Math.min(r.size - from, Math.max(PAGE, Math.ceil((at - r.alloc.base + size - from) / PAGE) * PAGE)));
    return STATUS.STATUS_SUCCESS;
  }

  ZwQueryVirtualMemory(ProcessHandle: unknown, BaseAddress: unknown, MemoryInformationClass: number, MemoryInformation: unknown, MemoryInformationLength: unknown, ReturnLength: unknown): number {
    const k = this.k;
    const routine = 'ZwQueryVirtualMemory';
    k.checkIrql(routine);
    const p = this.process(routine, ProcessHandle);
    if (p === undefined) return STATUS.STATUS_INVALID_HANDLE;
    const cls = Number(MemoryInformationClass);
    if (cls !== MEMORY_BASIC_INFORMATION) {
      if (cls < 0 || cls > MAX_MEMORY_CLASS) return STATUS.STATUS_INVALID_INFO_CLASS;
      throw new NotModelled(`${routine} with memory information class ${cls} is not modelled`, 'fltsim answers MemoryBasicInformation (0) (docs/wdk-surface.md)');
    }
    const length = Number(MemoryInformationLength);
    if (length < MBI_SIZE) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
    const at = addressOf(BaseAddress ?? 0) ?? 0;
    if (at < 0 || at > MM_HIGHEST_USER_ADDRESS) return STATUS.STATUS_INVALID_PARAMETER;
    const out = bufferPlace(k.marshal, MemoryInformation);
    if (out === null) {
      k.violation('null-param', `${routine} needs a MEMORY_BASIC_INFORMATION to fill`);
      return STATUS.STATUS_ACCESS_VIOLATION;
    }
    const page = at - (at % PAGE);
    const bytes = new Uint8Array(MBI_SIZE);
    const dv = new DataView(bytes.buffer);
    const r = this.regionAt(p, at);
    let base: Ptr | null;
    let allocationBase: Ptr | null = null;
    if (r !== undefined) {
      const offset = page - r.alloc.base;
      base = new Ptr(r.alloc, offset);
      allocationBase = new Ptr(r.alloc, 0);
      dv.setUint32(16, r.protect, true);
      dv.setBigUint64(24, BigInt(r.size - offset), true);
      dv.setUint32(32, r.committed ? MEM_COMMIT : MEM_RESERVE, true);
      dv.setUint32(36, r.committed ? r.protect : 0, true);
      dv.setUint32(40, MEM_PRIVATE, true);
    } else {
      // Free up to the process's next region (or the end of user space).
      const next = (this.regions.get(p) ?? []).map((x) => x.alloc.base).filter((b) => b > page).sort((a, b) => a - b)[0] ?? MM_HIGHEST_USER_ADDRESS + 1;
      base = new Ptr(null, page);
      dv.setBigUint64(24, BigInt(next - page), true);
      dv.setUint32(32, MEM_FREE, true);
      dv.setUint32(36, PAGE_NOACCESS, true);
    }
    out.alloc.writeBytes(out.offset, bytes);
    out.alloc.writePointer(out.offset, base.offset === 0 && base.alloc === null ? null : base);
    out.alloc.writePointer(out.offset + 8, allocationBase);
    writeOut(ReturnLength, MBI_SIZE);
    return STATUS.STATUS_SUCCESS;
  }

  private process(routine: string, h: unknown): KProcess | undefined {
    const p = processOfHandle(h, this.k.processOf(this.k.current));
    if (p === undefined) this.k.violation('bad-object', `${routine} needs a process handle (ZwCurrentProcess(), ZwOpenProcess, ObOpenObjectByPointer)`);
    return p;
  }

  private regionAt(p: KProcess, at: number): Region | undefined {
    return this.regions.get(p)?.find((r) => at >= r.alloc.base && at < r.alloc.base + r.size);
  }
}

function readOnlyProtection(protect: number): boolean {
  const p = protect & 0xff;
  return p === PAGE_READONLY || p === PAGE_EXECUTE_READ || p === PAGE_NOACCESS || p === PAGE_EXECUTE;
}

function addressOf(v: unknown): number | undefined {
  if (v instanceof Ptr) return v.address;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function describeAddress(v: unknown): string {
  const a = addressOf(v);
  return a === undefined ? 'an address' : `0x${a.toString(16)}`;
}
