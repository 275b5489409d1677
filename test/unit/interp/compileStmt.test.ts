/**
 * The statement compiler (engine/interp/compileStmt.ts), checked at the level of C: source in,
 * values, output and violations out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC, type Harness } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';

function failure(h: Harness, name: string, ...args: unknown[]): CRuntimeError {
  try {
    h.call(name, ...args);
  } catch (err) {
    if (err instanceof CRuntimeError) return err;
    throw err;
  }
  assert.fail(`${name} returned instead of stopping with an error`);
}

test('if / else if / else chains, and an else that belongs to the nearest if', async () => {
  const h = await loadC(`
int classify(int v) { if (v < 0) return -1; else if (v == 0) return 0; else if (v < 10) return 1; else return 2; }
int dangling(int a, int b) { int r = 0; if (a) if (b) r = 1; else r = 2; return r; }
`);
  assert.deepEqual([-5, 0, 5, 50].map((v) => h.call('classify', v)), [-1, 0, 1, 2]);
  assert.equal(h.call('dangling', 1, 1), 1);
  assert.equal(h.call('dangling', 1, 0), 2);
  assert.equal(h.call('dangling', 0, 1), 0, 'the else is the inner if\'s, so nothing runs when a is 0');
});

test('loops: continue in a for runs the update, do-while runs its body first, for (;;) ends at break', async () => {
  const h = await loadC(`
int evens(void) { int s = 0, i; for (i = 0; i < 5; i++) { if (i % 2) continue; s += i; } return s * 100 + i; }
int doWhile(int n) { int runs = 0; do { runs++; } while (n-- > 10); return runs; }
int forever(void) { int i = 0; for (;;) { if (++i == 7) break; } return i; }
int whileBreak(int n) { int i = 0; while (1) { if (i >= n) break; i += 2; } return i; }
`);
  assert.equal(h.call('evens'), 605, 'sum 0+2+4, and i is 5 after the loop');
  assert.equal(h.call('doWhile', 0), 1);
  assert.equal(h.call('doWhile', 12), 3);
  assert.equal(h.call('forever'), 7);
  assert.equal(h.call('whileBreak', 5), 6);
});

test('block scopes: an inner declaration shadows the outer one only inside its block, and a for declaration only inside the loop', async () => {
  const h = await loadC(`
int shadow(void) { int x = 1; { int x = 2; x++; } for (int x = 10; x < 11; x++) { } return x; }
int inner(void) { int r = 0; { int y = 5; r = y; } { int y = 7; r = r * 10 + y; } return r; }
`);
  assert.equal(h.call('shadow'), 1);
  assert.equal(h.call('inner'), 57);
});

test('switch: fall-through, a default in the middle, no match, and case labels from macros, enums and characters', async () => {
  const h = await loadC(`
#define TWO 2
enum { THREE = 3 };
int middleDefault(int v) { int r = 0; switch (v) { case 1: r = 1; break; default: r = 50; case 2: r += 2; break; case 3: r = 3; } return r; }
int noMatch(int v) { int r = 7; switch (v) { case 1: r = 1; } return r; }
int labels(int v) { switch (v) { case TWO * 2: return 4; case THREE: return 3; case 'a': return 97; case -1: return -100; } return 0; }
`);
  assert.equal(h.call('middleDefault', 1), 1);
  assert.equal(h.call('middleDefault', 2), 2);
  assert.equal(h.call('middleDefault', 3), 3);
  assert.equal(h.call('middleDefault', 9), 52, 'default falls through into case 2');
  assert.equal(h.call('noMatch', 5), 7);
  assert.deepEqual([4, 3, 97, -1, 2].map((v) => h.call('labels', v)), [4, 3, 97, -100, 0]);
});

test('break leaves only the innermost switch; continue inside a switch continues the enclosing loop', async () => {
  const h = await loadC(`
int nested(int a, int b) {
  int r = 0;
  switch (a) {
  case 1:
    switch (b) { case 1: r += 10; break; default: r += 20; }
    r += 1;
    break;
  case 2:
    r = 99;
  }
  return r;
}
int inLoop(void) {
  int i, s = 0;
  for (i = 0; i < 4; i++) {
    switch (i) { case 1: continue; case 3: s += 100; break; default: s += 1; }
    s += 10;
  }
  return s;
}
`);
  assert.equal(h.call('nested', 1, 1), 11);
  assert.equal(h.call('nested', 1, 5), 21);
  assert.equal(h.call('nested', 2, 0), 99);
  assert.equal(h.call('inLoop'), 132, 'i = 1 skips the += 10 after the switch');
});

test('a switch with two equal case values, or a case label that is a variable, is an error at the switch', async () => {
  const h = await loadC(`
int duplicate(int v) {
  switch (v) { case 1: return 1; case 1: return 2; }
  return 0;
}
int variable(int v, int w) {
  switch (v) { case w: return 1; }
  return 0;
}
`);
  const dup = failure(h, 'duplicate', 1);
  assert.equal(dup.kind, 'compile-error');
  assert.match(dup.message, /duplicate case value 1/);
  assert.equal(dup.loc?.line, 3);
  const variable = failure(h, 'variable', 2, 2);
  assert.equal(variable.kind, 'compile-error');
  assert.match(variable.message, /a case label must be a constant/);
  assert.equal(variable.loc?.line, 7);
});

test('goto: backwards to loop, and forwards out of nested loops', async () => {
  const h = await loadC(`
int count(int n) { int i = 0; again: i++; if (i < n) goto again; return i; }
int escape(void) {
  int i, j, hits = 0;
  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++) { hits++; if (i == 1 && j == 1) goto done; }
done:
  return hits * 100 + i * 10 + j;
}
`);
  assert.equal(h.call('count', 5), 5);
  assert.equal(h.call('escape'), 511);
});

test('return converts to the function\'s type; a struct return is a copy; return in a void function ends it', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _PAIR { int a; int b; } PAIR;
ULONG minusOne(void) { return -1; }
int truncated(void) { return 3.7; }
UCHAR wrapped(void) { return 300; }
PAIR make(int a) { PAIR p; p.a = a; p.b = a * 2; return p; }
int copies(void) { PAIR x = make(4); PAIR y = x; y.a = 100; return x.a * 1000 + x.b * 10 + (y.a == 100); }
int calls;
void early(int v) { if (v) return; calls++; }
int voidReturns(void) { calls = 0; early(1); early(0); early(0); return calls; }
`);
  assert.equal(h.call('minusOne'), 0xffffffff);
  assert.equal(h.call('truncated'), 3);
  assert.equal(h.call('wrapped'), 44);
  assert.equal(h.call('copies'), 4081, 'assigning a struct copies it: changing y leaves x as make() returned it');
  assert.equal(h.call('voidReturns'), 2);
});

test('declarations: several declarators in one statement see the earlier ones; static locals keep their value between calls', async () => {
  const h = await loadC(`
int multi(void) { int a = 1, b = a + 1, c[2] = { b, a }; return a * 100 + b * 10 + c[0] + c[1]; }
int counter(void) { static int n = 5; return n++; }
int sized(void) { int a[] = { 1, 2, 3, 4 }; int i, s = 0; for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) s += a[i]; return s; }
`);
  assert.equal(h.call('multi'), 123);
  assert.deepEqual([h.call('counter'), h.call('counter'), h.call('counter')], [5, 6, 7], 'the initializer runs once');
  assert.equal(h.call('sized'), 10, 'the array takes its length from the initializer');
});

test('reading a local before any assignment is a violation at the line of the read', async () => {
  const h = await loadC(`
int maybe(int v) {
  int x;
  if (v) x = 1;
  return x;
}
`);
  assert.equal(h.call('maybe', 1), 1);
  assert.equal(h.violations.length, 0);
  h.call('maybe', 0);
  assert.deepEqual(h.violations.map((v) => [v.rule, v.line]), [['uninitialized-read', 5]]);
  assert.match(h.violations[0]!.message, /'x'/);
});

test('an array declared without a size or an initializer is an error at its line', async () => {
  const h = await loadC(`
int unsized(void) {
  int a[];
  return 0;
}
`);
  const e = failure(h, 'unsized');
  assert.equal(e.kind, 'compile-error');
  assert.match(e.message, /the size of array 'a' is unknown/);
  assert.equal(e.loc?.line, 3);
});

test('__try / __finally: the finally block runs after __leave, after falling off the end, and before a return leaves', async () => {
  const h = await loadC(`
#include <ntddk.h>
int leaves(int v) { int r = 0; __try { r = 1; if (v) __leave; r = 2; } __finally { r += 10; } return r; }
int cleaned;
int returns(void) { cleaned = 0; __try { return 5; } __finally { cleaned = 42; } return 0; }
int cleanedValue(void) { return cleaned; }
`);
  assert.equal(h.call('leaves', 1), 11);
  assert.equal(h.call('leaves', 0), 12);
  assert.equal(h.call('returns'), 5);
  assert.equal(h.call('cleanedValue'), 42);
});

test('statements run in order with their side effects visible to DbgPrint', async () => {
  const h = await loadC(`
#include <ntddk.h>
void trace(void) {
  int i;
  for (i = 0; i < 3; i++) {
    if (i == 1) continue;
    DbgPrint("step %d\\n", i);
  }
  DbgPrint("end %d\\n", i);
}
`);
  h.call('trace');
  assert.deepEqual(h.output, ['step 0\n', 'step 2\n', 'end 3\n']);
});

test('declarations, ifs and returns whose expressions cannot block stop once each at their own line, as statements with calls do', async () => {
  const h = await loadC(`int twice(int v) { return v * 2; }
int f(int a) {
  int x = a + 1, y;
  int z = twice(a);
  if (x > 2)
    y = 1;
  else
    y = 2;
  if (twice(y) > 3)
    return x + y + z;
  return 0;
}
`);
  const fv = h.interp.functionValue('test', 'f')!;
  const lines = (a: number): { lines: number[]; value: unknown } => {
    const co = fv.call(a) as Generator<number, unknown, void>;
    const seen: number[] = [];
    for (;;) {
      const r = co.next();
      if (r.done) return { lines: seen, value: r.value };
      // Trap.Stmt is 0: the innermost frame stands at the statement about to run.
      if (r.value === 0) seen.push(h.frames[h.frames.length - 1]!.line!);
    }
  };
  // Line 1 is twice's return; the declaration `y` alone has nothing to run and no stop of its own.
  assert.deepEqual(lines(5), { lines: [3, 4, 1, 5, 6, 9, 1, 11], value: 0 });
  assert.deepEqual(lines(0), { lines: [3, 4, 1, 5, 8, 9, 1, 10], value: 1 + 2 + 0 });
});

test('an error in a plain declaration or return names that statement', async () => {
  const h = await loadC(`int f(int a) {
  int x = 10 / a;
  return x;
}
int g(int a) {
  return 10 % a;
}
`);
  for (const [name, line] of [['f', 2], ['g', 6]] as const) {
    let err: unknown;
    try {
      h.call(name, 0);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof CRuntimeError, `${name}(0) stops with an error`);
    assert.equal(err.loc?.line, line);
  }
});
