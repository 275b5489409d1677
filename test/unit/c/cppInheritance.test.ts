// C++ base classes and virtual functions, lowered onto C (engine/c/cpp/inheritance.ts): base
// subobjects, constructors and destructors in order, upcasts, vtables and calls through them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryFiles } from '../files/memoryFiles';
import { entryDriver, runCpp as run } from './cppRun';

const OPS = `
void* __cdecl operator new(size_t n, POOL_FLAGS f, ULONG tag) { return ExAllocatePool2(f, n, tag); }
void __cdecl operator delete(void* p, size_t n) { UNREFERENCED_PARAMETER(n); ExFreePoolWithTag(p, 'eluR'); }
`;

test('single inheritance: base members through the derived object, constructors base first, destructors derived first, base methods on the derived object', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Named {
  Named(PCSTR n) : name(n) { DbgPrint("+Named %s", name); }
  ~Named() { DbgPrint("-Named %s", name); }
  PCSTR Name() const { return name; }
  PCSTR name;
};
struct Counted : Named {
  Counted(PCSTR n, ULONG start) : Named(n), count(start) { DbgPrint("+Counted %lu", count); }
  ~Counted() { DbgPrint("-Counted %lu", count); }
  void Bump() { count++; DbgPrint("bump %s", Name()); }
  ULONG count;
};
static PCSTR NameOf(const Named& n) { return n.name; }
static void Run(void) {
  {
    Counted c("files", 4);
    c.Bump();
    DbgPrint("%s %lu %s %d", c.name, c.count, NameOf(c), (int)(sizeof(Counted) == sizeof(Named) + sizeof(PVOID)));
  }
  DbgPrint("end");
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['+Named files', '+Counted 4', 'bump files', 'files 5 files 1', '-Counted 5', '-Named files', 'end']);
});

test('virtual functions: a call through a base pointer runs the override, a pure virtual base, a virtual destructor destroys the whole object through delete', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`${OPS}
class Rule {
public:
  Rule(ULONG id) : _id(id) {}
  virtual ~Rule() { DbgPrint("~Rule %lu", _id); }
  virtual bool Blocks(PCWSTR path) const = 0;
  virtual PCSTR Kind() const { return "rule"; }
  ULONG Id() const { return _id; }
  PCSTR Describe() const { return Kind(); }
private:
  ULONG _id;
};
class ExtensionRule : public Rule {
public:
  ExtensionRule(ULONG id, PCWSTR ext) : Rule(id), _ext(ext) {}
  ~ExtensionRule() override { DbgPrint("~ExtensionRule"); }
  bool Blocks(PCWSTR path) const override { PCWSTR dot = wcsrchr(path, L'.'); return dot && _wcsicmp(dot, _ext) == 0; }
  PCSTR Kind() const override { return "extension"; }
private:
  PCWSTR _ext;
};
class PrefixRule : public Rule {
public:
  PrefixRule(ULONG id, PCWSTR prefix) : Rule(id), _prefix(prefix) {}
  bool Blocks(PCWSTR path) const override { return _wcsnicmp(path, _prefix, wcslen(_prefix)) == 0; }
private:
  PCWSTR _prefix;
};
static void Check(Rule* rules[], int n, PCWSTR path) {
  for (int i = 0; i < n; i++) if (rules[i]->Blocks(path)) { DbgPrint("%ws blocked by %lu (%s)", path, rules[i]->Id(), rules[i]->Describe()); return; }
  DbgPrint("%ws allowed", path);
}
static void Run(void) {
  Rule* rules[2];
  rules[0] = new (POOL_FLAG_NON_PAGED, 'eluR') ExtensionRule(1, L".exe");
  rules[1] = new (POOL_FLAG_NON_PAGED, 'eluR') PrefixRule(2, L"\\\\secret");
  Check(rules, 2, L"\\\\tools\\\\a.EXE");
  Check(rules, 2, L"\\\\secret\\\\notes.txt");
  Check(rules, 2, L"\\\\docs\\\\notes.txt");
  delete rules[0];
  delete rules[1];
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, [
    '\\tools\\a.EXE blocked by 1 (extension)',
    '\\secret\\notes.txt blocked by 2 (rule)',
    '\\docs\\notes.txt allowed',
    '~ExtensionRule', '~Rule 1',
    '~Rule 2',
  ]);
  assert.deepEqual(r.report.violations, []);
});

test('a call of a pure virtual function (from a base constructor) stops the run at its declaration, naming it', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct Base {
  Base() { Init(); }
  void Init() { Setup(); }
  virtual void Setup() = 0;
};
struct Impl : Base {
  void Setup() override { DbgPrint("setup"); }
};
static void Run(void) {
  Impl i;
  i.Setup();
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error?.line, 6);
  assert.match(r.report.error!.message, /pure virtual function Base::Setup: the object's class does not override it/);
});

test('multiple inheritance: each base is its own subobject, and a second base\'s method gets that subobject', async () => {
  const r = await run(memoryFiles({
    '/d/d.cpp': entryDriver(`
struct A { ULONG a = 1; ULONG GetA() const { return a; } };
struct B { ULONG b = 2; ULONG GetB() const { return b; } void SetB(ULONG v) { b = v; } };
struct C : A, B { ULONG c = 3; };
static void Run(void) {
  C x;
  x.SetB(20);
  B* pb = &x;
  DbgPrint("%lu %lu %lu %lu", x.GetA(), x.GetB(), x.c, pb->b);
}`),
  }));
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['1 20 3 20']);
});
