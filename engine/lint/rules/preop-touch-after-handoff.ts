import { runFlow } from '../analysis/flow';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { callKey, pathOf, visitExpr } from '../frontend/exprs';
import type { Expr, Span } from '../frontend/ir';
import { DOCS, callsAny, hasRole, type RawFinding, functionRule } from '../rule';

const HANDOFFS = new Set(['FltCbdqInsertIo', 'FltQueueDeferredIoWorkItem']);
/** Routines that only print a pointer's value. */
const PRINTS = /^(Dbg|Kd)Print|^DbgPrintEx$|^KdPrintEx$/;

interface S {
  handoff: { key: string; site: Span; api: string } | undefined;
  out: Outcomes;
}

/** Where `e` reads or writes the operation through `data` (a field of it, or `data` handed to a routine). */
function touches(e: Expr, data: string, aliases: Parameters<typeof pathOf>[1], handoffKey: string): Span | undefined {
  let at: Span | undefined;
  visitExpr(e, (x) => {
    if (at) return;
    if (x.k === 'field' && (pathOf(x, aliases)?.startsWith(`${data}->`) ?? false)) at = x.r;
    else if (x.k === 'call' && callKey(x) !== handoffKey && !(x.callee && PRINTS.test(x.callee)) && x.args.some((a) => pathOf(a, aliases) === data)) at = x.r;
  });
  return at;
}

const rule = functionRule({
  id: 'preop-touch-after-handoff',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'Callback data used after the operation was handed off',
  why: 'Once FltCbdqInsertIo or FltQueueDeferredIoWorkItem has succeeded, the operation belongs to the queue or the worker: the worker (or a cancellation) may call FltCompletePendedPreOperation and the operation may complete and its callback data be freed before the pre-operation callback even returns FLT_PREOP_PENDING. Any read or write of Data or Data->Iopb after that point may touch freed memory. Do everything the operation needs before handing it off, and after a successful hand-off only return FLT_PREOP_PENDING.',
  sources: [DOCS.ifs('writing-preoperation-callback-routines'), DOCS.ifs('pending-an-i-o-operation-in-a-preoperation-callback-routine')],
  wants: (c) => hasRole(c, 'preop') && callsAny(c, HANDOFFS),
  check(ctx) {
    const out: RawFinding[] = [];
    const data = ctx.param(0);
    if (!data || !ctx.readable) return out;
    const seen = new Set<string>();
    runFlow<S>(ctx, {
      init: { handoff: undefined, out: NO_OUTCOMES },
      key: (s) => `${s.handoff?.key ?? '-'}|${outcomesKey(s.out)}`,
      before: (e, s) => {
        if (!s.handoff) return;
        const outcome = s.out.of[s.handoff.key];
        if (outcome === 'fail' || outcome === 'deleting') return;
        const at = touches(e, data, ctx.aliases, s.handoff.key);
        if (!at) return;
        const k = `${at.sr}:${at.sc}`;
        if (seen.has(k)) return;
        seen.add(k);
        out.push({
          at: ctx.loc(at),
          message: `${data} is used after ${s.handoff.api} may have succeeded: from then on the operation may already be completed and freed. Use it before the hand-off, or only on the path where the hand-off failed.`,
          related: [{ at: ctx.loc(s.handoff.site), message: 'the operation is handed off here' }],
        });
      },
      call: (c, s) => {
        if (!c.callee || !HANDOFFS.has(c.callee) || pathOf(c.args[1], ctx.aliases) !== data) return s;
        return { handoff: { key: callKey(c), site: c.r, api: c.callee }, out: track(s.out, c, 'status') };
      },
      assign: (a, s) => {
        const o = noteAssign(s.out, a);
        return o === s.out ? s : { ...s, out: o };
      },
      refine: (c, _e, truth, s) => {
        const o = refineOutcomes(s.out, c, truth);
        return o === null ? null : o === s.out ? s : { ...s, out: o };
      },
    });
    return out;
  },
});
export default rule;
