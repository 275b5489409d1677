/**
 * One path-sensitive pass over a pre- or post-operation callback that several rules read: at each
 * `return`, what is returned, what is known about the operation (IRP or not, which majors,
 * synchronous or not), whether the operation was handed off (queued, inserted into a cbdq, stored
 * in the driver's own queue) and whether that hand-off succeeded, and what *CompletionContext holds.
 *
 * Storing the callback data in a structure (`ctx->Data = Data`, `WORK w = { Data }`) makes that
 * structure a holder: queuing a holder as a generic work item's context hands the operation off as
 * surely as FltQueueDeferredIoWorkItem(…, Data, …) does, and the queue call's status says whether
 * it worked. A holder that never leaves the function still counts as a hand-off of unknown kind.
 */
import type { CallExpr, Span } from '../frontend/ir';
import { callKey, idName, isNonNullLiteral, isNullExpr, mentions, pathOf, rootOf, strip } from '../frontend/exprs';
import type { CfgNode } from '../analysis/cfg';
import { runFlow } from '../analysis/flow';
import { casesOp, initialOp, mayBeNonIrpOp, opKey, refineOp, type OpState } from '../analysis/opstate';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcome, type Outcomes } from '../analysis/outcomes';
import { NON_NULL } from '../analysis/values';
import type { FunctionContext } from '../context';
import type { RawFinding } from '../rule';

export type HandoffApi = 'FltCbdqInsertIo' | 'FltQueueDeferredIoWorkItem' | 'FltQueueGenericWorkItem';

export type Handoff =
  | { k: 'none' }
  | { k: 'call'; api: HandoffApi; key: string; site: Span }
  | { k: 'other'; site: Span };

export type CtxSet = { k: 'null' } | { k: 'set'; site: Span; definite: boolean } | undefined;

export interface ReturnFact {
  node: CfgNode;
  value: string | undefined;
  op: OpState;
  handoff: Handoff;
  handoffOutcome: Outcome | undefined;
  ctxSet: CtxSet;
}

export interface CallFact {
  call: CallExpr;
  op: OpState;
}

export interface CallbackPaths {
  data: string;
  returns: ReturnFact[];
  /** Calls that pass the operation's callback data on, with what is known about the operation there. */
  dataCalls: CallFact[];
  complete: boolean;
}

interface S {
  op: OpState;
  h: Handoff;
  out: Outcomes;
  cc: CtxSet;
  /** Locals that hold the callback data in one of their fields, with where it was stored. */
  holders: readonly { path: string; site: Span }[];
}

const HANDOFF_APIS = new Set<string>(['FltCbdqInsertIo', 'FltQueueDeferredIoWorkItem']);
const WATCHED = new Set<string>(['FltCbdqInsertIo', 'FltQueueDeferredIoWorkItem', 'FltDoCompletionProcessingWhenSafe', 'FltCompletePendedPreOperation']);

/**
 * Calls that read the callback data without taking the operation over: routines of the kernel and
 * the Filter Manager by their prefixes. A function of the driver itself (`FsCreateIrpContext`) may
 * keep it whatever its name.
 */
function onlyReads(callee: string, ownFunction: boolean): boolean {
  if (ownFunction) return false;
  if (/^[A-Z0-9_]+$/.test(callee)) return true;
  if (/Insert|Push|Enqueue|Queue|Post|Defer/.test(callee)) return false;
  return /^(Flt|Rtl|Ke|Mm|Ps|Io|Ob|Zw|Nt|Dbg|Kd|Ex|Se|Cc|Fs)[A-Z]/.test(callee);
}

function holdersKey(hs: S['holders']): string {
  return hs.length === 0 ? '' : hs.map((h) => h.path).join(',');
}

function handoffKey(h: Handoff): string {
  return h.k === 'none' ? 'n' : h.k === 'call' ? `c${h.key}` : `o${h.site.sr}:${h.site.sc}`;
}

function ccKey(c: CtxSet): string {
  return !c ? '' : c.k === 'null' ? 'N' : `S${c.site.sr}:${c.site.sc}${c.definite ? '!' : ''}`;
}

const MEMO = new WeakMap<FunctionContext, CallbackPaths | null>();

/** The callback's majors from its registration (null when registered elsewhere). */
function majorsOf(ctx: FunctionContext): readonly string[] | null {
  const r = ctx.role('preop') ?? ctx.role('postop');
  return r ? r.majors : null;
}

