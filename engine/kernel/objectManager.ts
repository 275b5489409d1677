/**
 * The object manager's side of kernel objects: references and handles.
 *
 * Objects that count references (devices, sections) carry a `ReferenceCount`. Every routine that
 * hands a driver a referenced object (IoGetAttachedDeviceReference, FltGetDiskDeviceObject,
 * FltCreateSectionForDataScan's SectionObject, ObReferenceObject…) records the reference with the
 * C line that took it; ObDereferenceObject gives one back. Giving back more than was taken is
 * `ob-over-release`; a reference still held when the run ends is `ob-ref-leak`, reported at the
 * line that took it. Objects without a count (thread objects, file objects) are not checked.
 *
 * Handles (`KHandle`) name an object for ZwClose/NtClose; ObOpenObjectByPointer makes one for an
 * object the driver holds, ObReferenceObjectByHandle turns one back into the object.
 */
import { callSite, type Kernel } from './kernel';
import { isReferenced, type ReferenceCount, type Referenced } from './referenceCount';
import { KHandle, writeOut } from './objects';
import { STATUS } from './status';
import type { Co } from './coroutine';

/** OBJ_KERNEL_HANDLE: the handle belongs to the System process, whatever process the caller runs in. */
export const OBJ_KERNEL_HANDLE = 0x200;

export { ReferenceCount, isReferenced, type Referenced } from './referenceCount';

export class ObjectManagerRoutines {
  /** Objects a reference was ever taken on, for the end-of-run check. */
  private readonly counted = new Set<ReferenceCount>();

  constructor(private readonly k: Kernel) {}

  /** The caller now holds a reference on `obj`, taken by `routine` at the current C line. */
  take(obj: Referenced, routine: string): void {
    obj.refs.held.push({ routine, site: callSite(this.k.current) });
    this.counted.add(obj.refs);
  }

  /** Gives back the newest reference taken in the calling function (else the newest); false when none is held. */
  give(obj: Referenced): boolean {
    const held = obj.refs.held;
    if (held.length === 0) return false;
    const fn = callSite(this.k.current)?.function;
    let i = held.length - 1;
    for (let j = i; j >= 0; j--) {
      if (held[j]!.site?.function === fn) {
        i = j;
        break;
      }
    }
    held.splice(i, 1);
    return true;
  }

  ObReferenceObject(Object_: unknown): void {
    this.reference(Object_, 'ObReferenceObject');
  }

  /** The tag only marks the reference for !obtrace; the count is ObReferenceObject's. */
  ObReferenceObjectWithTag(Object_: unknown, _Tag: number): void {
    this.reference(Object_, 'ObReferenceObjectWithTag');
  }

  ObDereferenceObject(Object_: unknown): void {
    this.dereference(Object_, 'ObDereferenceObject');
  }

  ObDereferenceObjectWithTag(Object_: unknown, _Tag: number): void {
    this.dereference(Object_, 'ObDereferenceObjectWithTag');
  }

  /**
   * As ObDereferenceObject; Windows hands the deletion of an object whose count reaches zero to a
   * worker thread. fltsim deletes no object when a driver's reference goes, so the two agree.
   */
  ObDereferenceObjectDeferDelete(Object_: unknown): void {
    this.dereference(Object_, 'ObDereferenceObjectDeferDelete');
  }

  ObDereferenceObjectDeferDeleteWithTag(Object_: unknown, _Tag: number): void {
    this.dereference(Object_, 'ObDereferenceObjectDeferDeleteWithTag');
  }

  private reference(Object_: unknown, routine: string): void {
    const k = this.k;
    k.checkIrql(routine);
    if (Object_ === null || Object_ === undefined) {
      k.violation('null-param', `${routine} needs an object`);
      return;
    }
    if (isReferenced(Object_)) this.take(Object_, routine);
  }

  private dereference(Object_: unknown, routine: string): void {
    const k = this.k;
    k.checkIrql(routine);
    if (Object_ === null || Object_ === undefined) {
      k.violation('null-param', `${routine} needs an object`);
      return;
    }
    if (isReferenced(Object_) && !this.give(Object_)) {
      k.violation('ob-over-release', `${routine} on ${Object_.refs.label}, but the driver holds no reference to it (it was dereferenced more often than referenced)`);
    }
  }

  ObReferenceObjectByHandle(Handle: unknown, _DesiredAccess: number, _ObjectType: unknown, _AccessMode: number, Object_: unknown, _HandleInformation: unknown): number {
    this.k.checkIrql('ObReferenceObjectByHandle');
    writeOut(Object_, null);
    if (!(Handle instanceof KHandle) || Handle.closed) return STATUS.STATUS_INVALID_HANDLE;
    if (isReferenced(Handle.object)) this.take(Handle.object, 'ObReferenceObjectByHandle');
    writeOut(Object_, Handle.object);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * A handle to an object the caller holds: a kernel handle with OBJ_KERNEL_HANDLE, else one in the
   * process the caller runs in (the user program's, in a message callback).
   */
  ObOpenObjectByPointer(Object_: unknown, HandleAttributes: number, _PassedAccessState: unknown, _DesiredAccess: number, _ObjectType: unknown, _AccessMode: number, Handle: unknown): number {
    const k = this.k;
    k.checkIrql('ObOpenObjectByPointer');
    writeOut(Handle, null);
    if (Object_ === null || Object_ === undefined || typeof Object_ !== 'object') {
      k.violation('null-param', 'ObOpenObjectByPointer needs the object to open a handle to');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Handle === null || Handle === undefined) {
      k.violation('null-param', 'ObOpenObjectByPointer needs a place to return the handle');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const label = (Object_ as { label?: unknown }).label;
    const process = (Number(HandleAttributes) & OBJ_KERNEL_HANDLE) !== 0 ? null : k.current.process;
    const handle = new KHandle(Object_, typeof label === 'string' ? label : 'object', process);
    k.handles.record(handle, 'ObOpenObjectByPointer', k.current);
    writeOut(Handle, handle);
    return STATUS.STATUS_SUCCESS;
  }

  /** Closes a handle; a file handle's cleanup and close go down the stack before it returns (then the result is a coroutine). */
  ZwClose(Handle: unknown): number | Co<number> {
    this.k.checkIrql('ZwClose');
    return this.close(Handle);
  }

  /** NtClose: as ZwClose, with the caller's previous mode (drivers call it to close a user-mode handle). */
  NtClose(Handle: unknown): number | Co<number> {
    this.k.checkIrql('NtClose');
    return this.close(Handle);
  }

  private close(Handle: unknown): number | Co<number> {
    if (!(Handle instanceof KHandle) || Handle.closed) return STATUS.STATUS_INVALID_HANDLE;
    Handle.closed = true;
    Handle.onClose?.();
    return Handle.closeIo === undefined ? STATUS.STATUS_SUCCESS : closing(Handle.closeIo);
  }

  /** End of run: every reference a driver still holds, at the line that took it. */
  endChecks(): void {
    const k = this.k;
    for (const count of this.counted) {
      for (const h of count.held) {
        const where = h.site ? ` in ${h.site.function}` : '';
        k.violation('ob-ref-leak', `the reference to ${count.label} from ${h.routine}${where} is never given back with ObDereferenceObject`, 0, k.outside, h.site?.location);
      }
    }
  }
}

function* closing(io: () => Co<void>): Co<number> {
  yield* io();
  return STATUS.STATUS_SUCCESS;
}
