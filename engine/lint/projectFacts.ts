/**
 * The own facts of each file of a driver project (read from the file alone) and their merge, from
 * which every file gets the part that concerns it.
 *
 * The merge is built once per state of the project (one pass over the files), not once per file:
 * a file's view of "the others" is the merge minus its own contribution. Each view also has a
 * digest of only what that file's analysis reads from it: the roles given to the functions it
 * defines, whether the others call those functions, the queues and registration, and which of the
 * names it calls are exported elsewhere. An edit that adds a call or a role in one file then
 * invalidates the summaries of the files it concerns, not of the whole project (a 240-file driver
 * re-analysed every file on such an edit).
 */
import type { FileContext } from './context';
import { hashText, type Loc } from './analysis/model';
import type { ForeignFacts, ForeignRegistration } from './analysis/foreign';
import type { CbdqInfo, Role } from './analysis/roleTypes';
import { registrationCallback } from './analysis/registration';
import { namesSameFunction, unqualified } from './analysis/qualifiedNames';

export interface OwnFacts {
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
  /** Every function defined here (first definitions), static ones included. */
  defined: Set<string>;
  /** Every name a function here calls. */
  calls: Set<string>;
  /** C++: the qualified name of each function defined here whose key is shorter (`Init` → `Lock::Init`). */
  qualified: Map<string, string>;
}

/**
 * Names other than a file's own functions that an analysis may ask `ForeignFacts.calls` about. The
 * view's digest covers these and the file's own functions only: a rule that asks about another
 * name must add it here, or its findings would not follow edits of the other files.
 */
export const FOREIGN_CALL_QUERIES: readonly string[] = ['FltCbdqInsertIo'];

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

/** A function definition's head says `static`: internal linkage, invisible to the other files. */
function isStaticDefinition(text: string): boolean {
  const head = text.slice(0, Math.max(0, text.indexOf('(')));
  return /(^|\s)static\s/.test(head);
}

export function ownFacts(ctx: FileContext, file: string): OwnFacts {
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
  const defined = new Set(model.functionList.map((f) => f.name));
  const calls = new Set<string>();
  for (const f of model.functionList) for (const n of f.facts.callNames) calls.add(n);
  const qualified = new Map<string, string>();
  for (const f of model.functionList) if (f.qualified !== f.name) qualified.set(f.name, f.qualified);
  const digest = hashText(JSON.stringify([[...roles], cbdqs, registration, total, withPost, [...exported].sort(), [...calls].sort(), [...qualified]]));
  const anchorsDigest = hashText(JSON.stringify([...anchors]));
  return { digest, roles, cbdqs, registration, operationRows: { total, withPost }, anchors, anchorsDigest, exported, defined, calls, qualified };
}

/** `calls` of one file's view: names some other file calls, answered from the project's counts. */
class OthersCalls implements ReadonlySet<string> {
  private list: Set<string> | undefined;

  constructor(private readonly callers: ReadonlyMap<string, number>, private readonly own: ReadonlySet<string> | undefined) {}

  has(name: string): boolean {
    return (this.callers.get(name) ?? 0) - (this.own?.has(name) ? 1 : 0) > 0;
  }

  private all(): Set<string> {
    if (!this.list) {
      this.list = new Set();
      for (const name of this.callers.keys()) if (this.has(name)) this.list.add(name);
    }
    return this.list;
  }

  get size(): number { return this.all().size; }
  forEach(cb: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void { for (const v of this.all()) cb.call(thisArg, v, v, this); }
  entries(): IterableIterator<[string, string]> { return this.all().entries(); }
  keys(): IterableIterator<string> { return this.all().keys(); }
  values(): IterableIterator<string> { return this.all().values(); }
  [Symbol.iterator](): IterableIterator<string> { return this.all().values(); }
}

/** What one file sees of the others: the ForeignFacts fields read from own facts, and their digest. */
export interface OthersView {
  facts: Omit<ForeignFacts, 'digest' | 'functions' | 'entries'>;
  /** Covers what this file's analysis reads from `facts`, and nothing else. */
  digest: string;
  /** A name some other file defines with external linkage. */
  exportedElsewhere(name: string): boolean;
}

/** The own facts of every member merged once, in member order. */
export class MergedOwnFacts {
  private readonly roles = new Map<string, { file: string; role: Role }[]>();
  /** Qualified names roles are given to (`Class::Method` in a registration), by their last name. */
  private readonly qualifiedRoleNames = new Map<string, string[]>();
  private readonly cbdqs: CbdqInfo[] = [];
  private readonly cbdqStart = new Map<string, number>();
  private readonly callers = new Map<string, number>();
  private readonly exporters = new Map<string, number>();
  private readonly registrations: ForeignRegistration[] = [];
  private readonly operationRows = { total: 0, withPost: 0 };
  private readonly anchors = new Map<string, ReadonlyMap<string, number>>();
  private readonly own = new Map<string, OwnFacts>();

