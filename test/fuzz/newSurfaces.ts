/**
 * Fuzz inputs and checks for the newer surfaces (docs/robustness.md, "How it is tested"):
 *
 *   - scenarios with process, open-process and process expectations over the drivers written for
 *     the process and timer tests (notify routines, ObRegisterCallbacks, timers, DPCs, work items);
 *   - C++ drivers: a small C++ minifilter with random C++ constructs (classes, templates,
 *     inheritance, virtual functions, operators, lambdas, exceptions…) at file scope and in its
 *     functions; each must run or be refused at a line, never crash or hang;
 *   - `fltsim init` on odd project folders built on disk: no sources, binary and empty files, a
 *     UTF-16 or broken .vcxproj, links back up the tree, looping and dangling links, a file over the
 *     size limit, mutated drivers; a written scenario must parse and run (or stop with a message);
 *   - `fltsim explore --merge` and `fltsim run --replay` inputs: real shard reports and replay files
 *     cut short, with fields deleted or replaced by values of the wrong kind, or of another scenario.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  exploreScenario, mergeExploreReports, parseExploreReport, parseReplayFile, parseScenario, prepareScenario, runScenario, ScheduleMismatch, starterScenario,
  type PreparedScenario,
} from '../../engine';
import { nodeFiles } from '../../extension/shared/nodeFiles';
import { checkRun, readyEngine } from './engineTargets';
import { C_CORPUS, GENERIC_WORKLOAD, mutatedC, type MutatedC } from './inputs';
import { assertNoInternalError } from './internalErrors';

const ROOT = path.join(__dirname, '..', '..');
const fixture = (p: string) => readFileSync(path.join(ROOT, 'test/fixtures', p), 'utf8');

// --- process and timer scenarios ---

const PROCESS_DRIVERS = [
  { name: 'procguard.c', text: fixture('processes/procguard.c'), defines: ['', 'define LEAK_NOTIFY 1', 'define LEAK_LOOKUP 1'] },
  { name: 'watcher.c', text: fixture('processes/watcher.c'), defines: [''] },
  { name: 'tickfilter.c', text: fixture('timers/tickfilter.c'), defines: [0, 1, 2, 3, 4, 5, 6].map((n) => `define CASE ${n}`) },
];
const ODD_NAMES = ['"System"', '""', '"a b.exe"', '"\\u202e.exe"', '"nobody.exe"', '"fltsim-client.exe"'];
const VALID_NAMES = ['"blocked.exe"', '"guarded.exe"', '"untrusted.exe"', '"explorer.exe"', '"notepad.exe"'];
const ODD_PIDS = ['4', '0', '3', '-8', '4294967296', '0x4b0', 'x'];
const ODD_TICKS = ['4294967295', '-1', 'soon'];
const ACCESS = ['all', 'terminate', 'vm-read', 'vm-write', 'query-limited', '0x1410', '0'];
const ODD_ACCESS = ['0xFFFFFFFF', 'everything', ''];

/** One line in `lawless` of a scenario's choices picks a value that is wrong; the rest are valid, so most scenarios run. */
const choice = fc.record({ odd: fc.nat(9), n: fc.nat(), m: fc.nat(), t: fc.nat(20), u: fc.nat(20) });
type Choice = { odd: number; n: number; m: number; t: number; u: number };
const pickOf = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;

