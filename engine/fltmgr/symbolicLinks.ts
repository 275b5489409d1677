/**
 * Symbolic link objects as drivers query them: ZwOpenSymbolicLinkObject opens a link by name and
 * ZwQuerySymbolicLinkObject copies its target into the caller's UNICODE_STRING. The links are the
 * ones a driver made (IoCreateSymbolicLink) and the drive letters of the scenario's volumes:
 * `\??\C:` (also `\DosDevices\C:`, `\GLOBAL??\C:`) names the first volume, `D:` the second, and so
 * on, as IoVolumeDeviceToDosName answers the other way round; `\SystemRoot` names the Windows
 * folder of the first volume (dosNames.ts).
 */
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { DeviceRoutines } from '../kernel/devices';
import { KHandle, writeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { writeChars } from '../memory/strings';
import type { PointerValue } from '../memory/allocation';
import type { FilterManager } from './fltmgr';
import { dosDrive } from './dosNames';


/** An open symbolic link: what ZwQuerySymbolicLinkObject reads. */
export class SymbolicLink {
  constructor(
    readonly name: string,
    readonly target: string,
  ) {}
}

export class SymbolicLinkRoutines {
  constructor(
    private readonly fm: FilterManager,
    private readonly devices: DeviceRoutines,
  ) {}

  /** The target of link `name`, or undefined when no such link exists. */
  resolve(name: string): string | undefined {
    const own = this.devices.linkTarget(name);
    if (own !== undefined) return own;
    const drive = dosDrive(name);
    // A drive letter itself, or \SystemRoot itself (a link to a folder); not a name below either.
    if (drive === undefined || drive.rest !== '' && !/^\\SystemRoot$/i.test(name)) return undefined;
    const volume = this.fm.volumes[drive.index]?.name;
    return volume === undefined ? undefined : volume + drive.rest;
  }

  ZwOpenSymbolicLinkObject(LinkHandle: unknown, _DesiredAccess: number, ObjectAttributes: unknown): number {
    const k = this.fm.k;
    k.checkIrql('ZwOpenSymbolicLinkObject');
    const oa = ObjectAttributes as { ObjectName?: unknown } | null;
    if (LinkHandle === null || LinkHandle === undefined) {
      k.violation('null-param', 'ZwOpenSymbolicLinkObject needs a place to return the handle');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!oa || !oa.ObjectName) {
      k.violation('null-param', 'ZwOpenSymbolicLinkObject needs OBJECT_ATTRIBUTES with an ObjectName');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = unicodeStringText(k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING'));
    const target = this.resolve(name);
    if (target === undefined) return STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
    const handle = new KHandle(new SymbolicLink(name, target), `symbolic link ${name}`, k.current.process);
    k.handles.record(handle, 'ZwOpenSymbolicLinkObject', k.current);
    writeOut(LinkHandle, handle);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * Copies the target into LinkTarget->Buffer (MaximumLength bytes) and sets Length; a buffer too
   * small gives STATUS_BUFFER_TOO_SMALL with the bytes needed in *ReturnedLength.
   */
  ZwQuerySymbolicLinkObject(LinkHandle: unknown, LinkTarget: unknown, ReturnedLength: unknown): number {
    const k = this.fm.k;
    k.checkIrql('ZwQuerySymbolicLinkObject');
    if (!(LinkHandle instanceof KHandle) || LinkHandle.closed || !(LinkHandle.object instanceof SymbolicLink)) {
      k.violation('bad-object', 'ZwQuerySymbolicLinkObject needs a handle from ZwOpenSymbolicLinkObject that is still open');
      return STATUS.STATUS_INVALID_HANDLE;
    }
    const us = LinkTarget as (UnicodeString & { MaximumLength: number; Length: number; Buffer: unknown }) | null;
    if (us === null || us === undefined) {
      k.violation('null-param', 'ZwQuerySymbolicLinkObject needs a UNICODE_STRING for the target');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const text = LinkHandle.object.target;
    const needed = 2 * text.length;
    const max = Number(us.MaximumLength);
    if (max < needed) {
      if (ReturnedLength !== null && ReturnedLength !== undefined) writeOut(ReturnedLength, needed);
      return STATUS.STATUS_BUFFER_TOO_SMALL;
    }
    const terminate = max >= needed + 2;
    writeChars(us.Buffer as PointerValue, text, 2, terminate);
    us.Length = needed;
    if (ReturnedLength !== null && ReturnedLength !== undefined) writeOut(ReturnedLength, terminate ? needed + 2 : needed);
    return STATUS.STATUS_SUCCESS;
  }
}
