/**
 * Runs the rules over C text. `LintDocument` keeps one document's syntax tree and caches between
 * runs so that re-linting after an edit reparses incrementally (tree-sitter `tree.edit`) and
 * re-checks only the functions whose text, role or callees changed. `lintText` is the one-shot form.
 */
import { createCParser, createCppParser, loadCLanguage, loadCppLanguage, type Tree } from '../c/treeSitter';
import { nestingMessage } from '../limits';
import { lineEndingOf, withLineEnding } from '../files';
import { prepareForLint } from './frontend/prepare';
import { NO_STATEMENT_MACROS, readDefines, StatementMacros, type Defines } from './frontend/macros';
import type { MacroLowering } from './frontend/lower';
import type { Span } from './frontend/ir';
import { constructText, FileModel, FunctionCache, hashText, type Loc } from './analysis/model';
import { findRoles, roleEvidence, roleName, roleSite } from './analysis/roles';
import type { Role } from './analysis/roleTypes';
import { NO_FOREIGN_FACTS, type ForeignFacts } from './analysis/foreign';
import type { ReadId } from './analysis/reads';
import { FileContext } from './context';
import { ALL_RULES } from './rules';
import type { Candidate, FunctionRule, RawFinding, Rule } from './rule';
import { findSuppressions, isSuppressed } from './suppress';
import { FindingGroups } from './groupFindings';
import type { Finding, LintOptions, LintResult, ParseNote, Range, Severity, SeveritySetting } from './types';

/** Loads the C and C++ grammars; call once before linting (later calls return at once). */
export async function initLinter(): Promise<void> {
  await Promise.all([loadCLanguage(), loadCppLanguage()]);
}

/** Which grammar reads a file: C++ for `.cpp`, `.cc`, `.cxx`, `.hpp`, `.hxx`, C for the rest. */
export type LintLanguage = 'c' | 'cpp';

