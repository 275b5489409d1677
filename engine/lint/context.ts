/**
 * What a rule's check receives: the file (model, roles, IRQL estimate) and, for function rules, one
 * function with its IR, CFG, aliases and constant tracker, all computed lazily and cached by text.
 */
import { Irql } from '../kernel/irql';
import type { CallExpr, FunctionIR, Span } from './frontend/ir';
import { idName, pathOf, strip, visitExpr, type Aliases } from './frontend/exprs';
import { forEachExpr } from './frontend/walk';
import { buildCfg, type Cfg } from './analysis/cfg';
import type { FileModel, FunctionEntry, Loc } from './analysis/model';
import type { Role, RoleMap } from './analysis/roleTypes';
import { NO_FOREIGN_FACTS, type ForeignFacts } from './analysis/foreign';
import type { ReadId, Recorded } from './analysis/reads';
import { IrqlModel } from './analysis/irql';
import type { IrqlEstimate } from './analysis/irqlTypes';
import { CALL_PREFIX, ValueTracker } from './analysis/values';
import { returnedConstants } from './analysis/returns';
import { liveVariables } from './analysis/liveness';
import { helperUnsafeCalls, postopUnsafeCalls } from './analysis/postopPaths';
import { preopReturnsByCode } from './analysis/controlCodes';
import type { FileFacts, FunctionFacts, ReturnsByCode } from './analysis/functionFacts';

export class FileContext implements FileFacts {
  readonly irql: IrqlModel;
  private readonly fnContexts = new Map<string, FunctionContext | null>();

  constructor(readonly model: FileModel, readonly roles: RoleMap, readonly foreign: ForeignFacts = NO_FOREIGN_FACTS) {
    this.irql = new IrqlModel(model, roles, (n) => this.cfgOf(n), (n) => this.postopSafety(n), (n) => this.postopUnsafeCalls(n), foreign);
  }

  /** Whether `name` is a function of the driver: defined here or, with external linkage, in another file. */
  knows(name: string): boolean {
    return this.irql.knows(name);
  }

  rolesOf(name: string): readonly Role[] {
    return this.roles.roles.get(name) ?? [];
  }

  private memo<T>(name: string, key: string, make: (ir: FunctionIR) => T): T | undefined {
    const entry: FunctionEntry | undefined = this.model.entry(name);
    if (!entry) return undefined;
    if (entry.memo.has(key)) return entry.memo.get(key) as T | undefined;
    const ir = this.model.ir(name);
    const value = ir ? make(ir) : undefined;
    entry.memo.set(key, value);
    return value;
  }

  cfgOf(name: string): Cfg | undefined {
    return this.memo(name, 'cfg', (ir) => buildCfg(ir));
  }

  /**
   * The constants a function returns (`FLT_PREOP_SYNCHRONIZE`, …), following returns of the file's
   * own helpers; `?` in the set means some path returns a value that could not be told.
   */
  returnsOf(name: string, seen: Set<string> = new Set()): ReadonlySet<string> | undefined {
    const raw = this.memo(name, `returns|${this.model.sharedTargetsKey(name)}`, (ir) => (ir.hasError ? new Set(['?']) : returnedConstants(ir, this.cfgOf(name)!, (c) => this.model.callTargetOf(name, c))));
    if (!raw) return undefined;
    if (![...raw].some((v) => v.startsWith(CALL_PREFIX))) return raw;
    seen.add(name);
    const out = new Set<string>();
    for (const v of raw) {
      if (!v.startsWith(CALL_PREFIX)) { out.add(v); continue; }
      const callee = v.slice(CALL_PREFIX.length);
      const inner = seen.has(callee) ? undefined : this.model.functions.has(callee) ? this.returnsOf(callee, seen) : this.foreign.functions.get(callee)?.returns;
      if (!inner) out.add('?');
      else for (const x of inner) out.add(x);
    }
    return out;
  }

  /**
   * Whether a post-op runs at IRQL <= APC_LEVEL (flt-rules.md section 3): `safe` for post-create and
   * for post-ops whose pre-ops ask for a callback only with FLT_PREOP_SYNCHRONIZE; `unsafe` when a
   * pre-op returns FLT_PREOP_SUCCESS_WITH_CALLBACK or pends, or the row has no pre-op; `unknown`
   * when the registration or a returned value is out of sight.
   */
  postopSafety(name: string): 'safe' | 'unsafe' | 'unknown' {
    const role = this.rolesOf(name).find((r) => r.k === 'postop');
    if (!role || role.k !== 'postop' || !role.majors || role.majors.length === 0) return 'unknown';
    if (role.majors.every((m) => m === 'IRP_MJ_CREATE')) return 'safe';
    let unknown = false;
    for (const pre of role.preOps) {
      if (!pre) return 'unsafe';
      const rets = this.model.functions.has(pre) ? this.returnsOf(pre) : this.foreign.functions.get(pre)?.returns;
      if (!rets) { unknown = true; continue; }
      if (rets.has('FLT_PREOP_SUCCESS_WITH_CALLBACK') || rets.has('FLT_PREOP_PENDING')) return 'unsafe';
      if (rets.has('?')) unknown = true;
    }
    return unknown ? 'unknown' : 'safe';
  }

