/**
 * Conformance with the FltQueueGenericWorkItem reference page (shared/seeds/FltQueueGenericWorkItem.*):
 * one test per claim, each title naming the claim in our words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, GenericWorkItem, STATUS, type Co } from '../../../engine';
import { CallLog, IRP_MJ, PRE, WorkQueueType, newSim, path, violationIds } from '../simHarness';

/** A filter whose DriverEntry queues one generic work item with the given arguments. */
function queueFromDriverEntry(opts: { queueType?: number; useInstance?: boolean; context?: unknown; free?: boolean } = {}) {
  const sim = newSim();
  const log = new CallLog(sim);
  const seen: unknown[][] = [];
  let status: number | undefined;
  let item: GenericWorkItem | null = null;
  function Worker(wi: unknown, obj: unknown, ctx: unknown): void {
    log.add('Worker');
    seen.push([wi, obj, ctx]);
    if (opts.free !== false) sim.api.FltFreeGenericWorkItem(wi);
  }
  const f = defineFilter(sim, {
    name: 'wq',
    instanceSetup: (objs: { Instance: unknown; Filter: unknown }) => {
      item = sim.api.FltAllocateGenericWorkItem();
      status = sim.api.FltQueueGenericWorkItem(item, opts.useInstance ? objs.Instance : objs.Filter, Worker, opts.queueType ?? WorkQueueType.DelayedWorkQueue, 'context' in opts ? opts.context : 'ctx');
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('wq', f.driverEntry);
  return { sim, log, seen, get status() { return status; }, get item() { return item; }, f };
}

test('a generic work item is posted without any I/O operation and its worker runs', () => {
  const s = queueFromDriverEntry();
  s.sim.run();
  assert.equal(s.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(s.log.names(), ['Worker']);
  assert.equal(s.sim.fltmgr.live.size, 0, 'no callback data exists: the item is tied to no operation');
  assert.deepEqual(violationIds(s.sim), []);
});

test('an item that FltAllocateGenericWorkItem did not allocate is refused (generic-wi-wrong-allocator)', () => {
  const sim = newSim();
  let status: number | undefined;
  let ran = false;
  const f = defineFilter(sim, {
    instanceSetup: (objs: { Filter: unknown }) => {
      const deferred = sim.api.FltAllocateDeferredIoWorkItem();
      status = sim.api.FltQueueGenericWorkItem(deferred, objs.Filter, () => { ran = true; }, WorkQueueType.DelayedWorkQueue, null);
      sim.api.FltFreeDeferredIoWorkItem(deferred);
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('wrong', f.driverEntry);
  sim.run();
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.equal(ran, false);
  assert.deepEqual(violationIds(sim), ['generic-wi-wrong-allocator']);
});

test('FltObject may be the filter or an instance, and the worker receives that same object', () => {
  for (const useInstance of [false, true]) {
    const s = queueFromDriverEntry({ useInstance });
    s.sim.run();
    const obj = s.seen[0]![1];
    const inst = s.sim.fltmgr.filters[0]!.instances[0]!;
    assert.equal(obj, useInstance ? inst : inst.filter);
    assert.deepEqual(violationIds(s.sim), []);
  }
});

test('an FltObject that is neither a filter nor an instance is refused (bad-object)', () => {
  const sim = newSim();
  let status: number | undefined;
  const f = defineFilter(sim, {
    instanceSetup: () => {
      const wi = sim.api.FltAllocateGenericWorkItem();
      status = sim.api.FltQueueGenericWorkItem(wi, { not: 'a filter' }, () => undefined, WorkQueueType.DelayedWorkQueue, null);
      sim.api.FltFreeGenericWorkItem(wi);
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('bad', f.driverEntry);
  sim.run();
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['bad-object']);
});

test('the worker routine receives (FltWorkItem, FltObject, Context) exactly as queued', () => {
  const context = { mine: true };
  const s = queueFromDriverEntry({ context });
  s.sim.run();
  assert.equal(s.seen.length, 1);
  const [wi, obj, ctx] = s.seen[0]!;
  assert.equal(wi, s.item);
  assert.equal(obj, s.sim.fltmgr.filters[0]);
  assert.equal(ctx, context);
});

test('Context is optional: a NULL context reaches the worker as NULL', () => {
  const s = queueFromDriverEntry({ context: null });
  s.sim.run();
  assert.equal(s.seen[0]![2], null);
});

test('CriticalWorkQueue items run on a critical worker thread, whose priority is above the delayed ones', () => {
  const sim = newSim();
  const order: string[] = [];
  const f = defineFilter(sim, {
    instanceSetup: (objs: { Filter: unknown }) => {
      const d = sim.api.FltAllocateGenericWorkItem();
      const c = sim.api.FltAllocateGenericWorkItem();
      // Queued delayed first: the critical one must still run first.
      sim.api.FltQueueGenericWorkItem(d, objs.Filter, (wi: unknown) => { order.push(`delayed on ${sim.kernel.current.name}`); sim.api.FltFreeGenericWorkItem(wi); }, WorkQueueType.DelayedWorkQueue, null);
      sim.api.FltQueueGenericWorkItem(c, objs.Filter, (wi: unknown) => { order.push(`critical on ${sim.kernel.current.name}`); sim.api.FltFreeGenericWorkItem(wi); }, WorkQueueType.CriticalWorkQueue, null);
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('prio', f.driverEntry);
  sim.run();
  assert.deepEqual(order, ['critical on Critical worker 1', 'delayed on Delayed worker 1']);
  const crit = [...sim.fltmgr.queues.critical.workers][0]!;
  const del = [...sim.fltmgr.queues.delayed.workers][0]!;
  assert.ok(crit.priority > del.priority);
});

test('DelayedWorkQueue items run on a delayed worker thread', () => {
  const s = queueFromDriverEntry({ queueType: WorkQueueType.DelayedWorkQueue });
  s.sim.run();
  assert.equal(s.log.find('Worker')!.thread, 'Delayed worker 1');
  assert.equal(s.log.find('Worker')!.role, 'worker');
});

test('HyperCriticalWorkQueue is reserved for the system: the call fails (wi-bad-queue-type) and nothing runs', () => {
  const s = queueFromDriverEntry({ queueType: WorkQueueType.HyperCriticalWorkQueue, free: true });
  s.sim.run();
  assert.equal(s.status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(s.log.names(), []);
  assert.deepEqual(violationIds(s.sim), ['wi-bad-queue-type', 'wi-leak']);
});

test('queuing returns STATUS_SUCCESS when the filter is not being unloaded', () => {
  const s = queueFromDriverEntry();
  s.sim.run();
  assert.equal(s.status, STATUS.STATUS_SUCCESS);
});

test('queuing while the filter is being unloaded returns STATUS_FLT_DELETING_OBJECT and the worker never runs', () => {
  const sim = newSim();
  let status: number | undefined;
  let ran = false;
  const f = defineFilter(sim, {
    teardownStart: (objs: { Filter: unknown }) => {
      const wi = sim.api.FltAllocateGenericWorkItem();
      status = sim.api.FltQueueGenericWorkItem(wi, objs.Filter, () => { ran = true; }, WorkQueueType.DelayedWorkQueue, null);
      if (status !== STATUS.STATUS_SUCCESS) sim.api.FltFreeGenericWorkItem(wi);
    },
  });
  sim.loadDriver('going', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.equal(status, STATUS.STATUS_FLT_DELETING_OBJECT);
  assert.equal(ran, false);
  assert.deepEqual(violationIds(sim), []);
});

test('an item left unfreed after STATUS_FLT_DELETING_OBJECT is reported (wi-leak-on-queue-failure)', () => {
  const sim = newSim();
  const f = defineFilter(sim, {
    teardownStart: (objs: { Filter: unknown }) => {
      const wi = sim.api.FltAllocateGenericWorkItem();
      sim.api.FltQueueGenericWorkItem(wi, objs.Filter, () => undefined, WorkQueueType.DelayedWorkQueue, null);
    },
  });
  sim.loadDriver('leaky', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.deepEqual(violationIds(sim), ['wi-leak-on-queue-failure']);
});

test('the worker runs in a system thread at PASSIVE_LEVEL even when the item was queued at DISPATCH_LEVEL', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  let queuedAt = -1;
  const lock = { v: 0 };
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      *pre(data: unknown, objs: { Instance: unknown }): Co<number> {
        yield* sim.api.KeAcquireSpinLock(lock);
        queuedAt = sim.kernel.current.irql;
        const wi = sim.api.FltAllocateGenericWorkItem();
        sim.api.FltQueueGenericWorkItem(wi, objs.Instance, function Worker(item: unknown) {
          log.add('Worker');
          sim.api.FltFreeGenericWorkItem(item);
        }, WorkQueueType.CriticalWorkQueue, data);
        sim.api.KeReleaseSpinLock(lock, 0);
        return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
      },
    }],
  });
  sim.loadDriver('dpc', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.equal(queuedAt, 2);
  const w = log.find('Worker')!;
  assert.equal(w.irql, 0);
  assert.equal(w.role, 'worker');
  assert.deepEqual(violationIds(sim), []);
});

test('the item is freed with FltFreeGenericWorkItem; a worker that never frees it is reported (wi-not-freed-by-worker)', () => {
  const freed = queueFromDriverEntry({ free: true });
  freed.sim.run();
  assert.deepEqual(violationIds(freed.sim), []);
  const kept = queueFromDriverEntry({ free: false });
  kept.sim.run();
  assert.deepEqual(violationIds(kept.sim), ['wi-not-freed-by-worker']);
});

test('the caller may be at DISPATCH_LEVEL but not above (irql-above-bound)', () => {
  const sim = newSim();
  let status: number | undefined;
  const f = defineFilter(sim, {
    instanceSetup: (objs: { Filter: unknown }) => {
      const old = sim.api.KeRaiseIrql(13);
      const wi = sim.api.FltAllocateGenericWorkItem();
      status = sim.api.FltQueueGenericWorkItem(wi, objs.Filter, (item: unknown) => sim.api.FltFreeGenericWorkItem(item), WorkQueueType.DelayedWorkQueue, null);
      sim.api.KeLowerIrql(old);
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('high', f.driverEntry);
  sim.run();
  assert.equal(status, STATUS.STATUS_SUCCESS);
  // Both the allocation and the queue call are above their DISPATCH_LEVEL bound.
  assert.deepEqual(violationIds(sim), ['irql-above-bound', 'irql-above-bound']);
  assert.match(sim.violations[1]!.message, /FltQueueGenericWorkItem called at CLOCK_LEVEL/);
});

test('a queued item holds up FltUnregisterFilter until its worker returns', () => {
  const sim = newSim();
  const order: string[] = [];
  const f = defineFilter(sim, {
    *teardownComplete(): Co<void> {
      order.push('TeardownComplete');
    },
    *unload(): Co<number> {
      const wi = sim.api.FltAllocateGenericWorkItem();
      sim.api.FltQueueGenericWorkItem(wi, f.filter, function* SlowWorker(item: unknown): Co<void> {
        order.push('worker starts');
        yield* sim.api.KeDelayExecutionThread(0, 0, -50_000); // 5 ms
        order.push('worker ends');
        sim.api.FltFreeGenericWorkItem(item);
      }, WorkQueueType.DelayedWorkQueue, null);
      order.push('unregister');
      yield* sim.api.FltUnregisterFilter(f.filter);
      order.push('unregistered');
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('rundown', f.driverEntry);
  sim.unload(0);
  sim.run();
  assert.deepEqual(order, ['unregister', 'TeardownComplete', 'worker starts', 'worker ends', 'unregistered']);
  assert.equal(sim.now, 5);
  assert.deepEqual(violationIds(sim), []);
});
