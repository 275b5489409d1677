// The implicit copy constructor and copy assignment (engine/c/cpp/copies.ts): a class without its own
// copies its members, each member or base with a copy constructor or copy assignment through it; a
// class object passed by value is copied into the parameter and the callee destroys it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

/** A string that owns a pool buffer: its copies allocate their own, its destructor frees it. */
const OWNED = `
class Owned {
public:
  explicit Owned(ULONG v) : _p((ULONG*)ExAllocatePool2(POOL_FLAG_PAGED, sizeof(ULONG), 'nwO1')) { if (_p) *_p = v; }
  Owned(const Owned& o) : _p((ULONG*)ExAllocatePool2(POOL_FLAG_PAGED, sizeof(ULONG), 'nwO1')) { if (_p) *_p = o.Get() + 100; }
  Owned& operator=(const Owned& o) { if (this != &o && _p) *_p = o.Get() + 1000; return *this; }
  ~Owned() { if (_p) ExFreePoolWithTag(_p, 'nwO1'); }
  ULONG Get() const { return _p ? *_p : 0; }
private:
  ULONG* _p;
};
struct Base { Owned tag; explicit Base(ULONG v) : tag(v) {} };
struct Holder : Base {
  ULONG plain;
  Owned name;
  Holder(ULONG a, ULONG b) : Base(a), plain(b), name(b) {}
};
`;

test('T a = b; T a(b); and member objects built from a named object run the members\' and bases\' copy constructors; nothing leaks or is freed twice', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${OWNED}
struct Outer { Holder h; Outer(const Holder& x) : h(x) {} };
static void Run(void) {
  Holder a(1, 2);
  Holder b = a;
  Holder c(a);
  Outer o(a);
  DbgPrint("b %lu %lu %lu c %lu %lu o %lu %lu", b.tag.Get(), b.plain, b.name.Get(), c.tag.Get(), c.name.Get(), o.h.tag.Get(), o.h.name.Get());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['b 101 2 102 c 101 102 o 101 102']);
  assert.deepEqual(r.report.violations, []);
});

test('a = b; of a class without operator= assigns its members through theirs, the rest by value', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${OWNED}
static void Run(void) {
  Holder a(1, 2), b(5, 6);
  b = a;
  DbgPrint("b %lu %lu %lu", b.tag.Get(), b.plain, b.name.Get());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['b 1001 2 1002']);
  assert.deepEqual(r.report.violations, []);
});

test('a class object passed by value is copied into the parameter, which the callee destroys; a temporary argument becomes the parameter; a named local returned is copied', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${OWNED}
static ULONG Peek(Holder h) { return h.name.Get(); }
static ULONG PeekOwned(Owned o) { return o.Get(); }
static Holder Pick(bool first) { Holder x(7, 8), y(9, 10); if (first) return x; return y; }
static void Run(void) {
  Holder a(1, 2);
  ULONG copied = Peek(a);
  ULONG temp = PeekOwned(Owned(4));
  Holder p = Pick(true);
  DbgPrint("copied %lu temp %lu picked %lu %lu a %lu", copied, temp, p.tag.Get(), p.name.Get(), a.name.Get());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['copied 102 temp 4 picked 107 108 a 2']);
  assert.deepEqual(r.report.violations, []);
});
