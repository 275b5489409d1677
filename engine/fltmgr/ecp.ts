/**
 * Extra create parameters (ECPs): typed blocks of pool a create carries in its ECP list, found by
 * their GUID. A filter allocates a list and parameters, inserts them, attaches the list to a create
 * it issues or passes on (FltSetEcpListIntoCallbackData), and the filters below find them
 * (FltGetEcpListFromCallbackData, FltFindExtraCreateParameter, FltGetNextExtraCreateParameter) and
 * acknowledge them. A parameter's memory is the driver's to read and write; the list and the
 * parameter records are the engine's.
 */
import type { Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import type { Kernel } from '../kernel/kernel';
import { writeOut } from '../kernel/objects';
import type { PoolRoutines } from '../kernel/pool';
import { STATUS } from '../kernel/status';
import { Ptr, resolve, type AllocPtr } from '../memory/pointer';
import { callbackDataArg } from './callbackData';
import { IRP_MJ } from './constants';
import { Filter } from './objects';

const FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL = 0x2;
const GUID_SIZE = 16;

export class EcpList {
  readonly entries: Ecp[] = [];
  freed = false;
  constructor(readonly id: number) {}

  get label(): string {
    return `ECP list #${this.id}`;
  }
}

class Ecp {
  list: EcpList | null = null;
  acknowledged = false;
  constructor(
    readonly type: Uint8Array,
    readonly block: AllocPtr,
    readonly size: number,
    readonly cleanup: DriverFn | null,
  ) {}

  get label(): string {
    return `ECP ${guidText(this.type)}`;
  }
}

export class EcpRoutines {
  private nextList = 1;
  private readonly byBlock = new WeakMap<object, Ecp>();
  /** The ECP list of each create, once a filter attached one. */
  private readonly ofData = new WeakMap<object, EcpList>();

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
  ) {}

  FltAllocateExtraCreateParameterList(Filter_: unknown, _Flags: number, EcpList_: unknown): number {
    const k = this.k;
    k.checkIrql('FltAllocateExtraCreateParameterList');
    writeOut(EcpList_, null);
    if (!this.filterArg(Filter_, 'FltAllocateExtraCreateParameterList')) return STATUS.STATUS_INVALID_PARAMETER;
    if (k.allocationFails('FltAllocateExtraCreateParameterList')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    writeOut(EcpList_, new EcpList(this.nextList++));
    return STATUS.STATUS_SUCCESS;
  }

  FltAllocateExtraCreateParameter(Filter_: unknown, EcpType: unknown, SizeOfContext: number, Flags: number, CleanupCallback: unknown, PoolTag: number, EcpContext: unknown): number {
    const k = this.k;
    k.checkIrql('FltAllocateExtraCreateParameter');
    writeOut(EcpContext, null);
    if (!this.filterArg(Filter_, 'FltAllocateExtraCreateParameter')) return STATUS.STATUS_INVALID_PARAMETER;
    const type = readGuid(EcpType);
    if (type === null) {
      k.violation('null-param', 'FltAllocateExtraCreateParameter needs the ECP type GUID');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (k.allocationFails('FltAllocateExtraCreateParameter')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const nonPaged = (Number(Flags) & FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL) !== 0;
    const block = this.pool.allocate('FltAllocateExtraCreateParameter', Number(SizeOfContext), nonPaged ? 'NonPagedPool' : 'PagedPool', Number(PoolTag) >>> 0);
    const ecp = new Ecp(type, block, Number(SizeOfContext), (CleanupCallback ?? null) as DriverFn | null);
    this.byBlock.set(block.alloc, ecp);
    writeOut(EcpContext, block);
    return STATUS.STATUS_SUCCESS;
  }

  FltInsertExtraCreateParameter(Filter_: unknown, EcpList_: unknown, EcpContext: unknown): number {
    const k = this.k;
    k.checkIrql('FltInsertExtraCreateParameter');
    const list = this.listArg(EcpList_, 'FltInsertExtraCreateParameter');
    const ecp = this.ecpArg(EcpContext, 'FltInsertExtraCreateParameter');
    if (!this.filterArg(Filter_, 'FltInsertExtraCreateParameter') || list === null || ecp === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (ecp.list !== null) {
      k.violation('invalid-parameter', `FltInsertExtraCreateParameter: ${ecp.label} is already in ${ecp.list.label}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (list.entries.some((e) => sameGuid(e.type, ecp.type))) return STATUS.STATUS_OBJECT_NAME_COLLISION;
    list.entries.push(ecp);
    ecp.list = list;
    return STATUS.STATUS_SUCCESS;
  }

  FltRemoveExtraCreateParameter(Filter_: unknown, EcpList_: unknown, EcpType: unknown, EcpContext: unknown, EcpContextSize: unknown): number {
    this.k.checkIrql('FltRemoveExtraCreateParameter');
    writeOut(EcpContext, null);
    const list = this.listArg(EcpList_, 'FltRemoveExtraCreateParameter');
    const type = readGuid(EcpType);
    if (!this.filterArg(Filter_, 'FltRemoveExtraCreateParameter') || list === null || type === null) return STATUS.STATUS_INVALID_PARAMETER;
    const i = list.entries.findIndex((e) => sameGuid(e.type, type));
    if (i < 0) return STATUS.STATUS_NOT_FOUND;
    const [ecp] = list.entries.splice(i, 1);
    ecp!.list = null;
    writeOut(EcpContext, ecp!.block);
    writeOut(EcpContextSize, ecp!.size);
    return STATUS.STATUS_SUCCESS;
  }

  FltFindExtraCreateParameter(Filter_: unknown, EcpList_: unknown, EcpType: unknown, EcpContext: unknown, EcpContextSize: unknown): number {
    this.k.checkIrql('FltFindExtraCreateParameter');
    writeOut(EcpContext, null);
    const list = this.listArg(EcpList_, 'FltFindExtraCreateParameter');
    const type = readGuid(EcpType);
    if (!this.filterArg(Filter_, 'FltFindExtraCreateParameter') || list === null || type === null) return STATUS.STATUS_INVALID_PARAMETER;
    const ecp = list.entries.find((e) => sameGuid(e.type, type));
    if (ecp === undefined) return STATUS.STATUS_NOT_FOUND;
    writeOut(EcpContext, ecp.block);
    writeOut(EcpContextSize, ecp.size);
    return STATUS.STATUS_SUCCESS;
  }

  /** The parameter after CurrentEcpContext (the first when it is NULL); STATUS_NOT_FOUND past the last. */
  FltGetNextExtraCreateParameter(Filter_: unknown, EcpList_: unknown, CurrentEcpContext: unknown, NextEcpType: unknown, NextEcpContext: unknown, NextEcpContextSize: unknown): number {
    this.k.checkIrql('FltGetNextExtraCreateParameter');
    writeOut(NextEcpContext, null);
    const list = this.listArg(EcpList_, 'FltGetNextExtraCreateParameter');
    if (!this.filterArg(Filter_, 'FltGetNextExtraCreateParameter') || list === null) return STATUS.STATUS_INVALID_PARAMETER;
    let i = 0;
    if (CurrentEcpContext !== null && CurrentEcpContext !== undefined) {
      const cur = this.ecpArg(CurrentEcpContext, 'FltGetNextExtraCreateParameter');
      if (cur === null) return STATUS.STATUS_INVALID_PARAMETER;
      i = list.entries.indexOf(cur) + 1;
      if (i === 0) return STATUS.STATUS_NOT_FOUND;
    }
    const next = list.entries[i];
    if (next === undefined) return STATUS.STATUS_NOT_FOUND;
    if (NextEcpType !== null && NextEcpType !== undefined) writeGuid(NextEcpType, next.type);
    writeOut(NextEcpContext, next.block);
    writeOut(NextEcpContextSize, next.size);
    return STATUS.STATUS_SUCCESS;
  }

  *FltFreeExtraCreateParameter(Filter_: unknown, EcpContext: unknown): Co<void> {
    this.k.checkIrql('FltFreeExtraCreateParameter');
    const ecp = this.ecpArg(EcpContext, 'FltFreeExtraCreateParameter');
    if (!this.filterArg(Filter_, 'FltFreeExtraCreateParameter') || ecp === null) return;
    if (ecp.list !== null) {
      this.k.violation('invalid-parameter', `FltFreeExtraCreateParameter: ${ecp.label} is still in ${ecp.list.label}; remove it first or free the list`);
      return;
    }
    yield* this.freeEcp(ecp);
  }

  *FltFreeExtraCreateParameterList(Filter_: unknown, EcpList_: unknown): Co<void> {
    this.k.checkIrql('FltFreeExtraCreateParameterList');
    const list = this.listArg(EcpList_, 'FltFreeExtraCreateParameterList');
    if (!this.filterArg(Filter_, 'FltFreeExtraCreateParameterList') || list === null) return;
    list.freed = true;
    for (const ecp of list.entries.splice(0)) {
      ecp.list = null;
      yield* this.freeEcp(ecp);
    }
  }

  FltGetEcpListFromCallbackData(Filter_: unknown, CallbackData: unknown, EcpList_: unknown): number {
    this.k.checkIrql('FltGetEcpListFromCallbackData');
    writeOut(EcpList_, null);
    const d = callbackDataArg(this.k, CallbackData, 'FltGetEcpListFromCallbackData');
    if (!this.filterArg(Filter_, 'FltGetEcpListFromCallbackData') || d === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (d.major !== IRP_MJ.CREATE) {
      this.k.violation('invalid-parameter', `FltGetEcpListFromCallbackData on ${d.label}, which is not a create`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    writeOut(EcpList_, this.ofData.get(d) ?? null);
    return STATUS.STATUS_SUCCESS;
  }

  FltSetEcpListIntoCallbackData(Filter_: unknown, CallbackData: unknown, EcpList_: unknown): number {
    this.k.checkIrql('FltSetEcpListIntoCallbackData');
    const d = callbackDataArg(this.k, CallbackData, 'FltSetEcpListIntoCallbackData');
    const list = this.listArg(EcpList_, 'FltSetEcpListIntoCallbackData');
    if (!this.filterArg(Filter_, 'FltSetEcpListIntoCallbackData') || d === null || list === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (d.major !== IRP_MJ.CREATE) {
      this.k.violation('invalid-parameter', `FltSetEcpListIntoCallbackData on ${d.label}, which is not a create`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (this.ofData.has(d)) return STATUS.STATUS_INVALID_PARAMETER;
    this.ofData.set(d, list);
    return STATUS.STATUS_SUCCESS;
  }

  FltAcknowledgeEcp(Filter_: unknown, EcpContext: unknown): void {
    this.k.checkIrql('FltAcknowledgeEcp');
    const ecp = this.ecpArg(EcpContext, 'FltAcknowledgeEcp');
    if (this.filterArg(Filter_, 'FltAcknowledgeEcp') && ecp !== null) ecp.acknowledged = true;
  }

  FltIsEcpAcknowledged(Filter_: unknown, EcpContext: unknown): number {
    this.k.checkIrql('FltIsEcpAcknowledged');
    const ecp = this.ecpArg(EcpContext, 'FltIsEcpAcknowledged');
    return this.filterArg(Filter_, 'FltIsEcpAcknowledged') && ecp !== null && ecp.acknowledged ? 1 : 0;
  }

  /** Parameters come from kernel-mode filters here: no user-mode program attaches ECPs. */
  FltIsEcpFromUserMode(Filter_: unknown, EcpContext: unknown): number {
    this.k.checkIrql('FltIsEcpFromUserMode');
    this.filterArg(Filter_, 'FltIsEcpFromUserMode');
    this.ecpArg(EcpContext, 'FltIsEcpFromUserMode');
    return 0;
  }

  // --- the mechanics ---

  private *freeEcp(ecp: Ecp): Co<void> {
    if (ecp.cleanup !== null) {
      const guid = this.k.marshal.space.pointer(this.k.marshal.space.allocate('engine', GUID_SIZE, { label: `ECP type ${guidText(ecp.type)}`, contents: ecp.type }));
      yield* this.k.callDriver(this.k.current, ecp.cleanup, nameOf(ecp.cleanup, 'EcpCleanup'), [ecp.block, guid]);
    }
    this.pool.free('FltFreeExtraCreateParameter', ecp.block);
  }

  private filterArg(v: unknown, routine: string): boolean {
    if (v instanceof Filter) return true;
    this.k.violation('bad-object', `${routine} needs the filter handle`);
    return false;
  }

  private listArg(v: unknown, routine: string): EcpList | null {
    if (v instanceof EcpList && !v.freed) return v;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs an ECP list from FltAllocateExtraCreateParameterList or a create${v instanceof EcpList ? ' (this one was freed)' : ''}`);
    return null;
  }

  private ecpArg(v: unknown, routine: string): Ecp | null {
    const ecp = v instanceof Ptr && v.alloc !== null && v.offset === 0 ? this.byBlock.get(v.alloc) : undefined;
    if (ecp !== undefined) return ecp;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a parameter from FltAllocateExtraCreateParameter`);
    return null;
  }
}

/** The 16 bytes of a GUID the driver points at (a GUID view, a pointer, or bytes from a test). */
function readGuid(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v.length === GUID_SIZE ? v : null;
  const p = v instanceof Ptr ? v : ((v as { $ptr?: Ptr } | null | undefined)?.$ptr ?? null);
  if (p === null) return null;
  const r = resolve(p, GUID_SIZE, 'reads');
  return r.alloc.readBytes(r.offset, GUID_SIZE);
}

function writeGuid(v: unknown, bytes: Uint8Array): void {
  if (v instanceof Uint8Array) {
    v.set(bytes);
    return;
  }
  const p = v instanceof Ptr ? v : ((v as { $ptr?: Ptr } | null | undefined)?.$ptr ?? null);
  const r = resolve(p, GUID_SIZE, 'writes');
  r.alloc.writeBytes(r.offset, bytes);
}

function sameGuid(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < GUID_SIZE; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `{c584edbf-00df-4d28-b884-35baca8911e8}` from the GUID's bytes (Data1-3 little-endian). */
export function guidText(g: Uint8Array): string {
  const h = (i: number) => g[i]!.toString(16).padStart(2, '0');
  const le = (from: number, n: number) => Array.from({ length: n }, (_, j) => h(from + n - 1 - j)).join('');
  const be = (from: number, n: number) => Array.from({ length: n }, (_, j) => h(from + j)).join('');
  return `{${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${be(8, 2)}-${be(10, 6)}}`;
}
