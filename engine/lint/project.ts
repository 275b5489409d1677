/**
 * The project-level pass of the linter: the files of one driver are analysed together, so that a
 * registration table, a cbdq setup, a drain helper or a caller in one file gives the roles and the
 * IRQL of functions defined in another.
 *
 * Two summaries per file, each cached by the file's text:
 * - its *own facts*, read from the file alone: the roles it gives to functions it does not define,
 *   the queues it sets up, its filter registration, its operation rows, where its functions start;
 * - its *function facts*, read with the other files' own facts: for each function with external
 *   linkage the calls it makes, the locks it returns holding and the constants it returns, and the
 *   IRQL at which it calls functions of other files.
 * Linting a file merges the other files' summaries into its ForeignFacts. Editing one file
 * recomputes only its own summaries; the others' function facts are recomputed when the roles
 * they were read with change. A caller two files away (a → b → c) is seen one hop at a time: the
 * IRQL c gets from a passes through b's summary only as far as b's own entry estimate.
 */
import { FileContext } from './context';
import { hashText } from './analysis/model';
import type { ForeignFacts, ForeignFunction } from './analysis/foreign';
import type { IrqlEstimate, IrqlReason } from './analysis/irqlTypes';
import type { Loc } from './analysis/model';
import { paramsOnlyRead } from './analysis/paramReads';
import { classesOf, mayDefineDestructor, methodMembers, type ClassMembers, type MethodMembers } from './analysis/raii';
import { MergedOwnFacts, ownFacts, type OthersView, type OwnFacts } from './projectFacts';
import { HOST_PATHS, type PathRules } from '../files';
import { includedNames, readDefines, type Defines } from './frontend/macros';
import { LintDocument, lintLanguageOf } from './linter';
import type { LintOptions, LintResult } from './types';

interface FunctionFacts {
  key: string;
  /** The text and the other files' digest the facts were read with (compared before hashing). */
  text: string;
  othersDigest: string;
  functions: Map<string, ForeignFunction>;
  /** IRQL at this file's calls to names it does not define. */
  outgoing: Map<string, IrqlEstimate>;
}

interface Member {
  text?: string;
  own?: OwnFacts;
  ownText?: string;
  /** The macros key the own facts were read with. */
  ownMacros?: string;
  /** The defines of the headers this member's text includes (cached with the text and the headers' generation). */
  includes?: { text: string; generation: number; defines: Defines[]; files: string[]; classes?: HeaderClasses };
  /** This member's view of the others, for the merge it was taken from. */
  view?: { merged: MergedOwnFacts; view: OthersView };
  facts?: FunctionFacts;
  /** Parses the member for the summaries (the linted document of an open file is separate). */
  doc?: LintDocument;
}

const tag = (loc: Loc, file: string): Loc => (loc.file !== undefined ? loc : { ...loc, file });

function tagReason(r: IrqlReason | undefined, file: string): IrqlReason | undefined {
  if (!r) return r;
  if (r.k === 'call') return { ...r, site: tag(r.site, file), via: tagReason(r.via, file)! };
  if (r.k === 'lock') return { ...r, site: tag(r.site, file) };
  return r;
}

/** The parameters a function only reads through, memoised with its text. */
function readsOnlyOf(ctx: FileContext, name: string): readonly number[] | undefined {
  const entry = ctx.model.entry(name);
  if (!entry) return undefined;
  if (!entry.memo.has('readsOnly')) {
    const ir = ctx.model.ir(name);
    entry.memo.set('readsOnly', ir ? paramsOnlyRead(ir) : undefined);
  }
  return entry.memo.get('readsOnly') as readonly number[] | undefined;
}

/** A constructor's or destructor's member facts (raii.ts), memoised with its text. */
function membersOf(ctx: FileContext, name: string): MethodMembers | undefined {
  const entry = ctx.model.entry(name);
  const fn = ctx.model.functions.peek(name);
  if (!entry || !fn) return undefined;
  if (!entry.memo.has('members')) entry.memo.set('members', methodMembers(fn.qualified, ctx.model.ir(name)));
  return entry.memo.get('members') as MethodMembers | undefined;
}

/** Identifies a list of header defines (a cache key part). */
function macrosKey(headers: readonly Defines[]): string {
  return headers.map((h) => h.digest).join(',');
}

