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

/** Variable → constant name. A variable that is absent holds an unknown value. */
export type Env = Readonly<Record<string, string>>;

export const EMPTY_ENV: Env = Object.freeze({});

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

const KEYS = new WeakMap<Env, string>();

export function envKey(env: Env): string {
  const hit = KEYS.get(env);
  if (hit !== undefined) return hit;
  const keys = Object.keys(env);
  let s = '';
  if (keys.length > 0) {
    keys.sort();
    for (const k of keys) s += `${k}=${env[k]};`;
  }
  KEYS.set(env, s);
  return s;
}

/** `env` without the variables that are not in `live`. */
export function restrictEnv(env: Env, live: ReadonlySet<string>): Env {
  let drop = false;
  for (const k in env) if (!live.has(k)) { drop = true; break; }
  if (!drop) return env;
  const next: Record<string, string> = {};
  for (const k in env) if (live.has(k)) next[k] = env[k];
  return next;
}

function set(env: Env, name: string, value: string | undefined): Env {
  if (env[name] === value) return env;
  const next: Record<string, string> = { ...env };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

export class ValueTracker {
  /** Locals (and parameters) assigned a constant somewhere in the function. */
  readonly vars = new Set<string>();

  constructor(fn: FunctionIR) {
    const consider = (a: AssignExpr) => {
      const name = idName(a.left);
      if (name && a.op === '=' && (constName(a.right) || isNonNullLiteral(a.right))) this.vars.add(name);
    };
    for (const v of fn.locals.values()) {
      if (v.init && (constName(v.init) || isNonNullLiteral(v.init))) this.vars.add(v.name);
    }
    forEachExpr(fn.body, (e) => walkEval(e, {
      assign: consider,
      call: (c) => {
        const n = c.callee === 'NT_SUCCESS' || c.callee === 'NT_ERROR' ? idName(c.args[0]) : undefined;
        if (n && fn.locals.has(n)) this.vars.add(n);
      },
    }));
    for (const s of fn.staticLocals) this.vars.delete(s);
  }

  /** The constant an expression evaluates to in `env`, if known. */
  valueOf(env: Env, e: Expr | undefined): string | undefined {
    if (!e) return undefined;
    const s = strip(e);
    if (s.k === 'id' && this.vars.has(s.name)) return env[s.name];
    if (s.k === 'assign' && s.op === '=') return this.valueOf(env, s.right);
    if (s.k === 'cond') {
      const a = this.valueOf(env, s.then);
      return a !== undefined && a === this.valueOf(env, s.else) ? a : undefined;
    }
    const c = constName(s);
    if (c) return c;
    if (isNonNullLiteral(s)) return NON_NULL;
    return undefined;
  }

  /** The effect of one assignment (its right side already evaluated). */
  assign(env: Env, a: AssignExpr): Env {
    const name = idName(a.left);
    if (!name || !this.vars.has(name)) return env;
    const rhs = strip(a.right);
    const value = a.op !== '=' ? undefined : this.valueOf(env, a.right) ?? (rhs.k === 'call' && rhs.callee ? CALL_PREFIX + rhs.callee : undefined);
    return set(env, name, value);
  }

  /** `&x` lets a callee write x: its value is no longer known. */
  addressTaken(env: Env, operand: Expr): Env {
    const name = idName(operand);
    return name && this.vars.has(name) ? set(env, name, undefined) : env;
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
        env = set(env, name, value);
      },
      addressTaken: (operand) => {
        const name = idName(operand);
        if (name && this.vars.has(name)) env = set(env, name, undefined);
      },
    });
    return env;
  }

  /** A declaration without initializer leaves its variable unknown. */
  forget(env: Env, name: string): Env {
    return this.vars.has(name) ? set(env, name, undefined) : env;
  }

  refine(env: Env, c: Condition | undefined, truth: boolean): Env | null {
    if (!c) return env;
    const holds = c.pos === truth;
    const a = c.atom;
    if (a.k === 'eq' && this.vars.has(a.path)) {
      const cur = env[a.path];
      if (holds) {
        if (cur !== undefined && !compatible(cur, a.value)) return null;
        return set(env, a.path, a.value);
      }
      return cur === a.value ? null : env;
    }
    if (a.k === 'nonnull' && this.vars.has(a.path)) {
      const cur = env[a.path];
      const known = cur !== undefined && !isPseudo(cur);
      if (holds) {
        if (known && ZERO.has(cur)) return null;
        return cur === undefined || cur.startsWith('@') ? set(env, a.path, NON_NULL) : env;
      }
      if (cur === NON_NULL || (known && /^[1-9]/.test(cur))) return null;
      return cur === undefined || cur.startsWith('@') ? set(env, a.path, 'NULL') : env;
    }
    if (a.k === 'success' && this.vars.has(a.path)) {
      const cur = env[a.path];
      if (cur === SUCCESS || cur === FAILURE) return (cur === SUCCESS) === holds ? env : null;
      const st = cur !== undefined && !isPseudo(cur) ? statusByName(cur) : undefined;
      if (st !== undefined) return ntSuccess(st) === holds ? env : null;
      return set(env, a.path, holds ? SUCCESS : FAILURE);
    }
    return env;
  }
}

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