  /** What a driver function (here or in another file of the project) returns, if known. */
  callReturns(name: string): ReadonlySet<string> | undefined {
    return this.model.functions.has(name) ? this.returnsOf(name) : this.foreign.functions.get(name)?.returns;
  }

  postopIsSafe(name: string): boolean {
    return this.postopSafety(name) === 'safe';
  }

  private readonly unsafeCalls = new Map<string, Recorded<Set<string> | undefined>>();

  /**
   * Call keys of a post-op reached while it may be at DISPATCH_LEVEL (see postopPaths.ts); for any
   * other function, those not behind its own test of the callback data's major function.
   */
  postopUnsafeCalls(name: string): Set<string> | undefined {
    return this.model.reads.memo(this.unsafeCalls, name, () => {
      // Depends on the text and on the majors it is registered for: memoise on both across edits.
      const role = this.rolesOf(name).find((r) => r.k === 'postop');
      const entry = this.model.entry(name);
      const pres = role && role.k === 'postop' ? role.preOps.map((p) => (p ? this.model.entry(p)?.hash ?? '?' : '-')).join(',') : '';
      const key = role ? `unsafe:${role.k === 'postop' ? role.majors?.join(',') ?? '?' : '-'}|${pres}` : 'unsafe:helper';
      let value = entry?.memo.get(key) as Set<string> | undefined | null;
      if (value === undefined) {
        const ctx = this.functionContext(name);
        value = (ctx ? (role ? postopUnsafeCalls(ctx) : helperUnsafeCalls(ctx)) : undefined) ?? null;
        entry?.memo.set(key, value);
      }
      return value ?? undefined;
    });
  }

  /** The current value of a read (analysis/reads.ts): the model's, or an IRQL entry estimate. */
  readValue(id: ReadId): string {
    if (id.startsWith('irql:')) return JSON.stringify(this.irql.entry(id.slice(5)) ?? null);
    return this.model.readValue(id);
  }

  functionContext(name: string): FunctionContext | undefined {
    // The context holds the function's IR: reading it is reading the function.
    this.model.reads.note(`fn:${name}`);
    if (this.fnContexts.has(name)) return this.fnContexts.get(name) ?? undefined;
    const ir = this.model.ir(name);
    const ctx = ir ? new FunctionContext(this, ir) : null;
    this.fnContexts.set(name, ctx);
    return ctx ?? undefined;
  }
}

export class FunctionContext implements FunctionFacts {
  readonly name: string;
  readonly roles: readonly Role[];
  private cachedAliases?: Aliases;
  private cachedValues?: ValueTracker;
  private cachedLive?: readonly Uint8Array[];
  private cachedLiveTested?: readonly Uint8Array[];
  private cachedCodes?: ReturnsByCode | null;

  constructor(readonly file: FileContext, readonly fn: FunctionIR) {
    this.name = fn.name;
    this.roles = file.rolesOf(fn.name);
  }

  get cfg(): Cfg {
    return this.file.cfgOf(this.name)!;
  }

  callTarget(c: CallExpr): string | undefined {
    return this.file.model.callTargetOf(this.name, c);
  }

  get aliases(): Aliases {
    this.cachedAliases ??= findAliases(this.fn);
    return this.cachedAliases;
  }

  /** A worker's context parameter when every queue call passes it non-NULL (argumentFacts.ts). */
  private nonNullParams(): Set<string> {
    const workers = this.file.rolesOf(this.name).filter((r) => r.k === 'worker');
    const context = this.fn.params[2]?.name;
    return context && workers.length > 0 && workers.every((r) => r.k === 'worker' && r.contextNonNull) ? new Set([context]) : new Set();
  }

  get values(): ValueTracker {
    this.cachedValues ??= new ValueTracker(this.fn, (callee) => this.file.callReturns(callee), this.nonNullParams());
    return this.cachedValues;
  }

  /** For each CFG node, the tracked constants that may still be read there. */
  get liveVars(): readonly Uint8Array[] {
    this.cachedLive ??= liveVariables(this.cfg, this.values.vars, this.values.index);
    return this.cachedLive;
  }

  /**
   * Like `liveVars`, restricted to the variables some condition tests: what an analysis that only
   * needs constants to prune impossible branches has to keep.
   */
  get liveTestedVars(): readonly Uint8Array[] {
    if (!this.cachedLiveTested) {
      const tested = new Uint8Array(this.values.vars.size);
      for (const n of this.cfg.nodes) {
        if ((n.kind !== 'test' && n.kind !== 'switch') || !n.expr) continue;
        visitExpr(n.expr, (x) => {
          if (x.k !== 'id') return;
          const i = this.values.index.get(x.name);
          if (i !== undefined) tested[i] = 1;
        });
      }
      this.cachedLiveTested = this.liveVars.map((mask) => mask.map((v, i) => v & tested[i]));
    }
    return this.cachedLiveTested;
  }

