/**
 * I/O work items (IoAllocateWorkItem, IoInitializeWorkItem) and executive work items
 * (ExQueueWorkItem on a WORK_QUEUE_ITEM the driver filled with ExInitializeWorkItem). Both run their
 * routine on a system worker thread (workqueue.ts) at PASSIVE_LEVEL. An I/O work item is tied to a
 * device object, which stays referenced from IoQueueWorkItem until the routine returns: that
 * reference is what keeps the driver loaded, so the driver's unload waits for it. An executive work
 * item holds nothing: if its driver unloads first, its routine would run in freed code.
 */
import { Trap, type Co } from './coroutine';
import { nameOf, type DriverFn } from './driverFn';
import type { SourceLocation } from './events';
import { callSite, type Kernel } from './kernel';
import { ObjectStates, addressName, isAddressable } from './objects';
import type { KThread } from './thread';
import { DeviceObject, EngineDriver } from './deviceObject';
import type { WorkEntry, WorkQueueName, WorkQueues } from './workqueue';

export type IoWorkItemState = 'allocated' | 'queued' | 'running' | 'ran' | 'freed';

/** WORK_QUEUE_TYPE values a driver may pass; the rest are reserved for the system. */
const CRITICAL = 0;
const DELAYED = 1;
const HYPER_CRITICAL = 2;
const NORMAL = 3;
const BACKGROUND = 4;

/** IO_WORKITEM (opaque to C) and the state of a WORK_QUEUE_ITEM: one work item of either kind. */
export class IoWorkItem implements WorkEntry {
  state: IoWorkItemState = 'allocated';
  routine: DriverFn | null = null;
  routineName = '';
  context: unknown = null;
  /** IoQueueWorkItemEx: the routine also receives the item. */
  ex = false;
  queuedAt: SourceLocation | undefined = undefined;
  /** The routine's thread while it runs. */
  worker: KThread | null = null;

  constructor(
    readonly id: number,
    /** `I/O work item` or `executive work item`. */
    readonly kind: string,
    /** The device object an I/O work item references while queued; null for executive items. */
    readonly device: unknown,
    /** What C passed to identify it (an IoInitializeWorkItem block, a WORK_QUEUE_ITEM): the routine's argument for IoQueueWorkItemEx. */
    readonly pointer: unknown,
    private readonly owner: IoWorkItemRoutines,
  ) {}

  get label(): string {
    return this.routineName || '(not queued)';
  }

  get name(): string {
    return `WI#${this.id}`;
  }

  run(worker: KThread): Co<void> {
    return this.owner.runItem(worker, this);
  }
}

export class IoWorkItemRoutines {
  /** Items neither freed nor uninitialized, by creation. */
  private readonly items = new Set<IoWorkItem>();
  /** Items made by IoInitializeWorkItem in driver memory and WORK_QUEUE_ITEMs, by address. */
  private readonly byAddress = new ObjectStates<IoWorkItem>();
  /** Threads unloading a driver, waiting for its I/O work items to finish. */
  private readonly drainers: KThread[] = [];

  constructor(
    private readonly k: Kernel,
    private readonly queues: WorkQueues,
  ) {}

  IoAllocateWorkItem(DeviceObject: unknown): IoWorkItem | null {
    const k = this.k;
    k.checkIrql('IoAllocateWorkItem');
    if (!this.deviceOk('IoAllocateWorkItem', DeviceObject)) return null;
    if (k.allocationFails('IoAllocateWorkItem')) return null;
    const wi = new IoWorkItem(this.queues.nextItemId(), 'I/O work item', DeviceObject, null, this);
    this.items.add(wi);
    return wi;
  }

  /** The size of an IO_WORKITEM, for drivers that allocate the memory themselves. */
  IoSizeofWorkItem(): number {
    return 0x58;
  }

  IoInitializeWorkItem(IoObject: unknown, IoWorkItem_: unknown): void {
    const k = this.k;
    k.checkIrql('IoInitializeWorkItem');
    if (!isAddressable(IoWorkItem_)) {
      k.violation('null-param', 'IoInitializeWorkItem needs the memory for the work item (IoSizeofWorkItem bytes)');
      return;
    }
    if (!this.deviceOk('IoInitializeWorkItem', IoObject)) return;
    const old = this.byAddress.get(IoWorkItem_);
    if (old && old.state === 'queued') k.violation('wi-free-while-queued', `IoInitializeWorkItem reinitializes ${old.name} while it is still queued for ${old.routineName}`, 0, k.current);
    const wi = new IoWorkItem(this.queues.nextItemId(), 'I/O work item', IoObject, IoWorkItem_, this);
    this.byAddress.set(IoWorkItem_, wi);
    this.items.add(wi);
  }

  IoUninitializeWorkItem(IoWorkItem_: unknown): void {
    this.release('IoUninitializeWorkItem', IoWorkItem_);
  }

  IoFreeWorkItem(IoWorkItem_: unknown): void {
    this.release('IoFreeWorkItem', IoWorkItem_);
  }

