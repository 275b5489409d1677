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
import type { ForeignFacts, ForeignFunction, ForeignRegistration } from './analysis/foreign';
import type { IrqlEstimate, IrqlReason } from './analysis/irqlTypes';
import type { CbdqInfo, Role } from './analysis/roleTypes';
import { registrationCallback } from './analysis/registration';
import type { Loc } from './analysis/model';
import { LintDocument, lintLanguageOf } from './linter';
import type { LintOptions, LintResult } from './types';

interface OwnFacts {
  digest: string;
  /** Roles this file gives to names it does not define; cbdq roles index `cbdqs`. */
  roles: Map<string, Role[]>;
  cbdqs: CbdqInfo[];
  registration?: ForeignRegistration;
  operationRows: { total: number; withPost: number };
  anchors: Map<string, number>;
  anchorsDigest: string;
  /** Functions defined here with external linkage. */
  exported: Set<string>;
  /** Every name a function here calls. */
  calls: Set<string>;
}

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
  facts?: FunctionFacts;
  /** Parses the member for the summaries (the linted document of an open file is separate). */
  doc?: LintDocument;
}

const tag = (loc: Loc, file: string): Loc => (loc.file !== undefined ? loc : { ...loc, file });

function tagRole(r: Role, file: string): Role {
  switch (r.k) {
    case 'preop': return { ...r, rows: r.rows.map((l) => tag(l, file)) };
    case 'postop': return { ...r, rows: r.rows.map((l) => tag(l, file)) };
    case 'worker': case 'safepost': case 'dpc': case 'thread': case 'completion': return { ...r, site: tag(r.site, file) };
    case 'cbdq': return r.site ? { ...r, site: tag(r.site, file) } : r;
    default: return r;
  }
}

function tagReason(r: IrqlReason | undefined, file: string): IrqlReason | undefined {
  if (!r) return r;
  if (r.k === 'call') return { ...r, site: tag(r.site, file), via: tagReason(r.via, file)! };
  if (r.k === 'lock') return { ...r, site: tag(r.site, file) };
  return r;
}

/** A function definition's head says `static`: internal linkage, invisible to the other files. */
function isStaticDefinition(text: string): boolean {
  const head = text.slice(0, Math.max(0, text.indexOf('(')));
  return /(^|\s)static\s/.test(head);
}

function ownFacts(ctx: FileContext, file: string): OwnFacts {
  const model = ctx.model;
  const roles = new Map<string, Role[]>();
  const cbdqs = ctx.roles.cbdqs.filter((q) => q.site.file === undefined).map((q) => ({ ...q, site: tag(q.site, file) }));
  for (const [name, rs] of ctx.roles.roles) {
    if (model.functions.has(name)) continue;
    const local = rs.filter((r) => !(r.k === 'cbdq' && r.queue >= cbdqs.length)).map((r) => tagRole(r, file));
    if (local.length > 0) roles.set(name, local);
  }
  const reg = model.registrations[0];
  const registration = reg ? { file, unload: registrationCallback(reg, 'FilterUnloadCallback'), teardownStart: registrationCallback(reg, 'InstanceTeardownStartCallback') } : undefined;
  let total = 0;
  let withPost = 0;
  for (const t of model.operationTables.values()) for (const row of t.rows) if (!row.isEnd) { total++; if (!row.postIsNull) withPost++; }
  const anchors = new Map<string, number>();
  for (const f of model.functionList) anchors.set(`fn:${f.name}`, f.startRow);
  for (const d of model.declarations.values()) anchors.set(`decl:${d.name}`, d.startRow);
  const exported = new Set(model.functionList.filter((f) => !isStaticDefinition(f.text)).map((f) => f.name));
  const calls = new Set<string>();
  for (const f of model.functionList) for (const n of f.facts.callNames) calls.add(n);
  const digest = hashText(JSON.stringify([[...roles], cbdqs, registration, total, withPost, [...exported].sort(), [...calls].sort()]));
  const anchorsDigest = hashText(JSON.stringify([...anchors]));
  return { digest, roles, cbdqs, registration, operationRows: { total, withPost }, anchors, anchorsDigest, exported, calls };
}

/** Merges the own facts of `others` into ForeignFacts (functions and entries filled in by the caller). */
function mergeOwn(others: [string, OwnFacts][]): Omit<ForeignFacts, 'digest' | 'functions' | 'entries'> & { ownDigest: string } {
  const roles = new Map<string, Role[]>();
  const calls = new Set<string>();
  const cbdqs: CbdqInfo[] = [];
  let registration: ForeignRegistration | undefined;
  const operationRows = { total: 0, withPost: 0 };
  const anchors = new Map<string, ReadonlyMap<string, number>>();
  const digests: string[] = [];
  for (const [file, own] of others) {
    const shift = cbdqs.length;
    cbdqs.push(...own.cbdqs);
    for (const [name, rs] of own.roles) {
      const list = roles.get(name) ?? [];
      for (const r of rs) list.push(r.k === 'cbdq' && r.queue >= 0 ? { ...r, queue: r.queue + shift } : r);
      roles.set(name, list);
    }
    registration ??= own.registration;
    operationRows.total += own.operationRows.total;
    operationRows.withPost += own.operationRows.withPost;
    anchors.set(file, own.anchors);
    for (const n of own.calls) calls.add(n);
    digests.push(`${file}=${own.digest}`);
  }
  return { roles, cbdqs, registration, operationRows, anchors, calls, ownDigest: hashText(digests.join('\n')) };
}

