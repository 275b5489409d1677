/**
 * Asking about filters, instances and volumes one at a time, by index, without references:
 * FltEnumerateFilterInformation and FltGetFilterInformation (FILTER_FULL, _AGGREGATE_BASIC and
 * _AGGREGATE_STANDARD_INFORMATION), FltEnumerateInstanceInformationBy{Filter, Volume, VolumeName,
 * DeviceObject} (INSTANCE_BASIC/PARTIAL/FULL_INFORMATION, as FltGetInstanceInformation gives them),
 * FltEnumerateVolumeInformation and FltGetVolumeInformation (FILTER_VOLUME_BASIC and
 * _STANDARD_INFORMATION). An index past the last object is STATUS_NO_MORE_ENTRIES; a buffer too
 * small for the entry gets nothing, STATUS_BUFFER_TOO_SMALL and the size it needs in
 * *BytesReturned. Names follow the fixed part, their offsets counted from the structure's start;
 * every filter here is a minifilter in frame 0 (fltsim models no legacy filters).
 */
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { DeviceObject } from '../kernel/deviceObject';
import { STATUS } from '../kernel/status';
import { answer, instanceInformation, miniFilterOffsets } from './enumerate';
import { layout, Out } from './fileinfo';
import type { FilterManager } from './fltmgr';
import { Filter, Instance, Volume } from './objects';
import type { VolumeDeviceRoutines } from './volumeDevices';

const FILTER_CLASS = { Full: 0, AggregateBasic: 1, AggregateStandard: 2 } as const;
const VOLUME_CLASS = { Basic: 0, Standard: 1 } as const;
const FLTFL_IASI_IS_MINIFILTER = 0x1;
const FLTFL_ASI_IS_MINIFILTER = 0x1;

export class EnumerationInfoRoutines {
  constructor(
    private readonly fm: FilterManager,
    private readonly devices: VolumeDeviceRoutines,
  ) {}

  /** The filters the enumerations list: registered, not unloading, highest altitude first. */
  private filters(): Filter[] {
    return this.fm.activeFilters().filter((f) => !f.deleting);
  }

