import type { Span } from '../frontend/ir';
import { runFlow } from '../analysis/flow';
import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';
import { QUEUE_ARGS } from './workItems';

/** What is known on a path about FLTFL_POST_OPERATION_DRAINING in the post-op's Flags. */
type Draining = 'unknown' | 'set' | 'clear';

/** Calls that defer the operation's completion to later code. */
const DEFERRING = new Set([...Object.keys(QUEUE_ARGS), 'FltDoCompletionProcessingWhenSafe', 'FltCbdqInsertIo']);

const rule = functionRule({
  id: 'postop-draining',
  severity: 'error',
  scope: 'function',
  roles: ['postop'],
  title: 'Post-operation callback defers work without looking at FLTFL_POST_OPERATION_DRAINING',
  why: 'While an instance is being torn down, the Filter Manager calls post-operation callbacks with FLTFL_POST_OPERATION_DRAINING set in Flags. Then the callback must clean up and return FLT_POSTOP_FINISHED_PROCESSING: the callback data is only a copy, FltQueueDeferredIoWorkItem fails, FltDoCompletionProcessingWhenSafe must not be called, and work queued for later refers to an operation and an instance that are going away. A post-op that queues work or returns FLT_POSTOP_MORE_PROCESSING_REQUIRED must test the flag first.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_post_operation_callback'), DOCS.ddi('nf-fltkernel-fltdocompletionprocessingwhensafe'), DOCS.ifs('pending-an-i-o-operation-in-a-postoperation-callback-routine')],
  wants: (c) => hasRole(c, 'postop') && (c.facts.words.has('FLT_POSTOP_MORE_PROCESSING_REQUIRED') || [...DEFERRING].some((n) => c.facts.callNames.has(n))),
  check(ctx) {
    const out: RawFinding[] = [];
    const flags = ctx.param(3);
    if (!flags || !ctx.readable) return out;
    const seen = new Set<string>();
    const report = (at: Span, what: string, state: Draining) => {
      const k = `${at.sr}:${at.sc}`;
      if (seen.has(k)) return;
      seen.add(k);
      out.push({
        at: ctx.loc(at),
        message: state === 'set'
          ? `${what} while ${flags} has FLTFL_POST_OPERATION_DRAINING set; while draining, clean up and return FLT_POSTOP_FINISHED_PROCESSING.`
          : `${what} without testing FLTFL_POST_OPERATION_DRAINING in ${flags}; when the instance is draining, clean up and return FLT_POSTOP_FINISHED_PROCESSING instead.`,
      });
    };
    const complete = runFlow<Draining>(ctx, {
      init: 'unknown',
      key: (s) => s,
      call: (c, s) => {
        if (s !== 'clear' && c.callee && DEFERRING.has(c.callee)) report(c.r, `${c.callee} is called`, s);
        return s;
      },
      refine: (c, _cond, truth, s) => {
        if (!c || c.atom.k !== 'flag' || c.atom.flag !== 'FLTFL_POST_OPERATION_DRAINING' || c.atom.path !== flags) return s;
        const set = c.pos === truth;
        if (s === 'set' && !set) return null;
        if (s === 'clear' && set) return null;
        return set ? 'set' : 'clear';
      },
      ret: (node, value, s) => {
        if (value === 'FLT_POSTOP_MORE_PROCESSING_REQUIRED' && s !== 'clear') report(node.r, 'FLT_POSTOP_MORE_PROCESSING_REQUIRED is returned', s);
        return s;
      },
    });
    return complete ? out : [];
  },
});
export default rule;
