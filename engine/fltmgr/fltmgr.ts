/**
 * The Filter Manager's shared state: volumes, drivers and filters, live callback data, results of
 * finished requests, and the kernel services the routine families use. The families themselves
 * (dispatch, pending, work items, cbdq, contexts…) are built by the composition root,
 * `Simulation` (engine/sim.ts), each with this state where it needs it and the siblings it calls.
 */
import { InsertionTable } from '../kernel/idtable';
import { registerNumberedKind } from '../kernel/shared';
import type { Kernel } from '../kernel/kernel';
import type { DriverFn } from '../kernel/driverFn';
import type { PoolRoutines } from '../kernel/pool';
import type { CompletionContext, WorkQueues } from '../kernel/workqueue';
import type { UnicodeString } from '../kernel/cvalues';
import type { KThread } from '../kernel/thread';
import type { Co } from '../kernel/coroutine';
import type { DataState, FltCallbackData } from './callbackData';
import { FileSystemModel } from './filesystem';
import type { FileSpec } from './fsState';
import type { VolumeSpec } from './fsTree';
import { Filter, Instance, Volume } from './objects';
import { FltObjectReferences } from './objectRefs';
import { dosDrive } from './dosNames';

export const DEFAULT_VOLUME = '\\Device\\HarddiskVolume1';

export interface FltmgrOptions {
  /** Files with a size other than 64 KiB, or that do not exist. Paths as the workload writes them. */
  files?: Readonly<Record<string, FileSpec>>;
  /**
   * Volumes, by device name or with their properties; the first one receives paths without a
   * `\Device\…` prefix. A volume given by name only is lenient (files nobody declared exist).
   */
  volumes?: readonly (string | VolumeSpec)[];
}

/** DRIVER_OBJECT as C sees it, plus the module it belongs to. */
export interface DriverObject {
  Type: number;
  Size: number;
  DeviceObject: unknown;
  Flags: number;
  DriverStart: unknown;
  DriverSize: number;
  DriverSection: unknown;
  DriverName: UnicodeString;
  HardwareDatabase: unknown;
  DriverInit: unknown;
  DriverStartIo: unknown;
  DriverUnload: unknown;
  MajorFunction: unknown[];
  /** Engine-private. */
  module: string;
  /** DriverUnload as the driver set it, read where the driver wrote it (C memory or this object). */
  unloadRoutine(): unknown;
}

export interface DriverRecord {
  module: string;
  altitude: string;
  entry: DriverFn;
  entryName: string;
  driverObject: DriverObject;
  filters: Filter[];
  state: 'pending' | 'loaded' | 'failed' | 'unloaded';
  entryStatus?: number;
}

/** How a workload request ended (or where it stands when the run ends). */
export interface IoResult {
  io: number;
  data: number;
  status: number;
  information: number;
  state: DataState;
}

/**
 * Results by workload id. The usual small dense ids keep their numbers in columns (typed arrays
 * indexed by id), so a long run retains no object per finished request; `get` builds the IoResult.
 * Other ids use a Map.
 */
export class ResultTable {
  /** Callback data id per workload id; 0 (no callback data has id 0): no result. */
  private data: Float64Array = new Float64Array(0);
  private status: Float64Array = new Float64Array(0);
  private information: Float64Array = new Float64Array(0);
  private readonly sparse = new Map<number, IoResult>();

  get(id: number): IoResult | undefined {
    if (isDense(id) && id < this.data.length && this.data[id] !== 0) {
      return { io: id, data: this.data[id]!, status: this.status[id]!, information: this.information[id]!, state: 'done' };
    }
    return this.sparse.size === 0 ? undefined : this.sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Records that request `id` is done. */
  setDone(id: number, data: number, status: number, information: unknown): void {
    if (isDense(id) && data !== 0 && typeof information === 'number') {
      if (id >= this.data.length) this.grow(id);
      this.data[id] = data;
      this.status[id] = status;
      this.information[id] = information;
      if (this.sparse.size > 0) this.sparse.delete(id);
      return;
    }
    // Odd values (driver code can store anything in Information) keep their object.
    if (isDense(id) && id < this.data.length) this.data[id] = 0;
    this.sparse.set(id, { io: id, data, status, information: information as number, state: 'done' });
  }

  private grow(id: number): void {
    // Starts small: a scenario issues a few requests, and three columns of 1,024 were 24 KB of
    // zeroed memory outside the heap in every run (every explored schedule is one).
    const size = Math.min(DENSE_LIMIT, Math.max(16, id + 1, this.data.length * 2));
    const widen = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.data = widen(this.data);
    this.status = widen(this.status);
    this.information = widen(this.information);
  }
}

function isDense(id: number): boolean {
  return id >= 0 && id < DENSE_LIMIT && Number.isInteger(id);
}

const DENSE_LIMIT = 1 << 24;

/** Workload request `id`, as one object a step can touch. */
class RequestSlot {
  constructor(readonly id: number) {}
}

registerNumberedKind(RequestSlot, 'request');

export class FilterManager {
  readonly volumes: Volume[] = [];
  /** Every filter registered in the run, in registration order; `state` tells which are gone. */
  readonly filters: Filter[] = [];
  readonly drivers: DriverRecord[] = [];
  readonly driverByObject = new WeakMap<object, DriverRecord>();
  /** Callback data not done yet, by id, in the order they were made. */
  readonly live = new InsertionTable<FltCallbackData>();
  /** By workload id: the final outcome of each finished request. */
  readonly results = new ResultTable();
  /** Threads inside FltUnregisterFilter waiting for a filter's rundown, and for an instance's teardown. */
  readonly rundownWaits = new Map<KThread, Filter>();
  readonly teardownWaits = new Map<KThread, Instance>();
  readonly fs: FileSystemModel;
  /** References drivers hold on filters, instances and volumes, with the lines that took them. */
  readonly objectRefs: FltObjectReferences;
  private nextFilterId = 1;
  private readonly located = new Map<string, { volume: Volume; nameInVolume: string }>();
  private nextInstanceId = 1;
  private readonly usedDataIds = new Set<number>();
  private nextDataId = 1;
  /**
   * Its `conflicts` runs in the request's thread just before the file system gets it (data-scan
   * section conflicts, dataScan.ts) and returns undefined when it has nothing to do.
   */
  beforeFileSystem: { conflicts(t: KThread, data: FltCallbackData): Co<void> | undefined } | null = null;
  /** Footprint stand-ins for workload requests, made when exploration first asks. */
  private readonly requestSlots = new Map<number, RequestSlot>();

