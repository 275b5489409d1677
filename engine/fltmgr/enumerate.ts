/**
 * Finding filter objects and asking about them: FltEnumerateFilters, FltEnumerateInstances,
 * FltEnumerateVolumes, FltGetFilterFromName and FltGetInstanceInformation. Every object an
 * enumeration or lookup hands out carries a reference the caller drops with FltObjectDereference
 * (misc.ts counts them: a filter or instance reference never dropped keeps its unload waiting).
 * A list too short for every object gets none of them, STATUS_BUFFER_TOO_SMALL, and the count it
 * needs.
 */
import { sizeOf, type StructType } from '../c/types';
import { fieldPlaces } from '../memory/typed';
import { writeBuffer } from '../kernel/buffers';
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { Kernel } from '../kernel/kernel';
import type { Marshal } from '../kernel/marshal';
import { writeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { Cell } from '../memory/view';
import { layout, Out } from './fileinfo';
import type { FilterManager } from './fltmgr';
import type { MiscRoutines } from './misc';
import { Filter, Instance, Volume } from './objects';

/** INSTANCE_INFORMATION_CLASS values and the structure each answers with. */
const INSTANCE_CLASS: Readonly<Record<number, string>> = {
  0: '_INSTANCE_BASIC_INFORMATION',
  1: '_INSTANCE_PARTIAL_INFORMATION',
  2: '_INSTANCE_FULL_INFORMATION',
};

/** InstanceAggregateStandardInformation, and the flag its minifilter entries carry. */
const INSTANCE_AGGREGATE_STANDARD = 3;
const FLTFL_IASI_IS_MINIFILTER = 0x1;

/** The instance's name, as the filter's INF names its default instance. */
export function instanceName(inst: Instance): string {
  return `${inst.filter.module} Instance`;
}

export class EnumerationRoutines {
  constructor(
    private readonly fm: FilterManager,
    private readonly misc: MiscRoutines,
  ) {}

  /** Every registered filter, highest altitude first, each referenced. */
  FltEnumerateFilters(FilterList: unknown, FilterListSize: number, NumberFiltersReturned: unknown): number {
    this.fm.k.checkIrql('FltEnumerateFilters');
    return this.handOut('FltEnumerateFilters', this.fm.activeFilters().filter((f) => !f.deleting), FilterList, FilterListSize, NumberFiltersReturned);
  }

  /** The instances on `Volume` (every volume when NULL) of `Filter` (every filter when NULL), each referenced. */
  FltEnumerateInstances(Volume_: unknown, Filter_: unknown, InstanceList: unknown, InstanceListSize: number, NumberInstancesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateInstances');
    if (Volume_ !== null && Volume_ !== undefined && !(Volume_ instanceof Volume)) {
      k.violation('bad-object', 'FltEnumerateInstances needs a volume (or NULL for every volume)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Filter_ !== null && Filter_ !== undefined && !(Filter_ instanceof Filter)) {
      k.violation('bad-object', 'FltEnumerateInstances needs a filter (or NULL for every filter)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const volumes = Volume_ instanceof Volume ? [Volume_] : this.fm.volumes;
    const list = volumes.flatMap((v) => v.instances.filter((i) => !i.deleting && (!(Filter_ instanceof Filter) || i.filter === Filter_)));
    return this.handOut('FltEnumerateInstances', list, InstanceList, InstanceListSize, NumberInstancesReturned);
  }

  /** Every volume the Filter Manager knows, each referenced. */
  FltEnumerateVolumes(Filter_: unknown, VolumeList: unknown, VolumeListSize: number, NumberVolumesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltEnumerateVolumes');
    if (!(Filter_ instanceof Filter)) {
      k.violation(Filter_ === null || Filter_ === undefined ? 'null-param' : 'bad-object', 'FltEnumerateVolumes needs the filter from FltRegisterFilter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.handOut('FltEnumerateVolumes', this.fm.volumes, VolumeList, VolumeListSize, NumberVolumesReturned);
  }

  /** The registered filter named `FilterName` (its driver's name, any case), referenced; STATUS_FLT_FILTER_NOT_FOUND otherwise. */
  FltGetFilterFromName(FilterName: unknown, RetFilter: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetFilterFromName');
    writeOut(RetFilter, null);
    if (FilterName === null || FilterName === undefined) {
      k.violation('null-param', 'FltGetFilterFromName needs the filter name as a UNICODE_STRING');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = unicodeStringText(k.marshal.deref<UnicodeString>(FilterName, '_UNICODE_STRING')).toLowerCase();
    const f = this.fm.activeFilters().find((x) => x.module.toLowerCase() === name && !x.deleting);
    if (f === undefined) return STATUS.STATUS_FLT_FILTER_NOT_FOUND;
    const st = this.misc.reference(f, 'FltGetFilterFromName');
    if (st === STATUS.STATUS_SUCCESS) writeOut(RetFilter, f);
    return st;
  }

  /**
   * The instance on `Volume` named `InstanceName` (any case), of `Filter` when one is given; with no
   * name, the first such instance (highest altitude). Referenced: drop it with FltObjectDereference.
   */
  FltGetVolumeInstanceFromName(Filter_: unknown, Volume_: unknown, InstanceName: unknown, RetInstance: unknown): number {
    const k = this.fm.k;
    const routine = 'FltGetVolumeInstanceFromName';
    k.checkIrql(routine);
    writeOut(RetInstance, null);
    if (Filter_ !== null && Filter_ !== undefined && !(Filter_ instanceof Filter)) {
      k.violation('bad-object', `${routine} needs the filter from FltRegisterFilter (or NULL for any filter)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!(Volume_ instanceof Volume) || RetInstance === null || RetInstance === undefined) {
      k.violation(Volume_ === null || Volume_ === undefined || RetInstance === null || RetInstance === undefined ? 'null-param' : 'bad-object', `${routine} needs ${Volume_ instanceof Volume ? 'a place to return the instance' : 'a volume (FltEnumerateVolumes, FltGetVolumeFromName…)'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = InstanceName === null || InstanceName === undefined ? undefined : unicodeStringText(k.marshal.deref<UnicodeString>(InstanceName, '_UNICODE_STRING')).toLowerCase();
    const inst = Volume_.instances.find((i) => !i.deleting && (!(Filter_ instanceof Filter) || i.filter === Filter_) && (name === undefined || instanceName(i).toLowerCase() === name));
    if (inst === undefined) return STATUS.STATUS_FLT_INSTANCE_NOT_FOUND;
    const st = this.misc.reference(inst, routine);
    if (st === STATUS.STATUS_SUCCESS) writeOut(RetInstance, inst);
    return st;
  }

  /** The instance described (instanceInformation); a buffer too small gets STATUS_BUFFER_TOO_SMALL and the size it needs. */
  FltGetInstanceInformation(Instance_: unknown, InformationClass: number, Buffer: unknown, BufferSize: number, BytesReturned: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetInstanceInformation');
    writeOut(BytesReturned, 0);
    if (!(Instance_ instanceof Instance)) {
      k.violation(Instance_ === null || Instance_ === undefined ? 'null-param' : 'bad-object', 'FltGetInstanceInformation needs an instance');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const bytes = instanceInformation(k.marshal, Instance_, Number(InformationClass), this.fm.fs.volume(Instance_.volume.name).fsType);
    if (bytes === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    return answer(k, 'FltGetInstanceInformation', bytes, Buffer, BufferSize, BytesReturned);
  }

  /** Writes `list` into the caller's array, each element referenced, or the count it needs. */
  private handOut(routine: string, list: readonly (Filter | Instance | Volume)[], out: unknown, size: number, returned: unknown): number {
    const k = this.fm.k;
    writeOut(returned, list.length);
    if (size < list.length) return STATUS.STATUS_BUFFER_TOO_SMALL;
    if (list.length === 0) return STATUS.STATUS_SUCCESS;
    if (out === null || out === undefined) {
      k.violation('null-param', `${routine} needs an array of ${size} pointers`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    list.forEach((o, i) => {
      this.misc.reference(o, routine);
      element(out, i, o);
    });
    return STATUS.STATUS_SUCCESS;
  }
}

/**
 * INSTANCE_BASIC/PARTIAL/FULL_INFORMATION of `inst` (class 0, 1, 2) with the names after the
 * structure, offsets counted from its start; undefined for any other class.
 */
export function instanceInformation(m: Marshal, inst: Instance, cls: number, fsType: number): Uint8Array | undefined {
  if (cls === INSTANCE_AGGREGATE_STANDARD) return aggregateInstanceInformation(m, inst, fsType);
  const tag = INSTANCE_CLASS[cls];
  if (tag === undefined) return undefined;
  const l = layout(m, tag);
  const fields: [string, string][] = [['InstanceName', instanceName(inst)]];
  if (cls >= 1) fields.push(['Altitude', inst.altitude]);
  if (cls >= 2) fields.push(['VolumeName', inst.volume.name], ['FilterName', inst.filter.module]);
  const o = new Out(fields.reduce((n, [, text]) => n + 2 * text.length, l.size));
  let at = l.size;
  for (const [field, text] of fields) {
    o.u16(l.off(`${field}Length`), 2 * text.length);
    o.u16(l.off(`${field}BufferOffset`), at);
    o.chars(at, text);
    at += 2 * text.length;
  }
  return o.bytes;
}

/** INSTANCE_AGGREGATE_STANDARD_INFORMATION: a minifilter's instance, its names after the structure. */
function aggregateInstanceInformation(m: Marshal, inst: Instance, fsType: number): Uint8Array {
  const l = layout(m, '_INSTANCE_AGGREGATE_STANDARD_INFORMATION');
  const off = miniFilterOffsets(l.st);
  const fields: [string, string][] = [['InstanceName', instanceName(inst)], ['Altitude', inst.altitude], ['VolumeName', inst.volume.name], ['FilterName', inst.filter.module]];
  const o = new Out(fields.reduce((n, [, text]) => n + 2 * text.length, l.size));
  o.u32(l.off('Flags'), FLTFL_IASI_IS_MINIFILTER);
  o.u32(off('FrameID'), 0);
  o.u32(off('VolumeFileSystemType'), fsType);
  let at = l.size;
  for (const [field, text] of fields) {
    o.u16(off(`${field}Length`), 2 * text.length);
    o.u16(off(`${field}BufferOffset`), at);
    o.chars(at, text);
    at += 2 * text.length;
  }
  return o.bytes;
}

/** Offsets of the fields of `Type.MiniFilter` inside an aggregate structure, from its start. */
export function miniFilterOffsets(st: StructType): (name: string) => number {
  const type = st.fields!.find((f) => f.name === 'Type')!;
  const base = fieldPlaces(st).get('Type')!.offset;
  const mini = (type.type as StructType).fields!.find((f) => f.name === 'MiniFilter')!;
  const places = fieldPlaces(mini.type as StructType);
  return (name) => base + places.get(name)!.offset;
}

/**
 * Writes an information structure into the caller's buffer: *BytesReturned is its size; a buffer
 * smaller than that gets nothing and STATUS_BUFFER_TOO_SMALL.
 */
export function answer(k: Kernel, routine: string, bytes: Uint8Array, buffer: unknown, size: number, returned: unknown): number {
  writeOut(returned, bytes.length);
  if (Number(size) < bytes.length) return STATUS.STATUS_BUFFER_TOO_SMALL;
  if (buffer === null || buffer === undefined) {
    k.violation('null-param', `${routine} needs a buffer of BufferSize bytes`);
    return STATUS.STATUS_INVALID_PARAMETER;
  }
  writeBuffer(k.marshal, buffer, 0, bytes);
  return STATUS.STATUS_SUCCESS;
}

/** Stores `value` as element `i` of the caller's array of pointers (`first` is its first element). */
function element(first: unknown, i: number, value: unknown): void {
  if (first instanceof Cell) new Cell(first.ptr.add(i * sizeOf(first.type)) as typeof first.ptr, first.type).set(value);
  else if (Array.isArray(first)) first[i] = value;
  else if (i === 0) writeOut(first, value);
}
