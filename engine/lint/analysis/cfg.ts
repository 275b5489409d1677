/**
 * A control-flow graph over one function's IR. Conditions are split at `&&`, `||` and `!` so that a
 * test node always holds one atomic condition and its two edges say which way it went; `switch`
 * edges carry their case values. `ASSERT(x)` is read as "x holds here" (the false edge is dropped):
 * code after an assertion is written for the asserted state, and flagging the other state would be
 * noise. Calls that never return (KeBugCheckEx, ExRaiseStatus) end their path.
 *
 * Conditions that are constants take only the branch they can take: `do { … } while (FALSE)` has
 * no back edge, `while (0)` and `for (; 0;)` bodies are never entered, `for (;;)` and `while (TRUE)`
 * leave only through `break`, `return` or `goto`. An `__except` handler is entered from the start of
 * its `__try` body and after each call in it that may raise (`mayRaise`, sehRaise.ts), never after the whole body only.
 * The statement macros of the FAT/NTFS sources jump: `try_return(S)` evaluates S and goes to
 * `try_exit`, `try_leave(S)` evaluates S and leaves the `__try`.
 */
import type { AssignExpr, CallExpr, Expr, FunctionIR, Span, Stmt, VarDecl } from '../frontend/ir';
import { strip } from '../frontend/exprs';
import { mayRaise } from './sehRaise';

export type NodeKind = 'entry' | 'exit' | 'eval' | 'test' | 'switch' | 'return' | 'nop';

export interface Edge {
  to: number;
  /** For test nodes: which outcome of the condition this edge takes. */
  truth?: boolean;
  /** For switch nodes: the case values this edge is taken for; `default` edges list every other value. */
  cases?: Expr[];
  isDefault?: boolean;
}

export interface CfgNode {
  id: number;
  kind: NodeKind;
  /** eval: the expression evaluated; test: the atomic condition; switch: the discriminant; return: the value. */
  expr?: Expr;
  /** Declarations evaluate as `name = init`; the declaration is kept for rules that read types. */
  decl?: VarDecl;
  r: Span;
  succ: Edge[];
}

export interface Cfg {
  nodes: CfgNode[];
  entry: number;
  exit: number;
  /** Calls whose value is thrown away (an expression statement, or a `(void)` cast). */
  discarded: Set<CallExpr>;
  /** Return nodes, in source order. */
  returns: CfgNode[];
}

const NO_RETURN = new Set(['KeBugCheck', 'KeBugCheckEx', 'ExRaiseStatus', 'RtlRaiseStatus', 'ExRaiseAccessViolation', '__fastfail', 'abort', 'exit']);
/** Statement macros that jump after evaluating their argument (fastfat/ntfs style SEH helpers). */
const JUMP_MACROS: Record<string, { goto: string } | { leave: true }> = {
  try_return: { goto: 'try_exit' },
  try_leave: { leave: true },
};

const ASSERTS = new Set(['ASSERT', 'ASSERTMSG', 'NT_ASSERT', 'NT_ASSERTMSG', 'FLT_ASSERT', 'FLT_ASSERTMSG', 'NT_VERIFY', 'NT_VERIFYMSG', 'assert', 'DBG_ASSERT', '_Analysis_assume_', '__analysis_assume']);

interface Pending {
  from: number;
  truth?: boolean;
  cases?: Expr[];
  isDefault?: boolean;
}

interface LoopTargets {
  breakTo: Pending[];
  continueTo?: Pending[];
}

interface TryFrame {
  finallyStmt?: Stmt;
  leaves: Pending[];
}

class Builder {
  readonly nodes: CfgNode[] = [];
  readonly discarded = new Set<CallExpr>();
  readonly returns: CfgNode[] = [];
  private readonly labels = new Map<string, number>();
  private readonly gotos: { label: string; pending: Pending[] }[] = [];
  private readonly loops: LoopTargets[] = [];
  private tries: TryFrame[] = [];
  exit = -1;

  constructor(private readonly fn: FunctionIR) {}

  node(kind: NodeKind, r: Span, expr?: Expr): CfgNode {
    const n: CfgNode = { id: this.nodes.length, kind, expr, r, succ: [] };
    this.nodes.push(n);
    return n;
  }

