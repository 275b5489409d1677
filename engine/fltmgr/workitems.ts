/**
 * Generic and deferred-I/O work items, as the FltQueueGenericWorkItem page says: the item must come
 * from FltAllocateGenericWorkItem; the worker runs on a system thread of the chosen queue
 * (CriticalWorkQueue or DelayedWorkQueue; HyperCriticalWorkQueue is reserved) at PASSIVE_LEVEL and
 * receives (FltWorkItem, FltObject, Context); queuing fails with STATUS_FLT_DELETING_OBJECT once
 * the filter or instance is being torn down; the caller may be at DISPATCH_LEVEL at most. A queued
 * generic item holds a rundown reference on the filter until its worker returns, so
 * FltUnregisterFilter waits for it.
 */
import { DriverCallMark } from '../kernel/driverCallMark';
import { isCo, type Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { AscendingIdTable } from '../kernel/idtable';
import { irqlBound, type IrqlBound, type Kernel } from '../kernel/kernel';
import { formatStatus, STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import type { WorkEntry, WorkQueueName, WorkQueues, WorkRun } from '../kernel/workqueue';
import { callbackDataArg, type FltCallbackData } from './callbackData';
import { IRP_FLAGS, WorkQueueType } from './constants';
import { Filter, Instance } from './objects';

// The bounds of the routines every work item goes through, looked up once.
const ALLOCATE_GENERIC = irqlBound('FltAllocateGenericWorkItem');
const QUEUE_GENERIC = irqlBound('FltQueueGenericWorkItem');
const FREE_GENERIC = irqlBound('FltFreeGenericWorkItem');
const FREE_DEFERRED = irqlBound('FltFreeDeferredIoWorkItem');

export type WorkItemState = 'allocated' | 'queued' | 'running' | 'ran' | 'freed';

abstract class FltWorkItem implements WorkEntry {
  state: WorkItemState = 'allocated';
  routine: DriverFn | null = null;
  routineName = '';
  context: unknown = null;
  queue: WorkQueueName | null = null;
  /** The worker has run at least once. */
  ran = false;
  /** Status of the last failed FltQueue* call, if the last call failed. */
  queueFailed: number | null = null;
  /** The filter the item works for, once queued. */
  filter: Filter | null = null;
  abstract readonly kind: string;

  constructor(
    readonly id: number,
    protected readonly owner: WorkItemRoutines,
  ) {}

  get label(): string {
    return this.routineName || '(not queued)';
  }

  private nameText: string | undefined = undefined;

  /** `WI#3` in messages and the snapshot (made once: every event about the item names it). */
  get name(): string {
    return (this.nameText ??= `WI#${this.id}`);
  }

  abstract run(worker: KThread, run: WorkRun): Co<void> | undefined;
}

/** PFLT_GENERIC_WORKITEM: opaque to C. */
export class GenericWorkItem extends FltWorkItem {
  readonly kind = 'generic work item';
  fltObject: Filter | Instance | null = null;

  run(worker: KThread, run: WorkRun): Co<void> | undefined {
    return this.owner.runGeneric(worker, this, run);
  }

  end(worker: KThread, run: WorkRun, ok: boolean): void {
    this.owner.endGeneric(worker, this, run.owner as Filter, run.mark!, ok);
  }
}

/** PFLT_DEFERRED_IO_WORKITEM: opaque to C. */
export class DeferredIoWorkItem extends FltWorkItem {
  readonly kind = 'deferred I/O work item';
  data: FltCallbackData | null = null;

  run(worker: KThread): Co<void> {
    return this.owner.runDeferred(worker, this);
  }
}

export type AnyWorkItem = GenericWorkItem | DeferredIoWorkItem;

export class WorkItemRoutines {
  /** Items not freed yet, in allocation order. */
  readonly items = new AscendingIdTable<AnyWorkItem>();

  constructor(
    private readonly k: Kernel,
    private readonly queues: WorkQueues,
  ) {}

  FltAllocateGenericWorkItem(): GenericWorkItem | null {
    this.k.checkBound(ALLOCATE_GENERIC);
    if (this.k.allocationFails('FltAllocateGenericWorkItem')) return null;
    const wi = new GenericWorkItem(this.queues.nextItemId(), this);
    this.items.set(wi.id, wi);
    return wi;
  }

  FltAllocateDeferredIoWorkItem(): DeferredIoWorkItem | null {
    this.k.checkIrql('FltAllocateDeferredIoWorkItem');
    if (this.k.allocationFails('FltAllocateDeferredIoWorkItem')) return null;
    const wi = new DeferredIoWorkItem(this.queues.nextItemId(), this);
    this.items.set(wi.id, wi);
    return wi;
  }

  FltQueueGenericWorkItem(FltWorkItem: unknown, FltObject: unknown, WorkerRoutine: DriverFn, QueueType: number, Context: unknown): number {
    const k = this.k;
    const t = k.current;
    k.checkBound(QUEUE_GENERIC);
    if (!(FltWorkItem instanceof GenericWorkItem)) {
      if (FltWorkItem === null || FltWorkItem === undefined) k.violation('null-param', 'FltQueueGenericWorkItem needs a work item, got NULL');
      else k.violation('generic-wi-wrong-allocator', `FltQueueGenericWorkItem got ${FltWorkItem instanceof DeferredIoWorkItem ? `deferred I/O work item ${FltWorkItem.name}` : 'memory'} that FltAllocateGenericWorkItem did not allocate`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const wi = FltWorkItem;
    if (!this.queueable(wi, 'FltQueueGenericWorkItem')) return STATUS.STATUS_INVALID_PARAMETER;
    if (!(FltObject instanceof Filter) && !(FltObject instanceof Instance)) {
      k.violation('bad-object', `FltQueueGenericWorkItem needs a PFLT_FILTER or PFLT_INSTANCE as FltObject, got ${FltObject === null ? 'NULL' : 'something else'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!WorkerRoutine) {
      k.violation('null-param', 'FltQueueGenericWorkItem needs a WorkerRoutine');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const queue = this.queueFor('FltQueueGenericWorkItem', QueueType);
    if (queue === null) return STATUS.STATUS_INVALID_PARAMETER;
    const filter = FltObject instanceof Instance ? FltObject.filter : FltObject;
    if (filter.deleting || (FltObject instanceof Instance && FltObject.deleting)) {
      wi.queueFailed = STATUS.STATUS_FLT_DELETING_OBJECT;
      if (t.scope && t.scope.failedHandoff === null) t.scope.failedHandoff = 'deleting';
      k.emit('workitem-queue', 0, `FltQueueGenericWorkItem(${wi.name}) fails: ${filter.name} is being unloaded (STATUS_FLT_DELETING_OBJECT)`, wi.id);
      return STATUS.STATUS_FLT_DELETING_OBJECT;
    }
    wi.queueFailed = null;
    wi.fltObject = FltObject;
    wi.filter = filter;
    wi.routine = WorkerRoutine;
    wi.routineName = nameOf(WorkerRoutine, 'WorkerRoutine');
    wi.context = Context ?? null;
    wi.queue = queue;
    wi.state = 'queued';
    filter.rundown.acquire();
    filter.activeWork++;
    if (t.scope) t.scope.handoffs++;
    k.emit('workitem-queue', 0, `FltQueueGenericWorkItem(${wi.name}, ${wi.routineName}, ${queue})`, wi.id);
    this.queues.get(queue).enqueue(wi);
    return STATUS.STATUS_SUCCESS;
  }

  FltQueueDeferredIoWorkItem(FltWorkItem: unknown, Data: unknown, WorkerRoutine: DriverFn, QueueType: number, Context: unknown): number {
    const k = this.k;
    const t = k.current;
    k.checkIrql('FltQueueDeferredIoWorkItem');
    if (!(FltWorkItem instanceof DeferredIoWorkItem)) {
      if (FltWorkItem === null || FltWorkItem === undefined) k.violation('null-param', 'FltQueueDeferredIoWorkItem needs a work item, got NULL');
      else k.violation('deferred-wi-wrong-allocator', `FltQueueDeferredIoWorkItem got ${FltWorkItem instanceof GenericWorkItem ? `generic work item ${FltWorkItem.name}` : 'memory'} that FltAllocateDeferredIoWorkItem did not allocate`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const wi = FltWorkItem;
    if (!this.queueable(wi, 'FltQueueDeferredIoWorkItem')) return STATUS.STATUS_INVALID_PARAMETER;
    const data = callbackDataArg(this.k, Data, 'FltQueueDeferredIoWorkItem');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (!WorkerRoutine) {
      k.violation('null-param', 'FltQueueDeferredIoWorkItem needs a WorkerRoutine');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const queue = this.queueFor('FltQueueDeferredIoWorkItem', QueueType);
    if (queue === null) return STATUS.STATUS_INVALID_PARAMETER;
    const fail = (status: number, why: string, kind: string): number => {
      wi.queueFailed = status;
      if (t.scope && t.scope.failedHandoff === null) t.scope.failedHandoff = kind;
      data.note(k, 'workitem-queue', `FltQueueDeferredIoWorkItem(${wi.name}, ${data.label}) fails: ${why} (${formatStatus(status)})`, wi.id);
      return status;
    };
    if (!data.isIrp) {
      k.violation('deferred-wi-non-irp', `FltQueueDeferredIoWorkItem for ${data.label}, which is not IRP-based`, data.id);
      return fail(STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION, 'not an IRP operation', 'reported');
    }
    if ((data.Iopb.IrpFlags & IRP_FLAGS.IRP_PAGING_IO) !== 0) return fail(STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION, 'paging I/O cannot be posted', 'not-safe');
    if (t.topLevelIrp !== null) return fail(STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION, 'the thread has a top-level IRP', 'not-safe');
    if (data.draining) return fail(STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION, 'the operation is draining', 'not-safe');
    const inst = data.Iopb.TargetInstance;
    if (inst instanceof Instance && inst.deleting) return fail(STATUS.STATUS_FLT_DELETING_OBJECT, `${inst.name} is being torn down`, 'deleting');
    wi.queueFailed = null;
    wi.data = data;
    wi.routine = WorkerRoutine;
    wi.routineName = nameOf(WorkerRoutine, 'WorkerRoutine');
    wi.context = Context ?? null;
    wi.queue = queue;
    wi.state = 'queued';
    wi.filter = data.pendedBy?.filter ?? (inst instanceof Instance ? inst.filter : null);
    if (wi.filter) wi.filter.activeWork++;
    if (t.scope) t.scope.handoffs++;
    data.note(k, 'workitem-queue', `FltQueueDeferredIoWorkItem(${wi.name}, ${data.label}, ${wi.routineName}, ${queue})`, wi.id);
    this.queues.get(queue).enqueue(wi);
    return STATUS.STATUS_SUCCESS;
  }

  FltFreeGenericWorkItem(FltWorkItem: unknown): void {
    this.free(FREE_GENERIC, FltWorkItem, GenericWorkItem);
  }

  FltFreeDeferredIoWorkItem(FltWorkItem: unknown): void {
    this.free(FREE_DEFERRED, FltWorkItem, DeferredIoWorkItem);
  }

  private free(bound: IrqlBound, item: unknown, expected: typeof GenericWorkItem | typeof DeferredIoWorkItem): void {
    const k = this.k;
    const routine = bound.routine;
    k.checkBound(bound);
    if (!(item instanceof GenericWorkItem) && !(item instanceof DeferredIoWorkItem)) {
      if (item === null || item === undefined) k.violation('null-param', `${routine}(NULL)`);
      else k.violation('bad-object', `${routine} was given something that is not a work item`);
      return;
    }
    if (!(item instanceof expected)) {
      k.violation('wi-free-mismatch', `${routine} frees ${item.kind} ${item.name}; it needs ${item instanceof GenericWorkItem ? 'FltFreeGenericWorkItem' : 'FltFreeDeferredIoWorkItem'}`);
      return;
    }
    if (item.state === 'freed') {
      k.violation('wi-free-mismatch', `${routine} frees ${item.name} a second time`);
      return;
    }
    if (item.state === 'queued') k.violation('wi-free-while-queued', `${routine} frees ${item.name} while it is still queued for ${item.routineName}`);
    item.state = 'freed';
    this.items.delete(item.id);
    k.emit('workitem-free', item instanceof DeferredIoWorkItem && item.data ? item.data.id : 0, `${routine}(${item.name})`, item.id);
  }

  private queueable(wi: AnyWorkItem, routine: string): boolean {
    if (wi.state === 'freed') {
      this.k.violation('wi-free-mismatch', `${routine} queues ${wi.name} after it was freed`);
      return false;
    }
    if (wi.state === 'queued') {
      this.k.violation('wi-double-queue', `${routine} queues ${wi.name} again while it is still queued for ${wi.routineName}`);
      return false;
    }
    return true;
  }

  private queueFor(routine: string, type: number): WorkQueueName | null {
    if (type === WorkQueueType.CriticalWorkQueue) return 'CriticalWorkQueue';
    if (type === WorkQueueType.DelayedWorkQueue) return 'DelayedWorkQueue';
    const name = WorkQueueType[type] ?? `queue type ${type}`;
    this.k.violation('wi-bad-queue-type', `${routine} with ${name}: only CriticalWorkQueue and DelayedWorkQueue may be used${type === WorkQueueType.HyperCriticalWorkQueue ? ' (HyperCriticalWorkQueue is reserved for the system)' : ''}; the call fails with STATUS_INVALID_PARAMETER`);
    return null;
  }

  /**
   * Runs a generic item's worker routine on `worker`. A plain routine runs to its end here
   * (undefined); a generator routine is returned for the worker to run, which then calls the
   * item's `end` (so no generator of the engine's own wraps it).
   */
  runGeneric(worker: KThread, wi: GenericWorkItem, run: WorkRun): Co<void> | undefined {
    const k = this.k;
    const filter = wi.filter!;
    wi.state = 'running';
    wi.ran = true;
    k.emit('workitem-start', 0, `${wi.routineName}(${wi.name}) starts in ${wi.queue}`, wi.id);
    worker.scope = { role: 'worker', data: null, unsafe: false, irqlQueried: false, handoffs: 0, failedHandoff: null };
    const mark = new DriverCallMark(worker);
    let ok = false;
    let handedOver = false;
    try {
      const r = k.enterDriver(worker, wi.routine!, wi.routineName, [wi, wi.fltObject, wi.context]);
      if (isCo(r)) {
        run.mark = mark;
        run.owner = filter;
        handedOver = true;
        return r as Co<void>;
      }
      ok = true;
    } finally {
      if (!handedOver) this.endGeneric(worker, wi, filter, mark, ok);
    }
    return undefined;
  }

  /** After a generic item's routine returned (ok) or threw: checks, the item's state, the filter's rundown. */
  endGeneric(worker: KThread, wi: GenericWorkItem, filter: Filter, mark: DriverCallMark, ok: boolean): void {
    const k = this.k;
    k.leaveDriver(worker, wi.routineName, mark, ok);
    worker.scope = null;
    if (wi.state === 'running') wi.state = 'ran';
    k.emit('workitem-end', 0, `${wi.routineName}(${wi.name}) returns`, wi.id);
    filter.activeWork--;
    filter.rundown.release(k);
  }

  *runDeferred(worker: KThread, wi: DeferredIoWorkItem): Co<void> {
    const k = this.k;
    const data = wi.data!;
    wi.state = 'running';
    wi.ran = true;
    data.note(k, 'workitem-start', `${wi.routineName}(${wi.name}, ${data.label}) starts in ${wi.queue}`, wi.id);
    worker.scope = { role: 'worker', data, unsafe: false, irqlQueried: false, handoffs: 0, failedHandoff: null };
    try {
      yield* k.callDriver(worker, wi.routine!, wi.routineName, [wi, data, wi.context]);
    } finally {
      worker.scope = null;
      if (wi.state === 'running') wi.state = 'ran';
      if (wi.filter) wi.filter.activeWork--;
      k.emit('workitem-end', data.id, `${wi.routineName}(${wi.name}) returns`, wi.id);
    }
  }

  /** End of run: every item not freed. */
  endChecks(): void {
    const k = this.k;
    for (const wi of this.items.values()) {
      if (wi.state === 'queued' || wi.state === 'running') continue;
      if (wi.queueFailed !== null) k.violation('wi-leak-on-queue-failure', `${wi.kind} ${wi.name} was not freed after queuing it failed with ${formatStatus(wi.queueFailed)}`, 0, k.outside);
      else if (wi.ran) k.violation('wi-not-freed-by-worker', `${wi.kind} ${wi.name} was never freed; its worker ${wi.routineName} returned without FltFree${wi instanceof GenericWorkItem ? 'Generic' : 'DeferredIo'}WorkItem`, 0, k.outside);
      else k.violation('wi-leak', `${wi.kind} ${wi.name} was allocated and never queued nor freed`, 0, k.outside);
    }
  }
}