export interface ProjectFilesReader {
  /** The current text of a member or header (an editor's open document, or the file on disk). */
  read(path: string): string | undefined;
}

export interface ProjectLintOptions {
  /** Folders searched for included headers after the including file's own (the project's include path). */
  includeDirs?: readonly string[];
  paths?: PathRules;
}

/** A header of the project, read for its `#define`s (statement macros) and its own includes. */
interface Header {
  text: string | undefined;
  defines: Defines;
  names: string[];
  /** Its C++ classes with both a constructor and a destructor (read on first need). */
  classes?: Map<string, ClassMembers>;
}

/** The classes of the headers a member includes, with a digest for cache keys. */
interface HeaderClasses {
  map: ReadonlyMap<string, ClassMembers>;
  digest: string;
}

const NO_CLASSES: HeaderClasses = { map: new Map(), digest: '' };

/** A header's classes: parsed only when it defines a destructor in place. */
function headerClasses(h: Header): Map<string, ClassMembers> {
  if (h.classes) return h.classes;
  if (h.text === undefined || !mayDefineDestructor(h.text)) return (h.classes = new Map());
  const doc = new LintDocument({}, true, 'cpp');
  try {
    const model = doc.analyze(h.text).model;
    h.classes = classesOf(model.functionList.map((f) => ({ qualified: f.qualified, ir: () => model.ir(f.name) })));
  } finally {
    doc.dispose();
  }
  return h.classes;
}

/** Adds the included headers' classes to what the other files tell a member's analysis. */
function withClasses(foreign: ForeignFacts, classes: HeaderClasses): ForeignFacts {
  return classes.map.size === 0 ? foreign : { ...foreign, classes: classes.map, digest: hashText(`${foreign.digest}|${classes.digest}`) };
}

/** How deep includes are followed from a member: deeper headers are the WDK's or a library's. */
const MAX_INCLUDE_DEPTH = 8;

/** One driver project's files, linted together. Paths are absolute; `members` may change later. */
export class ProjectLint {
  private readonly members = new Map<string, Member>();
  /** The member being linted, whose own summary is the one recorded by its previous lint. */
  private linting: string | undefined;
  /** The last ForeignFacts per file, reused while the summaries it was merged from are the same. */
  private readonly foreignCache = new Map<string, { key: string; facts: ForeignFacts }>();
  private mergedCache: { key: string; merged: MergedOwnFacts } | undefined;
  /** How many times a member's function facts were computed (tests and benchmarks read it). */
  summaryRuns = 0;

  /** Headers by path, read once until `changed` names them. */
  private readonly headers = new Map<string, Header>();
  /** `dir|name` → the header path it resolves to (null: not a file of the project). */
  private readonly resolved = new Map<string, string | null>();
  private readonly paths: PathRules;
  /** Counts header changes: the members' cached header defines are read again after one. */
  private headerGeneration = 0;
  private memberDirs: string[] | undefined;

  constructor(private readonly reader: ProjectFilesReader, members: readonly string[], private readonly options: ProjectLintOptions = {}) {
    this.paths = options.paths ?? HOST_PATHS;
    this.setMembers(members);
  }

  get files(): string[] {
    return [...this.members.keys()];
  }

  has(path: string): boolean {
    return this.members.has(path);
  }

  setMembers(paths: readonly string[]): void {
    const keep = new Set(paths);
    for (const [p, m] of this.members) if (!keep.has(p)) { m.doc?.dispose(); this.members.delete(p); }
    this.foreignCache.clear();
    this.memberDirs = undefined;
    this.resolved.clear();
    for (const p of paths) if (!this.members.has(p)) this.members.set(p, {});
  }

  /** A member's or a header's text changed (or may have: call with no text to re-read it). */
  changed(path: string): void {
    const m = this.members.get(path);
    if (m) m.text = undefined;
    if (this.headers.delete(path)) {
      this.resolved.clear();
      this.headerGeneration++;
    }
  }

  private header(path: string): Header {
    let h = this.headers.get(path);
    if (!h) {
      let text: string | undefined;
      // A header is looked for in several folders: a reader may throw for a path that is not there.
      try { text = this.reader.read(path); } catch { text = undefined; }
      h = { text, defines: text === undefined ? readDefines('') : readDefines(text, path), names: text === undefined ? [] : includedNames(text) };
      this.headers.set(path, h);
    }
    return h;
  }