function processLine(c: Choice, index: number, options: readonly string[]): string {
  const odd = c.odd === 0;
  const name = odd && c.m % 2 === 0 ? pickOf(ODD_NAMES, c.n) : VALID_NAMES[index]!;
  const pid = odd && c.m % 3 === 0 ? pickOf(ODD_PIDS, c.n) : String(1000 + 4 * index);
  const parts = [`process ${name} pid ${pid}`];
  for (const o of options) {
    if (o === 'image') parts.push(`image "\\Device\\HarddiskVolume1\\Windows\\${name.replace(/"/g, '')}"`);
    if (o === 'parent' && (index > 0 || odd)) parts.push(`parent ${index > 0 && !odd ? VALID_NAMES[c.n % index] : pickOf(ODD_NAMES, c.m)}`);
    if (o === 'command-line') parts.push('command-line "run a.txt"');
    if (o === 'start') parts.push(`start at ${odd && c.m % 5 === 0 ? pickOf(ODD_TICKS, c.n) : c.t}`);
    if (o === 'exit') parts.push(`exit at ${odd && c.m % 7 === 0 ? pickOf(ODD_TICKS, c.n) : c.t + c.u + 1}`);
    if (o === 'pid-again' && odd) parts.push(`pid ${pid}`);
    if (o === 'bogus' && odd) parts.push('priority high');
  }
  return parts.join(' ');
}

function processEvent(kind: number, c: Choice, id: number, declared: number, opens: readonly number[]): string {
  const odd = c.odd === 0;
  const who = odd ? pickOf(ODD_NAMES, c.n) : declared > 0 && c.m % 3 !== 0 ? VALID_NAMES[c.n % declared]! : '"fltsim-app.exe"';
  switch (kind % 4) {
    case 0: return `io #${id} ${pickOf(['create', 'read', 'write', 'cleanup', 'close'], c.m)} "\\Device\\HarddiskVolume1\\a.txt" process ${who} at ${c.t}`;
    case 1: return [`open-process #${id} ${declared > 0 && !odd ? VALID_NAMES[c.m % declared] : who}`, c.n % 2 ? `access ${odd ? pickOf(ODD_ACCESS, c.m) : pickOf(ACCESS, c.m)}` : '', c.m % 2 ? `by ${who}` : '', c.u % 3 === 0 ? 'kernel-handle' : '', `at ${c.t}`].filter(Boolean).join(' ');
    case 2: return `expect process ${declared > 0 && !odd ? VALID_NAMES[c.n % declared] : who} ${pickOf(odd ? ['running', 'started'] : ['started', 'denied', 'exited'], c.m)}`;
    default: return opens.length > 0 || odd ? `expect #${odd ? c.n % 99 : pickOf(opens, c.n)} granted ${pickOf(odd ? ['all', '0x1fffde'] : ['0x1fffde', '0x1000', '0x1410'], c.m)}` : '';
  }
}

export interface ProcessScenario {
  driver: number;
  text: string;
}

export const processScenario: fc.Arbitrary<ProcessScenario> = fc
  .record({
    driver: fc.nat(PROCESS_DRIVERS.length - 1),
    define: fc.nat(),
    processes: fc.array(fc.tuple(choice, fc.subarray(['image', 'parent', 'command-line', 'start', 'exit', 'pid-again', 'bogus'])), { maxLength: VALID_NAMES.length }),
    events: fc.array(fc.tuple(fc.nat(3), choice), { maxLength: 8 }),
    unload: fc.option(fc.nat(30)),
  })
  .map(({ driver, define, processes, events, unload }) => {
    const d = PROCESS_DRIVERS[driver]!;
    const lines = [`driver "${d.name}"`, d.defines[define % d.defines.length]!, ...processes.map(([c, options], i) => processLine(c, i, options))];
    const opens: number[] = [];
    events.forEach(([kind, c], i) => {
      lines.push(processEvent(kind, c, i + 1, processes.length, opens));
      if (kind % 4 === 1) opens.push(i + 1);
    });
    if (unload !== null) lines.push(`unload at ${unload}`);
    return { driver, text: lines.filter(Boolean).join('\n') };
  });

export function checkProcessScenario(s: ProcessScenario): Promise<void> {
  const d = PROCESS_DRIVERS[s.driver]!;
  return checkRun(s.text, { [d.name]: d.text });
}

// --- C++ drivers ---

