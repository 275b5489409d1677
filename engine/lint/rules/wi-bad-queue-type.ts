import { constName, strip } from '../frontend/exprs';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { callsTo } from './support';

const QUEUE_CALLS = new Set(['FltQueueGenericWorkItem', 'FltQueueDeferredIoWorkItem']);
const ALLOWED = new Set(['CriticalWorkQueue', 'DelayedWorkQueue', '0', '1']);

/** QueueType is the fourth argument of both queue routines. */
const rule = functionRule({
  id: 'wi-bad-queue-type',
  severity: 'error',
  scope: 'function',
  title: 'Work item queued on a reserved or invalid queue',
  why: 'FltQueueGenericWorkItem and FltQueueDeferredIoWorkItem accept only CriticalWorkQueue and DelayedWorkQueue. HyperCriticalWorkQueue is reserved for the system, and the other WORK_QUEUE_TYPE values are not accepted by these routines.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem'), DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem')],
  wants: (c) => callsAny(c, QUEUE_CALLS),
  check(ctx) {
    const out: RawFinding[] = [];
    for (const c of callsTo(ctx, QUEUE_CALLS)) {
      const arg = c.args[3];
      if (!arg) continue;
      const s = strip(arg);
      const name = constName(s);
      const bad = (s.k === 'id' && /WorkQueue$/.test(s.name) && !ALLOWED.has(s.name)) || (s.k === 'num' && name !== undefined && !ALLOWED.has(name));
      if (!bad) continue;
      const written = s.k === 'id' ? s.name : name;
      out.push({
        at: ctx.loc(arg.r),
        message: `${written} is not a valid queue for ${c.callee}; use DelayedWorkQueue (or CriticalWorkQueue for time-critical work).`,
        fixes: [{ title: 'Use DelayedWorkQueue', edits: [{ at: ctx.loc(arg.r), newText: 'DelayedWorkQueue' }] }],
      });
    }
    return out;
  },
});
export default rule;
