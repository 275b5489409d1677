/**
 * The inputs the fuzz properties throw at fltsim, as fast-check arbitraries:
 *
 *   - mutated C: a file of the bundled samples or the lint fixtures (never Microsoft's samples) with
 *     one to four mutations: tokens deleted, lines swapped, the text cut short, garbage inserted,
 *     literals made huge, code nested far too deep, a macro that doubles itself;
 *   - random scenarios: lines built from the scenario language's own words with arguments good and
 *     bad (huge numbers, control characters, unknown names), and mutated sample scenarios;
 *   - edits of a document, for the language server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { IO_FLAG_NAMES, IO_FLAGS, IO_OP_NAMES, IO_OPTION_NAMES, IO_OPTIONS, IO_STATES, STATEMENT_KEYWORDS, STOP_REASONS, type IoFlag, type IoOption } from '../../engine/scenario';
import { appliesTo } from '../../engine/scenario/vocabulary';
import { LIMIT_NAMES } from '../../engine/limits';

const ROOT = path.join(__dirname, '..', '..');

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(p);
    }
  };
  walk(path.join(ROOT, dir));
  return out.sort();
}

/** C files of the bundled samples and the lint and verdict fixtures (UTF-8 ones: the encodings fixtures are for decoding tests). */
export const C_CORPUS: readonly { name: string; text: string }[] = [...filesUnder('samples', '.c'), ...filesUnder('test/fixtures/lint', '.c'), ...filesUnder('test/fixtures/verdicts', '.c')]
  .map((f) => ({ name: path.relative(ROOT, f), text: readFileSync(f, 'utf8') }));

/** The bundled sample scenarios, with their drivers' texts by file name. */
export const SCENARIO_CORPUS: readonly { name: string; text: string; drivers: Record<string, string> }[] = filesUnder('samples', '.fltsim').map((f) => {
  const dir = path.dirname(f);
  const drivers: Record<string, string> = {};
  for (const c of readdirSync(dir)) if (c.endsWith('.c')) drivers[c] = readFileSync(path.join(dir, c), 'utf8');
  return { name: path.relative(ROOT, f), text: readFileSync(f, 'utf8'), drivers };
});

/** Pieces of C to insert: real constructs, broken ones, and things that stress the front end. */
const C_GARBAGE = [
  '{', '}', '(', ')', ';', '#', '#if', '#endif', '#define', '"', "'", '/*', '*/', '\\', '->', '[', ']', '...', '##',
  '\u0000', '\u001b[2J', '\u202e', '\ufeff', '\r', '\t', 'é', '😀',
  'goto L;', 'L:', 'return;', 'break;', 'continue;', 'switch (x) {', 'case 1:', 'default:', 'do {} while (0);',
  'for (;;) {}', 'while (1) ;', 'do { } while (1);', 'int x = 1 / 0;', '*(PULONG)0 = 1;', 'UnknownRoutine();',
  'x = (PVOID)&x;', 'struct S { struct S s; };', 'typedef int T; T T;', 'int a[-1];', 'int b[0x7fffffff];',
  'char *p = "unterminated', 'KeAcquireSpinLock(NULL, NULL);', 'ExAllocatePoolWithTag(NonPagedPool, 0xFFFFFFFFFFFF, 1);',
  'FltCompletePendedPreOperation(NULL, 99, NULL);', 'RtlCopyMemory(NULL, NULL, 0x100000000);',
  '#include "nothere.h"', '#include <nothere.h>', '#error stop', '#pragma pack(push, 1)', '#undef NULL',
];

const HUGE_LITERALS = ['99999999999999999999999999', '0xFFFFFFFFFFFFFFFFFFFF', '1e999', '-1e999', '0.0000000000000000000000001e-999', "'\\777'", '18446744073709551616', `"${'A'.repeat(100_000)}"`, 'L"\\xFFFFFFFF"'];

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+|[0-9]+|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\/[^\n]*|\/\*[\s\S]*?\*\/|\S/g;

type Mutation = (text: string, r: () => number) => string;

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

function tokenSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index!, end: m.index! + m[0].length });
  return out;
}

