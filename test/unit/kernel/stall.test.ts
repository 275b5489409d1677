/**
 * The no-progress backstop (engine/kernel/stall.ts): loops inside the kernel model that run no
 * driver statement end the run with reason `no-progress`, a message naming the threads and what they
 * wait for — never a hang and never a clean end. Each loop here is written with kernel-level threads
 * and timers, so it would spin forever without the backstop (the first two inside one scheduler
 * step, where no step budget can see them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap, type Co } from '../../../engine';
import { STALL_STEPS } from '../../../engine/kernel/stall';
import { newSim } from '../simHarness';
import { oneDriver, prepared } from '../worldRun';
import { World } from '../../../engine/run/world';
import { buildRunReport } from '../../../engine/run/report';

const P = 8;

test('a timer that sets itself again at the same instant stops the run with no-progress (it spun inside one step)', () => {
  const sim = newSim();
  const sched = sim.kernel.sched;
  let fired = 0;
  const again = (): void => {
    fired++;
    sched.addTimer(sched.now, again);
  };
  sched.addTimer(3, again);
  const r = sim.run();
  assert.equal(r.reason, 'fault');
  assert.equal(sim.kernel.fault?.kind, 'no-progress');
  // The system threads' first steps count too: they go to wait for work.
  assert.ok(fired > STALL_STEPS - 10 && fired < STALL_STEPS, `${fired} expiries`);
  assert.equal(sim.now, 3);
  assert.match(sim.kernel.fault!.message, /took 1,000,000 steps in a row at 3 ms without running a statement of driver code/);
  assert.match(sim.kernel.fault!.message, /1 timer set/);
});

test('timers that keep moving the clock with nothing to run stop the run with no-progress', () => {
  const sim = newSim();
  const sched = sim.kernel.sched;
  const again = (): void => void sched.addTimer(sched.now + 1, again);
  sched.addTimer(1, again);
  assert.equal(sim.run().reason, 'fault');
  assert.equal(sim.kernel.fault?.kind, 'no-progress');
  assert.ok(sim.now > STALL_STEPS - 10 && sim.now < STALL_STEPS, `${sim.now} ms`);
  // Stepping on after the stop answers the stop again; it never reports the run as finished.
  assert.equal(sim.step().kind, 'fault');
  assert.equal(sim.finished, false);
});

test('a thread that waits until "now" over and over is named with what it waits for; a statement of driver code resets the count', () => {
  const sim = newSim();
  const k = sim.kernel;
  let statements = 0;
  k.spawn('Worker with statements', 'system', P, function* (): Co<void> {
    // Half the budget without statements, then one statement: the count starts again.
    for (let i = 0; i < STALL_STEPS / 2; i++) yield Trap.Yield;
    statements++;
    yield Trap.Stmt;
  });
  const spinner = k.spawn('Spinner', 'system', P, function* (t): Co<void> {
    for (;;) {
      k.beginWait(t, 'KEVENT Never (test)', k.now);
      yield Trap.Block;
    }
  });
  const r = sim.run();
  assert.equal(r.reason, 'fault');
  assert.equal(statements, 1);
  const f = k.fault!;
  assert.equal(f.kind, 'no-progress');
  assert.equal(f.threadName, 'Spinner');
  assert.ok(r.steps > STALL_STEPS / 2, `${r.steps} steps`);
  assert.match(f.message, new RegExp(`Spinner \\(thread ${spinner.id}\\) (waits for KEVENT Never \\(test\\) until 0 ms|is (ready|running))`));
  assert.equal(sim.events.filter((e) => e.kind === 'fault').length, 1);
});

test('a scenario whose run stalls gets a failed verdict with reason no-progress, never PASS', async () => {
  const driver = [
    '#include <fltKernel.h>',
    'PFLT_FILTER F;',
    'CONST FLT_REGISTRATION R = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, NULL };',
    'NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {',
    '  NTSTATUS s = FltRegisterFilter(d, &R, &F);',
    '  if (NT_SUCCESS(s)) s = FltStartFiltering(F);',
    '  return s;',
    '}',
  ].join('\n');
  const p = await prepared('/t/s.fltsim', 'driver "stall.c"\n', oneDriver('stall.c', driver));
  const world = new World(p, {});
  // A model thread that only yields stands in for a loop in the kernel model.
  world.sim.kernel.spawn('Looping model thread', 'system', P, function* (): Co<void> {
    for (;;) yield Trap.Yield;
  });
  assert.equal(world.run(), 'fault');
  assert.equal(world.fault?.kind, 'no-progress');
  assert.match(world.fault!.message, /Looping model thread \(thread \d+\) is (ready|running)/);
  const report = buildRunReport(world, 's.fltsim');
  assert.equal(report.passed, false);
  assert.equal(report.error?.kind, 'no-progress');
});

test('the message names the looping thread first and at most eight threads, then how many more', () => {
  const sim = newSim();
  const k = sim.kernel;
  for (let i = 0; i < 12; i++) {
    k.spawn(`Waiter ${i}`, 'system', P, function* (t): Co<void> {
      k.beginWait(t, `KEVENT Never${i} (test)`, null);
      yield Trap.Block;
    });
  }
  k.spawn('Spinner', 'system', P - 1, function* (): Co<void> {
    for (;;) yield Trap.Yield;
  });
  assert.equal(sim.run().reason, 'fault');
  const m = k.fault!.message;
  assert.match(m, /\(threads: Spinner \(thread \d+\) is (ready|running); Waiter 0 \(thread \d+\) waits for KEVENT Never0 \(test\);/);
  assert.equal(m.match(/Waiter \d+/g)?.length, 7);
  assert.match(m, /; and 5 more; 0 timers set\)/);
});
