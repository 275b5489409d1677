/**
 * Device objects a driver creates itself — a control device object (CDO) that a user program opens
 * to talk to the driver — with the I/O the scenario sends to them.
 *
 * IoCreateDevice names the device (`\FileSystem\Filters\CdoSample`) and links it into the driver
 * object's device list; IoCreateSymbolicLink gives it another name; IoDeleteDevice takes it away.
 * A workload `io` whose path is a device's name (or a link to it) does not go to a volume: the I/O
 * manager builds an IRP with one stack location and calls the driver's dispatch routine for the
 * major function (DriverObject->MajorFunction[…]) at PASSIVE_LEVEL in the requesting thread. The
 * filters never see it. The dispatch routine completes it with IoCompleteRequest.
 */
import type { Co } from './coroutine';
import { isFunctionValue, unicodeStringText, type UnicodeString } from './cvalues';
import type { DriverFn } from './driverFn';
import { kernelFrame, type Kernel } from './kernel';
import { EngineStruct, type Marshal } from './marshal';
import { writeOut } from './objects';
import type { PoolRoutines } from './pool';
import { formatStatus, STATUS } from './status';
import { PRIORITY, type KThread } from './thread';
import type { StructView } from '../memory/view';
import type { AllocPtr } from '../memory/pointer';

const IO_TYPE_DEVICE = 3;
const IO_TYPE_IRP = 6;
const DO_DEVICE_INITIALIZING = 0x80;
const USER_MODE = 1;

/** What a device needs of the driver object that owns it. */
export interface DeviceOwner {
  readonly module: string;
  /** DriverObject->MajorFunction[major] as the driver set it. */
  dispatchRoutine(major: number): unknown;
  /** Puts `dev` at the head of DriverObject->DeviceObject's list; returns the previous head. */
  linkDevice(dev: DeviceObject | null): unknown;
}

export class DeviceObject extends EngineStruct {
  protected get cTag(): string {
    return '_DEVICE_OBJECT';
  }

  deleted = false;
  readonly js: Record<string, unknown>;

  constructor(
    readonly name: string,
    readonly owner: DeviceOwner,
    extension: AllocPtr | null,
    deviceType: number,
    characteristics: number,
    next: unknown,
  ) {
    super();
    this.js = {
      Type: IO_TYPE_DEVICE,
      Size: 0x150,
      ReferenceCount: 0,
      DriverObject: owner,
      NextDevice: next,
      Flags: DO_DEVICE_INITIALIZING,
      Characteristics: characteristics,
      DeviceExtension: extension,
      DeviceType: deviceType,
      StackSize: 1,
      AlignmentRequirement: 0,
      SectorSize: 0,
    };
  }

  get label(): string {
    return `device ${this.name || '(unnamed)'}`;
  }

  protected override cLabel(): string {
    return `DEVICE_OBJECT ${this.name || '(unnamed)'} of ${this.owner.module}`;
  }

  protected override cFill(v: StructView, _m: Marshal): void {
    for (const [k, val] of Object.entries(this.js)) if (val !== null && val !== undefined) v[k] = val;
  }
}

/** The engine's side of an IRP it built: the C memory is the IRP itself. */
class IrpRecord {
  completed = false;
  constructor(readonly label: string) {}
}

/** The results of I/O sent to driver-created devices, by workload id. */
export interface DeviceIoResult {
  status: number;
  information: number;
  completed: boolean;
}

