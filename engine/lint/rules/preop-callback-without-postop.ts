import { DOCS, callsAny, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';
import { callsWithEnv, OncePerCall } from './support';

const WANTS_POST = new Set(['FLT_PREOP_SUCCESS_WITH_CALLBACK', 'FLT_PREOP_SYNCHRONIZE']);

const rule = functionRule({
  id: 'preop-callback-without-postop',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'Post-operation callback requested but none registered',
  why: 'FLT_PREOP_SUCCESS_WITH_CALLBACK and FLT_PREOP_SYNCHRONIZE ask the Filter Manager to call the post-operation callback. If the operation\'s registration row has PostOperation == NULL, the system stops with bug check 0xF5 (FLTMGR_FILE_SYSTEM), parameter 0x66.',
  sources: [DOCS.debugger('bug-check-0xf5--fltmgr-file-system'), DOCS.ifs('returning-flt-preop-synchronize')],
  wants: (c) => (hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_SUCCESS_WITH_CALLBACK', 'FLT_PREOP_SYNCHRONIZE')) || (callsAny(c, ['FltCompletePendedPreOperation']) && mentionsAny(c, 'FLT_PREOP_SUCCESS_WITH_CALLBACK')),
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.role('preop');
    if (role && role.rows.length > 0) {
      const paths = callbackPaths(ctx);
      const once = oncePerReturn();
      for (const r of paths?.returns ?? []) {
        if (!r.value || !WANTS_POST.has(r.value)) continue;
        // The majors this path may serve; every one must be registered without a post-op.
        const majors = r.op.majors ?? role.rowMajors.filter((m): m is string => !!m);
        const rowsFor = (m: string) => role.rowMajors.map((x, i) => (x === m ? i : -1)).filter((i) => i >= 0);
        const noPost = majors.length > 0 && majors.every((m) => { const rows = rowsFor(m); return rows.length > 0 && rows.every((i) => !role.postOps[i]); });
        if (!noPost || !once(r)) continue;
        const row = rowsFor(majors[0])[0];
        out.push({
          at: ctx.loc(r.node.r),
          message: `${r.value} asks for a post-operation callback, but ${majors.join(', ')} is registered with PostOperation = NULL; register one or return FLT_PREOP_SUCCESS_NO_CALLBACK.`,
          related: row !== undefined ? [{ at: role.rows[row], message: 'registered without a post-operation callback here' }] : [],
        });
      }
    }
    // Completing a pended operation with SUCCESS_WITH_CALLBACK when no row of the file has a post-op.
    const tables = [...ctx.file.model.operationTables.values()];
    const rows = tables.flatMap((t) => t.rows.filter((x) => !x.isEnd));
    const elsewhere = ctx.file.foreign.operationRows;
    if (rows.length + elsewhere.total > 0 && rows.every((x) => x.postIsNull) && elsewhere.withPost === 0) {
      const once = new OncePerCall();
      callsWithEnv(ctx, new Set(['FltCompletePendedPreOperation']), (c, env) => {
        const status = ctx.values.valueOf(env, c.args[1]);
        if (status !== 'FLT_PREOP_SUCCESS_WITH_CALLBACK' || !once.first(c)) return;
        out.push({ at: ctx.loc(c.args[1].r), message: 'FLT_PREOP_SUCCESS_WITH_CALLBACK asks for a post-operation callback, but no operation of this filter registers one; pass FLT_PREOP_SUCCESS_NO_CALLBACK.' });
      });
    }
    return out;
  },
});
export default rule;
