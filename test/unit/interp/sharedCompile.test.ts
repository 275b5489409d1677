/**
 * Compiled code shared between runs (engine/interp/compiledModule.ts): interpreters that load the
 * same program reuse one compile, and each still gets storage of its own, laid out as a fresh compile
 * would lay it out, with nothing left over from an earlier run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileC, loadUnit, type Harness } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';

const SOURCE = `
#include <ntddk.h>
static const char *Names[] = { "alpha", "beta" };
PCSTR Greeting = "hello";
int Calls;
int counter(void) { static int n = 5; Calls++; return n++; }
ULONG_PTR whereIs(int i) { return i == 0 ? (ULONG_PTR)Greeting : i == 1 ? (ULONG_PTR)"only here" : (ULONG_PTR)&Calls; }
int say(void) { DbgPrint("%s %s %s %d\\n", Greeting, Names[0], Names[1], Calls); return Calls; }
void spin(void) { static int spins = 100; Calls = 1000; for (;;) { spins++; } }
`;

/** What one run shows: values, addresses (the layout) and output. */
function observe(h: Harness): unknown {
  const counted = [h.call('counter'), h.call('counter'), h.call('counter')];
  const addresses = [0, 1, 2].map((i) => h.call('whereIs', i));
  const said = h.call('say');
  return { counted, addresses, said, output: h.output.join(''), calls: h.module.global('Calls') };
}

test('interpreters loading one program share its compiled code; a listener for compile errors gets its own', async () => {
  const unit = await compileC(SOURCE);
  const a = loadUnit(unit);
  const b = loadUnit(unit);
  const own = loadUnit(unit, { onCompileError: () => undefined });
  assert.equal(a.module.shared, b.module.shared);
  assert.notEqual(own.module.shared, a.module.shared);
  assert.notEqual(a.module.env, b.module.env, 'each run has its own storage');
});

test('a run on reused code behaves as a run on a fresh compile: values, statics, addresses of globals and literals, output', async () => {
  const unit = await compileC(SOURCE);
  const fresh = observe(loadUnit(unit, { onCompileError: () => undefined }));
  const first = observe(loadUnit(unit));
  const reused = observe(loadUnit(unit));
  assert.deepEqual(first, fresh);
  assert.deepEqual(reused, fresh);
  assert.deepEqual((fresh as { counted: number[] }).counted, [5, 6, 7], 'the static local starts from its initialiser in every run');
  assert.equal((fresh as { output: string }).output, 'hello alpha beta 3\n');
});

test('a run stopped mid-way leaves nothing behind for the next run of the same code', async () => {
  const unit = await compileC(SOURCE);
  const stopped = loadUnit(unit, { stepBudget: 200 });
  stopped.call('counter');
  assert.throws(() => stopped.call('spin'), (e: unknown) => e instanceof CRuntimeError && e.kind === 'step-budget');
  assert.equal(stopped.module.global('Calls'), 1000);
  const next = loadUnit(unit);
  assert.equal(next.module.shared, stopped.module.shared);
  assert.equal(next.module.global('Calls'), 0, 'globals are zeroed storage of the new run');
  assert.equal(next.call('counter'), 5, 'the static initialiser runs again in the new run');
  assert.deepEqual(observe(loadUnit(unit)), observe(loadUnit(unit, { onCompileError: () => undefined })));
});
