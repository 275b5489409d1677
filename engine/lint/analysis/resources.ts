/**
 * Tracking an owned resource (a work item, a context reference, name information) along paths:
 * where it was obtained, whether it was released, and whether it escaped — stored somewhere,
 * returned, or handed to a routine that may release it. An escaped resource is no longer this
 * function's business, which is how the rules stay silent where ownership moves out of sight.
 */
import type { AssignExpr, CallExpr, Expr, Span } from '../frontend/ir';
import { mentions, pathOf, strip, type Aliases } from '../frontend/exprs';

export type ResState = 'held' | 'freed' | 'escaped' | 'queued';

export interface Res {
  /** Key of the call that produced it (or `param:<name>`). */
  id: string;
  /** The variable (access path) that holds it. */
  path: string;
  state: ResState;
  /** What produced it: the API name, or a kind the rule chose. */
  kind: string;
  site: Span;
  /** The call whose success makes it real (a FltGet*Context status), if any. */
  cond?: string;
  /** Where it was released (for double releases) or queued. */
  at?: Span;
}

export type Resources = readonly Res[];

const KEYS = new WeakMap<Resources, string>();

export function resKey(rs: Resources): string {
  let s = KEYS.get(rs);
  if (s !== undefined) return s;
  s = '';
  for (const r of rs) s += `${r.id}/${r.path}/${r.state}/${r.kind}/${r.cond ?? ''};`;
  KEYS.set(rs, s);
  return s;
}

export function findRes(rs: Resources, path: string | undefined, states?: ResState[]): Res | undefined {
  if (path === undefined) return undefined;
  for (let i = rs.length - 1; i >= 0; i--) {
    const r = rs[i];
    if (r.path === path && (!states || states.includes(r.state))) return r;
  }
  return undefined;
}

export function updateRes(rs: Resources, target: Res, patch: Partial<Res>): Resources {
  return rs.map((r) => (r === target ? { ...r, ...patch } : r));
}

/** Adds a resource, replacing one obtained by the same call (a loop obtaining it again). */
export function addRes(rs: Resources, r: Res): Resources {
  return [...rs.filter((x) => x.id !== r.id), r];
}

export function dropRes(rs: Resources, target: Res): Resources {
  return rs.filter((r) => r !== target);
}

/** Routines that only look at what they are given. */
export const BORROWERS = new Set([
  'UNREFERENCED_PARAMETER', 'DBG_UNREFERENCED_PARAMETER', 'DBG_UNREFERENCED_LOCAL_VARIABLE', 'UNUSED', 'UNUSED_PARAMETER',
  'DbgPrint', 'DbgPrintEx', 'KdPrint', 'KdPrintEx', 'ASSERT', 'NT_ASSERT', 'FLT_ASSERT', 'ASSERTMSG', 'NT_ASSERTMSG', 'FLT_ASSERTMSG',
  'RtlZeroMemory', 'RtlCopyMemory', 'RtlMoveMemory', 'RtlFillMemory', 'RtlSecureZeroMemory', 'RtlCompareMemory', 'RtlEqualMemory',
  'memset', 'memcpy', 'memmove', 'memcmp', 'sizeof',
]);

/**
 * Whether a call lets a tracked path escape: it is passed (as itself or its address) to a routine
 * that is not known to only borrow it. `borrows(callee, argIndex)` adds rule-specific borrowers.
 */
export function escapesThroughCall(c: CallExpr, path: string, aliases: Aliases | undefined, borrows?: (callee: string, arg: number) => boolean): boolean {
  const callee = c.callee;
  for (let i = 0; i < c.args.length; i++) {
    const a = strip(c.args[i]);
    const p = pathOf(a, aliases);
    const direct = p === path || p === `&${path}`;
    if (!direct && !(a.k === 'other' && mentions(a, path, aliases))) continue;
    if (callee && (BORROWERS.has(callee) || borrows?.(callee, i))) continue;
    return true;
  }
  return false;
}

/** Whether an assignment stores the tracked path somewhere (its value, not a field read through it). */
export function escapesThroughAssign(a: AssignExpr, path: string, aliases?: Aliases): boolean {
  const rhs = strip(a.right);
  const p = pathOf(rhs, aliases);
  if (p === path || p === `&${path}`) return true;
  if (rhs.k === 'cond') return [rhs.then, rhs.else].some((x) => pathOf(x, aliases) === path);
  if (rhs.k === 'init') return mentions(rhs, path, aliases);
  return false;
}

/** Whether a returned expression hands the tracked path to the caller. */
export function escapesThroughReturn(e: Expr | undefined, path: string, aliases?: Aliases): boolean {
  if (!e) return false;
  const s = strip(e);
  return pathOf(s, aliases) === path || (s.k !== 'call' && s.k !== 'id' && mentions(s, path, aliases) && s.k !== 'field');
}

/** The left side of an assignment overwrites the tracked variable itself. */
export function overwrites(a: AssignExpr, path: string, aliases?: Aliases): boolean {
  return pathOf(a.left, aliases) === path;
}
