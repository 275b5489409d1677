// Range-based for over arrays and over classes with begin()/end() (engine/c/cpp/rangeFor.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

test('range-based for over an array: by value, by reference (writes the element) and over a member array reached through a pointer', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': `#include <fltKernel.h>
static NTSTATUS Pass(PDEVICE_OBJECT, PIRP) { return STATUS_SUCCESS; }
extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {
  UNREFERENCED_PARAMETER(P);
  for (auto& f : D->MajorFunction) f = Pass;
  int set = 0;
  for (auto f : D->MajorFunction) if (f == Pass) set++;
  ULONG v[4] = { 1, 2, 3, 4 };
  ULONG sum = 0;
  for (ULONG& x : v) x *= 10;
  for (const ULONG x : v) { if (x == 30) continue; sum += x; }
  DbgPrint("set %d of %d sum %lu", set, (int)IRP_MJ_MAXIMUM_FUNCTION + 1, sum);
  return STATUS_SUCCESS;
}
`,
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['set 28 of 28 sum 70']);
});

test('range-based for over a class template with begin()/end(): pointer iterators and an iterator class with !=, ++ and *', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
template<class T> struct Fixed {
  T items[8]; ULONG count = 0;
  void Add(T v) { items[count++] = v; }
  T* begin() { return items; }
  T* end() { return items + count; }
};
struct Node { int value; Node* next; };
struct List {
  Node* head = nullptr;
  struct It {
    Node* at;
    bool operator!=(const It& o) const { return at != o.at; }
    It& operator++() { at = at->next; return *this; }
    int& operator*() const { return at->value; }
  };
  It begin() { return It{ head }; }
  It end() { return It{ nullptr }; }
};
static void Run(void) {
  Fixed<LONG> f;
  f.Add(5); f.Add(-2); f.Add(9);
  LONG total = 0;
  for (auto x : f) total += x;
  Node c{ 3, nullptr }, b{ 2, &c }, a{ 1, &b };
  List l; l.head = &a;
  for (auto& v : l) v *= 100;
  int listed = 0;
  for (int v : l) { if (v > 150) break; listed += v; }
  DbgPrint("total %ld listed %d c %d", total, listed, c.value);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['total 12 listed 100 c 300']);
});

test('range-based for over what has no begin()/end() stops at its line, naming it', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Bag { int n; };
static void Run(void) { Bag b{ 1 }; for (int x : b) DbgPrint("%d", x); }`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error?.kind, 'unsupported');
  assert.equal(r.report.error?.line, 4);
  assert.match(r.report.error?.message ?? '', /struct Bag, which has no begin\(\) and end\(\)/);
});
