/**
 * The Filter Manager's opaque objects: filters, instances and volumes (PFLT_FILTER, PFLT_INSTANCE,
 * PFLT_VOLUME in C, never dereferenced by driver code). State names are unions so the snapshot and
 * the checks agree on them.
 */
import type { DriverFn } from '../kernel/driverFn';
import type { Kernel } from '../kernel/kernel';
import { registerNumberedKind } from '../kernel/shared';
import type { KThread } from '../kernel/thread';
import { makeRelatedObjects, type FltContextRegistration, type FltRegistration, type FltRelatedObjects } from './structs';

/** A registered pre/post pair for one major function. */
export interface OperationCallbacks {
  major: number;
  flags: number;
  pre: DriverFn | null;
  post: DriverFn | null;
  preName: string;
  postName: string;
}

export interface ParsedRegistration {
  raw: FltRegistration;
  /** By major function code (0–255). */
  ops: (OperationCallbacks | undefined)[];
  contexts: Map<number, FltContextRegistration>;
}

/** Counts references that hold an object alive; waiters wake when it drops to zero. */
export class Rundown {
  count = 0;
  readonly waiters: KThread[] = [];

  acquire(): void {
    this.count++;
  }

  release(k: Kernel): void {
    if (this.count > 0) this.count--;
    if (this.count === 0) {
      if (this.waiters.length > 0) for (const w of this.waiters.splice(0)) k.wake(w);
    }
  }
}

export type FilterState = 'registered' | 'filtering' | 'unloading' | 'unloaded';

export class Filter {
  state: FilterState = 'registered';
  readonly instances: Instance[] = [];
  /** Rundown references: queued generic work items, FltObjectReference, FltGetFilterFromInstance. */
  readonly rundown = new Rundown();
  /** References taken explicitly by the driver (FltObjectReference & co.), for rundown-leak. */
  explicitRefs = 0;
  /** Work items of this filter queued or running (freed or not): they may still resume what it pended. */
  activeWork = 0;
  unregisterCalled = false;

  constructor(
    readonly id: number,
    /** The driver module (`cancelSafe`). */
    readonly module: string,
    readonly altitude: string,
    readonly registration: ParsedRegistration,
    readonly driverObject: object,
  ) {}

  get name(): string {
    return this.module;
  }

  get deleting(): boolean {
    return this.state === 'unloading' || this.state === 'unloaded';
  }

  toString(): string {
    return `filter ${this.module}`;
  }
}

export type InstanceState = 'setting-up' | 'attached' | 'tearing-down' | 'detached';

export class Instance {
  state: InstanceState = 'setting-up';
  /** Operations this instance is part of right now: callbacks running, pended, post-ops owed. */
  readonly outstanding = new Rundown();
  /** FltObjectReference on the instance. */
  readonly rundown = new Rundown();
  private related: FltRelatedObjects | undefined = undefined;
  private relatedByFile: WeakMap<object, FltRelatedObjects> | undefined = undefined;
  private lastRelated: FltRelatedObjects | undefined = undefined;

  constructor(
    readonly id: number,
    readonly filter: Filter,
    readonly volume: Volume,
    readonly altitude: string,
  ) {}

  get name(): string {
    return `${this.filter.module} instance on ${this.volume.name}`;
  }

  get deleting(): boolean {
    return this.state === 'tearing-down' || this.state === 'detached' || this.filter.deleting;
  }

  /**
   * FLT_RELATED_OBJECTS for a callback of this instance, about `fileObject` (NULL outside an
   * operation). One per file object: drivers only read it, and once C has seen it it has memory.
   */
  relatedObjects(fileObject: unknown): FltRelatedObjects {
    if (fileObject === null || typeof fileObject !== 'object') return (this.related ??= makeRelatedObjects(this.filter, this.volume, this, null));
    // The last one made is almost always the one asked for again (operations on one file).
    const last = this.lastRelated;
    if (last !== undefined && last.FileObject === fileObject) return last;
    const byFile = (this.relatedByFile ??= new WeakMap());
    let r = byFile.get(fileObject);
    if (r === undefined) byFile.set(fileObject, (r = makeRelatedObjects(this.filter, this.volume, this, fileObject)));
    this.lastRelated = r;
    return r;
  }

  toString(): string {
    return this.name;
  }
}

export class Volume {
  /** Attached instances, highest altitude first: the order pre-operation callbacks run in. */
  instances: Instance[] = [];

  constructor(
    readonly id: number,
    /** `\Device\HarddiskVolume1`. */
    readonly name: string,
  ) {}

  /** Replaces the array rather than changing it: operations in flight keep the stack they started with. */
  attach(inst: Instance): void {
    this.instances = [...this.instances, inst].sort((a, b) => Number(b.altitude) - Number(a.altitude));
  }

  detach(inst: Instance): void {
    this.instances = this.instances.filter((i) => i !== inst);
  }

  toString(): string {
    return `volume ${this.name}`;
  }
}

export function isFltObject(v: unknown): v is Filter | Instance | Volume {
  return v instanceof Filter || v instanceof Instance || v instanceof Volume;
}

registerNumberedKind(Filter, 'filter');
registerNumberedKind(Instance, 'instance');
registerNumberedKind(Volume, 'volume');
