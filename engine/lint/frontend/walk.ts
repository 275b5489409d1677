/** Visiting every expression of a function body, for rules that do not need control flow. */
import type { CallExpr, Expr, Stmt } from './ir';
import { walkEval } from './exprs';

/** Calls `visit` on each statement-level expression (conditions, values, initializers). */
export function forEachExpr(s: Stmt, visit: (e: Expr) => void): void {
  switch (s.k) {
    case 'expr': visit(s.e); return;
    case 'decl': for (const v of s.vars) if (v.init) visit(v.init); return;
    case 'if': visit(s.cond); forEachExpr(s.then, visit); if (s.else) forEachExpr(s.else, visit); return;
    case 'while': visit(s.cond); forEachExpr(s.body, visit); return;
    case 'do': forEachExpr(s.body, visit); visit(s.cond); return;
    case 'for':
      if (s.init) forEachExpr(s.init, visit);
      if (s.cond) visit(s.cond);
      if (s.update) visit(s.update);
      forEachExpr(s.body, visit);
      return;
    case 'switch': visit(s.disc); forEachExpr(s.body, visit); return;
    case 'case': if (s.value) visit(s.value); for (const b of s.body) forEachExpr(b, visit); return;
    case 'block': for (const b of s.body) forEachExpr(b, visit); return;
    case 'return': if (s.e) visit(s.e); return;
    case 'label': if (s.body) forEachExpr(s.body, visit); return;
    case 'try':
      forEachExpr(s.body, visit);
      if (s.except) { visit(s.except.filter); forEachExpr(s.except.body, visit); }
      if (s.finally) forEachExpr(s.finally, visit);
      return;
    default: return;
  }
}

/** Every call in a body, in source order. */
export function allCalls(body: Stmt): CallExpr[] {
  const out: CallExpr[] = [];
  forEachExpr(body, (e) => walkEval(e, { call: (c) => out.push(c) }));
  return out;
}

/** Every assignment in a body (declaration initializers are not included). */
export function allAssignments(body: Stmt): Extract<Expr, { k: 'assign' }>[] {
  const out: Extract<Expr, { k: 'assign' }>[] = [];
  forEachExpr(body, (e) => walkEval(e, { assign: (a) => out.push(a) }));
  return out;
}
