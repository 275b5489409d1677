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
    // Queues set up in this file; those of other files are reported there.
    const cbdqs = ctx.roles.cbdqs.filter((q) => q.site.file === undefined);
    if (cbdqs.length === 0) return out;
    const reg = ctx.model.registrations[0];
    const foreignReg = reg ? undefined : ctx.foreign.registration;
    const teardown = reg ? registrationCallback(reg, 'InstanceTeardownStartCallback') : foreignReg?.teardownStart;
    const unload = reg ? registrationCallback(reg, 'FilterUnloadCallback') : foreignReg?.unload;
    // Without a registration in this file or in another file of the project, the teardown path is out of sight: say nothing.
    if (!reg && !foreignReg) return out;
    const drains = (name: string | undefined) => {
      if (!name || !ctx.knows(name)) return false;
      const calls = ctx.irql.callsTransitively(name);
      return calls.has('FltCbdqDisable') && calls.has('FltCbdqRemoveNextIo');
    };
    if (drains(teardown) || drains(unload)) return out;
    const site = cbdqs[0].site;
    const where = teardown && ctx.knows(teardown) ? `${teardown} does not disable and drain it` : 'no InstanceTeardownStart callback drains it';
    const elsewhere = teardown ? ctx.foreign.functions.get(teardown) : undefined;
    const related = teardown && ctx.model.functions.has(teardown)
      ? [{ at: { anchor: `fn:${teardown}`, span: ctx.functionContext(teardown)?.fn.nameSpan ?? site.span }, message: 'teardown starts here' }]
      : elsewhere ? [{ at: { anchor: `fn:${teardown}`, span: { sr: 0, sc: 0, er: 0, ec: 0 }, file: elsewhere.file }, message: 'teardown starts here' }] : [];
    out.push({
      at: site,
      message: `This queue is never emptied at teardown (${where}); call FltCbdqDisable, then complete every item FltCbdqRemoveNextIo returns.`,
      related,
    });
    return out;
  },
});
export default rule;