  connect(pending: Pending[], to: number): void {
    for (const p of pending) {
      const edge: Edge = { to };
      if (p.truth !== undefined) edge.truth = p.truth;
      if (p.cases) edge.cases = p.cases;
      if (p.isDefault) edge.isDefault = true;
      this.nodes[p.from].succ.push(edge);
    }
  }

  /** Appends a plain node after `pending`; returns the new open end. */
  chain(pending: Pending[], n: CfgNode): Pending[] {
    this.connect(pending, n.id);
    return [{ from: n.id }];
  }

  stmts(list: Stmt[], pending: Pending[]): Pending[] {
    for (const s of list) pending = this.stmt(s, pending);
    return pending;
  }

  stmt(s: Stmt, pending: Pending[]): Pending[] {
    switch (s.k) {
      case 'block': return this.stmts(s.body, pending);
      case 'empty': return pending;
      case 'expr': return this.exprStmt(s.e, s.r, pending);
      case 'decl': {
        for (const v of s.vars) {
          const n = this.node('eval', v.r, v.init ? declAssign(v) : undefined);
          n.decl = v;
          pending = this.chain(pending, n);
        }
        return pending;
      }
      case 'if': {
        const { t, f } = this.cond(s.cond, pending);
        const thenEnd = this.stmt(s.then, t);
        const elseEnd = s.else ? this.stmt(s.else, f) : f;
        return [...thenEnd, ...elseEnd];
      }
      case 'while': {
        const head = this.node('nop', s.r);
        this.connect(pending, head.id);
        const { t, f } = this.cond(s.cond, [{ from: head.id }]);
        const loop: LoopTargets = { breakTo: [], continueTo: [] };
        this.loops.push(loop);
        const bodyEnd = this.stmt(s.body, t);
        this.loops.pop();
        this.connect([...bodyEnd, ...loop.continueTo!], head.id);
        return [...f, ...loop.breakTo];
      }
      case 'do': {
        const head = this.node('nop', s.r);
        this.connect(pending, head.id);
        const loop: LoopTargets = { breakTo: [], continueTo: [] };
        this.loops.push(loop);
        const bodyEnd = this.stmt(s.body, [{ from: head.id }]);
        this.loops.pop();
        const condHead = this.node('nop', s.r);
        this.connect([...bodyEnd, ...loop.continueTo!], condHead.id);
        const { t, f } = this.cond(s.cond, [{ from: condHead.id }]);
        this.connect(t, head.id);
        return [...f, ...loop.breakTo];
      }
      case 'for': {
        if (s.init) pending = this.stmt(s.init, pending);
        const head = this.node('nop', s.r);
        this.connect(pending, head.id);
        let t: Pending[] = [{ from: head.id }];
        let f: Pending[] = [];
        if (s.cond) ({ t, f } = this.cond(s.cond, t));
        const loop: LoopTargets = { breakTo: [], continueTo: [] };
        this.loops.push(loop);
        const bodyEnd = this.stmt(s.body, t);
        this.loops.pop();
        let back = [...bodyEnd, ...loop.continueTo!];
        if (s.update) back = this.chain(back, this.node('eval', s.update.r, s.update));
        this.connect(back, head.id);
        return [...f, ...loop.breakTo];
      }
      case 'switch': {
        const sw = this.node('switch', s.r, s.disc);
        this.connect(pending, sw.id);
        const loop: LoopTargets = { breakTo: [] };
        this.loops.push(loop);
        const allValues: Expr[] = [];
        collectCases(s.body, allValues);
        let sawDefault = false;
        // Case labels become targets of the switch node; statements between them fall through.
        const body = s.body.k === 'block' ? s.body.body : [s.body];
        let flow: Pending[] = [];
        const visitCases = (list: Stmt[]): void => {
          for (const st of list) {
            if (st.k === 'case') {
              const label = this.node('nop', st.r);
              this.connect(flow, label.id);
              if (st.value) sw.succ.push({ to: label.id, cases: [st.value] });
              else { sw.succ.push({ to: label.id, cases: allValues, isDefault: true }); sawDefault = true; }
              flow = [{ from: label.id }];
              visitCases(st.body);
            } else {
              flow = this.stmt(st, flow);
            }
          }
        };
        visitCases(body);
        this.loops.pop();
        const out = [...flow, ...loop.breakTo];
        if (!sawDefault) out.push({ from: sw.id, cases: allValues, isDefault: true });
        return out;
      }
      case 'case':
        // A case label outside a switch body's top level (Duff's device): read its statements.
        return this.stmts(s.body, pending);
      case 'return': {
        const n = this.node('return', s.r, s.e);
        this.returns.push(n);
        this.connect(pending, n.id);
        let out: Pending[] = [{ from: n.id }];
        // A return inside __try/__finally runs the finally blocks on its way out.
        const saved = this.tries;
        for (let i = saved.length - 1; i >= 0; i--) {
          const fin = saved[i].finallyStmt;
          if (!fin) continue;
          this.tries = saved.slice(0, i);
          out = this.stmt(fin, out);
        }
        this.tries = saved;
        this.connect(out, this.exit);
        return [];
      }
      case 'break': {
        const loop = this.loops[this.loops.length - 1];
        if (loop) loop.breakTo.push(...pending);
        return [];
      }
      case 'continue': {
        for (let i = this.loops.length - 1; i >= 0; i--) {
          const cont = this.loops[i].continueTo;
          if (cont) { cont.push(...pending); return []; }
        }
        return [];
      }
      case 'goto': {
        this.gotos.push({ label: s.label, pending });
        return [];
      }
      case 'label': {
        const n = this.node('nop', s.r);
        this.labels.set(s.name, n.id);
        this.connect(pending, n.id);
        return s.body ? this.stmt(s.body, [{ from: n.id }]) : [{ from: n.id }];
      }
      case 'try': {
        const frame: TryFrame = { finallyStmt: s.finally, leaves: [] };
        this.tries.push(frame);
        const start = this.node('nop', s.r);
        this.connect(pending, start.id);
        const first = this.nodes.length;
        let end = this.stmt(s.body, [{ from: start.id }]);
        const last = this.nodes.length;
        this.tries.pop();
        end = [...end, ...frame.leaves];
        if (s.except) {
          // An exception may come before the body's first statement or out of any call in it.
          const handler = this.node('nop', s.except.body.r);
          const raisers: Pending[] = [{ from: start.id }];
          for (let i = first; i < last; i++) {
            const n = this.nodes[i];
            if ((n.kind === 'eval' || n.kind === 'test' || n.kind === 'switch') && n.expr && mayRaise(n.expr, this.fn)) raisers.push({ from: i });
          }
          this.connect(raisers, handler.id);
          end = [...end, ...this.stmt(s.except.body, [{ from: handler.id }])];
        }
        if (s.finally) end = this.stmt(s.finally, end);
        return end;
      }
      case 'leave': {
        const frame = this.tries[this.tries.length - 1];
        if (frame) frame.leaves.push(...pending);
        return [];
      }
    }
  }

