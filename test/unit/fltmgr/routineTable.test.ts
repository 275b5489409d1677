/**
 * The routine table binds each routine to its family on first use (engine/fltmgr/routines.ts) and
 * the builtin table of a run binds the engine's routines to C on first use (engine/run/bindings.ts):
 * both must answer exactly as a table built in full would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../../engine/sim';
import { buildRoutineTable } from '../../../engine/fltmgr/routines';
import { simulationBuiltins } from '../../../engine/run/bindings';
import type { BuiltinCall, BuiltinInterp } from '../../../engine/interp/builtin';
import { routineValue } from '../../../engine/interp/routineValue';

class First {
  constructor(readonly tag: string) {}
  KeFirst(): string {
    return `first ${this.tag}`;
  }
  KeShared(): string {
    return `shared from first ${this.tag}`;
  }
  notARoutine(): string {
    return 'hidden';
  }
}

class Second {
  constructor(readonly tag: string) {}
  KeShared(): string {
    return `shared from second ${this.tag}`;
  }
  *KeWaits(): Generator<number, string> {
    yield 1;
    return `waited ${this.tag}`;
  }
}

test('a routine table lists every routine once, the earlier family winning, and binds each to its own instance', () => {
  const a = buildRoutineTable([new First('a'), new Second('a')]);
  const b = buildRoutineTable([new First('b'), new Second('b')]);
  assert.deepEqual(a.names, ['KeFirst', 'KeShared', 'KeWaits']);
  // One shape serves every table over the same classes.
  assert.equal(a.names, b.names);
  assert.deepEqual([...a.coroutines], ['KeWaits']);
  const api = a.api as unknown as Record<string, (() => unknown) | undefined>;
  const other = b.api as unknown as Record<string, (() => unknown) | undefined>;
  // Unbound use (a routine passed around as a value) still reaches its own family instance.
  const shared = api.KeShared!;
  assert.equal(shared(), 'shared from first a');
  assert.equal(other.KeShared!(), 'shared from first b');
  assert.equal(api.KeShared, shared, 'bound once, then the same function');
  const waits = api.KeWaits!() as Generator<number, string>;
  assert.deepEqual([waits.next().value, waits.next().value], [1, 'waited a']);
  assert.equal(api.notARoutine, undefined);
  assert.ok('KeFirst' in api);
  // routine() binds the same way without going through api.
  assert.equal(a.routine('KeShared')!(), 'shared from first a');
  assert.equal(b.routine('KeFirst')!(), 'first b');
  assert.equal(a.routine('notARoutine'), undefined);
});

test('an observed routine table tells the observer each call with its arguments before running it', () => {
  const heard: [string, unknown[]][] = [];
  const t = buildRoutineTable([new First('o')], (name, args) => heard.push([name, args]));
  const api = t.api as unknown as Record<string, (...args: unknown[]) => unknown>;
  assert.equal(api.KeFirst!(7, 'x'), 'first o');
  assert.equal(t.routine('KeShared')!(8), 'shared from first o');
  assert.deepEqual(heard, [['KeFirst', [7, 'x']], ['KeShared', [8]]]);
});

test("the simulation's routine names cover its table, and every one resolves to a function", () => {
  const sim = new Simulation();
  assert.ok(sim.routineNames.length > 200, `${sim.routineNames.length} routines`);
  assert.equal(new Set(sim.routineNames).size, sim.routineNames.length);
  const api = sim.api as unknown as Record<string, unknown>;
  for (const name of sim.routineNames) assert.equal(typeof api[name], 'function', name);
  for (const name of sim.coroutineRoutines) assert.ok(sim.routineNames.includes(name), name);
});

function call(name: string, args: unknown[] = []): BuiltinCall {
  return { name, interp: undefined as never, args, argTypes: [], argExprs: [], loc: { file: 't.c', line: 1, col: 1 }, frame: undefined as never };
}

test("a run's builtin table: the engine's routine before the runtime's (DbgPrint aside), explicit entries before both", () => {
  const sim = new Simulation();
  const table = simulationBuiltins(sim);
  // DbgBreakPoint is in both: the engine's prints a line, the runtime's does nothing.
  assert.ok(table.has('DbgBreakPoint'));
  table.get('DbgBreakPoint')!(call('DbgBreakPoint'));
  assert.deepEqual(sim.kernel.output, ['DbgBreakPoint']);
  // Bound once per run.
  assert.equal(table.get('KeGetCurrentIrql'), table.get('KeGetCurrentIrql'));
  assert.equal(table.get('KeGetCurrentIrql')!(call('KeGetCurrentIrql')), 0);
  // The runtime's own routines are there; names nobody models are not.
  assert.ok(table.has('memcpy') && table.get('memcpy') !== undefined);
  assert.equal(table.has('NoSuchRoutine'), false);
  assert.equal(table.get('NoSuchRoutine'), undefined);
  // Set explicitly by the binding layer, ahead of the engine's ExInitializeDriverRuntime (if any).
  assert.equal(table.get('ExInitializeDriverRuntime')!(call('ExInitializeDriverRuntime')), undefined);
  assert.ok(table.has('MmGetSystemRoutineAddress'));
});

test("the runtime's routines are made once for every run; output and assertions go to each run's own Simulation", () => {
  const a = new Simulation();
  const b = new Simulation();
  const ta = simulationBuiltins(a);
  const tb = simulationBuiltins(b);
  // Routines that touch only their arguments are the same function in both runs: nothing is made per run.
  assert.equal(ta.get('memcpy'), tb.get('memcpy'));
  assert.equal(ta.get('wcsrchr'), tb.get('wcsrchr'));
  // Those that report to the run are each run's own.
  assert.notEqual(ta.get('__fltsim_list_corrupt'), tb.get('__fltsim_list_corrupt'));
  tb.get('__fltsim_list_corrupt')!(call('__fltsim_list_corrupt'));
  assert.deepEqual(a.violations.map((v) => v.rule), []);
  assert.deepEqual(b.violations.map((v) => v.rule), ['list-corrupt']);
});

test('an observed run wraps the shared runtime routines for itself: the policy hears their arguments', () => {
  const heard: string[] = [];
  const observer = { access: () => undefined, routine: (_actor: number, name: string) => heard.push(name), readied: () => undefined, decided: () => undefined };
  const sim = new Simulation({ policy: { observer, choose: (d) => d.preferred } });
  const table = simulationBuiltins(sim);
  const plain = simulationBuiltins(new Simulation());
  assert.notEqual(table.get('memset'), plain.get('memset'));
  assert.equal(table.get('memset'), table.get('memset'));
  table.get('memcmp')!(call('memcmp', [null, null, 0]));
  assert.deepEqual(heard, ['memcmp']);
});

test("a shared runtime routine taken as a function pointer calls it with its own run's interpreter", () => {
  const builtin = simulationBuiltins(new Simulation()).get('swprintf')!;
  const seen: unknown[] = [];
  const a = { addresses: undefined, hooks: undefined, modules: new Map() } as unknown as BuiltinInterp;
  const b = { addresses: undefined, hooks: undefined, modules: new Map() } as unknown as BuiltinInterp;
  // One value per routine and run: pointers to it compare equal within a run.
  assert.equal(routineValue('swprintf', builtin, a, undefined), routineValue('swprintf', builtin, a, undefined));
  assert.notEqual(routineValue('swprintf', builtin, a, undefined), routineValue('swprintf', builtin, b, undefined));
  const shared = (call: BuiltinCall) => seen.push(call.interp);
  routineValue('shared', shared, a, undefined).call();
  routineValue('shared', shared, b, undefined).call();
  assert.deepEqual(seen, [a, b]);
});
