import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const RW = new Set(['IRP_MJ_READ', 'IRP_MJ_WRITE']);

const rule = functionRule({
  id: 'sync-async-rw',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'FLT_PREOP_SYNCHRONIZE on asynchronous read or write',
  why: 'Returning FLT_PREOP_SYNCHRONIZE makes the calling thread wait for the operation to finish. Asynchronous reads and writes (the modified and mapped page writers issue them) must never be synchronized this way: it can deadlock the memory manager. Synchronize a read or write only after FltIsOperationSynchronous(Data) returned TRUE.',
  sources: [DOCS.ifs('returning-flt-preop-synchronize')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_SYNCHRONIZE'),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_PREOP_SYNCHRONIZE' || r.op.sync || !r.op.majors) continue;
      const rw = r.op.majors.filter((m) => RW.has(m));
      if (rw.length === 0 || !once(r)) continue;
      out.push({ at: ctx.loc(r.node.r), message: `FLT_PREOP_SYNCHRONIZE may be returned here for an asynchronous ${rw.join('/')}; synchronize only when FltIsOperationSynchronous(${paths.data}) is TRUE.` });
    }
    return out;
  },
});
export default rule;