const CPP_BASE = fixture('init/cppone/one.cpp');
/** A C++ construct at file scope and statements that use it; `runs`: fltsim runs it (else it refuses it at a line). */
const CPP_CONSTRUCTS: readonly { top: string; use: string; runs: boolean }[] = [
  { top: 'class A { public: int x; A() : x(1) {} ~A() {} int get() { return x; } };', use: 'A a; a.get();', runs: true },
  { top: 'template <typename T> struct Box { T v; T get() { return v; } };', use: 'Box<int> bx; bx.v = 2; bx.get();', runs: true },
  { top: 'namespace n { int k = 3; int f(int a) { return a * k; } }', use: 'int q = n::f(2); (void)q;', runs: true },
  { top: 'enum class Color { Red, Green };', use: 'Color c = Color::Red; (void)c;', runs: true },
  { top: 'int& pick(int& a) { return a; }', use: 'int w = 1; pick(w)++;', runs: true },
  { top: 'int over(int a) { return a; } int over(long a) { return (int)a + 1; }', use: 'int o = over(1L); (void)o;', runs: true },
  { top: 'class Locked { KSPIN_LOCK l; KIRQL old; public: Locked() { KeInitializeSpinLock(&l); KeAcquireSpinLock(&l, &old); } ~Locked() { KeReleaseSpinLock(&l, old); } };', use: '{ Locked guard; }', runs: true },
  { top: 'struct Counter { int n; Counter() : n(0) {} void add(int by = 1) { n += by; } };', use: 'Counter k; k.add(); k.add(2);', runs: true },
  { top: 'void* __cdecl operator new(size_t n, POOL_TYPE t, ULONG tag) { return ExAllocatePoolWithTag(t, n, tag); }\nvoid __cdecl operator delete(void* p, size_t) { ExFreePool(p); }', use: 'int* pi = new (NonPagedPool, \'tseT\') int; delete pi;', runs: true },
  { top: 'struct Base { int b; }; struct Derived : public Base { int d; };', use: 'Derived dv; dv.b = 1;', runs: false },
  { top: 'struct V { virtual int f() { return 1; } };', use: 'V v; v.f();', runs: false },
  { top: 'template <typename T> T twice(T v) { return v + v; }', use: 'int z = twice(3); (void)z;', runs: false },
  { top: 'struct P { int v; P operator+(const P& o) const { P r; r.v = v + o.v; return r; } };', use: 'P p1, p2; P p3 = p1 + p2;', runs: false },
  { top: 'static int arr[4] = { 1, 2, 3, 4 };', use: 'for (int i : arr) { (void)i; }', runs: false },
  { top: 'auto lambda = [](int a) { return a; };', use: 'int m = lambda(4); (void)m;', runs: false },
  { top: 'struct M { M(M&& o) {} M() {} };', use: 'M m1; M m2(static_cast<M&&>(m1));', runs: false },
  { top: '', use: 'try { } catch (...) { }', runs: false },
  { top: '', use: 'throw 1;', runs: false },
  { top: 'struct S { static inline int count = 0; };', use: 'S::count++;', runs: false },
  // Inheritance, virtuals, operators and templates together, the way real C++ drivers mix them.
  { top: 'struct Shape { virtual ~Shape() {} virtual int area() const = 0; };\nstruct Sq : Shape { int s; Sq(int v) : s(v) {} int area() const override { return s * s; } };', use: 'Sq sq(3); Shape* sp = &sq; int ar = sp->area(); (void)ar;', runs: false },
  { top: 'template <typename T, int N> struct Ring { T items[N]; int head = 0; void push(T v) { items[head++ % N] = v; } T& operator[](int i) { return items[i % N]; } };', use: 'Ring<ULONG, 4> rg; rg.push(1); rg[7] = 2;', runs: false },
  { top: 'struct Flags { ULONG v; Flags operator|(Flags o) const { return Flags{ v | o.v }; } bool operator==(const Flags& o) const { return v == o.v; } explicit operator bool() const { return v != 0; } };', use: 'Flags f1{1}, f2{2}; if ((f1 | f2) == Flags{3} && f1) { }', runs: false },
  { top: 'struct B1 { int a = 1; }; struct B2 { int b = 2; }; struct D : B1, B2 { int sum() { return a + b; } };', use: 'D dd; int su = dd.sum(); B2* b2 = &dd; (void)b2; (void)su;', runs: false },
  { top: 'template <typename T> struct Holder { T* p; Holder(T* q) : p(q) {} ~Holder() { if (p) ExFreePool(p); } Holder(const Holder&) = delete; T* operator->() { return p; } };', use: 'Holder<ULONG> ho((PULONG)ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(ULONG), \'tseT\')); if (ho.p) *ho.p = 5;', runs: false },
  { top: 'struct Cnt { static int live; Cnt() { ++live; } ~Cnt() { --live; } }; int Cnt::live = 0;', use: '{ Cnt c1, c2; } Cnt* arr = new (NonPagedPool, \'tseT\') Cnt[0];', runs: false },
  // Copy constructors and assignment, by declaration, by `=` and by passing and returning by value.
  { top: 'struct Pt { int x; Pt() : x(1) {} Pt(const Pt& o) : x(o.x + 1) {} Pt& operator=(const Pt& o) { x = o.x + 10; return *this; } };\nPt copyOf(Pt p) { return p; }', use: 'Pt p1; Pt p2(p1); Pt p3 = p2; Pt p4 = copyOf(p3); p4 = p1; (void)p4;', runs: false },
  { top: 'struct Buf { PUCHAR data; Buf() : data((PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, \'tseT\')) {} Buf(const Buf& o) : data((PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, \'tseT\')) { if (data && o.data) RtlCopyMemory(data, o.data, 8); } ~Buf() { if (data) ExFreePool(data); } };', use: '{ Buf b1; Buf b2 = b1; Buf b3(b2); }', runs: false },
  // Range-for over arrays (by value, by reference, const) and over a class with begin()/end().
  { top: 'static ULONG vals[3] = { 1, 2, 3 };', use: 'ULONG total = 0; for (const ULONG& v : vals) total += v; for (auto v : vals) total += v; for (ULONG& v : vals) v = 0; (void)total;', runs: false },
  { top: 'struct Span { int* b; int* e; int* begin() { return b; } int* end() { return e; } };', use: 'int raw[2] = { 1, 2 }; Span sp{ raw, raw + 2 }; for (int& r : sp) r++; Span none{ raw, raw }; for (int r : none) (void)r;', runs: false },
];
const CPP_GARBAGE = ['class', 'template <', '::', 'operator', 'virtual', '~', 'new', 'delete', '&&', '[]', '{', '}', ';', 'public:', '<typename', '>>', 'this->', 'A::A', '#include <new>', 'extern "C++" {'];

