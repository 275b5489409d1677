/**
 * "Did that call succeed on this path?" A status (or pointer) returned by a call is linked to the
 * variable it is stored in; tests of the variable (NT_SUCCESS, == STATUS_SUCCESS, == NULL,
 * == STATUS_FLT_DELETING_OBJECT) then decide the call's outcome along each branch, and branches
 * that contradict an outcome already decided are pruned.
 */
import { ntError, statusByName } from '../../kernel/status';
import type { AssignExpr, CallExpr, Expr } from '../frontend/ir';
import { callKey, idName, pathOf, strip, type Aliases } from '../frontend/exprs';
import type { Condition } from './conditions';

/** `deleting` is a failure known to be STATUS_FLT_DELETING_OBJECT. */
export type Outcome = '?' | 'ok' | 'fail' | 'deleting';

export type ResultKind = 'status' | 'pointer' | 'bool';

export interface Outcomes {
  /** Variable → key of the call whose result it holds. */
  readonly holds: Readonly<Record<string, string>>;
  /** Call key → outcome so far. */
  readonly of: Readonly<Record<string, Outcome>>;
  /** Call key → how to read tests of its result. */
  readonly kinds: Readonly<Record<string, ResultKind>>;
}

export const NO_OUTCOMES: Outcomes = { holds: {}, of: {}, kinds: {} };

const KEYS = new WeakMap<Outcomes, string>();

export function outcomesKey(o: Outcomes): string {
  let s = KEYS.get(o);
  if (s !== undefined) return s;
  s = '';
  for (const k of Object.keys(o.of).sort()) s += `${k}:${o.of[k]};`;
  for (const k of Object.keys(o.holds).sort()) s += `${k}>${o.holds[k]};`;
  KEYS.set(o, s);
  return s;
}

/** Forgets calls nobody asks about any more (and the variables linked to them). */
export function keepOutcomes(o: Outcomes, keep: (key: string) => boolean): Outcomes {
  let changed = false;
  for (const k in o.of) if (!keep(k)) { changed = true; break; }
  if (!changed) return o;
  const of: Record<string, Outcome> = {};
  const kinds: Record<string, ResultKind> = {};
  const holds: Record<string, string> = {};
  for (const k in o.of) if (keep(k)) { of[k] = o.of[k]; kinds[k] = o.kinds[k]; }
  for (const v in o.holds) if (of[o.holds[v]] !== undefined) holds[v] = o.holds[v];
  return { of, kinds, holds };
}

/** Starts tracking the result of `c`; a later test of it (or of the variable it is stored in) decides. */
export function track(o: Outcomes, c: CallExpr, kind: ResultKind): Outcomes {
  const k = callKey(c);
  return { holds: o.holds, of: { ...o.of, [k]: '?' }, kinds: { ...o.kinds, [k]: kind } };
}

/** Links `x = call(...)`: after this, tests of x decide the call. Any other assignment unlinks x. */
export function noteAssign(o: Outcomes, a: AssignExpr): Outcomes {
  const name = idName(a.left);
  if (!name) return o;
  const rhs = strip(a.right);
  const k = rhs.k === 'call' ? callKey(rhs) : undefined;
  if (k && o.of[k] !== undefined) return o.holds[name] === k ? o : { ...o, holds: { ...o.holds, [name]: k } };
  if (o.holds[name] === undefined) return o;
  const holds = { ...o.holds };
  delete holds[name];
  return { ...o, holds };
}

/** The outcome of the call whose result `e` reads, if tracked. */
export function outcomeOf(o: Outcomes, e: Expr, aliases?: Aliases): { key: string; outcome: Outcome } | undefined {
  const p = pathOf(e, aliases);
  if (p === undefined) return undefined;
  const k = o.of[p] !== undefined ? p : o.holds[p];
  return k === undefined ? undefined : { key: k, outcome: o.of[k] };
}

function meet(cur: Outcome, next: Outcome): Outcome | null {
  if (cur === '?' || cur === next) return next;
  if (cur === 'fail' && next === 'deleting') return 'deleting';
  if (cur === 'deleting' && next === 'fail') return 'deleting';
  return null;
}

/** Refines outcomes along one edge of a test; null when the edge contradicts what is known. */
export function refineOutcomes(o: Outcomes, c: Condition | undefined, truth: boolean): Outcomes | null {
  if (!c) return o;
  const a = c.atom;
  if (a.k !== 'success' && a.k !== 'eq' && a.k !== 'nonnull') return o;
  const key = o.of[a.path] !== undefined ? a.path : o.holds[a.path];
  if (key === undefined) return o;
  const holds = c.pos === truth;
  const kind = o.kinds[key] ?? 'status';
  const cur = o.of[key];
  let next: Outcome | undefined;
  if (a.k === 'success') next = holds ? 'ok' : 'fail';
  else if (a.k === 'nonnull') {
    // A pointer or BOOLEAN is "ok" when non-zero; a status is "ok" when zero (STATUS_SUCCESS).
    next = kind === 'status' ? (holds ? 'fail' : 'ok') : holds ? 'ok' : 'fail';
  } else {
    const v = a.value;
    if (v === 'STATUS_FLT_DELETING_OBJECT') {
      if (holds) next = 'deleting';
      else if (cur === 'deleting') return null;
    } else if (v === 'STATUS_SUCCESS' || (kind !== 'status' && v === 'TRUE')) {
      // "not STATUS_SUCCESS" after a passed NT_SUCCESS test is an informational success: keep "ok".
      if (!holds && cur === 'ok') return o;
      next = holds ? 'ok' : 'fail';
    } else if (v === 'NULL' || v === 'FALSE') {
      next = holds ? (kind === 'status' ? 'ok' : 'fail') : kind === 'status' ? 'fail' : 'ok';
    } else {
      const value = statusByName(v);
      if (value !== undefined && holds) next = ntError(value) ? 'fail' : 'ok';
    }
  }
  if (next === undefined) return o;
  const m = meet(cur, next);
  if (m === null) return null;
  return m === cur ? o : { ...o, of: { ...o.of, [key]: m } };
}
