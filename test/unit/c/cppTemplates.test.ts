// C++ function templates, member function templates and out-of-class members of class templates
// (engine/c/cpp/functionTemplates.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

test('function templates with deduced and explicit arguments, one instance per argument list; a member function template', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
namespace util {
  template<typename T> T Larger(T a, T b) { return a > b ? a : b; }
  template<class T> void Fill(T* dst, T value, SIZE_T n) { for (SIZE_T i = 0; i < n; i++) dst[i] = value; }
  template<typename T> ULONG SizeOf() { return (ULONG)sizeof(T); }
}
struct Log {
  ULONG lines = 0;
  template<typename T> void Put(PCSTR what, T value) { lines++; DbgPrint("%s=%lu", what, (ULONG)value); }
};
static void Run(void) {
  using namespace util;
  USHORT shorts[3];
  Fill(shorts, (USHORT)7, 3);
  LONG64 big = Larger<LONG64>(5, 9);
  Log log;
  log.Put("short", shorts[2]);
  log.Put("big", big);
  DbgPrint("%d %lu %lu %lu %lu", Larger(3, 8), SizeOf<USHORT>(), SizeOf<LONG64>(), log.lines, (ULONG)Larger(shorts[0], (USHORT)2));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['short=7', 'big=9', '8 2 8 2 7']);
});

test('the member functions of a class template written outside the class run for each instance', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
template<class T> class Stack {
public:
  Stack();
  void Push(T v);
  T Pop();
  ULONG Size() const;
private:
  T _items[8];
  ULONG _n;
};
template<class T> Stack<T>::Stack() : _n(0) {}
template<class T> void Stack<T>::Push(T v) { _items[_n++] = v; }
template<class T> T Stack<T>::Pop() { return _items[--_n]; }
template<class T> inline ULONG Stack<T>::Size() const { return _n; }
static void Run(void) {
  Stack<ULONG> a;
  Stack<PCSTR> b;
  a.Push(4); a.Push(5);
  b.Push("x");
  DbgPrint("%lu %lu %s %lu", a.Pop(), a.Size(), b.Pop(), b.Size());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['5 1 x 0']);
});

test('a function template whose argument cannot be deduced stops at the call, saying to write it', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
template<typename T> T Zero() { return (T)0; }
static void Run(void) {
  DbgPrint("%d", (int)Zero());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error?.line, 5);
  assert.match(r.report.error!.message, /cannot deduce 'T' of function template 'Zero' here: write the arguments/);
});

test('a full specialisation of a class template is the class its instance is made from; a partial one on a pointer is chosen for the pointer instances', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
template<class T> struct Tag { static ULONG Of() { return 'neG'; } ULONG size = sizeof(T); };
template<> struct Tag<WCHAR> { static ULONG Of() { return 'rhW'; } ULONG size = 99; };
static void Run(void) {
  Tag<LONG> l; Tag<WCHAR> w;
  DbgPrint("%d %d %lu %lu", Tag<LONG>::Of() == 'neG', Tag<WCHAR>::Of() == 'rhW', l.size, w.size);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['1 1 4 99']);
  const partial = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
template<class T> struct Tag { int v = 1; };
template<class T> struct Tag<T*> { int v = 2; };
static void Run(void) { Tag<int*> t; Tag<int> u; DbgPrint("%d %d", t.v, u.v); }`),
  }));
  // A partial specialisation on a pointer is chosen for the pointer instances (more in cppTemplateValues.test.ts).
  assert.ok(partial.ok, partial.ok ? '' : partial.diagnostics.join('\n'));
  assert.deepEqual(partial.report.output, ['2 1']);
});
