import { Irql } from '../../kernel/irql';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { callsWithEnv, explainIrql, mayRunAtDispatch, OncePerCall } from './support';

const CPP = new Set(['FltCompletePendedPreOperation']);

const rule = functionRule({
  id: 'cpp-irql',
  severity: 'error',
  scope: 'function',
  title: 'FltCompletePendedPreOperation at DISPATCH_LEVEL with a status other than FLT_PREOP_COMPLETE',
  why: 'FltCompletePendedPreOperation may run at DISPATCH_LEVEL only when it completes the operation (FLT_PREOP_COMPLETE). Any other status makes the Filter Manager continue the operation down the stack from the calling thread, which requires IRQL <= APC_LEVEL.',
  sources: [DOCS.ddi('nf-fltkernel-fltcompletependedpreoperation')],
  wants: (c) => callsAny(c, CPP) && mayRunAtDispatch(c),
  check(ctx) {
    const out: RawFinding[] = [];
    const once = new OncePerCall();
    callsWithEnv(ctx, CPP, (c, env) => {
      const status = ctx.values.valueOf(env, c.args[1]);
      if (!status || status === 'FLT_PREOP_COMPLETE' || !status.startsWith('FLT_PREOP_')) return;
      const est = ctx.irqlAt(c);
      if (!est || est.level < Irql.DISPATCH_LEVEL || !once.first(c)) return;
      const why = explainIrql(est, ctx.name);
      out.push({
        at: ctx.loc(c.r),
        message: `${status} needs IRQL <= APC_LEVEL but ${why.text}; complete the operation after lowering IRQL (release the lock first, or defer to a worker).`,
        related: why.related,
      });
    });
    return out;
  },
});
export default rule;