  /** The file an `#include` names, from `dir`: that folder, then the include path, then the members' folders. */
  private resolve(dir: string, name: string): string | undefined {
    const key = `${dir}|${name}`;
    let hit = this.resolved.get(key);
    if (hit === undefined) {
      hit = null;
      this.memberDirs ??= [...new Set([...this.members.keys()].map((p) => this.paths.dirname(p)))];
      for (const d of [dir, ...(this.options.includeDirs ?? []), ...this.memberDirs]) {
        const candidate = this.paths.resolve(d, name);
        if (this.members.has(candidate)) continue;
        if (this.header(candidate).text !== undefined) { hit = candidate; break; }
        this.headers.delete(candidate);
      }
      this.resolved.set(key, hit);
    }
    return hit ?? undefined;
  }

  /**
   * The `#define`s of the project headers `path` includes, directly or through other headers, in
   * the order a preprocessor meets them: their jumping statement macros are expanded in its code.
   */
  private headerDefines(path: string, text: string, m: Member | undefined = this.members.get(path)): Defines[] {
    if (m?.includes && m.includes.text === text && m.includes.generation === this.headerGeneration) return m.includes.defines;
    const names = includedNames(text);
    const out: Defines[] = [];
    const seen = new Set<string>();
    const visit = (dir: string, list: string[], depth: number) => {
      for (const name of list) {
        const file = this.resolve(dir, name);
        if (!file || seen.has(file)) continue;
        seen.add(file);
        const h = this.header(file);
        if (h.defines.macros.length > 0) out.push(h.defines);
        if (depth < MAX_INCLUDE_DEPTH) visit(this.paths.dirname(file), h.names, depth + 1);
      }
    };
    visit(this.paths.dirname(path), names, 0);
    if (m) m.includes = { text, generation: this.headerGeneration, defines: out, files: [...seen] };
    return out;
  }

  /** The C++ classes (constructor and destructor) of the project headers `path` includes. */
  private classesFor(path: string, text: string): HeaderClasses {
    const m = this.members.get(path);
    this.headerDefines(path, text, m);
    if (!m?.includes) return NO_CLASSES;
    if (m.includes.classes) return m.includes.classes;
    const map = new Map<string, ClassMembers>();
    for (const file of m.includes.files) for (const [name, c] of headerClasses(this.header(file))) if (!map.has(name)) map.set(name, c);
    m.includes.classes = map.size === 0 ? NO_CLASSES : { map, digest: hashText(JSON.stringify([...map])) };
    return m.includes.classes;
  }

  dispose(): void {
    for (const m of this.members.values()) m.doc?.dispose();
    this.members.clear();
  }

  private textOf(path: string, m: Member): string | undefined {
    m.text ??= this.reader.read(path);
    return m.text;
  }

  private own(path: string, m: Member): OwnFacts | undefined {
    // The file being linted: its summary from the last lint stands in until this one records its own.
    if (path === this.linting && m.own) return m.own;
    const text = this.textOf(path, m);
    if (text === undefined) return undefined;
    const headers = this.headerDefines(path, text, m);
    const macros = macrosKey(headers);
    if (m.own && m.ownText === text && m.ownMacros === macros) return m.own;
    m.doc ??= new LintDocument({}, true, lintLanguageOf(path));
    m.own = ownFacts(m.doc.analyze(text, undefined, headers), path);
    m.ownText = text;
    m.ownMacros = macros;
    return m.own;
  }

  /**
   * Records what a lint of `path` itself found, so its own facts need no second parse. True when
   * they differ from before (the other files' summaries that were read with the old ones are stale).
   */
  private recordOwn(path: string, text: string, ctx: FileContext | undefined): boolean {
    const m = this.members.get(path);
    if (!m || !ctx) return false;
    const before = m.own?.digest;
    m.text = text;
    m.own = ownFacts(ctx, path);
    m.ownText = text;
    m.ownMacros = macrosKey(this.headerDefines(path, text, m));
    return before !== undefined && before !== m.own.digest;
  }

