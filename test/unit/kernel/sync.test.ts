/**
 * Locks and events: spin locks raise to DISPATCH_LEVEL and restore, fast mutexes raise to APC_LEVEL
 * and block contenders, ERESOURCEs share, push locks do not recurse, events wake waiters; every
 * misuse is a violation with its id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ref, Trap, type Co } from '../../../engine';
import { newSim, violationIds } from '../simHarness';

const P = 8;

test('KeAcquireSpinLock raises to DISPATCH_LEVEL and returns the old IRQL; KeReleaseSpinLock restores it', () => {
  const sim = newSim();
  const seen: number[] = [];
  const holder = { Lock: 0 };
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.KeInitializeSpinLock(new Ref(holder, 'Lock'));
    const out = { v: -1 };
    const old = yield* sim.api.KeAcquireSpinLock(new Ref(holder, 'Lock'), new Ref(out, 'v'));
    seen.push(old, out.v, sim.api.KeGetCurrentIrql());
    sim.api.KeReleaseSpinLock(new Ref(holder, 'Lock'), old);
    seen.push(sim.api.KeGetCurrentIrql());
  });
  sim.run();
  assert.deepEqual(seen, [0, 0, 2, 0]);
  assert.deepEqual(violationIds(sim), []);
});

test('two Refs to the same KSPIN_LOCK field are the same lock', () => {
  const sim = newSim();
  const holder = { Lock: 0 };
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const old = yield* sim.api.KeAcquireSpinLock(new Ref(holder, 'Lock'));
    const again = yield* sim.api.KeAcquireSpinLock(new Ref(holder, 'Lock'));
    sim.api.KeReleaseSpinLock(new Ref(holder, 'Lock'), again);
    sim.api.KeReleaseSpinLock(new Ref(holder, 'Lock'), old);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['lock-recursive']);
});

test('releasing a spin lock not held (spinlock-not-held) and with the wrong IRQL (spinlock-release-irql) are reported', () => {
  const sim = newSim();
  const a = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.KeReleaseSpinLock(a, 0);
    const old = yield* sim.api.KeAcquireSpinLock(a);
    sim.api.KeReleaseSpinLock(a, 1);
    sim.api.KeLowerIrql(old);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['spinlock-not-held', 'spinlock-release-irql']);
});

test('the AtDpcLevel variants require DISPATCH_LEVEL (irql-below-required)', () => {
  const sim = newSim();
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const l = {};
    yield* sim.api.KeAcquireSpinLockAtDpcLevel(l);
    sim.api.KeReleaseSpinLockFromDpcLevel(l);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['irql-below-required', 'irql-below-required']);
});

test('an in-stack queued spin lock keeps the old IRQL in its handle', () => {
  const sim = newSim();
  const seen: unknown[] = [];
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const lock = { L: 0 };
    const handle: { LockQueue: number[]; OldIrql: number } = { LockQueue: [0, 0], OldIrql: -1 };
    sim.api.KeRaiseIrql(1);
    yield* sim.api.KeAcquireInStackQueuedSpinLock(new Ref(lock, 'L'), handle);
    seen.push(handle.OldIrql, sim.api.KeGetCurrentIrql());
    sim.api.KeReleaseInStackQueuedSpinLock(handle);
    seen.push(sim.api.KeGetCurrentIrql());
    sim.api.KeLowerIrql(0);
  });
  sim.run();
  assert.deepEqual(seen, [1, 2, 1]);
  assert.deepEqual(violationIds(sim), []);
});

test('a fast mutex raises to APC_LEVEL; a contender blocks until the owner releases, then owns it', () => {
  const sim = newSim({ switchProbability: 1 });
  const m = {};
  const order: string[] = [];
  sim.kernel.spawn('A', 'system', P, function* (): Co<void> {
    sim.api.ExInitializeFastMutex(m);
    yield* sim.api.ExAcquireFastMutex(m);
    order.push(`A owns at ${sim.api.KeGetCurrentIrql()}`);
    yield Trap.Yield;
    yield* sim.api.KeDelayExecutionThread(0, 0, -10_000);
    order.push('A releases');
    sim.api.ExReleaseFastMutex(m);
    order.push(`A back at ${sim.api.KeGetCurrentIrql()}`);
  });
  sim.kernel.spawn('B', 'system', P, function* (): Co<void> {
    order.push('B tries');
    yield* sim.api.ExAcquireFastMutex(m);
    order.push(`B owns at ${sim.now} ms`);
    sim.api.ExReleaseFastMutex(m);
  });
  sim.run();
  assert.deepEqual(order, ['A owns at 1', 'B tries', 'A releases', 'A back at 0', 'B owns at 1 ms']);
  assert.equal(sim.events.filter((e) => e.kind === 'wait' && e.threadName === 'B').length, 1);
});

test('fast mutex misuse: release by a thread that does not own it (lock-not-held), recursive acquire (lock-recursive), before init (uninitialized-object)', () => {
  const sim = newSim();
  const m = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    yield* sim.api.ExAcquireFastMutex(m);
    yield* sim.api.ExAcquireFastMutex(m);
    sim.api.ExReleaseFastMutex(m);
    sim.api.ExReleaseFastMutex(m);
    sim.api.ExReleaseFastMutex(m);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['uninitialized-object', 'lock-recursive', 'lock-not-held']);
});

test('an ERESOURCE is shared by readers and exclusive for a writer, which waits for them', () => {
  const sim = newSim({ switchProbability: 1 });
  const r = {};
  const order: string[] = [];
  const reader = (name: string) => function* (): Co<void> {
    yield* sim.api.FltAcquireResourceShared(r);
    order.push(`${name} shares`);
    yield Trap.Yield;
    yield* sim.api.KeDelayExecutionThread(0, 0, -10_000);
    order.push(`${name} done`);
    sim.api.FltReleaseResource(r);
  };
  sim.kernel.spawn('Init', 'system', 9, function* (): Co<void> {
    sim.api.ExInitializeResourceLite(r);
  });
  sim.kernel.spawn('R1', 'system', P, reader('R1'));
  sim.kernel.spawn('R2', 'system', P, reader('R2'));
  sim.kernel.spawn('W', 'system', P, function* (): Co<void> {
    yield* sim.api.FltAcquireResourceExclusive(r);
    order.push('W exclusive');
    sim.api.FltReleaseResource(r);
  });
  sim.run();
  assert.deepEqual(order, ['R1 shares', 'R2 shares', 'R1 done', 'R2 done', 'W exclusive']);
  assert.deepEqual(violationIds(sim), []);
});

test('ExAcquireResourceExclusiveLite outside a critical region is reported (resource-no-critical-region)', () => {
  const sim = newSim();
  const r = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.ExInitializeResourceLite(r);
    yield* sim.api.ExAcquireResourceExclusiveLite(r, 1);
    sim.api.ExReleaseResourceLite(r);
    sim.api.KeEnterCriticalRegion();
    yield* sim.api.ExAcquireResourceExclusiveLite(r, 1);
    sim.api.ExReleaseResourceLite(r);
    sim.api.KeLeaveCriticalRegion();
    sim.api.KeLeaveCriticalRegion();
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['resource-no-critical-region', 'critical-region-imbalance']);
});

test('a push lock cannot be acquired recursively (lock-recursive)', () => {
  const sim = newSim();
  const p = { PushLock: 0 };
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.FltInitializePushLock(new Ref(p, 'PushLock'));
    yield* sim.api.FltAcquirePushLockExclusive(new Ref(p, 'PushLock'));
    yield* sim.api.FltAcquirePushLockExclusive(new Ref(p, 'PushLock'));
    sim.api.FltReleasePushLock(new Ref(p, 'PushLock'));
    sim.api.FltReleasePushLock(new Ref(p, 'PushLock'));
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['lock-recursive']);
});

test('a notification event wakes every waiter and stays signalled; a synchronization event wakes one and resets', () => {
  const run = (type: number) => {
    const sim = newSim();
    const ev = {};
    const woke: string[] = [];
    sim.kernel.spawn('Init', 'system', 9, function* (): Co<void> {
      sim.api.KeInitializeEvent(ev, type, 0);
    });
    for (const n of ['W1', 'W2']) {
      sim.kernel.spawn(n, 'system', P, function* (): Co<void> {
        const st = yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, -50_000);
        woke.push(`${n}:${st === 0 ? 'signalled' : 'timeout'}`);
      });
    }
    sim.kernel.spawn('Setter', 'system', P, function* (): Co<void> {
      yield* sim.api.KeDelayExecutionThread(0, 0, -10_000);
      sim.api.KeSetEvent(ev, 0, 0);
    });
    sim.run();
    return { woke, state: sim.api.KeReadStateEvent(ev) };
  };
  assert.deepEqual(run(0), { woke: ['W1:signalled', 'W2:signalled'], state: 1 });
  assert.deepEqual(run(1), { woke: ['W1:signalled', 'W2:timeout'], state: 0 });
});

test('waiting with a timeout at DISPATCH_LEVEL is reported (wait-at-dispatch); a zero timeout is fine', () => {
  const sim = newSim();
  const ev = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.KeInitializeEvent(ev, 0, 1);
    const old = sim.api.KeRaiseIrql(2);
    yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, 0);
    yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, -10);
    sim.api.KeLowerIrql(old);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['wait-at-dispatch']);
});

test('KeSetEvent with Wait TRUE above APC_LEVEL is reported (irql-above-bound)', () => {
  const sim = newSim();
  const ev = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.KeInitializeEvent(ev, 0, 0);
    const old = sim.api.KeRaiseIrql(2);
    sim.api.KeSetEvent(ev, 0, 1);
    sim.api.KeLowerIrql(old);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['irql-above-bound']);
});

test('a lock still held when the run ends is reported (lock-held-at-end)', () => {
  const sim = newSim();
  const m = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.ExInitializeFastMutex(m);
    yield* sim.api.ExAcquireFastMutex(m);
    sim.api.KeLowerIrql(0);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['lock-held-at-end']);
  assert.match(sim.violations[0]!.message, /fast mutex FastMutex#\d+ is still owned by T/);
});

test('interlocked operations update the variable and return what the WDK says', () => {
  const sim = newSim();
  const v = { n: 5, p: null as unknown };
  const r = new Ref(v, 'n');
  assert.equal(sim.api.InterlockedIncrement(r), 6);
  assert.equal(sim.api.InterlockedDecrement(r), 5);
  assert.equal(sim.api.InterlockedExchangeAdd(r, 10), 5);
  assert.equal(v.n, 15);
  assert.equal(sim.api.InterlockedCompareExchange(r, 1, 15), 15);
  assert.equal(v.n, 1);
  assert.equal(sim.api.InterlockedCompareExchange(r, 7, 99), 1);
  assert.equal(v.n, 1);
  const obj = {};
  assert.equal(sim.api.InterlockedExchangePointer(new Ref(v, 'p'), obj), 0);
  assert.equal(sim.api.InterlockedCompareExchangePointer(new Ref(v, 'p'), null, obj), obj);
  assert.equal(v.p, null);
  v.n = 0x7fffffff;
  assert.equal(sim.api.InterlockedIncrement(r), -0x80000000, 'LONG wraps');
});
