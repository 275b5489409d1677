/**
 * Kernel timers, DPCs and I/O / executive work items on a fixture written for these tests
 * (test/fixtures/timers/tickfilter.c): a periodic timer whose DPC queues an I/O work item, cancel
 * before and after expiry, a synchronization timer waited on, and the driver's mistakes (a timer
 * left set at unload, a wait inside a DPC).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { exploreScenario, pathRules, prepareScenarioText, runScenario, type PreparedScenario, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const driver = readFileSync(path.resolve('test/fixtures/timers/tickfilter.c'), 'utf8');

async function prepare(caseNo: number, rest: string): Promise<PreparedScenario> {
  const files: ProjectFiles = { readFile: (p) => (p === '/t/tickfilter.c' ? driver : undefined), paths: pathRules('posix') };
  const prepared = await prepareScenarioText('/t/d.fltsim', `driver "tickfilter.c"\ndefine CASE ${caseNo}\n${rest}\n`, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('; '));
  return prepared.prepared;
}

async function run(caseNo: number): Promise<World> {
  const world = new World(await prepare(caseNo, 'unload at 50'), {});
  world.run();
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

const TICK = ['dpc irql=2 run=N mine=1', 'work irql=0 tick=N ctx=1'];
const ticks = (n: number): string[] => Array.from({ length: n }, (_, i) => TICK.map((l) => l.replace('N', String(i + 1)))).flat();

test('a periodic timer (due in 5 ms, every 10 ms) runs its DPC at DISPATCH_LEVEL, which queues an I/O work item run at PASSIVE_LEVEL; a clean unload', async () => {
  const world = await run(0);
  const sim = world.sim;
  // Expiries at 5, 15, 25, 35, 45 ms; the unload at 50 cancels the timer set for 55 ms (TRUE).
  assert.deepEqual(sim.output, [...ticks(5), 'cancel 1', 'unload ticks=5 dpcs=5']);
  assert.deepEqual(sim.violations, []);
  const expiries = sim.events.filter((e) => e.kind === 'timer-expire' && /expires/.test(e.detail));
  assert.deepEqual(expiries.map((e) => e.time), [5, 15, 25, 35, 45]);
  const dpcStarts = sim.events.filter((e) => e.kind === 'dpc-start');
  assert.equal(dpcStarts.length, 5);
  assert.ok(dpcStarts.every((e) => e.threadName === 'Completion (DPC)' && e.irql === 2));
  const workStarts = sim.events.filter((e) => e.kind === 'workitem-start');
  assert.equal(workStarts.length, 5);
  assert.match(workStarts[0]!.detail, /TickWork\(WI#1\)/);
  assert.match(workStarts[0]!.threadName, /worker/);
});

test('unload with the periodic timer still set is timer-set-at-unload at the line that set it, and the timer stops', async () => {
  const world = await run(1);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['timer-set-at-unload']);
  const setLine = driver.split('\n').findIndex((l) => l.includes('KeSetTimerEx(&EXT()->Timer')) + 1;
  assert.equal(v[0]!.location?.line, setLine);
  assert.match(v[0]!.message, /every 10 ms, DPC TickDpc/);
  // Nothing fires after the unload at 50 ms.
  assert.equal(world.sim.now, 50);
});

test('a wait with a timeout inside the DPC is wait-at-dispatch, once per DPC run', async () => {
  const world = await run(2);
  const v = world.sim.violations;
  assert.equal(v.length, 5);
  assert.ok(v.every((x) => x.rule === 'wait-at-dispatch' && x.threadName === 'Completion (DPC)'));
  assert.equal(v[0]!.location?.line, driver.split('\n').findIndex((l) => l.includes('KeWaitForSingleObject(&ext->Never')) + 1);
});

test('KeFlushQueuedDpcs while the running DPC is blocked in a timed wait waits for it, then returns (it spun at one instant before)', async () => {
  // Found by fuzzing: the unload at 5 ms meets the DPC of the 5 ms expiry blocked in its 1 ms wait.
  const world = new World(await prepare(2, 'unload at 5'), {});
  assert.equal(world.run(), 'done');
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['dpc irql=2 run=1 mine=1', 'cancel 1', 'work irql=0 tick=1 ctx=1', 'unload ticks=1 dpcs=1']);
  assert.equal(world.sim.now, 6);
  const flush = world.sim.events.filter((e) => e.threadName === 'Unload all drivers' && e.kind === 'wait' && /KeFlushQueuedDpcs/.test(e.detail));
  assert.equal(flush.length, 1);
});

test('KeSetTimer returns TRUE when the timer was set; KeCancelTimer TRUE before expiry (no DPC runs), FALSE after (the timer stays signalled)', async () => {
  const world = await run(3);
  assert.deepEqual(world.sim.output, ['set 0', 'set again 1', 'cancel before 1 state=0', 'cancel 0', 'cancel after 0 state=1', 'unload ticks=0 dpcs=0']);
  assert.deepEqual(world.sim.violations, []);
});

test('a synchronization timer releases its waiter at expiry and resets', async () => {
  const world = await run(4);
  assert.deepEqual(world.sim.output, ['waiter woke 00000000 state=0', 'cancel 0', 'unload ticks=0 dpcs=0']);
  const wake = world.sim.events.find((e) => e.kind === 'wake' && /synchronization timer/.test(e.detail));
  assert.equal(wake?.time, 7);
});

test('ExQueueWorkItem runs WorkerRoutine(Parameter) on a system worker thread', async () => {
  const world = await run(5);
  const out = world.sim.output;
  assert.equal(out.filter((l) => l === 'exwork 1').length, 5);
  assert.ok(out.includes('late work'));
  assert.deepEqual(world.sim.violations.map((v) => v.rule), ['timer-set-at-unload']);
});

test('exploration treats the expiry, the DPC and the unload as choices: a DPC queued just before an unload that does not flush is found outliving the driver', async () => {
  const prepared = await prepare(6, 'unload at 10\nexpect no violations');
  // By default the DPC (DISPATCH_LEVEL) runs before the unload thread that became ready at the same tick.
  assert.equal(runScenario(prepared).report.passed, true, 'the default schedule passes');
  const { report } = exploreScenario(prepared, { strategy: 'dfs', estimateProbes: 0 });
  assert.equal(report.passed, false);
  assert.ok(report.schedules.run >= 2);
  const f = report.failure!;
  // The DPC outlives the driver's memory (it runs after IoDeleteDevice freed the extension) or the driver itself.
  assert.ok(f.reasons.some((r) => /\(Completion \(DPC\)\).*after it was freed|dpc-queued-at-unload/.test(r)), f.reasons.join(' | '));
});

test('the timeline marks timer expiries and DPC starts (transition breakpoints) and draws each DPC and work routine as a span', async () => {
  const result = runScenario(await prepare(0, 'unload at 50'));
  const model = result.timelineModel();
  assert.deepEqual(model.events.filter((e) => e.marker === 'timer-expire').map((e) => e.time), [5, 15, 25, 35, 45]);
  assert.equal(model.events.filter((e) => e.marker === 'dpc-start').length, 5);
  const dpcSpans = model.spans.filter((s) => /^TickDpc\(/.test(s.label));
  assert.equal(dpcSpans.length, 5);
  assert.ok(dpcSpans.every((s) => s.end !== null && model.lanes.find((l) => l.id === s.lane)?.name === 'Completion (DPC)'));
  assert.equal(model.spans.filter((s) => /^TickWork\(WI#1\)/.test(s.label)).length, 5);
});

test('IoAllocateWorkItem given the file object\'s device (the file system\'s) is io-wi-foreign-device at that line; the item still runs', async () => {
  const source = readFileSync(path.resolve('test/fixtures/timers/foreignwi.c'), 'utf8');
  const files: ProjectFiles = { readFile: (p) => (p === '/t/foreignwi.c' ? source : undefined), paths: pathRules('posix') };
  const prepared = await prepareScenarioText('/t/d.fltsim', 'driver "foreignwi.c"\nio #1 create "\\Device\\HarddiskVolume1\\a.txt" disposition open-if at 1\nunload at 10\n', files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['ran 1']);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['io-wi-foreign-device']);
  assert.equal(v[0]!.location?.line, source.split('\n').findIndex((l) => l.includes('item = IoAllocateWorkItem(')) + 1);
});

test('a timer whose pool is freed while it is set is timer-freed-while-set when it would expire, at the line that set it', async () => {
  const world = await run(7);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['timer-freed-while-set']);
  assert.equal(v[0]!.time, 3);
  assert.equal(v[0]!.location?.line, driver.split('\n').findIndex((l) => l.includes('KeSetTimer(heapTimer')) + 1);
});
