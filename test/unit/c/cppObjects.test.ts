// C++ objects real drivers are written with (engine/c/cpp): `auto` at namespace scope, static member
// functions named as values, member objects with constructors and destructors, member typedefs of
// classes and class templates, class temporaries and class values returned by value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

async function output(body: string): Promise<string[]> {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(body) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, r.report.error ? JSON.stringify(r.report.error) : '');
  return r.report.output;
}

async function refusal(body: string): Promise<string[]> {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(body) }));
  assert.equal(r.ok, false, 'expected a compile error');
  return r.ok ? [] : r.diagnostics;
}

test('auto at namespace scope takes its initializer\'s type: a wide string keeps its whole pointer, a 64-bit value its width', async () => {
  assert.deepEqual(await output(`
namespace cfg {
  static const auto Path = L"\\\\Registry\\\\Machine\\\\Demo";
  static const auto Altitude = L"370020";
  auto Big = 0x100000000LL;
}
static void Run(void) {
  UNICODE_STRING u;
  RtlInitUnicodeString(&u, cfg::Path);
  DbgPrint("%wZ %ws %d %llx", &u, cfg::Altitude, (int)sizeof cfg::Big, cfg::Big + 1);
}`), ['\\Registry\\Machine\\Demo 370020 8 100000001']);
});

test('auto at namespace scope without an initializer fltsim can type is refused at its line', async () => {
  const d = await refusal(`
auto Missing = NotDeclaredAnywhere(3);
static void Run(void) {}`);
  assert.ok(d.some((l) => /d\.cpp:3:.*cannot tell the type 'auto' stands for.*NotDeclaredAnywhere/.test(l)), d.join('\n'));
});

test('a static member function named as a value inside its class is that function (a notify routine registered by address)', async () => {
  assert.deepEqual(await output(`
typedef void (*NOTIFY)(ULONG);
static NOTIFY Saved;
namespace watch {
  class Proc {
  public:
    static void Register() { Saved = (NOTIFY)&OnEvent; Saved(7); NOTIFY again = OnEvent; again(8); }
    static void OnEvent(ULONG v) { DbgPrint("event %lu", v); }
  };
}
static void Run(void) { watch::Proc::Register(); }`), ['event 7', 'event 8']);
});

const LOCKS = `
struct Lock {
  Lock() : held(0) { DbgPrint("+Lock"); }
  ~Lock() { DbgPrint("-Lock held=%d", held); }
  void Acquire() { held++; }
  int held;
};
struct Name {
  Name(PCWSTR s, ULONG n) : text(s), length(n) { DbgPrint("+Name %ws", text); }
  ~Name() { DbgPrint("-Name %ws", text); }
  PCWSTR text;
  ULONG length;
};`;

test('member objects are constructed in declaration order after the bases (whatever order the initializer list has) and destroyed in reverse after the destructor\'s body', async () => {
  assert.deepEqual(await output(`${LOCKS}
struct Base { Base() { DbgPrint("+Base"); } ~Base() { DbgPrint("-Base"); } };
class Cache : public Base {
public:
  Cache(PCWSTR n) : count(3), name(n, 4) { DbgPrint("+Cache %lu %ws %d", count, name.text, lock.held); lock.Acquire(); }
  ~Cache() { DbgPrint("-Cache"); }
  Lock lock;
  Name name;
  ULONG count;
};
static void Run(void) {
  { Cache c(L"docs"); DbgPrint("use %lu", c.name.length); }
  DbgPrint("end");
}`), ['+Base', '+Lock', '+Name docs', '+Cache 3 docs 0', 'use 4', '-Cache', '-Name docs', '-Lock held=1', '-Base', 'end']);
});

test('a class without constructor or destructor of its own still constructs and destroys its member objects (on the stack and through new/delete)', async () => {
  assert.deepEqual(await output(`${LOCKS}
void* __cdecl operator new(size_t n, POOL_FLAGS f, ULONG tag) { return ExAllocatePool2(f, n, tag); }
void __cdecl operator delete(void* p) { ExFreePoolWithTag(p, 'jbOt'); }
struct Holder {
  ULONG id = 9;
  Lock lock;
  Name name{ L"held", 4 };
};
static void Run(void) {
  { Holder h; DbgPrint("h %lu %d %ws", h.id, h.lock.held, h.name.text); }
  Holder* p = new (POOL_FLAG_NON_PAGED, 'jbOt') Holder;
  DbgPrint("p %lu", p->id);
  delete p;
}`), ['+Lock', '+Name held', 'h 9 0 held', '-Name held', '-Lock held=0', '+Lock', '+Name held', 'p 9', '-Name held', '-Lock held=0']);
});

