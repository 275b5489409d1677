/**
 * The smaller Filter Manager routines: the dirty flag, synchronous-ness, rundown references on
 * filter, instance and volume objects, user buffer locking, MDLs, and requestor queries.
 */
import { Ref } from '../kernel/cvalues';
import { EngineStruct, mirrorFields } from '../kernel/marshal';
import type { Kernel } from '../kernel/kernel';
import { writeOut } from '../kernel/objects';
import { ntSuccess, STATUS } from '../kernel/status';
import { KThread } from '../kernel/thread';
import { SYSTEM_PROCESS } from '../kernel/threads';
import { callbackDataArg, callbackDataId, FltCallbackData } from './callbackData';
import { FLTFL_CALLBACK_DATA, IRP_FLAGS, IRP_MJ } from './constants';
import { Filter, Instance, isFltObject, Volume } from './objects';
import type { FltObjectReferences } from './objectRefs';
import { FileObject, type ReadWriteParameters } from './structs';

/** MDL: C reads its fields (`Mdl->Next`, `MmGetMdlByteCount`), so it is laid out when C needs it. */
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

  constructor(va: unknown, length: number, flags: number) {
    super();
    this.js = { Next: null, Size: 0x30, MdlFlags: flags, MappedSystemVa: va instanceof Ref ? va : null, StartVa: va, ByteCount: length, ByteOffset: 0 };
  }
}
mirrorFields(Mdl, ['Next', 'Size', 'MdlFlags', 'MappedSystemVa', 'StartVa', 'ByteCount', 'ByteOffset']);

const FO_FILE_OPEN_CANCELLED = 0x00200000;
const MDL_MAPPED_TO_SYSTEM_VA = 0x1;
const MDL_PAGES_LOCKED = 0x2;
const MDL_SOURCE_IS_NONPAGED_POOL = 0x4;

/** Majors for which FltLockUserBuffer has a buffer to lock. */
const LOCKABLE = new Set<number>([
  IRP_MJ.DEVICE_CONTROL, IRP_MJ.DIRECTORY_CONTROL, IRP_MJ.FILE_SYSTEM_CONTROL, IRP_MJ.INTERNAL_DEVICE_CONTROL,
  IRP_MJ.QUERY_EA, IRP_MJ.QUERY_QUOTA, IRP_MJ.QUERY_SECURITY, IRP_MJ.READ, IRP_MJ.WRITE, IRP_MJ.SET_EA, IRP_MJ.SET_QUOTA,
]);
const IRP_MN_MDL = 0x2;

