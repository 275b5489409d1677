// Special member functions written `= default` / `= delete` (engine/c/cpp/defaulted.ts), and forms of
// initialisation C++ adds to C: `T{v}` of a scalar, `P{a, b}` of an aggregate, a struct naming itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

test('T() = default runs the default member initializers; ~T() = default keeps a virtual destructor; deleted copies are not called', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Guard {
  Guard() = default;
  explicit Guard(ULONG n) : count(n) {}
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ULONG count = 7;
  ULONG flags{ 3 };
};
struct Base { virtual ~Base() = default; virtual int Id() { return 1; } };
struct Derived : Base { ~Derived() override { DbgPrint("derived gone"); } int Id() override { return 2; } };
void* __cdecl operator new(size_t n) { return ExAllocatePool2(POOL_FLAG_NON_PAGED, n, 'tseT'); }
void __cdecl operator delete(void* p, size_t) { ExFreePoolWithTag(p, 'tseT'); }
static void Run(void) {
  Guard a;
  Guard b(2);
  Base* p = new Derived();
  DbgPrint("a %lu %lu b %lu id %d", a.count, a.flags, b.count, p->Id());
  delete p;
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['a 7 3 b 2 id 2', 'derived gone']);
  assert.deepEqual(r.report.violations, []);
});

test('ULONG{6} is a conversion of 6; an aggregate P{a, b} returned by value; a struct names itself inside its body', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Link { int value; Link* next; };
struct Pair { ULONG a; PVOID b; };
static Pair Make(ULONG a) { return Pair{ a, nullptr }; }
static void Run(void) {
  ULONG six = ULONG{ 6 };
  int zero = int{};
  Link second{ 2, nullptr }, first{ 1, &second };
  Pair p = Make(five());
  DbgPrint("%lu %d %d %lu %d", six, zero, first.next->value, p.a, p.b == nullptr);
}`).replace('five()', '5'),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['6 0 2 5 1']);
});
