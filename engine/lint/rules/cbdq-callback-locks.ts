import { LOCK_APIS, WAITS, lockKindLabel } from '../analysis/locks';
import { allCalls } from '../frontend/walk';
import { calledName } from '../frontend/exprs';
import { DOCS, type RawFinding, functionRule } from '../rule';

const rule = functionRule({
  id: 'cbdq-callback-locks',
  severity: 'error',
  scope: 'function',
  roles: ['cbdq'],
  title: 'Cancel-safe queue callback takes a lock',
  why: 'The Filter Manager calls the queue\'s Insert, Remove and PeekNext callbacks with the queue lock already held (it calls the Acquire callback first). Taking a lock inside them deadlocks on the queue lock or inverts lock order with it; the documentation says not to lock inside these callbacks.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinitialize')],
  wants: (c) => c.roles.some((r) => r.k === 'cbdq' && (r.cb === 'insert' || r.cb === 'remove' || r.cb === 'peek')),
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.roles.find((r) => r.k === 'cbdq' && (r.cb === 'insert' || r.cb === 'remove' || r.cb === 'peek'));
    if (!role || role.k !== 'cbdq') return out;
    const label = role.cb === 'peek' ? 'PeekNextIo' : role.cb === 'insert' ? 'InsertIo' : 'RemoveIo';
    const irql = ctx.file.irql;
    for (const c of allCalls(ctx.fn.body)) {
      const name = calledName(c);
      if (!name) continue;
      const api = c.callee ? LOCK_APIS[c.callee] : undefined;
      if ((api && api.acquire) || (c.callee && WAITS.has(c.callee))) {
        out.push({ at: ctx.loc(c.r), message: `${ctx.name} is this queue's ${label} callback and already runs under the queue lock; do not take a ${api ? lockKindLabel(api.kind) : 'lock'} here.` });
        continue;
      }
      const target = ctx.callTarget(c) ?? name;
      if (ctx.file.knows(target) && target !== ctx.name) {
        const inner = [...irql.callsTransitively(target)].find((n) => (LOCK_APIS[n]?.acquire) || WAITS.has(n));
        if (inner) out.push({ at: ctx.loc(c.r), message: `${name} takes a lock (${inner}) and ${ctx.name} already runs under the queue lock; do not lock inside the ${label} callback.` });
      }
    }
    return out;
  },
});
export default rule;