export class MiscRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly refs: FltObjectReferences,
  ) {}

  FltSetCallbackDataDirty(Data: unknown): void {
    const d = callbackDataArg(this.k, Data, 'FltSetCallbackDataDirty');
    if (d) d.Flags |= FLTFL_CALLBACK_DATA.DIRTY;
  }

  FltClearCallbackDataDirty(Data: unknown): void {
    const d = callbackDataArg(this.k, Data, 'FltClearCallbackDataDirty');
    if (d) d.Flags = (d.Flags & ~FLTFL_CALLBACK_DATA.DIRTY) >>> 0;
  }

  FltIsCallbackDataDirty(Data: unknown): number {
    const d = callbackDataArg(this.k, Data, 'FltIsCallbackDataDirty');
    return d !== null && (d.Flags & FLTFL_CALLBACK_DATA.DIRTY) !== 0 ? 1 : 0;
  }

  /** TRUE for fast I/O, synchronous IRPs and synchronous file objects. */
  FltIsOperationSynchronous(CallbackData: unknown): number {
    const d = callbackDataArg(this.k, CallbackData, 'FltIsOperationSynchronous');
    if (d === null) return 0;
    return d.isFastIo || d.request.synchronous || (d.Iopb.IrpFlags & IRP_FLAGS.IRP_SYNCHRONOUS_API) !== 0 ? 1 : 0;
  }

  /** Takes a rundown reference; fails with STATUS_FLT_DELETING_OBJECT while the object is torn down. */
  FltObjectReference(FltObject: unknown): number {
    this.k.checkIrql('FltObjectReference');
    return this.reference(FltObject, 'FltObjectReference');
  }

  /** A reference for the driver, recorded as taken by `routine` at the current C line. */
  reference(FltObject: unknown, routine: string): number {
    const k = this.k;
    if (FltObject instanceof Filter) {
      if (FltObject.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
      FltObject.rundown.acquire();
      FltObject.explicitRefs++;
    } else if (FltObject instanceof Instance) {
      if (FltObject.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
      FltObject.rundown.acquire();
    } else if (!(FltObject instanceof Volume)) {
      k.violation('bad-object', `${routine} needs a filter, instance or volume`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    this.refs.take(FltObject, routine);
    return STATUS.STATUS_SUCCESS;
  }

  FltObjectDereference(FltObject: unknown): void {
    const k = this.k;
    k.checkIrql('FltObjectDereference');
    if (!isFltObject(FltObject)) {
      k.violation('bad-object', 'FltObjectDereference needs a filter, instance or volume');
      return;
    }
    if (!this.refs.give(FltObject)) {
      k.violation('bad-object', `FltObjectDereference on ${FltObject instanceof Volume ? FltObject.toString() : FltObject.name} without a reference to drop (no FltObjectReference, enumeration or FltGet…From… gave the driver one it still holds)`);
      return;
    }
    if (FltObject instanceof Filter) {
      FltObject.explicitRefs--;
      FltObject.rundown.release(k);
    } else if (FltObject instanceof Instance) FltObject.rundown.release(k);
  }

  /** The instance's filter, with a rundown reference the caller drops with FltObjectDereference. */
  FltGetFilterFromInstance(Instance_: unknown, RetFilter: unknown): number {
    this.k.checkIrql('FltGetFilterFromInstance');
    writeOut(RetFilter, null);
    if (!(Instance_ instanceof Instance)) {
      this.k.violation('bad-object', 'FltGetFilterFromInstance needs an instance');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const st = this.reference(Instance_.filter, 'FltGetFilterFromInstance');
    if (st === STATUS.STATUS_SUCCESS) writeOut(RetFilter, Instance_.filter);
    return st;
  }

  FltGetVolumeFromInstance(Instance_: unknown, RetVolume: unknown): number {
    this.k.checkIrql('FltGetVolumeFromInstance');
    writeOut(RetVolume, null);
    if (!(Instance_ instanceof Instance)) {
      this.k.violation('bad-object', 'FltGetVolumeFromInstance needs an instance');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    this.refs.take(Instance_.volume, 'FltGetVolumeFromInstance');
    writeOut(RetVolume, Instance_.volume);
    return STATUS.STATUS_SUCCESS;
  }

  /** The process of the thread that issued the operation. */
  FltGetRequestorProcess(CallbackData: unknown): object {
    this.k.checkIrql('FltGetRequestorProcess');
    const d = callbackDataArg(this.k, CallbackData, 'FltGetRequestorProcess');
    const t = d?.Thread;
    return t instanceof KThread ? (t.process ?? SYSTEM_PROCESS) : SYSTEM_PROCESS;
  }

  FltGetRequestorProcessId(CallbackData: unknown): number {
    this.k.checkIrql('FltGetRequestorProcessId');
    return (this.FltGetRequestorProcess(CallbackData) as { id: number }).id;
  }

  /**
   * Undoes a create that succeeded, from its post-create callback: the file object is marked
   * FO_FILE_OPEN_CANCELLED and the file system closes it. The filter then fails the create itself.
   */
  FltCancelFileOpen(Instance_: unknown, FileObject_: unknown): void {
    const k = this.k;
    k.checkIrql('FltCancelFileOpen');
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) {
      k.violation('bad-object', 'FltCancelFileOpen needs the instance and the file object of the create');
      return;
    }
    const scope = k.current.scope;
    const d = scope?.data;
    if (scope === null || scope.role === 'pre' || !(d instanceof FltCallbackData) || d.major !== IRP_MJ.CREATE || d.fileObject !== FileObject_) {
      k.violation('invalid-parameter', 'FltCancelFileOpen may only undo the create whose post-operation callback is running (call it from the post-create callback, before it returns)');
      return;
    }
    if (!ntSuccess(d.IoStatus.Status >>> 0)) {
      k.violation('invalid-parameter', `FltCancelFileOpen on ${d.label}, whose create did not succeed: there is no open to undo`);
      return;
    }
    FileObject_.Flags = (FileObject_.Flags | FO_FILE_OPEN_CANCELLED) >>> 0;
    k.emit('fs', d.id, `${d.label}: the open of ${FileObject_.stream.path} is cancelled by ${Instance_.filter.name}; the file system closes it`);
  }

  /** Creates an MDL for the operation's buffer (Iopb->Parameters.*.MdlAddress). */
  FltLockUserBuffer(CallbackData: unknown): number {
    const k = this.k;
    k.checkIrql('FltLockUserBuffer', undefined, 'lock-user-buffer', callbackDataId(CallbackData));
    const d = callbackDataArg(this.k, CallbackData, 'FltLockUserBuffer');
    if (d === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (!LOCKABLE.has(d.major) || ((d.major === IRP_MJ.READ || d.major === IRP_MJ.WRITE) && (d.Iopb.MinorFunction & IRP_MN_MDL) !== 0)) {
      k.violation('lock-user-buffer', `FltLockUserBuffer for ${d.label}: this operation has no user buffer it can lock`, d.id);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (d.major === IRP_MJ.READ || d.major === IRP_MJ.WRITE) {
      const rw = d.Iopb.Parameters.Read as ReadWriteParameters;
      if (rw.MdlAddress === null) rw.MdlAddress = this.mdl(rw.ReadBuffer, rw.Length, MDL_PAGES_LOCKED);
    }
    return STATUS.STATUS_SUCCESS;
  }

  IoAllocateMdl(VirtualAddress: unknown, Length: number, _SecondaryBuffer: unknown, _ChargeQuota: unknown, _Irp: unknown): Mdl {
    this.k.checkIrql('IoAllocateMdl');
    return this.mdl(VirtualAddress, Length, 0);
  }

  IoFreeMdl(_Mdl: unknown): void {
    this.k.checkIrql('IoFreeMdl');
  }

  MmBuildMdlForNonPagedPool(MemoryDescriptorList: Mdl): void {
    this.k.checkIrql('MmBuildMdlForNonPagedPool');
    if (MemoryDescriptorList) {
      MemoryDescriptorList.MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL | MDL_MAPPED_TO_SYSTEM_VA;
      MemoryDescriptorList.MappedSystemVa = MemoryDescriptorList.StartVa;
    }
  }

  MmGetSystemAddressForMdlSafe(Mdl_: Mdl | null, _Priority: number): unknown {
    this.k.checkIrql('MmGetSystemAddressForMdlSafe');
    if (!Mdl_) {
      this.k.violation('null-param', 'MmGetSystemAddressForMdlSafe(NULL)');
      return null;
    }
    Mdl_.MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
    Mdl_.MappedSystemVa ??= Mdl_.StartVa;
    return Mdl_.MappedSystemVa;
  }

  MmGetMdlByteCount(Mdl_: Mdl): number {
    return Mdl_?.ByteCount ?? 0;
  }

  MmGetMdlVirtualAddress(Mdl_: Mdl): unknown {
    return Mdl_?.StartVa ?? null;
  }

  private mdl(va: unknown, length: number, flags: number): Mdl {
    return new Mdl(va, length, flags);
  }
}
