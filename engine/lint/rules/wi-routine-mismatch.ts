import { idName, strip } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import { canonicalType, declaredSignature } from '../analysis/roles';
import { DOCS, type RawFinding, functionRule } from '../rule';
import { QUEUE_ARGS } from './workItems';

/** The routine type each queuing call expects, by parameter, in canonicalType's spelling. */
const EXPECTED: Record<string, { type: string; params: string[] }> = {
  FltQueueGenericWorkItem: { type: 'PFLT_GENERIC_WORKITEM_ROUTINE', params: ['FLT_GENERIC_WORKITEM*', 'VOID*', 'VOID*'] },
  FltQueueDeferredIoWorkItem: { type: 'PFLT_DEFERRED_IO_WORKITEM_ROUTINE', params: ['FLT_DEFERRED_IO_WORKITEM*', 'FLT_CALLBACK_DATA*', 'VOID*'] },
  IoQueueWorkItem: { type: 'PIO_WORKITEM_ROUTINE', params: ['DEVICE_OBJECT*', 'VOID*'] },
  IoQueueWorkItemEx: { type: 'PIO_WORKITEM_ROUTINE_EX', params: ['VOID*', 'VOID*', 'IO_WORKITEM*'] },
};

/** Pointer parameters a routine may declare more precisely than the type says (`PFLT_INSTANCE` for a `PVOID`). */
function compatible(declared: string, expected: string): boolean {
  if (declared === expected) return true;
  if (expected === 'VOID*') return declared.endsWith('*') && !['FLT_CALLBACK_DATA*', 'FLT_GENERIC_WORKITEM*', 'FLT_DEFERRED_IO_WORKITEM*', 'IO_WORKITEM*'].includes(declared) || declared === 'VOID*';
  return false;
}

const rule = functionRule({
  id: 'wi-routine-mismatch',
  severity: 'error',
  scope: 'function',
  title: 'Work routine does not take the parameters its queue passes',
  why: 'A work routine is called with exactly the parameters of its routine type: (work item, filter or instance, context) for FltQueueGenericWorkItem, (work item, callback data, context) for FltQueueDeferredIoWorkItem, (device object, context) for IoQueueWorkItem. A cast on the routine silences the compiler but not the call: a routine declared with other parameters reads its context from the wrong argument, or one that is not there.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem'), DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem'), 'https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioqueueworkitem'],
  wants: (c) => Object.keys(EXPECTED).some((n) => c.facts.callNames.has(n)) && c.facts.test(/\(\s*P?(?:FLT_GENERIC_WORKITEM_ROUTINE|FLT_DEFERRED_IO_WORKITEM_ROUTINE|IO_WORKITEM_ROUTINE(?:_EX)?)\s*\)/),
  check(ctx) {
    const out: RawFinding[] = [];
    for (const c of allCalls(ctx.fn.body)) {
      const exp = c.callee ? EXPECTED[c.callee] : undefined;
      const at = c.callee ? QUEUE_ARGS[c.callee]?.routine : undefined;
      if (!exp || at === undefined || !c.args[at] || c.args[at].k !== 'cast') continue;
      const name = idName(strip(c.args[at]));
      const def = name ? ctx.file.model.functions.get(name) : undefined;
      if (!name || !def) continue;
      const sig = declaredSignature(def.text);
      if (!sig) continue;
      const params = sig.params.map(canonicalType);
      const bad = params.length !== exp.params.length ? -1 : params.findIndex((p, i) => !compatible(p, exp.params[i]));
      if (params.length === exp.params.length && bad < 0) continue;
      const detail = params.length !== exp.params.length
        ? `${name} takes ${params.length} parameter${params.length === 1 ? '' : 's'} but ${c.callee} calls it with ${exp.params.length}`
        : `parameter ${bad + 1} of ${name} is ${sig.params[bad].trim()}, but ${c.callee} passes ${exp.params[bad].replace(/\*$/, ' *')} there`;
      out.push({
        at: ctx.loc(c.args[at].r),
        message: `The cast to ${exp.type} hides that ${detail}; declare ${name} with the routine type's parameters.`,
        related: [{ at: { anchor: `fn:${name}`, span: ctx.file.functionContext(name)?.fn.nameSpan ?? { sr: 0, sc: 0, er: 0, ec: 0 } }, message: `${name} is declared here` }],
      });
    }
    return out;
  },
});
export default rule;
