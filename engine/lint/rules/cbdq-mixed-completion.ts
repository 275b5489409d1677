import type { CallExpr } from '../frontend/ir';
import { pathOf } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import type { Loc } from '../analysis/model';
import { DOCS, type RawFinding, fileRule } from '../rule';
import type { FileContext } from '../context';
import { queueFor } from './cbdq-lock-irql';
import { COMPLETERS, type PendedKind } from './pendedItems';

/** One place that completes operations taken from a queue, and how. */
interface Site {
  fn: string;
  kinds: Set<PendedKind>;
  calls: CallExpr[];
  /** The cancel callback of the queue (the Filter Manager hands it the operation). */
  cancel: boolean;
}

/**
 * The places that complete each queue's items, by queue index: its cancel callbacks, and the
 * functions that take items out of it. Each function is read once, whatever the number of queues.
 */
function sitesByQueue(ctx: FileContext): Map<number, Site[]> {
  const out = new Map<number, Site[]>();
  const push = (q: number, s: Site) => { const list = out.get(q); if (list) list.push(s); else out.set(q, [s]); };
  const completers = Object.keys(COMPLETERS);
  for (const f of ctx.model.functionList) {
    const names = f.facts.callNames;
    if (!completers.some((n) => names.has(n))) continue;
    const cancelOf = ctx.rolesOf(f.name).filter((r) => r.k === 'cbdq' && r.cb === 'cancel').map((r) => (r.k === 'cbdq' ? r.queue : -1));
    const removes = names.has('FltCbdqRemoveNextIo') || names.has('FltCbdqRemoveIo');
    if (cancelOf.length === 0 && !removes) continue;
    const ir = ctx.model.ir(f.name);
    if (!ir) continue;
    const calls = allCalls(ir.body);
    const completing = calls.filter((c) => c.callee !== undefined && COMPLETERS[c.callee] !== undefined);
    const kinds = new Set(completing.map((c) => COMPLETERS[c.callee!]));
    for (const q of cancelOf) push(q, { fn: f.name, kinds, calls: completing, cancel: true });
    if (!removes) continue;
    const queues = new Set<number>();
    for (const c of calls) {
      if (c.callee !== 'FltCbdqRemoveNextIo' && c.callee !== 'FltCbdqRemoveIo') continue;
      const q = queueFor(ctx.roles.cbdqs, c.args[0] ? pathOf(c.args[0]) : undefined);
      if (q) queues.add(ctx.roles.cbdqs.indexOf(q));
    }
    for (const q of queues) if (!cancelOf.includes(q)) push(q, { fn: f.name, kinds, calls: completing, cancel: false });
  }
  return out;
}

const NAMES: Record<PendedKind, string> = { pre: 'pended pre-operations (FltCompletePendedPreOperation)', post: 'pended post-operations (FltCompletePendedPostOperation)' };

const rule = fileRule({
  id: 'cbdq-mixed-completion',
  severity: 'error',
  scope: 'file',
  title: 'One queue\'s operations completed both as pre-operations and as post-operations',
  why: 'An operation pended in a pre-operation callback must be resumed with FltCompletePendedPreOperation, one pended in a post-operation callback with FltCompletePendedPostOperation; the wrong routine corrupts the Filter Manager\'s state for that operation. When the cancel callback, the worker and the teardown drain of one cancel-safe queue disagree on which routine completes its items, at least one of them is wrong. A queue that holds both kinds must record which kind each item is (for instance in its queue context) and choose by it.',
  sources: [DOCS.ddi('nf-fltkernel-fltcompletependedpreoperation'), DOCS.ddi('nf-fltkernel-fltcompletependedpostoperation'), DOCS.ddi('nf-fltkernel-fltcbdqinitialize')],
  check(ctx) {
    const out: RawFinding[] = [];
    if (ctx.roles.cbdqs.length === 0) return out;
    const byQueue = sitesByQueue(ctx);
    ctx.roles.cbdqs.forEach((q, qi) => {
      const sites = byQueue.get(qi) ?? [];
      // Sites that complete one kind only; a site using both chooses per item.
      const single = sites.filter((s) => s.kinds.size === 1);
      const kinds = new Set(single.map((s) => [...s.kinds][0]));
      if (kinds.size < 2) return;
      const reference = single.find((s) => s.cancel) ?? single[0];
      const refKind = [...reference.kinds][0];
      const refCall = reference.calls[0];
      for (const s of single) {
        const k = [...s.kinds][0];
        if (k === refKind) continue;
        const refLoc: Loc = { anchor: `fn:${reference.fn}`, span: refCall.r };
        for (const c of s.calls) {
          out.push({
            at: { anchor: `fn:${s.fn}`, span: c.r },
            message: `${s.fn} completes the items of ${q.queuePath.replace(/^&/, '')} as ${NAMES[k]}, but ${reference.fn} completes them as ${NAMES[refKind]}; use the routine that matches where each operation was pended.`,
            related: [{ at: refLoc, message: `${reference.fn} completes them this way` }],
          });
        }
      }
    });
    return out;
  },
});
export default rule;