export function callbackPaths(ctx: FunctionContext): CallbackPaths | undefined {
  if (MEMO.has(ctx)) return MEMO.get(ctx) ?? undefined;
  const data = ctx.param(0);
  if (!ctx.readable || !data) { MEMO.set(ctx, null); return undefined; }
  const aliases = ctx.aliases;
  const cc = ctx.role('preop') ? ctx.param(2) : undefined;
  const returns: ReturnFact[] = [];
  const dataCalls = new Map<string, CallFact>();
  const isData = (e: CallExpr['args'][number] | undefined) => !!e && pathOf(e, aliases) === data;
  /** The holder an argument passes (`ctx`, `&w`), if any. */
  const holderOf = (s: S, e: CallExpr['args'][number] | undefined) => {
    const p = e ? pathOf(e, aliases) : undefined;
    return p === undefined ? undefined : s.holders.find((h) => h.path === p || `&${h.path}` === p);
  };

  const complete = runFlow<S>(ctx, {
    init: { op: initialOp(majorsOf(ctx)), h: { k: 'none' }, out: NO_OUTCOMES, cc: undefined, holders: [] },
    key: (s) => `${opKey(s.op)}|${handoffKey(s.h)}|${outcomesKey(s.out)}|${ccKey(s.cc)}|${holdersKey(s.holders)}`,
    call: (c, s) => {
      const name = c.callee;
      if (!name) return s;
      if (WATCHED.has(name) && c.args.some(isData)) {
        const k = `${callKey(c)}|${opKey(s.op)}`;
        if (!dataCalls.has(k)) dataCalls.set(k, { call: c, op: s.op });
      }
      if (HANDOFF_APIS.has(name) && isData(c.args[1])) {
        return { ...s, h: { k: 'call', api: name as HandoffApi, key: callKey(c), site: c.r }, out: track(s.out, c, 'status') };
      }
      if (name === 'FltQueueGenericWorkItem' && holderOf(s, c.args[4])) {
        return { ...s, h: { k: 'call', api: name, key: callKey(c), site: c.r }, out: track(s.out, c, 'status') };
      }
      if (s.h.k === 'none' && !onlyReads(name, ctx.file.knows(name)) && c.args.some((a) => { const p = pathOf(a, aliases); return p === data || (p?.startsWith(`&${data}->`) ?? false) || holderOf(s, a) !== undefined; })) {
        return { ...s, h: { k: 'other', site: c.r } };
      }
      if (name === 'FltDoCompletionProcessingWhenSafe' && isData(c.args[0])) return { ...s, h: { k: 'other', site: c.r } };
      return s;
    },
    assign: (a, s, env) => {
      let next = s;
      const rhs = pathOf(a.right, aliases);
      const right = strip(a.right);
      // The callback data itself, or an initializer or compound literal holding it.
      const stored = rhs === data || rhs?.startsWith(`&${data}->`) || ((right.k === 'init' || right.k === 'other') && mentions(right, data, aliases));
      if (stored) {
        // Into a field of a local (or the local itself, as an initializer): that local now holds it.
        const target = pathOf(a.left, aliases);
        const root = target === undefined ? undefined : rootOf(target);
        if (root !== undefined && ctx.fn.locals.has(root) && !ctx.fn.staticLocals.has(root) && (target !== root || right.k !== 'id')) {
          if (!next.holders.some((h) => h.path === root)) next = { ...next, holders: [...next.holders, { path: root, site: a.r }] };
        } else if (next.h.k === 'none') {
          next = { ...next, h: { k: 'other', site: a.r } };
        }
      } else if (right.k === 'call' && next.h.k === 'other' && next.h.site === right.r && idName(a.left) !== undefined && ctx.fn.locals.has(idName(a.left)!)) {
        // `ctx = MakeContext(Data)`: the driver's helper put the operation into what it returned.
        next = { ...next, h: { k: 'none' }, holders: [...next.holders, { path: idName(a.left)!, site: a.r }] };
      } else if (next.h.k === 'none' && next.holders.length > 0) {
        // A holder stored somewhere else (a global list, another structure) goes with the operation.
        const held = holderOf(next, a.right);
        if (held && !ctx.fn.locals.has(rootOf(pathOf(a.left, aliases) ?? ''))) next = { ...next, h: { k: 'other', site: a.r } };
      }
      if (cc && pathOf(a.left, aliases) === `*${cc}`) {
        const value = ctx.values.valueOf(env, a.right);
        const isNull = isNullExpr(a.right) || value === 'NULL';
        const definite = isNonNullLiteral(a.right) || value === NON_NULL;
        next = { ...next, cc: isNull ? { k: 'null' } : { k: 'set', site: a.r, definite } };
      }
      const out = noteAssign(next.out, a);
      return out === next.out ? next : { ...next, out };
    },
    refine: (c, _cond, truth, s) => {
      const op = refineOp(s.op, c, truth, data);
      if (op === null) return null;
      const out = refineOutcomes(s.out, c, truth);
      if (out === null) return null;
      return op === s.op && out === s.out ? s : { ...s, op, out };
    },
    cases: (disc, values, isDefault, s) => {
      const op = casesOp(s.op, disc, values, isDefault, data, aliases);
      return op === null ? null : op === s.op ? s : { ...s, op };
    },
    ret: (node, value, s) => {
      // Held in a structure that never left: the operation may still be reached through it.
      const handoff: Handoff = s.h.k === 'none' && s.holders.length > 0 ? { k: 'other', site: s.holders[0].site } : s.h;
      returns.push({ node, value, op: s.op, handoff, handoffOutcome: handoff.k === 'call' ? s.out.of[handoff.key] : undefined, ctxSet: s.cc });
      return s;
    },
  });
  const result: CallbackPaths = { data, returns, dataCalls: [...dataCalls.values()], complete };
  MEMO.set(ctx, result);
  return result;
}

/** Keeps one fact per return statement and tag. */
export function oncePerReturn() {
  const seen = new Set<string>();
  return (r: ReturnFact, tag = '') => {
    const k = `${r.node.id}|${tag}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
}

/**
 * One finding per call to `api` reached with an operation that may be fast I/O or FsFilter: the
 * hand-off APIs accept only IRP-based operations.
 */
export function nonIrpHandoffs(ctx: FunctionContext, api: HandoffApi): RawFinding[] {
  const out: RawFinding[] = [];
  const paths = callbackPaths(ctx);
  if (!paths) return out;
  const seen = new Set<string>();
  for (const f of paths.dataCalls) {
    if (f.call.callee !== api || !mayBeNonIrpOp(f.op)) continue;
    const k = `${f.call.r.sr}:${f.call.r.sc}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ at: ctx.loc(f.call.r), message: `The operation may be fast I/O here (registered for ${f.op.majors!.join(', ')}); test FLT_IS_IRP_OPERATION(${paths.data}) before ${api}.` });
  }
  return out;
}