test('an array member of a class with a constructor is refused at its line', async () => {
  const d = await refusal(`${LOCKS}
struct Table { Lock locks[4]; };
static void Run(void) { Table t; UNREFERENCED_PARAMETER(t); }`);
  assert.ok(d.some((l) => /d\.cpp:15:.*member 'locks' of Table is an array of class Lock/.test(l)), d.join('\n'));
});

test('member typedefs, member aliases and nested classes of classes and class templates: used inside, outside (C::name, typename T::name) and by out-of-class members', async () => {
  assert.deepEqual(await output(`
template<typename T> class Stack {
public:
  typedef T value_type;
  using pointer = T*;
  class Cursor;
  struct Slot { T value; ULONG age; };
  Stack() : top(0) {}
  void Push(value_type v) { slots[top].value = v; slots[top].age = top; top++; }
  pointer At(ULONG i) { return &slots[i].value; }
  Cursor Last();
  Slot slots[4];
  ULONG top;
};
template<typename T> class Stack<T>::Cursor {
public:
  Cursor(pointer p) : at(p) {}
  T Get() const { return *at; }
  pointer at;
};
template<typename T> typename Stack<T>::Cursor Stack<T>::Last() { Cursor c(At(top - 1)); return c; }
template<typename S> typename S::value_type Sum(S& s) {
  typename S::value_type total = 0;
  for (ULONG i = 0; i < s.top; i++) total += *s.At(i);
  return total;
}
struct Outer { struct Inner { int x; }; typedef Inner* PInner; int y; };
static void Run(void) {
  Stack<LONG64> s;
  s.Push(0x100000000LL);
  s.Push(5);
  Stack<LONG64>::pointer p = s.At(1);
  Stack<LONG64>::Slot first = s.slots[0];
  Stack<LONG64>::Cursor c = s.Last();
  Outer::Inner in = { 4 };
  Outer::PInner pin = &in;
  DbgPrint("%lld %lld %llx %lld %d %d %d", Sum(s), *p, first.value, c.Get(), (int)sizeof(Stack<LONG64>::value_type), pin->x, (int)sizeof(Outer));
}`), ['4294967301 5 100000000 5 8 4 4']);
});

const TRACED = `
class Traced {
public:
  Traced(int v) : value(v) { DbgPrint("+T%d", value); }
  Traced(const Traced& o) : value(o.value + 100) { DbgPrint("copy T%d", value); }
  ~Traced() { DbgPrint("-T%d", value); }
  int Get() const { return value; }
  Traced Plus(int n) const { return Traced(value + n); }
  int value;
};
static int Read(const Traced& t) { DbgPrint("read T%d", t.value); return t.value; }
static Traced Make(int v) { Traced local(v); local.value++; return local; }`;

test('class temporaries: T(x).f(), T{x} and a temporary bound to a const reference are destroyed at the end of their statement, the last made first', async () => {
  assert.deepEqual(await output(`${TRACED}
static void Run(void) {
  int a = Traced(1).Get() + Read(Traced{2});
  DbgPrint("a %d", a);
  if (Traced(3).Get() == 3) DbgPrint("then");
  DbgPrint("end");
}`), ['+T1', '+T2', 'read T2', '-T2', '-T1', 'a 3', '+T3', '-T3', 'then', 'end']);
});

test('class values returned by value: a returned local goes through the copy constructor, a returned temporary and an initialised object take the value over, a discarded result is destroyed at once', async () => {
  assert.deepEqual(await output(`${TRACED}
static void Run(void) {
  {
    Traced m = Make(5);
    DbgPrint("m %d", m.Get());
    Traced p = m.Plus(10);
    DbgPrint("p %d", p.Get());
    Make(7);
    DbgPrint("chained %d", Make(8).Plus(1).Get());
  }
  DbgPrint("end");
}`), [
    '+T5', 'copy T106', '-T6', 'm 106',
    '+T116', 'p 116',
    '+T7', 'copy T108', '-T8', '-T108',
    '+T8', 'copy T109', '-T9', '+T110', 'chained 110', '-T110', '-T109',
    '-T116', '-T106', 'end',
  ]);
});

