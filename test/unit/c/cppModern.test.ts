// C++11/17 forms modern drivers write (engine/c/cpp/conditionInit.ts, typeSpecifiers.ts, names.ts):
// declarations in conditions, an enum's underlying type, `const` integers that are also objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

test('if (init; cond), switch (init; cond), if (T x = e) and while (T x = e): the names in scope in every branch, objects destroyed when the statement ends', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Guard { int id; Guard(int i) : id(i) { DbgPrint("take %d", i); } ~Guard() { DbgPrint("drop %d", id); } int Id() const { return id; } };
static int Twice(int v) { return v * 2; }
static int Next(int* n) { return (*n)--; }
static void Run(void) {
  if (int x = Twice(3); x > 5) DbgPrint("big %d", x); else DbgPrint("small %d", x);
  switch (int y = Twice(2); y) { case 4: DbgPrint("four %d", y); break; default: DbgPrint("other %d", y); }
  if (auto z = Twice(0)) DbgPrint("nonzero"); else DbgPrint("zero %d", z);
  if (Guard g(5); g.Id() == 5) { DbgPrint("inside %d", g.Id()); }
  DbgPrint("after");
  int left = 2;
  while (int k = Next(&left)) { Guard round(k * 10); DbgPrint("k %d", k); }
  int x = 1;
  if (x = 7; x == 7) DbgPrint("seven");
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['big 6', 'four 4', 'zero 0', 'take 5', 'inside 5', 'drop 5', 'after', 'take 20', 'k 2', 'drop 20', 'take 10', 'k 1', 'drop 10', 'seven']);
});

test('an enum with an underlying type is stored in it: sizeof, struct layout and values', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
enum class Kind : UCHAR { Read = 1, Write = 200 };
enum class Wide : unsigned short { Big = 0xFFFF };
enum Plain { One = 1 };
struct Record { Kind kind; UCHAR pad; Wide wide; };
static void Run(void) {
  Record rec{ Kind::Write, 7, Wide::Big };
  DbgPrint("%d %d %d %d %d %d", (int)sizeof(Kind), (int)sizeof(Wide), (int)sizeof(Plain), (int)sizeof(Record), (int)rec.kind, (int)rec.wide);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['1 2 4 4 200 65535']);
});

test('a const integer is a constant (array sizes, case labels) and an object: its address, a reference to it, a const ULONG& parameter', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
const ULONG Limit = 40;
namespace cfg { const int Depth = 3; int table[Depth]; }
static ULONG Doubled = Limit * 2;
static int ReadAt(const int* p) { return *p; }
static ULONG ReadRef(const ULONG& r) { return r + 1; }
static void Run(void) {
  const int c = 7;
  const int* pc = &c;
  const int& rc = c;
  int arr[c] = {};
  switch (9) { case c + 2: DbgPrint("nine"); break; default: DbgPrint("not nine"); }
  DbgPrint("%d %d %d %d %lu %lu %d %d %d %lu", *pc, rc, ReadAt(&c), (int)(sizeof(arr) / sizeof(arr[0])), *(&Limit), ReadRef(Limit), ReadAt(&cfg::Depth), pc == &c, (int)(sizeof(cfg::table) / sizeof(int)), Doubled);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['nine', '7 7 7 7 40 41 3 1 3 80']);
});

test('const on a type that declares no object (const enum class E {…};) is ignored with a warning, as MSVC does', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
const enum class Status { Ok, Failed = 5, };
static void Run(void) { Status s = Status::Failed; DbgPrint("%d", (int)s); }`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['5']);
  assert.deepEqual(r.warnings, ["/d/d.cpp:3:1: warning: 'const' is ignored here: the declaration declares no object (MSVC warns C4091); remove it"]);
});

test('auto from CONTAINING_RECORD, also with a class template instance as its type; a const T& returned from a conditional; nested namespace definitions', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct ItemHeader { int size; };
template<typename T> struct FullItem { LIST_ENTRY Entry; T Data; };
struct Plain { ULONG tag; LIST_ENTRY Link; };
namespace lib::algo {
  template<class T> constexpr const T& Larger(const T& a, const T& b) noexcept { return (a < b) ? b : a; }
}
static void Run(void) {
  FullItem<ItemHeader> item{}; item.Data.size = 12;
  Plain plain{ 5 };
  PLIST_ENTRY entry = &item.Entry;
  auto info = CONTAINING_RECORD(entry, FullItem<ItemHeader>, Entry);
  auto back = CONTAINING_RECORD(&plain.Link, Plain, Link);
  int a = 3, b = 9;
  DbgPrint("%d %lu %d %d", info->Data.size, back->tag, lib::algo::Larger(a, b), lib::algo::Larger(b, a));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['12 5 9 9']);
});

test('a static constexpr member sizes arrays in its own class and is a constant outside it; decltype(expr) and std::nullptr_t are types', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Table {
  static constexpr ULONG Count = 4;
  static const int Half = Count / 2;
  ULONG items[Count];
  UCHAR halves[Half];
  ULONG Size() const { return Count; }
};
struct Rec { USHORT len; ULONG64 big; };
static void Run(void) {
  Table t{};
  ULONG local[Table::Count] = {};
  switch (2) { case Table::Half: DbgPrint("half"); break; default: break; }
  Rec r{ 3, 0x100000000ULL };
  decltype(r.big) copy = r.big;
  decltype(r) other = r;
  std::nullptr_t np = nullptr;
  PVOID p = np;
  DbgPrint("%d %d %lu %d %lu", (int)sizeof(t.items), (int)sizeof(t.halves), t.Size(), (int)sizeof(local), Table::Count);
  DbgPrint("%d %d %llu %d %d", (int)sizeof(copy), (int)sizeof(decltype(r.len)), copy, other.len, p == nullptr);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['half', '16 2 4 16 4', '8 2 4294967296 3 1']);
});

test('a lambda runs where it is stored and where it is passed to a function template (engine/c/cpp/lambdas.ts; more in cppLambdas.test.ts)', async () => {
  const local = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
static void Run(void) { int base = 10; auto add = [base](int v) { return v + base; }; DbgPrint("%d", add(1)); }`),
  }));
  assert.ok(local.ok, local.ok ? '' : local.diagnostics.join('\n'));
  assert.deepEqual(local.report.output, ['11']);
  const passed = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
