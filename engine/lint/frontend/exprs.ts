/**
 * Reading IR expressions: access paths (`Data->Iopb->MajorFunction`) as canonical strings, NULL and
 * non-NULL literals, and the order in which an expression's calls and assignments happen.
 */
import type { AssignExpr, CallExpr, Expr, Span } from './ir';

/** Removes casts: `(PVOID) ctx` reads as `ctx`. */
export function strip(e: Expr): Expr {
  while (e.k === 'cast') e = e.arg;
  return e;
}

/** Local names that stand for a longer path (`iopb` for `Data->Iopb`), see `findAliases`. */
export type Aliases = ReadonlyMap<string, string>;

/**
 * The canonical text of an lvalue-like expression, or undefined for anything else. Casts are
 * dropped; `&x->f` keeps its `&`. An assignment's path is its left side; a call's is `@row:col`,
 * a key rules use for "the value this call returned".
 */
const PATHS = new WeakMap<Expr, string | null>();
const PATHS_AS_BASE = new WeakMap<Expr, string | null>();
type PathMemo = Map<Expr, string | null> | WeakMap<Expr, string | null>;
const ALIASED = new WeakMap<Aliases, { plain: PathMemo; base: PathMemo }>();

/**
 * Memoised per expression (and alias table): rules ask for the same paths on every path state.
 * Expressions are immutable once lowered, so the answer never changes.
 *
 * An alias table belongs to one function's analysis (even an empty one), so its memo is a plain
 * Map that dies with the table: inserting into a WeakMap costs several times more, and this memo
 * takes one entry per expression asked about. Only calls without a table use the global WeakMaps.
 */
export function pathOf(e: Expr, aliases?: Aliases, asBase = false): string | undefined {
  let memo: PathMemo;
  if (aliases) {
    let m = ALIASED.get(aliases);
    if (!m) { m = { plain: new Map(), base: new Map() }; ALIASED.set(aliases, m); }
    memo = asBase ? m.base : m.plain;
  } else {
    memo = asBase ? PATHS_AS_BASE : PATHS;
  }
  const hit = memo.get(e);
  if (hit !== undefined) return hit ?? undefined;
  const v = computePath(e, aliases && aliases.size > 0 ? aliases : undefined, asBase);
  memo.set(e, v ?? null);
  return v;
}

function computePath(e: Expr, aliases: Aliases | undefined, asBase: boolean): string | undefined {
  e = strip(e);
  switch (e.k) {
    case 'id':
      // An alias stands for its path only where something is reached through it (`iopb->X`).
      return (asBase ? aliases?.get(e.name) : undefined) ?? e.name;
    case 'field': {
      const o = pathOf(e.obj, aliases, true);
      return o === undefined ? undefined : `${o}${e.arrow ? '->' : '.'}${e.field}`;
    }
    case 'index': {
      const o = pathOf(e.obj, aliases, true);
      const i = strip(e.index);
      const it = i.k === 'num' ? i.text : i.k === 'id' ? i.name : undefined;
      return o === undefined || it === undefined ? undefined : `${o}[${it}]`;
    }
    case 'unary': {
      if (e.op !== '&' && e.op !== '*') return undefined;
      const o = pathOf(e.arg, aliases, e.op === '*');
      return o === undefined ? undefined : `${e.op}${o}`;
    }
    case 'assign':
      return e.op === '=' ? pathOf(e.left, aliases) : undefined;
    case 'call':
      return callKey(e);
    default:
      return undefined;
  }
}

/** A stable key for "the value returned by this call". */
export function callKey(c: CallExpr): string {
  return `@${c.r.sr}:${c.r.sc}`;
}

/** The plain name of an identifier (after casts), else undefined. */
export function idName(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const s = strip(e);
  return s.k === 'id' ? s.name : undefined;
}

/** The operand of `&x` (after casts), or undefined. */
export function addressOf(e: Expr | undefined): Expr | undefined {
  if (!e) return undefined;
  const s = strip(e);
  return s.k === 'unary' && s.op === '&' ? s.arg : undefined;
}

export function isNullExpr(e: Expr | undefined): boolean {
  if (!e) return false;
  const s = strip(e);
  if (s.k === 'id') return s.name === 'NULL' || s.name === 'nullptr';
  if (s.k === 'num') return s.value === 0;
  return false;
}

/** Values that cannot be NULL whatever the program state: `&x`, string literals, non-zero numbers. */
export function isNonNullLiteral(e: Expr | undefined): boolean {
  if (!e) return false;
  const s = strip(e);
  if (s.k === 'unary' && s.op === '&') return true;
  if (s.k === 'str') return true;
  if (s.k === 'num') return s.value !== undefined && s.value !== 0;
  return false;
}

/** An identifier written like a constant or enum value: `FLT_PREOP_PENDING`, `STATUS_SUCCESS`. */
export function constName(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const s = strip(e);
  if (s.k === 'id' && /^[A-Z][A-Z0-9_]*$/.test(s.name) && s.name.length > 1) return s.name;
  if (s.k === 'num') return s.value === 0 ? 'NULL' : s.text;
  return undefined;
}

export interface EvalHooks {
  call?(c: CallExpr): void;
  assign?(a: AssignExpr): void;
  /** A read of `&x`, which lets a callee write x. */
  addressTaken?(operand: Expr, at: Expr): void;
}

