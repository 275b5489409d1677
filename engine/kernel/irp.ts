/**
 * IRPs sent to devices: built by the I/O manager for workload I/O to a driver's device, or by a
 * driver (IoBuildDeviceIoControlRequest, IoBuildSynchronousFsdRequest), sent with IoCallDriver and
 * completed with IoCompleteRequest.
 *
 * An IRP's C memory is the IRP itself, followed by its own array of IO_STACK_LOCATIONs (one per
 * device of the target's stack). A driver-built IRP starts with CurrentLocation = StackCount + 1;
 * the builder fills the next location (IoGetNextIrpStackLocation), and each IoCallDriver moves the
 * current location down one and calls the device's dispatch routine for the major function.
 *
 * Completing a driver-built IRP does what the I/O manager does for a threaded, synchronous request:
 * for METHOD_BUFFERED the system buffer is copied back to the caller's output buffer (Information
 * bytes), IoStatus is copied to the caller's IO_STATUS_BLOCK, the caller's event is signalled, and
 * the IRP is freed — touching it afterwards is a use after free. Completion walks the stack locations
 * first and runs the completion routines drivers set (irpCompletion.ts); one that returns
 * STATUS_MORE_PROCESSING_REQUIRED keeps the IRP for its driver.
 *
 * A driver may also allocate an IRP itself (IoAllocateIrp): no requester waits for it, so its own
 * completion routine must stop completion with STATUS_MORE_PROCESSING_REQUIRED and free (IoFreeIrp)
 * or reuse (IoReuseIrp) it. Freeing one still on its way down, completing one twice and letting one
 * complete past its top location are violations; leaks are reported at unload like pool leaks.
 * Not modelled: MDLs for direct I/O on built IRPs (METHOD_IN/OUT_DIRECT pass the output buffer in
 * UserBuffer; Irp->MdlAddress stays NULL unless the driver attaches one with IoAllocateMdl).
 */
import { isCo, type Co } from './coroutine';
import { walkCompletion } from './irpCompletion';
import { isFunctionValue } from './cvalues';
import { DeviceObject, EngineDriver } from './deviceObject';
import type { DispatcherRoutines } from './dispatcher';
import type { DriverFn } from './driverFn';
import { callSite, kernelFrame, type Kernel } from './kernel';
import type { SourceLocation } from './events';
import { formatStatus, STATUS } from './status';
import type { KThread } from './thread';
import { isView, viewAt, type StructView } from '../memory/view';
import { Ptr, resolve, type AllocPtr } from '../memory/pointer';
import { sizeOf } from '../c/types';
import { controlSystemBufferSize, ioctlMethod, METHOD_BUFFERED, METHOD_NEITHER } from './transferMethod';

/** Major functions of wdm.h that the I/O manager itself treats specially. */
export const IRP_MJ_READ = 0x03;
export const IRP_MJ_WRITE = 0x04;
export const IRP_MJ_FLUSH_BUFFERS = 0x09;
export const IRP_MJ_FILE_SYSTEM_CONTROL = 0x0d;
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
export const IRP_MJ_SHUTDOWN = 0x10;

const IO_TYPE_IRP = 6;
const KERNEL_MODE = 0;

/** A dispatch routine of a driver the engine plays (deviceObject.ts's EngineDriver). */
export type EngineDispatch = (t: KThread, dev: DeviceObject, irp: Irp) => number | Co<number>;

/** How a finished IRP is handed back to whoever is waiting for it. */
interface Requester {
  /** The caller's IO_STATUS_BLOCK (a view), or null. */
  iosb: unknown;
  /** The caller's KEVENT, or null. */
  event: unknown;
  /** METHOD_BUFFERED output: where the system buffer's first Information bytes go. */
  output: { to: Ptr; length: number } | null;
}

/**
 * Where an IRP is in its life: `idle` (allocated, or handed back by a completion routine that
 * returned STATUS_MORE_PROCESSING_REQUIRED), `sent` (on its way down, IoCallDriver), `completing`
 * (IoCompleteRequest is walking its stack locations), `done` (completed past its top location).
 */
