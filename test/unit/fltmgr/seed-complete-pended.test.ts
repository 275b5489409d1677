/**
 * Conformance with the FltCompletePendedPreOperation reference page: one test per claim.
 * Fixture: three filters — Top (380000), Pender (370000), Bottom (360000). Pender pends reads in its
 * pre-op and hands them to a work item whose worker completes them as the test says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, STATUS, type Co, type Simulation, FltCallbackData } from '../../../engine';
import { CallLog, IRP_MJ, POST, PRE, WorkQueueType, eventsOf, newSim, path, violationIds } from '../simHarness';

interface StackOptions {
  /** What the worker passes to FltCompletePendedPreOperation. */
  status?: number;
  context?: unknown;
  /** Status the worker stores in IoStatus before completing. */
  ioStatus?: number;
  /** Runs in the worker instead of the standard completion. */
  worker?: (sim: Simulation, data: FltCallbackData) => Co<void>;
  /** Raise the worker to this IRQL around the call. */
  irql?: number;
  /** Do not complete at all. */
  never?: boolean;
}

function stack(opts: StackOptions = {}) {
  const sim = newSim();
  const log = new CallLog(sim);
  const api = sim.api;
  const postContexts: unknown[] = [];
  const logger = (name: string) => ({
    major: IRP_MJ.READ,
    pre: (d: FltCallbackData) => { log.add(`${name}.pre`, d); return PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK; },
    post: (d: FltCallbackData) => { log.add(`${name}.post`, d); return POST.FLT_POSTOP_FINISHED_PROCESSING; },
  });
  function* Worker(wi: unknown, _obj: unknown, data: FltCallbackData): Co<void> {
    log.add('Worker', data);
    api.FltFreeGenericWorkItem(wi);
    if (opts.never) return;
    if (opts.worker) {
      yield* opts.worker(sim, data);
      return;
    }
    if (opts.ioStatus !== undefined) data.IoStatus.Status = opts.ioStatus;
    const old = opts.irql !== undefined ? api.KeRaiseIrql(opts.irql) : undefined;
    yield* api.FltCompletePendedPreOperation(data, opts.status ?? PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK, opts.context ?? null);
    if (old !== undefined) api.KeLowerIrql(old);
  }
  const top = defineFilter(sim, { name: 'Top', operations: [logger('Top')] });
  const pender = defineFilter(sim, {
    name: 'Pender',
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        log.add('Pender.pre', d);
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, Worker, WorkQueueType.DelayedWorkQueue, d);
        return PRE.FLT_PREOP_PENDING;
      },
      post: (d: FltCallbackData, _o: unknown, ctx: unknown) => {
        log.add('Pender.post', d);
        postContexts.push(ctx);
        return POST.FLT_POSTOP_FINISHED_PROCESSING;
      },
    }],
  });
  const bottom = defineFilter(sim, { name: 'Bottom', operations: [logger('Bottom')] });
  sim.loadDriver('top', top.driverEntry, { altitude: 380000 });
  sim.loadDriver('pender', pender.driverEntry, { altitude: 370000 });
  sim.loadDriver('bottom', bottom.driverEntry, { altitude: 360000 });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), length: 512, flags: { synchronous: true } });
  return { sim, log, postContexts };
}

test('a pended operation goes no further until FltCompletePendedPreOperation resumes it', () => {
  const { sim, log } = stack({ never: true });
  sim.run();
  assert.deepEqual(log.names(), ['Top.pre', 'Pender.pre', 'Worker']);
  assert.equal(eventsOf(sim, 'fs').length, 0, 'the file system never saw it');
  assert.equal(sim.result(1)!.state, 'pended');
  assert.ok(violationIds(sim).includes('pended-pre-not-completed'));
});

