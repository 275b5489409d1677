// Compile-time forms (engine/c/cpp/staticAssert.ts, expressions.ts): static_assert evaluated, a
// false one an error at its line with its message; alignof(T) as MSVC aligns the type on x64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

test('alignof gives the alignment MSVC gives the type on x64', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
struct Mixed { char c; LONGLONG q; };
struct Wide { ULONG v; DECLSPEC_ALIGN(16) UCHAR block[16]; };
static void Run(void) {
  DbgPrint("%d %d %d %d %d %d", (int)alignof(char), (int)alignof(ULONG), (int)alignof(Mixed), (int)alignof(Wide), (int)alignof(PVOID), (int)alignof(WCHAR[4]));
}`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['1 4 8 16 8 2']);
});

test('a true static_assert passes (file scope, namespace, function, class body); a false one is an error at its line with its message', async () => {
  const good = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
struct Header { ULONG size; USHORT kind; USHORT flags; };
static_assert(sizeof(Header) == 8, "Header is shared with user mode");
namespace layout { static_assert(FIELD_OFFSET(Header, kind) == 4); }
struct Holder { Header h; static_assert(sizeof(Header) == 8, "in a class"); };
static void Run(void) { static_assert(alignof(Header) == 4, "aligned"); DbgPrint("ok %d", (int)sizeof(Holder)); }`) }));
  assert.ok(good.ok, good.ok ? '' : good.diagnostics.join('\n'));
  assert.deepEqual(good.report.output, ['ok 8']);
  const bad = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
struct Header { ULONG size; USHORT kind; };
static_assert(sizeof(Header) == 6, "Header must stay 6 bytes");
static void Run(void) {
  static_assert(sizeof(PVOID) == 4);
}`) }));
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.ok ? [] : bad.diagnostics, [
    '/d/d.cpp:4:1: error: static assertion failed: Header must stay 6 bytes',
    '/d/d.cpp:6:3: error: static assertion failed: sizeof(PVOID) == 4',
  ]);
});

test('a static_assert in a member of a class template instance is not judged: C++ checks it only where the member is used (or not at all in a discarded if constexpr branch)', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
template<typename T> struct Text { T first; int Narrow() const { static_assert(sizeof(T) == sizeof(char), "narrow text only"); return 1; } };
static void Run(void) { Text<WCHAR> wide{ L'x' }; DbgPrint("%d", (int)sizeof(wide)); }`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.deepEqual(r.report.output, ['2']);
});
