/**
 * An estimate of the highest IRQL each call may run at. Two parts:
 *
 * - inside a function, which locks are held at each call (a spin lock held → DISPATCH_LEVEL, a fast
 *   mutex → APC_LEVEL), following the file's own helpers through their net lock effect
 *   (`LockQueue()` returns holding a spin lock);
 * - at a function's entry, from its role (a worker starts at PASSIVE_LEVEL, a post-operation
 *   callback or an asynchronous I/O completion routine may start at DISPATCH_LEVEL), from its own
 *   `_IRQL_requires_max_` annotation (the higher of the two), or, for a helper, from the highest
 *   level among its callers.
 *
 * Every estimate carries its reason, so a finding can point at the lock or the post-op responsible.
 */
import { Irql } from '../../kernel/irql';
import type { CallExpr, FunctionIR, Span } from '../frontend/ir';
import { calledName, constName, pathOf, walkEval } from '../frontend/exprs';
import type { Cfg } from './cfg';
import { solve } from './paths';
import { LOCK_APIS, WAITING_LOCKS, WAITS, type LockKind } from './locks';
import { NO_FOREIGN_FACTS, type ForeignFacts } from './foreign';
import type { FileModel, Loc, TopFunction } from './model';
import type { IrqlEstimate, IrqlReason, LockSummary } from './irqlTypes';
import type { RoleMap } from './roleTypes';
import type { Recorded } from './reads';
import { lineStarts, positionAt } from './textScan';

export interface HeldLock {
  kind: LockKind;
  path: string;
  level: Irql;
  site: Span;
  api: string;
}

const NO_EFFECT: LockSummary = { net: [], releasesForeign: 0 };

export interface LocalIrql {
  /** Keyed by `row:col` of the call: the highest level its own locks give, and the lock. */
  atCall: Map<string, { level: Irql; lock?: HeldLock }>;
  summary: LockSummary;
  acquisitions: { call: CallExpr; api: string; kind: LockKind }[];
  complete: boolean;
}

interface State {
  held: readonly HeldLock[];
  foreign: number;
}

function levelOf(held: readonly HeldLock[]): { level: Irql; lock?: HeldLock } {
  let best: { level: Irql; lock?: HeldLock } = { level: Irql.PASSIVE_LEVEL };
  for (const h of held) if (h.level > best.level) best = { level: h.level, lock: h };
  return best;
}

function raiseTarget(c: CallExpr, api: string): Irql {
  if (api !== 'KeRaiseIrql') return LOCK_APIS[api].raisesTo ?? Irql.PASSIVE_LEVEL;
  const v = constName(c.args[0]);
  return v === 'DISPATCH_LEVEL' || v === '2' ? Irql.DISPATCH_LEVEL : v === 'APC_LEVEL' || v === '1' ? Irql.APC_LEVEL : Irql.PASSIVE_LEVEL;
}

/**
 * A call's key: where its called name starts, as the text scan finds it (`Run` in `w.Run()`,
 * `p->Run()` and `Waiter::Run()`), so the estimates of the call graph and of the IR meet.
 */
export function callPosKey(c: CallExpr): string {
  const f = c.fn;
  if (f.k === 'field' && f.r.er === f.r.sr) return `${f.r.er}:${f.r.ec - f.field.length}`;
  // `Class::Method` reads as the id `Method` over the whole qualified span (a macro alias is narrower).
  if (f.k === 'id' && f.r.er === f.r.sr && f.r.ec - f.r.sc > f.name.length) return `${f.r.er}:${f.r.ec - f.name.length}`;
  return `${c.r.sr}:${c.r.sc}`;
}

