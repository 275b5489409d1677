/**
 * Who owns a pended operation, and whether it completes it on every path: a deferred-I/O worker
 * (its callback data), a generic worker whose context carries the callback data of the callback
 * that queued it (`ctx->Data = Data; FltQueueGenericWorkItem(…, ctx)`), and any function that takes
 * operations out of a cancel-safe queue (FltCbdqRemoveNextIo, FltCbdqRemoveIo). Such an operation is
 * done when it is passed to FltCompletePendedPreOperation or FltCompletePendedPostOperation, or
 * handed on (queued again, given to another function of the driver, stored). A path that ends with
 * it still pending — an early return, a `default:` that forgets it, an `__except` handler entered
 * from a call that raised — strands the I/O.
 */
import { API_CATALOG } from '../../api/catalog';
import type { Span } from '../frontend/ir';
import { idName, pathOf, rootOf, strip } from '../frontend/exprs';
import { allAssignments } from '../frontend/walk';
import { runFlow } from '../analysis/flow';
import type { Loc } from '../analysis/model';
import type { FunctionContext } from '../context';
import { QUEUE_ARGS } from './workItems';

export type PendedKind = 'pre' | 'post';

export const COMPLETERS: Record<string, PendedKind> = { FltCompletePendedPreOperation: 'pre', FltCompletePendedPostOperation: 'post' };
const REMOVERS = new Set(['FltCbdqRemoveNextIo', 'FltCbdqRemoveIo']);
/** Routines that take the operation over: not borrowers, whatever the catalog says of them. */
const TAKERS = new Set([...Object.keys(QUEUE_ARGS), 'FltCbdqInsertIo', 'FltDoCompletionProcessingWhenSafe', 'FltPerformAsynchronousIo']);

export interface PendedLeak {
  kind: PendedKind;
  /** The expression that holds the operation (`Data`, `ctx->Data`). */
  path: string;
  /** Where the path that strands it returns (undefined: the end of the function). */
  ret?: Span;
  /** Where the function got the operation. */
  origin: { at: Loc; message: string };
}

interface Item {
  path: string;
  /** The local whose value the path is read through, for hand-offs of the whole structure. */
  root: string;
  state: 'pending' | 'done';
  id: string;
  site: Span;
  /** From a removal: a NULL result holds nothing. */
  mayBeNull: boolean;
}

type S = readonly Item[];

/** Whether the routine only reads the operation: a documented routine that does not take it over, or a macro. */
function borrows(callee: string): boolean {
  if (COMPLETERS[callee] || TAKERS.has(callee)) return false;
  return API_CATALOG.has(callee) || /^[A-Z0-9_]+$/.test(callee) || /^(?:Dbg|Kd)Print/.test(callee);
}

/** The kind of operation a worker owns, from the callback that queued it (when it is in this file). */
function queuedFrom(ctx: FunctionContext, site: Loc): PendedKind | undefined {
  if (site.file !== undefined || !site.anchor.startsWith('fn:')) return undefined;
  const roles = ctx.file.rolesOf(site.anchor.slice(3));
  if (roles.some((r) => r.k === 'preop')) return 'pre';
  if (roles.some((r) => r.k === 'postop')) return 'post';
  return undefined;
}

/** Locals that hold the worker's context parameter (`ctx = (PWORK_CTX)Context`). */
/** The worker's context parameter and the locals that take its value (`Item = (PITEM)Context`). */
export function contextRoots(ctx: FunctionContext, param: string): string[] {
  const roots = [param];
  for (const v of ctx.fn.locals.values()) if (v.init && idName(strip(v.init)) === param) roots.push(v.name);
  for (const a of allAssignments(ctx.fn.body)) {
    const n = idName(a.left);
    if (n && a.op === '=' && ctx.fn.locals.has(n) && idName(strip(a.right)) === param && !roots.includes(n)) roots.push(n);
  }
  return roots;
}

const MEMO = new WeakMap<FunctionContext, PendedLeak[]>();

export function pendedLeaks(ctx: FunctionContext): PendedLeak[] {
  const hit = MEMO.get(ctx);
  if (hit) return hit;
  const found = compute(ctx);
  MEMO.set(ctx, found);
  return found;
}

