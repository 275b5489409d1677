import { isNullExpr } from '../frontend/exprs';
import { apiInfo } from '../../api/catalog';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { findUncheckedUses } from './nullTracking';
import { callsTo } from './support';

const SOURCES = new Set(['FltCbdqRemoveIo', 'FltCbdqRemoveNextIo']);

const rule = functionRule({
  id: 'cbdq-remove-null',
  severity: 'error',
  scope: 'function',
  title: 'FltCbdqRemoveIo with a NULL context, or a removal result used without a NULL test',
  why: 'FltCbdqRemoveIo finds the operation through the context given to FltCbdqInsertIo, so that context cannot be NULL. Both removal routines return NULL when there is nothing to return — the queue is empty, or cancellation already took the operation — so their result must be tested before it is used.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqremoveio'), DOCS.ddi('nf-fltkernel-fltcbdqremovenextio')],
  wants: (c) => callsAny(c, SOURCES),
  check(ctx) {
    const out: RawFinding[] = [];
    for (const c of callsTo(ctx, new Set(['FltCbdqRemoveIo']))) {
      const arg = c.args[1];
      if (arg && isNullExpr(arg)) out.push({ at: ctx.loc(arg.r), message: 'FltCbdqRemoveIo needs the context that was given to FltCbdqInsertIo; it cannot be NULL.' });
    }
    const uses = findUncheckedUses(ctx, {
      sources: SOURCES,
      sink: (callee) => callee.startsWith('Flt') || apiInfo(callee) !== undefined,
    });
    for (const u of uses) {
      const how = u.what === 'deref' ? 'is dereferenced' : `is passed to ${u.callee}`;
      out.push({
        at: ctx.loc(u.at),
        message: `'${u.source.path}' from ${u.source.api} ${how} without a NULL test; the queue may be empty or the operation already cancelled, so test it first.`,
        related: [{ at: ctx.loc(u.source.site), message: 'removed here' }],
      });
    }
    return out;
  },
});
export default rule;