test('a temporary in a for-loop header is refused at its line', async () => {
  const d = await refusal(`${TRACED}
static void Run(void) { for (int i = 0; i < Traced(2).Get(); i++) {} }`);
  assert.ok(d.some((l) => /d\.cpp:14:.*temporary object with a destructor here/.test(l)), d.join('\n'));
});

test('a member of a class template specialised for one instance (template<>) is defined for that instance only', async () => {
  assert.deepEqual(await output(`
template<typename T> class Text {
public:
  Text(const UNICODE_STRING& u);
  ULONG units;
};
template<> inline Text<WCHAR>::Text(const UNICODE_STRING& u) { units = u.Length / sizeof(WCHAR); }
template<> inline Text<char>::Text(const UNICODE_STRING& u) { units = u.Length; }
static void Run(void) {
  UNICODE_STRING u = RTL_CONSTANT_STRING(L"abcd");
  Text<WCHAR> w(u);
  Text<char> c(u);
  DbgPrint("%lu %lu", w.units, c.units);
}`), ['4 8']);
});

test('an aggregate holding a member object, built with braces, constructs that member from its value; T x(ns::F(y)) is an object made from a call, not a function declaration', async () => {
  assert.deepEqual(await output(`${TRACED}
struct Wrapper { Traced inner; ULONG tag; };
namespace util { static Traced Twice(int v) { return Traced(v * 2); } }
static void Run(void) {
  {
    Traced t(4);
    Wrapper w{ t, 9 };
    DbgPrint("w %d %lu", w.inner.Get(), w.tag);
    int v = 6;
    Traced made(util::Twice(v));
    DbgPrint("made %d", made.Get());
  }
  DbgPrint("end");
}`), ['+T4', 'copy T104', 'w 104 9', '+T12', 'made 12', '-T12', '-T104', '-T4', 'end']);
});

test('a member template of a class template written outside the class is refused only when the class is used', async () => {
  const HEADER = `
template<typename K> class Bag {
public:
  Bag() : n(0) {}
  template<class It> Bag(It first, It last);
  ULONG n;
};
template<typename K> template<class It> Bag<K>::Bag(It first, It last) : n(0) { for (; first != last; ++first) n++; }`;
  assert.deepEqual(await output(`${HEADER}
static void Run(void) { DbgPrint("unused"); }`), ['unused']);
  const d = await refusal(`${HEADER}
static void Run(void) { Bag<int> b; DbgPrint("%lu", b.n); }`);
  assert.ok(d.some((l) => /d\.cpp:9:.*member templates of a class template written outside the class.*needed by Bag<int>/.test(l)), d.join('\n'));
});

test('an operator function called by its name, which the C++ grammar cannot read, is refused saying to write the operator', async () => {
  const d = await refusal(`
struct It { int* p; int* operator->() const { return p; } };
static void Run(void) { int v = 3; It it{ &v }; int* q = it.operator->(); DbgPrint("%d", *q); }`);
  assert.ok(d.some((l) => /d\.cpp:4:.*C\+\+ parser cannot read an operator function called by its name/.test(l)), d.join('\n'));
});

test('a member initialised from a temporary of its class takes it over; a temporary made for another member\'s constructor is destroyed before the body runs', async () => {
  assert.deepEqual(await output(`${TRACED}
struct Pair {
  Pair() : first(Traced(1)), second(Traced(2).Plus(3)), n(Read(Traced(4))) { DbgPrint("body %d %d %d", first.Get(), second.Get(), n); }
  Traced first;
  Traced second;
  int n;
};
static void Run(void) {
  { Pair p; }
  DbgPrint("end");
}`), ['+T1', '+T2', '+T5', '+T4', 'read T4', '-T4', '-T2', 'body 1 5 4', '-T5', '-T1', 'end']);
});