const MUTATIONS: Record<string, Mutation> = {
  deleteTokens: (text, r) => {
    const spans = tokenSpans(text);
    if (spans.length === 0) return text;
    const at = Math.floor(r() * spans.length);
    const n = 1 + Math.floor(r() * 4);
    const end = spans[Math.min(spans.length - 1, at + n - 1)]!.end;
    return text.slice(0, spans[at]!.start) + text.slice(end);
  },
  swapLines: (text, r) => {
    const lines = text.split('\n');
    const a = Math.floor(r() * lines.length);
    const b = Math.floor(r() * lines.length);
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return lines.join('\n');
  },
  truncate: (text, r) => text.slice(0, Math.floor(r() * text.length)),
  insertGarbage: (text, r) => {
    const at = Math.floor(r() * (text.length + 1));
    return `${text.slice(0, at)} ${pick(C_GARBAGE, r)} ${text.slice(at)}`;
  },
  hugeLiteral: (text, r) => {
    const numbers = [...text.matchAll(/\b(0[xX][0-9a-fA-F]+|[0-9]+)\b/g)];
    if (numbers.length === 0) return text;
    const m = pick(numbers, r);
    return text.slice(0, m.index!) + pick(HUGE_LITERALS, r) + text.slice(m.index! + m[0].length);
  },
  deepNesting: (text, r) => {
    // Just inside a function body: `{` followed by a newline after a `)` line.
    const bodies = [...text.matchAll(/\)\s*\n?\{\s*\n/g)];
    if (bodies.length === 0) return text;
    const m = pick(bodies, r);
    const depth = pick([100, 300, 3000], r);
    const shape = pick(['{', '(', 'if (1) '], r);
    const inner = shape === '{' ? `${'{'.repeat(depth)}${'}'.repeat(depth)}` : shape === '(' ? `int deep = ${'('.repeat(depth)}1${')'.repeat(depth)};` : `${'if (1) '.repeat(depth)};`;
    const at = m.index! + m[0].length;
    return `${text.slice(0, at)}${inner}\n${text.slice(at)}`;
  },
  macroBomb: (text, r) => {
    const n = pick([8, 20, 40], r);
    const defs = ['#define FZ0 x'];
    for (let i = 1; i <= n; i++) defs.push(`#define FZ${i} FZ${i - 1} FZ${i - 1}`);
    return `${defs.join('\n')}\nint FzBomb[] = { FZ${n} };\n${text}`;
  },
  duplicateLines: (text, r) => {
    const lines = text.split('\n');
    const a = Math.floor(r() * lines.length);
    const n = 1 + Math.floor(r() * 8);
    lines.splice(a, 0, ...lines.slice(a, a + n));
    return lines.join('\n');
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/**
 * Statements that are valid C and stress the run: loops that never end, faults, huge and
 * zero-sized allocations, huge arrays, use after free, out-of-bounds writes, IRQL games, escapes in
 * debug output. Inserted into a driver that compiles, they reach the interpreter instead of the
 * compiler's error path.
 */
const RUN_STATEMENTS = [
  'for (;;) { }', 'while (1) { }', 'do { } while (1);', '{ ULONG fzI; for (fzI = 0; fzI < 0xFFFFFFFF; fzI++) { } }',
  '{ volatile int fzZ = 0; fzZ = 1 / fzZ; }', '{ PULONG fzP = NULL; *fzP = 1; }', '{ int fzA[4]; fzA[4] = 0; }',
  "{ PUCHAR fzB = (PUCHAR)ExAllocatePoolWithTag(NonPagedPool, 0x10000000, 'zFuz'); if (fzB) { fzB[0] = 1; fzB[0x0FFFFFFF] = 2; RtlZeroMemory(fzB, 0x10000); ExFreePoolWithTag(fzB, 'zFuz'); } }",
  "{ PUCHAR fzB = (PUCHAR)ExAllocatePoolWithTag(NonPagedPool, 0xFFFFFFFF, 'zFuz'); if (fzB) { fzB[0xFFFFFFFE] = 1; ExFreePoolWithTag(fzB, 'zFuz'); } }",
  "{ PVOID fzB = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, 'zFuz'); if (fzB) ExFreePoolWithTag(fzB, 'zFuz'); }",
  "{ int *fzP = (int *)ExAllocatePoolWithTag(PagedPool, sizeof(int), 'zFuz'); if (fzP) { ExFreePoolWithTag(fzP, 'zFuz'); *fzP = 1; } }",
  '{ char fzBig[100000]; fzBig[99999] = 1; }', '{ static char fzHuge[0x10000000]; fzHuge[0x0FFFFFFF] = 1; }',
  '{ KIRQL fzO; KeRaiseIrql(DISPATCH_LEVEL, &fzO); KeLowerIrql(fzO); }', '{ KIRQL fzO; KeRaiseIrql(DISPATCH_LEVEL, &fzO); }',
  'DbgPrint("\\x1b[2J fuzz %d %s %p\\n", 1, "x", NULL);', '{ ULONGLONG fzV = 0xFFFFFFFFFFFFFFFF; fzV = fzV * fzV + (fzV >> 63); }',
  '{ LARGE_INTEGER fzT; fzT.QuadPart = -10000; KeDelayExecutionThread(KernelMode, FALSE, &fzT); }',
  'RtlCopyMemory(NULL, NULL, 0);', '{ UNICODE_STRING fzS; RtlInitUnicodeString(&fzS, L"fuzz"); DbgPrint("%wZ\\n", &fzS); }',
];

/** A statement of RUN_STATEMENTS after a statement inside a function body (an indented line ending in `;`). */
function insertStatement(text: string, r: () => number): string {
  const ends = [...text.matchAll(/\n([ \t]+)[^\n]*;[ \t]*(?=\n)/g)];
  if (ends.length === 0) return text;
  const m = pick(ends, r);
  const at = m.index! + m[0].length;
  return `${text.slice(0, at)}\n${m[1]}${pick(RUN_STATEMENTS, r)}${text.slice(at)}`;
}

/** Drivers of the corpus a scenario can load (they have a DriverEntry). */
const RUNNABLE = C_CORPUS.map((c, i) => ({ c, i })).filter(({ c }) => /\bDriverEntry\s*\(/.test(c.text)).map(({ i }) => i);

/**
 * A driver that compiles, with one to three statements inserted and, now and then, a literal made
 * huge or code nested deep: for the runs, most of which then reach the interpreter.
 */
export const runnableC: fc.Arbitrary<MutatedC> = fc
  .record({
    file: fc.constantFrom(...RUNNABLE),
    steps: fc.array(fc.record({ m: fc.constantFrom('insertStatement', 'insertStatement', 'insertStatement', 'hugeLiteral', 'deepNesting'), seed: fc.integer() }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ file, steps }) => {
    let text = C_CORPUS[file]!.text;
    for (const s of steps) {
      let x = s.seed >>> 0;
      const r = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
      text = s.m === 'insertStatement' ? insertStatement(text, r) : MUTATIONS[s.m]!(text, r);
    }
    return { source: C_CORPUS[file]!.name, mutations: steps.map((s) => s.m), text };
  });

export interface MutatedC {
  source: string;
  mutations: string[];
  text: string;
}

/** A corpus file with 1–4 mutations (named, for the report of a failure). */
export const mutatedC: fc.Arbitrary<MutatedC> = fc
  .record({
    file: fc.integer({ min: 0, max: C_CORPUS.length - 1 }),
    steps: fc.array(fc.record({ m: fc.constantFrom(...MUTATION_NAMES), seed: fc.integer() }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ file, steps }) => {
    let text = C_CORPUS[file]!.text;
    for (const s of steps) {
      let x = s.seed >>> 0;
      // A small deterministic generator per step, so the whole mutation replays from the seed.
      const r = () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
      text = MUTATIONS[s.m]!(text, r);
    }
    return { source: C_CORPUS[file]!.name, mutations: steps.map((s) => s.m), text };
  });

// --- scenarios ---

const NUMBERS = ['0', '1', '7', '4096', '0x1000', '4294967295', '4294967296', '9007199254740993', '99999999999999999999999', '-1', '1.5', '0x', '08'];
const STRINGS = ['"\\Device\\HarddiskVolume1\\a.txt"', '"a.txt"', '""', '"\\"quoted\\""', '"unterminated', '"\u001b[31mred\u001b[0m"', '"\u202eevil"', '"\\\\"', `"${'x'.repeat(2000)}"`, '"stuck.c"', '"d.c"', '"nothere.c"', '"../../etc/passwd"', '"/dev/zero"'];
const WORDS = [...STATEMENT_KEYWORDS, ...IO_OP_NAMES, ...IO_FLAG_NAMES, ...IO_OPTION_NAMES, ...IO_STATES, ...STOP_REASONS, ...LIMIT_NAMES,
  'status', 'state', 'calls', 'violation', 'violations', 'no', 'output', 'load', 'deadlock', 'stop', 'at', 'altitude', 'size', 'dword', 'string', 'delayed', 'critical',
  'STATUS_SUCCESS', 'STATUS_CANCELLED', 'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_BOGUS', 'cpp-irql', 'assert', 'deadlock', 'PreRead', 'd!PreRead', 'FileBasicInformation',
  '#1', '#2', '#0', '#99999999999999999999', '//', '// comment', '\t', '\u0000', 'é'];

const token = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

/** A scenario line: a keyword (usually) and up to eight more tokens. */
const scenarioLine = fc.tuple(fc.constantFrom(...STATEMENT_KEYWORDS, ...WORDS.slice(0, 20)), fc.array(token, { maxLength: 8 })).map(([k, rest]) => [k, ...rest].join(' '));

/** Token soup: lines of the language's own words in any order, which mostly exercise the checks. */
const soupScenario: fc.Arbitrary<string> = fc
  .tuple(fc.array(scenarioLine, { minLength: 1, maxLength: 14 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => ['driver "d.c"', ...lines].join(eol));

/**
 * Scenarios that follow the grammar, so most of them run: requests of every operation with the
 * options and flags that apply to it (now and then one that does not, or two flags that do not
 * combine), cancels and expectations of requests that exist, an unload, limits and expectations of
 * every form, with values good and bad.
 */
const tick = fc.oneof({ weight: 4, arbitrary: fc.nat(20) }, { weight: 1, arbitrary: fc.constantFrom(1000, 4294967295) });
const OPTION_VALUES: Record<Exclude<IoOption, 'at'>, readonly (string | number)[]> = {
  length: [0, 1, 512, 4096, 65536, 4294967295],
  offset: [0, 1, 4096, 4294967296],
  class: ['FileBasicInformation', 'FileStandardInformation', 'FileNameInformation', 'FileDirectoryInformation'],
  code: [0, 0x90000, 0x222003],
  transaction: ['"T1"', '"T2"'],
  disposition: ['open', 'create', 'open-if', 'overwrite', 'overwrite-if', 'supersede'],
  access: ['read', 'write', 'read-write', 'delete', 'attributes', 'all'],
  share: ['none', 'read', 'write', 'read-write', 'all'],
  data: ['""', '"hello"', '"two\\nlines"', 'hex "00 ff"', 'ulong 7 wide "a"'],
  input: ['ulong 1', 'hex "01 02 03"', 'ushort 2 zeros 6 "abc"', 'ulonglong 0xFFFFFFFFFFFFFFFF', 'uchar 300'],
  output: [0, 8, 4096],
  to: ['"\\Device\\HarddiskVolume1\\renamed.txt"', '"b2.txt"', '"\\dir\\moved.txt"', '"\\Device\\Nowhere\\x.txt"'],
  pattern: ['"*"', '"*.txt"', '"?.txt"', '"nomatch"'],
  changes: ['file-name', 'name size', 'last-write attributes', 'dir-name', 'bogus'],
  process: ['"nobody.exe"'],
};
const ioLine = fc
  .record({
    op: fc.constantFrom(...IO_OP_NAMES),
    path: fc.constantFrom('"\\Device\\HarddiskVolume1\\a.txt"', '"\\Device\\HarddiskVolume1\\dir\\b.txt"', '"\\Device\\HarddiskVolume1\\dir"', '"\\Device\\Nowhere\\c.txt"'),
    at: tick,
    options: fc.subarray(Object.keys(OPTION_VALUES) as (keyof typeof OPTION_VALUES)[]),
    values: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    flags: fc.subarray([...IO_FLAG_NAMES], { maxLength: 3 }),
    lawless: fc.nat(9),
  })
  .map((r) => (id: number) => {
    // One line in ten keeps what does not apply, to reach the checks; the rest are valid.
    const keep = (ops: Parameters<typeof appliesTo>[0]) => r.lawless === 0 || appliesTo(ops, r.op);
    const parts = [`io #${id}`, r.op, r.path, `at ${r.at}`];
    r.options.forEach((o, i) => {
      if (keep(IO_OPTIONS[o].ops)) parts.push(`${o} ${OPTION_VALUES[o][r.values[i]! % OPTION_VALUES[o].length]}`);
    });
    const flags: IoFlag[] = [];
    for (const f of r.flags) if (keep(IO_FLAGS[f].ops) && (r.lawless === 0 || !flags.some((g) => IO_FLAGS[f].excludes.includes(g)))) flags.push(f);
    return [...parts, ...flags].join(' ');
  });
const STATUSES = ['STATUS_SUCCESS', 'STATUS_CANCELLED', 'STATUS_INSUFFICIENT_RESOURCES', 'STATUS_ACCESS_DENIED', '0xC0000120'];
const OUTCOME_EXPECTATIONS = ['expect no violations', 'expect violation cpp-irql', 'expect no violation assert', 'expect deadlock', 'expect stop', 'expect stop step-budget',
  'expect load STATUS_SUCCESS', 'expect load d STATUS_UNSUCCESSFUL', 'expect calls PreRead 1', 'expect calls d!PreRead 0', 'expect output "x"'];
const grammarScenario: fc.Arbitrary<string> = fc
  .record({
    ios: fc.array(ioLine, { minLength: 1, maxLength: 6 }),
    cancels: fc.array(fc.tuple(fc.nat(), tick)),
    unload: fc.option(tick, { nil: undefined }),
    limits: fc.uniqueArray(fc.tuple(fc.constantFrom(...LIMIT_NAMES), fc.constantFrom(1, 50, 1000, 100_000)), { selector: ([n]) => n, maxLength: 2 }),
    aboutIos: fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.constantFrom(...STATUSES), fc.constantFrom(...IO_STATES)), { maxLength: 4 }),
    outcomes: fc.subarray(OUTCOME_EXPECTATIONS, { maxLength: 3 }),
  })
  .map(({ ios, cancels, unload, limits, aboutIos, outcomes }) => {
    const n = ios.length;
    const lines = ['driver "d.c"', ...ios.map((make, i) => make(i + 1))];
    for (const id of new Set(cancels.map(([k]) => 1 + (k % n)))) lines.push(`cancel #${id} at ${cancels.find(([k]) => 1 + (k % n) === id)![1]}`);
    if (unload !== undefined) lines.push(`unload at ${unload}`);
    for (const [name, value] of limits) lines.push(`limit ${name} ${value}`);
    for (const [k, byStatus, status, state] of aboutIos) lines.push(byStatus ? `expect #${1 + (k % n)} status ${status}` : `expect #${1 + (k % n)} state ${state}`);
    return [...lines, ...outcomes].join('\n');
  });

/** A random scenario over one driver, `d.c`, which the property supplies. */
export const randomScenario: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: grammarScenario }, { weight: 1, arbitrary: soupScenario });

/** A sample scenario with its lines mutated: tokens dropped, lines repeated, garbage in, numbers huge. */
export const mutatedScenario: fc.Arbitrary<{ source: string; text: string; drivers: Record<string, string> }> = fc
  .record({ file: fc.integer({ min: 0, max: SCENARIO_CORPUS.length - 1 }), edits: fc.array(fc.tuple(fc.nat(), fc.nat(5), token), { minLength: 1, maxLength: 5 }) })
  .map(({ file, edits }) => {
    const s = SCENARIO_CORPUS[file]!;
    const lines = s.text.split('\n');
    for (const [where, how, tok] of edits) {
      const i = where % lines.length;
      const words = lines[i]!.split(' ');
      const w = where % Math.max(1, words.length);
      switch (how) {
        case 0: words.splice(w, 1); break;
        case 1: words.splice(w, 0, tok); break;
        case 2: words[w] = tok; break;
        case 3: lines.splice(i, 0, lines[i]!); break;
        case 4: lines.splice(i, 1); break;
        default: words.push(tok);
      }
      if (how !== 3 && how !== 4) lines[i] = words.join(' ');
    }
    return { source: s.name, text: lines.join('\n'), drivers: s.drivers };
  });

/** A workload for a mutated driver `d.c`: a few requests that reach the usual callbacks. */
export const GENERIC_WORKLOAD = [
  'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 512 at 0',
  'io #2 write "\\Device\\HarddiskVolume1\\a.txt" length 64 at 1',
  'io #3 create "\\Device\\HarddiskVolume1\\b.txt" at 1',
  'cancel #1 at 2',
  'unload at 5',
].join('\n');
