/**
 * Unloading: the workload's `unload` calls the filter's FilterUnloadCallback (Flags 0: a request
 * that may be refused), which must call FltUnregisterFilter. FltUnregisterFilter then, in the
 * calling thread and in this order:
 *
 * 1. marks the filter as being deleted, so queuing work or referencing it fails with
 *    STATUS_FLT_DELETING_OBJECT;
 * 2. tears down each instance: InstanceTeardownStartCallback; post-ops owed to operations still
 *    below the instance are called with FLTFL_POST_OPERATION_DRAINING; waits until no callback of
 *    the instance is running and nothing it pended is outstanding; InstanceTeardownCompleteCallback;
 * 3. waits for the filter's rundown references (queued generic work items, FltObjectReference);
 * 4. deletes the filter's contexts.
 * Before the instances, it disconnects the filter's communication ports (a server port still open
 * is the driver's bug: it must be closed before FltUnregisterFilter). When every filter of the driver
 * is gone, the driver's own DriverObject->DriverUnload runs last (callDriverUnload).
 */
import { Trap, type Co } from '../kernel/coroutine';
import { isFunctionValue } from '../kernel/cvalues';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { kernelFrame } from '../kernel/kernel';
import { formatStatus, STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import { FLTFL_INSTANCE_TEARDOWN, FLTFL_POST_OPERATION_DRAINING } from './constants';
import type { ContextRoutines } from './contexts';
import type { Dispatcher } from './dispatch';
import type { PortRoutines } from './ports';
import type { DriverRecord, FilterManager } from './fltmgr';
import { Filter, type Instance } from './objects';

/** What the kernel's own deferred-work families (kernel/timers.ts, ioWorkItems.ts) do when a driver's image unloads. */
export interface DriverUnloadHooks {
  /** Waits until nothing that keeps the driver loaded (an I/O work item on its device) is left. */
  drain?(t: KThread, module: string): Co<void>;
  /** The image is gone: report and stop what would still run its code. */
  unloaded?(): void;
}

export class UnloadRoutines {
  constructor(
    private readonly fm: FilterManager,
    private readonly dispatcher: Dispatcher,
    private readonly contexts: ContextRoutines,
    private readonly ports: PortRoutines,
    private readonly hooks: DriverUnloadHooks = {},
  ) {}

  /** The body of a workload `unload`: every filter of `module`, or of every driver, newest first. */
  *unloadRequest(t: KThread, module: string | undefined): Co<void> {
    const k = this.fm.k;
    k.touchObject(this.fm, true);
    t.frames.push(kernelFrame('FltpDoUnloadFilter', 'fltmgr'));
    const drivers = this.fm.drivers.filter((d) => d.state === 'loaded' && (module === undefined || d.module.toLowerCase() === module.toLowerCase())).reverse();
    if (drivers.length === 0) {
      k.emit('unload', 0, `unload ${module ?? '(all)'}: no such driver is loaded`);
      return;
    }
    for (const d of drivers) {
      for (const f of d.filters.slice().reverse()) {
        if (f.state === 'unloaded' || f.state === 'unloading') continue;
        const cb = f.registration.raw.FilterUnloadCallback as DriverFn | null | undefined;
        if (!cb) {
          k.emit('unload', 0, `${f.name} cannot be unloaded: it registered no FilterUnloadCallback`);
          continue;
        }
        const name = nameOf(cb, 'FilterUnload');
        k.emit('unload', 0, `${name}(${f.name}) called (not mandatory)`);
        const r = yield* k.callDriver(t, cb, name, [0]);
        const status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
        if (status >>> 30 >= 2) {
          if (f.unregisterCalled) k.violation('unload-refuse-mandatory', `${name} returned ${formatStatus(status)} after calling FltUnregisterFilter; the filter is gone anyway`);
          else k.emit('unload', 0, `${f.name} refused to unload (${formatStatus(status)})`);
          continue;
        }
        if (!f.unregisterCalled) {
          k.violation('unload-no-unregister', `${name} returned ${formatStatus(status)} without calling FltUnregisterFilter`);
          continue;
        }
        k.emit('unload', 0, `${f.name} unloaded`);
      }
      if (d.filters.every((f) => f.state === 'unloaded')) {
        if (this.hooks.drain) yield* this.hooks.drain(t, d.module);
        yield* this.callDriverUnload(t, d);
        d.state = 'unloaded';
        this.hooks.unloaded?.();
      }
    }
  }

  /**
   * DriverObject->DriverUnload, when the driver set one, runs after its filters are gone: Filter
   * Manager keeps the routine the driver stored before FltRegisterFilter and calls it once
   * FilterUnloadCallback has returned; a routine stored after FltRegisterFilter is the one the I/O
   * manager calls when it unloads the image. Either way the driver's own routine runs last, so the
   * value is read now (docs/engine.md "Unloading" gives the sources).
   */
  private *callDriverUnload(t: KThread, d: DriverRecord): Co<void> {
    const routine = d.driverObject.unloadRoutine();
    if (!isFunctionValue(routine) && typeof routine !== 'function') return;
    const name = nameOf(routine, 'DriverUnload');
    this.fm.k.emit('unload', 0, `${name}(${d.module}) called: DriverObject->DriverUnload runs after the filters are unregistered`);
    yield* this.fm.k.callDriver(t, routine as DriverFn, name, [d.driverObject]);
  }

  *FltUnregisterFilter(Filter_: unknown): Co<void> {
    this.fm.k.touchObject(this.fm, true);
    const fm = this.fm;
    const k = fm.k;
    const t = k.current;
    k.checkIrql('FltUnregisterFilter');
    if (!(Filter_ instanceof Filter)) {
      k.violation('unregister-invalid', 'FltUnregisterFilter needs the PFLT_FILTER that FltRegisterFilter returned');
      return;
    }
    const f = Filter_;
    if (f.unregisterCalled) {
      k.violation('unregister-invalid', `FltUnregisterFilter called a second time for ${f.name}`);
      return;
    }
    f.unregisterCalled = true;
    f.state = 'unloading';
    k.emit('unload', 0, `FltUnregisterFilter(${f.name}): tearing down ${f.instances.filter((i) => i.state === 'attached').length} instance(s)`);
    const depth = t.frames.length;
    t.frames.push(kernelFrame('FltUnregisterFilter', 'fltmgr'));
    try {
      yield* this.ports.unregisterPorts(t, f);
      for (const inst of f.instances.slice()) {
        if (inst.state === 'attached') yield* this.teardown(t, inst, FLTFL_INSTANCE_TEARDOWN.FILTER_UNLOAD);
      }
      if (f.rundown.count > 0) {
        f.rundown.waiters.push(t);
        fm.rundownWaits.set(t, f);
        k.beginWait(t, `rundown of ${f.name} (${f.rundown.count} reference(s): queued work items or FltObjectReference)`, null);
        yield Trap.Block;
        fm.rundownWaits.delete(t);
      }
      yield* this.contexts.deleteFilterContexts(t, f);
    } finally {
      t.frames.length = depth;
    }
    f.state = 'unloaded';
    k.emit('unload', 0, `FltUnregisterFilter(${f.name}) returns`);
  }

  /** Instance teardown in thread `t`, with `reason` (FLTFL_INSTANCE_TEARDOWN_*). */
  *teardown(t: KThread, inst: Instance, reason: number): Co<void> {
    const fm = this.fm;
    const k = fm.k;
    inst.state = 'tearing-down';
    inst.volume.detach(inst);
    const reg = inst.filter.registration.raw;
    const start = reg.InstanceTeardownStartCallback as DriverFn | null | undefined;
    k.emit('instance-teardown', 0, `teardown of ${inst.name} starts`);
    if (start) {
      yield* k.callDriver(t, start, nameOf(start, 'InstanceTeardownStart'), [inst.relatedObjects(null), reason]);
    }
    this.checkLeftBehind(inst);
    yield* this.drain(t, inst);
    if (inst.outstanding.count > 0) {
      inst.outstanding.waiters.push(t);
      fm.teardownWaits.set(t, inst);
      k.beginWait(t, `teardown of ${inst.name} (${inst.outstanding.count} outstanding operation(s))`, null);
      yield Trap.Block;
      fm.teardownWaits.delete(t);
    }
    const complete = reg.InstanceTeardownCompleteCallback as DriverFn | null | undefined;
    if (complete) {
      yield* k.callDriver(t, complete, nameOf(complete, 'InstanceTeardownComplete'), [inst.relatedObjects(null), reason]);
    }
    yield* this.contexts.deleteInstanceContexts(t, inst);
    inst.state = 'detached';
    k.emit('instance-teardown', 0, `${inst.name} detached`);
  }

  /** After TeardownStart: operations this instance pended that nothing will ever resume. */
  private checkLeftBehind(inst: Instance): void {
    const fm = this.fm;
    const k = fm.k;
    // Work of the filter that is queued or running may still resume what it pended.
    const workPending = inst.filter.activeWork > 0;
    for (const d of fm.live.values()) {
      if (d.pendedBy === inst && d.cbdq !== null) {
        k.violation('cbdq-no-drain', `InstanceTeardownStart of ${inst.filter.name} returned with ${d.label} still in ${d.cbdq.name}; disable the queue and complete every item with FltCbdqRemoveNextIo`, d.id);
      } else if (d.pendedBy === inst && !workPending && d.state === 'pended') {
        k.violation('teardown-pended', `InstanceTeardownStart of ${inst.filter.name} returned while ${d.label} is pended and nothing is about to complete it`, d.id);
      } else if (d.postPendedBy?.inst === inst && !workPending && !d.safePosted) {
        k.violation('teardown-pended', `InstanceTeardownStart of ${inst.filter.name} returned while the post-operation of ${d.label} is pended and nothing is about to complete it`, d.id);
      }
    }
  }

  /** Calls owed post-ops of this instance with FLTFL_POST_OPERATION_DRAINING. */
  private *drain(t: KThread, inst: Instance): Co<void> {
    for (const d of [...this.fm.live.values()]) {
      for (const f of d.post) {
        if (f.inst !== inst || f.drained || f.sync !== null) continue;
        f.drained = true;
        const state = d.state;
        const owner = d.stateOwner;
        yield* this.dispatcher.callPost(t, d, f, FLTFL_POST_OPERATION_DRAINING);
        // Draining does not move the operation: it is still wherever it was below the instance.
        d.state = state;
        d.stateOwner = owner;
      }
    }
  }
}