  private exprStmt(e: Expr, r: Span, pending: Pending[]): Pending[] {
    const s = strip(e);
    if (s.k === 'call') {
      this.discarded.add(s);
      const jump = s.callee !== undefined ? JUMP_MACROS[s.callee] : undefined;
      if (jump) {
        const after = this.chain(pending, this.node('eval', r, e));
        if ('goto' in jump) this.gotos.push({ label: jump.goto, pending: after });
        else this.tries[this.tries.length - 1]?.leaves.push(...after);
        return [];
      }
      if (s.callee && ASSERTS.has(s.callee) && s.args.length > 0) {
        const cond = s.args[0];
        if (isConstantFalse(cond)) return this.chain(pending, this.node('eval', r, e));
        const { t } = this.cond(cond, pending);
        return t;
      }
      if (s.callee && NO_RETURN.has(s.callee)) {
        this.chain(pending, this.node('eval', r, e));
        return [];
      }
    }
    if (e.k === 'cast' && /^\s*void\s*$/.test(e.type)) {
      const inner = strip(e.arg);
      if (inner.k === 'call') this.discarded.add(inner);
    }
    if (s.k === 'comma') {
      // `a(), b();` — both values are thrown away.
      for (const part of flattenComma(s)) {
        const p = strip(part);
        if (p.k === 'call') this.discarded.add(p);
      }
    }
    return this.chain(pending, this.node('eval', r, e));
  }

