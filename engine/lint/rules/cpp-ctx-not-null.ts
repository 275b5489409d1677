import { isNullExpr } from '../frontend/exprs';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { callsWithEnv, OncePerCall } from './support';

const CPP = new Set(['FltCompletePendedPreOperation']);
const NEEDS_NULL = new Set(['FLT_PREOP_COMPLETE', 'FLT_PREOP_SUCCESS_NO_CALLBACK']);

const rule = functionRule({
  id: 'cpp-ctx-not-null',
  severity: 'error',
  scope: 'function',
  title: 'Context passed to FltCompletePendedPreOperation when it must be NULL',
  why: 'The Context argument is handed to the post-operation callback, which only runs for FLT_PREOP_SUCCESS_WITH_CALLBACK. With FLT_PREOP_COMPLETE or FLT_PREOP_SUCCESS_NO_CALLBACK no post-operation callback will see it, so the documentation requires NULL; whatever it points to is lost.',
  sources: [DOCS.ddi('nf-fltkernel-fltcompletependedpreoperation')],
  wants: (c) => callsAny(c, CPP),
  check(ctx) {
    const out: RawFinding[] = [];
    const once = new OncePerCall();
    callsWithEnv(ctx, CPP, (c, env) => {
      const status = ctx.values.valueOf(env, c.args[1]);
      const arg = c.args[2];
      if (!arg || !status || !NEEDS_NULL.has(status)) return;
      if (isNullExpr(arg) || ctx.values.valueOf(env, arg) === 'NULL') return;
      if (!once.first(c)) return;
      out.push({
        at: ctx.loc(arg.r),
        message: `With ${status} the context must be NULL; pass NULL and release what it points to yourself.`,
        fixes: [{ title: 'Pass NULL as the context', edits: [{ at: ctx.loc(arg.r), newText: 'NULL' }] }],
      });
    });
    return out;
  },
});
export default rule;
