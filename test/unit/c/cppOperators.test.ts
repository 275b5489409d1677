// C++ operator overloading, copy and move constructors, copy assignment and delegating constructors,
// lowered onto C calls (engine/c/cpp/operators.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

/** A pool-backed string class as kernel drivers write them: its copies own their buffers. */
const KSTR = `
class KStr {
public:
  KStr(PCWSTR s = nullptr) : KStr(s, s ? (ULONG)wcslen(s) : 0) {}
  KStr(PCWSTR s, ULONG n) : _len(n), _buf(nullptr) { if (n) { _buf = Alloc(n); memcpy(_buf, s, n * sizeof(WCHAR)); } }
  KStr(const KStr& o) : _len(o._len), _buf(nullptr) { DbgPrint("copy"); if (_len) { _buf = Alloc(_len); memcpy(_buf, o._buf, _len * sizeof(WCHAR)); } }
  KStr(KStr&& o) : _len(o._len), _buf(o._buf) { DbgPrint("move"); o._buf = nullptr; o._len = 0; }
  ~KStr() { Free(); }
  void Free() { if (_buf) ExFreePoolWithTag(_buf, 'rtsK'); _buf = nullptr; }
  KStr& operator=(const KStr& o) {
    DbgPrint("assign");
    if (this != &o) { Free(); _len = o._len; _buf = _len ? Alloc(_len) : nullptr; if (_buf) memcpy(_buf, o._buf, _len * sizeof(WCHAR)); }
    return *this;
  }
  KStr& operator+=(PCWSTR s) {
    ULONG n = (ULONG)wcslen(s);
    PWCHAR b = Alloc(_len + n);
    if (_len) memcpy(b, _buf, _len * sizeof(WCHAR));
    memcpy(b + _len, s, n * sizeof(WCHAR));
    if (_buf) ExFreePoolWithTag(_buf, 'rtsK');
    _buf = b; _len += n;
    return *this;
  }
  bool operator==(const KStr& o) const { return _len == o._len && (_len == 0 || memcmp(_buf, o._buf, _len * sizeof(WCHAR)) == 0); }
  bool operator!=(const KStr& o) const { return !(*this == o); }
  WCHAR operator[](ULONG i) const { return _buf[i]; }
  ULONG Length() const { return _len; }
  explicit operator bool() const { return _len != 0; }
private:
  static PWCHAR Alloc(ULONG n) { return (PWCHAR)ExAllocatePool2(POOL_FLAG_PAGED, n * sizeof(WCHAR), 'rtsK'); }
  ULONG _len;
  PWCHAR _buf;
};
bool operator<(const KStr& a, const KStr& b) { return a.Length() < b.Length(); }
`;

test('member and free operators on a string class: +=, ==, !=, <, [], = and operator bool inside && and ||', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${KSTR}
struct Counter {
  ULONG calls = 0;
  ULONG operator()(ULONG by) { calls += by; return calls; }
  Counter& operator++() { ++calls; return *this; }
};
static void Run(void) {
  KStr a(L"log");
  KStr b = a;
  b += L".txt";
  KStr c(L"log");
  KStr empty;
  DbgPrint("a==c %d a!=b %d a<b %d b[3] %c len %lu", a == c, a != b, a < b, (char)b[3], b.Length());
  if (a && b) DbgPrint("both hold text");
  if (empty || !empty) DbgPrint("empty is %s", empty ? "full" : "empty");
  c = b;
  DbgPrint("c==b %d", c == b);
  Counter count;
  count(5);
  ++count;
  DbgPrint("count %lu", count(10));
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['copy', 'a==c 1 a!=b 1 a<b 1 b[3] . len 7', 'both hold text', 'empty is empty', 'assign', 'c==b 1', 'count 16']);
  // Every buffer the copies and the assignment allocated was freed by a destructor.
  assert.deepEqual(r.report.violations, []);
});

test('a move constructor is chosen only for an argument cast to an rvalue reference; a delegating constructor runs the other one first', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${KSTR}
static void Run(void) {
  KStr a(L"abc");
  KStr copied(a);
  KStr moved = static_cast<KStr&&>(a);
  DbgPrint("a %lu copied %lu moved %lu", a.Length(), copied.Length(), moved.Length());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['copy', 'move', 'a 0 copied 3 moved 3']);
  assert.deepEqual(r.report.violations, []);
});

test('without a copy constructor `T b = a;` copies the bytes, as C++ does: both destructors free one buffer and the run says so', async () => {
  const shared = KSTR.replace(/ {2}KStr\(const KStr& o\)[^\n]*\n/, '');
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${shared}
static void Run(void) {
  KStr a(L"abc");
  KStr b = a;
  DbgPrint("b %lu", b.Length());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['b 3']);
  assert.deepEqual(r.report.violations.map((v) => v.rule), ['pool-double-free']);
});

test('a member operator or member function called on a class value a call returns (no destructor): (a | b) == Flags{3}, Make().Get()', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Flags {
  ULONG bits;
  Flags(ULONG b) : bits(b) {}
  Flags operator|(const Flags& o) const { return Flags(bits | o.bits); }
  bool operator==(const Flags& o) const { return bits == o.bits; }
  ULONG Get() const { return bits; }
};
static Flags Make(ULONG b) { return Flags(b); }
static void Run(void) {
  Flags a(1), b(2);
  DbgPrint("%d %d %lu", (a | b) == Flags{ 3 }, (a | b) == Flags{ 4 }, Make(9).Get());
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['1 0 9']);
});
