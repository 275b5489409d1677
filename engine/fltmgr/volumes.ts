/**
 * Volumes and instances as filters ask about them: names, properties, whether
 * the volume is writable and what file system it has, finding a volume by name, instance
 * information (their devices are volumeDevices.ts). Every answer comes from the volume the scenario declared (filesystem.ts's FsVolume).
 */
import { sizeOf } from '../c/types';
import { fillUnicodeString, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { writeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { writeChars } from '../memory/strings';
import { isView, type StructView } from '../memory/view';
import { FILE_DEVICE_CD_ROM_FILE_SYSTEM, FILE_DEVICE_DISK_FILE_SYSTEM, FILE_READ_ONLY_DEVICE, FILE_REMOVABLE_MEDIA } from './constants';
import { FS_DRIVER_NAME, SYSTEM_VOLUME_INFORMATION, type FsVolume } from './fsTree';
import type { FilterManager } from './fltmgr';
import { Filter, Instance, Volume } from './objects';
import { FileObject } from './structs';

/** FLT_VOLUME_PROPERTIES.Flags: FLT_VOLUME_PROPERTY_FLAG_SUPPORTS_STREAM_HANDLE_CONTEXTS (every file system here has them). */
const VOLUME_PROPERTY_FLAGS = 0x1;

export class VolumeRoutines {
  constructor(private readonly fm: FilterManager) {}

  /** `\Device\HarddiskVolume1`: the size it needs in *BufferSizeNeeded; STATUS_BUFFER_TOO_SMALL when VolumeName cannot hold it. */
  FltGetVolumeName(Volume_: unknown, VolumeName: unknown, BufferSizeNeeded: unknown): number {
    this.fm.k.checkIrql('FltGetVolumeName');
    const v = this.volumeArg(Volume_, 'FltGetVolumeName');
    if (v === null) return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(BufferSizeNeeded, 2 * v.name.length);
    if (VolumeName === null || VolumeName === undefined) return STATUS.STATUS_BUFFER_TOO_SMALL;
    return fillUnicodeString(VolumeName as UnicodeString, v.name) ? STATUS.STATUS_SUCCESS : STATUS.STATUS_BUFFER_TOO_SMALL;
  }

  /** A made-up but stable `\??\Volume{…}` name per volume, as the mount manager gives one. */
  FltGetVolumeGuidName(Volume_: unknown, VolumeGuidName: unknown, BufferSizeNeeded: unknown): number {
    this.fm.k.checkIrql('FltGetVolumeGuidName');
    const v = this.volumeArg(Volume_, 'FltGetVolumeGuidName');
    if (v === null) return STATUS.STATUS_INVALID_PARAMETER;
    const name = `\\??\\Volume{${(0x5eed0000 + v.id).toString(16).padStart(8, '0')}-0000-0000-0000-${v.id.toString(16).padStart(12, '0')}}`;
    writeOut(BufferSizeNeeded, 2 * name.length);
    if (VolumeGuidName === null || VolumeGuidName === undefined) return STATUS.STATUS_BUFFER_TOO_SMALL;
    return fillUnicodeString(VolumeGuidName as UnicodeString, name) ? STATUS.STATUS_SUCCESS : STATUS.STATUS_BUFFER_TOO_SMALL;
  }

  /**
   * FLT_VOLUME_PROPERTIES followed by the characters of its three names, in the caller's buffer;
   * *LengthReturned is the size all of it needs. A buffer that holds the structure but not every
   * name gets the names that fit and STATUS_BUFFER_OVERFLOW.
   */
  FltGetVolumeProperties(Volume_: unknown, VolumeProperties: unknown, VolumePropertiesLength: number, LengthReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetVolumeProperties');
    const v = this.volumeArg(Volume_, 'FltGetVolumeProperties');
    if (v === null) return STATUS.STATUS_INVALID_PARAMETER;
    const fsv = this.fs(v);
    const driver = FS_DRIVER_NAME[fsv.fileSystem];
    const names: [string, string][] = [['FileSystemDriverName', `\\FileSystem\\${driver}`], ['FileSystemDeviceName', `\\${driver}`], ['RealDeviceName', v.name]];
    const props = VolumeProperties as StructView;
    if (!isView(props)) {
      k.violation('null-param', 'FltGetVolumeProperties needs a buffer for the FLT_VOLUME_PROPERTIES');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const fixed = sizeOf(props.$type);
    writeOut(LengthReturned, fixed + names.reduce((n, [, t]) => n + 2 * t.length, 0));
    if (VolumePropertiesLength < fixed) return STATUS.STATUS_BUFFER_TOO_SMALL;
    props.DeviceType = this.deviceType(fsv);
    props.DeviceCharacteristics = this.characteristics(fsv);
    props.DeviceObjectFlags = 0;
    props.AlignmentRequirement = 0;
    props.SectorSize = fsv.sectorSize;
    props.Flags = VOLUME_PROPERTY_FLAGS;
    let at = fixed;
    let overflow = false;
    for (const [field, text] of names) {
      const us = props[field] as StructView;
      const bytes = 2 * text.length;
      if (at + bytes > VolumePropertiesLength) {
        overflow = true;
        us.Length = 0;
        us.MaximumLength = 0;
        us.Buffer = null;
        continue;
      }
      const p = k.memory.pointer(props.$alloc, props.$offset + at);
      writeChars(p, text, 2, false);
      us.Length = bytes;
      us.MaximumLength = bytes;
      us.Buffer = p;
      at += bytes;
    }
    return overflow ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS;
  }

  /** TRUE in *IsWritable unless the volume was declared readonly (or is a CD). */
  FltIsVolumeWritable(FltObject: unknown, IsWritable: unknown): number {
    this.fm.k.checkIrql('FltIsVolumeWritable');
    const v = this.volumeOf(FltObject, 'FltIsVolumeWritable');
    if (v === null) return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(IsWritable, this.fs(v).writable ? 1 : 0);
    return STATUS.STATUS_SUCCESS;
  }

  FltGetFileSystemType(FltObject: unknown, FileSystemType: unknown): number {
    this.fm.k.checkIrql('FltGetFileSystemType');
    const v = this.volumeOf(FltObject, 'FltGetFileSystemType');
    if (v === null) return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(FileSystemType, this.fs(v).fsType);
    return STATUS.STATUS_SUCCESS;
  }

  FltGetVolumeFromName(Filter_: unknown, VolumeName: unknown, RetVolume: unknown): number {
    this.fm.k.checkIrql('FltGetVolumeFromName');
    writeOut(RetVolume, null);
    if (!(Filter_ instanceof Filter)) {
      this.fm.k.violation('bad-object', 'FltGetVolumeFromName needs the filter from FltRegisterFilter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = unicodeStringText(VolumeName as UnicodeString).toLowerCase();
    const v = this.fm.volumes.find((x) => x.name.toLowerCase() === name);
    if (v === undefined) return STATUS.STATUS_FLT_VOLUME_NOT_FOUND;
    this.fm.objectRefs.take(v, 'FltGetVolumeFromName');
    writeOut(RetVolume, v);
    return STATUS.STATUS_SUCCESS;
  }

  FltGetVolumeFromFileObject(Filter_: unknown, FileObject_: unknown, RetVolume: unknown): number {
    this.fm.k.checkIrql('FltGetVolumeFromFileObject');
    writeOut(RetVolume, null);
    if (!(FileObject_ instanceof FileObject)) return STATUS.STATUS_INVALID_PARAMETER;
    const v = this.fm.volumes.find((x) => x.name === FileObject_.stream.volumeName);
    if (v === undefined) return STATUS.STATUS_FLT_VOLUME_NOT_FOUND;
    this.fm.objectRefs.take(v, 'FltGetVolumeFromFileObject');
    writeOut(RetVolume, v);
    return STATUS.STATUS_SUCCESS;
  }

  /** TRUE in *IsDirectory when the file object has a folder open. */
  FltIsDirectory(FileObject_: unknown, _Instance: unknown, IsDirectory: unknown): number {
    this.fm.k.checkIrql('FltIsDirectory');
    if (!(FileObject_ instanceof FileObject)) return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(IsDirectory, FileObject_.stream.node?.directory ? 1 : 0);
    return STATUS.STATUS_SUCCESS;
  }

  /** The System Volume Information folder: made if missing, as Windows does. */
  FltCreateSystemVolumeInformationFolder(Instance_: unknown): number {
    this.fm.k.checkIrql('FltCreateSystemVolumeInformationFolder');
    if (!(Instance_ instanceof Instance)) return STATUS.STATUS_INVALID_PARAMETER;
    const fsv = this.fs(Instance_.volume);
    if (!fsv.writable) return STATUS.STATUS_MEDIA_WRITE_PROTECTED;
    fsv.make(SYSTEM_VOLUME_INFORMATION, true, this.fm.fs.time());
    return STATUS.STATUS_SUCCESS;
  }

  private fs(v: Volume): FsVolume {
    return this.fm.fs.volume(v.name);
  }

  private deviceType(fsv: FsVolume): number {
    return fsv.fileSystem === 'cdfs' || fsv.fileSystem === 'udfs' ? FILE_DEVICE_CD_ROM_FILE_SYSTEM : FILE_DEVICE_DISK_FILE_SYSTEM;
  }

  private characteristics(fsv: FsVolume): number {
    return (fsv.removable ? FILE_REMOVABLE_MEDIA : 0) | (fsv.writable ? 0 : FILE_READ_ONLY_DEVICE);
  }

  private volumeArg(v: unknown, routine: string): Volume | null {
    if (v instanceof Volume) return v;
    this.fm.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a PFLT_VOLUME (FltObjects->Volume, FltGetVolumeFromInstance…)`);
    return null;
  }

  /** The volume of a PFLT_VOLUME or PFLT_INSTANCE (routines that take either). */
  private volumeOf(v: unknown, routine: string): Volume | null {
    if (v instanceof Instance) return v.volume;
    return this.volumeArg(v, routine);
  }
}
