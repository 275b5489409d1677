/**
 * DEVICE_OBJECT: the one model of a device, whoever made it — a driver's control device object
 * (IoCreateDevice), the storage device under a volume, the file system's volume device, the Filter
 * Manager's frame device attached over it.
 *
 * Devices form stacks: `attachedDevice` is the device attached directly above (DEVICE_OBJECT's
 * AttachedDevice), `lowerDevice` the one this device is attached to. IRPs enter at the top of a
 * stack (IoGetAttachedDeviceReference) and each driver passes them down.
 *
 * A device is referenced: IoGetAttachedDeviceReference, FltGetDiskDeviceObject and the rest give
 * the caller a reference (`ObReference`), which ObDereferenceObject gives back (objectManager.ts).
 */
import type { DriverFn } from './driverFn';
import { EngineStruct, writeFields, type Marshal } from './marshal';
import { ReferenceCount } from './objectManager';
import type { StructView } from '../memory/view';
import type { AllocPtr } from '../memory/pointer';

const IO_TYPE_DEVICE = 3;
export const DO_DEVICE_INITIALIZING = 0x80;

/** What a device needs of the driver object that owns it. */
export interface DeviceOwner {
  readonly module: string;
  /** DriverObject->MajorFunction[major] as the driver set it (a C function or the engine's own). */
  dispatchRoutine(major: number): unknown;
  /** Puts `dev` at the head of DriverObject->DeviceObject's list; returns the previous head. */
  linkDevice(dev: DeviceObject | null): unknown;
}

/** What a device is for; the engine's own drivers answer the IRPs of the roles other than `control`. */
export type DeviceRole = 'control' | 'storage' | 'file-system-volume' | 'filter-manager-volume';

export interface DeviceSpec {
  name: string;
  owner: DeviceOwner;
  role: DeviceRole;
  deviceType: number;
  characteristics?: number;
  extension?: AllocPtr | null;
  sectorSize?: number;
  flags?: number;
}

/** A driver the engine plays itself (disk, file system, Filter Manager): its dispatch routines are TypeScript. */
export class EngineDriver implements DeviceOwner {
  constructor(
    readonly module: string,
    private readonly dispatch: (major: number) => DriverFn | null,
  ) {}

  dispatchRoutine(major: number): unknown {
    return this.dispatch(major);
  }

  linkDevice(): unknown {
    return null;
  }
}

export class DeviceObject extends EngineStruct {
  protected get cTag(): string {
    return '_DEVICE_OBJECT';
  }

  deleted = false;
  readonly name: string;
  readonly owner: DeviceOwner;
  readonly role: DeviceRole;
  /** The device attached directly above this one, and the one this one is attached to. */
  attachedDevice: DeviceObject | null = null;
  lowerDevice: DeviceObject | null = null;
  /** References callers hold (the creator's own is not counted). */
  readonly refs: ReferenceCount;
  readonly js: Record<string, unknown>;

  constructor(spec: DeviceSpec) {
    super();
    this.name = spec.name;
    this.owner = spec.owner;
    this.role = spec.role;
    this.refs = new ReferenceCount(this.label);
    this.js = {
      Type: IO_TYPE_DEVICE,
      Size: 0x150,
      ReferenceCount: 0,
      DriverObject: spec.owner,
      NextDevice: null,
      AttachedDevice: null,
      Flags: spec.flags ?? 0,
      Characteristics: spec.characteristics ?? 0,
      DeviceExtension: spec.extension ?? null,
      DeviceType: spec.deviceType,
      StackSize: 1,
      AlignmentRequirement: 0,
      SectorSize: spec.sectorSize ?? 0,
    };
  }

  get label(): string {
    return `device ${this.name || '(unnamed)'} of ${this.owner.module}`;
  }

  get deviceType(): number {
    return this.field('DeviceType') as number;
  }

  get characteristics(): number {
    return this.field('Characteristics') as number;
  }

  /** IRP stack locations a request sent to this device needs: one per device down the stack. */
  get stackSize(): number {
    return Number(this.field('StackSize'));
  }

  /** A C-visible field as it is now (in C memory once C has seen the device). */
  field(name: string): unknown {
    return this.c === undefined ? this.js[name] : this.c[name];
  }

  setField(name: string, value: unknown): void {
    this.js[name] = value;
    if (this.c !== undefined) this.c[name] = value;
  }

  /** Attaches `upper` on top of this device (IoAttachDeviceToDeviceStack's effect). */
  attach(upper: DeviceObject): void {
    this.attachedDevice = upper;
    upper.lowerDevice = this;
    this.setField('AttachedDevice', upper);
    upper.setField('StackSize', this.stackSize + 1);
  }

  /** The highest device of this device's stack (what IoGetAttachedDevice returns). */
  top(): DeviceObject {
    return this.attachedDevice === null ? this : this.attachedDevice.top();
  }

  /** The lowest device of this device's stack (IoGetDeviceAttachmentBaseRef). */
  base(): DeviceObject {
    return this.lowerDevice === null ? this : this.lowerDevice.base();
  }

  protected override cLabel(): string {
    return `DEVICE_OBJECT ${this.name || '(unnamed)'} of ${this.owner.module}`;
  }

  protected override cFill(v: StructView, _m: Marshal): void {
    // Typed stores, not the view's accessors: every run lays out a dozen devices (disk, file
    // systems, Filter Manager, the driver's own).
    writeFields(v, this.js, true);
  }
}
