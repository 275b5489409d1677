/** Which locals a function body takes the address of: those live in memory rather than in a slot. */
import type { Expr, Initializer, Stmt } from '../c/ast';

const ADDRESS_TAKEN = new WeakMap<Stmt, ReadonlySet<string>>();

/**
 * The names a function body applies `&` to (directly, or through `&x.f` and `&x[i]`). Once per
 * body: every run (every explored schedule) compiles the driver's functions again.
 */
export function addressTaken(body: Stmt): ReadonlySet<string> {
  let known = ADDRESS_TAKEN.get(body);
  if (known === undefined) ADDRESS_TAKEN.set(body, (known = findAddressTaken(body)));
  return known;
}

function findAddressTaken(body: Stmt): Set<string> {
  const out = new Set<string>();
  const root = (e: Expr): string | undefined => {
    if (e.k === 'id') return e.name;
    if (e.k === 'member' && !e.arrow) return root(e.object);
    if (e.k === 'index') return root(e.array);
    return undefined;
  };
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'unary':
        if (e.op === '&') {
          const name = root(e.arg);
          if (name) out.add(name);
        }
        expr(e.arg);
        return;
      case 'binary':
      case 'assign':
      case 'comma':
        expr(e.left);
        expr(e.right);
        return;
      case 'call':
        expr(e.callee);
        e.args.forEach(expr);
        return;
      case 'member':
        expr(e.object);
        return;
      case 'index':
        expr(e.array);
        expr(e.index);
        return;
      case 'cast':
      case 'sizeofExpr':
        expr(e.arg);
        return;
      case 'cond':
        expr(e.test);
        expr(e.then);
        expr(e.else);
        return;
      case 'compound':
        init(e.init);
        return;
      default:
        return;
    }
  };
  const init = (i: Initializer | undefined): void => {
    if (!i) return;
    if (i.k === 'expr') expr(i.expr);
    else i.items.forEach((it) => init(it.value));
  };
  const stmt = (st: Stmt | undefined): void => {
    if (!st) return;
    switch (st.k) {
      case 'expr':
        expr(st.expr);
        return;
      case 'decl':
        st.decls.forEach((d) => init(d.init));
        return;
      case 'block':
        st.body.forEach(stmt);
        return;
      case 'if':
        expr(st.test);
        stmt(st.then);
        stmt(st.else);
        return;
      case 'while':
      case 'do':
        expr(st.test);
        stmt(st.body);
        return;
      case 'for':
        stmt(st.init);
        expr(st.test);
        expr(st.update);
        stmt(st.body);
        return;
      case 'switch':
        expr(st.test);
        stmt(st.body);
        return;
      case 'case':
        st.body.forEach(stmt);
        return;
      case 'return':
        expr(st.value);
        return;
      case 'label':
        stmt(st.body);
        return;
      case 'try':
        stmt(st.body);
        expr(st.handler?.filter);
        stmt(st.handler?.body);
        stmt(st.finally);
        return;
      default:
        return;
    }
  };
  stmt(body);
  return out;
}
