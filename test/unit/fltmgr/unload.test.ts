/**
 * Unload and instance teardown: FilterUnloadCallback → FltUnregisterFilter → for each instance
 * TeardownStart, draining, wait for outstanding operations, TeardownComplete → rundown → contexts;
 * and the verifier rules about what a teardown leaves behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, STATUS, type Co, type FltCallbackData } from '../../../engine';
import { completeOk, queueFilter } from './cbdqFixture';
import { CallLog, IRP_MJ, POST, PRE, WorkQueueType, newSim, path, violationIds } from '../simHarness';

test('unload runs FilterUnload, then TeardownStart and TeardownComplete for the instance, then FltUnregisterFilter returns', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const f = defineFilter(sim, {
    teardownStart: (_o: unknown, reason: number) => { log.add(`TeardownStart(${reason})`); },
    teardownComplete: (_o: unknown, reason: number) => { log.add(`TeardownComplete(${reason})`); },
    *unload(flags: number): Co<number> {
      log.add(`FilterUnload(${flags})`);
      yield* sim.api.FltUnregisterFilter(f.filter);
      log.add('unregistered');
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('order', f.driverEntry);
  sim.unload(3);
  sim.run();
  assert.deepEqual(log.names(), ['FilterUnload(0)', 'TeardownStart(2)', 'TeardownComplete(2)', 'unregistered']);
  assert.ok(log.calls.every((c) => c.irql === 0 && c.thread === 'Unload all drivers'));
  assert.equal(sim.snapshot().filters[0]!.state, 'unloaded');
  assert.equal(sim.now, 3);
  assert.deepEqual(violationIds(sim), []);
});

test('TeardownComplete waits until the operations the instance pended are completed', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const api = sim.api;
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* Slow(item: unknown): Co<void> {
          api.FltFreeGenericWorkItem(item);
          yield* api.KeDelayExecutionThread(0, 0, -100_000);
          log.add('completes the read');
          yield* api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
        }, WorkQueueType.DelayedWorkQueue, null);
        return PRE.FLT_PREOP_PENDING;
      },
    }],
    teardownStart: () => log.add('TeardownStart'),
    teardownComplete: () => log.add('TeardownComplete'),
  });
  sim.loadDriver('waits', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.unload(1);
  sim.run();
  assert.deepEqual(log.names(), ['TeardownStart', 'completes the read', 'TeardownComplete']);
  assert.equal(log.find('TeardownComplete')!.irql, 0);
  assert.equal(sim.now, 10);
  assert.deepEqual(violationIds(sim), []);
});

test('owed post-ops of operations still below the instance are called with FLTFL_POST_OPERATION_DRAINING', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const api = sim.api;
  const top = defineFilter(sim, {
    name: 'Top',
    operations: [{
      major: IRP_MJ.READ,
      pre: () => PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK,
      post: (d: FltCallbackData, _o: unknown, _c: unknown, flags: number) => { log.add(`Top.post(flags ${flags})`, d); return POST.FLT_POSTOP_FINISHED_PROCESSING; },
    }],
  });
  // A filter below holds the read for 10 ms, so it is below Top when Top unloads.
  const below = defineFilter(sim, {
    name: 'Below',
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* Hold(item: unknown): Co<void> {
          api.FltFreeGenericWorkItem(item);
          yield* api.KeDelayExecutionThread(0, 0, -100_000);
          yield* completeOk(sim, d);
        }, WorkQueueType.DelayedWorkQueue, null);
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('top', top.driverEntry, { altitude: 380000 });
  sim.loadDriver('below', below.driverEntry, { altitude: 360000 });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.unload(1, 'top');
  sim.run();
  assert.deepEqual(log.names(), ['Top.post(flags 1)']);
  assert.equal(log.calls[0]!.thread, 'Unload top');
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_SUCCESS, information: 4096, state: 'done' });
  assert.deepEqual(violationIds(sim), []);
});

test('a draining post-op that does not finish processing is reported (postop-draining)', () => {
  const sim = newSim();
  const api = sim.api;
  const top = defineFilter(sim, {
    operations: [{ major: IRP_MJ.READ, pre: () => PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK, post: () => POST.FLT_POSTOP_MORE_PROCESSING_REQUIRED }],
  });
  const below = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* (item: unknown): Co<void> {
          api.FltFreeGenericWorkItem(item);
          yield* api.KeDelayExecutionThread(0, 0, -100_000);
          yield* completeOk(sim, d);
        }, WorkQueueType.DelayedWorkQueue, null);
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('top', top.driverEntry, { altitude: 380000 });
  sim.loadDriver('below', below.driverEntry, { altitude: 360000 });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.unload(1, 'top');
  sim.run();
  assert.deepEqual(violationIds(sim), ['postop-draining']);
});

test('TeardownStart that leaves operations in its cbdq is reported (cbdq-no-drain), and unload hangs', () => {
  const sim = newSim();
  const { f } = queueFilter(sim);
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.unload(1);
  sim.run();
  const ids = violationIds(sim);
  assert.deepEqual(ids, ['cbdq-no-drain', 'deadlock', 'pended-pre-not-completed']);
  assert.match(sim.violations[1]!.message, /Unload all drivers is blocked forever waiting for teardown of csq instance/);
});

test('TeardownStart that disables the queue and drains it lets the unload finish', () => {
  const sim = newSim();
  const { f } = queueFilter(sim, {
    *teardownStart(s, q) {
      yield* s.api.FltCbdqDisable(q.cbdq);
      for (;;) {
        const d = (yield* s.api.FltCbdqRemoveNextIo(q.cbdq, null)) as FltCallbackData | null;
        if (!d) break;
        d.IoStatus.Status = STATUS.STATUS_CANCELLED;
        yield* s.api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_COMPLETE, null);
      }
    },
  });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'read', path: path('b') });
  sim.unload(1);
  sim.run();
  assert.deepEqual(violationIds(sim), []);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_CANCELLED);
  assert.equal(sim.result(2)!.status, STATUS.STATUS_CANCELLED);
  assert.equal(sim.snapshot().filters[0]!.state, 'unloaded');
});

test('TeardownStart that leaves a pended operation nobody will complete is reported (teardown-pended)', () => {
  const sim = newSim();
  const held: FltCallbackData[] = [];
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData) => {
        held.push(d);
        sim.api.KeSetEvent({}, 0, 0); // "hands it off" to nothing in particular
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('forgets', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.unload(1);
  sim.run();
  assert.equal(violationIds(sim).filter((v) => v !== 'uninitialized-object')[0], 'teardown-pended');
});

test('an unload callback that returns success without FltUnregisterFilter is reported (unload-no-unregister)', () => {
  const sim = newSim();
  const f = defineFilter(sim, { unload: () => STATUS.STATUS_SUCCESS });
  sim.loadDriver('lazy', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.deepEqual(violationIds(sim), ['unload-no-unregister']);
});

test('a filter may refuse a non-mandatory unload; one without an unload callback cannot be unloaded', () => {
  const sim = newSim();
  const refuse = defineFilter(sim, { unload: () => STATUS.STATUS_FLT_DO_NOT_DETACH });
  const none = defineFilter(sim, { unload: null });
  sim.loadDriver('refuse', refuse.driverEntry, { altitude: 380000 });
  sim.loadDriver('none', none.driverEntry, { altitude: 370000 });
  sim.unload(1);
  sim.run();
  const unloads = sim.events.filter((e) => e.kind === 'unload').map((e) => e.detail);
  assert.ok(unloads.some((d) => /none cannot be unloaded: it registered no FilterUnloadCallback/.test(d)));
  assert.ok(unloads.some((d) => /refuse refused to unload \(STATUS_FLT_DO_NOT_DETACH\)/.test(d)));
  assert.deepEqual(sim.snapshot().filters.map((x) => x.state), ['filtering', 'filtering']);
  assert.deepEqual(violationIds(sim), []);
});

test('a rundown reference never dropped makes FltUnregisterFilter wait forever (rundown-leak)', () => {
  const sim = newSim();
  const f = defineFilter(sim, {
    init: (flt) => {
      assert.equal(sim.api.FltObjectReference(flt), STATUS.STATUS_SUCCESS);
    },
  });
  sim.loadDriver('ref', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.deepEqual(violationIds(sim), ['rundown-leak', 'deadlock']);
});

test('FltObjectReference on a filter that is unloading fails with STATUS_FLT_DELETING_OBJECT', () => {
  const sim = newSim();
  let st = -1;
  const f = defineFilter(sim, { teardownStart: (objs: { Filter: unknown }) => { st = sim.api.FltObjectReference(objs.Filter); } });
  sim.loadDriver('del', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.equal(st, STATUS.STATUS_FLT_DELETING_OBJECT);
  assert.deepEqual(violationIds(sim), []);
});

test('a worker blocked while FltUnregisterFilter waits for it is reported (generic-wi-blocks-unload)', () => {
  const sim = newSim();
  const ev = {};
  const f = defineFilter(sim, {
    *unload(): Co<number> {
      sim.api.KeInitializeEvent(ev, 0, 0);
      const wi = sim.api.FltAllocateGenericWorkItem();
      sim.api.FltQueueGenericWorkItem(wi, f.filter, function* Waits(item: unknown): Co<void> {
        yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, null);
        sim.api.FltFreeGenericWorkItem(item);
      }, WorkQueueType.DelayedWorkQueue, null);
      yield* sim.api.FltUnregisterFilter(f.filter);
      sim.api.KeSetEvent(ev, 0, 0); // too late
      return STATUS.STATUS_SUCCESS;
    },
  });
  sim.loadDriver('stuck', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.deepEqual(violationIds(sim), ['generic-wi-blocks-unload', 'deadlock', 'deadlock']);
});

test('after unload the filter sees no more I/O', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const f = defineFilter(sim, { operations: [{ major: IRP_MJ.CREATE, pre: (d: FltCallbackData) => { log.add('pre', d); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } }] });
  sim.loadDriver('gone', f.driverEntry);
  sim.io({ id: 1, major: 'create', path: path('a'), at: 0 });
  sim.unload(1);
  sim.io({ id: 2, major: 'create', path: path('a'), at: 2 });
  sim.run();
  assert.deepEqual(log.calls.map((c) => c.data), [1]);
  assert.equal(sim.result(2)!.status, STATUS.STATUS_SUCCESS);
});
