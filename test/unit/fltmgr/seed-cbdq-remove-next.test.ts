/**
 * Conformance with the FltCbdqRemoveNextIo reference page: one test per claim. The queue is the
 * TypeScript minifilter queue of cbdqFixture; reads are queued by the pre-op, and an fsctl request
 * issued later drains the queue from its own pre-op at a known time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap, STATUS, type FltCallbackData } from '../../../engine';
import { LengthMatch, completeOk, queueFilter } from './cbdqFixture';
import { newSim, path, violationIds } from '../simHarness';

function setup(opts: Parameters<typeof queueFilter>[1] = {}, simOpts: Parameters<typeof newSim>[0] = {}) {
  const sim = newSim(simOpts);
  const { f, q } = queueFilter(sim, opts);
  sim.loadDriver('csq', f.driverEntry);
  return { sim, q };
}

test('removes the next matching item from the queue and returns its callback data', () => {
  const removed: number[] = [];
  const { sim, q } = setup({
    *fsctl(s, fx) {
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData | null;
      removed.push(d!.id);
      assert.deepEqual(fx.list.map((x) => x.id), [2], 'the driver list lost the item');
      assert.deepEqual(s.snapshot().cbdqs[0]!.items, [2], 'the engine queue lost it too');
      yield* completeOk(s, d!);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a'), at: 0 });
  sim.io({ id: 2, major: 'read', path: path('b'), at: 0 });
  sim.io({ id: 3, major: 'fsctl', path: path('c'), at: 1 });
  sim.run();
  assert.deepEqual(removed, [1]);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(2)!.state, 'queued');
  assert.equal(q.list.length, 1);
});

test('the queue must have been set up by FltCbdqInitialize (cbdq-uninitialized, NULL result)', () => {
  let got: unknown = 'unset';
  const { sim } = setup({
    *fsctl(s) {
      got = yield* s.api.FltCbdqRemoveNextIo({ never: 'initialized' }, null);
    },
  });
  sim.io({ id: 1, major: 'fsctl', path: path('a') });
  sim.run();
  assert.equal(got, null);
  assert.deepEqual(violationIds(sim), ['cbdq-uninitialized']);
});

test('PeekContext is optional: NULL is handed to CbdqPeekNextIo as NULL', () => {
  const { sim, q } = setup({
    *fsctl(s, fx) {
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData;
      yield* completeOk(s, d);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  assert.deepEqual(q.peeks, [[null, null]]);
});

test('returns NULL when the queue is empty', () => {
  let got: unknown = 'unset';
  const { sim, q } = setup({
    *fsctl(s, fx) {
      got = yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null);
    },
  });
  sim.io({ id: 1, major: 'fsctl', path: path('a') });
  sim.run();
  assert.equal(got, null);
  assert.deepEqual(q.log.names(), ['Acquire', 'Peek', 'Release']);
});

test('returns NULL when no queued item matches the PeekContext', () => {
  let got: unknown = 'unset';
  const { sim, q } = setup({
    *fsctl(s, fx) {
      got = yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, new LengthMatch(7));
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a'), length: 100 });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  assert.equal(got, null);
  assert.equal(q.list.length, 1, 'nothing was removed');
});

test('never returns an operation whose cancellation is under way; it skips to the next one', () => {
  const removed: number[] = [];
  const { sim, q } = setup({
    lock: 'mutex',
    // Inside the drainer's Acquire, a switch point lets the cancelling thread start its cancel.
    *afterAcquire() {
      if (sim.kernel.current.name.startsWith('I/O #3')) yield Trap.Yield;
    },
    *fsctl(s, fx) {
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData | null;
      if (d) {
        removed.push(d.id);
        yield* completeOk(s, d);
      }
    },
  }, { switchProbability: 1 });
  sim.io({ id: 1, major: 'read', path: path('a'), at: 0 });
  sim.io({ id: 2, major: 'read', path: path('b'), at: 0 });
  sim.io({ id: 3, major: 'fsctl', path: path('c'), at: 1 });
  sim.cancel(1, 1);
  sim.run();
  assert.deepEqual(removed, [2], 'the cancelled #1 was skipped');
  assert.deepEqual(q.peeks.slice(0, 2), [[null, null], [1, null]], 'Peek saw #1 first, then was asked for the one after it');
  assert.equal(sim.result(1)!.status, STATUS.STATUS_CANCELLED);
  assert.equal(sim.result(2)!.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(violationIds(sim), []);
});

test('cancellation is handled by the queue: Acquire, Remove, Release, then CompleteCanceledIo in the cancelling thread', () => {
  const { sim, q } = setup();
  sim.io({ id: 1, major: 'read', path: path('a'), at: 0 });
  sim.cancel(1, 2);
  sim.run();
  const afterInsert = q.log.calls.slice(4);
  assert.deepEqual(afterInsert.map((c) => c.name), ['Acquire', 'Remove', 'Release', 'CompleteCanceled']);
  assert.ok(afterInsert.every((c) => c.thread === 'Cancel I/O #1'));
  assert.equal(afterInsert[3]!.irql, 0, 'CompleteCanceledIo runs after the lock is released');
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_CANCELLED, information: 0, state: 'done' });
  assert.deepEqual(violationIds(sim), []);
});

test('only IRP-based operations may be queued: fast I/O is refused (cbdq-non-irp)', () => {
  const { sim, q } = setup();
  sim.io({ id: 1, major: 'read', path: path('a'), flags: { fastio: true } });
  sim.run();
  assert.deepEqual(violationIds(sim), ['cbdq-non-irp']);
  assert.equal(q.list.length, 0);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_INVALID_PARAMETER);
});

test('the queue is locked and the item removed through the driver\'s own callbacks: Acquire, Peek, Remove, Release', () => {
  const { sim, q } = setup({
    *fsctl(s, fx) {
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData;
      yield* completeOk(s, d);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  const drain = q.log.calls.filter((c) => c.thread === 'I/O #2 (fsctl)');
  assert.deepEqual(drain.map((c) => c.name), ['Acquire', 'Peek', 'Remove', 'Release']);
  assert.deepEqual(drain.map((c) => c.irql), [0, 2, 2, 2], 'Peek and Remove run under the spin lock');
});

test('the removal itself is done by CbdqRemoveIo, which receives the item', () => {
  const { sim, q } = setup({
    *fsctl(s, fx) {
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData;
      yield* completeOk(s, d);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  const remove = q.log.calls.filter((c) => c.name === 'Remove');
  assert.deepEqual(remove.map((c) => c.data), [1]);
});

test('the scan asks CbdqPeekNextIo first with a NULL item and the PeekContext, and takes what it returns', () => {
  const ctx = new LengthMatch(300);
  let got: FltCallbackData | null = null;
  const { sim, q } = setup({
    // A peek that looks one item at a time, so FltMgr must loop.
    peek: (list, prev) => {
      const i = prev === null ? 0 : list.indexOf(prev) + 1;
      return list[i] ?? null;
    },
    *fsctl(s, fx) {
      got = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, ctx)) as FltCallbackData | null;
      if (got) yield* completeOk(s, got);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a'), length: 100 });
  sim.io({ id: 2, major: 'read', path: path('b'), length: 300 });
  sim.io({ id: 3, major: 'fsctl', path: path('c'), at: 1 });
  sim.run();
  assert.deepEqual(q.peeks, [[null, ctx]], 'a peek that ignores the context returns the first item');
  assert.equal(got!.id, 1);
});

test('what PeekContext means is up to the driver: the engine passes the same object every time', () => {
  const ctx = new LengthMatch(300);
  let got: FltCallbackData | null = null;
  const { sim, q } = setup({
    *fsctl(s, fx) {
      got = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, ctx)) as FltCallbackData | null;
      if (got) yield* completeOk(s, got);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a'), length: 100 });
  sim.io({ id: 2, major: 'read', path: path('b'), length: 300 });
  sim.io({ id: 3, major: 'fsctl', path: path('c'), at: 1 });
  sim.run();
  assert.equal(got!.id, 2, 'the driver matched by length');
  assert.ok(q.peeks.every(([, c]) => c === ctx));
  assert.equal(sim.result(1)!.state, 'queued');
});

test('with a spin lock in Acquire the caller may be at DISPATCH_LEVEL', () => {
  const { sim } = setup({
    lock: 'spin',
    *fsctl(s, fx) {
      const old = s.api.KeRaiseIrql(2);
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData;
      s.api.KeLowerIrql(old);
      yield* completeOk(s, d);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  assert.deepEqual(violationIds(sim), []);
});

test('with a mutex in Acquire the caller must be at APC_LEVEL or below (cbdq-lock-irql)', () => {
  const { sim } = setup({
    lock: 'mutex',
    *fsctl(s, fx) {
      const old = s.api.KeRaiseIrql(2);
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData;
      s.api.KeLowerIrql(old);
      yield* completeOk(s, d);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  const ids = violationIds(sim);
  assert.ok(ids.includes('cbdq-lock-irql'), ids.join());
  assert.match(sim.violations.find((v) => v.rule === 'cbdq-lock-irql')!.message, /FltCbdqRemoveNextIo .* DISPATCH_LEVEL/);
});

test('with a mutex in Acquire, APC_LEVEL is allowed', () => {
  const { sim } = setup({
    lock: 'mutex',
    *fsctl(s, fx) {
      const old = s.api.KeRaiseIrql(1);
      const d = (yield* s.api.FltCbdqRemoveNextIo(fx.cbdq, null)) as FltCallbackData;
      s.api.KeLowerIrql(old);
      yield* completeOk(s, d);
    },
  });
  sim.io({ id: 1, major: 'read', path: path('a') });
  sim.io({ id: 2, major: 'fsctl', path: path('b'), at: 1 });
  sim.run();
  assert.deepEqual(violationIds(sim), []);
});