// `extern "C" {` is left out: C headers write it for C++ includers, under `#ifdef __cplusplus`.
const CPP_ONLY = /^[ \t]*(?:namespace\s+\w+\s*\{|template\s*<|(?:enum\s+)?class\s+\w+[^;(]*\{|using\s+namespace\b)|^[^/\n"#]*\b[A-Za-z_]\w*::[A-Za-z_~]/m;

/**
 * The grammar for a file: C++ for `.cpp`, `.cc`, `.cxx`, `.hpp`; for a `.h`, C++ when its text uses
 * C++ only constructs (namespaces, templates, classes); C otherwise.
 */
export function lintLanguageOf(path: string, text?: string): LintLanguage {
  if (/\.(?:cpp|cc|cxx|c\+\+|hpp|hxx|hh)$/i.test(path)) return 'cpp';
  if (text !== undefined && /\.h$/i.test(path) && CPP_ONLY.test(text)) return 'cpp';
  return 'c';
}

const sharedParsers: Partial<Record<LintLanguage, ReturnType<typeof createCParser>>> = {};
function parser(language: LintLanguage) {
  return (sharedParsers[language] ??= language === 'cpp' ? createCppParser() : createCParser());
}

/** UTF-16 units per input chunk (web-tree-sitter's buffer holds 10 KiB). */
const CHUNK = 4096;

interface CachedFindings {
  rule: string;
  raw: RawFinding[];
}

/** One function's results, reused while its text and surroundings are unchanged. */
interface CachedFunction {
  results: CachedFindings[];
  unparsed: boolean;
  failures: number;
  /** Where the function nests too deeply to be read (lowered as far as MAX_NESTING). */
  tooDeep?: Span;
  /** What the checks read outside the function, with the values they saw (analysis/reads.ts). */
  reads: [ReadId, string][];
}

const FUNCTION_RULES = ALL_RULES.filter((r): r is FunctionRule => r.scope === 'function');
const FILE_RULES = ALL_RULES.filter((r) => r.scope === 'file');
const RULE_BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]));

export function severityOf(rule: Rule, options: LintOptions): SeveritySetting {
  return options.severities?.[rule.id] ?? rule.severity;
}

/** Unknown rule ids and bad values in options, as messages for the user. */
export function validateOptions(options: LintOptions): string[] {
  const problems: string[] = [];
  for (const [id, value] of Object.entries(options.severities ?? {})) {
    if (!RULE_BY_ID.has(id)) problems.push(`unknown rule id '${id}'`);
    if (value !== 'off' && value !== 'warning' && value !== 'error') problems.push(`severity of '${id}' must be off, warning or error (got '${String(value)}')`);
  }
  return problems;
}

/** One document: its text, tree and caches, re-linted as it changes. */
export class LintDocument {
  private tree: Tree | undefined;
  private prepared = '';
  private original = '';
  private readonly functions = new FunctionCache();
  private findingsCache = new Map<string, CachedFunction>();
  private lastContext: FileContext | undefined;
  /** The statement macros and the `#define`s (own first, then the headers') they were built from. */
  private macros: { key: string; lowering: MacroLowering | undefined; defines: readonly Defines[] } | undefined;

  /**
   * @param incremental keep per-function results for the next `update` (an editor's document);
   *   a one-shot lint skips the bookkeeping.
   */
  constructor(private options: LintOptions = {}, private readonly incremental = true, readonly language: LintLanguage = 'c') {}

  setOptions(options: LintOptions): void {
    this.options = options;
  }

  /**
   * Lints `text`, reusing whatever the previous run of this document can give. `foreign` is what
   * the other files of the driver project say (engine/lint/project.ts); without it the file is
   * analysed alone.
   */
  update(text: string, foreign: ForeignFacts = NO_FOREIGN_FACTS, headers: readonly Defines[] = []): LintResult {
    const prepared = prepareForLint(text);
    this.reparse(prepared);
    this.original = text;
    return this.run(text, foreign, this.macroLowering(text, headers));
  }

  /**
   * The jumping statement macros the file sees: its own `#define`s, then those of `headers` (the
   * project headers it includes, engine/lint/project.ts), rebuilt only when one of them changed.
   */
  private macroLowering(text: string, headers: readonly Defines[]): MacroLowering | undefined {
    const own = readDefines(text);
    const key = [own.digest, ...headers.map((h) => h.digest)].join('|');
    if (this.macros?.key !== key) {
      const macros = key.replace(/\|/g, '') === '' ? NO_STATEMENT_MACROS : new StatementMacros([own, ...headers], true);
      const language = this.language;
      this.macros = {
        key,
        defines: [own, ...headers],
        lowering: macros.any ? { macros, original: '', parse: (t) => parser(language).parse(t) ?? undefined } : undefined,
      };
    }
    const lowering = this.macros.lowering;
    return lowering ? { ...lowering, original: text } : undefined;
  }

  /** The file's model and roles after the last update (the project pass reads its summaries from them). */
  get context(): FileContext | undefined {
    return this.lastContext;
  }

  /** Parses `text` and builds its analysis context without running any rule (the project pass). */
  analyze(text: string, foreign: ForeignFacts = NO_FOREIGN_FACTS, headers: readonly Defines[] = []): FileContext {
    this.reparse(prepareForLint(text));
    this.original = text;
    const model = new FileModel(this.prepared, this.tree!, this.functions, text, this.macroLowering(text, headers));
    const file = new FileContext(model, findRoles(model, foreign), foreign);
    this.lastContext = file;
    this.functions.sweep();
    return file;
  }

  /** Frees the syntax tree (it lives in wasm memory). */
  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }

  private reparse(prepared: string): void {
    const old = this.tree;
    // Feed the text in chunks that fit web-tree-sitter's input buffer: giving it the whole string
    // makes it slice the remainder of the text again for every chunk it reads.
    const input = (index: number) => (index < prepared.length ? prepared.slice(index, index + CHUNK) : '');
    if (old) {
      const edit = diffEdit(this.prepared, prepared);
      if (!edit) return;
      old.edit(edit);
      this.tree = parser(this.language).parse(input, old) ?? undefined;
      old.delete();
      // Tree-sitter recovers from a syntax error differently when it reuses an old tree, so a text
      // with errors is parsed afresh: what it shows must not depend on the edits that led to it
      // (found by npm run fuzz: a finding kept after an edit broke the line above it).
      if (this.tree?.rootNode.hasError) {
        const reused = this.tree;
        this.tree = parser(this.language).parse(input) ?? undefined;
        reused.delete();
      }
    } else {
      this.tree = parser(this.language).parse(input) ?? undefined;
    }
    if (!this.tree) throw new Error('fltsim: tree-sitter returned no tree');
    this.prepared = prepared;
  }

  private run(original: string, foreign: ForeignFacts, macros: MacroLowering | undefined): LintResult {
    const model = new FileModel(this.prepared, this.tree!, this.functions, this.original, macros);
    const roles = findRoles(model, foreign);
    const file = new FileContext(model, roles, foreign);
    this.lastContext = file;
    const fileKey = this.incremental ? `${fileFingerprint(model, roles.roles, roles.cbdqs)}|${foreign.digest}` : '';
    const enabled = FUNCTION_RULES.filter((r) => severityOf(r, this.options) !== 'off');
    const raw: { rule: string; f: RawFinding }[] = [];
    const nextCache = new Map<string, CachedFunction>();
    let analyzed = 0;
    let unparsed = 0;
    const tooDeep: { at: Loc; fn: string }[] = [];
    const failures = { count: 0 };
    const closures = new Map<string, string>();
    // The values of reads, computed at most once per run (`*` walks every function).
    const readValues = new Map<ReadId, string>();
    const readValue = (id: ReadId) => {
      let v = readValues.get(id);
      if (v === undefined) readValues.set(id, (v = file.readValue(id)));
      return v;
    };

    for (const f of model.functionList) {
      const fnRoles = roles.roles.get(f.name) ?? [];
      const cand: Candidate = { name: f.name, facts: f.facts, roles: fnRoles, file };
      const wanting = enabled.filter((r) => r.wants(cand));
      if (wanting.length === 0) continue;
      analyzed++;
      const key = this.incremental ? `${f.entry.hash}|${wanting.map((r) => r.id).join(',')}|${functionSignature(file, f.name, fnRoles, fileKey, closures)}` : '';
      let cached = this.incremental ? this.findingsCache.get(key) ?? nextCache.get(key) : undefined;
      // The key says what a check usually depends on; what it read beyond that must be unchanged too.
      if (cached && !cached.reads.every(([id, value]) => readValue(id) === value)) cached = undefined;
      if (!cached) {
        const fresh: CachedFunction = { results: [], unparsed: false, failures: 0, reads: [] };
        const ctx = file.functionContext(f.name);
        if (ctx) {
          fresh.unparsed = !ctx.readable;
          fresh.tooDeep = ctx.fn.tooDeep;
          const before = failures.count;
          const { reads } = model.reads.record(() => {
            for (const r of wanting) fresh.results.push({ rule: r.id, raw: withRoleEvidence(r, f.name, fnRoles, safeCheck(r, () => r.check(ctx), failures)) });
          });
          if (this.incremental) fresh.reads = [...reads].map((id) => [id, readValue(id)]);
          fresh.failures = failures.count - before;
          failures.count = before;
        }
        cached = fresh;
      }
      if (this.incremental) nextCache.set(key, cached);
      if (cached.unparsed) unparsed++;
      if (cached.tooDeep) tooDeep.push({ at: { anchor: `fn:${f.name}`, span: cached.tooDeep }, fn: f.name });
      failures.count += cached.failures;
      for (const c of cached.results) for (const x of c.raw) raw.push({ rule: c.rule, f: x });
    }
    for (const r of FILE_RULES) {
      if (severityOf(r, this.options) === 'off') continue;
      for (const x of safeCheck(r, () => r.check(file), failures)) raw.push({ rule: r.id, f: x });
    }
    this.findingsCache = nextCache;
    this.functions.sweep();

    const suppressions = findSuppressions(original, (name) => definedValue(name, this.macros?.defines ?? []));
    // Rules write fixes with \n; a CRLF file gets CRLF in what a fix inserts.
    const eol = lineEndingOf(original);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const groups = new FindingGroups();
    for (const { rule, f } of raw) {
      const def = RULE_BY_ID.get(rule)!;
      const severity = severityOf(def, this.options) as Severity;
      // A finding belongs to this file; a rule that points into another file says nothing here.
      if (f.at.file !== undefined) continue;
      const range = resolve(model, f.at, foreign);
      if (!range) continue;
      if (isSuppressed(suppressions, range.start.line, rule)) continue;
      const dedupe = `${rule}|${range.start.line}:${range.start.column}|${f.message}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const finding: Finding = {
        ruleId: rule,
        severity,
        range,
        message: f.message,
        related: (f.related ?? []).flatMap((x) => {
          const r = resolve(model, x.at, foreign);
          return r ? [{ range: r, message: x.message, ...(x.at.file !== undefined ? { file: x.at.file } : {}) }] : [];
        }),
        fixes: (f.fixes ?? []).flatMap((fix) => {
          if (fix.edits.some((e) => e.at.file !== undefined)) return [];
          const edits = fix.edits.map((e) => ({ range: resolve(model, e.at, foreign), newText: withLineEnding(e.newText, eol) }));
          return edits.every((e) => e.range) ? [{ title: fix.title, edits: edits as { range: Range; newText: string }[] }] : [];
        }),
      };
      if (f.group) groups.add(rule, finding, f.group);
      else findings.push(finding);
    }
    findings.push(...groups.merged());
    findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.ruleId.localeCompare(b.ruleId));
    const notes = [...tooDeep.flatMap((deep) => {
      const range = resolve(model, deep.at, foreign);
      return range ? [{ range, construct: constructText(model.original.split('\n')[range.start.line] ?? ''), function: deep.fn, message: `not analysed past this point: the code is ${nestingMessage()}` }] : [];
    }), ...parseNotes(model), ...redefinitionNotes(model)].sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.column - y.range.start.column);
    return { findings, notes, stats: { functions: model.functionList.length, analyzed, unparsed, internalErrors: failures.count } };
  }
}

/**
 * Findings of a rule that rests on a role say where the role comes from: the registration row or
 * call that gave it (a related location), or, when only the declared signature did, in the message.
 */
function withRoleEvidence(rule: FunctionRule, name: string, roles: readonly Role[], raw: RawFinding[]): RawFinding[] {
  if (!rule.roles || raw.length === 0) return raw;
  const role = roles.find((r) => rule.roles!.includes(r.k));
  if (!role) return raw;
  const why = `${name} is ${roleName(role)}: ${roleEvidence(role)}`;
  const site = roleSite(role);
  return raw.map((f) => {
    if (!site) return 'bySignature' in role && role.bySignature ? { ...f, message: `${f.message} (${why}.)` } : f;
    if ((f.related ?? []).some((x) => x.at.anchor === site.anchor && x.at.file === site.file && x.at.span.sr === site.span.sr && x.at.span.sc === site.span.sc)) return f;
    return { ...f, related: [...(f.related ?? []), { at: site, message: why }] };
  });
}

/** What the tree says could not be parsed, in words a user can act on. */
function parseNotes(model: FileModel): ParseNote[] {
  return model.parseProblems().map((p) => {
    const line = p.span.sr + 1;
    const message = p.fn !== undefined
      ? `fltsim could not parse \`${p.construct}\` (line ${line}) in ${p.fn}; the checks that follow its paths skip ${p.fn}`
      : `fltsim could not parse \`${p.construct}\` (line ${line}); the code it covers${p.span.er > p.span.sr ? ` (up to line ${p.span.er + 1})` : ''} was not checked`;
    return {
      range: { start: { line: p.span.sr, column: p.span.sc }, end: { line: p.span.er, column: p.span.ec } },
      construct: p.construct,
      ...(p.fn !== undefined ? { function: p.fn } : {}),
      message,
    };
  });
}