  /** Splits a condition into atomic tests; a constant goes only the way it can. */
  cond(e: Expr, pending: Pending[]): { t: Pending[]; f: Pending[] } {
    if (isConstantFalse(e)) return { t: [], f: pending };
    if (isConstantTrue(e)) return { t: pending, f: [] };
    if (e.k === 'unary' && e.op === '!') {
      const { t, f } = this.cond(e.arg, pending);
      return { t: f, f: t };
    }
    if (e.k === 'binary' && e.op === '&&') {
      const a = this.cond(e.left, pending);
      const b = this.cond(e.right, a.t);
      return { t: b.t, f: [...a.f, ...b.f] };
    }
    if (e.k === 'binary' && e.op === '||') {
      const a = this.cond(e.left, pending);
      const b = this.cond(e.right, a.f);
      return { t: [...a.t, ...b.t], f: b.f };
    }
    if (e.k === 'comma') {
      const p = this.chain(pending, this.node('eval', e.left.r, e.left));
      return this.cond(e.right, p);
    }
    if (e.k === 'cast') return this.cond(e.arg, pending);
    const n = this.node('test', e.r, e);
    this.connect(pending, n.id);
    return { t: [{ from: n.id, truth: true }], f: [{ from: n.id, truth: false }] };
  }

  resolveGotos(): void {
    for (const g of this.gotos) {
      const target = this.labels.get(g.label);
      // A goto to a label we never saw (hidden in a macro): the path ends, as if it left the function.
      this.connect(g.pending, target ?? this.exit);
    }
  }
}

function declAssign(v: VarDecl): AssignExpr {
  return { k: 'assign', op: '=', left: { k: 'id', name: v.name, r: v.r }, right: v.init!, r: v.r };
}

function flattenComma(e: Expr): Expr[] {
  return e.k === 'comma' ? [...flattenComma(e.left), ...flattenComma(e.right)] : [e];
}

function collectCases(s: Stmt, out: Expr[]): void {
  switch (s.k) {
    case 'case': if (s.value) out.push(s.value); for (const b of s.body) collectCases(b, out); return;
    case 'block': for (const b of s.body) collectCases(b, out); return;
    case 'if': collectCases(s.then, out); if (s.else) collectCases(s.else, out); return;
    case 'label': if (s.body) collectCases(s.body, out); return;
    case 'while': case 'do': case 'for': collectCases(s.body, out); return;
    default: return;
  }
}

function isConstantTrue(e: Expr): boolean {
  const s = strip(e);
  if (s.k === 'num') return s.value !== undefined && s.value !== 0;
  if (s.k === 'id') return s.name === 'TRUE';
  if (s.k === 'unary' && s.op === '!') {
    const a = strip(s.arg);
    return (a.k === 'num' && a.value === 0) || (a.k === 'id' && a.name === 'FALSE');
  }
  return false;
}

function isConstantFalse(e: Expr): boolean {
  const s = strip(e);
  if (s.k === 'num') return s.value === 0;
  if (s.k === 'id') return s.name === 'FALSE';
  if (s.k === 'unary' && s.op === '!') {
    const a = strip(s.arg);
    return a.k === 'str' || (a.k === 'num' && a.value !== 0) || (a.k === 'id' && a.name === 'TRUE');
  }
  return false;
}

export function buildCfg(fn: FunctionIR): Cfg {
  const b = new Builder(fn);
  const entry = b.node('entry', fn.span);
  const exit = b.node('exit', { sr: fn.span.er, sc: fn.span.ec, er: fn.span.er, ec: fn.span.ec });
  b.exit = exit.id;
  const end = b.stmt(fn.body, [{ from: entry.id }]);
  b.connect(end, exit.id);
  b.resolveGotos();
  return { nodes: b.nodes, entry: entry.id, exit: exit.id, discarded: b.discarded, returns: b.returns };
}