/** Locks held at each call of one function. `callee` gives the net effect of the file's own helpers. */
/** `callee` gives the lock summary of the driver function a call names (undefined: an API or unknown). */
export function localIrql(fn: FunctionIR, cfg: Cfg, callee: (c: CallExpr) => LockSummary | undefined): LocalIrql {
  const atCall = new Map<string, { level: Irql; lock?: HeldLock }>();
  const acquisitions: LocalIrql['acquisitions'] = [];
  const seenAcq = new Set<CallExpr>();
  const exits: State[] = [];

  const apply = (s: State, e: CallExpr['args'][number] | undefined): State => {
    if (!e) return s;
    let held = s.held;
    let foreign = s.foreign;
    walkEval(e, {
      call: (c) => {
        const here = levelOf(held);
        const key = callPosKey(c);
        const prev = atCall.get(key);
        if (!prev || here.level > prev.level) atCall.set(key, here);
        const name = c.callee;
        const api = name ? LOCK_APIS[name] : undefined;
        if (name && api) {
          if (api.acquire) {
            if (!seenAcq.has(c)) { seenAcq.add(c); acquisitions.push({ call: c, api: name, kind: api.kind }); }
            const path = api.arg !== undefined && c.args[api.arg] ? pathOf(c.args[api.arg]) ?? name : name;
            const level = Math.max(here.level, raiseTarget(c, name)) as Irql;
            held = [...held, { kind: api.kind, path: path.replace(/^&/, ''), level, site: c.r, api: name }];
          } else {
            const path = api.arg !== undefined && c.args[api.arg] ? (pathOf(c.args[api.arg]) ?? '').replace(/^&/, '') : '';
            let at = -1;
            for (let i = held.length - 1; i >= 0; i--) if (held[i].kind === api.kind && (path === '' || held[i].path === path)) { at = i; break; }
            if (at < 0) for (let i = held.length - 1; i >= 0; i--) if (held[i].kind === api.kind) { at = i; break; }
            if (at >= 0) held = [...held.slice(0, at), ...held.slice(at + 1)];
            else foreign++;
          }
          return;
        }
        if (name && WAITS.has(name) && !seenAcq.has(c)) { seenAcq.add(c); acquisitions.push({ call: c, api: name, kind: 'mutex' }); }
        const eff = callee(c);
        if (eff && (eff.net.length > 0 || eff.releasesForeign > 0)) {
          let n = eff.releasesForeign;
          while (n > 0 && held.length > 0) { held = held.slice(0, -1); n--; }
          foreign += n;
          const label = calledName(c) ?? '?';
          for (const l of eff.net) held = [...held, { kind: l.kind, path: `${label}()`, level: Math.max(here.level, l.level) as Irql, site: c.r, api: label }];
        }
      },
    });
    return held === s.held && foreign === s.foreign ? s : { held, foreign };
  };

  const res = solve<State>(cfg, {
    init: () => ({ held: [], foreign: 0 }),
    key: (s) => `${s.foreign}|${s.held.map((h) => `${h.kind}:${h.path}@${h.site.sr}:${h.site.sc}`).join(',')}`,
    step: (n, s) => apply(s, n.expr),
    evalCond: (n, s) => apply(s, n.expr),
    exit: (s) => { exits.push(s); },
  }, { maxStatesPerNode: 16 });

  let net: LockSummary['net'] = [];
  let releasesForeign = 0;
  if (exits.length > 0) {
    const sig = (h: HeldLock) => `${h.kind}:${h.path}`;
    const common = exits[0].held.filter((h) => exits.every((e) => e.held.some((x) => sig(x) === sig(h))));
    net = common.map((h) => ({ kind: h.kind, level: h.level, api: h.api }));
    releasesForeign = Math.min(...exits.map((e) => e.foreign));
  }
  return { atCall, summary: { net, releasesForeign }, acquisitions, complete: res.complete };
}

/** The calls that matter for locks: a function that makes none of them holds nothing. */
function mentionsLocks(names: Iterable<string>): boolean {
  for (const n of names) if (LOCK_APIS[n] || WAITS.has(n)) return true;
  return false;
}

export class IrqlModel {
  private readonly locals = new Map<string, Recorded<LocalIrql | null>>();
  private readonly entries = new Map<string, IrqlEstimate>();
  private readonly computing = new Set<string>();
  private readonly transitive = new Map<string, Recorded<Set<string>>>();