export interface CppDriver {
  text: string;
}

const construct = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CPP_CONSTRUCTS.filter((c) => c.runs)) }, { weight: 1, arbitrary: fc.constantFrom(...CPP_CONSTRUCTS.filter((c) => !c.runs)) });

export const cppDriver: fc.Arbitrary<CppDriver> = fc
  .record({
    constructs: fc.uniqueArray(construct, { maxLength: 3, selector: (c) => c.use }),
    garbage: fc.oneof({ weight: 4, arbitrary: fc.constant([] as [string, number][]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...CPP_GARBAGE), fc.nat()), { minLength: 1, maxLength: 2 }) }),
  })
  .map(({ constructs, garbage }) => {
    const entry = 'extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING) {';
    let text = CPP_BASE.replace(entry, `${constructs.map((c) => c.top).join('\n')}\n${entry}\n  ${constructs.map((c) => c.use).join('\n  ')}`);
    for (const [g, at] of garbage) {
      const i = at % (text.length + 1);
      text = `${text.slice(0, i)} ${g} ${text.slice(i)}`;
    }
    return { text };
  });

export function checkCppDriver(c: CppDriver): Promise<void> {
  return checkRun(`driver "d.cpp"\n${GENERIC_WORKLOAD}\n`, { 'd.cpp': c.text });
}

