/**
 * What an atomic condition says, in terms rules can use: "this pointer is not NULL", "this status
 * is a success", "this path equals that constant", "this is an IRP operation", "this operation is
 * synchronous". `classify` returns the atom and whether the condition being true means the atom
 * holds (`pos`) or fails.
 */
import type { CallExpr, Expr } from '../frontend/ir';
import { constName, isNullExpr, pathOf, strip, type Aliases } from '../frontend/exprs';

export type OpKind = 'irp' | 'fastio' | 'fsfilter';

export type Atom =
  | { k: 'nonnull'; path: string }
  | { k: 'success'; path: string }
  | { k: 'eq'; path: string; value: string }
  | { k: 'opkind'; path: string; kind: OpKind }
  | { k: 'sync'; path: string }
  | { k: 'flag'; path: string; flag: string }
  | { k: 'call'; call: CallExpr };

export interface Condition {
  atom: Atom;
  /** True: the condition holds exactly when the atom holds. False: when it does not. */
  pos: boolean;
}

const OPKIND_MACROS: Record<string, OpKind> = {
  FLT_IS_IRP_OPERATION: 'irp',
  FLT_IS_FASTIO_OPERATION: 'fastio',
  FLT_IS_FS_FILTER_OPERATION: 'fsfilter',
};

const OPKIND_FLAGS: Record<string, OpKind> = {
  FLTFL_CALLBACK_DATA_IRP_OPERATION: 'irp',
  FLTFL_CALLBACK_DATA_FAST_IO_OPERATION: 'fastio',
  FLTFL_CALLBACK_DATA_FS_FILTER_OPERATION: 'fsfilter',
};

function flagAtom(target: Expr, flagExpr: Expr, aliases?: Aliases): Atom | undefined {
  const flag = constName(flagExpr);
  const p = pathOf(target, aliases);
  if (!flag || p === undefined) return undefined;
  const kind = OPKIND_FLAGS[flag];
  if (kind && /(->|\.)Flags$/.test(p)) return { k: 'opkind', path: p.replace(/(->|\.)Flags$/, ''), kind };
  return { k: 'flag', path: p, flag };
}

const CLASSIFIED = new WeakMap<Expr, { aliases: Aliases | undefined; c: Condition | undefined }>();

/** Memoised per condition: a test is classified once, however many path states cross it. */
export function classify(cond: Expr, aliases?: Aliases): Condition | undefined {
  const hit = CLASSIFIED.get(cond);
  if (hit && hit.aliases === aliases) return hit.c;
  const c = classifyNow(cond, aliases);
  CLASSIFIED.set(cond, { aliases, c });
  return c;
}

function classifyNow(cond: Expr, aliases?: Aliases): Condition | undefined {
  const e = strip(cond);
  switch (e.k) {
    case 'unary': {
      if (e.op !== '!') break;
      const inner = classify(e.arg, aliases);
      return inner && { atom: inner.atom, pos: !inner.pos };
    }
    case 'call': {
      const name = e.callee;
      const a0 = e.args[0];
      if (name === 'NT_SUCCESS' && a0) {
        const p = pathOf(a0, aliases);
        return p === undefined ? undefined : { atom: { k: 'success', path: p }, pos: true };
      }
      if (name === 'NT_ERROR' && a0) {
        const p = pathOf(a0, aliases);
        return p === undefined ? undefined : { atom: { k: 'success', path: p }, pos: false };
      }
      if (name && OPKIND_MACROS[name] && a0) {
        const p = pathOf(a0, aliases);
        return p === undefined ? undefined : { atom: { k: 'opkind', path: p, kind: OPKIND_MACROS[name] }, pos: true };
      }
      if ((name === 'FlagOn' || name === 'BooleanFlagOn' || name === 'FLAG_ON') && e.args.length === 2) {
        const atom = flagAtom(e.args[0], e.args[1], aliases);
        return atom && { atom, pos: true };
      }
      if (name === 'FltIsOperationSynchronous' && a0) {
        const p = pathOf(a0, aliases);
        return p === undefined ? undefined : { atom: { k: 'sync', path: p }, pos: true };
      }
      if (name === 'IoIsOperationSynchronous') return { atom: { k: 'sync', path: '*' }, pos: true };
      return { atom: { k: 'call', call: e }, pos: true };
    }
    case 'binary': {
      if (e.op === '&') {
        const atom = flagAtom(e.left, e.right, aliases) ?? flagAtom(e.right, e.left, aliases);
        return atom && { atom, pos: true };
      }
      if (e.op !== '==' && e.op !== '!=') break;
      const eq = e.op === '==';
      let l = e.left;
      let r = e.right;
      if (isNullExpr(l) || (constName(l) && !constName(r))) [l, r] = [r, l];
      if (isNullExpr(r)) {
        const inner = classify(l, aliases);
        // `(x & FLAG) != 0`, `NT_SUCCESS(s) == FALSE`-style comparisons of a condition with zero.
        if (inner && inner.atom.k !== 'nonnull' && strip(l).k !== 'id' && strip(l).k !== 'field' && strip(l).k !== 'assign') {
          return { atom: inner.atom, pos: eq ? !inner.pos : inner.pos };
        }
        const p = pathOf(l, aliases);
        return p === undefined ? undefined : { atom: { k: 'nonnull', path: p }, pos: !eq };
      }
      const value = constName(r);
      if (value === 'FALSE' || value === 'TRUE') {
        const inner = classify(l, aliases);
        if (!inner) return undefined;
        return { atom: inner.atom, pos: (value === 'TRUE') === eq ? inner.pos : !inner.pos };
      }
      const p = pathOf(l, aliases);
      if (value && p !== undefined) return { atom: { k: 'eq', path: p, value }, pos: eq };
      return undefined;
    }
    case 'id': case 'field': case 'index': case 'assign': {
      const p = pathOf(e, aliases);
      return p === undefined ? undefined : { atom: { k: 'nonnull', path: p }, pos: true };
    }
    default:
      break;
  }
  return undefined;
}

/** The callback-data path whose major function an `eq` atom's path reads, if it does. */
export function majorPathOwner(path: string): string | undefined {
  const m = /^(.*)(?:->|\.)Iopb->MajorFunction$/.exec(path);
  return m ? m[1] : undefined;
}
