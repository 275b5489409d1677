// Lambda expressions (engine/c/cpp/lambdas.ts): closures holding copies or addresses of what they
// capture, and capture-less lambdas converted to function pointers for kernel callbacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

async function output(body: string): Promise<string[]> {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(body) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  return r.report.output;
}

test('a lambda stored in an auto local and called: by-value captures are copies taken where it is written, by-reference ones write the variable', async () => {
  assert.deepEqual(await output(`
static void Run(void) {
  int k = 5, total = 0;
  auto add = [k](int x) { return x + k; };
  auto bump = [&total](int by) { total += by; };
  k = 100;
  bump(add(2));
  bump(1);
  auto counter = [n = 0]() mutable { return ++n; };
  counter(); counter();
  DbgPrint("%d %d %d %d", add(0), total, counter(), k);
}`), ['5 8 3 100']);
});

test('[=] and [&] capture the locals the body names; [&] writes them, [=] and mutable change only the copy in the closure', async () => {
  assert.deepEqual(await output(`
static void Run(void) {
  ULONG hits = 0; ULONG limit = 3;
  auto count = [&](ULONG v) { if (v < limit) hits++; };
  for (ULONG i = 0; i < 6; i++) count(i);
  auto copy = [=]() mutable { hits += 10; return hits; };
  ULONG inside = copy();
  DbgPrint("%lu %lu %lu", hits, inside, copy());
}`), ['3 13 23']);
});

test('[this], and [=]/[&] in a member function, reach the members of the enclosing object', async () => {
  assert.deepEqual(await output(`
class Counter {
public:
  int value = 2;
  int Twice() const { return value * 2; }
  int Apply(int times) {
    auto step = [this](int by) { value += by; };
    for (int i = 0; i < times; i++) step(i);
    auto read = [=]() { return Twice() + times; };
    auto reset = [&]() { value = times; };
    int before = read();
    reset();
    return before * 100 + value;
  }
};
static void Run(void) { Counter c; DbgPrint("%d", c.Apply(3)); }`), ['1303']);
});

test('a capture-less lambda converts to a function pointer: a compare routine, a thread start routine, a stored callback', async () => {
  assert.deepEqual(await output(`
typedef int (*CMP)(int, int);
static int Pick(CMP cmp, int a, int b) { return cmp(a, b) < 0 ? a : b; }
static void Run(void) {
  CMP smaller = [](int a, int b) -> int { return a - b; };
  DbgPrint("pick %d %d", Pick(smaller, 4, 9), Pick([](int a, int b) { return b - a; }, 4, 9));
  HANDLE h = nullptr;
  NTSTATUS s = PsCreateSystemThread(&h, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr, [](PVOID ctx) {
    DbgPrint("thread %d", (int)(ULONG_PTR)ctx);
    PsTerminateSystemThread(STATUS_SUCCESS);
  }, (PVOID)7);
  if (NT_SUCCESS(s)) ZwClose(h);
  DbgPrint("created %x", s);
}`), ['pick 4 9', 'thread 7', 'created 0']);
});

test('a lambda passed to a function template (by value as F), called inside it; called where it is written; nested in another lambda', async () => {
  assert.deepEqual(await output(`
template<typename F> void ForEach(const int* items, int n, F f) { for (int i = 0; i < n; i++) f(items[i]); }
static void Run(void) {
  int items[] = { 3, 4, 5 };
  int sum = 0;
  ForEach(items, 3, [&sum](int v) { sum += v; });
  int product = 1;
  ForEach(items, 3, [&](int v) { auto times = [&product](int x) { product *= x; }; times(v); });
  int now = [&] { return sum + product; }();
  DbgPrint("%d %d %d", sum, product, now);
}`), ['12 60 72']);
});

test('a lambda fltsim does not run is refused at its line, saying what to write', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
struct Guard { Guard() {} ~Guard() {} int v = 1; };
static void Run(void) {
  auto twice = [](auto x) { return x * 2; };
  Guard g;
  auto copy = [g]() { return g.v; };
  DbgPrint("%d %d", twice(2), copy());
}`) }));
  assert.equal(r.ok, false);
  const text = r.ok ? '' : r.diagnostics.join('\n');
  assert.match(text, /d\.cpp:5:\d+: error: .*generic lambdas \('auto' parameters\): give each parameter its type/);
  assert.match(text, /d\.cpp:7:\d+: error: .*an object of class Guard captured by value \('g'\): capture it by reference \(\[&g\]\)/);
});
