import { callKey, idName, mentions, pathOf, strip } from '../frontend/exprs';
import { forEachExpr } from '../frontend/walk';
import { walkEval } from '../frontend/exprs';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { callsTo } from './support';

const QUEUE_CALLS = new Set(['FltQueueGenericWorkItem', 'FltQueueDeferredIoWorkItem']);

const rule = functionRule({
  id: 'wi-queue-status-ignored',
  severity: 'error',
  scope: 'function',
  title: 'Queue status ignored',
  why: 'Queuing a work item can fail, for example with STATUS_FLT_DELETING_OBJECT while the filter or instance is being torn down. The routines are annotated _Must_inspect_result_: a caller that ignores the status cannot free the item or fall back, and Code Analysis reports the same mistake as C6031/C28193.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem'), DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem'), 'https://learn.microsoft.com/cpp/code-quality/c28193'],
  wants: (c) => callsAny(c, QUEUE_CALLS),
  check(ctx) {
    const out: RawFinding[] = [];
    const calls = callsTo(ctx, QUEUE_CALLS);
    // Variables that receive a queue status, and every expression that reads them afterwards.
    const stored = new Map<string, typeof calls[number]>();
    const reads = new Set<string>();
    forEachExpr(ctx.fn.body, (e) => walkEval(e, {
      assign: (a) => {
        const rhs = strip(a.right);
        const name = idName(a.left);
        if (rhs.k === 'call' && rhs.callee && QUEUE_CALLS.has(rhs.callee) && name) stored.set(`${name}@${callKey(rhs)}`, rhs);
      },
    }));
    for (const v of ctx.fn.locals.values()) {
      const init = v.init && strip(v.init);
      if (init && init.k === 'call' && init.callee && QUEUE_CALLS.has(init.callee)) stored.set(`${v.name}@${callKey(init)}`, init);
    }
    // A stored status counts as inspected when the variable is read anywhere after the call.
    forEachExpr(ctx.fn.body, (e) => {
      for (const key of stored.keys()) {
        const name = key.slice(0, key.indexOf('@'));
        const c = stored.get(key)!;
        const s = strip(e);
        const isTheAssignment = s.k === 'assign' && pathOf(s.left) === name && strip(s.right) === c;
        if (isTheAssignment) continue;
        if (e.r.sr > c.r.er || (e.r.sr === c.r.er && e.r.sc >= c.r.ec)) {
          if (mentionsRead(e, name)) reads.add(key);
        }
      }
    });
    for (const c of calls) {
      if (ctx.cfg.discarded.has(c)) {
        out.push({ at: ctx.loc(c.r), message: `The status of ${c.callee} is thrown away; test it and free the work item when queuing fails.` });
        continue;
      }
      for (const [key, sc] of stored) {
        if (sc !== c || reads.has(key)) continue;
        const name = key.slice(0, key.indexOf('@'));
        out.push({ at: ctx.loc(c.r), message: `The status of ${c.callee} is stored in '${name}' but never tested; test it and free the work item when queuing fails.` });
      }
    }
    return out;
  },
});

/** `e` reads `name` (as opposed to only overwriting it). */
function mentionsRead(e: Parameters<typeof mentions>[0], name: string): boolean {
  const s = strip(e);
  if (s.k === 'assign' && s.op === '=' && idName(s.left) === name) return mentions(s.right, name);
  return mentions(s, name);
}
export default rule;
