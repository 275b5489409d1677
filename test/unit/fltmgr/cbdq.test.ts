/**
 * The cancel-safe queue beyond FltCbdqRemoveNextIo: insert (disabled queue, already-cancelled
 * operation), FltCbdqRemoveIo with its context, Enable/Disable, the checks on the driver's
 * callbacks, cancellation without a cancel routine, FltSetCancelCompletion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defineFilter, STATUS, Trap, type Co, type FltCallbackData } from '../../../engine';
import { completeOk, queueFilter } from './cbdqFixture';
import { IRP_MJ, PRE, newSim, path, violationIds } from '../simHarness';

test('inserting into a disabled queue fails with STATUS_FLT_CBDQ_DISABLED, under the queue lock', () => {
  const sim = newSim();
  const { f, q } = queueFilter(sim, {
    *fsctl(s, fx) {
      yield* s.api.FltCbdqDisable(fx.cbdq);
    },
  });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'fsctl', path: path('a'), at: 0 });
  sim.io({ id: 2, major: 'read', path: path('b'), at: 1 });
  sim.run();
  assert.equal(sim.result(2)!.status, STATUS.STATUS_FLT_CBDQ_DISABLED);
  const insert = q.log.calls.filter((c) => c.thread === 'I/O #2 (read)').map((c) => c.name);
  assert.deepEqual(insert, ['PreOp', 'Acquire', 'Release']);
  assert.equal(sim.snapshot().cbdqs[0]!.enabled, false);
  assert.deepEqual(violationIds(sim), []);
});

test('returning FLT_PREOP_PENDING after a failed insert is reported (cbdq-insert-unchecked)', () => {
  const sim = newSim();
  const { f } = queueFilter(sim, { onInsertFailure: 'pend-anyway', *fsctl(s, fx) { yield* s.api.FltCbdqDisable(fx.cbdq); } });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'fsctl', path: path('a'), at: 0 });
  sim.io({ id: 2, major: 'read', path: path('b'), at: 1 });
  sim.run();
  assert.deepEqual(violationIds(sim), ['cbdq-insert-unchecked', 'pended-pre-not-completed']);
});

test('FltCbdqEnable lets a disabled queue accept inserts again', () => {
  const sim = newSim();
  const { f, q } = queueFilter(sim, {
    *fsctl(s, fx) {
      yield* s.api.FltCbdqDisable(fx.cbdq);
      yield* s.api.FltCbdqEnable(fx.cbdq);
    },
  });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'fsctl', path: path('a'), at: 0 });
  sim.io({ id: 2, major: 'read', path: path('b'), at: 1 });
  sim.run();
  assert.equal(sim.result(2)!.state, 'queued');
  assert.equal(q.list.length, 1);
});

test('an operation cancelled before it is queued is inserted, removed and completed as cancelled at once', () => {
  const sim = newSim({ switchProbability: 1 });
  const { f, q } = queueFilter(sim, {
    majors: [IRP_MJ.WRITE],
  });
  // A filter above waits in its pre-op, so the cancel arrives before the queue filter sees the write.
  const above = defineFilter(sim, {
    name: 'Slow',
    operations: [{ major: IRP_MJ.WRITE, *pre(): Co<number> { yield* sim.api.KeDelayExecutionThread(0, 0, -30_000); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } }],
  });
  sim.loadDriver('slow', above.driverEntry, { altitude: 380000 });
  sim.loadDriver('csq', f.driverEntry, { altitude: 370000 });
  sim.io({ id: 1, major: 'write', path: path('a'), at: 0 });
  sim.cancel(1, 1);
  sim.run();
  assert.deepEqual(q.log.names(), ['PreOp', 'Acquire', 'Insert', 'Remove', 'Release', 'CompleteCanceled']);
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_CANCELLED, information: 0, state: 'done' });
  assert.deepEqual(violationIds(sim), []);
});

test('FltCbdqRemoveIo removes the item inserted with that context; afterwards (or after a cancel) it returns NULL', () => {
  const sim = newSim();
  const got: (number | null)[] = [];
  const ctxs = new Map<number, object>();
  const api = sim.api;
  const cbdq = {};
  const list: FltCallbackData[] = [];
  const f = defineFilter(sim, {
    operations: [
      {
        major: IRP_MJ.READ,
        *pre(d: FltCallbackData): Co<number> {
          const ioCtx = { CbdqContext: d.id };
          ctxs.set(d.id, ioCtx);
          yield* api.FltCbdqInsertIo(cbdq, d, ioCtx, null);
          return PRE.FLT_PREOP_PENDING;
        },
      },
      {
        major: IRP_MJ.FILE_SYSTEM_CONTROL,
        *pre(): Co<number> {
          for (const id of [2, 2, 1]) {
            const d = (yield* api.FltCbdqRemoveIo(cbdq, ctxs.get(id))) as FltCallbackData | null;
            got.push(d ? d.id : null);
            if (d) yield* completeOk(sim, d);
          }
          return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
        },
      },
    ],
    instanceSetup: (objs: { Instance: unknown }) => api.FltCbdqInitialize(objs.Instance, cbdq,
      (_c: unknown, d: FltCallbackData) => { list.push(d); return 0; },
      (_c: unknown, d: FltCallbackData) => { list.splice(list.indexOf(d), 1); },
      () => null,
      () => undefined,
      () => undefined,
      function* (_c: unknown, d: FltCallbackData): Co<void> { d.IoStatus.Status = STATUS.STATUS_CANCELLED; yield* api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_COMPLETE, null); }),
  });
  sim.loadDriver('rio', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'read', path: path('b') });
  sim.cancel(1, 1);
  sim.io({ id: 3, major: 'fsctl', path: path('c'), at: 2 });
  sim.run();
  assert.deepEqual(got, [2, null, null]);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_CANCELLED);
  assert.equal(sim.result(2)!.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(violationIds(sim), []);
});

test('FltCbdqRemoveIo with a NULL context is reported (cbdq-remove-null)', () => {
  const sim = newSim();
  const { f } = queueFilter(sim, { *fsctl(s, fx) { yield* s.api.FltCbdqRemoveIo(fx.cbdq, null); } });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'fsctl', path: path('a') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['cbdq-remove-null']);
});

test('a CompleteCanceledIo that does not complete the operation is reported (cbdq-cancel-cb)', () => {
  const sim = newSim();
  const { f } = queueFilter(sim, { *completeCanceled() { /* forgets to complete */ } });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.cancel(1, 1);
  sim.run();
  assert.deepEqual(violationIds(sim), ['cbdq-cancel-cb', 'pended-pre-not-completed']);
});

