import type { Span } from '../frontend/ir';
import { addressOf, callKey, pathOf, rootOf } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';

const FREES: Record<string, number> = {
  ExFreePool: 0, ExFreePoolWithTag: 0, ExFreePool2: 0, ExFreeToNPagedLookasideList: 1, ExFreeToPagedLookasideList: 1,
  ExFreeToLookasideListEx: 1, FltFreePoolAlignedWithTag: 1,
};

interface S {
  ins?: { root: string; key: string; site: Span };
  out: Outcomes;
}

const rule = functionRule({
  id: 'cbdq-io-ctx-lifetime',
  severity: 'error',
  scope: 'function',
  title: 'Per-I/O queue context dies while the operation is queued',
  why: 'The FLT_CALLBACK_DATA_QUEUE_IO_CONTEXT given to FltCbdqInsertIo is used by the queue until the operation is removed or cancelled, and stays referenced after removal. A stack variable of the inserting function is gone once it returns (FLT_PREOP_PENDING returns right away), and freeing the memory that holds it while the operation is still queued corrupts the queue. Allocate it per operation (as the cancelSafe sample does with a lookaside list) and free it after completion.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqremoveio'), DOCS.ddi('nf-fltkernel-fltcbdqinsertio')],
  wants: (c) => callsAny(c, ['FltCbdqInsertIo']),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    const aliases = ctx.aliases;
    const seen = new Set<string>();
    runFlow<S>(ctx, {
      init: { out: NO_OUTCOMES },
      key: (s) => `${s.ins ? `${s.ins.root}@${s.ins.key}` : ''}|${outcomesKey(s.out)}`,
      call: (c, s) => {
        if (c.callee === 'FltCbdqInsertIo') {
          const arg = c.args[2];
          const target = arg ? addressOf(arg) : undefined;
          const p = target ? pathOf(target, aliases) : arg ? pathOf(arg, aliases) : undefined;
          if (!p) return s;
          const root = rootOf(p);
          const onStack = !!target && ctx.fn.locals.has(root) && !ctx.fn.staticLocals.has(root) && !p.slice(root.length).startsWith('->') && !ctx.fn.locals.get(root)!.pointer;
          if (onStack && !seen.has(callKey(c))) {
            seen.add(callKey(c));
            out.push({ at: ctx.loc(arg!.r), message: `'${root}' is a local of ${ctx.name}: it disappears when the function returns while the operation stays queued; allocate the queue context per operation instead.` });
          }
          return { ins: { root, key: callKey(c), site: c.r }, out: track(s.out, c, 'status') };
        }
        const freeArg = c.callee ? FREES[c.callee] : undefined;
        if (freeArg !== undefined && s.ins && s.out.of[s.ins.key] === 'ok' && pathOf(c.args[freeArg], aliases) === s.ins.root) {
          const k = callKey(c);
          if (!seen.has(k)) {
            seen.add(k);
            out.push({ at: ctx.loc(c.r), message: `'${s.ins.root}' holds the queue context of an operation that is still queued; free it only after the operation was removed and completed.`, related: [{ at: ctx.loc(s.ins.site), message: 'inserted here' }] });
          }
        }
        return s;
      },
      assign: (a, s) => {
        const out2 = noteAssign(s.out, a);
        return out2 === s.out ? s : { ...s, out: out2 };
      },
      refine: (c, _cond, truth, s) => {
        const o = refineOutcomes(s.out, c, truth);
        return o === null ? null : o === s.out ? s : { ...s, out: o };
      },
    });
    return out;
  },
});
export default rule;
