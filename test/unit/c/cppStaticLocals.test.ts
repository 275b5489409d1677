// Static local objects (engine/c/cpp/staticLocals.ts): constructed on the first pass through their
// declaration; their destructors registered with the driver's own atexit, as MSVC's code does, and
// run by the driver's unload, last registered first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { oneDriver, runWorld } from '../worldRun';
import { entryDriver, runCpp as run } from './cppRun';

const minifilter = (body: string) => `#include <fltKernel.h>
typedef void (__cdecl *EXIT_ROUTINE)(void);
static EXIT_ROUTINE Exits[8];
static int ExitCount;
extern "C" int __cdecl atexit(EXIT_ROUTINE f) { DbgPrint("atexit %d", ExitCount); Exits[ExitCount++] = f; return 0; }
${body}
PFLT_FILTER Filter;
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS Flags) {
  UNREFERENCED_PARAMETER(Flags);
  FltUnregisterFilter(Filter);
  while (ExitCount > 0) Exits[--ExitCount]();
  return STATUS_SUCCESS;
}
const FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };
extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {
  UNREFERENCED_PARAMETER(P);
  Use();
  NTSTATUS s = FltRegisterFilter(D, &Registration, &Filter);
  if (NT_SUCCESS(s)) s = FltStartFiltering(Filter);
  Use();
  return s;
}
`;

test('a static local object is constructed on the first pass only, and destroyed by the atexit routine the driver runs at unload, last first', async () => {
  const world = await runWorld('/t/s.fltsim', 'driver "d.cpp"\nunload at 5\n', oneDriver('d.cpp', minifilter(`
struct Named { const char* n; Named(const char* x) : n(x) { DbgPrint("make %s", n); } ~Named() { DbgPrint("drop %s", n); } };
class Cache {
public:
  int Hits() { static Named table("table"); return ++calls; }
  int calls = 0;
};
static Cache TheCache;
static int Count() { static Named counter("counter"); static int plain = 0; return ++plain; }
static void Use() { int a = Count(); int b = TheCache.Hits(); DbgPrint("use %d %d", a, b); }
`)));
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['make counter', 'atexit 0', 'make table', 'atexit 1', 'use 1 1', 'use 2 2', 'drop table', 'drop counter']);
});

test('a static local object whose class has no destructor needs no atexit; a constructor with arguments runs once', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
struct Limits { ULONG most; Limits(ULONG m) : most(m) { DbgPrint("limits %lu", m); } };
static ULONG Max(ULONG m) { static Limits l(m); return l.most; }
static void Run(void) { ULONG a = Max(4); ULONG b = Max(9); DbgPrint("%lu %lu", a, b); }`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['limits 4', '4 4']);
});

test('without an atexit of its own, a static local object with a destructor stops at its declaration naming atexit (MSVC fails to link)', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
struct Held { Held() { DbgPrint("held"); } ~Held() {} };
static void Run(void) {
  static Held h;
}`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.deepEqual(r.report.output, ['held']);
  assert.equal(r.report.error?.line, 5);
  assert.match(r.report.error?.message ?? '', /'atexit' is not declared/);
});