/** Second definitions of a name: said once each, since nothing in them is checked. */
function redefinitionNotes(model: FileModel): ParseNote[] {
  return model.redefinitions.map((r) => ({
    range: { start: { line: r.row, column: r.column }, end: { line: r.row, column: r.endColumn } },
    construct: constructText(r.text),
    ...(r.kind === 'function' ? { function: r.name } : {}),
    message: r.kind === 'function'
      ? `${r.name} is defined again here; fltsim checks one definition per name, the one at line ${r.firstRow + 1}, and skips this one`
      : `${r.name} is initialized again here; fltsim reads one registration per name, the one at line ${r.firstRow + 1}, and skips this one`,
  }));
}

/** A rule that throws must not take the others down: its findings for this function are dropped. */
function safeCheck(rule: Rule, run: () => RawFinding[], failures: { count: number }): RawFinding[] {
  try {
    return run();
  } catch (err) {
    failures.count++;
    if (typeof process !== 'undefined' && process.env?.FLTSIM_DEBUG) {
      process.stderr.write(`fltsim lint: rule ${rule.id} failed: ${(err as Error).stack ?? String(err)}\n`);
    }
    return [];
  }
}

/** The text of an object-like `#define name value` the file or one of its headers makes (the first wins). */
function definedValue(name: string, defines: readonly Defines[]): string | undefined {
  for (const d of defines) {
    const m = d.macros.find((x) => x.name === name && !x.params);
    if (m) return m.body.map((t) => t.text).join(' ');
  }
  return undefined;
}