  IoQueueWorkItem(IoWorkItem_: unknown, WorkerRoutine: DriverFn, QueueType: number, Context: unknown): void {
    this.queueIo('IoQueueWorkItem', IoWorkItem_, WorkerRoutine, QueueType, Context, false);
  }

  IoQueueWorkItemEx(IoWorkItem_: unknown, WorkerRoutine: DriverFn, QueueType: number, Context: unknown): void {
    this.queueIo('IoQueueWorkItemEx', IoWorkItem_, WorkerRoutine, QueueType, Context, true);
  }

  /** Runs WorkItem->WorkerRoutine(WorkItem->Parameter) on a system worker thread. */
  ExQueueWorkItem(WorkItem: unknown, QueueType: number): void {
    const k = this.k;
    k.checkIrql('ExQueueWorkItem');
    if (typeof WorkItem !== 'object' || WorkItem === null || !('WorkerRoutine' in WorkItem)) {
      k.violation('null-param', `ExQueueWorkItem needs a WORK_QUEUE_ITEM set up with ExInitializeWorkItem, got ${WorkItem === null || WorkItem === undefined ? 'NULL' : 'something else'}`);
      return;
    }
    const fields = WorkItem as { WorkerRoutine: unknown; Parameter: unknown };
    const routine = fields.WorkerRoutine as DriverFn;
    if (!routine) {
      k.violation('null-param', `ExQueueWorkItem: ${addressName(WorkItem, 'the WORK_QUEUE_ITEM')} has no WorkerRoutine; set it with ExInitializeWorkItem first`);
      return;
    }
    let wi = this.byAddress.get(WorkItem);
    if (wi === undefined || wi.state === 'freed') {
      wi = new IoWorkItem(this.queues.nextItemId(), 'executive work item', null, WorkItem, this);
      this.byAddress.set(WorkItem, wi);
    }
    if (wi.state === 'queued') {
      k.violation('wi-double-queue', `ExQueueWorkItem queues ${addressName(WorkItem, wi.name)} again while it is still queued for ${wi.routineName}`);
      return;
    }
    const queue = this.queueFor('ExQueueWorkItem', QueueType);
    if (queue === null) return;
    this.items.add(wi);
    this.enqueue('ExQueueWorkItem', wi, routine, fields.Parameter ?? null, queue, false);
  }

  private queueIo(routine: string, item: unknown, WorkerRoutine: DriverFn, QueueType: number, Context: unknown, ex: boolean): void {
    const k = this.k;
    k.checkIrql(routine);
    const wi = this.item(routine, item);
    if (wi === null) return;
    if (wi.state === 'freed') {
      k.violation('wi-free-mismatch', `${routine} queues ${wi.name} after it was freed`);
      return;
    }
    if (wi.state === 'queued') {
      k.violation('wi-double-queue', `${routine} queues ${wi.name} again while it is still queued for ${wi.routineName}`);
      return;
    }
    if (!WorkerRoutine) {
      k.violation('null-param', `${routine} needs a WorkerRoutine`);
      return;
    }
    const queue = this.queueFor(routine, QueueType);
    if (queue === null) return;
    this.enqueue(routine, wi, WorkerRoutine, Context ?? null, queue, ex);
  }

  private enqueue(routine: string, wi: IoWorkItem, fn: DriverFn, context: unknown, queue: WorkQueueName, ex: boolean): void {
    const k = this.k;
    const t = k.current;
    wi.routine = fn;
    wi.routineName = nameOf(fn, 'WorkerRoutine');
    wi.context = context;
    wi.ex = ex;
    wi.state = 'queued';
    wi.queuedAt = callSite(t)?.location;
    if (t.scope) t.scope.handoffs++;
    k.emit('workitem-queue', 0, `${routine}(${wi.name}, ${wi.routineName}, ${queue})${wi.device ? '; the device object stays referenced until the routine returns' : ''}`, wi.id);
    this.queues.get(queue).enqueue(wi);
  }

  *runItem(worker: KThread, wi: IoWorkItem): Co<void> {
    const k = this.k;
    wi.state = 'running';
    wi.worker = worker;
    k.emit('workitem-start', 0, `${wi.routineName}(${wi.name}) starts in a system worker thread`, wi.id);
    worker.scope = { role: 'worker', data: null, unsafe: false, irqlQueried: false, handoffs: 0, failedHandoff: null };
    const args = wi.kind === 'executive work item' ? [wi.context] : wi.ex ? [wi.device, wi.context, wi.pointer ?? wi] : [wi.device, wi.context];
    try {
      yield* k.callDriver(worker, wi.routine!, wi.routineName, args);
    } finally {
      worker.scope = null;
      wi.worker = null;
      if (wi.state === 'running') wi.state = 'ran';
      for (const d of this.drainers.splice(0)) k.wake(d, 0);
      k.emit('workitem-end', 0, `${wi.routineName}(${wi.name}) returns${wi.device ? '; the device object reference is dropped' : ''}`, wi.id);
    }
  }