export type IrpState = 'idle' | 'sent' | 'completing' | 'done';

/** Who made the IRP: the I/O manager for the workload, IoBuild*Request, or the driver (IoAllocateIrp). */
export type IrpOrigin = 'io-manager' | 'built' | 'allocated';

/** The engine's side of an IRP: its C memory is the IRP. */
export class Irp {
  state: IrpState = 'idle';
  freed = false;
  origin: IrpOrigin;
  /** True while a completion routine runs: it may free the IRP it then keeps with STATUS_MORE_PROCESSING_REQUIRED. */
  inCompletionRoutine = false;
  /** The cancel-safe queue (IoCsq, csq.ts) the IRP sits in, or null. */
  csq: { readonly name: string } | null = null;
  /** How many times completion has started (a dispatch routine that passed the IRP on completed it too). */
  completions = 0;
  /** Where IoAllocateIrp was called, for the leak report. */
  allocatedAt: { location: SourceLocation; function: string } | undefined = undefined;
  /** Called when completion reaches the top of an I/O-manager IRP (the workload's request is done). */
  onTop: ((irp: Irp) => void) | null = null;
  /** Threaded, driver-built IRPs are freed by the I/O manager when they complete. */
  readonly requester: Requester | null;
  readonly view: StructView;
  readonly stackCount: number;
  private readonly stacks: AllocPtr;

  /** The memory of the IRP's stack locations (freed with the IRP). */
  get stackMemory(): AllocPtr['alloc'] {
    return this.stacks.alloc;
  }
  private readonly stackSize: number;
  /** The system buffer the I/O manager allocated (METHOD_BUFFERED, buffered reads and writes). */
  systemBuffer: AllocPtr | null = null;

  constructor(
    k: Kernel,
    readonly label: string,
    stackCount: number,
    requester: Requester | null,
  ) {
    const m = k.marshal;
    this.requester = requester;
    this.origin = requester !== null ? 'built' : 'io-manager';
    this.stackCount = Math.max(1, stackCount);
    this.view = m.layOut(this, '_IRP', `IRP (${label})`);
    const st = m.struct('_IO_STACK_LOCATION');
    this.stackSize = sizeOf(st);
    this.stacks = m.space.pointer(m.space.allocate('engine', this.stackSize * this.stackCount, { label: `IO_STACK_LOCATIONs of the IRP (${label})`, zeroed: true }));
    const irp = this.view;
    irp.Type = IO_TYPE_IRP;
    irp.Size = 0xd0 + this.stackSize * this.stackCount;
    irp.StackCount = this.stackCount;
    irp.CurrentLocation = this.stackCount + 1;
    irp.RequestorMode = KERNEL_MODE;
    this.overlay.CurrentStackLocation = this.stacks.add(this.stackSize * this.stackCount);
  }

  get ptr(): AllocPtr {
    return this.view.$ptr as AllocPtr;
  }

  private get overlay(): StructView {
    return (this.view.Tail as StructView).Overlay as StructView;
  }

  /** The location IoGetNextIrpStackLocation gives: where a builder or a passing driver writes the request. */
  nextStack(stackType: Parameters<typeof viewAt>[2]): StructView {
    return viewAt(this.stacks.alloc, this.stacks.offset + (this.currentLocation - 2) * this.stackSize, stackType);
  }

  /** The current stack location (IoGetCurrentIrpStackLocation): the one of the device handling the IRP. */
  currentStack(stackType: Parameters<typeof viewAt>[2]): StructView {
    return viewAt(this.stacks.alloc, this.stacks.offset + (this.currentLocation - 1) * this.stackSize, stackType);
  }

  /** IoCopyCurrentIrpStackLocationToNext, without the completion routine. */
  copyCurrentToNext(): void {
    const cur = this.stacks.offset + (this.currentLocation - 1) * this.stackSize;
    const next = cur - this.stackSize;
    if (next < this.stacks.offset) return;
    this.stacks.alloc.copyFrom(this.stacks.alloc, cur, next, this.stackSize);
  }

