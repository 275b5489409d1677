import { memoryFiles } from '/work/wt/cppx3/test/unit/files/memoryFiles';
import { entryDriver, runCpp } from '/work/wt/cppx3/test/unit/c/cppRun';
const cases: Record<string, string> = {
  sizeofMix: `namespace ns { struct S { int a[3]; }; ULONG table[8]; namespace in { USHORT w[5]; } } struct C { static ULONG t[4]; static void F() {} }; ULONG C::t[4];
static void Run(void){ DbgPrint("v %d %d %d %d %d", (int)sizeof(ns::S), (int)sizeof(ns::table), (int)sizeof(ns::in::w), (int)sizeof(C::t), (int)sizeof ns::table); }`,
  iterDbg3: `struct It { PVOID at; };
static It Make(PVOID n) { return It{ n }; }
static void Run(void){ int a; It k = Make(&a); DbgPrint("c %d", k.at == &a); }`,
  iterDbg4: `struct It { int at; };
static It Make(int n) { return It{ n }; }
static void Run(void){ It k = Make(3); DbgPrint("c %d", k.at); }`,
  iterDbg5: `struct It { int at; };
static It Make(int n) { return (It){ n }; }
static void Run(void){ It k = Make(3); DbgPrint("c %d", k.at); }`,
  iterDbg2: `struct Node { int value; Node* next; };
struct It { Node* at; int Get() const { return at->value; } };
static It Make(Node* n) { return It{ n }; }
static It Make2(Node* n) { It r{ n }; return r; }
static void Run(void){ Node a{1, nullptr}; It j = Make2(&a); DbgPrint("b %d", j.at == &a); It k = Make(&a); DbgPrint("c %d", k.at == &a); }`,
  iterDbg: `struct Node { int value; Node* next; };
struct It { Node* at; bool operator!=(const It& o) const { return at != o.at; } It& operator++() { at = at->next; return *this; } int& operator*() const { return at->value; } };
struct List { Node* head = nullptr; It begin() { return It{ head }; } It end() { return It{ nullptr }; } };
static void Run(void){ Node b{2, nullptr}, a{1, &b}; It i{&a}; DbgPrint("a %d", *i); List l; l.head = &a; It j = l.begin(); DbgPrint("b %d", j.at == &a); DbgPrint("c %d", *j); }`,
  rangeForArray: `static void Run(void){ int a[3] = {1,2,3}; int s = 0; for (int x : a) s += x; for (auto& y : a) y *= 2; for (const auto& z : a) s += z; DbgPrint("s %d", s); }`,
  rangeForClass: `struct V { int d[4]; int n; int* begin() { return d; } int* end() { return d + n; } };
static void Run(void){ V v{{1,2,3,4},3}; int s=0; for (int x : v) s += x; DbgPrint("s %d", s); }`,
  constexprFn: `constexpr int Sq(int x) { return x * x; } constexpr ULONG K = 4; static void Run(void){ int a[K]; a[0] = Sq(3); DbgPrint("v %d %d", a[0], (int)sizeof(a)); }`,
  staticAssert: `static_assert(sizeof(int) == 4, "int"); struct S { int a; static_assert(sizeof(int)==4); }; static void Run(void){ static_assert(1, "x"); DbgPrint("ok"); }`,
  scopedEnumUnderlying: `enum class Color : UCHAR { Red = 1, Green = 2 }; enum Plain : ULONG { A = 5 }; static void Run(void){ Color c = Color::Green; DbgPrint("v %d %d %d", (int)c, (int)sizeof(Color), (int)A); }`,
  nullptrT: `static void F(decltype(nullptr) p) { DbgPrint("np"); } static void Run(void){ nullptr_t n = nullptr; void* p = n; DbgPrint("v %d", p == nullptr); }`,
  lambdaNoCapture: `static void Run(void){ auto f = [](int a, int b) { return a + b; }; DbgPrint("v %d", f(2, 3)); }`,
  lambdaCapture: `static void Run(void){ int k = 10; auto f = [&](int a) { k += a; return k; }; auto g = [k](int a){ return a + k; }; DbgPrint("v %d %d", f(2), g(1)); }`,
  sizeofNsVar: `namespace ns { ULONG table[8]; } static void Run(void){ DbgPrint("v %d", (int)sizeof(ns::table)); }`,
  memberOpTemp: `struct T { int v; T(int x) : v(x) {} T operator|(const T& o) const { return T(v | o.v); } bool operator==(const T& o) const { return v == o.v; } };
static void Run(void){ T a(1), b(2); DbgPrint("v %d", (a | b) == T{3}); }`,
  copyMember: `struct In { int v; In(int x):v(x){} In(const In& o):v(o.v+100){ DbgPrint("incopy"); } In& operator=(const In& o){ v = o.v + 1000; DbgPrint("inassign"); return *this; } };
struct Out { In i; int k; Out(int x):i(x),k(x){} };
static void Take(Out o) { DbgPrint("take %d", o.i.v); }
static Out Make(int c) { Out a(1), b(2); if (c) return a; return b; }
static void Run(void){ Out a(1); Out b = a; DbgPrint("b %d", b.i.v); Take(a); Out c(5); c = a; DbgPrint("c %d", c.i.v); Out d = Make(1); DbgPrint("d %d", d.i.v); }`,
  overloadAcrossFiles: `void G(int a); void G(int a, int b); static void Run(void){ G(1); G(1,2); }`,
  secondBaseVirtual: `struct A { int a; virtual int F(){return 1;} }; struct B { int b; virtual int G(){return 2;} }; struct C : A, B { int G() override {return 3;} }; static void Run(void){ C c; B* pb = &c; DbgPrint("v %d %d", c.F(), pb->G()); }`,
  virtualBase: `struct A { int a = 7; }; struct B : virtual A { int b; }; struct C : virtual A { int c; }; struct D : B, C {}; static void Run(void){ D d; DbgPrint("v %d", d.a); }`,
  usingEnum: `namespace N { enum E { X = 3 }; } static void Run(void){ DbgPrint("v %d", (int)N::X); }`,
  decltypeVar: `static void Run(void){ int a = 3; decltype(a) b = a + 1; DbgPrint("v %d", b); }`,
  initIf: `static void Run(void){ if (int a = 3; a > 2) DbgPrint("v %d", a); }`,
  structuredBinding: `struct P { int a; int b; }; static void Run(void){ P p{1,2}; auto [x, y] = p; DbgPrint("v %d", x + y); }`,
  arrayOfObjects: `struct O { int v; O():v(4){} ~O(){} }; static void Run(void){ O arr[3]; DbgPrint("v %d", arr[2].v); }`,
  staticLocalObj: `struct O { int v; O():v(4){} }; static void Run(void){ static O o; DbgPrint("v %d", o.v); }`,
  nonTypeTemplate: `template<int N> struct Buf { int d[N]; int Size() { return N; } }; static void Run(void){ Buf<4> b; DbgPrint("v %d", b.Size()); }`,
  templateSpec: `template<class T> struct Tr { static int V() { return 1; } }; template<> struct Tr<int> { static int V() { return 2; } }; static void Run(void){ DbgPrint("v %d %d", Tr<char>::V(), Tr<int>::V()); }`,
  defaultedDeleted: `struct N { N() = default; N(const N&) = delete; N& operator=(const N&) = delete; int v = 3; }; static void Run(void){ N n; DbgPrint("v %d", n.v); }`,
  operatorCallByName: `struct I { int v; int* operator->() { return &v; } }; static void Run(void){ I i{3}; DbgPrint("v %d", *i.operator->()); }`,
  uniformInit: `static void Run(void){ int a{5}; ULONG b = ULONG{6}; DbgPrint("v %d %lu", a, b); }`,
  enumBitOps: `enum class F : ULONG { A = 1, B = 2 }; inline F operator|(F a, F b) { return (F)((ULONG)a | (ULONG)b); } static void Run(void){ F f = F::A | F::B; DbgPrint("v %lu", (ULONG)f); }`,
  staticMemberConstexpr: `struct S { static constexpr ULONG Max = 8; static const int M2 = 3; int arr[Max]; }; static void Run(void){ S s; DbgPrint("v %d %d", (int)sizeof(s.arr), S::M2); }`,
  constCast: `static void Run(void){ const int a = 3; int* p = const_cast<int*>(&a); DbgPrint("v %d", *p); }`,
  noexcept: `static int F() noexcept { return 3; } static void Run(void){ DbgPrint("v %d", F()); }`,
  usingAlias: `template<class T> using Ptr = T*; static void Run(void){ int a = 3; Ptr<int> p = &a; DbgPrint("v %d", *p); }`,
  ternaryObj: `struct S { int v; }; static void Run(void){ S a{1}, b{2}; S c = 1 ? a : b; DbgPrint("v %d", c.v); }`,
  funcPtrMember: `struct S { int v; int Get() { return v; } }; static void Run(void){ S s{3}; int (S::*pm)() = &S::Get; DbgPrint("v %d", (s.*pm)()); }`,
  attr: `[[nodiscard]] static int F() { return 3; } static void Run(void){ [[maybe_unused]] int a = F(); DbgPrint("v %d", a); }`,
  charLiterals: `static void Run(void){ auto s = u"ab"; const wchar_t* w = L"x"; char8_t c = u8'a'; DbgPrint("v %d", (int)s[1]); }`,
};
async function main() {
const only = process.argv[2];
for (const [name, body] of Object.entries(cases)) {
  if (only && name !== only) continue;
  const files: Record<string,string> = { '/d/d.cpp': entryDriver(body) };
  if (name === 'overloadAcrossFiles') files['/d/e.cpp'] = '#include <fltKernel.h>\nvoid G(int a, int b) { DbgPrint("g2 %d", a+b); }\nvoid G(int a) { DbgPrint("g1 %d", a); }\n';
  const scen = name === 'overloadAcrossFiles' ? 'driver "d.cpp" "e.cpp"\n' : undefined;
  try {
    const r = await runCpp(memoryFiles(files), scen);
    if (!r.ok) console.log(`${name}: REFUSED ${r.diagnostics.join(' | ').slice(0, 300)}`);
    else console.log(`${name}: ${r.report.error ? 'ERROR ' + JSON.stringify(r.report.error).slice(0, 250) : 'OK'} out=${JSON.stringify(r.report.output)} viol=${r.report.violations.map((v: any) => v.rule)}`);
  } catch (e) { console.log(`${name}: CRASH ${(e as Error).stack?.slice(0, 300)}`); }
}
}
void main();
