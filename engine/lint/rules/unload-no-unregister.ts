import { statusByName, ntSuccess } from '../../kernel/status';
import { runFlow } from '../analysis/flow';
import { pathOf } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import { SUCCESS } from '../analysis/values';
import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';

const rule = functionRule({
  id: 'unload-no-unregister',
  severity: 'error',
  scope: 'function',
  roles: ['unload'],
  title: 'Unload routine does not unregister the filter',
  why: 'A minifilter\'s FilterUnloadCallback must call FltUnregisterFilter with the handle FltRegisterFilter returned before it returns success. Unregistering tears down the instances and waits for outstanding callbacks; returning success without it leaves the Filter Manager calling into a driver that is being unloaded.',
  sources: [DOCS.ifs('unregistering-the-minifilter'), DOCS.ifs('writing-a-filterunloadcallback-routine')],
  wants: (c) => hasRole(c, 'unload'),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    const irql = ctx.file.irql;
    const unregisters = (name: string) => name === 'FltUnregisterFilter' || (ctx.file.knows(name) && name !== ctx.name && irql.callsTransitively(name).has('FltUnregisterFilter'));
    const seen = new Set<number>();
    // `if (gFilter != NULL) FltUnregisterFilter(gFilter);`: with no handle there is nothing to unregister.
    const handles = new Set(allCalls(ctx.fn.body).filter((c) => c.callee === 'FltUnregisterFilter' && c.args[0]).map((c) => pathOf(c.args[0], ctx.aliases)));
    const complete = runFlow<boolean>(ctx, {
      init: false,
      key: (s) => (s ? '1' : '0'),
      call: (c, s) => s || unregisters(c.callee ?? ''),
      refine: (c, _cond, truth, s) => (!s && c && c.atom.k === 'nonnull' && handles.has(c.atom.path) && c.pos !== truth ? true : s),
      ret: (n, value, s) => {
        if (s || !value || seen.has(n.id)) return s;
        const v = value === SUCCESS ? 0 : statusByName(value);
        if (v === undefined || !ntSuccess(v)) return s;
        seen.add(n.id);
        out.push({ at: ctx.loc(n.r), message: `${ctx.name} returns ${value === SUCCESS ? 'a success status' : value} without calling FltUnregisterFilter; unregister the filter (with the handle from FltRegisterFilter) before returning success.` });
        return s;
      },
    });
    return complete ? out : [];
  },
});
export default rule;
