import { Irql, irqlName } from '../../kernel/irql';
import { API_CATALOG } from '../../api/catalog';
import { allCalls } from '../frontend/walk';
import { callPosKey, reasonOrigin } from '../analysis/irql';
import { DOCS, callsAny, type Candidate, type RawFinding, functionRule } from '../rule';
import { callBound } from './irqlBounds';
import { explainIrql, OncePerCall } from './support';

/** PAGED_CODE() in a post-op is postop-pageable's finding. */
const NOT_CALLS = new Set(['PAGED_CODE', 'PAGED_CODE_LOCKED']);
const BELOW_DISPATCH = new Set([...API_CATALOG.values()].filter((a) => typeof a.maxIrql === 'number' && a.maxIrql < Irql.DISPATCH_LEVEL && !NOT_CALLS.has(a.name)).map((a) => a.name));
const ARGUMENT_DEPENDENT = new Set(['ExAllocatePool', 'ExAllocatePoolWithTag', 'ExAllocatePoolZero', 'ExAllocatePool2', 'ExAllocatePool3', 'ExAllocatePoolWithQuotaTag', 'ExAllocatePoolWithTagPriority', 'ExAllocatePoolUninitialized', 'FltAllocatePoolAlignedWithTag', 'KeWaitForSingleObject', 'KeSetEvent']);

/** The function's entry may be at DISPATCH_LEVEL because of a post-op (no IR needed to tell). */
function entryMayBeDispatchFromPostop(c: Candidate): boolean {
  const e = c.file.irql.entry(c.name);
  if (!e || e.level < Irql.DISPATCH_LEVEL) return false;
  const o = reasonOrigin(e.reason);
  return o?.k === 'role' && o.role === 'postop';
}

const rule = functionRule({
  id: 'postop-irql-unsafe-call',
  severity: 'error',
  scope: 'function',
  roles: ['postop'],
  title: 'Low-IRQL routine called from a post-operation callback',
  why: 'A post-operation callback can be called at DISPATCH_LEVEL in an arbitrary thread, unless it is known to run lower (post-create, or after the pre-operation returned FLT_PREOP_SYNCHRONIZE). Routines that require IRQL <= APC_LEVEL — context and name lookups, FltLockUserBuffer, fast mutexes, resources, waits, paged pool — must not be called there directly; use FltDoCompletionProcessingWhenSafe or a work item.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_post_operation_callback'), DOCS.ifs('writing-postoperation-callback-routines'), DOCS.devtest('28121-irq-execution-too-high')],
  wants: (c) => (callsAny(c, BELOW_DISPATCH) || callsAny(c, ARGUMENT_DEPENDENT)) && entryMayBeDispatchFromPostop(c),
  check(ctx) {
    const out: RawFinding[] = [];
    // Code that looks at the IRQL itself has its own guard; stay out of its way.
    if (ctx.fn.body && ctx.file.model.functions.get(ctx.name)?.facts.words.has('KeGetCurrentIrql')) return out;
    const once = new OncePerCall();
    const lowered = ctx.file.postopUnsafeCalls(ctx.name);
    for (const c of allCalls(ctx.fn.body)) {
      if (lowered && !lowered.has(callPosKey(c))) continue;
      if (c.callee && NOT_CALLS.has(c.callee)) continue;
      const bound = callBound(c);
      if (!bound || bound.level >= Irql.DISPATCH_LEVEL) continue;
      const est = ctx.irqlAt(c);
      if (!est || est.level <= bound.level) continue;
      const origin = reasonOrigin(est.reason);
      if (!origin || origin.k !== 'role' || origin.role !== 'postop') continue;
      if (!once.first(c)) continue;
      const why = explainIrql({ level: est.level, reason: est.reason?.k === 'lock' ? undefined : est.reason }, ctx.name);
      out.push({
        at: ctx.loc(c.r),
        message: `${c.callee} needs IRQL <= ${irqlName(bound.level)}${bound.because ? ` because ${bound.because}` : ''}, but ${why.text}; do this work from FltDoCompletionProcessingWhenSafe or a worker.`,
        related: why.related,
      });
    }
    return out;
  },
});
export default rule;
