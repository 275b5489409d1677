// Arrays of objects whose class has a constructor or destructor (engine/c/cpp/objectArrays.ts): local
// arrays and new[]/delete[] construct first to last and destroy last to first, as C++ does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

const SLOT = `static int next = 0;
struct Slot { int v; Slot() : v(++next) { DbgPrint("ctor %d", v); } ~Slot() { DbgPrint("dtor %d", v); } };
struct OnlyCtor { int v; OnlyCtor() : v(9) {} };`;

test('a local array of objects: constructors in index order where declared, destructors in reverse at every way out (return, end of block), several dimensions too', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${SLOT}
static int Use(int k) {
  Slot slots[3];
  if (k) return slots[2].v;
  OnlyCtor grid[2][2] = {};
  return grid[1][1].v;
}
static void Run(void) {
  DbgPrint("r %d", Use(1));
  { Slot two[1][2]; DbgPrint("in %d", two[0][1].v); }
  DbgPrint("r %d", Use(0));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['ctor 1', 'ctor 2', 'ctor 3', 'dtor 3', 'dtor 2', 'dtor 1', 'r 3', 'ctor 4', 'ctor 5', 'in 5', 'dtor 5', 'dtor 4', 'ctor 6', 'ctor 7', 'ctor 8', 'dtor 8', 'dtor 7', 'dtor 6', 'r 9']);
});

test('new T[n] of a class with a destructor asks operator new[] for the objects and an 8-byte count, and delete[] destroys them last to first and frees the whole block', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${SLOT}
void* __cdecl operator new[](size_t n, POOL_FLAGS f, ULONG tag) { DbgPrint("new[] %d", (int)n); return ExAllocatePool2(f, n, tag); }
void __cdecl operator delete[](void* p) { DbgPrint("delete[]"); ExFreePoolWithTag(p, 'tseT'); }
static void Run(void) {
  ULONG n = 3;
  Slot* many = new (POOL_FLAG_NON_PAGED, 'tseT') Slot[n];
  DbgPrint("v %d %d", many[0].v, many[2].v);
  delete[] many;
  OnlyCtor* o = new (POOL_FLAG_NON_PAGED, 'tseT') OnlyCtor[2];
  DbgPrint("o %d", o[1].v);
  delete[] o;
  Slot* none = nullptr;
  delete[] none;
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['new[] 20', 'ctor 1', 'ctor 2', 'ctor 3', 'v 1 3', 'dtor 3', 'dtor 2', 'dtor 1', 'delete[]', 'new[] 8', 'o 9', 'delete[]']);
  assert.deepEqual(r.report.violations, []);
});

test('a local array of objects with an initializer list is refused at its line, saying what to write', async () => {
  const listed = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${SLOT}
static void Run(void) { Slot two[2] = { Slot(), Slot() }; DbgPrint("%d", two[0].v); }`),
  }));
  assert.equal(listed.ok, false);
  assert.match(listed.ok ? '' : listed.diagnostics.join('\n'), /^\/d\/d\.cpp:5:30: error: fltsim constructs arrays of objects with their default constructor only \('two' holds objects of class Slot/m);
});
