import { Irql } from '../../kernel/irql';
import { pathOf } from '../frontend/exprs';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import type { CbdqInfo } from '../analysis/roleTypes';
import { callsTo, explainIrql, mayRunAtDispatch } from './support';

const CBDQ_CALLS = new Set(['FltCbdqInsertIo', 'FltCbdqRemoveIo', 'FltCbdqRemoveNextIo', 'FltCbdqEnable', 'FltCbdqDisable']);

/** The queue a FltCbdq* call works on: by the queue's field or variable name, or the only queue. */
export function queueFor(cbdqs: readonly CbdqInfo[], queueArg: string | undefined): CbdqInfo | undefined {
  if (cbdqs.length === 1) return cbdqs[0];
  if (!queueArg) return undefined;
  const name = /([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?$/.exec(queueArg.replace(/^&/, ''))?.[1];
  const hits = cbdqs.filter((q) => q.queueName === name);
  return hits.length === 1 ? hits[0] : undefined;
}

const rule = functionRule({
  id: 'cbdq-lock-irql',
  severity: 'error',
  scope: 'function',
  title: 'Mutex-protected queue used at DISPATCH_LEVEL',
  why: 'The FltCbdq* routines call the queue\'s Acquire callback. When that callback takes a fast mutex, a resource or a push lock, the routines may only be called at IRQL <= APC_LEVEL; calling them under a spin lock or from a post-operation callback at DISPATCH_LEVEL makes the Acquire callback wait at DISPATCH_LEVEL.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinitialize'), DOCS.ddi('nf-fltkernel-fltcbdqinsertio'), DOCS.devtest('wdm-irqlexapclte1')],
  wants: (c) => callsAny(c, CBDQ_CALLS) && c.file.roles.cbdqs.length > 0 && mayRunAtDispatch(c),
  check(ctx) {
    const out: RawFinding[] = [];
    const cbdqs = ctx.file.roles.cbdqs;
    if (cbdqs.length === 0) return out;
    for (const c of callsTo(ctx, CBDQ_CALLS)) {
      const q = queueFor(cbdqs, c.args[0] ? pathOf(c.args[0]) : undefined);
      if (!q || ctx.file.irql.acquireKind(q.acquire) !== 'waiting') continue;
      const est = ctx.irqlAt(c);
      if (!est || est.level < Irql.DISPATCH_LEVEL) continue;
      const why = explainIrql(est, ctx.name);
      out.push({
        at: ctx.loc(c.r),
        message: `${c.callee} calls ${q.acquire}, which waits on a lock, but ${why.text}; call it at IRQL <= APC_LEVEL or protect the queue with a spin lock.`,
        related: [...why.related, { at: q.site, message: 'queue initialized here' }],
      });
    }
    return out;
  },
});
export default rule;
