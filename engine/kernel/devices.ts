/**
 * Device objects a driver creates itself — a control device object (CDO) that a user program opens
 * to talk to the driver — with the I/O the scenario sends to them.
 *
 * IoCreateDevice names the device (`\FileSystem\Filters\CdoSample`) and links it into the driver
 * object's device list; IoCreateSymbolicLink gives it another name; IoDeleteDevice takes it away.
 * A workload `io` whose path is a device's name (or a link to it) does not go to a volume: the I/O
 * manager builds an IRP (irp.ts) with a stack location per device of the stack and calls the driver's dispatch routine for the
 * major function (DriverObject->MajorFunction[…]) at PASSIVE_LEVEL in the requesting thread. The
 * filters never see it. The dispatch routine completes it with IoCompleteRequest, or marks it pending
 * (IoMarkIrpPending), keeps it and returns STATUS_PENDING: the request is then in flight until
 * someone completes it — a worker, a later request — and a workload `cancel #N` runs IoCancelIrp on it
 * (irpCancel.ts). Deleting a device while requests to it are pended is a violation.
 */
import type { Co } from './coroutine';
import { unicodeStringText, type UnicodeString } from './cvalues';
import { DeviceObject, DO_DEVICE_INITIALIZING, type DeviceOwner } from './deviceObject';
import { Irp, IRP_MJ_DEVICE_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL, type IrpRoutines } from './irp';
import { controlSystemBufferSize, ioctlMethod, METHOD_BUFFERED, METHOD_NEITHER } from './transferMethod';
import { Mdl, MDL_PAGES_LOCKED } from './mdl';
import type { IrpCancelRoutines } from './irpCancel';
import { type Kernel } from './kernel';
import { writeOut } from './objects';
import type { ObjectManagerRoutines } from './objectManager';
import type { PoolRoutines } from './pool';
import { formatStatus, STATUS } from './status';
import { PRIORITY, type KThread } from './thread';
import type { StructView } from '../memory/view';
import type { AllocPtr } from '../memory/pointer';

/** What a workload request to a device carries: its control code, buffer lengths and input bytes. */
export interface DeviceRequest {
  code: number;
  /** Both buffers' length when the request gives no input bytes or output length of its own. */
  length: number;
  /** The input buffer's bytes (a write's data, a control request's input). */
  input?: Uint8Array;
  outputLength?: number;
}