export class DeviceRoutines {
  private readonly byName = new Map<string, DeviceObject>();
  private readonly links = new Map<string, string>();
  readonly results = new Map<number, DeviceIoResult>();

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
  ) {}

  IoCreateDevice(DriverObject: unknown, DeviceExtensionSize: number, DeviceName: unknown, DeviceType: number, DeviceCharacteristics: number, _Exclusive: unknown, DeviceObject_: unknown): number {
    const k = this.k;
    k.checkIrql('IoCreateDevice');
    writeOut(DeviceObject_, null);
    if (!isOwner(DriverObject)) {
      k.violation('bad-object', 'IoCreateDevice needs the DRIVER_OBJECT DriverEntry received');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = DeviceName === null || DeviceName === undefined ? '' : unicodeStringText(k.marshal.deref<UnicodeString>(DeviceName, '_UNICODE_STRING'));
    if (name !== '' && (this.byName.has(name.toLowerCase()) || this.links.has(name.toLowerCase()))) return STATUS.STATUS_OBJECT_NAME_COLLISION;
    if (k.allocationFails('IoCreateDevice')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const size = Number(DeviceExtensionSize) >>> 0;
    const extension = size === 0 ? null : this.pool.allocate('IoCreateDevice', size, 'NonPagedPool', 0x76654465 /* 'eDev' */, undefined, true);
    const dev = new DeviceObject(name, DriverObject, extension, Number(DeviceType), Number(DeviceCharacteristics), null);
    dev.js.NextDevice = DriverObject.linkDevice(dev);
    if (name !== '') this.byName.set(name.toLowerCase(), dev);
    writeOut(DeviceObject_, dev);
    k.emit('driver-load', 0, `${DriverObject.module} created ${dev.label}`);
    return STATUS.STATUS_SUCCESS;
  }

  IoDeleteDevice(DeviceObject_: unknown): void {
    const k = this.k;
    k.checkIrql('IoDeleteDevice');
    if (!(DeviceObject_ instanceof DeviceObject) || DeviceObject_.deleted) {
      k.violation('bad-object', `IoDeleteDevice needs a device from IoCreateDevice${DeviceObject_ instanceof DeviceObject ? ' that is not deleted yet' : ''}`);
      return;
    }
    const dev = DeviceObject_;
    dev.deleted = true;
    if (dev.name !== '') this.byName.delete(dev.name.toLowerCase());
    // The driver object's list loses the device (fltsim's drivers create one or two, so the head is enough).
    dev.owner.linkDevice(null);
    const ext = dev.js.DeviceExtension;
    if (ext !== null) this.pool.free('IoDeleteDevice', ext);
    k.emit('unload', 0, `${dev.label} deleted`);
  }

  IoCreateSymbolicLink(SymbolicLinkName: unknown, DeviceName: unknown): number {
    const k = this.k;
    k.checkIrql('IoCreateSymbolicLink');
    const link = unicodeStringText(k.marshal.deref<UnicodeString>(SymbolicLinkName, '_UNICODE_STRING'));
    const target = unicodeStringText(k.marshal.deref<UnicodeString>(DeviceName, '_UNICODE_STRING'));
    if (link === '' || target === '') {
      k.violation('null-param', 'IoCreateSymbolicLink needs the link name and the device name');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (this.links.has(link.toLowerCase()) || this.byName.has(link.toLowerCase())) return STATUS.STATUS_OBJECT_NAME_COLLISION;
    this.links.set(link.toLowerCase(), target);
    return STATUS.STATUS_SUCCESS;
  }

  IoDeleteSymbolicLink(SymbolicLinkName: unknown): number {
    const k = this.k;
    k.checkIrql('IoDeleteSymbolicLink');
    const link = unicodeStringText(k.marshal.deref<UnicodeString>(SymbolicLinkName, '_UNICODE_STRING'));
    return this.links.delete(link.toLowerCase()) ? STATUS.STATUS_SUCCESS : STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
  }

  IoCompleteRequest(Irp: unknown, _PriorityBoost: number): void {
    const k = this.k;
    k.checkIrql('IoCompleteRequest');
    if (!(Irp instanceof IrpRecord)) {
      k.violation(Irp === null || Irp === undefined ? 'null-param' : 'bad-object', 'IoCompleteRequest needs an IRP the I/O manager sent to the driver');
      return;
    }
    if (Irp.completed) {
      k.violation('complete-twice', `IoCompleteRequest called a second time for ${Irp.label}`);
      return;
    }
    Irp.completed = true;
  }

  // --- I/O the scenario sends to a device ---

  /** The live device a workload path names, directly or through a symbolic link (`\??\Name`). */
  deviceFor(path: string): DeviceObject | undefined {
    let p = path.toLowerCase();
    const link = this.links.get(p) ?? this.links.get(p.replace(/^\\\?\?\\/, '\\dosdevices\\')) ?? this.links.get(p.replace(/^\\dosdevices\\/, '\\??\\'));
    if (link !== undefined) p = link.toLowerCase();
    return this.byName.get(p);
  }

  /** Sends workload request `id` (an IRP of `major`) to `dev` in a thread of its own. */
  spawnIo(dev: DeviceObject, id: number, major: number, majorText: string, code: number, length: number): KThread {
    return this.k.spawn(`I/O #${id} (${majorText} to ${dev.name})`, 'io', PRIORITY.normal, (t) => this.sendIrp(t, dev, id, major, code, length));
  }

  private *sendIrp(t: KThread, dev: DeviceObject, id: number, major: number, code: number, length: number): Co<void> {
    const k = this.k;
    const m = k.marshal;
    t.frames.push(kernelFrame('IofCallDriver', 'nt'));
    const routine = dev.owner.dispatchRoutine(major);
    if (!isFunctionValue(routine) && typeof routine !== 'function') {
      // No dispatch routine: the I/O manager's default fails the request.
      this.results.set(id, { status: STATUS.STATUS_INVALID_DEVICE_REQUEST, information: 0, completed: true });
      k.emit('io-done', 0, `#${id} to ${dev.label}: the driver has no dispatch routine for major ${major} (STATUS_INVALID_DEVICE_REQUEST)`);
      return;
    }
    const owner = new IrpRecord(`the IRP of #${id}`);
    const irp = m.layOut(owner, '_IRP', `IRP of I/O #${id}`);
    const stack = m.layOut({ label: `stack location of #${id}` }, '_IO_STACK_LOCATION', `IO_STACK_LOCATION of I/O #${id}`);
    const buffer = length > 0 ? m.space.pointer(m.space.allocate('engine', length, { label: `system buffer of I/O #${id} (${length} bytes)`, zeroed: true })) : null;
    irp.Type = IO_TYPE_IRP;
    irp.Size = 0xd0;
    irp.StackCount = 1;
    irp.CurrentLocation = 1;
    irp.RequestorMode = USER_MODE;
    (irp.IoStatus as StructView).Status = STATUS.STATUS_SUCCESS;
    const overlay = (irp.Tail as StructView).Overlay as StructView;
    overlay.Thread = t;
    overlay.CurrentStackLocation = stack.$ptr;
    if (buffer !== null) (irp.AssociatedIrp as StructView).SystemBuffer = buffer;
    stack.MajorFunction = major;
    stack.DeviceObject = dev;
    if (code !== 0 || length > 0) {
      const p = stack.Parameters as StructView;
      // FileSystemControl and DeviceIoControl share one layout: output length, input length, code.
      (p.DeviceIoControl as StructView).OutputBufferLength = length;
      (p.DeviceIoControl as StructView).InputBufferLength = length;
      (p.DeviceIoControl as StructView).IoControlCode = code;
    }
    k.emit('io-issue', 0, `#${id} IRP major ${major} sent to ${dev.label} (the filters do not see it)`);
    const r = yield* k.callDriver(t, routine as DriverFn, nameOfRoutine(routine, 'DispatchRoutine'), [dev, irp.$ptr]);
    const status = (irp.IoStatus as StructView).Status as number;
    const information = Number((irp.IoStatus as StructView).Information);
    const returned = typeof r === 'number' ? r >>> 0 : status >>> 0;
    const completed = owner.completed;
    if (!completed && returned !== STATUS.STATUS_PENDING) {
      k.violation('irp-not-completed', `the dispatch routine returned ${formatStatus(returned)} for #${id} without calling IoCompleteRequest; the requester waits forever`);
    }
    this.results.set(id, { status: status >>> 0, information, completed });
    k.emit('io-done', 0, `#${id} done: ${formatStatus(status >>> 0)} from ${dev.label}`);
  }

  /** The device a volume's Filter Manager frame sits on, for FltGetDeviceObject. */
  volumeDevice(owner: DeviceOwner, name: string): DeviceObject {
    const key = `volume:${name.toLowerCase()}`;
    let dev = this.byName.get(key);
    if (dev === undefined) {
      dev = new DeviceObject(name, owner, null, 0x8 /* FILE_DEVICE_DISK_FILE_SYSTEM */, 0, null);
      this.byName.set(key, dev);
    }
    return dev;
  }
}

function isOwner(v: unknown): v is DeviceOwner {
  return typeof v === 'object' && v !== null && typeof (v as DeviceOwner).linkDevice === 'function';
}

function nameOfRoutine(fn: unknown, fallback: string): string {
  const n = (fn as { name?: unknown })?.name;
  return typeof n === 'string' && n !== '' ? n : fallback;
}