// --- fltsim init on odd folders ---

type Entry =
  | { kind: 'driver'; corpus: number }
  | { kind: 'mutated'; c: MutatedC }
  | { kind: 'binary'; bytes: number[] }
  | { kind: 'empty' }
  | { kind: 'utf16-vcxproj' }
  | { kind: 'broken-vcxproj'; cut: number }
  | { kind: 'header' }
  | { kind: 'link-up' }
  | { kind: 'link-loop' }
  | { kind: 'link-dangling' }
  | { kind: 'huge' }
  | { kind: 'subfolder'; corpus: number };

const DRIVERS = C_CORPUS.map((c, i) => ({ c, i })).filter(({ c }) => /DriverEntry/.test(c.text) && /FLT_REGISTRATION/.test(c.text)).map(({ i }) => i);
const corpusDriver = fc.constantFrom(...DRIVERS);
const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 4, arbitrary: corpusDriver.map((corpus) => ({ kind: 'driver' as const, corpus })) },
  { weight: 2, arbitrary: mutatedC.map((c) => ({ kind: 'mutated' as const, c })) },
  { weight: 1, arbitrary: fc.array(fc.nat(255), { minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'binary' as const, bytes: [...bytes, 0] })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'utf16-vcxproj' as const }) },
  { weight: 1, arbitrary: fc.nat(400).map((cut) => ({ kind: 'broken-vcxproj' as const, cut })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'header' as const }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'link-up' as const }, { kind: 'link-loop' as const }, { kind: 'link-dangling' as const }) },
  // A file over the 8 MB source limit costs time to write: rare.
  { weight: 1, arbitrary: fc.nat(19).map((n) => (n === 0 ? { kind: 'huge' as const } : { kind: 'empty' as const })) },
  { weight: 1, arbitrary: corpusDriver.map((corpus) => ({ kind: 'subfolder' as const, corpus })) },
);

export interface InitFolder {
  entries: Entry[];
  /** Which path `fltsim init` is given: the folder, or the n-th file written (modulo their count). */
  target: number | 'folder';
}

export const initFolder: fc.Arbitrary<InitFolder> = fc.record({
  entries: fc.array(entry, { maxLength: 5 }),
  target: fc.oneof({ weight: 2, arbitrary: fc.constant('folder' as const) }, { weight: 1, arbitrary: fc.nat() }),
});

const vcxproj = (sources: string[]) => `<?xml version="1.0" encoding="utf-8"?>\r\n<Project DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\r\n  <PropertyGroup Label="Configuration"><ConfigurationType>Driver</ConfigurationType></PropertyGroup>\r\n  <ItemGroup>${sources.map((s) => `<ClCompile Include="${s}" />`).join('')}</ItemGroup>\r\n</Project>\r\n`;

/** Writes the folder; returns the paths of the files written (candidates for a target). */
function writeFolder(dir: string, entries: Entry[]): string[] {
  const files: string[] = [];
  const write = (name: string, data: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    files.push(p);
  };
  entries.forEach((e, i) => {
    switch (e.kind) {
      case 'driver': write(`drv${i}.c`, C_CORPUS[e.corpus]!.text); break;
      case 'mutated': write(`mut${i}.c`, e.c.text); break;
      case 'binary': write(`bin${i}.c`, Buffer.from(e.bytes)); break;
      case 'empty': write(`empty${i}.c`, ''); break;
      case 'utf16-vcxproj': write(`wide${i}.vcxproj`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(vcxproj([`drv${Math.max(0, i - 1)}.c`, 'missing.c']), 'utf16le')])); break;
      case 'broken-vcxproj': write(`broken${i}.vcxproj`, vcxproj([`drv${i}.c`]).slice(0, e.cut)); break;
      case 'header': write(`h${i}.h`, '#pragma once\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r);\n'); break;
      case 'link-up': symlinkSync('..', path.join(dir, `up${i}`)); break;
      case 'link-loop': symlinkSync(`loop${i}`, path.join(dir, `loop${i}`)); break;
      case 'link-dangling': symlinkSync('nowhere', path.join(dir, `dangling${i}.c`)); files.push(path.join(dir, `dangling${i}.c`)); break;
      case 'huge': write(`huge${i}.c`, 'int x;\n'.repeat(1_300_000)); break;
      case 'subfolder': {
        mkdirSync(path.join(dir, `sub${i}`));
        write(path.join(`sub${i}`, 'driver.c'), C_CORPUS[e.corpus]!.text);
        break;
      }
    }
  });
  return files;
}

