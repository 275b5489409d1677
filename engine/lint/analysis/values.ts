/**
 * Constant propagation for the locals that rules care about: a status variable that holds
 * FLT_PREOP_PENDING on one path and FLT_PREOP_SUCCESS_NO_CALLBACK on another, a pointer that is
 * still NULL. Only locals that are assigned a constant somewhere are tracked, which keeps the path
 * states small. Tests against constants refine the value and prune paths that cannot happen
 * (`if (CbStatus != FLT_PREOP_PENDING)` after `CbStatus = FLT_PREOP_PENDING`).
 */
import type { AssignExpr, Expr, FunctionIR } from '../frontend/ir';
import { constName, idName, isNonNullLiteral, strip, walkEval } from '../frontend/exprs';
import { forEachExpr } from '../frontend/walk';
import type { Condition } from './conditions';
import { ntSuccess, statusByName } from '../../kernel/status';

/**
 * Values of the tracked variables, by variable index (see `ValueTracker.index`); `undefined` is an
 * unknown value. A small array copied on write is much cheaper than an object keyed by name, and
 * its key is a plain join.
 */
export type Env = readonly (string | undefined)[];

/** A value known only to be non-NULL. */
export const NON_NULL = '<nonnull>';
/** A status known only to pass (or fail) NT_SUCCESS. */
export const SUCCESS = '<success>';
export const FAILURE = '<failure>';
/** The value some call returned (`@call:Helper`), for following a pre-op's return into its helpers. */
export const CALL_PREFIX = '@call:';

/** True for the pseudo-values above: facts about a value rather than the value itself. */
export function isPseudo(v: string | undefined): boolean {
  return v !== undefined && (v.startsWith('<') || v.startsWith('@'));
}

/** Constants whose value is zero, so `if (x)` is false for them. */
const ZERO = new Set(['NULL', '0', 'FALSE', 'STATUS_SUCCESS', 'FLT_PREOP_SUCCESS_WITH_CALLBACK', 'FLT_POSTOP_FINISHED_PROCESSING', 'PASSIVE_LEVEL']);
/** Constants known to be non-zero that are not written as numbers: `if (release)` after `release = TRUE`. */
const NONZERO = new Set(['TRUE', 'APC_LEVEL', 'DISPATCH_LEVEL']);

/** Whether a known constant is non-zero. */
function isNonZero(v: string): boolean {
  return NONZERO.has(v) || /^[1-9]/.test(v) || /^0[xX]0*[1-9a-fA-F]/.test(v);
}

const KEYS = new WeakMap<Env, string>();

export function envKey(env: Env): string {
  if (env.length === 0) return '';
  let k = KEYS.get(env);
  if (k === undefined) {
    k = env.join('|');
    KEYS.set(env, k);
  }
  return k;
}

/** `env` with the variables whose slot is not live (`live[i]` false) forgotten. */
export function restrictEnv(env: Env, live: Uint8Array): Env {
  let next: (string | undefined)[] | undefined;
  for (let i = 0; i < env.length; i++) {
    if (env[i] !== undefined && live[i] === 0) {
      next ??= env.slice();
      next[i] = undefined;
    }
  }
  return next ?? env;
}

export class ValueTracker {
  /** Locals (and parameters) assigned a constant somewhere in the function. */
  readonly vars = new Set<string>();
  /** Parameters known never to be NULL (never assigned in the function). */
  private readonly nonNull = new Set<string>();
  /** Slot of each tracked variable in an Env. */
  readonly index = new Map<string, number>();
  /** The environment where nothing is known. */
  readonly empty: Env;