test('the callback data parameter is required: NULL is recorded (null-param) and nothing breaks', () => {
  const { sim } = stack({ worker: function* (s) { yield* s.api.FltCompletePendedPreOperation(null, PRE.FLT_PREOP_COMPLETE, null); } });
  sim.run();
  assert.deepEqual(violationIds(sim).slice(0, 1), ['null-param']);
  assert.equal(sim.result(1)!.state, 'pended');
});

for (const bad of [PRE.FLT_PREOP_PENDING, PRE.FLT_PREOP_SYNCHRONIZE, PRE.FLT_PREOP_DISALLOW_FASTIO]) {
  test(`CallbackStatus may not be ${PRE[bad]} (cpp-bad-status)`, () => {
    const { sim } = stack({ status: bad });
    sim.run();
    assert.equal(violationIds(sim)[0], 'cpp-bad-status');
    assert.match(sim.violations[0]!.message, new RegExp(PRE[bad]!));
  });
}

test('FLT_PREOP_COMPLETE: the filters below and the file system never see the operation', () => {
  const { sim, log } = stack({ status: PRE.FLT_PREOP_COMPLETE, ioStatus: STATUS.STATUS_ACCESS_DENIED });
  sim.run();
  assert.ok(!log.names().includes('Bottom.pre'));
  assert.ok(!log.names().includes('Bottom.post'));
  assert.equal(eventsOf(sim, 'fs').length, 0);
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_ACCESS_DENIED, information: 0, state: 'done' });
});

test('FLT_PREOP_COMPLETE: only the post-operation callbacks of the filters above the completing one run', () => {
  const { sim, log } = stack({ status: PRE.FLT_PREOP_COMPLETE, ioStatus: STATUS.STATUS_ACCESS_DENIED });
  sim.run();
  assert.deepEqual(log.names(), ['Top.pre', 'Pender.pre', 'Worker', 'Top.post']);
  assert.deepEqual(violationIds(sim), []);
});

test('FLT_PREOP_SUCCESS_NO_CALLBACK: the operation goes on down, and the completing filter gets no post-op', () => {
  const { sim, log } = stack({ status: PRE.FLT_PREOP_SUCCESS_NO_CALLBACK });
  sim.run();
  assert.deepEqual(log.names(), ['Top.pre', 'Pender.pre', 'Worker', 'Bottom.pre', 'Bottom.post', 'Top.post']);
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_SUCCESS, information: 512, state: 'done' });
});

test('FLT_PREOP_SUCCESS_WITH_CALLBACK: the filter\'s post-op is called during completion', () => {
  const { sim, log } = stack({ status: PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK });
  sim.run();
  assert.deepEqual(log.names(), ['Top.pre', 'Pender.pre', 'Worker', 'Bottom.pre', 'Bottom.post', 'Pender.post', 'Top.post']);
  assert.deepEqual(violationIds(sim), []);
});

test('with FLT_PREOP_SUCCESS_WITH_CALLBACK the Context reaches the post-operation callback', () => {
  const ctx = { tag: 'mine' };
  const { sim, postContexts } = stack({ status: PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK, context: ctx });
  sim.run();
  assert.deepEqual(postContexts, [ctx]);
  assert.equal(postContexts[0], ctx);
});

for (const st of [PRE.FLT_PREOP_COMPLETE, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK]) {
  test(`with ${PRE[st]} the Context must be NULL (cpp-ctx-not-null)`, () => {
    const { sim, postContexts } = stack({ status: st, context: { stray: 1 }, ioStatus: STATUS.STATUS_ACCESS_DENIED });
    sim.run();
    assert.deepEqual(violationIds(sim), ['cpp-ctx-not-null']);
    assert.deepEqual(postContexts, []);
  });
}

test('the operation is resumed in the thread that calls FltCompletePendedPreOperation', () => {
  const { sim, log } = stack({ status: PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK });
  sim.run();
  assert.equal(log.find('Pender.pre')!.thread, 'I/O #1 (read)');
  assert.equal(log.find('Bottom.pre')!.thread, 'Delayed worker 1', 'the filters below run in the worker that resumed it');
  // The read completes asynchronously: post-ops run in the completion context at DISPATCH_LEVEL.
  assert.equal(log.find('Bottom.post')!.thread, 'Completion (DPC)');
  assert.equal(log.find('Bottom.post')!.irql, 2);
});

