/**
 * Loading drivers and registering filters: DriverEntry on the loader thread, FltRegisterFilter's
 * checks of the FLT_REGISTRATION it is given, FltStartFiltering attaching an instance to every
 * volume (InstanceSetupCallback decides), in the thread that calls it — callbacks run before it
 * returns.
 *
 * Accepted registration versions are 0x0200–0x0203; Size must be the x64 size of the layout that
 * version declares (88, 96, 104, 112), and fields past that layout are not read. The operation
 * array must end with IRP_MJ_OPERATION_END and the context array with FLT_CONTEXT_END.
 */
import { makeUnicodeString, type UnicodeString } from '../kernel/cvalues';
import { EngineBuffer, EngineStruct, ownerOrPointer } from '../kernel/marshal';
import { sizeOf, type StructType } from '../c/types';
import { MemoryError } from '../memory/errors';
import { Ptr } from '../memory/pointer';
import { fieldPlaces } from '../memory/typed';
import { isView, viewOf } from '../memory/view';
import type { Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { kernelFrame } from '../kernel/kernel';
import { writeOut } from '../kernel/objects';
import { SERVICES_KEY } from '../kernel/registry';
import { formatStatus, ntSuccess, STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import {
  contextTypeName,
  FILE_DEVICE_DISK_FILE_SYSTEM,
  FLT_CONTEXT,
  FILE_DEVICE_CD_ROM_FILE_SYSTEM,
  FLT_REGISTRATION_SIZES,
  FLT_REGISTRATION_VERSION_0201,
  FLT_REGISTRATION_VERSION_0202,
  FLT_REGISTRATION_VERSION_0203,
  FLTFL_INSTANCE_SETUP,
  IRP_MJ,
  majorName,
} from './constants';
import type { DriverObject, DriverRecord, FilterManager } from './fltmgr';
import { Filter, type OperationCallbacks, type ParsedRegistration, type Volume } from './objects';
import type { FltContextRegistration, FltOperationRegistration, FltRegistration } from './structs';

/** How many array elements the parser reads before deciding a terminator is missing. */
const ARRAY_LIMIT = 1024;

/** sizeof(KLDR_DATA_TABLE_ENTRY) on x64 Windows 10/11. */
const LDR_DATA_TABLE_ENTRY_SIZE = 0x120;

/** DRIVER_OBJECT: laid out in memory when DriverEntry (C) first receives it. */
class DriverObjectStruct extends EngineStruct implements DriverObject {
  protected get cTag(): string {
    return '_DRIVER_OBJECT';
  }

  Type = 4;
  Size = 0x150;
  DeviceObject: unknown = null;
  Flags = 0;
  DriverStart: unknown = null;
  DriverSize = 0;
  /**
   * The loader's entry for the driver image (an undocumented KLDR_DATA_TABLE_ENTRY): zeroed memory
   * of that size, so drivers that set a flag in it (`((PLDR_DATA_TABLE_ENTRY)DriverSection)->Flags
   * |= 0x20`, to register Ob callbacks unsigned) write their own copy instead of through NULL.
   */
  DriverSection: unknown = new EngineBuffer(LDR_DATA_TABLE_ENTRY_SIZE, 'loader entry of the driver image');
  DriverName: UnicodeString;
  HardwareDatabase: unknown = null;
  DriverInit: unknown = null;
  DriverStartIo: unknown = null;
  DriverUnload: unknown = null;
  MajorFunction: unknown[] = new Array<unknown>(28).fill(null);

  constructor(readonly module: string) {
    super();
    this.DriverName = makeUnicodeString(`\\Driver\\${module}`);
  }

  /** MajorFunction[major] as the driver set it (in C memory once DriverEntry has seen the object). */
  dispatchRoutine(major: number): unknown {
    if (this.c === undefined) return this.MajorFunction[major] ?? null;
    return ownerOrPointer((this.c.MajorFunction as { get(i: number): unknown }).get(major));
  }

  /** DriverObject->DriverUnload as the driver left it (in C memory once DriverEntry has seen the object). */
  unloadRoutine(): unknown {
    if (this.c === undefined) return this.DriverUnload ?? null;
    return ownerOrPointer(this.c.DriverUnload);
  }

  /** Makes `dev` the head of the device list (IoCreateDevice, IoDeleteDevice); returns the old head. */
  linkDevice(dev: unknown): unknown {
    const old = this.c === undefined ? this.DeviceObject : ownerOrPointer(this.c.DeviceObject);
    if (this.c !== undefined) this.c.DeviceObject = dev ?? null;
    this.DeviceObject = dev ?? null;
    return old;
  }

  protected override cLabel(): string {
    return `DRIVER_OBJECT of ${this.module}`;
  }
}

export function makeDriverObject(module: string): DriverObject {
  return new DriverObjectStruct(module);
}

/** Element `i` of a registration array: from a TypeScript array, or through a pointer into C memory. */
function rowAt(list: unknown, elem: StructType | undefined, i: number): object | undefined {
  if (Array.isArray(list)) return list[i] as object | undefined;
  if (list instanceof Ptr && elem) return viewOf(list.add(i * sizeOf(elem)), elem);
  return undefined;
}

/** The element type of a registration array held in C memory: the field's pointee, or the WDK's. */
function elementType(reg: object, field: string, fallback: () => StructType): StructType | undefined {
  if (!isView(reg)) return fallback();
  const t = fieldPlaces(reg.$type).get(field)?.type;
  const to = t?.kind === 'ptr' ? t.to : undefined;
  return to?.kind === 'struct' && to.fields ? to : fallback();
}

/** The registration fields the engine keeps, read once (a view reads memory on every access). */
const REGISTRATION_FIELDS = [
  'Size', 'Version', 'Flags', 'ContextRegistration', 'OperationRegistration', 'FilterUnloadCallback', 'InstanceSetupCallback',
  'InstanceQueryTeardownCallback', 'InstanceTeardownStartCallback', 'InstanceTeardownCompleteCallback', 'GenerateFileNameCallback',
  'NormalizeNameComponentCallback', 'NormalizeContextCleanupCallback', 'TransactionNotificationCallback', 'NormalizeNameComponentExCallback',
  'SectionNotificationCallback',
] as const;

/** A copy of an FLT_REGISTRATION (a TypeScript object or a view) with the fields the engine reads. */
function readRegistration(reg: FltRegistration): FltRegistration {
  const out: Record<string, unknown> = {};
  const known = isView(reg) ? fieldPlaces(reg.$type) : undefined;
  for (const k of REGISTRATION_FIELDS) {
    if (known && !known.has(k)) continue;
    out[k] = (reg as unknown as Record<string, unknown>)[k];
  }
  return out as unknown as FltRegistration;
}

/** A registration array row as plain values (a view's fields are read once). */
function rowValues<T>(row: object, fields: readonly string[]): T {
  if (!isView(row)) return row as T;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = row[f];
  return out as T;
}

export class RegistrationRoutines {
  constructor(private readonly fm: FilterManager) {}

  /** The loader thread: runs every pending DriverEntry in load order. */
  *loadDrivers(t: KThread): Co<void> {
    this.fm.k.touchObject(this.fm, true);
    const k = this.fm.k;
    t.frames.push(kernelFrame('IopLoadDriver', 'nt'));
    for (const d of this.fm.drivers) {
      if (d.state !== 'pending') continue;
      (d.driverObject as { DriverInit: unknown }).DriverInit = d.entry;
      k.emit('driver-load', 0, `${d.entryName}(${d.module}) at altitude ${d.altitude}`);
      // RegistryPath in memory C can read (drivers copy its Buffer); a run without C keeps it an engine string.
      const path = `${SERVICES_KEY}\\${d.module}`;
      const registryPath = k.marshal.layouts === undefined ? makeUnicodeString(path) : k.marshal.unicodeString(path);
      const r = yield* k.callDriver(t, d.entry, d.entryName, [d.driverObject, registryPath]);
      const status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
      d.entryStatus = status;
      if (ntSuccess(status)) {
        d.state = 'loaded';
        k.emit('driver-load', 0, `${d.module} loaded (${formatStatus(status)})`);
      } else {
        d.state = 'failed';
        k.emit('driver-load', 0, `${d.module} failed to load: DriverEntry returned ${formatStatus(status)}`);
        const left = d.filters.filter((f) => f.state !== 'unloaded');
        if (left.length > 0) {
          k.violation('reg-start-errors', `DriverEntry of ${d.module} failed with ${formatStatus(status)} but left its filter registered; call FltUnregisterFilter before failing`);
          for (const f of left) {
            f.state = 'unloaded';
            for (const inst of f.instances) inst.volume.detach(inst);
          }
        }
      }
    }
  }

  FltRegisterFilter(Driver: unknown, Registration: unknown, RetFilter: unknown): number {
    this.fm.k.touchObject(this.fm, true);
    const fm = this.fm;
    const k = fm.k;
    k.checkIrql('FltRegisterFilter');
    const d = typeof Driver === 'object' && Driver !== null ? fm.driverByObject.get(Driver) : undefined;
    if (d === undefined) {
      k.violation('bad-object', 'FltRegisterFilter needs the DRIVER_OBJECT that DriverEntry received');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (typeof Registration !== 'object' || Registration === null) {
      k.violation('null-param', 'FltRegisterFilter needs an FLT_REGISTRATION');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const parsed = this.parse(Registration as FltRegistration);
    if (typeof parsed === 'string') {
      k.violation('reg-struct', `FltRegisterFilter for ${d.module}: ${parsed}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (typeof parsed === 'number') return parsed;
    const f = fm.newFilter(d.module, d.altitude, parsed, d.driverObject);
    d.filters.push(f);
    writeOut(RetFilter, f);
    const ops = parsed.ops.filter((o) => o !== undefined).map((o) => majorName(o!.major)).join(', ');
    k.emit('register', 0, `FltRegisterFilter(${d.module}) at altitude ${d.altitude}: ${ops || 'no operations'}`);
    return STATUS.STATUS_SUCCESS;
  }

  /** The parsed registration, a reg-struct message, or a status to fail with. */
  private parse(given: FltRegistration): ParsedRegistration | string | number {
    try {
      return this.parseRegistration(given);
    } catch (e) {
      // The driver's arrays run past their memory (a missing terminator in a short buffer).
      if (e instanceof MemoryError) return `reading the registration ${e.message}`;
      throw e;
    }
  }

  private parseRegistration(given: FltRegistration): ParsedRegistration | string | number {
    const k = this.fm.k;
    const reg = readRegistration(given);
    const version = Number(reg.Version);
    const expected = FLT_REGISTRATION_SIZES[version];
    if (expected === undefined) {
      return `Version is 0x${version.toString(16).padStart(4, '0')}; use FLT_REGISTRATION_VERSION (0x0203; 0x0200–0x0202 are accepted too)`;
    }
    if (reg.Size !== expected) return `Size is ${String(reg.Size)}, but sizeof(FLT_REGISTRATION) for version 0x${version.toString(16).padStart(4, '0')} is ${expected}; use sizeof(FLT_REGISTRATION)`;
    const ops: (OperationCallbacks | undefined)[] = new Array(256);
    if (reg.OperationRegistration !== null && reg.OperationRegistration !== undefined) {
      const elem = reg.OperationRegistration instanceof Ptr ? elementType(given, 'OperationRegistration', () => k.marshal.struct('_FLT_OPERATION_REGISTRATION')) : undefined;
      if (!Array.isArray(reg.OperationRegistration) && !(reg.OperationRegistration instanceof Ptr && elem)) return 'OperationRegistration is not an array of FLT_OPERATION_REGISTRATION';
      let ended = false;
      for (let i = 0; i < ARRAY_LIMIT; i++) {
        const at = rowAt(reg.OperationRegistration, elem, i);
        if (!at || typeof at !== 'object') break;
        const row = rowValues<FltOperationRegistration>(at, ['MajorFunction', 'Flags', 'PreOperation', 'PostOperation', 'Reserved1']);
        if (row.MajorFunction === IRP_MJ.OPERATION_END) {
          ended = true;
          break;
        }
        const major = row.MajorFunction;
        if (major === IRP_MJ.POWER || major === IRP_MJ.DEVICE_CHANGE) {
          k.violation('reg-struct', `OperationRegistration row ${i} is for ${majorName(major)}, which minifilters cannot register; the row is ignored`);
          continue;
        }
        if (row.Reserved1 !== null && row.Reserved1 !== undefined && row.Reserved1 !== 0) {
          k.violation('reg-struct', `OperationRegistration row ${i} (${majorName(major)}) has Reserved1 set; it must be NULL`);
        }
        if (major === IRP_MJ.SHUTDOWN && row.PostOperation) {
          k.violation('reg-struct', 'OperationRegistration registers a PostOperation for IRP_MJ_SHUTDOWN, which has no post-operation phase; it is never called');
        }
        const pre = row.PreOperation ?? null;
        const post = major === IRP_MJ.SHUTDOWN ? null : row.PostOperation ?? null;
        ops[major] = {
          major,
          flags: row.Flags ?? 0,
          pre,
          post,
          preName: nameOf(pre, `PreOperation(${majorName(major)})`),
          postName: nameOf(post, `PostOperation(${majorName(major)})`),
        };
      }
      if (!ended) return 'the OperationRegistration array does not end with { IRP_MJ_OPERATION_END }';
    }
    const contexts = new Map<number, FltContextRegistration>();
    if (reg.ContextRegistration !== null && reg.ContextRegistration !== undefined) {
      const elem = reg.ContextRegistration instanceof Ptr ? elementType(given, 'ContextRegistration', () => k.marshal.struct('_FLT_CONTEXT_REGISTRATION')) : undefined;
      if (!Array.isArray(reg.ContextRegistration) && !(reg.ContextRegistration instanceof Ptr && elem)) return 'ContextRegistration is not an array of FLT_CONTEXT_REGISTRATION';
      let ended = false;
      for (let i = 0; i < ARRAY_LIMIT; i++) {
        const at = rowAt(reg.ContextRegistration, elem, i);
        if (!at || typeof at !== 'object') break;
        const row = rowValues<FltContextRegistration>(at, ['ContextType', 'Flags', 'ContextCleanupCallback', 'Size', 'PoolTag', 'ContextAllocateCallback', 'ContextFreeCallback', 'Reserved1']);
        if (row.ContextType === FLT_CONTEXT.END) {
          ended = true;
          break;
        }
        if (![FLT_CONTEXT.VOLUME, FLT_CONTEXT.INSTANCE, FLT_CONTEXT.FILE, FLT_CONTEXT.STREAM, FLT_CONTEXT.STREAMHANDLE, FLT_CONTEXT.TRANSACTION, FLT_CONTEXT.SECTION].includes(row.ContextType as 1)) {
          k.violation('reg-struct', `ContextRegistration row ${i} has ${contextTypeName(row.ContextType)}, which is not a context type`);
          return STATUS.STATUS_FLT_INVALID_CONTEXT_REGISTRATION;
        }
        if (row.Reserved1 !== null && row.Reserved1 !== undefined && row.Reserved1 !== 0) {
          k.violation('reg-struct', `ContextRegistration row ${i} (${contextTypeName(row.ContextType)}) has Reserved1 set; it must be NULL`);
        }
        if (!contexts.has(row.ContextType)) contexts.set(row.ContextType, row);
      }
      if (!ended) return 'the ContextRegistration array does not end with { FLT_CONTEXT_END }';
    }
    // Fields past the declared version's layout are not read.
    const raw: FltRegistration = { ...reg };
    if (version < FLT_REGISTRATION_VERSION_0201) raw.TransactionNotificationCallback = null;
    if (version < FLT_REGISTRATION_VERSION_0202) raw.NormalizeNameComponentExCallback = null;
    if (version < FLT_REGISTRATION_VERSION_0203) raw.SectionNotificationCallback = null;
    return { raw, ops, contexts };
  }

  /** Attaches the filter to every volume; instance setup callbacks run in the calling thread. */
  *FltStartFiltering(Filter_: unknown): Co<number> {
    this.fm.k.touchObject(this.fm, true);
    const fm = this.fm;
    const k = fm.k;
    k.checkIrql('FltStartFiltering');
    if (!(Filter_ instanceof Filter)) {
      k.violation('bad-object', 'FltStartFiltering needs the PFLT_FILTER that FltRegisterFilter returned');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Filter_.state !== 'registered') return STATUS.STATUS_INVALID_PARAMETER;
    Filter_.state = 'filtering';
    const t = k.current;
    const depth = t.frames.length;
    t.frames.push(kernelFrame('FltStartFiltering', 'fltmgr'));
    try {
      for (const v of fm.volumes) yield* this.setupInstance(t, Filter_, v, FLTFL_INSTANCE_SETUP.AUTOMATIC_ATTACHMENT);
    } finally {
      t.frames.length = depth;
    }
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * A manual attachment (`fltmc attach`, FilterAttach): the filter of driver `module` gets an
   * instance on `volumeName`, its InstanceSetupCallback called with FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT.
   */
  *attachRequest(t: KThread, module: string, volumeName: string): Co<void> {
    const fm = this.fm;
    const k = fm.k;
    t.frames.push(kernelFrame('FltAttachVolume', 'fltmgr'));
    const filter = fm.filters.find((f) => f.module.toLowerCase() === module.toLowerCase() && f.state === 'filtering');
    const volume = fm.volumes.find((v) => v.name.toLowerCase() === volumeName.toLowerCase());
    if (filter === undefined || volume === undefined) {
      k.emit('instance-setup', 0, `attach ${module} to ${volumeName}: ${filter === undefined ? `${module} has no filter that is filtering` : 'no such volume'} (STATUS_FLT_${filter === undefined ? 'FILTER_NOT_FOUND' : 'VOLUME_NOT_FOUND'})`);
      return;
    }
    if (filter.instances.some((i) => i.volume === volume && i.state !== 'detached')) {
      k.emit('instance-setup', 0, `attach ${module} to ${volume.name}: it is attached already (STATUS_FLT_INSTANCE_NAME_COLLISION)`);
      return;
    }
    yield* this.setupInstance(t, filter, volume, FLTFL_INSTANCE_SETUP.MANUAL_ATTACHMENT);
  }

  private *setupInstance(t: KThread, filter: Filter, volume: Volume, flags: number): Co<void> {
    const fm = this.fm;
    const k = fm.k;
    if (volume.instances.some((i) => i.altitude === filter.altitude)) {
      k.emit('instance-setup', 0, `${filter.name} does not attach to ${volume.name}: altitude ${filter.altitude} is taken (STATUS_FLT_INSTANCE_ALTITUDE_COLLISION)`);
      return;
    }
    const inst = fm.newInstance(filter, volume);
    filter.instances.push(inst);
    const setup = filter.registration.raw.InstanceSetupCallback as DriverFn | null | undefined;
    let status: number = STATUS.STATUS_SUCCESS;
    if (setup) {
      const fsv = fm.fs.volume(volume.name);
      const deviceType = fsv.fileSystem === 'cdfs' || fsv.fileSystem === 'udfs' ? FILE_DEVICE_CD_ROM_FILE_SYSTEM : FILE_DEVICE_DISK_FILE_SYSTEM;
      const r = yield* k.callDriver(t, setup, nameOf(setup, 'InstanceSetup'), [inst.relatedObjects(null), flags, deviceType, fsv.fsType]);
      status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
    }
    // Warnings decline as errors do: only a success status attaches.
    if (status >>> 30 !== 0 && status >>> 30 !== 1) {
      inst.state = 'detached';
      filter.instances.splice(filter.instances.indexOf(inst), 1);
      k.emit('instance-setup', 0, `${filter.name} declines ${volume.name} (${formatStatus(status)})`);
      return;
    }
    inst.state = 'attached';
    volume.attach(inst);
    k.emit('instance-setup', 0, `${inst.name} attached at altitude ${inst.altitude}`);
  }
}

/** The record `loadDriver` keeps until the loader runs DriverEntry. */
export function driverRecord(module: string, altitude: string, entry: DriverFn): DriverRecord {
  return { module, altitude, entry, entryName: nameOf(entry, 'DriverEntry'), driverObject: makeDriverObject(module), filters: [], state: 'pending' };
}
