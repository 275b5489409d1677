import { statusByName, ntSuccess } from '../../kernel/status';
import { runFlow } from '../analysis/flow';
import { pathOf } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import type { Expr, Stmt } from '../frontend/ir';
import { SUCCESS } from '../analysis/values';
import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';

/** The atomic tests of a condition, as the CFG splits it (`!`, `&&`, `||`, casts, a comma's right side). */
function atomsOf(e: Expr, out: Set<Expr>): void {
  if (e.k === 'unary' && e.op === '!') atomsOf(e.arg, out);
  else if (e.k === 'binary' && (e.op === '&&' || e.op === '||')) { atomsOf(e.left, out); atomsOf(e.right, out); }
  else if (e.k === 'cast') atomsOf(e.arg, out);
  else if (e.k === 'comma') atomsOf(e.right, out);
  else out.add(e);
}

/** The tests of each `if` whose then-branch unregisters: the driver's own record that there is a filter to unregister. */
function unregisterGuards(body: Stmt, unregisters: (s: Stmt) => boolean): Set<Expr> {
  const out = new Set<Expr>();
  const visit = (s: Stmt | undefined): void => {
    if (!s) return;
    switch (s.k) {
      case 'if': if (unregisters(s.then)) atomsOf(s.cond, out); visit(s.then); visit(s.else); return;
      case 'block': for (const b of s.body) visit(b); return;
      case 'while': case 'do': case 'for': case 'switch': visit(s.body); return;
      case 'case': for (const b of s.body) visit(b); return;
      case 'label': visit(s.body); return;
      case 'try': visit(s.body); visit(s.finally); visit(s.except?.body); return;
      default: return;
    }
  };
  visit(body);
  return out;
}

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
    // `if (gInitFlags & FILTER_REGISTERED) { ... FltUnregisterFilter(...) }`: the driver's own record says
    // whether there is a filter; the path that skips the block is its decision, not an omission.
    const guards = unregisterGuards(ctx.fn.body, (st) => allCalls(st).some((c) => unregisters(c.callee ?? '')));
    // A call through a pointer (`gMgr.UnloadCallback()`, a local or parameter) may be the unregistering code.
    const indirect = (name: string | undefined) => name === undefined || ctx.fn.locals.has(name) || ctx.fn.params.some((p) => p.name === name);
    const complete = runFlow<boolean>(ctx, {
      init: false,
      key: (s) => (s ? '1' : '0'),
      call: (c, s) => s || unregisters(c.callee ?? '') || indirect(c.callee),
      refine: (c, cond, truth, s) => {
        if (s) return s;
        if (guards.has(cond)) return true;
        return c && c.atom.k === 'nonnull' && handles.has(c.atom.path) && c.pos !== truth ? true : s;
      },
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