  FltEnumerateFilterInformation(Index: number, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    this.fm.k.checkIrql('FltEnumerateFilterInformation');
    if (!this.needsReturned('FltEnumerateFilterInformation', BytesReturned)) return STATUS.STATUS_INVALID_PARAMETER;
    const f = this.filters()[Number(Index)];
    if (f === undefined) return STATUS.STATUS_NO_MORE_ENTRIES;
    return this.filterAnswer('FltEnumerateFilterInformation', f, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltGetFilterInformation(Filter_: unknown, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetFilterInformation');
    if (!(Filter_ instanceof Filter)) {
      k.violation(Filter_ === null || Filter_ === undefined ? 'null-param' : 'bad-object', 'FltGetFilterInformation needs a filter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!this.needsReturned('FltGetFilterInformation', BytesReturned)) return STATUS.STATUS_INVALID_PARAMETER;
    if (Filter_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    return this.filterAnswer('FltGetFilterInformation', Filter_, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltEnumerateInstanceInformationByFilter(Filter_: unknown, Index: number, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateInstanceInformationByFilter');
    if (!(Filter_ instanceof Filter)) {
      k.violation(Filter_ === null || Filter_ === undefined ? 'null-param' : 'bad-object', 'FltEnumerateInstanceInformationByFilter needs a filter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Filter_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    const list = this.fm.volumes.flatMap((v) => v.instances.filter((i) => i.filter === Filter_ && !i.deleting));
    return this.instanceAnswer('FltEnumerateInstanceInformationByFilter', list, Index, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltEnumerateInstanceInformationByVolume(Volume_: unknown, Index: number, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateInstanceInformationByVolume');
    if (!(Volume_ instanceof Volume)) {
      k.violation(Volume_ === null || Volume_ === undefined ? 'null-param' : 'bad-object', 'FltEnumerateInstanceInformationByVolume needs a volume');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.instanceAnswer('FltEnumerateInstanceInformationByVolume', this.instancesOn(Volume_), Index, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltEnumerateInstanceInformationByVolumeName(VolumeName: unknown, Index: number, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateInstanceInformationByVolumeName');
    if (VolumeName === null || VolumeName === undefined) {
      k.violation('null-param', 'FltEnumerateInstanceInformationByVolumeName needs the volume name as a UNICODE_STRING');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = unicodeStringText(k.marshal.deref<UnicodeString>(VolumeName, '_UNICODE_STRING')).toLowerCase();
    const v = this.fm.volumes.find((x) => x.name.toLowerCase() === name);
    if (v === undefined) return STATUS.STATUS_FLT_VOLUME_NOT_FOUND;
    return this.instanceAnswer('FltEnumerateInstanceInformationByVolumeName', this.instancesOn(v), Index, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltEnumerateInstanceInformationByDeviceObject(DeviceObject_: unknown, Index: number, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateInstanceInformationByDeviceObject');
    if (!(DeviceObject_ instanceof DeviceObject)) {
      k.violation(DeviceObject_ === null || DeviceObject_ === undefined ? 'null-param' : 'bad-object', 'FltEnumerateInstanceInformationByDeviceObject needs a device object');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    // Any device of a volume's stack names it: the storage device, the file system's or the Filter Manager's.
    const v = this.fm.volumes.find((x) => {
      const s = this.devices.stackOf(x);
      return s.storage === DeviceObject_ || s.fileSystem === DeviceObject_ || s.filterManager === DeviceObject_;
    });
    if (v === undefined) return STATUS.STATUS_FLT_VOLUME_NOT_FOUND;
    return this.instanceAnswer('FltEnumerateInstanceInformationByDeviceObject', this.instancesOn(v), Index, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltEnumerateVolumeInformation(Filter_: unknown, Index: number, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateVolumeInformation');
    if (!(Filter_ instanceof Filter)) {
      k.violation(Filter_ === null || Filter_ === undefined ? 'null-param' : 'bad-object', 'FltEnumerateVolumeInformation needs the filter from FltRegisterFilter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!this.needsReturned('FltEnumerateVolumeInformation', BytesReturned)) return STATUS.STATUS_INVALID_PARAMETER;
    const v = this.fm.volumes[Number(Index)];
    if (v === undefined) return STATUS.STATUS_NO_MORE_ENTRIES;
    return this.volumeAnswer('FltEnumerateVolumeInformation', v, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  FltGetVolumeInformation(Volume_: unknown, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetVolumeInformation');
    if (!(Volume_ instanceof Volume)) {
      k.violation(Volume_ === null || Volume_ === undefined ? 'null-param' : 'bad-object', 'FltGetVolumeInformation needs a volume');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!this.needsReturned('FltGetVolumeInformation', BytesReturned)) return STATUS.STATUS_INVALID_PARAMETER;
    return this.volumeAnswer('FltGetVolumeInformation', Volume_, InformationClass, Buffer, BufferSize, BytesReturned);
  }

  /** BytesReturned is required by every routine here. */
  private needsReturned(routine: string, returned: unknown): boolean {
    if (returned !== null && returned !== undefined) return true;
    this.fm.k.violation('null-param', `${routine} needs BytesReturned, where it says how many bytes the answer takes`);
    return false;
  }

  private instancesOn(v: Volume): Instance[] {
    return v.instances.filter((i) => !i.deleting);
  }

  private instanceAnswer(routine: string, list: readonly Instance[], index: number, cls: number, buffer: unknown, size: number, returned: unknown): number {
    if (!this.needsReturned(routine, returned)) return STATUS.STATUS_INVALID_PARAMETER;
    const inst = list[Number(index)];
    if (inst === undefined) return STATUS.STATUS_NO_MORE_ENTRIES;
    const bytes = instanceInformation(this.fm.k.marshal, inst, Number(cls), this.fm.fs.volume(inst.volume.name).fsType);
    if (bytes === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    return answer(this.fm.k, routine, bytes, buffer, size, returned);
  }

  private filterAnswer(routine: string, f: Filter, cls: number, buffer: unknown, size: number, returned: unknown): number {
    const m = this.fm.k.marshal;
    const name = f.module;
    const instances = this.fm.volumes.reduce((n, v) => n + v.instances.filter((i) => i.filter === f && !i.deleting).length, 0);
    let o: Out;
    switch (Number(cls)) {
      case FILTER_CLASS.Full: {
        const l = layout(m, '_FILTER_FULL_INFORMATION');
        const at = l.off('FilterNameBuffer');
        o = new Out(at + 2 * name.length);
        o.u32(l.off('FrameID'), 0);
        o.u32(l.off('NumberOfInstances'), instances);
        o.u16(l.off('FilterNameLength'), 2 * name.length);
        o.chars(at, name);
        break;
      }
      case FILTER_CLASS.AggregateBasic:
      case FILTER_CLASS.AggregateStandard: {
        const standard = Number(cls) === FILTER_CLASS.AggregateStandard;
        const l = layout(m, standard ? '_FILTER_AGGREGATE_STANDARD_INFORMATION' : '_FILTER_AGGREGATE_BASIC_INFORMATION');
        const off = miniFilterOffsets(l.st);
        o = new Out(l.size + 2 * (name.length + f.altitude.length));
        o.u32(l.off('Flags'), standard ? FLTFL_ASI_IS_MINIFILTER : FLTFL_IASI_IS_MINIFILTER);
        o.u32(off('FrameID'), 0);
        o.u32(off('NumberOfInstances'), instances);
        o.u16(off('FilterNameLength'), 2 * name.length);
        o.u16(off('FilterNameBufferOffset'), l.size);
        o.chars(l.size, name);
        o.u16(off('FilterAltitudeLength'), 2 * f.altitude.length);
        o.u16(off('FilterAltitudeBufferOffset'), l.size + 2 * name.length);
        o.chars(l.size + 2 * name.length, f.altitude);
        break;
      }
      default:
        return STATUS.STATUS_INVALID_PARAMETER;
    }
    return answer(this.fm.k, routine, o.bytes, buffer, size, returned);
  }

  private volumeAnswer(routine: string, v: Volume, cls: number, buffer: unknown, size: number, returned: unknown): number {
    const m = this.fm.k.marshal;
    const name = v.name;
    let o: Out;
    switch (Number(cls)) {
      case VOLUME_CLASS.Basic: {
        const l = layout(m, '_FILTER_VOLUME_BASIC_INFORMATION');
        const at = l.off('FilterVolumeName');
        o = new Out(at + 2 * name.length);
        o.u16(l.off('FilterVolumeNameLength'), 2 * name.length);
        o.chars(at, name);
        break;
      }
      case VOLUME_CLASS.Standard: {
        const l = layout(m, '_FILTER_VOLUME_STANDARD_INFORMATION');
        const at = l.off('FilterVolumeName');
        o = new Out(at + 2 * name.length);
        o.u32(l.off('FrameID'), 0);
        o.u32(l.off('FileSystemType'), this.fm.fs.volume(v.name).fsType);
        o.u16(l.off('FilterVolumeNameLength'), 2 * name.length);
        o.chars(at, name);
        break;
      }
      default:
        return STATUS.STATUS_INVALID_PARAMETER;
    }
    return answer(this.fm.k, routine, o.bytes, buffer, size, returned);
  }
}