  constructor(
    private readonly model: FileModel,
    private readonly roles: RoleMap,
    private readonly cfgOf: (name: string) => Cfg | undefined,
    /** Whether a post-op runs at or below APC_LEVEL (post-create, after SYNCHRONIZE). */
    private readonly postopSafety: (name: string) => 'safe' | 'unsafe' | 'unknown',
    /** Call sites of a post-op reached while it may still be at DISPATCH_LEVEL. */
    private readonly postopUnsafeCalls: (name: string) => Set<string> | undefined = () => undefined,
    /** What the project's other files say: their functions' summaries and the IRQL they call ours at. */
    private readonly foreign: ForeignFacts = NO_FOREIGN_FACTS,
  ) {
    this.computeEntries();
  }

  /** Whether `name` is a function of the driver: defined in this file or (external) in another. */
  knows(name: string): boolean {
    return this.model.functions.has(name) || this.foreign.functions.has(name);
  }

  /** Every API name a function may call, directly or through the driver's own helpers (in any file). */
  callsTransitively(name: string): Set<string> {
    return this.model.reads.memo(this.transitive, name, () => this.walkCalls(name));
  }

  private walkCalls(name: string): Set<string> {
    const out = new Set<string>();
    const stack = [name];
    const seen = new Set<string>([name]);
    while (stack.length > 0) {
      const current = stack.pop()!;
      const f = this.model.functions.get(current);
      if (!f) {
        for (const c of this.foreign.functions.get(current)?.calls ?? []) out.add(c);
        continue;
      }
      for (const c of f.facts.calls) {
        const target = this.model.callTarget(f, c);
        out.add(c.name);
        if (this.knows(target) && !seen.has(target)) { seen.add(target); stack.push(target); }
      }
    }
    return out;
  }

  /** Lock summary of a helper: null-effect for functions that touch no lock. */
  summary(name: string): LockSummary | undefined {
    if (!this.model.functions.has(name)) return this.foreign.functions.get(name)?.lock;
    if (!mentionsLocks(this.callsTransitively(name))) return NO_EFFECT;
    return this.local(name)?.summary ?? NO_EFFECT;
  }

  local(name: string): LocalIrql | undefined {
    // Recursion through a helper that calls back is cut (undefined) and not memoised.
    if (this.computing.has(name) && !this.locals.has(name)) return undefined;
    return this.model.reads.memo(this.locals, name, () => this.computeLocal(name)) ?? undefined;
  }

  private computeLocal(name: string): LocalIrql | null {
    const f = this.model.functions.get(name);
    if (!f || !mentionsLocks(this.callsTransitively(name))) return null;
    this.computing.add(name);
    // The result depends on the function's text and on its helpers' lock effects: memoise on both.
    const helpers = [...new Set(f.facts.calls.map((c) => this.model.callTarget(f, c)))].filter((n) => n !== name && this.knows(n)).sort();
    const key = `irql:${helpers.map((n) => `${n}=${JSON.stringify(this.summary(n) ?? null)}`).join(',')}`;
    const entry = this.model.entry(name)!;
    let result = entry.memo.get(key) as LocalIrql | null | undefined;
    if (result === undefined) {
      const ir = this.model.ir(name);
      const cfg = ir && !ir.hasError ? this.cfgOf(name) : undefined;
      result = ir && cfg ? localIrql(ir, cfg, (c) => {
        const n = this.model.callTargetOf(name, c);
        return n === undefined || n === name ? undefined : this.summary(n);
      }) : null;
      entry.memo.set(key, result);
    }
    this.computing.delete(name);
    return result;
  }

  entry(name: string): IrqlEstimate | undefined {
    this.model.reads.note(`irql:${name}`);
    return this.entries.get(name);
  }

  /** The highest IRQL a call in `fn` may run at, with the reason; undefined when unknown. */
  at(fn: string, call: CallExpr): IrqlEstimate | undefined {
    const entry = this.entry(fn);
    const local = this.local(fn)?.atCall.get(callPosKey(call));
    if (local?.lock && (!entry || local.level > entry.level)) {
      return { level: local.level, reason: { k: 'lock', fn, site: { anchor: `fn:${fn}`, span: local.lock.site }, api: local.lock.api } };
    }
    return entry;
  }