export interface ProjectFilesReader {
  /** The current text of a member (an editor's open document, or the file on disk). */
  read(path: string): string | undefined;
}

/** One driver project's files, linted together. Paths are absolute; `members` may change later. */
export class ProjectLint {
  private readonly members = new Map<string, Member>();
  /** The member being linted, whose own summary is the one recorded by its previous lint. */
  private linting: string | undefined;
  /** The last ForeignFacts per file, reused while the summaries it was merged from are the same. */
  private readonly foreignCache = new Map<string, { key: string; facts: ForeignFacts }>();

  constructor(private readonly reader: ProjectFilesReader, members: readonly string[]) {
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
    for (const p of paths) if (!this.members.has(p)) this.members.set(p, {});
  }

  /** A member's text changed (or may have: call with no text to re-read it). */
  changed(path: string): void {
    const m = this.members.get(path);
    if (m) m.text = undefined;
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
    if (m.own && m.ownText === text) return m.own;
    m.doc ??= new LintDocument({}, true, lintLanguageOf(path));
    m.own = ownFacts(m.doc.analyze(text), path);
    m.ownText = text;
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
    return before !== undefined && before !== m.own.digest;
  }

  private facts(path: string, m: Member): FunctionFacts | undefined {
    const text = this.textOf(path, m);
    const own = this.own(path, m);
    if (text === undefined || !own) return undefined;
    const others = this.ownOfOthers(path);
    const othersDigest = others.map(([p, o]) => `${p}=${o.digest}`).join('\n');
    if (m.facts && m.facts.text === text && m.facts.othersDigest === othersDigest) return m.facts;
    const merged = mergeOwn(others);
    const key = `${hashText(text)}|${merged.ownDigest}`;
    const exportedElsewhere = new Set(others.flatMap(([, o]) => [...o.exported]));
    const foreign: ForeignFacts = { ...merged, digest: merged.ownDigest, functions: new Map(), entries: new Map() };
    m.doc ??= new LintDocument({}, true, lintLanguageOf(path));
    const ctx = m.doc.analyze(text, foreign);
    const functions = new Map<string, ForeignFunction>();
    for (const name of own.exported) {
      functions.set(name, {
        file: path,
        calls: ctx.irql.callsTransitively(name),
        lock: ctx.irql.summary(name) ?? { net: [], releasesForeign: 0 },
        returns: ctx.returnsOf(name),
      });
    }
    const outgoing = new Map<string, IrqlEstimate>();
    for (const [name, e] of ctx.irql.outgoing()) if (exportedElsewhere.has(name)) outgoing.set(name, { level: e.level, reason: tagReason(e.reason, path) });
    m.facts = { key, text, othersDigest, functions, outgoing };
    return m.facts;
  }

  private ownOfOthers(path: string): [string, OwnFacts][] {
    const out: [string, OwnFacts][] = [];
    for (const [p, m] of this.members) {
      if (p === path) continue;
      const own = this.own(p, m);
      if (own) out.push([p, own]);
    }
    return out;
  }

  /** What the other files of the project tell the analysis of `path`. */
  foreignFor(path: string): ForeignFacts {
    const others = this.ownOfOthers(path);
    const parts: string[] = [];
    for (const [p, own] of others) parts.push(`${p}=${own.digest}/${own.anchorsDigest}/${this.facts(p, this.members.get(p)!)?.key ?? ''}`);
    const cacheKey = parts.join('\n');
    const hit = this.foreignCache.get(path);
    if (hit && hit.key === cacheKey) return hit.facts;
    const merged = mergeOwn(others);
    const functions = new Map<string, ForeignFunction>();
    const entries = new Map<string, IrqlEstimate>();
    const digests: string[] = [merged.ownDigest];
    for (const [p] of others) {
      const m = this.members.get(p)!;
      const f = this.facts(p, m);
      if (!f) continue;
      digests.push(f.key);
      for (const [name, fn] of f.functions) if (!functions.has(name)) functions.set(name, fn);
      for (const [name, e] of f.outgoing) {
        const cur = entries.get(name);
        if (!cur || e.level > cur.level) entries.set(name, e);
      }
      digests.push(this.members.get(p)!.own?.anchorsDigest ?? '');
    }
    const facts: ForeignFacts = { ...merged, digest: hashText(digests.join('|')), functions, entries };
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
      const foreign = this.foreignFor(path);
      let result = own.update(text, foreign);
      this.linting = undefined;
      // The edit changed what this file tells the others (a registration, a queue, a callback):
      // their summaries are read again with it, and the file once more with theirs.
      if (this.recordOwn(path, text, own.context)) {
        const again = this.foreignFor(path);
        if (again.digest !== foreign.digest) {
          result = own.update(text, again);
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