test('an operation pended and never completed is reported at the end of the run (pended-pre-not-completed)', () => {
  const { sim } = stack({ never: true });
  sim.run();
  const v = sim.violations.find((x) => x.rule === 'pended-pre-not-completed')!;
  assert.equal(v.data, 1);
  assert.match(v.message, /pended by pender/);
});

test('FLT_PREOP_COMPLETE may be passed at DISPATCH_LEVEL', () => {
  const { sim } = stack({ status: PRE.FLT_PREOP_COMPLETE, ioStatus: STATUS.STATUS_CANCELLED, irql: 2 });
  sim.run();
  assert.deepEqual(violationIds(sim), []);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_CANCELLED);
});

for (const st of [PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK]) {
  test(`${PRE[st]} needs APC_LEVEL or below: at DISPATCH_LEVEL it is cpp-irql`, () => {
    const { sim } = stack({ status: st, irql: 2 });
    sim.run();
    assert.equal(violationIds(sim)[0], 'cpp-irql');
    assert.equal(sim.violations[0]!.irql, 2);
  });

  test(`${PRE[st]} at APC_LEVEL is allowed`, () => {
    const { sim } = stack({ status: st, irql: 1 });
    sim.run();
    assert.deepEqual(violationIds(sim), []);
  });
}

test('a second FltCompletePendedPreOperation for the same operation is reported (complete-twice)', () => {
  const { sim } = stack({
    *worker(s, data) {
      yield* s.api.FltCompletePendedPreOperation(data, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
      yield* s.api.FltCompletePendedPreOperation(data, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
    },
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['complete-twice']);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_SUCCESS);
});

test('completing an operation that was never pended is reported (cpp-not-pended)', () => {
  const sim = newSim();
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      post: function* PostRead(d: FltCallbackData): Co<number> {
        yield* sim.api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_COMPLETE, null);
        return POST.FLT_POSTOP_FINISHED_PROCESSING;
      },
    }],
  });
  sim.loadDriver('confused', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['cpp-not-pended']);
  assert.equal(sim.result(1)!.state, 'done');
});

test('the worker may complete the operation before the pre-op has returned FLT_PREOP_PENDING', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const api = sim.api;
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      *pre(d: FltCallbackData, objs: { Instance: unknown }): Co<number> {
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* Worker(item: unknown): Co<void> {
          log.add('Worker');
          api.FltFreeGenericWorkItem(item);
          yield* api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK, null);
        }, WorkQueueType.CriticalWorkQueue, null);
        // A switch point after the queue call (as interpreted C has): the higher-priority worker runs now.
        yield 1;
        log.add('pre returns');
        return PRE.FLT_PREOP_PENDING;
      },
      post: () => { log.add('post'); return POST.FLT_POSTOP_FINISHED_PROCESSING; },
    }],
  });
  sim.loadDriver('racy', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a.txt'), flags: { synchronous: true } });
  sim.run();
  assert.deepEqual(log.names(), ['Worker', 'pre returns', 'post']);
  assert.deepEqual(violationIds(sim), []);
  assert.equal(sim.result(1)!.state, 'done');
});

test('the "complete" event names the call as FltCompletePendedPreOperation(#1, status)', () => {
  const { sim } = stack({ status: PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK });
  sim.run();
  const e = eventsOf(sim, 'complete');
  assert.deepEqual(e.map((x) => x.detail), ['FltCompletePendedPreOperation(#1, FLT_PREOP_SUCCESS_WITH_CALLBACK)']);
  assert.equal(e[0]!.threadName, 'Delayed worker 1');
  assert.equal(e[0]!.data, 1);
});