  /** What kind of lock a cbdq Acquire callback takes. */
  acquireKind(acquire: string | undefined): 'spin' | 'waiting' | undefined {
    if (!acquire || !this.knows(acquire)) return undefined;
    const names = this.callsTransitively(acquire);
    let waiting = false;
    for (const n of names) {
      const api = LOCK_APIS[n];
      if (api?.acquire && api.kind === 'spin') return 'spin';
      if ((api?.acquire && WAITING_LOCKS.has(api.kind)) || WAITS.has(n)) waiting = true;
    }
    return waiting ? 'waiting' : undefined;
  }

  /** Whether the function says it runs at APC_LEVEL or below: pageable, PAGED_CODE(), or annotated so. */
  declaresLowIrql(name: string): boolean {
    const f = this.model.functions.get(name);
    if (!f) return false;
    const ann = this.model.irqlAnnotation(name);
    return this.model.paged.has(name) || f.facts.callNames.has('PAGED_CODE') || (ann !== undefined && ann.level <= Irql.APC_LEVEL);
  }

  private roleEntry(name: string): IrqlEstimate | undefined {
    const roles = this.roles.roles.get(name);
    if (!roles) return undefined;
    let best: IrqlEstimate | undefined;
    const consider = (e: IrqlEstimate) => { if (!best || e.level > best.level) best = e; };
    for (const r of roles) {
      switch (r.k) {
        case 'preop': case 'safepost': case 'ctxCleanup':
          consider({ level: Irql.APC_LEVEL });
          break;
        case 'postop': {
          // Registered in another file, or a pre-op whose returns are out of sight: no estimate.
          const safety = this.postopSafety(name);
          if (safety === 'safe') consider({ level: Irql.APC_LEVEL });
          else if (safety === 'unsafe') consider({ level: Irql.DISPATCH_LEVEL, reason: { k: 'role', role: 'postop', fn: name } });
          break;
        }
        case 'worker': case 'unload': case 'instanceSetup': case 'queryTeardown': case 'teardownStart':
        case 'teardownComplete': case 'driverEntry': case 'thread':
          consider({ level: Irql.PASSIVE_LEVEL });
          break;
        case 'dpc':
          consider({ level: Irql.DISPATCH_LEVEL, reason: { k: 'role', role: 'dpc', fn: name } });
          break;
        case 'completion':
          // A routine its author made pageable or annotated for APC_LEVEL is reported once
          // (irql-above-bound); its callees are then read at the level it declares.
          if (this.declaresLowIrql(name)) consider({ level: Irql.APC_LEVEL });
          else consider({ level: Irql.DISPATCH_LEVEL, reason: { k: 'role', role: 'completion', fn: name, api: r.api } });
          break;
        case 'cbdq': {
          if (r.cb !== 'insert' && r.cb !== 'remove' && r.cb !== 'peek') break;
          const acquire = this.roles.cbdqs[r.queue]?.acquire;
          const kind = this.acquireKind(acquire);
          if (kind === 'spin') consider({ level: Irql.DISPATCH_LEVEL, reason: { k: 'role', role: 'cbdq', fn: name, acquire } });
          else if (kind === 'waiting') consider({ level: Irql.APC_LEVEL });
          break;
        }
      }
    }
    return best;
  }