test('a CompleteCanceledIo that completes with a success status is reported (cbdq-cancel-cb)', () => {
  const sim = newSim();
  const { f } = queueFilter(sim, {
    *completeCanceled(s, d) {
      d.IoStatus.Status = STATUS.STATUS_SUCCESS;
      yield* s.api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_COMPLETE, null);
    },
  });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.cancel(1, 1);
  sim.run();
  assert.deepEqual(violationIds(sim), ['cbdq-cancel-cb']);
  assert.match(sim.violations[0]!.message, /STATUS_SUCCESS/);
});

test('a Peek that returns something not queued, or loops, is reported (cbdq-peek-contract)', () => {
  for (const [name, peek] of [
    ['stranger', () => ({ some: 'thing' })],
    ['loop', (list: FltCallbackData[]) => { list[0]!.cancelTaken = true; return list[0]; }],
  ] as const) {
    const sim = newSim();
    const { f } = queueFilter(sim, { peek: peek as never, *fsctl(s, fx) { yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null); } });
    sim.loadDriver('csq', f.driverEntry);
    sim.io({ id: 1, major: 'read', path: path('a') });
    sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
    sim.run();
    assert.equal(violationIds(sim)[0], 'cbdq-peek-contract', name);
  }
});

test('completing an operation that still sits in the queue is reported (cbdq-complete-queued)', () => {
  const sim = newSim();
  let held: FltCallbackData | null = null;
  const { f } = queueFilter(sim, {
    *fsctl(s) {
      yield* s.api.FltCompletePendedPreOperation(held, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
    },
  });
  sim.onEvent((e) => { if (e.kind === 'cbdq-insert') held = sim.fltmgr.live.get(e.data) ?? null; });
  sim.loadDriver('csq', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  assert.deepEqual(violationIds(sim), ['cbdq-complete-queued']);
  assert.equal(sim.snapshot().cbdqs[0]!.items.length, 0);
});

test('cancelling an operation that has no cancel routine only sets its cancel flag (FltIsIoCanceled)', () => {
  const sim = newSim();
  const flags: number[] = [];
  const api = sim.api;
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* Later(item: unknown): Co<void> {
          api.FltFreeGenericWorkItem(item);
          flags.push(api.FltIsIoCanceled(d));
          yield* api.KeDelayExecutionThread(0, 0, -20_000);
          flags.push(api.FltIsIoCanceled(d));
          yield* api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
        }, 1, null);
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('flag', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.cancel(1, 1);
  sim.run();
  assert.deepEqual(flags, [0, 1]);
  // The file system sees the cancel flag and completes the read as cancelled.
  assert.equal(sim.result(1)!.status, STATUS.STATUS_CANCELLED);
  assert.match(sim.events.find((e) => e.kind === 'cancel')!.detail, /no cancel routine/);
});

test('FltSetCancelCompletion\'s routine runs in the cancelling thread; it is refused for fast I/O (set-cancel-misuse)', () => {
  const sim = newSim();
  const ran: string[] = [];
  const api = sim.api;
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        const st = api.FltSetCancelCompletion(d, function* OnCancel(data: FltCallbackData): Co<void> {
          ran.push(sim.kernel.current.name);
          data.IoStatus.Status = STATUS.STATUS_CANCELLED;
          yield* api.FltCompletePendedPreOperation(data, PRE.FLT_PREOP_COMPLETE, null);
        });
        if (st !== STATUS.STATUS_SUCCESS) return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
        api.KeSetEvent(objs, 0, 0);
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('setcancel', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'read', path: path('b'), flags: { fastio: true } });
  sim.cancel(1, 1);
  sim.run();
  assert.deepEqual(ran, ['Cancel I/O #1']);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_CANCELLED);
  assert.ok(violationIds(sim).includes('set-cancel-misuse'));
});

