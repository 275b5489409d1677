// C++ driver sources run: the subset kernel C++ uses, lowered onto the C tree (engine/c/cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { formatRunDiagnostic, prepareScenario, runScenario } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

const FIXTURE = path.resolve('test/fixtures/cpp/guarded');

test('a C++ minifilter from a .vcxproj mixing .cpp and .c runs: RAII guard, class on the pool, namespace, reference, overloads', async () => {
  const prepared = await prepareScenario(path.join(FIXTURE, 'guarded.fltsim'), nodeFiles);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map(formatRunDiagnostic).join('\n'));
  const p = prepared.prepared;
  assert.deepEqual(p.drivers[0].units.map((u) => path.basename(u.file)).sort(), ['driver.cpp', 'lock.cpp', 'names.c']);
  const { report } = runScenario(p, { label: 'guarded.fltsim' });
  assert.equal(report.error, null);
  assert.ok(report.passed, JSON.stringify(report.expectations));
  // Each create holds one guard while counting and none after it; the loop's inner guard on the
  // second mutex makes the peak 2; summary = 4 creates + Bump() + Bump(10).
  assert.deepEqual(report.output, [
    'Counters(3)',
    'create kind 1, held 1', 'after the guard, held 0',
    'create kind 2, held 1', 'after the guard, held 0',
    'create kind 0, held 1', 'after the guard, held 0',
    'create kind 1, held 1', 'after the guard, held 0',
    'txt 2 log 1 other 1, summary 15, peak 2',
    '~Counters after 4 creates',
  ]);
  assert.equal(report.calls[Object.keys(report.calls).find((k) => k.endsWith('PreCreate'))!], 4);
});

test('destructors run in reverse order at every way out of a scope: end of block, return, break, continue, goto', async () => {
  const files = memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Trace {
  Trace(int id) : _id(id) { DbgPrint("+%d", id); }
  ~Trace() { DbgPrint("-%d", _id); }
  int _id;
};
static int Early(int n) {
  Trace a(1);
  if (n > 0) { Trace b(2); return n; }
  Trace c(3);
  return 0;
}
static void Loops(void) {
  for (int i = 0; i < 3; i++) {
    Trace t(10 + i);
    if (i == 0) continue;
    if (i == 1) break;
  }
  {
    Trace g(20);
    goto out;
  }
out:
  DbgPrint("out");
}
static void Run(void) {
  { Trace x(100); Trace y(101); }
  DbgPrint("early %d", Early(5));
  Loops();
}`),
  });
  const r = await run(files);
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['+100', '+101', '-101', '-100', '+1', '+2', '-2', '-1', 'early 5', '+10', '-10', '+11', '-11', '+20', '-20', 'out']);
});

test('the guard really holds the lock: a nested guard on the same fast mutex is a recursive acquire', async () => {
  const files = memoryFiles({
    '/d/d.cpp': entryDriver(`
class Mutex {
public:
  void Init() { ExInitializeFastMutex(&_m); }
  void Lock() { ExAcquireFastMutex(&_m); }
  void Unlock() { ExReleaseFastMutex(&_m); }
private:
  FAST_MUTEX _m;
};
template<typename T> struct Guard {
  Guard(T& l) : _l(l) { _l.Lock(); }
  ~Guard() { _l.Unlock(); }
  T& _l;
};
Mutex M;
static void Inner(void) { Guard g(M); }
static void Run(void) {
  M.Init();
  Guard<Mutex> outer(M);
  Inner();
}`),
  });
  const r = await run(files);
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.deepEqual(r.report.violations.map((v) => [v.rule, v.line]), [['lock-recursive', 6]]);
});

test('new and delete call the driver\'s operators: the tag it passes reaches the pool, delete runs the destructor first', async () => {
  const source = (freeTag: string) => entryDriver(`
void* __cdecl operator new(size_t n, POOL_FLAGS f, ULONG tag) { return ExAllocatePool2(f, n, tag); }
void __cdecl operator delete(void* p, size_t n) { UNREFERENCED_PARAMETER(n); ExFreePoolWithTag(p, '${freeTag}'); }
struct Node {
  Node(ULONG v) : value(v) {}
  ~Node() { DbgPrint("~Node %lu", value); }
  ULONG value;
};
static void Run(void) {
  Node* n = new (POOL_FLAG_NON_PAGED, 'edoN') Node(42);
  DbgPrint("value %lu", n->value);
  delete n;
  Node* none = nullptr;
  delete none;
}`);
  const ok = await run(memoryFiles({ '/d/d.cpp': source('edoN') }));
  assert.ok(ok.ok, ok.ok ? '' : ok.diagnostics.join('\n'));
  assert.deepEqual(ok.report.output, ['value 42', '~Node 42']);
  assert.deepEqual(ok.report.violations, []);
  const wrong = await run(memoryFiles({ '/d/d.cpp': source('xxxx') }));
  assert.ok(wrong.ok);
  assert.deepEqual(wrong.report.violations.map((v) => v.rule), ['pool-tag-mismatch']);
});

test('new without an operator new the driver defines stops at that line, naming what to define', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver('struct S { int x; };\nstatic void Run(void) {\n  S* s = new S;\n  UNREFERENCED_PARAMETER(s);\n}') }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error?.line, 4);
  assert.match(r.report.error!.message, /defines no 'operator new' taking 1 argument/);
});

test('overloads by parameter type, namespaces, references and default arguments', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
namespace util {
  int Twice(int v) { return v * 2; }
  namespace deep { int Twice(int v) { return v * 20; } }
}
static void Show(int v) { DbgPrint("int %d", v); }
static void Show(PCSTR s) { DbgPrint("str %s", s); }
static void Add(ULONG& total, ULONG by = 5) { total += by; }
static void Swap(int& a, int& b) { int t = a; a = b; b = t; }
static void Run(void) {
  Show(7);
  Show("seven");
  ULONG total = 1;
  Add(total);
  Add(total, 100);
  int x = 1, y = 2;
  Swap(x, y);
  int& alias = x;
  alias += 40;
  DbgPrint("total %lu x %d y %d twice %d deep %d", total, x, y, util::Twice(3), util::deep::Twice(3));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['int 7', 'str seven', 'total 106 x 42 y 1 twice 6 deep 60']);
});

test('conversion operators and operator-> of a wrapper class, as RAII name wrappers use them', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Box { ULONG Value; };
class Holder {
public:
  Holder(Box* b) : _b(b) {}
  operator bool() const { return _b != nullptr; }
  Box* operator->() { return _b; }
  operator PVOID() const { return _b; }
private:
  Box* _b;
};
static ULONG Read(PVOID p) { return ((Box*)p)->Value; }
static void Run(void) {
  Box box = { 9 };
  Holder h(&box);
  Holder empty(nullptr);
  if (h) DbgPrint("h holds %lu", h->Value);
  if (!empty) DbgPrint("empty is empty");
  DbgPrint("read %lu", Read(h));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['h holds 9', 'empty is empty', 'read 9']);
});

test('C++ fltsim does not run is refused at its line, naming the construct', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Base { int a; };
struct Derived : virtual Base { int b; };
struct First { virtual void F(); }; struct Second { virtual void G(); }; struct Both : Base, Second { int c; };
template<int N> ULONG Twice() { return 2 * N; }
struct Num { int v; bool operator&&(const Num& o) const { return v && o.v; } };
static void Run(void) {
  try { } catch (...) { }
}`),
  }));
  assert.equal(r.ok, false);
  const lines = r.ok ? [] : r.diagnostics;
  const has = (line: number, pattern: RegExp) => assert.ok(lines.some((l) => l.startsWith(`/d/d.cpp:${line}:`) && pattern.test(l)), `line ${line} ${pattern}: ${lines.join('\n')}`);
  has(4, /Derived: virtual base classes are not supported yet/);
  has(5, /Both: virtual functions in a base class other than the first \(Second\) are not supported yet/);
  has(6, /templates with a parameter that is not a type \('int N'\) are not supported yet/);
  has(7, /does not run an overloaded 'operator &&'/);
});

