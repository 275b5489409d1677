/**
 * The path-sensitive walk most rules use: constant propagation (so `return status;` can be read as
 * `return FLT_PREOP_PENDING;`, and impossible branches are pruned) plus a rule-specific part `E`
 * driven by hooks on calls, assignments, conditions and returns.
 */
import type { AssignExpr, CallExpr, Expr, VarDecl } from '../frontend/ir';
import { walkEval } from '../frontend/exprs';
import type { CfgNode } from './cfg';
import { classify, type Condition } from './conditions';
import { solve } from './paths';
import { EMPTY_ENV, envKey, type Env, type ValueTracker } from './values';
import type { FunctionContext } from '../context';

export interface FlowHooks<E> {
  init: E;
  key(e: E): string;
  /** Sees a node's whole expression (statement, condition, return value) before it is evaluated. */
  before?(e: Expr, s: E, env: Env, node: CfgNode): void;
  /** A call, after its arguments were evaluated. */
  call?(c: CallExpr, e: E, env: Env, node: CfgNode): E;
  /** An assignment, after its right side; `env` is the state before the assignment. */
  assign?(a: AssignExpr, e: E, env: Env, node: CfgNode): E;
  /** `&operand` was evaluated. */
  addressTaken?(operand: Expr, e: E, env: Env): E;
  /** A declaration without initializer. */
  declare?(v: VarDecl, e: E): E;
  /** The part of the state on the `truth` edge of a test; null when the edge cannot be taken. */
  refine?(c: Condition | undefined, cond: Expr, truth: boolean, e: E, env: Env): E | null;
  /** The part of the state on a switch edge. */
  cases?(disc: Expr, values: Expr[], isDefault: boolean, e: E): E | null;
  /** A return statement; `value` is the constant it returns when known. */
  ret?(node: CfgNode, value: string | undefined, e: E, env: Env): E;
  /** Each distinct state at the function's end; `ret` is the return statement the path took. */
  exit?(e: E, env: Env, ret: CfgNode | undefined): void;
}

interface FlowState<E> {
  env: Env;
  e: E;
  ret: number;
}

export function runFlow<E>(ctx: FunctionContext, hooks: FlowHooks<E>, opts?: { maxStatesPerNode?: number }): boolean {
  const vt: ValueTracker = ctx.values;
  const aliases = ctx.aliases;
  const cfg = ctx.cfg;
  const evalExpr = (s: FlowState<E>, expr: Expr | undefined, node: CfgNode): FlowState<E> => {
    if (!expr) {
      if (node.decl) {
        const e = hooks.declare ? hooks.declare(node.decl, s.e) : s.e;
        const env = vt.forget(s.env, node.decl.name);
        return e === s.e && env === s.env ? s : { ...s, env, e };
      }
      return s;
    }
    hooks.before?.(expr, s.e, s.env, node);
    let env = s.env;
    let e = s.e;
    walkEval(expr, {
      call: hooks.call ? (c) => { e = hooks.call!(c, e, env, node); } : undefined,
      assign: (a) => {
        if (hooks.assign) e = hooks.assign(a, e, env, node);
        env = vt.eval(env, a);
      },
      addressTaken: (operand) => {
        if (hooks.addressTaken) e = hooks.addressTaken(operand, e, env);
        env = vt.eval(env, { k: 'unary', op: '&', arg: operand, r: operand.r });
      },
    });
    return env === s.env && e === s.e ? s : { env, e, ret: s.ret };
  };
  const res = solve<FlowState<E>>(cfg, {
    init: () => ({ env: EMPTY_ENV, e: hooks.init, ret: -1 }),
    key: (s) => `${envKey(s.env)}#${hooks.key(s.e)}#${s.ret}`,
    step: (n, s) => evalExpr(s, n.expr, n),
    evalCond: (n, s) => evalExpr(s, n.expr, n),
    refine: (cond, truth, s) => {
      const c = classify(cond, aliases);
      const env = vt.refine(s.env, c, truth);
      if (env === null) return null;
      let e = s.e;
      if (hooks.refine) {
        const r = hooks.refine(c, cond, truth, s.e, env);
        if (r === null) return null;
        e = r;
      }
      return env === s.env && e === s.e ? s : { env, e, ret: s.ret };
    },
    cases: (disc, values, isDefault, s) => {
      if (!hooks.cases) return s;
      const e = hooks.cases(disc, values, isDefault, s.e);
      return e === null ? null : e === s.e ? s : { ...s, e };
    },
    ret: (n, s) => {
      const value = n.expr ? vt.valueOf(s.env, n.expr) : undefined;
      const e = hooks.ret ? hooks.ret(n, value, s.e, s.env) : s.e;
      return { env: s.env, e, ret: n.id };
    },
    exit: (s) => hooks.exit?.(s.e, s.env, s.ret >= 0 ? cfg.nodes[s.ret] : undefined),
  }, opts);
  return res.complete;
}
