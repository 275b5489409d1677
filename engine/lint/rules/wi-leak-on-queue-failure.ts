import type { CallExpr } from '../frontend/ir';
import { callKey, idName, pathOf, strip } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { addRes, dropRes, escapesThroughAssign, escapesThroughCall, escapesThroughReturn, findRes, overwrites, resKey, updateRes, type Res, type Resources } from '../analysis/resources';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import type { FunctionContext } from '../context';
import { ALLOCATORS, FREES, QUEUES } from './workItems';

interface S {
  res: Resources;
  out: Outcomes;
}

export interface QueueFailure {
  item: Res;
  /** Outcome of the queue call on the leaking path. */
  outcome: 'fail' | 'deleting';
}

/** Work items allocated here whose queuing failed on some path and that were then neither freed nor handed on. */
export function queueFailureLeaks(ctx: FunctionContext): QueueFailure[] {
  if (!ctx.readable) return [];
  const aliases = ctx.aliases;
  const found = new Map<string, QueueFailure>();
  const complete = runFlow<S>(ctx, {
    init: { res: [], out: NO_OUTCOMES },
    key: (s) => `${resKey(s.res)}|${outcomesKey(s.out)}`,
    call: (c: CallExpr, s) => {
      let { res, out } = s;
      const name = c.callee ?? '';
      const arg0 = c.args[0] ? pathOf(c.args[0], aliases) : undefined;
      if (FREES[name]) {
        const r = findRes(res, arg0, ['held', 'queued']);
        if (r) res = updateRes(res, r, { state: 'freed' });
      } else if (QUEUES[name]) {
        const r = findRes(res, arg0, ['held']);
        if (r) {
          out = track(out, c, 'status');
          res = updateRes(res, r, { state: 'queued', cond: callKey(c), at: c.r });
        }
      }
      for (const r of res) {
        if (r.state !== 'held' && r.state !== 'queued') continue;
        if ((FREES[name] || QUEUES[name]) && arg0 === r.path) continue;
        if (escapesThroughCall(c, r.path, aliases)) res = updateRes(res, r, { state: 'escaped' });
      }
      return res === s.res && out === s.out ? s : { res, out };
    },
    assign: (a, s) => {
      let res = s.res;
      for (const r of s.res) {
        if (overwrites(a, r.path, aliases)) res = dropRes(res, r);
        else if (escapesThroughAssign(a, r.path, aliases)) res = updateRes(res, r, { state: 'escaped' });
      }
      const rhs = strip(a.right);
      const local = idName(a.left);
      if (rhs.k === 'call' && rhs.callee && ALLOCATORS[rhs.callee] && local && ctx.fn.locals.has(local)) {
        res = addRes(res, { id: callKey(rhs), path: local, state: 'held', kind: rhs.callee, site: rhs.r });
      }
      const out = noteAssign(s.out, a);
      return res === s.res && out === s.out ? s : { res, out };
    },
    refine: (c, _cond, truth, s) => {
      const out = refineOutcomes(s.out, c, truth);
      if (out === null) return null;
      let res = s.res;
      // On a path where the pointer is NULL there is nothing to leak, whether or not a queue call
      // saw it first (`if (item == NULL || !NT_SUCCESS(Queue(item))) { if (item != NULL) Free(item); }`).
      if (c && c.atom.k === 'nonnull' && c.pos !== truth) {
        const r = findRes(res, c.atom.path, ['held', 'queued']);
        if (r) res = dropRes(res, r);
      }
      return res === s.res && out === s.out ? s : { res, out };
    },
    ret: (n, _v, s) => {
      let res = s.res;
      for (const r of s.res) if ((r.state === 'held' || r.state === 'queued') && escapesThroughReturn(n.expr, r.path, aliases)) res = updateRes(res, r, { state: 'escaped' });
      return res === s.res ? s : { ...s, res };
    },
    exit: (s) => {
      for (const r of s.res) {
        if (r.state !== 'queued' || !r.cond) continue;
        const o = s.out.of[r.cond];
        if ((o === 'fail' || o === 'deleting') && !found.has(r.cond)) found.set(r.cond, { item: r, outcome: o });
      }
    },
  });
  return complete ? [...found.values()] : [];
}

/** Built once: `wants` runs for every function of every file. */
const QUEUE_NAMES = Object.keys(QUEUES);
const ALLOCATOR_NAMES = Object.keys(ALLOCATORS);

const rule = functionRule({
  id: 'wi-leak-on-queue-failure',
  severity: 'error',
  scope: 'function',
  title: 'Work item leaked when queuing fails',
  why: 'When FltQueueGenericWorkItem or FltQueueDeferredIoWorkItem fails (STATUS_FLT_DELETING_OBJECT during teardown, STATUS_FLT_NOT_SAFE_TO_POST_OPERATION for deferred I/O), the worker will never run, so nothing else will free the item. The caller must free it with the matching FltFree*WorkItem on the failure path.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem'), DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem')],
  wants: (c) => callsAny(c, QUEUE_NAMES) && callsAny(c, ALLOCATOR_NAMES),
  check(ctx) {
    const out: RawFinding[] = [];
    for (const leak of queueFailureLeaks(ctx)) {
      // An explicitly tested STATUS_FLT_DELETING_OBJECT path is deleting-object's business.
      if (leak.outcome === 'deleting') continue;
      const free = ALLOCATORS[leak.item.kind] === 'deferred' ? 'FltFreeDeferredIoWorkItem' : 'FltFreeGenericWorkItem';
      out.push({
        at: ctx.loc(leak.item.at ?? leak.item.site),
        message: `When this call fails, '${leak.item.path}' is never freed; call ${free}(${leak.item.path}) on the failure path.`,
        related: [{ at: ctx.loc(leak.item.site), message: 'allocated here' }],
      });
    }
    return out;
  },
});
export default rule;