/** What init said, as comparable text; a written scenario must parse and run or stop with a message. */
export async function initOnce(target: string): Promise<string> {
  const result = starterScenario(nodeFiles, [target]);
  if (!result.ok) {
    if (result.message.length === 0) throw new Error('init refused without a message');
    assertNoInternalError(result.message, 'the init message');
    return JSON.stringify(result);
  }
  const problems = parseScenario(result.text).diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) throw new Error(`the starter scenario does not parse: line ${problems[0]!.line}: ${problems[0]!.message}`);
  // Written beside the project, as `fltsim init` does, so its relative driver paths resolve.
  writeFileSync(result.scenarioPath, result.text);
  const prepared = await prepareScenario(result.scenarioPath, nodeFiles, { limits: { steps: 100_000, depth: 128, 'macro-tokens': 50_000 } });
  if (!prepared.ok) {
    for (const d of prepared.diagnostics) assertNoInternalError(`${d.message} ${d.hint ?? ''}`, 'a diagnostic of the starter scenario');
    return JSON.stringify({ text: result.text, diagnostics: prepared.diagnostics.map((d) => d.message) });
  }
  const { report } = runScenario(prepared.prepared, { limits: { steps: 100_000, depth: 128 } });
  if (report.error?.kind === 'internal') throw new Error(`the starter scenario's run stopped with an internal error: ${report.error.message}`);
  if (report.error) assertNoInternalError(report.error.message, 'the run error of the starter scenario');
  return JSON.stringify({ text: result.text, passed: report.outcome });
}

