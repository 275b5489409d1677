/**
 * The scheduler and the clock: priorities, preemption at Yield points only, no preemption at
 * DISPATCH_LEVEL, virtual time jumps, several processors, faults in driver code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LargeInteger, Ref, STATUS, Trap, type Co, type KThread } from '../../../engine';
import { newSim, violationIds } from '../simHarness';

const P = 8;

test('virtual time only moves when nothing can run, and a relative delay rounds up to whole ticks', () => {
  const sim = newSim();
  const marks: string[] = [];
  sim.kernel.spawn('Sleeper', 'system', P, function* (): Co<void> {
    marks.push(`start ${sim.now}`);
    yield* sim.api.KeDelayExecutionThread(0, 0, -25_001); // 2.5001 ms → 3 ticks
    marks.push(`woke ${sim.now}`);
    yield* sim.api.KeDelayExecutionThread(0, 0, new LargeInteger(-10_000));
    marks.push(`woke ${sim.now}`);
  });
  sim.kernel.spawn('Busy', 'system', P, function* (): Co<void> {
    for (let i = 0; i < 5; i++) yield Trap.Yield;
    marks.push(`busy done ${sim.now}`);
  });
  sim.run();
  assert.deepEqual(marks, ['start 0', 'busy done 0', 'woke 3', 'woke 4']);
});

test('KeWaitForSingleObject returns STATUS_TIMEOUT at the deadline, STATUS_SUCCESS when signalled first', () => {
  const sim = newSim();
  const ev = {};
  const got: string[] = [];
  sim.kernel.spawn('Waiter', 'system', P, function* (): Co<void> {
    sim.api.KeInitializeEvent(ev, 0, 0);
    const a = yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, -20_000);
    got.push(`${a === STATUS.STATUS_TIMEOUT ? 'timeout' : 'signalled'} at ${sim.now}`);
    const b = yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, -100_000);
    got.push(`${b === STATUS.STATUS_TIMEOUT ? 'timeout' : 'signalled'} at ${sim.now}`);
    const c = yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, 0);
    got.push(`poll ${c === STATUS.STATUS_SUCCESS ? 'signalled' : 'timeout'}`);
  });
  sim.kernel.spawn('Setter', 'system', P, function* (): Co<void> {
    yield* sim.api.KeDelayExecutionThread(0, 0, -50_000);
    sim.api.KeSetEvent(ev, 0, 0);
  });
  sim.run();
  assert.deepEqual(got, ['timeout at 2', 'signalled at 5', 'poll signalled']);
  assert.deepEqual(violationIds(sim), []);
});

test('a higher-priority thread made ready preempts at the next Yield point, never at a statement boundary', () => {
  const sim = newSim({ switchProbability: 0 });
  const order: string[] = [];
  sim.kernel.spawn('Low', 'system', P, function* (): Co<void> {
    order.push('low 1');
    sim.kernel.spawn('High', 'system', 13, function* (): Co<void> {
      order.push('high');
    });
    yield Trap.Stmt;
    order.push('low 2 (after a statement boundary)');
    yield Trap.Yield;
    order.push('low 3');
  });
  sim.run();
  assert.deepEqual(order, ['low 1', 'low 2 (after a statement boundary)', 'high', 'low 3']);
});

test('equal priorities switch at a Yield point with the seeded probability: never at 0, always at 1', () => {
  const trace = (p: number) => {
    const sim = newSim({ switchProbability: p });
    const order: string[] = [];
    for (const name of ['A', 'B']) {
      sim.kernel.spawn(name, 'system', P, function* (): Co<void> {
        for (let i = 0; i < 3; i++) {
          order.push(`${name}${i}`);
          yield Trap.Yield;
        }
      });
    }
    sim.run();
    return order.join(' ');
  };
  assert.equal(trace(0), 'A0 A1 A2 B0 B1 B2');
  assert.equal(trace(1), 'A0 B0 A1 B1 A2 B2');
});

test('a thread at DISPATCH_LEVEL is never preempted, even by a higher-priority thread', () => {
  const sim = newSim();
  const order: string[] = [];
  const lock = { L: 0 };
  sim.kernel.spawn('Holder', 'system', P, function* (): Co<void> {
    const old = yield* sim.api.KeAcquireSpinLock(lock);
    sim.kernel.spawn('High', 'system', 13, function* (): Co<void> {
      order.push('high runs');
    });
    yield Trap.Yield;
    order.push('holder still running at DISPATCH_LEVEL');
    sim.api.KeReleaseSpinLock(lock, old);
    yield Trap.Yield;
    order.push('holder after release');
  });
  sim.run();
  assert.deepEqual(order, ['holder still running at DISPATCH_LEVEL', 'high runs', 'holder after release']);
});

test('several processors interleave threads at Yield points, and the seed decides the order', () => {
  const trace = (seed: number) => {
    const sim = newSim({ processors: 2, seed });
    const order: string[] = [];
    for (const name of ['A', 'B']) {
      sim.kernel.spawn(name, 'system', P, function* (): Co<void> {
        for (let i = 0; i < 4; i++) {
          order.push(name);
          yield Trap.Yield;
        }
      });
    }
    sim.run();
    return order.join('');
  };
  const traces = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(trace));
  assert.ok(traces.size > 1, 'different seeds interleave differently');
  assert.ok([...traces].some((t) => /AB.*A|BA.*B/.test(t)), 'some run interleaves the two threads');
  for (const t of traces) assert.equal([...t].filter((c) => c === 'A').length, 4);
  assert.equal(trace(3), trace(3), 'one seed, one interleaving');
});

test('with two processors both threads are on a processor at once', () => {
  const sim = newSim({ processors: 2 });
  const cpus = new Set<number>();
  const bodies = (name: string) => function* (t: KThread): Co<void> {
    for (let i = 0; i < 3; i++) {
      cpus.add(t.cpu);
      yield Trap.Yield;
    }
    void name;
  };
  sim.kernel.spawn('A', 'system', P, bodies('A'));
  sim.kernel.spawn('B', 'system', P, bodies('B'));
  sim.run();
  assert.deepEqual([...cpus].sort(), [0, 1]);
});

test('an exception in driver code stops the run with a fault that names the thread and the message', () => {
  const sim = newSim();
  sim.kernel.spawn('Crasher', 'system', P, function* (t: KThread): Co<void> {
    t.frames.push({ name: 'PreRead', module: 'drv', file: 'drv.c', line: 42, column: 5 });
    yield Trap.Stmt;
    throw Object.assign(new Error('unsupported construct: inline assembly'), { kind: 'unsupported' });
  });
  const r = sim.run();
  assert.equal(r.reason, 'fault');
  assert.deepEqual(sim.kernel.fault, { thread: sim.kernel.fault!.thread, threadName: 'Crasher', message: 'unsupported construct: inline assembly', kind: 'unsupported', location: { file: 'drv.c', line: 42, column: 5 } });
  assert.equal(sim.step().kind, 'fault');
});

test('an exception fltsim did not mean to throw (a TypeError) is a fault of kind internal', () => {
  const sim = newSim();
  sim.kernel.spawn('Buggy', 'system', P, function* (): Co<void> {
    yield Trap.Stmt;
    (null as unknown as { x: number }).x = 1;
  });
  assert.equal(sim.run().reason, 'fault');
  assert.equal(sim.kernel.fault!.kind, 'internal');
  assert.match(sim.kernel.fault!.message, /Cannot set properties of null/);
});

test('step() takes one trap of one thread and reports it; done is reported at the end', () => {
  const sim = newSim();
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    yield Trap.Stmt;
    yield Trap.Yield;
  });
  const kinds: string[] = [];
  for (;;) {
    const r = sim.step();
    kinds.push(`${r.kind}@${r.step}`);
    if (r.kind === 'done') break;
  }
  // Workers and the completion thread park first (one step each), then T runs.
  assert.deepEqual(kinds, ['block@1', 'block@2', 'block@3', 'stmt@4', 'yield@5', 'exit@6', 'done@6']);
  assert.equal(sim.finished, true);
});

test('KeRaiseIrql to a lower level and KeLowerIrql to a higher one are reported (irql-bad-raise)', () => {
  const sim = newSim();
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const old = sim.api.KeRaiseIrql(2);
    sim.api.KeRaiseIrql(1);
    sim.api.KeLowerIrql(2);
    sim.api.KeLowerIrql(old);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['irql-bad-raise', 'irql-bad-raise']);
  assert.match(sim.violations[0]!.message, /KeRaiseIrql to APC_LEVEL/);
});

test('threads blocked forever are reported at the end (deadlock)', () => {
  const sim = newSim();
  const ev = {};
  sim.kernel.spawn('Forever', 'system', P, function* (): Co<void> {
    sim.api.KeInitializeEvent(ev, 1, 0);
    yield* sim.api.KeWaitForSingleObject(ev, 0, 0, 0, null);
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['deadlock']);
  assert.match(sim.violations[0]!.message, /Forever is blocked forever waiting for synchronization event/);
});

test('a system thread from PsCreateSystemThread can be waited for, and PsTerminateSystemThread ends it', () => {
  const sim = newSim();
  const order: string[] = [];
  sim.kernel.spawn('Parent', 'system', P, function* (): Co<void> {
    const h = { v: null as unknown };
    const st = sim.api.PsCreateSystemThread(new Ref(h, 'v'), 0, null, null, null, function* ChildRoutine(ctx: string): Co<void> {
      order.push(`child ${ctx} at ${sim.now}`);
      yield* sim.api.KeDelayExecutionThread(0, 0, -10_000);
      sim.api.PsTerminateSystemThread(0);
      order.push('never');
    }, 'ctx');
    assert.equal(st, STATUS.STATUS_SUCCESS);
    const obj = { v: null as unknown };
    assert.equal(sim.api.ObReferenceObjectByHandle(h.v, 0, null, 0, new Ref(obj, 'v'), null), STATUS.STATUS_SUCCESS);
    const w = yield* sim.api.KeWaitForSingleObject(obj.v, 0, 0, 0, null);
    order.push(`parent sees the child exit at ${sim.now} (${w})`);
    sim.api.ZwClose(h.v);
  });
  sim.run();
  assert.deepEqual(order, ['child ctx at 0', 'parent sees the child exit at 1 (0)']);
  assert.deepEqual(violationIds(sim), []);
});