  get currentLocation(): number {
    return Number(this.view.CurrentLocation);
  }

  /** Completion has started and not been stopped by a completion routine. */
  get completed(): boolean {
    return this.state === 'completing' || this.state === 'done';
  }

  /** Stack location `loc` (1 = the lowest device's), whatever the current one is. */
  stackAt(loc: number, stackType: Parameters<typeof viewAt>[2]): StructView {
    return viewAt(this.stacks.alloc, this.stacks.offset + (loc - 1) * this.stackSize, stackType);
  }

  /** Makes `loc` the current location (CurrentLocation and CurrentStackLocation together). */
  setLocation(loc: number): void {
    this.view.CurrentLocation = loc;
    this.overlay.CurrentStackLocation = this.stacks.add((loc - 1) * this.stackSize);
  }

  /** IoReuseIrp: a fresh IRP again, at its top location, with `status` in IoStatus. */
  reset(status: number): void {
    this.stacks.alloc.fill(this.stacks.offset, this.stackSize * this.stackCount, 0);
    const v = this.view;
    v.PendingReturned = 0;
    v.Cancel = 0;
    v.CancelRoutine = null;
    v.MdlAddress = null;
    this.setIoStatus(status, 0);
    this.setLocation(this.stackCount + 1);
    this.state = 'idle';
  }

  /** IoCallDriver's step: the next location becomes the current one. False when none is left. */
  advance(): boolean {
    const loc = this.currentLocation - 1;
    if (loc < 1) return false;
    this.setLocation(loc);
    return true;
  }

  get status(): number {
    return Number((this.view.IoStatus as StructView).Status) >>> 0;
  }

  get information(): number {
    return Number((this.view.IoStatus as StructView).Information);
  }

  setIoStatus(status: number, information: number): void {
    const io = this.view.IoStatus as StructView;
    io.Status = status;
    io.Information = information;
  }
}

export class IrpRoutines {
  /** IRPs from IoAllocateIrp not freed yet. */
  private readonly own = new Set<Irp>();
  private allocated = 0;

  constructor(
    private readonly k: Kernel,
    private readonly dispatcher: DispatcherRoutines,
  ) {}

  /**
   * An IRP_MJ_(INTERNAL_)DEVICE_CONTROL request for `DeviceObject`'s stack. METHOD_BUFFERED copies
   * the input into a system buffer now and the output back at completion; the other methods pass the
   * caller's buffers (METHOD_NEITHER in Type3InputBuffer and UserBuffer).
   */
  IoBuildDeviceIoControlRequest(
    IoControlCode: number,
    DeviceObject_: unknown,
    InputBuffer: unknown,
    InputBufferLength: number,
    OutputBuffer: unknown,
    OutputBufferLength: number,
    InternalDeviceIoControl: unknown,
    Event: unknown,
    IoStatusBlock: unknown,
  ): Irp | null {
    const k = this.k;
    k.checkIrql('IoBuildDeviceIoControlRequest');
    const dev = this.deviceArg(DeviceObject_, 'IoBuildDeviceIoControlRequest');
    if (dev === null) return null;
    if (IoStatusBlock === null || IoStatusBlock === undefined) {
      k.violation('null-param', 'IoBuildDeviceIoControlRequest needs an IO_STATUS_BLOCK for the result');
      return null;
    }
    if (k.allocationFails('IoBuildDeviceIoControlRequest')) return null;
    const code = Number(IoControlCode) >>> 0;
    const inLen = Number(InputBufferLength) >>> 0;
    const outLen = Number(OutputBufferLength) >>> 0;
    const method = ioctlMethod(code);
    const output = method === METHOD_BUFFERED && outLen > 0 && OutputBuffer instanceof Ptr ? { to: OutputBuffer, length: outLen } : null;
    const irp = new Irp(k, `IOCTL 0x${code.toString(16)} to ${dev.label}`, dev.stackSize, { iosb: IoStatusBlock, event: Event ?? null, output });
    const m = k.marshal;
    const stack = irp.nextStack(m.struct('_IO_STACK_LOCATION'));
    stack.MajorFunction = InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    const p = (stack.Parameters as StructView).DeviceIoControl as StructView;
    p.IoControlCode = code;
    p.InputBufferLength = inLen;
    p.OutputBufferLength = outLen;
    if (method === METHOD_NEITHER) {
      p.Type3InputBuffer = InputBuffer ?? null;
      irp.view.UserBuffer = OutputBuffer ?? null;
    } else {
      // The input is copied into a system buffer (METHOD_BUFFERED: one big enough for the output too).
      const size = controlSystemBufferSize(code, inLen, outLen);
      if (size > 0) {
        const sys = m.space.pointer(m.space.allocate('engine', size, { label: `system buffer of the IRP (IOCTL 0x${code.toString(16)}, ${size} bytes)`, zeroed: true }));
        if (inLen > 0) {
          const src = resolveBytes(InputBuffer, inLen);
          sys.alloc.copyFrom(src.alloc, src.offset, 0, inLen);
        }
        irp.systemBuffer = sys;
        (irp.view.AssociatedIrp as StructView).SystemBuffer = sys;
      }
      // Direct I/O: the output stays the caller's buffer; no MDL describes it (Irp->MdlAddress is NULL).
      if (method !== METHOD_BUFFERED) irp.view.UserBuffer = OutputBuffer ?? null;
    }
    irp.view.UserIosb = IoStatusBlock;
    irp.view.UserEvent = Event ?? null;
    return irp;
  }