/**
 * Visits an expression in evaluation order: a call after its arguments, an assignment after its
 * right side. Both arms of `?:`, `&&` and `||` are visited (the CFG splits only statement-level
 * conditions).
 */
export function walkEval(e: Expr, hooks: EvalHooks): void {
  switch (e.k) {
    case 'call':
      if (e.callee === undefined) walkEval(e.fn, hooks);
      for (const a of e.args) walkEval(a, hooks);
      hooks.call?.(e);
      return;
    case 'assign':
      walkEval(e.right, hooks);
      if (e.op !== '=') walkEval(e.left, hooks);
      else walkLvalue(e.left, hooks);
      hooks.assign?.(e);
      return;
    case 'field': walkEval(e.obj, hooks); return;
    case 'index': walkEval(e.obj, hooks); walkEval(e.index, hooks); return;
    case 'unary':
      if (e.op === '&') hooks.addressTaken?.(e.arg, e);
      walkEval(e.arg, hooks);
      return;
    case 'postfix': walkEval(e.arg, hooks); return;
    case 'binary': walkEval(e.left, hooks); walkEval(e.right, hooks); return;
    case 'cond': walkEval(e.test, hooks); walkEval(e.then, hooks); walkEval(e.else, hooks); return;
    case 'cast': walkEval(e.arg, hooks); return;
    case 'comma': walkEval(e.left, hooks); walkEval(e.right, hooks); return;
    case 'init': for (const i of e.items) walkEval(i, hooks); return;
    case 'other': for (const s of e.subs) walkEval(s, hooks); return;
    default: return;
  }
}

function walkLvalue(e: Expr, hooks: EvalHooks): void {
  // The target's own sub-expressions (an index, a pointer being followed) are evaluated.
  switch (e.k) {
    case 'field': walkEval(e.obj, hooks); return;
    case 'index': walkEval(e.obj, hooks); walkEval(e.index, hooks); return;
    case 'unary': walkEval(e.arg, hooks); return;
    default: return;
  }
}

/** Every call inside `e`, in evaluation order. */
export function callsIn(e: Expr): CallExpr[] {
  const out: CallExpr[] = [];
  walkEval(e, { call: (c) => out.push(c) });
  return out;
}

/** True when `e` mentions path `p` (or something reached through it). */
export function mentions(e: Expr, p: string, aliases?: Aliases): boolean {
  const xp = e.k === 'call' ? undefined : pathOf(e, aliases);
  if (xp !== undefined && (xp === p || xp.startsWith(`${p}->`) || xp.startsWith(`${p}.`) || xp === `&${p}` || xp === `*${p}`)) return true;
  switch (e.k) {
    case 'call': if (mentions(e.fn, p, aliases)) return true; for (const a of e.args) if (mentions(a, p, aliases)) return true; return false;
    case 'assign': case 'binary': case 'comma': return mentions(e.left, p, aliases) || mentions(e.right, p, aliases);
    case 'field': return mentions(e.obj, p, aliases);
    case 'index': return mentions(e.obj, p, aliases) || mentions(e.index, p, aliases);
    case 'unary': case 'postfix': case 'cast': return mentions(e.arg, p, aliases);
    case 'cond': return mentions(e.test, p, aliases) || mentions(e.then, p, aliases) || mentions(e.else, p, aliases);
    case 'init': for (const i of e.items) if (mentions(i, p, aliases)) return true; return false;
    case 'other': for (const x of e.subs) if (mentions(x, p, aliases)) return true; return false;
    default: return false;
  }
}

/** The last component of a C++ qualified name: `Func` for `ns::Class::Func` or `::Func`. */
/**
 * The name a call is made by: the callee, or the method of a member call (`obj.Run()`,
 * `p->Run()`), whose `callee` the IR leaves unset so that no API check takes it for the routine.
 */
export function calledName(c: CallExpr): string | undefined {
  if (c.callee) return c.callee;
  const fn = strip(c.fn);
  return fn.k === 'field' ? fn.field : undefined;
}

export function unqualified(name: string): string {
  const at = name.lastIndexOf('::');
  return (at < 0 ? name : name.slice(at + 2)).replace(/<[\s\S]*$/, '').trim();
}

/** The root variable of a path: `ctx` for `ctx->Lock`, `&ctx->Lock`, `*ctx`. */
export function rootOf(path: string): string {
  const m = /^[&*]*([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  return m ? m[1] : path;
}

export function spanText(s: Span): string {
  return `${s.sr}:${s.sc}`;
}

/** Visits `e` and every sub-expression, parents first. */
export function visitExpr(e: Expr, f: (x: Expr) => void): void {
  f(e);
  switch (e.k) {
    case 'call': visitExpr(e.fn, f); for (const a of e.args) visitExpr(a, f); return;
    case 'assign': case 'binary': case 'comma': visitExpr(e.left, f); visitExpr(e.right, f); return;
    case 'field': visitExpr(e.obj, f); return;
    case 'index': visitExpr(e.obj, f); visitExpr(e.index, f); return;
    case 'unary': case 'postfix': case 'cast': visitExpr(e.arg, f); return;
    case 'cond': visitExpr(e.test, f); visitExpr(e.then, f); visitExpr(e.else, f); return;
    case 'init': for (const i of e.items) visitExpr(i, f); return;
    case 'other': for (const s of e.subs) visitExpr(s, f); return;
    default: return;
  }
}
