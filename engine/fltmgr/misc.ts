/**
 * The smaller Filter Manager routines: the dirty flag, synchronous-ness, rundown references on
 * filter, instance and volume objects, user buffer locking, MDLs, and requestor queries.
 */
import type { Kernel } from '../kernel/kernel';
import type { MdlRoutines } from '../kernel/mdl';
import { writeOut } from '../kernel/objects';
import { ntSuccess, STATUS } from '../kernel/status';
import { KThread } from '../kernel/thread';
import type { KProcess } from '../kernel/processes';
import { callbackDataArg, callbackDataId, FltCallbackData } from './callbackData';
import { FLTFL_CALLBACK_DATA, IRP_FLAGS, IRP_MJ } from './constants';
import { Filter, Instance, isFltObject, Volume } from './objects';
import type { FltObjectReferences } from './objectRefs';
import { FileObject, type ControlParameters, type ReadWriteParameters } from './structs';

const FO_FILE_OPEN_CANCELLED = 0x00200000;

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
    private readonly mdls: MdlRoutines,
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
  FltGetRequestorProcess(CallbackData: unknown): KProcess {
    this.k.checkIrql('FltGetRequestorProcess');
    const d = callbackDataArg(this.k, CallbackData, 'FltGetRequestorProcess');
    const t = d?.Thread;
    return t instanceof KThread ? this.k.processOf(t) : this.k.processes.system;
  }

  FltGetRequestorProcessId(CallbackData: unknown): number {
    this.k.checkIrql('FltGetRequestorProcessId');
    return this.FltGetRequestorProcess(CallbackData).id;
  }

  /** The same id as a HANDLE: ids above 32 bits fit it, which FltGetRequestorProcessId's ULONG does not promise. */
  FltGetRequestorProcessIdEx(CallbackData: unknown): number {
    this.k.checkIrql('FltGetRequestorProcessIdEx');
    return this.FltGetRequestorProcess(CallbackData).id;
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
    // The MDL goes where the major's parameters keep it; the buffer it describes stays the one C sees.
    const p = d.Iopb.Parameters as Record<string, Record<string, unknown> | undefined>;
    if (d.major === IRP_MJ.READ || d.major === IRP_MJ.WRITE) {
      const rw = p.Read as unknown as ReadWriteParameters;
      if (rw.MdlAddress === null) rw.MdlAddress = this.mdls.systemMdl(rw.ReadBuffer, rw.Length);
    } else if (d.major === IRP_MJ.DIRECTORY_CONTROL) {
      const dc = p.DirectoryControl;
      const q = (dc?.QueryDirectory ?? dc?.NotifyDirectory) as { Length: number; DirectoryBuffer: unknown; MdlAddress: unknown } | undefined;
      if (q !== undefined && q.MdlAddress === null) q.MdlAddress = this.mdls.systemMdl(q.DirectoryBuffer, q.Length);
    } else if (d.major === IRP_MJ.FILE_SYSTEM_CONTROL || d.major === IRP_MJ.DEVICE_CONTROL || d.major === IRP_MJ.INTERNAL_DEVICE_CONTROL) {
      const c = (p.FileSystemControl ?? p.DeviceIoControl)?.Neither as ControlParameters | undefined;
      if (c !== undefined && c.OutputMdlAddress === null && c.OutputBufferLength > 0) c.OutputMdlAddress = this.mdls.systemMdl(c.OutputBuffer, c.OutputBufferLength);
    }
    return STATUS.STATUS_SUCCESS;
  }
}