test('property: whatever the seed and cancel times, RemoveNextIo never hands out a cancelled operation, and every operation ends', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom<'spin' | 'mutex'>('spin', 'mutex'),
      (seed, cancelAt, lock) => {
        const sim = newSim({ seed, processors: 1 + (seed % 2), switchProbability: 0.5 });
        const handedOut: number[] = [];
        const { f, q } = queueFilter(sim, {
          lock,
          *afterAcquire() { yield Trap.Yield; },
          *fsctl(s, fx) {
            for (;;) {
              const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData | null;
              if (!d) break;
              handedOut.push(d.id);
              yield* completeOk(s, d);
            }
          },
        });
        sim.loadDriver('csq', f.driverEntry);
        for (let i = 1; i <= 4; i++) sim.io({ id: i, major: 'read', path: path(`f${i}`), at: 0 });
        cancelAt.forEach((t, i) => sim.cancel(1 + (i % 4), t));
        for (let t = 1; t <= 6; t += 2) sim.io({ id: 10 + t, major: 'fsctl', path: path('q'), at: t });
        sim.run();
        const cancelledByQueue = q.log.calls.filter((c) => c.name === 'CompleteCanceled').map((c) => c.data!);
        for (const id of handedOut) assert.ok(!cancelledByQueue.includes(id), `#${id} was handed out by RemoveNextIo and also cancelled by the queue`);
        for (const id of cancelledByQueue) assert.equal(sim.result(id)!.status, STATUS.STATUS_CANCELLED);
        for (let i = 1; i <= 4; i++) assert.equal(sim.result(i)!.state, 'done', `#${i} ended`);
        assert.deepEqual(violationIds(sim), []);
      },
    ),
    { numRuns: 60 },
  );
});

