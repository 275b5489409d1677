/**
 * One path-sensitive pass over a pre- or post-operation callback that several rules read: at each
 * `return`, what is returned, what is known about the operation (IRP or not, which majors,
 * synchronous or not), whether the operation was handed off (queued, inserted into a cbdq, stored
 * in the driver's own queue) and whether that hand-off succeeded, and what *CompletionContext holds.
 */
import type { CallExpr, Span } from '../frontend/ir';
import { callKey, isNonNullLiteral, isNullExpr, pathOf } from '../frontend/exprs';
import type { CfgNode } from '../analysis/cfg';
import { runFlow } from '../analysis/flow';
import { casesOp, initialOp, mayBeNonIrpOp, opKey, refineOp, type OpState } from '../analysis/opstate';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcome, type Outcomes } from '../analysis/outcomes';
import { NON_NULL } from '../analysis/values';
import type { FunctionContext } from '../context';
import type { RawFinding } from '../rule';

export type HandoffApi = 'FltCbdqInsertIo' | 'FltQueueDeferredIoWorkItem';

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
}

const HANDOFF_APIS = new Set<string>(['FltCbdqInsertIo', 'FltQueueDeferredIoWorkItem']);
const WATCHED = new Set<string>(['FltCbdqInsertIo', 'FltQueueDeferredIoWorkItem', 'FltDoCompletionProcessingWhenSafe', 'FltCompletePendedPreOperation']);

/** Calls that read the callback data without taking the operation over. */
function onlyReads(callee: string): boolean {
  if (/^[A-Z0-9_]+$/.test(callee)) return true;
  if (/Insert|Push|Enqueue|Queue|Post|Defer/.test(callee)) return false;
  return /^(Flt|Rtl|Ke|Mm|Ps|Io|Ob|Zw|Nt|Dbg|Kd|Ex|Se|Cc|Fs)[A-Z]/.test(callee);
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

  const complete = runFlow<S>(ctx, {
    init: { op: initialOp(majorsOf(ctx)), h: { k: 'none' }, out: NO_OUTCOMES, cc: undefined },
    key: (s) => `${opKey(s.op)}|${handoffKey(s.h)}|${outcomesKey(s.out)}|${ccKey(s.cc)}`,
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
      if (s.h.k === 'none' && !onlyReads(name) && c.args.some((a) => { const p = pathOf(a, aliases); return p === data || (p?.startsWith(`&${data}->`) ?? false); })) {
        return { ...s, h: { k: 'other', site: c.r } };
      }
      if (name === 'FltDoCompletionProcessingWhenSafe' && isData(c.args[0])) return { ...s, h: { k: 'other', site: c.r } };
      return s;
    },
    assign: (a, s, env) => {
      let next = s;
      const rhs = pathOf(a.right, aliases);
      if (s.h.k === 'none' && (rhs === data || rhs?.startsWith(`&${data}->`))) next = { ...next, h: { k: 'other', site: a.r } };
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
      returns.push({ node, value, op: s.op, handoff: s.h, handoffOutcome: s.h.k === 'call' ? s.out.of[s.h.key] : undefined, ctxSet: s.cc });
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