template<typename F> static int Apply(F f, int x) { return f(x); }
static void Run(void) { int b = 2; DbgPrint("%d", Apply([b](int v) { return v * b; }, 3)); }`),
  }));
  assert.ok(passed.ok, passed.ok ? '' : passed.diagnostics.join('\n'));
  assert.equal(passed.report.error, null);
  assert.deepEqual(passed.report.output, ['6']);
});

test('nested namespaces (a::b::c), inline namespaces (their names are the enclosing namespace\'s too) and using namespace inside a function', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
namespace lib { inline namespace v2 { int Version() { return 2; } } int Call() { return Version() * 10; } }
inline namespace compat { int Old() { return 7; } }
namespace a::b::c { int Depth() { return 3; } }
static void Run(void) {
  using namespace a::b;
  DbgPrint("%d %d %d %d %d", lib::Version(), lib::v2::Version(), c::Depth(), lib::Call(), Old());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['2 2 3 20 7']);
});

test('the WDK max/min macros and a driver\'s own max/min templates: (max)(a, b) calls the template, max(a, b) the macro, NOMINMAX drops the macros', async () => {
  const withMacros = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
namespace util { template<typename T> const T& (max)(const T& a, const T& b) { DbgPrint("template"); return a < b ? b : a; } }
template<typename T> T (min)(T a, T b) { DbgPrint("min template"); return b < a ? b : a; }
static void Run(void) {
  LONG a = 3, b = 8;
  DbgPrint("%ld %ld %ld", (util::max)(a, b), (min)(a, b), max(a, b));
}`),
  }));
  assert.ok(withMacros.ok, withMacros.ok ? '' : withMacros.diagnostics.join('\n'));
  assert.equal(withMacros.report.error, null, JSON.stringify(withMacros.report.error));
  assert.deepEqual(withMacros.report.output, ['template', 'min template', '8 3 8']);
  const without = await run(memoryFiles({
    '/d/d.cpp': `#define NOMINMAX\n${entryDriver(`
template<typename T> T max(T a, T b) { DbgPrint("own max"); return a < b ? b : a; }
static void Run(void) { DbgPrint("%d", max(2, 9)); }`)}`,
  }));
  assert.ok(without.ok, without.ok ? '' : without.diagnostics.join('\n'));
  assert.equal(without.report.error, null, JSON.stringify(without.report.error));
  assert.deepEqual(without.report.output, ['own max', '9']);
});

test('a for loop whose first clause declares: auto deduced (a pointer walking a table of routines), a reference, an object destroyed when the loop ends', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
typedef void (__cdecl *PVFV)(void);
static void First() { DbgPrint("first"); }
static void Second() { DbgPrint("second"); }
static PVFV Table[] = { First, nullptr, Second };
struct Scope { Scope() { DbgPrint("enter"); } ~Scope() { DbgPrint("leave"); } int n = 2; };
static void Run(void) {
  for (auto entry = Table; entry < Table + 3; ++entry) { if (*entry) (**entry)(); }
  ULONG counts[2] = { 5, 6 };
  for (auto& c = counts[1]; c < 8; c++) DbgPrint("c %lu", c);
  for (Scope s; s.n > 0; s.n--) DbgPrint("n %d", s.n);
  DbgPrint("after %lu", counts[1]);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['first', 'second', 'c 6', 'c 7', 'enter', 'n 2', 'n 1', 'leave', 'after 8']);
});

test('overloads told apart by a reference and a pointer parameter (F(UNICODE_STRING&) and F(PUNICODE_STRING)) are two functions', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Name {
  USHORT Length(UNICODE_STRING& u) const { return u.Length; }
  USHORT Length(PUNICODE_STRING u) const { DbgPrint("pointer"); return Length(*u); }
};
static ULONG Size(ULONG& v) { return v; }
static ULONG Size(ULONG* v) { DbgPrint("pointer"); return Size(*v) + 1; }
static void Run(void) {
  UNICODE_STRING s = RTL_CONSTANT_STRING(L"abc");
  Name n; ULONG v = 5;
  DbgPrint("%d %d %lu %lu", n.Length(s), n.Length(&s), Size(v), Size(&v));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['pointer', 'pointer', '6 6 5 6']);
});
