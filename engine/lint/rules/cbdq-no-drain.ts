import { DOCS, type RawFinding, fileRule } from '../rule';
import { registrationCallback } from '../analysis/registration';

const rule = fileRule({
  id: 'cbdq-no-drain',
  severity: 'error',
  scope: 'file',
  title: 'Queue not disabled and drained at teardown',
  why: 'Operations still waiting in a cancel-safe queue when an instance is torn down are never completed: the Filter Manager waits for them before it calls InstanceTeardownComplete, so the volume detach and the filter unload hang. InstanceTeardownStart (or the unload routine) must call FltCbdqDisable so no new operation is queued, then remove every queued operation with FltCbdqRemoveNextIo and complete it.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqdisable'), DOCS.ddi('nc-fltkernel-pflt_instance_teardown_callback')],
  check(ctx) {
    const out: RawFinding[] = [];
    const { cbdqs } = ctx.roles;
    if (cbdqs.length === 0) return out;
    const reg = ctx.model.registrations[0];
    const teardown = reg ? registrationCallback(reg, 'InstanceTeardownStartCallback') : undefined;
    const unload = reg ? registrationCallback(reg, 'FilterUnloadCallback') : undefined;
    // Without a registration in this file the teardown path is elsewhere: say nothing.
    if (!reg) return out;
    const drains = (name: string | undefined) => {
      if (!name || !ctx.model.functions.has(name)) return false;
      const calls = ctx.irql.callsTransitively(name);
      return calls.has('FltCbdqDisable') && calls.has('FltCbdqRemoveNextIo');
    };
    if (drains(teardown) || drains(unload)) return out;
    const site = cbdqs[0].site;
    const where = teardown && ctx.model.functions.has(teardown) ? `${teardown} does not disable and drain it` : 'no InstanceTeardownStart callback drains it';
    const related = teardown && ctx.model.functions.has(teardown) ? [{ at: { anchor: `fn:${teardown}`, span: ctx.functionContext(teardown)?.fn.nameSpan ?? site.span }, message: 'teardown starts here' }] : [];
    out.push({
      at: site,
      message: `This queue is never emptied at teardown (${where}); call FltCbdqDisable, then complete every item FltCbdqRemoveNextIo returns.`,
      related,
    });
    return out;
  },
});
export default rule;