  /**
   * @param callReturns the constants a driver function returns (`?` among them when some cannot be
   * told), for pruning tests of a variable that holds a call's result: after `st = Helper(...)`,
   * `st == FLT_PREOP_SYNCHRONIZE` cannot hold when Helper never returns it.
   */
  /**
   * @param nonNullParams parameters every caller passes non-NULL (a worker's context queued under a
   * NULL test): a test of one, or of a local copied from one, has a single feasible side.
   */
  constructor(fn: FunctionIR, private readonly callReturns?: (callee: string) => ReadonlySet<string> | undefined, nonNullParams: ReadonlySet<string> = new Set()) {
    const consider = (a: AssignExpr) => {
      const name = idName(a.left);
      if (name && a.op === '=' && (constName(a.right) || isNonNullLiteral(a.right))) this.vars.add(name);
    };
    for (const v of fn.locals.values()) {
      if (v.init && (constName(v.init) || isNonNullLiteral(v.init))) this.vars.add(v.name);
    }
    const assigned = new Set<string>();
    forEachExpr(fn.body, (e) => walkEval(e, {
      assign: (a) => { consider(a); const n = idName(a.left); if (n) assigned.add(n); },
      call: (c) => {
        const n = c.callee === 'NT_SUCCESS' || c.callee === 'NT_ERROR' ? idName(c.args[0]) : undefined;
        if (n && fn.locals.has(n)) this.vars.add(n);
      },
    }));
    for (const p of nonNullParams) if (!assigned.has(p) && !fn.locals.has(p)) this.nonNull.add(p);
    // A local initialised from such a parameter holds its value from the declaration on.
    for (const v of fn.locals.values()) {
      const from = v.init ? strip(v.init) : undefined;
      if (from?.k === 'id' && this.nonNull.has(from.name)) this.vars.add(v.name);
    }
    for (const s of fn.staticLocals) this.vars.delete(s);
    [...this.vars].sort().forEach((v, i) => this.index.set(v, i));
    this.empty = new Array<string | undefined>(this.vars.size).fill(undefined);
  }

