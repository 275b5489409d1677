import { runFlow } from '../analysis/flow';
import { ANY_CODE, casesCode, codeKey, refineCode, type CodeState } from '../analysis/controlCodes';
import { casesOp, initialOp, opKey, refineOp, type OpState } from '../analysis/opstate';
import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';

/** The operations the Filter Manager cannot synchronize: the major and the codes (minor or FSCTL) that make them so. */
const UNSUPPORTED: readonly { major: string; codes: readonly string[] }[] = [
  { major: 'IRP_MJ_FILE_SYSTEM_CONTROL', codes: ['FSCTL_REQUEST_FILTER_OPLOCK', 'FSCTL_REQUEST_BATCH_OPLOCK', 'FSCTL_REQUEST_OPLOCK_LEVEL_1', 'FSCTL_REQUEST_OPLOCK_LEVEL_2'] },
  { major: 'IRP_MJ_DIRECTORY_CONTROL', codes: ['IRP_MN_NOTIFY_CHANGE_DIRECTORY'] },
  { major: 'IRP_MJ_LOCK_CONTROL', codes: ['IRP_MN_LOCK'] },
];

function codeAllows(c: CodeState, code: string): boolean {
  return (c.only === null || c.only.includes(code)) && !c.not.includes(code);
}

interface S {
  op: OpState;
  code: CodeState;
}

const rule = functionRule({
  id: 'sync-unsupported-op',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'FLT_PREOP_SYNCHRONIZE for an operation that cannot be synchronized',
  why: 'Oplock requests (FSCTL_REQUEST_FILTER_OPLOCK, FSCTL_REQUEST_BATCH_OPLOCK, FSCTL_REQUEST_OPLOCK_LEVEL_1 and _2), directory change notifications (IRP_MN_NOTIFY_CHANGE_DIRECTORY) and byte-range lock requests (IRP_MJ_LOCK_CONTROL with IRP_MN_LOCK) may stay pending in the file system for a long time, by design. Synchronizing one makes the issuing thread wait for it: the requester hangs. Pass such operations on with FLT_PREOP_SUCCESS_WITH_CALLBACK and do the post-processing at a safe IRQL some other way.',
  sources: [DOCS.ifs('returning-flt-preop-synchronize')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_SYNCHRONIZE'),
  check(ctx) {
    const out: RawFinding[] = [];
    const data = ctx.param(0);
    const role = ctx.role('preop');
    if (!data || !ctx.readable || !role?.majors) return out;
    const seen = new Set<number>();
    runFlow<S>(ctx, {
      init: { op: initialOp(role.majors), code: ANY_CODE },
      key: (s) => `${opKey(s.op)}|${codeKey(s.code)}`,
      refine: (c, _e, truth, s) => {
        const op = refineOp(s.op, c, truth, data);
        const code = op && refineCode(s.code, c, truth, data);
        return op && code ? (op === s.op && code === s.code ? s : { op, code }) : null;
      },
      cases: (disc, values, isDefault, s) => {
        const op = casesOp(s.op, disc, values, isDefault, data, ctx.aliases);
        const code = op && casesCode(s.code, disc, values, isDefault, data, ctx.aliases);
        return op && code ? (op === s.op && code === s.code ? s : { op, code }) : null;
      },
      ret: (node, value, s) => {
        if (value !== 'FLT_PREOP_SYNCHRONIZE' || seen.has(node.id)) return s;
        const hits = UNSUPPORTED.filter((u) => s.op.majors?.includes(u.major)).flatMap((u) => u.codes.filter((c) => codeAllows(s.code, c)).map((c) => ({ major: u.major, code: c })));
        if (hits.length === 0) return s;
        seen.add(node.id);
        const what = [...new Set(hits.map((h) => h.major))].map((m) => `${m} (${hits.filter((h) => h.major === m).map((h) => h.code).join(', ')})`).join(' or ');
        out.push({ at: ctx.loc(node.r), message: `FLT_PREOP_SYNCHRONIZE may be returned here for ${what}, which cannot be synchronized; test ${data}->Iopb->MinorFunction (or the FSCTL code) and pass those operations on without synchronizing.` });
        return s;
      },
    });
    return out;
  },
});
export default rule;
