/**
 * Observability and determinism: the snapshot shows what the debugger needs, a run is a pure
 * function of its inputs and seed, and replaying to step N reproduces the original run at N.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defineFilter, STATUS, Trap, type Co, type FltCallbackData, type Simulation } from '../../engine';
import { completeOk, queueFilter } from './fltmgr/cbdqFixture';
import { IRP_MJ, PRE, WorkQueueType, newSim, path } from './simHarness';

/** A busy scenario: a cbdq filter above a filter that pends through work items, cancels, an unload. */
function scenario(seed: number, opts: { processors?: number; cancels?: [number, number][]; ios?: number } = {}): Simulation {
  const sim = newSim({ seed, processors: opts.processors ?? 1, workersPerQueue: 2 });
  const { f } = queueFilter(sim, {
    *afterAcquire() { yield Trap.Yield; },
    *fsctl(s, q) {
      for (;;) {
        const d = (yield* s.api.FltCbdqRemoveNextIo(q.cbdq, null)) as FltCallbackData | null;
        if (!d) break;
        yield* completeOk(s, d);
      }
    },
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
  const api = sim.api;
  const pender = defineFilter(sim, {
    name: 'Pender',
    operations: [{
      major: IRP_MJ.WRITE,
      *pre(d: FltCallbackData, objs: { Instance: unknown }): Co<number> {
        // A switch point at PASSIVE_LEVEL while other I/O threads are ready: the seed decides who goes on.
        yield Trap.Yield;
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* Worker(item: unknown): Co<void> {
          api.FltFreeGenericWorkItem(item);
          yield Trap.Yield;
          yield* api.FltCompletePendedPreOperation(d, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
        }, d.id % 2 ? WorkQueueType.CriticalWorkQueue : WorkQueueType.DelayedWorkQueue, null);
        yield Trap.Yield;
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('csq', f.driverEntry, { altitude: 380000 });
  sim.loadDriver('pender', pender.driverEntry, { altitude: 370000 });
  const n = opts.ios ?? 12;
  for (let i = 1; i <= n; i++) sim.io({ id: i, major: i % 2 ? 'read' : 'write', path: path(`f${i % 3}`), at: i % 3, length: 512 * i });
  sim.io({ id: 100, major: 'fsctl', path: path('ctl'), at: 4 });
  for (const [io, at] of opts.cancels ?? [[1, 1], [3, 2]]) sim.cancel(io, at);
  sim.unload(6);
  return sim;
}

const logOf = (sim: Simulation) => JSON.stringify(sim.events);

test('the snapshot shows threads, work queues, cbdqs, live callback data, filters and time, as plain data', () => {
  const sim = newSim();
  const api = sim.api;
  const { f } = queueFilter(sim);
  const pender = defineFilter(sim, {
    name: 'Pender',
    operations: [{
      major: IRP_MJ.WRITE,
      pre: (d: FltCallbackData, objs: { Instance: unknown }) => {
        const wi = api.FltAllocateGenericWorkItem();
        api.FltQueueGenericWorkItem(wi, objs.Instance, function* LateWorker(item: unknown): Co<void> {
          yield* api.KeDelayExecutionThread(0, 0, -100_000);
          api.FltFreeGenericWorkItem(item);
          yield* completeOk(sim, d);
        }, WorkQueueType.DelayedWorkQueue, null);
        return PRE.FLT_PREOP_PENDING;
      },
    }],
  });
  sim.loadDriver('csq', f.driverEntry, { altitude: 380000 });
  sim.loadDriver('pender', pender.driverEntry, { altitude: 370000 });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'read', path: path('b') });
  sim.io({ id: 3, major: 'write', path: path('c'), flags: { synchronous: true } });
  // Run until the worker sleeps: #1 and #2 queued, #3 pended, the issuer of #3 waiting.
  const sleeping = () => [...sim.kernel.threads.values()].some((t) => t.waitingOn?.startsWith('a delay'));
  while (!sleeping() && sim.step().kind !== 'done');
  const s = sim.snapshot();
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s, 'plain data');
  assert.equal(s.time, 0);
  assert.deepEqual(s.cbdqs.map((q) => ({ items: q.items, enabled: q.enabled, lock: q.lock, filter: q.filter })), [{ items: [1, 2], enabled: true, lock: 'spin lock', filter: 'csq' }]);
  assert.deepEqual(s.callbackData.map((d) => [d.id, d.state, d.owner]), [[1, 'queued', 'cbdq#1 (csq)'], [2, 'queued', 'cbdq#1 (csq)'], [3, 'pended', 'pender']]);
  const d3 = s.callbackData[2]!;
  assert.deepEqual(d3.history.map((h) => h.kind), ['io-issue', 'pre-op', 'pend']);
  assert.equal(d3.majorName, 'IRP_MJ_WRITE');
  const issuer = s.threads.find((t) => t.name === 'I/O #3 (write)')!;
  assert.equal(issuer.state, 'waiting');
  assert.equal(issuer.waitingOn, 'I/O #3 to complete');
  const worker = s.threads.find((t) => t.name === 'Delayed worker 1')!;
  assert.equal(worker.running, 'LateWorker (generic work item)');
  assert.deepEqual(worker.frames.map((fr) => fr.name), ['ExpWorkerThread', 'LateWorker']);
  assert.equal(worker.irqlName, 'PASSIVE_LEVEL');
  assert.deepEqual(s.workQueues.map((q) => [q.name, q.running.map((r) => r.routine)]), [['CriticalWorkQueue', []], ['DelayedWorkQueue', ['LateWorker']]]);
  assert.deepEqual(s.filters.map((x) => [x.name, x.altitude, x.state, x.instances.map((i) => i.outstanding)]), [['csq', '380000', 'filtering', [2]], ['pender', '370000', 'filtering', [1]]]);
  assert.deepEqual(s.timers, [{ tick: 10 }]);
});

test('the same seed and inputs give the same event log, byte for byte; another seed may not', () => {
  const a = scenario(42);
  const b = scenario(42);
  a.run();
  b.run();
  assert.equal(logOf(a), logOf(b));
  assert.ok(a.events.length > 100);
  const others = [1, 2, 3, 4, 5].map((s) => {
    const x = scenario(s);
    x.run();
    return logOf(x);
  });
  assert.ok(new Set(others).size > 1, 'the seed changes the interleaving');
});

test('property: determinism holds for any seed, processor count and cancel times', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 })), { maxLength: 3 }),
      (seed, processors, cancels) => {
        const a = scenario(seed, { processors, cancels });
        const b = scenario(seed, { processors, cancels });
        a.run();
        b.run();
        assert.equal(logOf(a), logOf(b));
        assert.equal(JSON.stringify(a.snapshot()), JSON.stringify(b.snapshot()));
      },
    ),
    { numRuns: 25 },
  );
});

test('replaying to step N gives the snapshot and event log the original had at step N', () => {
  const make = () => scenario(7, { processors: 2 });
  const total = (() => {
    const x = make();
    x.run();
    return x.stepCount;
  })();
  assert.ok(total > 80, `the run is long enough (${total} steps)`);
  const probes = new Set([0, 1, 2, Math.floor(total / 4), Math.floor(total / 2), Math.floor((3 * total) / 4), total - 1]);
  const original = make();
  const at = new Map<number, { snap: string; log: string }>();
  for (;;) {
    if (probes.has(original.stepCount)) at.set(original.stepCount, { snap: JSON.stringify(original.snapshot()), log: logOf(original) });
    if (original.step().kind === 'done') break;
  }
  assert.equal(at.size, probes.size);
  for (const [n, want] of at) {
    const replayed = make();
    replayed.runTo(n);
    assert.equal(replayed.stepCount, n);
    assert.equal(JSON.stringify(replayed.snapshot()), want.snap, `snapshot at step ${n}`);
    assert.equal(logOf(replayed), want.log, `event log at step ${n}`);
  }
});