function resolve(model: FileModel, at: Loc, foreign: ForeignFacts): Range | undefined {
  const base = at.file !== undefined ? foreign.anchors.get(at.file)?.get(at.anchor) : model.anchorRow(at.anchor);
  if (base === undefined) return undefined;
  return { start: { line: at.span.sr + base, column: at.span.sc }, end: { line: at.span.er + base, column: at.span.ec } };
}

/** What every function's findings may depend on outside the function: registrations and roles. */
function fileFingerprint(model: FileModel, roles: Map<string, Role[]>, cbdqs: unknown[]): string {
  const parts: string[] = [];
  for (const d of model.declarations.values()) parts.push(d.text);
  // Sites are anchored to their function, so they change only when that function's own text does;
  // a finding elsewhere that points at one (related "queue initialized here") must then be redone.
  const site = (r: object) => ('site' in r ? `@${JSON.stringify(r.site)}` : '');
  const roleList = [...roles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, rs]) => `${name}:${rs.map((r) => r.k + ('majors' in r ? `(${r.majors?.join(',') ?? '?'})` : '') + ('cb' in r ? `(${r.cb})` : '') + ('kind' in r ? `(${r.kind})` : '') + site(r)).join(',')}`);
  parts.push(roleList.join(';'));
  parts.push(JSON.stringify(cbdqs));
  // With their rows: a finding's related "made pageable here" is an absolute position (anchor '').
  parts.push([...model.paged].map(([name, p]) => `${name}@${p.row}`).sort().join(','));
  return hashText(parts.join('\n'));
}