  /** The value of a tracked variable in `env`. */
  get(env: Env, name: string): string | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : env[i];
  }

  private set(env: Env, name: string, value: string | undefined): Env {
    const i = this.index.get(name);
    if (i === undefined || env[i] === value) return env;
    const next = env.slice();
    next[i] = value;
    return next;
  }

  /** The constant an expression evaluates to in `env`, if known. */
  valueOf(env: Env, e: Expr | undefined): string | undefined {
    if (!e) return undefined;
    const s = strip(e);
    if (s.k === 'id' && this.vars.has(s.name)) return this.get(env, s.name);
    if (s.k === 'id' && this.nonNull.has(s.name)) return NON_NULL;
    if (s.k === 'assign' && s.op === '=') return this.valueOf(env, s.right);
    if (s.k === 'cond') {
      // `st == FLT_PREOP_SYNCHRONIZE ? ctx : NULL` with st known: the branch taken.
      const test = this.decide(env, s.test);
      if (test !== undefined) return this.valueOf(env, test ? s.then : s.else);
      const a = this.valueOf(env, s.then);
      return a !== undefined && a === this.valueOf(env, s.else) ? a : undefined;
    }
    const c = constName(s);
    if (c) return c;
    if (isNonNullLiteral(s)) return NON_NULL;
    return undefined;
  }

  /** Whether `x == K` / `x != K` holds, for a tracked x holding a known constant. */
  private decide(env: Env, e: Expr): boolean | undefined {
    const t = strip(e);
    if (t.k !== 'binary' || (t.op !== '==' && t.op !== '!=')) return undefined;
    const l = strip(t.left);
    const r = strip(t.right);
    const name = l.k === 'id' && this.vars.has(l.name) ? l.name : r.k === 'id' && this.vars.has(r.name) ? r.name : undefined;
    const k = constName(name === idName(l) ? r : l);
    const cur = name ? this.get(env, name) : undefined;
    if (!k || cur === undefined || isPseudo(cur) || !CALLBACK_STATUS.test(k) || !CALLBACK_STATUS.test(cur)) return undefined;
    return (cur === k) === (t.op === '==');
  }

  /** The effect of one assignment (its right side already evaluated). */
  assign(env: Env, a: AssignExpr): Env {
    const name = idName(a.left);
    if (!name || !this.vars.has(name)) return env;
    const rhs = strip(a.right);
    const value = a.op !== '=' ? undefined : this.valueOf(env, a.right) ?? (rhs.k === 'call' && rhs.callee ? CALL_PREFIX + rhs.callee : undefined);
    return this.set(env, name, value);
  }

  /** `&x` lets a callee write x: its value is no longer known. */
  addressTaken(env: Env, operand: Expr): Env {
    const name = idName(operand);
    return name && this.vars.has(name) ? this.set(env, name, undefined) : env;
  }

  /** Applies the assignments (and address-of reads) of an expression in evaluation order. */
  eval(env: Env, e: Expr): Env {
    if (this.vars.size === 0) return env;
    walkEval(e, {
      assign: (a) => {
        const name = idName(a.left);
        if (!name || !this.vars.has(name)) return;
        const rhs = strip(a.right);
        const value = a.op !== '=' ? undefined : this.valueOf(env, a.right) ?? (rhs.k === 'call' && rhs.callee ? CALL_PREFIX + rhs.callee : undefined);
        env = this.set(env, name, value);
      },
      addressTaken: (operand) => {
        const name = idName(operand);
        if (name && this.vars.has(name)) env = this.set(env, name, undefined);
      },
    });
    return env;
  }

  /** A declaration without initializer leaves its variable unknown. */
  forget(env: Env, name: string): Env {
    return this.vars.has(name) ? this.set(env, name, undefined) : env;
  }

  /** Whether a driver function may return the callback status `value` (true when that cannot be told). */
  private mayReturn(callee: string, value: string): boolean {
    if (!CALLBACK_STATUS.test(value)) return true;
    const rets = this.callReturns?.(callee);
    if (!rets || rets.size === 0) return true;
    for (const r of rets) if (r === value || !CALLBACK_STATUS.test(r)) return true;
    return false;
  }

  refine(env: Env, c: Condition | undefined, truth: boolean): Env | null {
    if (!c) return env;
    const holds = c.pos === truth;
    const a = c.atom;
    if (a.k === 'eq' && this.vars.has(a.path)) {
      const cur = this.get(env, a.path);
      if (holds) {
        if (cur !== undefined && !compatible(cur, a.value)) return null;
        if (cur !== undefined && cur.startsWith(CALL_PREFIX) && !this.mayReturn(cur.slice(CALL_PREFIX.length), a.value)) return null;
        return this.set(env, a.path, a.value);
      }
      return cur === a.value ? null : env;
    }
    if (a.k === 'nonnull' && this.nonNull.has(a.path)) return holds ? env : null;
    if (a.k === 'nonnull' && this.vars.has(a.path)) {
      const cur = this.get(env, a.path);
      const known = cur !== undefined && !isPseudo(cur);
      if (holds) {
        if (known && ZERO.has(cur)) return null;
        return cur === undefined || cur.startsWith('@') ? this.set(env, a.path, NON_NULL) : env;
      }
      if (cur === NON_NULL || (known && isNonZero(cur))) return null;
      return cur === undefined || cur.startsWith('@') ? this.set(env, a.path, 'NULL') : env;
    }
    if (a.k === 'success' && this.vars.has(a.path)) {
      const cur = this.get(env, a.path);
      if (cur === SUCCESS || cur === FAILURE) return (cur === SUCCESS) === holds ? env : null;
      const st = cur !== undefined && !isPseudo(cur) ? statusByName(cur) : undefined;
      if (st !== undefined) return ntSuccess(st) === holds ? env : null;
      return this.set(env, a.path, holds ? SUCCESS : FAILURE);
    }
    return env;
  }
}

/** The statuses pre- and post-operation callbacks return, compared by name. */
const CALLBACK_STATUS = /^FLT_(PRE|POST)OP_[A-Z_]+$/;

/** Whether a variable holding `cur` can equal the constant `value`. */
function compatible(cur: string, value: string): boolean {
  if (cur === value || cur.startsWith('@')) return true;
  if (cur === NON_NULL) return !ZERO.has(value);
  if (cur === SUCCESS || cur === FAILURE) {
    const st = statusByName(value);
    return st === undefined || ntSuccess(st) === (cur === SUCCESS);
  }
  return false;
}