export async function checkInitFolder(input: InitFolder): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-fuzz-init-'));
  try {
    const project = path.join(dir, 'project');
    mkdirSync(project);
    const files = writeFolder(project, input.entries);
    const target = input.target === 'folder' || files.length === 0 ? project : files[input.target % files.length]!;
    const first = await initOnce(target);
    const second = await initOnce(target);
    if (first !== second) throw new Error(`init gave two results for one folder:\n${first.slice(0, 300)}\n---\n${second.slice(0, 300)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- explore reports and replay files ---

interface ExploreBases {
  /** Shard reports 1/2 and 2/2 of cancel-race/fixed.fltsim, and one of race.fltsim (another scenario). */
  reports: string[];
  /** A replay file of race.fltsim's failing schedule. */
  replay: string;
  scenarios: PreparedScenario[];
}

let bases: Promise<ExploreBases> | undefined;

function exploreBases(): Promise<ExploreBases> {
  bases ??= (async () => {
    await readyEngine();
    const prepare = async (name: string) => {
      const p = await prepareScenario(path.join(ROOT, 'test/fixtures/explore/cancel-race', name), nodeFiles);
      if (!p.ok) throw new Error(`${name}: ${p.diagnostics[0]?.message}`);
      return p.prepared;
    };
    const fixed = await prepare('fixed.fltsim');
    const race = await prepare('race.fltsim');
    const options = { strategy: 'dfs' as const, preemptions: 1, maxSchedules: 40, seed: 1, reduction: true, keepGoing: false };
    const shard = (i: number) => JSON.stringify(exploreScenario(fixed, { ...options, shard: { index: i, count: 2 } }).report, null, 2);
    const raced = exploreScenario(race, options);
    if (raced.replay === null) throw new Error('race.fltsim gave no failing schedule to replay');
    return { reports: [shard(1), shard(2), JSON.stringify(raced.report)], replay: JSON.stringify(raced.replay, null, 2), scenarios: [fixed, race] };
  })();
  return bases;
}

const ODD_VALUES: unknown[] = [null, -1, 1.5, 'x', '', [], {}, true, 2 ** 53, '0123456789abcdef', 'Z'.repeat(5000), [1, 'a'], { index: 3, count: 2 }, Number.MAX_SAFE_INTEGER];

type Edit = { kind: 'cut'; at: number } | { kind: 'set'; at: number; value: number } | { kind: 'delete'; at: number } | { kind: 'garbage'; text: string };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: 'cut' as const, at })) },
  { weight: 4, arbitrary: fc.tuple(fc.nat(), fc.nat(ODD_VALUES.length - 1)).map(([at, value]) => ({ kind: 'set' as const, at, value })) },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: 'delete' as const, at })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ kind: 'garbage' as const, text })) },
);

/** Every path to a value inside `v` (objects and arrays), the root excluded. */
function pathsIn(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, child] of Object.entries(v)) {
    const p = [...at, Array.isArray(v) ? Number(k) : k];
    out.push(p);
    pathsIn(child, p, out);
  }
  return out;
}

function applyEdit(text: string, e: Edit | null): string {
  if (e === null) return text;
  if (e.kind === 'cut') return text.slice(0, e.at % (text.length + 1));
  if (e.kind === 'garbage') return e.text;
  const v = JSON.parse(text) as Record<string, unknown>;
  const paths = pathsIn(v);
  if (paths.length === 0) return text;
  const p = paths[e.at % paths.length]!;
  let parent: any = v;
  for (const k of p.slice(0, -1)) parent = parent[k];
  const last = p[p.length - 1]!;
  if (e.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = ODD_VALUES[e.value];
  return JSON.stringify(v);
}

export interface ExploreFiles {
  /** Which base reports (0, 1: the two shards; 2: another scenario's), each with an edit or none. */
  reports: [number, Edit | null][];
  replay: Edit | null;
  /** The scenario the replay is run against (0: fixed.fltsim, 1: race.fltsim, whose file it is). */
  scenario: number;
}

export const exploreFiles: fc.Arbitrary<ExploreFiles> = fc.record({
  reports: fc.array(fc.tuple(fc.nat(2), fc.option(edit)), { minLength: 1, maxLength: 3 }),
  replay: fc.option(edit),
  scenario: fc.nat(1),
});

export async function checkExploreFiles(input: ExploreFiles): Promise<void> {
  const b = await exploreBases();
  const parsed = input.reports.map(([i, e]) => parseExploreReport(applyEdit(b.reports[i]!, e)));
  for (const p of parsed) if (!p.ok) assertNoInternalError(p.message, 'a --merge message');
  const reports = parsed.flatMap((p) => (p.ok ? [p.report] : []));
  if (reports.length === parsed.length) {
    const merged = mergeExploreReports(reports);
    if (!merged.ok) assertNoInternalError(merged.message, 'a --merge message');
    else {
      // What the merge gives is a report the CLI prints: it must read back as one.
      const again = parseExploreReport(JSON.stringify(merged.report));
      if (!again.ok) throw new Error(`the merged report is not a valid report: ${again.message}`);
    }
  }
  const replay = parseReplayFile(applyEdit(b.replay, input.replay));
  if (!replay.ok) {
    assertNoInternalError(replay.message, 'a --replay message');
    return;
  }
  try {
    const { report } = runScenario(b.scenarios[input.scenario]!, { schedule: replay.replay.schedule, limits: { steps: 100_000 } });
    if (report.error?.kind === 'internal') throw new Error(`a replayed run stopped with an internal error: ${report.error.message}`);
  } catch (e) {
    if (!(e instanceof ScheduleMismatch)) throw e;
    assertNoInternalError(e.message, 'a replay mismatch');
  }
}
