// Class templates with non-type parameters (engine/c/cpp/templateArguments.ts) and a class's own
// operator new/delete (engine/c/cpp/newDelete.ts): the pool-object base classes C++ drivers write
// (`template <POOL_TYPE Pool, ULONG Tag> class PoolObject { operator new … }`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

test('non-type template parameters: constants inside the instance (array sizes, values), defaults, one instance per value, passed on to a base; sizeof(Ring<ULONG, 8>)', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
template<typename T, size_t N = 4> struct Ring { T items[N]; size_t Cap() const { return N; } };
template<ULONG Tag> struct Tagged { ULONG TagOf() const { return Tag; } };
template<ULONG Tag> struct Named : Tagged<Tag> { int extra = 1; };
const ULONG Size = 3;
static void Run(void) {
  Ring<USHORT> small; Ring<ULONG, 8> wide; Ring<UCHAR, Size * 2> six;
  Named<'gaT1'> n;
  DbgPrint("%d %d %d %d %d %x %d", (int)small.Cap(), (int)sizeof(small), (int)wide.Cap(), (int)sizeof(wide), (int)sizeof(six), n.TagOf(), n.extra);
  DbgPrint("%d %d", (int)sizeof(Ring<ULONG, 8>), (int)sizeof(Ring<USHORT>));
}`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['4 8 8 32 6 67615431 1', '32 8']);
});

test("a class's own operator new and delete (static members, also inherited from a template base) are called by new and delete, before the global ones; an empty first base takes no room (MSVC)", async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
void* __cdecl operator new(SIZE_T n) { DbgPrint("global new"); return ExAllocatePool2(POOL_FLAG_PAGED, n, 'lbolG'); }
void __cdecl operator delete(void* p, SIZE_T) { DbgPrint("global delete"); ExFreePool(p); }
template <typename POOL_TYPE Pool, typename ULONG Tag> class PoolObject {
public:
  void* __cdecl operator new(SIZE_T n) { DbgPrint("new pool %d tag %x size %d", (int)Pool, Tag, (int)n); return ExAllocatePoolWithTag(Pool, n, Tag); }
  void __cdecl operator delete(PVOID p) { DbgPrint("delete tag %x", Tag); ExFreePoolWithTag(p, Tag); }
};
template <typename ULONG Tag> class NonPagedObject : public PoolObject<NonPagedPool, Tag> {};
class Item : public NonPagedObject<'mItm'> { public: LONGLONG v = 3; };
struct Plain { int v; };
typedef NonPagedObject<'mItm'> EmptyChain;
typedef PoolObject<PagedPool, 1> EmptyPool;
static void Run(void) {
  Item* it = new Item;
  Plain* p = new Plain;
  DbgPrint("%d %d %d", (int)it->v, (int)sizeof(EmptyChain), (int)sizeof(EmptyPool));
  delete it;
  delete p;
}`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['new pool 0 tag 6d49746d size 8', 'global new', '3 1 1', 'delete tag 6d49746d', 'global delete']);
});

test('a template argument fltsim cannot read as a constant is refused at its line, naming the parameter', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
template<ULONG N> struct Box { UCHAR b[N]; };
static ULONG Runtime() { return 4; }
static void Run(void) { Box<Runtime()> b; DbgPrint("%d", (int)sizeof(b)); }`) }));
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.diagnostics.join('\n'), /d\.cpp:5:25: error: fltsim cannot make 'Box<Runtime\(\)>': template argument 'Runtime\(\)' for 'N': fltsim reads a constant expression there/);
});

test('alias templates (template<…> using X = …): type and constant parameters, an alias of a member type, an alias in a namespace', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
template<typename T, ULONG Tag> struct Buffer { T data[4]; ULONG TagOf() const { return Tag; } };
template<ULONG Tag> using WideBuffer = Buffer<WCHAR, Tag>;
template<typename T> using Ptr = T*;
template<typename T> struct Identity { typedef T type; };
template<typename T> using Identity_t = typename Identity<T>::type;
namespace kstd { template<typename T> using Pair = Buffer<T, 2>; }
static void Run(void) {
  WideBuffer<'fuBW'> w;
  Ptr<WideBuffer<'fuBW'>> p = &w;
  Identity_t<ULONG64> big = 1;
  kstd::Pair<UCHAR> pair;
  DbgPrint("%d %x %d %d %x", (int)sizeof(w), p->TagOf(), (int)sizeof(big), (int)sizeof(pair), pair.TagOf());
}`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['8 66754257 8 4 2']);
});

test('partial specialisations on a reference or pointer (remove_reference<T&>, <T&&>, <T*>) are chosen for the instances they match; another shape is refused at its line', async () => {
  const r = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
template<class T> struct remove_reference { using type = T; };
template<class T> struct remove_reference<T&> { using type = T; };
template<class T> struct remove_reference<T&&> { using type = T; };
template<class T> struct remove_pointer { using type = T; };
template<class T> struct remove_pointer<T*> { using type = T; };
namespace kstd { template<class T> using remove_reference_t = typename remove_reference<T>::type; }
static void Run(void) {
  kstd::remove_reference_t<ULONG&> a = 1;
  kstd::remove_reference_t<USHORT&&> b = 2;
  remove_pointer<UCHAR*>::type c = 3;
  remove_pointer<ULONG>::type d = 4;
  DbgPrint("%d %d %d %d", (int)sizeof(a), (int)sizeof(b), (int)sizeof(c), (int)sizeof(d));
}`) }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null, JSON.stringify(r.report.error));
  assert.deepEqual(r.report.output, ['4 2 1 4']);
  const refused = await run(memoryFiles({ '/d/d.cpp': entryDriver(`
template<class A, class B> struct Pair { A a; B b; };
template<class A> struct Pair<A, int> { A only; };
static void Run(void) { DbgPrint("x"); }`) }));
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.diagnostics.join('\n'), /d\.cpp:4:1: error: fltsim does not run this partial specialisation of a class template \('Pair<A, int>': the argument 'int'\)/);
});