test('try/catch and throw stop the run at their line', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver('static void Run(void) {\n  try { DbgPrint("in"); } catch (...) { }\n}') }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error?.line, 3);
  assert.match(r.report.error!.message, /C\+\+ exceptions \(try\/catch/);
});

test('a global object\'s constructor never runs (no C runtime in a kernel driver): a warning, and the object starts zeroed', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Config { Config() : level(3) {} int level; };
Config Settings;
static void Run(void) { DbgPrint("level %d", Settings.level); }`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.ok(r.warnings.some((w) => w.startsWith('/d/d.cpp:4:') && /constructor and destructor of global 'Settings' \(class Config\) never run/.test(w)), r.warnings.join('\n'));
  assert.deepEqual(r.report.output, ['level 0']);
});

test('a const integer is a constant expression (array sizes), and scoped enumerators resolve', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
const int MaxNames = 4;
enum class Mode { Off = 0, On = 7 };
PCWSTR Names[MaxNames];
static void Run(void) {
  Mode m = Mode::On;
  DbgPrint("%d %d %d", (int)sizeof(Names) / (int)sizeof(Names[0]), (int)m, MaxNames);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.deepEqual(r.report.output, ['4 7 4']);
});

test('sizeof of a variable named with its namespace or class (the grammar reads it as a type name)', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
namespace cfg { struct Entry { ULONG a[3]; }; ULONG table[8]; namespace inner { USHORT names[5]; } }
struct Registry { static ULONG slots[4]; };
ULONG Registry::slots[4];
static void Run(void) {
  DbgPrint("%d %d %d %d", (int)sizeof(cfg::Entry), (int)sizeof(cfg::table), (int)sizeof(cfg::inner::names), (int)sizeof(Registry::slots));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['12 32 10 16']);
});
