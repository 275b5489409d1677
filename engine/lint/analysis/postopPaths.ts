/**
 * Which calls of a post-operation callback may run while it is still at DISPATCH_LEVEL. A post-op
 * shared by several majors runs at PASSIVE_LEVEL for creates, and every post-op runs at APC_LEVEL or
 * below while draining: calls reached only on paths that tested `Data->Iopb->MajorFunction ==
 * IRP_MJ_CREATE` or `FLTFL_POST_OPERATION_DRAINING` are safe. So are calls on paths narrowed to
 * control codes (FSCTL, IOCTL, minor function) for which every registered pre-op returns
 * FLT_PREOP_SYNCHRONIZE or asks for no post-operation callback at all.
 */
import { runFlow } from './flow';
import { callPosKey } from './irql';
import { casesOp, initialOp, opKey, refineOp, type OpState } from './opstate';
import { ANY_CODE, casesCode, codeKey, refineCode, returnsFor, type CodeState } from './controlCodes';
import type { FunctionFacts, ReturnsByCode } from './functionFacts';

/**
 * Pre-op results after which the post-op may run at DISPATCH_LEVEL. As for the whole post-op
 * (FileContext.postopSafety), a value that cannot be told does not make a path unsafe: only a
 * pre-op seen to return one of these does.
 */
const UNSAFE_PREOP_RETURNS = new Set(['FLT_PREOP_SUCCESS_WITH_CALLBACK', 'FLT_PREOP_PENDING']);

/** Keys (`row:col`) of the calls reached on some unsafe path; undefined when that cannot be told. */
export function postopUnsafeCalls(ctx: FunctionFacts): Set<string> | undefined {
  const role = ctx.role('postop');
  const data = ctx.param(0);
  const flags = ctx.param(3);
  if (!role || !role.majors || !data || !ctx.readable) return undefined;
  // The pre-ops of the rows this post-op is registered in, read by code (when every one is in this file).
  const preops = role.preOps.map((p) => (p ? ctx.file.functionContext(p) : undefined));
  const byCode: ReturnsByCode[] | undefined = preops.every((p) => p) ? preops.map((p) => p!.preopCodes).filter((r): r is ReturnsByCode => !!r) : undefined;
  const codesSafe = (code: CodeState) => byCode !== undefined && byCode.length === preops.length && byCode.length > 0 && code.only !== null
    && byCode.every((r) => ![...returnsFor(r, code.only!)].some((v) => UNSAFE_PREOP_RETURNS.has(v)));
  return unsafeCalls(ctx, data, flags, role.majors, codesSafe);
}

/**
 * The same for a helper a post-op calls with its callback data (`CtxPostOperationCallback(Data,
 * ...)` dispatching on `Data->Iopb->MajorFunction` to a `CtxPostCreate`): the majors it may see
 * are not known, so only its own tests of the major function (or of the draining flag, when it is
 * handed the post-op's flags) make a path safe. Undefined when it takes no callback data.
 */
export function helperUnsafeCalls(ctx: FunctionFacts): Set<string> | undefined {
  if (!ctx.readable || ctx.role('postop')) return undefined;
  const datas = ctx.fn.params.filter((p) => /\bP?FLT_CALLBACK_DATA\b/.test(p.type));
  if (datas.length !== 1) return undefined;
  const flags = ctx.fn.params.find((p) => /\bFLT_POST_OPERATION_FLAGS\b/.test(p.type))?.name;
  return unsafeCalls(ctx, datas[0]!.name, flags, null, () => false);
}

function unsafeCalls(ctx: FunctionFacts, data: string, flags: string | undefined, majors: readonly string[] | null, codesSafe: (code: CodeState) => boolean): Set<string> | undefined {
  const reached = new Set<string>();
  const safe = (o: OpState, draining: boolean, code: CodeState) => draining || (o.majors !== null && o.majors.every((m) => m === 'IRP_MJ_CREATE')) || codesSafe(code);
  const complete = runFlow<{ op: OpState; draining: boolean; code: CodeState }>(ctx, {
    init: { op: initialOp(majors), draining: false, code: ANY_CODE },
    key: (s) => `${opKey(s.op)}|${s.draining ? 1 : 0}|${codeKey(s.code)}`,
    call: (c, s) => {
      if (!safe(s.op, s.draining, s.code)) reached.add(callPosKey(c));
      return s;
    },
    refine: (c, _cond, truth, s) => {
      if (c && c.atom.k === 'flag' && c.atom.flag === 'FLTFL_POST_OPERATION_DRAINING' && flags !== undefined && c.atom.path === flags) {
        return c.pos === truth ? { ...s, draining: true } : s;
      }
      const op = refineOp(s.op, c, truth, data);
      const code = refineCode(s.code, c, truth, data);
      if (op === null || code === null) return null;
      return op === s.op && code === s.code ? s : { ...s, op, code };
    },
    cases: (disc, values, isDefault, s) => {
      const op = casesOp(s.op, disc, values, isDefault, data, ctx.aliases);
      const code = casesCode(s.code, disc, values, isDefault, data, ctx.aliases);
      if (op === null || code === null) return null;
      return op === s.op && code === s.code ? s : { ...s, op, code };
    },
  }, { constants: 'conditions' });
  return complete ? reached : undefined;
}