  /** I/O work items queued or running for a device of `module`: the driver cannot unload before they finish. */
  busyFor(module: string): IoWorkItem[] {
    return [...this.items].filter((wi) => wi.device !== null && (wi.state === 'queued' || wi.state === 'running') && ownerModule(wi.device)?.toLowerCase() === module.toLowerCase());
  }

  /** The unload of `module` waits here while I/O work items hold a reference on one of its devices. */
  *drain(t: KThread, module: string): Co<void> {
    for (;;) {
      const busy = this.busyFor(module);
      if (busy.length === 0) return;
      this.drainers.push(t);
      this.k.beginWait(t, `the I/O work item(s) ${busy.map((wi) => `${wi.name} (${wi.routineName})`).join(', ')} to finish: each holds a reference on a device object of ${module}`, null);
      yield Trap.Block;
    }
  }

  /** The driver unloaded: an executive work item still queued would run its freed code. */
  driverUnloaded(): void {
    const k = this.k;
    for (const wi of this.items) {
      if (wi.device !== null || wi.state !== 'queued') continue;
      k.violation('ex-wi-queued-at-unload', `executive work item ${wi.name} (${wi.routineName}) is still queued when the driver unloads; nothing keeps the driver loaded for it (use IoQueueWorkItem with the driver's device object, or wait for the routine before unloading)`, 0, k.current, wi.queuedAt);
    }
  }

  /** End of run: I/O work items allocated and never freed. */
  endChecks(): void {
    const k = this.k;
    for (const wi of this.items) {
      if (wi.device === null || wi.state === 'queued' || wi.state === 'running' || wi.state === 'freed') continue;
      if (wi.pointer !== null) continue;
      k.violation('io-wi-leak', `${wi.kind} ${wi.name} from IoAllocateWorkItem was never freed with IoFreeWorkItem${wi.routineName ? ` (its routine ${wi.routineName} ran)` : ''}`, 0, k.outside, wi.queuedAt);
    }
  }

  private release(routine: string, item: unknown): void {
    const k = this.k;
    k.checkIrql(routine);
    const wi = this.item(routine, item);
    if (wi === null) return;
    if (wi.state === 'freed') {
      k.violation('wi-free-mismatch', `${routine} frees ${wi.name} a second time`);
      return;
    }
    if ((routine === 'IoFreeWorkItem') !== (wi.pointer === null)) {
      k.violation('wi-free-mismatch', `${routine} on ${wi.name}, which ${wi.pointer === null ? 'IoAllocateWorkItem made: free it with IoFreeWorkItem' : 'IoInitializeWorkItem set up: undo it with IoUninitializeWorkItem'}`);
      return;
    }
    if (wi.state === 'queued') k.violation('wi-free-while-queued', `${routine} frees ${wi.name} while it is still queued for ${wi.routineName}`);
    wi.state = 'freed';
    this.items.delete(wi);
    k.emit('workitem-free', 0, `${routine}(${wi.name})`, wi.id);
  }

  private item(routine: string, item: unknown): IoWorkItem | null {
    if (item instanceof IoWorkItem) return item;
    const wi = this.byAddress.get(item);
    if (wi !== undefined && wi.kind === 'I/O work item') return wi;
    if (item === null || item === undefined) this.k.violation('null-param', `${routine} needs a work item, got NULL`);
    else this.k.violation('bad-object', `${routine} was given ${addressName(item, 'memory')} that neither IoAllocateWorkItem nor IoInitializeWorkItem set up`);
    return null;
  }

  private deviceOk(routine: string, dev: unknown): boolean {
    if (dev instanceof DeviceObject) {
      // The reference keeps the device's driver loaded: a device of the disk, file system or Filter Manager pins them, not the caller.
      if (dev.owner instanceof EngineDriver) this.k.violation('io-wi-foreign-device', `${routine} is given ${dev.label}, a device object of ${dev.owner.module}, not of the calling driver; the work item then keeps ${dev.owner.module} loaded instead of the driver whose routine it runs (use a device object from IoCreateDevice, or FltAllocateGenericWorkItem)`);
      return true;
    }
    if (dev === null || dev === undefined) this.k.violation('null-param', `${routine} needs a device object of the calling driver (IoCreateDevice), got NULL`);
    else this.k.violation('bad-object', `${routine} needs a DEVICE_OBJECT, got something else`);
    return false;
  }

  private queueFor(routine: string, type: number): WorkQueueName | null {
    if (type === CRITICAL) return 'CriticalWorkQueue';
    if (type === DELAYED || type === NORMAL || type === BACKGROUND) return 'DelayedWorkQueue';
    this.k.violation('wi-bad-queue-type', `${routine} with queue type ${type}${type === HYPER_CRITICAL ? ' (HyperCriticalWorkQueue, reserved for the system)' : ''}: use DelayedWorkQueue, CriticalWorkQueue, NormalWorkQueue or BackgroundWorkQueue; the item is not queued`);
    return null;
  }
}

function ownerModule(dev: unknown): string | undefined {
  return dev instanceof DeviceObject ? dev.owner.module : undefined;
}