const USER_MODE = 1;

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
  /** Workload requests sent to a device and not completed yet, by workload id. */
  private readonly inFlight = new Map<number, { irp: Irp; dev: DeviceObject }>();

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
    private readonly ob: ObjectManagerRoutines,
    private readonly irps: IrpRoutines,
    private readonly cancelling: IrpCancelRoutines,
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
    const dev = new DeviceObject({ name, owner: DriverObject, role: 'control', deviceType: Number(DeviceType), characteristics: Number(DeviceCharacteristics), extension, flags: DO_DEVICE_INITIALIZING });
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
    const pended = [...this.inFlight].filter(([, f]) => f.dev === dev).map(([id]) => `#${id}`);
    if (pended.length > 0) {
      k.violation('irp-pending-at-delete', `IoDeleteDevice(${dev.label}) while request${pended.length === 1 ? '' : 's'} ${pended.join(', ')} to it ${pended.length === 1 ? 'is' : 'are'} still pended; complete or cancel what the driver queued before deleting the device`);
    }
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

  /** The highest device of `DeviceObject`'s stack, with a reference for the caller (ObDereferenceObject). */
  IoGetAttachedDeviceReference(DeviceObject_: unknown): DeviceObject | null {
    const k = this.k;
    k.checkIrql('IoGetAttachedDeviceReference');
    const dev = this.deviceArg(DeviceObject_, 'IoGetAttachedDeviceReference');
    if (dev === null) return null;
    const top = dev.top();
    this.ob.take(top, 'IoGetAttachedDeviceReference');
    return top;
  }

  /** The highest device of the stack, without a reference (IoGetAttachedDevice). */
  IoGetAttachedDevice(DeviceObject_: unknown): DeviceObject | null {
    this.k.checkIrql('IoGetAttachedDevice');
    return this.deviceArg(DeviceObject_, 'IoGetAttachedDevice')?.top() ?? null;
  }

  /** The lowest device of `DeviceObject`'s stack, with a reference for the caller. */
  IoGetDeviceAttachmentBaseRef(DeviceObject_: unknown): DeviceObject | null {
    const k = this.k;
    k.checkIrql('IoGetDeviceAttachmentBaseRef');
    const dev = this.deviceArg(DeviceObject_, 'IoGetDeviceAttachmentBaseRef');
    if (dev === null) return null;
    const base = dev.base();
    this.ob.take(base, 'IoGetDeviceAttachmentBaseRef');
    return base;
  }

  /** The device directly below, with a reference (NULL at the bottom of the stack). */
  IoGetLowerDeviceObject(DeviceObject_: unknown): DeviceObject | null {
    const k = this.k;
    k.checkIrql('IoGetLowerDeviceObject');
    const lower = this.deviceArg(DeviceObject_, 'IoGetLowerDeviceObject')?.lowerDevice ?? null;
    if (lower !== null) this.ob.take(lower, 'IoGetLowerDeviceObject');
    return lower;
  }

  private deviceArg(v: unknown, routine: string): DeviceObject | null {
    if (v instanceof DeviceObject && !v.deleted) return v;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a device object${v instanceof DeviceObject ? ' that is not deleted' : ''}`);
    return null;
  }

  /** The target of a symbolic link a driver created (IoCreateSymbolicLink), under any of the DOS-device spellings. */
  linkTarget(name: string): string | undefined {
    const p = name.toLowerCase();
    const link = this.links.get(p);
    if (link !== undefined || this.links.size === 0) return link;
    // \??\ and \DosDevices\ name the same directory; prefix tests, not regexes: every request asks.
    if (p.startsWith('\\??\\')) return this.links.get(`\\dosdevices\\${p.slice(4)}`);
    if (p.startsWith('\\dosdevices\\')) return this.links.get(`\\??\\${p.slice(12)}`);
    return undefined;
  }

  // --- I/O the scenario sends to a device ---

  /** The live device a workload path names, directly or through a symbolic link (`\??\Name`). */
  deviceFor(path: string): DeviceObject | undefined {
    // Every workload request asks; most runs name no device at all.
    if (this.byName.size === 0) return undefined;
    let p = path.toLowerCase();
    const link = this.linkTarget(p);
    if (link !== undefined) p = link.toLowerCase();
    return this.byName.get(p);
  }

  /** Sends workload request `id` (an IRP of `major`) to `dev` in a thread of its own. */
  spawnIo(dev: DeviceObject, id: number, major: number, majorText: string, r: DeviceRequest): KThread {
    return this.k.spawn(`I/O #${id} (${majorText} to ${dev.name})`, 'io', PRIORITY.normal, (t) => this.sendIrp(t, dev, id, major, r));
  }

  private *sendIrp(t: KThread, dev: DeviceObject, id: number, major: number, r: DeviceRequest): Co<void> {
    const k = this.k;
    const m = k.marshal;
    const irp = new Irp(k, `I/O #${id}`, dev.stackSize, null);
    irp.view.RequestorMode = USER_MODE;
    ((irp.view.Tail as StructView).Overlay as StructView).Thread = t;
    const stack = irp.nextStack(m.struct('_IO_STACK_LOCATION'));
    stack.MajorFunction = major;
    const control = major === IRP_MJ_DEVICE_CONTROL || major === IRP_MJ_INTERNAL_DEVICE_CONTROL || major === IRP_MJ_FILE_SYSTEM_CONTROL;
    if (control) this.placeControlBuffers(irp, stack, id, r);
    else if (r.length > 0) {
      // Other requests to a device: one system buffer (a buffered-I/O device), holding a write's data.
      const buffer = this.buffer('engine', id, 'system buffer', r.length, r.input);
      (irp.view.AssociatedIrp as StructView).SystemBuffer = buffer;
    }
    // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
    const onTop: Irp['onTop'] = (done) => {
      this.inFlight.delete(id);
      this.results.set(id, { status: done.status, information: done.information, completed: true });
      k.emit('io-done', 0, `#${id} done: ${formatStatus(done.status)} from ${dev.label}`);
    };
    irp.onTop = onTop;
    this.inFlight.set(id, { irp, dev });
    this.results.set(id, { status: STATUS.STATUS_PENDING, information: 0, completed: false });
    k.emit('io-issue', 0, `#${id} IRP major ${major} sent to ${dev.label} (the filters do not see it)`);
    if (dev.owner.dispatchRoutine(major) === null) {
      k.emit('io-done', 0, `#${id} to ${dev.label}: the driver has no dispatch routine for major ${major} (STATUS_INVALID_DEVICE_REQUEST)`);
    }
    const returned = yield* this.irps.callDriver(t, dev, irp);
    if (irp.state === 'done') return;
    if (returned >>> 0 === STATUS.STATUS_PENDING) {
      k.emit('io-done', 0, `#${id} pended by ${dev.label}: it stays in flight until the driver completes it`);
      return;
    }
    // The dispatch routine returned without completing (a violation already): the caller sees the status it returned.
    this.inFlight.delete(id);
    this.results.set(id, { status: returned >>> 0, information: irp.information, completed: false });
    k.emit('io-done', 0, `#${id} done: ${formatStatus(returned >>> 0)} from ${dev.label}`);
  }

  /**
   * Where a device control request's buffers are, as the I/O manager places a user program's:
   * METHOD_BUFFERED copies the input into one system buffer big enough for the output too;
   * METHOD_IN/OUT_DIRECT copies the input into a system buffer and describes the program's output
   * buffer with a locked MDL (Irp->MdlAddress); METHOD_NEITHER passes the program's own buffers,
   * Type3InputBuffer and Irp->UserBuffer, at user addresses.
   */
  private placeControlBuffers(irp: Irp, stack: StructView, id: number, r: DeviceRequest): void {
    const inLength = r.input?.length ?? r.length;
    const outLength = r.outputLength ?? r.length;
    const p = (stack.Parameters as StructView).DeviceIoControl as StructView;
    // FileSystemControl and DeviceIoControl share one layout: output length, input length, code.
    p.OutputBufferLength = outLength;
    p.InputBufferLength = inLength;
    p.IoControlCode = r.code;
    const method = ioctlMethod(r.code);
    if (method === METHOD_NEITHER) {
      if (inLength > 0) p.Type3InputBuffer = this.buffer('user', id, 'input buffer', inLength, r.input);
      if (outLength > 0) irp.view.UserBuffer = this.buffer('user', id, 'output buffer', outLength);
      return;
    }
    const size = controlSystemBufferSize(r.code, inLength, outLength);
    if (size > 0) (irp.view.AssociatedIrp as StructView).SystemBuffer = this.buffer('engine', id, 'system buffer', size, r.input);
    if (method !== METHOD_BUFFERED && outLength > 0) {
      const out = this.buffer('user', id, 'output buffer', outLength);
      irp.view.UserBuffer = out;
      irp.view.MdlAddress = new Mdl(out, outLength, MDL_PAGES_LOCKED, true);
    }
  }

  private buffer(kind: 'user' | 'engine', id: number, what: string, length: number, contents?: Uint8Array): AllocPtr {
    const m = this.k.marshal;
    const a = m.space.allocate(kind, length, { label: `${what} of I/O #${id} (${length} bytes)`, zeroed: true });
    if (contents !== undefined && contents.length > 0) a.writeBytes(0, contents.subarray(0, length));
    return m.space.pointer(a);
  }

  /** A workload `cancel #N` of a request to a device: IoCancelIrp on its IRP. False when `id` is no such request in flight. */
  *cancelRequest(t: KThread, id: number): Co<boolean> {
    const f = this.inFlight.get(id);
    if (f === undefined) return false;
    yield* this.cancelling.cancel(t, f.irp);
    return true;
  }

  /** Whether workload request `id` went to a device (in flight or done). */
  isDeviceRequest(id: number): boolean {
    return this.results.has(id);
  }
}

function isOwner(v: unknown): v is DeviceOwner {
  return typeof v === 'object' && v !== null && typeof (v as DeviceOwner).linkDevice === 'function';
}