  private computeEntries(): void {
    const work: string[] = [];
    // Entries a role gives are final; entries from callers (here or in other files) may still rise.
    const fixed = new Set<string>();
    for (const f of this.model.functionList) {
      const role = this.roleEntry(f.name);
      // The function's annotation is its contract: the body must be fine at that level.
      const ann = this.model.irqlAnnotation(f.name);
      const annotated: IrqlEstimate | undefined = ann ? { level: ann.level, reason: ann.level > Irql.PASSIVE_LEVEL ? { k: 'annotation', fn: f.name, text: ann.text } : undefined } : undefined;
      const own = annotated && (!role || annotated.level > role.level) ? annotated : role;
      // Called from another file of the project at a known IRQL: a helper whose callers are elsewhere.
      const called = this.foreign.entries.get(f.name);
      const e = own && (!called || own.level >= called.level) ? own : called;
      if (e) { this.entries.set(f.name, e); work.push(f.name); }
      if (own) fixed.add(f.name);
    }
    let guard = 0;
    while (work.length > 0 && guard++ < 10000) {
      const caller = work.shift()!;
      const f = this.model.functions.get(caller);
      const callerEntry = this.entries.get(caller);
      if (!f || !callerEntry) continue;
      this.forEachCall(f, callerEntry, (name) => !fixed.has(name) && name !== caller && this.model.functions.has(name), (name, cand) => {
        const cur = this.entries.get(name);
        if (!cur || cand.level > cur.level) {
          this.entries.set(name, cand);
          work.push(name);
        }
      });
    }
  }

  /**
   * The IRQL at each call this file makes to a function it does not define (a helper in another
   * file of the project, or a routine), the highest per callee: what this file tells the others.
   */
  outgoing(): Map<string, IrqlEstimate> {
    const out = new Map<string, IrqlEstimate>();
    for (const f of this.model.functionList) {
      const entry = this.entries.get(f.name);
      if (!entry) continue;
      this.forEachCall(f, entry, (name) => !this.model.functions.has(name), (name, cand) => {
        const cur = out.get(name);
        if (!cur || cand.level > cur.level) out.set(name, cand);
      });
    }
    return out;
  }

  /** The estimate at each call of `f` to a name `wanted` accepts, given f's entry estimate. */
  private forEachCall(f: TopFunction, callerEntry: IrqlEstimate, wanted: (name: string) => boolean, visit: (name: string, cand: IrqlEstimate) => void): void {
    const caller = f.name;
    // A caller that reads the IRQL chooses its path by it (`if (KeGetCurrentIrql() <= APC_LEVEL)
    // Helper();`): its own entry level is not passed on, only the locks it holds at the call.
    const readsIrql = f.facts.words.has('KeGetCurrentIrql');
    let starts: number[] | undefined;
    for (const c of f.facts.calls) {
      const target = this.model.callTarget(f, c);
      if (!wanted(target)) continue;
      starts ??= lineStarts(f.text);
      const p = positionAt(starts, c.offset);
      const span: Span = { sr: p.row, sc: p.row === 0 ? p.column + f.startColumn : p.column, er: p.row, ec: 0 };
      span.ec = span.sc + c.name.length;
      const local = this.local(caller)?.atCall.get(`${span.sr}:${span.sc}`);
      const site: Loc = { anchor: `fn:${caller}`, span };
      let cand: IrqlEstimate;
      // A post-op calling a helper only on its create or draining paths passes on APC_LEVEL at most;
      // so does a helper of a post-op calling another only for creates.
      const origin = reasonOrigin(callerEntry.reason);
      const viaPostop = origin?.k === 'role' && origin.role === 'postop';
      const unsafe = viaPostop ? this.postopUnsafeCalls(caller) : undefined;
      const entryHere: IrqlEstimate = unsafe && !unsafe.has(`${span.sr}:${span.sc}`) ? { level: Irql.APC_LEVEL } : callerEntry;
      if (local?.lock && local.level > entryHere.level) {
        cand = { level: local.level, reason: { k: 'call', caller, site, via: { k: 'lock', fn: caller, site: { anchor: `fn:${caller}`, span: local.lock.site }, api: local.lock.api } } };
      } else if (readsIrql) {
        continue;
      } else {
        cand = { level: entryHere.level, reason: entryHere.reason ? { k: 'call', caller, site, via: entryHere.reason } : undefined };
      }
      visit(target, cand);
    }
  }

}

/** The role at the end of a reason chain (`postop` when a post-op is why the level may be DISPATCH). */
export function reasonOrigin(r: IrqlReason | undefined): IrqlReason | undefined {
  while (r && r.k === 'call') r = r.via;
  return r;
}