  /** An IRP_MJ_READ, WRITE, FLUSH_BUFFERS or SHUTDOWN request for `DeviceObject`'s stack, on the caller's buffer. */
  IoBuildSynchronousFsdRequest(MajorFunction: number, DeviceObject_: unknown, Buffer: unknown, Length: number, StartingOffset: unknown, Event: unknown, IoStatusBlock: unknown): Irp | null {
    const k = this.k;
    k.checkIrql('IoBuildSynchronousFsdRequest');
    const dev = this.deviceArg(DeviceObject_, 'IoBuildSynchronousFsdRequest');
    if (dev === null) return null;
    const major = Number(MajorFunction);
    if (![IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_FLUSH_BUFFERS, IRP_MJ_SHUTDOWN].includes(major)) {
      k.violation('invalid-parameter', `IoBuildSynchronousFsdRequest builds reads, writes, flushes and shutdowns only; major function 0x${major.toString(16)} is none of them`);
      return null;
    }
    if (Event === null || Event === undefined || IoStatusBlock === null || IoStatusBlock === undefined) {
      k.violation('null-param', 'IoBuildSynchronousFsdRequest needs the event to wait on and an IO_STATUS_BLOCK for the result');
      return null;
    }
    if (k.allocationFails('IoBuildSynchronousFsdRequest')) return null;
    const irp = new Irp(k, `major 0x${major.toString(16)} to ${dev.label}`, dev.stackSize, { iosb: IoStatusBlock, event: Event, output: null });
    const stack = irp.nextStack(k.marshal.struct('_IO_STACK_LOCATION'));
    stack.MajorFunction = major;
    if (major === IRP_MJ_READ || major === IRP_MJ_WRITE) {
      const rw = (stack.Parameters as StructView)[major === IRP_MJ_READ ? 'Read' : 'Write'] as StructView;
      rw.Length = Number(Length) >>> 0;
      const offset = isView(StartingOffset) ? StartingOffset.QuadPart : 0;
      (rw.ByteOffset as StructView).QuadPart = offset ?? 0;
      irp.view.UserBuffer = Buffer ?? null;
    }
    irp.view.UserIosb = IoStatusBlock;
    irp.view.UserEvent = Event;
    return irp;
  }