/** What one function's findings depend on besides its text: its roles, entry IRQL and callees. */
function functionSignature(file: FileContext, name: string, roles: readonly Role[], fileKey: string, closures: Map<string, string>): string {
  const model = file.model;
  const linked: string[] = [];
  for (const r of roles) {
    if (r.k === 'postop') for (const p of r.preOps) { const f = p ? model.functions.peek(p) : undefined; if (f) linked.push(`${p}=${f.entry.hash}`); }
    if (r.k === 'cbdq') {
      const q = file.roles.cbdqs[r.queue];
      for (const n of [q?.acquire, q?.release, q?.insert, q?.remove]) { const f = n ? model.functions.peek(n) : undefined; if (f) linked.push(`${n}=${f.entry.hash}`); }
    }
  }
  const entry = file.irql.entry(name);
  return `${calleeClosure(model, name, closures)}|${linked.join(',')}|${fileKey}|${roles.length === 0 ? '' : JSON.stringify(roles)}|${entry ? JSON.stringify(entry) : ''}`;
}

/**
 * The text digests of every own function `name` reaches by calling or naming it (sorted), memoised per
 * run. Lookups here make the cache key, so they are not dependencies of a check (peek, not get: a get
 * per word of every function would also cost a read-log note each).
 */
function calleeClosure(model: FileModel, name: string, memo: Map<string, string>): string {
  const hit = memo.get(name);
  if (hit !== undefined) return hit;
  const seen = new Set<string>([name]);
  const stack = [name];
  const parts: string[] = [];
  while (stack.length > 0) {
    const f = model.functions.peek(stack.pop()!);
    if (!f) continue;
    // Every own function the text names, called or not: a routine passed by name (a work item's)
    // is analysed through its declaration too (found by npm run fuzz).
    for (const c of f.facts.words) {
      if (seen.has(c)) continue;
      const g = model.functions.peek(c);
      if (!g) continue;
      seen.add(c);
      stack.push(c);
      parts.push(g.entry.hash);
    }
  }
  const digest = parts.sort().join(',');
  memo.set(name, digest);
  return digest;
}

/** The single edit that turns `a` into `b` (common prefix and suffix), or undefined when equal. */
function diffEdit(a: string, b: string) {
  if (a === b) return undefined;
  const min = Math.min(a.length, b.length);
  // Whole blocks first (string comparison is native), then characters.
  let start = 0;
  for (const block of [4096, 256, 16]) {
    while (start + block <= min && a.substr(start, block) === b.substr(start, block)) start += block;
  }
  while (start < min && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  for (const block of [4096, 256, 16]) {
    while (endA - block >= start && endB - block >= start && a.substr(endA - block, block) === b.substr(endB - block, block)) { endA -= block; endB -= block; }
  }
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) { endA--; endB--; }
  return {
    startIndex: start,
    oldEndIndex: endA,
    newEndIndex: endB,
    startPosition: pointAt(a, start),
    oldEndPosition: pointAt(a, endA),
    newEndPosition: pointAt(b, endB),
  };
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { row++; lineStart = i + 1; }
  return { row, column: offset - lineStart };
}

/** Lints one text from scratch. `initLinter()` must have resolved. */
export function lintText(text: string, options: LintOptions = {}, language: LintLanguage = 'c'): LintResult {
  const doc = new LintDocument(options, false, language);
  try {
    return doc.update(text);
  } finally {
    doc.dispose();
  }
}