  constructor(
    readonly k: Kernel,
    readonly pool: PoolRoutines,
    readonly queues: WorkQueues,
    readonly completion: CompletionContext,
    options: FltmgrOptions = {},
  ) {
    const specs = (options.volumes && options.volumes.length > 0 ? options.volumes : [DEFAULT_VOLUME]).map((v) => (typeof v === 'string' ? { name: v } : v));
    specs.forEach((v, i) => this.volumes.push(new Volume(i + 1, v.name)));
    this.fs = new FileSystemModel(specs, options.files, (p) => this.locate(p));
    this.objectRefs = new FltObjectReferences(k);
    this.fs.marshal = k.marshal;
    this.fs.clock = k;
  }

  newFilter(module: string, altitude: string, reg: Filter['registration'], driverObject: object): Filter {
    const f = new Filter(this.nextFilterId++, module, altitude, reg, driverObject);
    this.filters.push(f);
    return f;
  }

  newInstance(filter: Filter, volume: Volume): Instance {
    return new Instance(this.nextInstanceId++, filter, volume, filter.altitude);
  }

  /**
   * For schedule exploration: the running step looked up or changed workload request `io` (issued
   * it, finished it, cancelled it), whether or not a callback data for it exists at that moment.
   */
  touchRequest(io: number): void {
    if (this.k.observer === null) return;
    let slot = this.requestSlots.get(io);
    if (slot === undefined) this.requestSlots.set(io, (slot = new RequestSlot(io)));
    this.k.touchObject(slot, true);
  }

  /** Reserves a workload id for its first callback data, so `#N` means the same in both. */
  reserveId(id: number): boolean {
    if (this.usedDataIds.has(id)) return false;
    this.usedDataIds.add(id);
    return true;
  }

  isIdTaken(id: number): boolean {
    return this.usedDataIds.has(id);
  }

  /** A fresh callback data id that no workload request uses. */
  freshId(): number {
    while (this.usedDataIds.has(this.nextDataId)) this.nextDataId++;
    this.usedDataIds.add(this.nextDataId);
    return this.nextDataId++;
  }

  /** The volume a path is on and the path inside that volume. */
  locate(path: string): { volume: Volume; nameInVolume: string } {
    let hit = this.located.get(path);
    if (hit === undefined) {
      hit = this.locateUncached(path);
      this.located.set(path, hit);
    }
    return hit;
  }

  private locateUncached(path: string): { volume: Volume; nameInVolume: string } {
    const lower = path.toLowerCase();
    let best: Volume | undefined;
    for (const v of this.volumes) {
      const n = v.name.toLowerCase();
      if ((lower === n || lower.startsWith(`${n}\\`)) && (!best || n.length > best.name.length)) best = v;
    }
    if (best) return { volume: best, nameInVolume: path.slice(best.name.length) || '\\' };
    // \??\C:\… (ZwCreateFile of a configuration or log file): the volume the drive letter names.
    const dos = dosDrive(path);
    const lettered = dos !== undefined ? this.volumes[dos.index] : undefined;
    if (dos !== undefined && lettered !== undefined) return { volume: lettered, nameInVolume: dos.rest || '\\' };
    const drive = /^[a-z]:/i.exec(path);
    const rest = drive ? path.slice(2) : path;
    return { volume: this.volumes[0]!, nameInVolume: rest.startsWith('\\') ? rest : `\\${rest}` };
  }

  /** Filters that are registered and not unloaded, highest altitude first. */
  activeFilters(): Filter[] {
    return this.filters.filter((f) => f.state !== 'unloaded').sort((a, b) => Number(b.altitude) - Number(a.altitude));
  }
}
