/**
 * Deferred-I/O work items and the work item checks that apply to both kinds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, STATUS, type Co, type FltCallbackData } from '../../../engine';
import { CallLog, IRP_MJ, PRE, WorkQueueType, newSim, path, violationIds } from '../simHarness';

function deferring(opts: { free?: 'deferred' | 'generic' | 'twice' | 'none'; onFail?: 'pend' | 'pass' } = {}) {
  const sim = newSim();
  const log = new CallLog(sim);
  const api = sim.api;
  const statuses: number[] = [];
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData) => {
        const wi = api.FltAllocateDeferredIoWorkItem();
        const st = api.FltQueueDeferredIoWorkItem(wi, d, function* DeferredWorker(item: unknown, data: FltCallbackData, ctx: unknown): Co<void> {
          log.add(`Worker(ctx ${String(ctx)})`, data);
          if (opts.free === 'generic') api.FltFreeGenericWorkItem(item);
          else if (opts.free === 'twice') {
            api.FltFreeDeferredIoWorkItem(item);
            api.FltFreeDeferredIoWorkItem(item);
          } else if (opts.free !== 'none') api.FltFreeDeferredIoWorkItem(item);
          yield* api.FltCompletePendedPreOperation(data, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
        }, WorkQueueType.DelayedWorkQueue, 'c');
        statuses.push(st);
        if (st === STATUS.STATUS_SUCCESS || opts.onFail === 'pend') return PRE.FLT_PREOP_PENDING;
        api.FltFreeDeferredIoWorkItem(wi);
        return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
      },
    }],
  });
  sim.loadDriver('defer', f.driverEntry);
  return { sim, log, statuses };
}

test('a deferred-I/O work item posts the operation to a worker at PASSIVE_LEVEL with (item, Data, Context)', () => {
  const { sim, log, statuses } = deferring();
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.run();
  assert.deepEqual(statuses, [STATUS.STATUS_SUCCESS]);
  assert.deepEqual(log.calls, [{ name: 'Worker(ctx c)', thread: 'Delayed worker 1', role: 'worker', irql: 0, data: 1 }]);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(violationIds(sim), []);
});

test('paging I/O cannot be posted: STATUS_FLT_NOT_SAFE_TO_POST_OPERATION', () => {
  const { sim, statuses } = deferring();
  sim.io({ id: 1, major: 'read', path: path('a'), flags: { paging: true } });
  sim.run();
  assert.deepEqual(statuses, [STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION]);
  assert.deepEqual(violationIds(sim), []);
});

test('a thread with a top-level IRP cannot post either; pending anyway is reported (deferred-wi-not-safe)', () => {
  const { sim, statuses } = deferring({ onFail: 'pend' });
  sim.io({ id: 1, major: 'read', path: path('a'), flags: { topLevelIrp: true } });
  sim.run();
  assert.deepEqual(statuses, [STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION]);
  assert.equal(violationIds(sim)[0], 'deferred-wi-not-safe');
});

test('fast I/O cannot be posted (deferred-wi-non-irp)', () => {
  const { sim, statuses } = deferring();
  sim.io({ id: 1, major: 'read', path: path('a'), flags: { fastio: true } });
  sim.run();
  assert.deepEqual(statuses, [STATUS.STATUS_FLT_NOT_SAFE_TO_POST_OPERATION]);
  assert.deepEqual(violationIds(sim), ['deferred-wi-non-irp']);
});

test('freeing a deferred item with FltFreeGenericWorkItem, or twice, is reported (wi-free-mismatch)', () => {
  for (const free of ['generic', 'twice'] as const) {
    const { sim } = deferring({ free });
    sim.io({ id: 1, major: 'read', path: path('a') });
    sim.run();
    assert.equal(violationIds(sim)[0], 'wi-free-mismatch', free);
  }
});

test('a generic item queued with FltQueueDeferredIoWorkItem is refused (deferred-wi-wrong-allocator)', () => {
  const sim = newSim();
  let st = -1;
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData) => {
        const wi = sim.api.FltAllocateGenericWorkItem();
        st = sim.api.FltQueueDeferredIoWorkItem(wi, d, () => undefined, WorkQueueType.DelayedWorkQueue, null);
        sim.api.FltFreeGenericWorkItem(wi);
        return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
      },
    }],
  });
  sim.loadDriver('mix', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.run();
  assert.equal(st, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['deferred-wi-wrong-allocator']);
});

test('queuing an item again while it is queued (wi-double-queue), after freeing it (wi-free-mismatch), and freeing it while queued (wi-free-while-queued)', () => {
  const sim = newSim();
  const got: number[] = [];
  const f = defineFilter(sim, {
    instanceSetup: (objs: { Filter: unknown }) => {
      const api = sim.api;
      const w = (item: unknown) => { void item; };
      const a = api.FltAllocateGenericWorkItem();
      got.push(api.FltQueueGenericWorkItem(a, objs.Filter, w, WorkQueueType.DelayedWorkQueue, null));
      got.push(api.FltQueueGenericWorkItem(a, objs.Filter, w, WorkQueueType.DelayedWorkQueue, null));
      api.FltFreeGenericWorkItem(a);
      got.push(api.FltQueueGenericWorkItem(a, objs.Filter, w, WorkQueueType.DelayedWorkQueue, null));
      return 0;
    },
  });
  sim.loadDriver('misuse', f.driverEntry);
  sim.run();
  assert.deepEqual(got, [STATUS.STATUS_SUCCESS, STATUS.STATUS_INVALID_PARAMETER, STATUS.STATUS_INVALID_PARAMETER]);
  assert.deepEqual(violationIds(sim), ['wi-double-queue', 'wi-free-while-queued', 'wi-free-mismatch']);
});

test('an item allocated and never used is reported at the end (wi-leak)', () => {
  const sim = newSim();
  const f = defineFilter(sim, { init: () => { sim.api.FltAllocateGenericWorkItem(); } });
  sim.loadDriver('leak', f.driverEntry);
  sim.run();
  assert.deepEqual(violationIds(sim), ['wi-leak']);
});
