import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { callsWithEnv, OncePerCall } from './support';

const CPP = new Set(['FltCompletePendedPreOperation']);
const ILLEGAL = new Set(['FLT_PREOP_PENDING', 'FLT_PREOP_SYNCHRONIZE', 'FLT_PREOP_DISALLOW_FASTIO', 'FLT_PREOP_DISALLOW_FSFILTER_IO']);

const rule = functionRule({
  id: 'cpp-bad-status',
  severity: 'error',
  scope: 'function',
  title: 'Illegal status passed to FltCompletePendedPreOperation',
  why: 'A pended pre-operation can only be resumed with FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_NO_CALLBACK or FLT_PREOP_SUCCESS_WITH_CALLBACK. Pending it again, synchronizing it or disallowing fast I/O are not valid ways to hand it back, and the Filter Manager cannot continue the operation.',
  sources: [DOCS.ddi('nf-fltkernel-fltcompletependedpreoperation')],
  wants: (c) => callsAny(c, CPP),
  check(ctx) {
    const out: RawFinding[] = [];
    const once = new OncePerCall();
    callsWithEnv(ctx, CPP, (c, env) => {
      const arg = c.args[1];
      const value = ctx.values.valueOf(env, arg);
      if (!arg || !value || !ILLEGAL.has(value) || !once.first(c)) return;
      out.push({ at: ctx.loc(arg.r), message: `FltCompletePendedPreOperation cannot take ${value}; pass FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_NO_CALLBACK or FLT_PREOP_SUCCESS_WITH_CALLBACK.` });
    });
    return out;
  },
});
export default rule;