  /**
   * As a pre-op: what it returns for each control code it tests. Computed once per run, not kept
   * with the text: the values its helpers return may change with their own text.
   */
  get preopCodes(): ReturnsByCode | undefined {
    if (this.cachedCodes === undefined) this.cachedCodes = preopReturnsByCode(this) ?? null;
    return this.cachedCodes ?? undefined;
  }

  role<K extends Role['k']>(k: K): Extract<Role, { k: K }> | undefined {
    return this.roles.find((r) => r.k === k) as Extract<Role, { k: K }> | undefined;
  }

  loc(span: Span): Loc {
    return { anchor: `fn:${this.name}`, span };
  }

  path(e: Parameters<typeof pathOf>[0]): string | undefined {
    return pathOf(e, this.aliases);
  }

  irqlAt(call: CallExpr): IrqlEstimate | undefined {
    return this.file.irql.at(this.name, call);
  }

  /** The name of the parameter at `i`, if the function has one. */
  param(i: number): string | undefined {
    return this.fn.params[i]?.name;
  }

  /** The first FLT_CALLBACK_DATA parameter (`Data`, `Cbd`, `CallbackData`). */
  get dataParam(): string | undefined {
    return this.fn.params.find((p) => /\bP?FLT_CALLBACK_DATA\b/.test(p.type) || /^PFLT_CALLBACK_DATA\b/.test(p.type))?.name;
  }

  /** Path-sensitive rules skip functions tree-sitter could not fully read. */
  get readable(): boolean {
    return !this.fn.hasError;
  }
}

/** Pointer typedefs of the WDK (and of drivers following its naming) that are not pointers after all. */
const NOT_POINTERS = new Set(['POOL_TYPE', 'PROCESSINFOCLASS', 'POWER_STATE', 'POWER_STATE_TYPE', 'PROCESSOR_NUMBER', 'PHYSICAL_ADDRESS']);

/**
 * Whether a local of this declared type holds a pointer: a declarator star, or a typedef name in
 * the WDK's `P…`/`LP…` convention (`PFLT_IO_PARAMETER_BLOCK`, `PVOID`, `HANDLE`). `LARGE_INTEGER`,
 * `ULONG` or `UNICODE_STRING` hold a value.
 */
export function isPointerType(v: { type: string; pointer: boolean; array?: boolean }): boolean {
  if (v.pointer) return true;
  const t = v.type.replace(/\b(?:const|volatile|struct|union|enum)\b/g, '').trim();
  if (NOT_POINTERS.has(t)) return false;
  return /^(?:L?P[A-Z0-9_]\w*|PVOID|HANDLE)$/.test(t);
}

/**
 * Locals assigned exactly once from a plain access path (`iopb = Data->Iopb`) and never through a
 * pointer to them: uses of the local read as the path itself. Only pointers alias: a local that
 * holds a copy of a value (`LARGE_INTEGER offset = Iopb->Parameters.Read.ByteOffset`) is its own
 * storage, and writing it changes nothing else.
 */
export function findAliases(fn: FunctionIR): Aliases {
  const count = new Map<string, number>();
  const source = new Map<string, string>();
  const taken = new Set<string>();
  const bump = (name: string) => count.set(name, (count.get(name) ?? 0) + 1);
  const note = (name: string, rhs: Parameters<typeof pathOf>[0]) => {
    bump(name);
    const s = strip(rhs);
    const local = fn.locals.get(name);
    if (!local || !isPointerType(local)) return;
    if (s.k === 'id' || s.k === 'field') {
      const p = pathOf(s);
      if (p && /->|\./.test(p)) source.set(name, p);
    }
  };
  for (const v of fn.locals.values()) if (v.init) note(v.name, v.init);
  // One pass over every sub-expression: assignments, increments and address-of reads.
  forEachExpr(fn.body, (e) => visitExpr(e, (x) => {
    if (x.k === 'assign') {
      const n = idName(x.left);
      if (n) { if (x.op === '=') note(n, x.right); else bump(n); }
    } else if (x.k === 'unary' || x.k === 'postfix') {
      if (x.op === '&') { const n = idName(x.arg); if (n) taken.add(n); }
      else if (x.op === '++' || x.op === '--') { const n = idName(x.arg); if (n) bump(n); }
    }
  }));
  const out = new Map<string, string>();
  for (const [name, path] of source) {
    if (count.get(name) !== 1 || taken.has(name) || !fn.locals.has(name)) continue;
    const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path)?.[0];
    // Expand through an earlier alias (`params = &iopb->Parameters`) once.
    out.set(name, root && out.has(root) ? out.get(root)! + path.slice(root.length) : path);
  }
  return out;
}

export const DISPATCH = Irql.DISPATCH_LEVEL;