  /** Sends the IRP to the device's driver: the next stack location becomes current and its dispatch routine runs. */
  *IoCallDriver(DeviceObject_: unknown, Irp_: unknown): Co<number> {
    const k = this.k;
    k.checkIrql('IoCallDriver');
    const dev = this.deviceArg(DeviceObject_, 'IoCallDriver');
    if (dev === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (!(Irp_ instanceof Irp) || Irp_.freed || Irp_.completed) {
      k.violation(Irp_ === null || Irp_ === undefined ? 'null-param' : 'bad-object', `IoCallDriver needs an IRP${Irp_ instanceof Irp ? ' that is not completed or freed' : ' (from IoAllocateIrp, IoBuildDeviceIoControlRequest, IoBuildSynchronousFsdRequest, or the one the driver received)'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return yield* this.callDriver(k.current, dev, Irp_);
  }

  /** IofCallDriver is what IoCallDriver expands to in the WDK headers. */
  *IofCallDriver(DeviceObject_: unknown, Irp_: unknown): Co<number> {
    return yield* this.IoCallDriver(DeviceObject_, Irp_);
  }

  /** Moves the IRP to `dev` and runs the dispatch routine of its driver for the major function. */
  *callDriver(t: KThread, dev: DeviceObject, irp: Irp): Co<number> {
    const k = this.k;
    if (!irp.advance()) {
      k.violation('irp-no-stack-location', `IoCallDriver sends ${irp.label} to ${dev.label}, but the IRP has no stack location left (bug check 0x35, NO_MORE_IRP_STACK_LOCATIONS)`);
      return STATUS.STATUS_INVALID_DEVICE_REQUEST;
    }
    irp.state = 'sent';
    const current = irp.currentStack(k.marshal.struct('_IO_STACK_LOCATION'));
    current.DeviceObject = dev;
    const major = Number(current.MajorFunction);
    const depth = t.frames.length;
    t.frames.push(kernelFrame('IofCallDriver', 'nt'));
    try {
      if (dev.owner instanceof EngineDriver) {
        const fn = dev.owner.dispatchRoutine(major) as EngineDispatch | null;
        if (fn === null) return yield* this.complete(irp, STATUS.STATUS_INVALID_DEVICE_REQUEST, 0);
        const r = fn(t, dev, irp);
        return isCo(r) ? yield* r : r;
      }
      const routine = dev.owner.dispatchRoutine(major);
      if (!isFunctionValue(routine) && typeof routine !== 'function') {
        // No dispatch routine: the I/O manager's default one fails the request.
        return yield* this.complete(irp, STATUS.STATUS_INVALID_DEVICE_REQUEST, 0);
      }
      const before = irp.completions;
      const r = yield* k.callDriver(t, routine as DriverFn, nameOfRoutine(routine, 'DispatchRoutine'), [dev, irp.ptr]);
      const returned = typeof r === 'number' ? r >>> 0 : irp.freed ? STATUS.STATUS_SUCCESS : irp.status;
      if (irp.completions === before && returned !== STATUS.STATUS_PENDING) {
        k.violation('irp-not-completed', `the dispatch routine of ${dev.label} returned ${formatStatus(returned)} for ${irp.label} without calling IoCompleteRequest; the requester waits forever`);
      }
      return returned;
    } finally {
      t.frames.length = depth;
    }
  }

  /** What a driver does with an IRP it does not handle itself: the same request, one device down. */
  *passDown(t: KThread, lower: DeviceObject, irp: Irp): Co<number> {
    irp.copyCurrentToNext();
    return yield* this.callDriver(t, lower, irp);
  }

  /**
   * Completes the IRP: the completion routines of the drivers above run on the way up
   * (irpCompletion.ts), in this thread at this IRQL; at the top the requester gets the result.
   */
  *IoCompleteRequest(Irp_: unknown, _PriorityBoost: number): Co<void> {
    const k = this.k;
    k.checkIrql('IoCompleteRequest');
    if (!(Irp_ instanceof Irp) || (Irp_.freed && !Irp_.completed)) {
      k.violation(Irp_ === null || Irp_ === undefined ? 'null-param' : 'bad-object', `IoCompleteRequest needs an IRP the driver received or allocated${Irp_ instanceof Irp ? ', not one already freed' : ''}`);
      return;
    }
    const irp = Irp_;
    if (irp.completed) {
      k.violation('complete-twice', `IoCompleteRequest called a second time for ${irp.label}${irp.state === 'completing' ? ' while its completion is still running' : ''}`);
      return;
    }
    if (irp.status === STATUS.STATUS_PENDING) {
      k.violation('invalid-parameter', `IoCompleteRequest for ${irp.label} with IoStatus.Status = STATUS_PENDING; set the final status first (bug check 0x44)`);
    }
    if (irp.csq !== null) {
      k.violation('csq-complete-queued', `IoCompleteRequest for ${irp.label} while it still sits in ${irp.csq.name}; take it out with IoCsqRemoveIrp or IoCsqRemoveNextIrp before completing it`);
    } else if (irp.view.CancelRoutine !== null && irp.view.CancelRoutine !== undefined) {
      k.violation('irp-complete-with-cancel-routine', `IoCompleteRequest for ${irp.label} while its cancel routine is still set; clear it with IoSetCancelRoutine(Irp, NULL) first (bug check 0xC9 under Driver Verifier)`);
    }
    yield* this.finish(k.current, irp);
  }

  /** IofCompleteRequest is what IoCompleteRequest expands to in the WDK headers. */
  *IofCompleteRequest(Irp_: unknown, PriorityBoost: number): Co<void> {
    yield* this.IoCompleteRequest(Irp_, PriorityBoost);
  }

  /**
   * An IRP with StackSize stack locations and no requester: the driver fills the next location,
   * sets a completion routine and sends it; that routine must return STATUS_MORE_PROCESSING_REQUIRED.
   */
  IoAllocateIrp(StackSize: number, _ChargeQuota: unknown): Irp | null {
    const k = this.k;
    k.checkIrql('IoAllocateIrp');
    const n = Number(StackSize);
    if (!(n >= 1 && n <= 127)) {
      k.violation('invalid-parameter', `IoAllocateIrp(${n}): the stack size must be between 1 and 127 (usually DeviceObject->StackSize of the target, plus one for the caller's own location)`);
      return null;
    }
    if (k.allocationFails('IoAllocateIrp')) return null;
    const site = callSite(k.current);
    const irp = new Irp(k, `IRP ${++this.allocated} from IoAllocateIrp${site ? ` in ${site.function}` : ''}`, n, null);
    irp.origin = 'allocated';
    irp.allocatedAt = site;
    this.own.add(irp);
    return irp;
  }

  /** Makes an IRP the driver allocated ready to send again (after its completion routine kept it). */
  IoReuseIrp(Irp_: unknown, Iostatus: number): void {
    const k = this.k;
    k.checkIrql('IoReuseIrp');
    if (!(Irp_ instanceof Irp) || Irp_.freed) {
      k.violation(Irp_ === null || Irp_ === undefined ? 'null-param' : 'bad-object', 'IoReuseIrp needs an IRP from IoAllocateIrp that is not freed');
      return;
    }
    if (Irp_.origin !== 'allocated') {
      k.violation('bad-object', `IoReuseIrp on ${Irp_.label}: only an IRP the driver allocated (IoAllocateIrp) can be reused`);
      return;
    }
    if (Irp_.state === 'sent' || (Irp_.state === 'completing' && !Irp_.inCompletionRoutine)) {
      k.violation('irp-free-in-progress', `IoReuseIrp on ${Irp_.label} while it is still being processed (sent with IoCallDriver and not completed)`);
      return;
    }
    Irp_.reset(Number(Iostatus) >>> 0);
  }

  /** A driver frees an IRP it allocated and completed itself; the I/O manager frees the ones it built. */
  IoFreeIrp(Irp_: unknown): void {
    const k = this.k;
    k.checkIrql('IoFreeIrp');
    if (!(Irp_ instanceof Irp) || Irp_.freed) {
      k.violation('bad-object', `IoFreeIrp needs an IRP that is not freed yet${Irp_ instanceof Irp && Irp_.requester !== null ? ' (the I/O manager frees the IRPs IoBuild*Request made when they complete)' : ''}`);
      return;
    }
    if (Irp_.state === 'sent' || (Irp_.state === 'completing' && !Irp_.inCompletionRoutine)) {
      k.violation('irp-free-in-progress', `IoFreeIrp on ${Irp_.label} while it is still being processed (sent with IoCallDriver and not completed); free it in its completion routine or after`);
      return;
    }
    if (Irp_.origin === 'io-manager') {
      k.violation('bad-object', `IoFreeIrp on ${Irp_.label}: the I/O manager made this IRP and frees it itself; a driver frees only the IRPs it allocated`);
      return;
    }
    this.free(Irp_);
  }

  /** The engine's drivers complete with a status and Information. */
  *complete(irp: Irp, status: number, information: number): Co<number> {
    irp.setIoStatus(status, information);
    yield* this.finish(this.k.current, irp);
    return status;
  }

  /** The IRPs drivers allocated and never freed: leaks, reported at unload like pool leaks. */
  unloadLeaks(): void {
    const k = this.k;
    for (const irp of this.own) {
      const at = irp.allocatedAt;
      k.violation('irp-leak', `${irp.label} was never freed with IoFreeIrp${at ? ` (allocated at ${at.location.file}:${at.location.line})` : ''}`, 0, k.outside, at?.location);
    }
  }

  private *finish(t: KThread, irp: Irp): Co<void> {
    irp.state = 'completing';
    irp.completions++;
    const end = yield* walkCompletion(this.k, t, irp);
    if (end === 'more-processing' || irp.freed) {
      if (!irp.freed) irp.state = 'idle';
      return;
    }
    irp.state = 'done';
    if (irp.onTop !== null) {
      irp.onTop(irp);
      return;
    }
    const r = irp.requester;
    if (r === null) {
      if (irp.origin === 'allocated') {
        this.k.violation('irp-own-reached-top', `${irp.label} completed past its top stack location: no completion routine returned STATUS_MORE_PROCESSING_REQUIRED, so the I/O manager would finish an IRP it never issued (a crash on Windows); set one with IoSetCompletionRoutine and free or reuse the IRP there`);
      }
      return;
    }
    const status = irp.status;
    const information = irp.information;
    if (r.output !== null && irp.systemBuffer !== null && !(status >= 0xc0000000)) {
      const n = Math.min(information, r.output.length);
      if (n > 0) {
        const dst = resolve(r.output.to, n, 'writes');
        dst.alloc.copyFrom(irp.systemBuffer.alloc, irp.systemBuffer.offset, dst.offset, n);
      }
    }
    writeIoStatus(r.iosb, status, information);
    if (r.event !== null && r.event !== undefined) this.dispatcher.KeSetEvent(r.event, 0, 0);
    // The I/O manager frees a threaded IRP once it has handed the results back.
    this.free(irp);
  }

  private free(irp: Irp): void {
    irp.freed = true;
    this.own.delete(irp);
    const space = this.k.marshal.space;
    space.free(irp.view.$alloc);
    space.free(irp.stackMemory);
    if (irp.systemBuffer !== null) space.free(irp.systemBuffer.alloc);
  }

  private deviceArg(v: unknown, routine: string): DeviceObject | null {
    if (v instanceof DeviceObject && !v.deleted) return v;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a device object${v instanceof DeviceObject ? ' that is not deleted' : ''}`);
    return null;
  }
}

/** Where `length` bytes of a caller's buffer are (faulting as C would when they are not there). */
function resolveBytes(p: unknown, length: number): AllocPtr {
  return resolve(p instanceof Ptr ? p : null, length, 'reads');
}

/** Writes Status and Information into the caller's IO_STATUS_BLOCK (a view, or a TypeScript object). */
function writeIoStatus(iosb: unknown, status: number, information: number): void {
  if (iosb === null || iosb === undefined || typeof iosb !== 'object') return;
  const o = iosb as { Status?: unknown; Information?: unknown };
  o.Status = status;
  o.Information = information;
}

function nameOfRoutine(fn: unknown, fallback: string): string {
  const n = (fn as { name?: unknown })?.name;
  return typeof n === 'string' && n !== '' ? n : fallback;
}