  private facts(path: string, m: Member, merged: MergedOwnFacts): FunctionFacts | undefined {
    const text = this.textOf(path, m);
    const own = this.own(path, m);
    if (text === undefined || !own) return undefined;
    if (m.view?.merged !== merged) m.view = { merged, view: merged.viewFor(path) };
    const view = m.view.view;
    const headers = this.headerDefines(path, text, m);
    const othersDigest = `${view.digest}|${macrosKey(headers)}`;
    if (m.facts && m.facts.text === text && m.facts.othersDigest === othersDigest) return m.facts;
    const key = `${hashText(text)}|${othersDigest}`;
    const foreign: ForeignFacts = { ...view.facts, digest: view.digest, functions: new Map(), entries: new Map() };
    this.summaryRuns++;
    m.doc ??= new LintDocument({}, true, lintLanguageOf(path));
    const ctx = m.doc.analyze(text, foreign, headers);
    const functions = new Map<string, ForeignFunction>();
    for (const name of own.exported) {
      functions.set(name, {
        file: path,
        calls: ctx.irql.callsTransitively(name),
        lock: ctx.irql.summary(name) ?? { net: [], releasesForeign: 0 },
        returns: ctx.returnsOf(name),
        readsOnly: readsOnlyOf(ctx, name),
        members: membersOf(ctx, name),
      });
    }
    const outgoing = new Map<string, IrqlEstimate>();
    for (const [name, e] of ctx.irql.outgoing()) if (view.exportedElsewhere(name)) outgoing.set(name, { level: e.level, reason: tagReason(e.reason, path) });
    m.facts = { key, text, othersDigest, functions, outgoing };
    return m.facts;
  }

  /**
   * Every member's own facts merged, rebuilt only when one of them changed (one pass over the
   * project; each file's view of the others is taken from it).
   */
  private merged(): MergedOwnFacts {
    const members: [string, OwnFacts][] = [];
    const parts: string[] = [];
    for (const [p, m] of this.members) {
      const own = this.own(p, m);
      if (!own) continue;
      members.push([p, own]);
      parts.push(`${p}=${own.digest}`);
    }
    const key = parts.join('\n');
    if (this.mergedCache?.key !== key) this.mergedCache = { key, merged: new MergedOwnFacts(members) };
    return this.mergedCache.merged;
  }

  /** What the other files of the project tell the analysis of `path`. */
  foreignFor(path: string): ForeignFacts {
    const merged = this.merged();
    const view = merged.viewFor(path);
    const parts: string[] = [view.digest];
    for (const [p, m] of this.members) {
      if (p === path || !m.own) continue;
      parts.push(`${p}=${m.own.anchorsDigest}/${this.facts(p, m, merged)?.key ?? ''}`);
    }
    const cacheKey = parts.join('\n');
    const hit = this.foreignCache.get(path);
    if (hit && hit.key === cacheKey) return hit.facts;
    const functions = new Map<string, ForeignFunction>();
    const entries = new Map<string, IrqlEstimate>();
    for (const [p, m] of this.members) {
      if (p === path) continue;
      const f = m.own ? this.facts(p, m, merged) : undefined;
      if (!f) continue;
      for (const [name, fn] of f.functions) if (!functions.has(name)) functions.set(name, fn);
      for (const [name, e] of f.outgoing) {
        const cur = entries.get(name);
        if (!cur || e.level > cur.level) entries.set(name, e);
      }
    }
    const facts: ForeignFacts = { ...view.facts, digest: hashText(cacheKey), functions, entries };
    this.foreignCache.set(path, { key: cacheKey, facts });
    return facts;
  }

  /**
   * Lints one member in the project's context. `doc` is the caller's document for incremental
   * re-lints (an editor's); without one a fresh document is used and freed.
   */
  lint(path: string, text: string, options: LintOptions = {}, doc?: LintDocument): LintResult {
    const own = doc ?? new LintDocument(options, false, lintLanguageOf(path));
    this.linting = this.members.get(path)?.own ? path : undefined;
    try {
      own.setOptions(options);
      const headers = this.headerDefines(path, text);
      const classes = this.classesFor(path, text);
      const foreign = withClasses(this.foreignFor(path), classes);
      let result = own.update(text, foreign, headers);
      this.linting = undefined;
      // The edit changed what this file tells the others (a registration, a queue, a callback):
      // their summaries are read again with it, and the file once more with theirs.
      if (this.recordOwn(path, text, own.context)) {
        const again = withClasses(this.foreignFor(path), classes);
        if (again.digest !== foreign.digest) {
          result = own.update(text, again, headers);
          this.recordOwn(path, text, own.context);
        }
      }
      return result;
    } finally {
      this.linting = undefined;
      if (!doc) own.dispose();
    }
  }
}