  constructor(members: readonly [string, OwnFacts][]) {
    for (const [file, own] of members) {
      this.own.set(file, own);
      const shift = this.cbdqs.length;
      this.cbdqStart.set(file, shift);
      this.cbdqs.push(...own.cbdqs);
      for (const [name, rs] of own.roles) {
        let list = this.roles.get(name);
        if (!list) {
          this.roles.set(name, (list = []));
          if (name.includes('::')) {
            const last = unqualified(name);
            this.qualifiedRoleNames.set(last, [...(this.qualifiedRoleNames.get(last) ?? []), name]);
          }
        }
        for (const r of rs) list.push({ file, role: r.k === 'cbdq' && r.queue >= 0 ? { ...r, queue: r.queue + shift } : r });
      }
      if (own.registration) this.registrations.push(own.registration);
      this.operationRows.total += own.operationRows.total;
      this.operationRows.withPost += own.operationRows.withPost;
      this.anchors.set(file, own.anchors);
      for (const n of own.calls) this.callers.set(n, (this.callers.get(n) ?? 0) + 1);
      for (const n of own.exported) this.exporters.set(n, (this.exporters.get(n) ?? 0) + 1);
    }
  }

  /** The others of `file` (a member or not), as the old per-file merge gave them. */
  viewFor(file: string): OthersView {
    const own = this.own.get(file);
    const start = this.cbdqStart.get(file) ?? this.cbdqs.length;
    const count = own?.cbdqs.length ?? 0;
    const cbdqs = count === 0 ? this.cbdqs : [...this.cbdqs.slice(0, start), ...this.cbdqs.slice(start + count)];
    // A queue index past this file's queues moves down by their number.
    const queue = (g: number) => (g >= start + count ? g - count : g);
    const roles = new Map<string, Role[]>();
    for (const name of own?.defined ?? []) {
      let list = this.roles.get(name) ?? [];
      // A role given to `Class::Method` elsewhere reaches the definition it names here.
      const q = own?.qualified.get(name) ?? name;
      for (const ref of this.qualifiedRoleNames.get(unqualified(name)) ?? []) if (ref !== name && namesSameFunction(q, ref)) list = [...list, ...this.roles.get(ref)!];
      if (list.length === 0) continue;
      const rs = list.filter((e) => e.file !== file).map((e) => (e.role.k === 'cbdq' && e.role.queue >= 0 ? { ...e.role, queue: queue(e.role.queue) } : e.role));
      if (rs.length > 0) roles.set(name, rs);
    }
    const registration = this.registrations.find((r) => r.file !== file);
    const operationRows = {
      total: this.operationRows.total - (own?.operationRows.total ?? 0),
      withPost: this.operationRows.withPost - (own?.operationRows.withPost ?? 0),
    };
    const calls = new OthersCalls(this.callers, own?.calls);
    const exportedElsewhere = (name: string) => (this.exporters.get(name) ?? 0) - (own?.exported.has(name) ? 1 : 0) > 0;
    const asked = [...(own?.defined ?? []), ...FOREIGN_CALL_QUERIES].filter((n) => calls.has(n)).sort();
    const elsewhere = [...(own?.calls ?? [])].filter(exportedElsewhere).sort();
    const digest = hashText(JSON.stringify([[...roles].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), cbdqs, registration, operationRows, asked, elsewhere]));
    return {
      facts: { roles, cbdqs, registration, operationRows, anchors: this.anchors, calls },
      digest,
      exportedElsewhere,
    };
  }
}
