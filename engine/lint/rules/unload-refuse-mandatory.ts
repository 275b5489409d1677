import { ntSuccess, statusByName } from '../../kernel/status';
import { runFlow } from '../analysis/flow';
import { forEachExpr } from '../frontend/walk';
import { visitExpr } from '../frontend/exprs';
import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';

const MANDATORY = 'FLTFL_FILTER_UNLOAD_MANDATORY';

const rule = functionRule({
  id: 'unload-refuse-mandatory',
  severity: 'warning',
  scope: 'function',
  roles: ['unload'],
  title: 'Unload refused without looking at FLTFL_FILTER_UNLOAD_MANDATORY',
  why: 'A filter unload callback may refuse an unload by returning an error such as STATUS_FLT_DO_NOT_DETACH, but only when the unload is optional. When Flags holds FLTFL_FILTER_UNLOAD_MANDATORY (the system is shutting the filter down), the returned status is ignored and the filter is unloaded anyway: a routine that refused without cleaning up leaves its ports, threads and memory behind in a driver that is going away. Test the flag, refuse only optional unloads, and always clean up for a mandatory one.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_filter_unload_callback'), DOCS.ifs('when-the-filterunloadcallback-routine-is-called')],
  wants: (c) => hasRole(c, 'unload') && !c.facts.words.has(MANDATORY),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    let tested = false;
    forEachExpr(ctx.fn.body, (e) => visitExpr(e, (x) => { if (x.k === 'id' && x.name === MANDATORY) tested = true; }));
    if (tested) return out;
    const seen = new Set<number>();
    runFlow<number>(ctx, {
      init: 0,
      key: () => '',
      ret: (node, value, s) => {
        const status = value ? statusByName(value) : undefined;
        if (!value || status === undefined || ntSuccess(status) || seen.has(node.id)) return s;
        seen.add(node.id);
        out.push({ at: ctx.loc(node.r), message: `${ctx.name} refuses the unload with ${value} without testing ${MANDATORY}; a mandatory unload ignores the refusal, so test the flag and refuse only optional unloads.` });
        return s;
      },
    });
    return out;
  },
});
export default rule;