function compute(ctx: FunctionContext): PendedLeak[] {
  if (!ctx.readable) return [];
  const aliases = ctx.aliases;
  const initial: Item[] = [];
  let kind: PendedKind | undefined;
  let origin: PendedLeak['origin'] | undefined;
  const worker = ctx.role('worker');
  if (worker?.kind === 'deferred' && ctx.param(1)) {
    initial.push({ path: ctx.param(1)!, root: ctx.param(1)!, state: 'pending', id: 'param', site: ctx.fn.nameSpan, mayBeNull: false });
    kind = queuedFrom(ctx, worker.site);
    origin = { at: worker.site, message: 'the operation was posted to this worker here' };
  } else if (worker?.kind === 'generic' && worker.carries && ctx.param(2)) {
    // The local the worker reads the context through is the name its author knows: report with it first.
    for (const root of contextRoots(ctx, ctx.param(2)!).reverse()) initial.push({ path: `${root}->${worker.carries}`, root, state: 'pending', id: 'param', site: ctx.fn.nameSpan, mayBeNull: false });
    kind = queuedFrom(ctx, worker.site);
    origin = { at: worker.site, message: `the operation was stored in the context's ${worker.carries} and queued here` };
  }
  const calls = ctx.file.model.functions.get(ctx.name)?.facts.callNames ?? new Set<string>();
  const removes = [...REMOVERS].some((n) => calls.has(n));
  if (initial.length === 0 && !removes) return [];
  if (ctx.roles.some((r) => r.k === 'cbdq' && r.cb === 'cancel')) return []; // cbdq-cancel-cb's business
  if (!kind) kind = calls.has('FltCompletePendedPostOperation') && !calls.has('FltCompletePendedPreOperation') ? 'post' : 'pre';

  const leaks = new Map<string, PendedLeak>();
  const removalSites = new Map<string, Span>();
  const update = (s: S, target: Item, patch: Partial<Item>): S => s.map((i) => (i === target ? { ...i, ...patch } : i));
  const complete = runFlow<S>(ctx, {
    init: initial,
    key: (s) => s.map((i) => `${i.id}/${i.path}/${i.state}/${i.mayBeNull ? 1 : 0}`).join(','),
    call: (c, s) => {
      const name = c.callee ?? '';
      let next = s;
      for (const it of s) {
        if (it.state !== 'pending') continue;
        const touches = c.args.some((a) => {
          const p = pathOf(strip(a), aliases);
          return p === it.path || p === `&${it.path}` || (it.root !== it.path && (p === it.root || p === `&${it.root}`));
        });
        if (!touches) continue;
        const passesItself = c.args.some((a) => pathOf(strip(a), aliases) === it.path);
        // Items of one id are the same operation read through different locals: they go together.
        if (COMPLETERS[name] && passesItself) next = next.map((x) => (x.id === it.id ? { ...x, state: 'done' as const } : x));
        else if (!borrows(name)) next = next.filter((x) => x.id !== it.id);
      }
      return next;
    },
    assign: (a, s) => {
      let next = s;
      const target = pathOf(a.left, aliases);
      const rhs = strip(a.right);
      for (const it of s) {
        if (it.state === 'pending' && target !== undefined && target !== it.path && pathOf(rhs, aliases) === it.path && !ctx.fn.locals.has(rootOf(target))) next = next.filter((x) => x.id !== it.id);
      }
      const local = idName(a.left);
      if (rhs.k === 'call' && rhs.callee && REMOVERS.has(rhs.callee) && local && ctx.fn.locals.has(local)) {
        const id = `@${rhs.r.sr}:${rhs.r.sc}`;
        removalSites.set(id, rhs.r);
        next = [...next.filter((x) => x.path !== local), { path: local, root: local, state: 'pending', id, site: rhs.r, mayBeNull: true }];
      } else if (local && next.some((x) => x.path === local && x.id !== 'param')) {
        next = next.filter((x) => !(x.path === local && x.id !== 'param'));
      }
      return next;
    },
    refine: (c, _cond, truth, s) => {
      if (!c || c.atom.k !== 'nonnull') return s;
      const holds = c.pos === truth;
      const path = c.atom.path;
      const it = s.find((i) => i.path === path);
      if (!it) return s;
      if (!holds) return s.filter((i) => i !== it);
      return it.mayBeNull ? update(s, it, { mayBeNull: false }) : s;
    },
    exit: (s, _env, ret) => {
      for (const it of s) {
        if (it.state !== 'pending' || it.mayBeNull || leaks.has(it.id)) continue;
        const from = it.id === 'param' ? origin : { at: ctx.loc(removalSites.get(it.id) ?? it.site), message: 'taken out of the queue here' };
        if (!from) continue;
        leaks.set(it.id, { kind: kind!, path: it.path, ret: ret?.r, origin: from });
      }
    },
  }, { constants: 'conditions' });
  return complete ? [...leaks.values()] : [];
}
