/**
 * The path-sensitive walk most rules use: constant propagation (so `return status;` can be read as
 * `return FLT_PREOP_PENDING;`, and impossible branches are pruned) plus a rule-specific part `E`
 * driven by hooks on calls, assignments, conditions and returns.
 */
import type { AssignExpr, CallExpr, Expr, VarDecl } from '../frontend/ir';
import { walkEval, type EvalHooks } from '../frontend/exprs';
import type { CfgNode } from './cfg';
import { classify, type Condition } from './conditions';
import { solve } from './paths';
import { envKey, restrictEnv, type Env, type ValueTracker } from './values';
import type { FunctionFacts } from './functionFacts';

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
  /** The state's key, computed once. */
  k?: string;
}

export interface FlowOptions {
  maxStatesPerNode?: number;
  /**
   * `conditions`: keep constants only while a later condition may test them (enough to prune
   * impossible branches; returned values are then not known). Default: keep every live constant.
   */
  constants?: 'all' | 'conditions';
}

export function runFlow<E>(ctx: FunctionFacts, hooks: FlowHooks<E>, opts?: FlowOptions): boolean {
  const vt: ValueTracker = ctx.values;
  const aliases = ctx.aliases;
  const cfg = ctx.cfg;
  const live = opts?.constants === 'conditions' ? ctx.liveTestedVars : ctx.liveVars;
  // One visitor for the whole run: the current state lives in these variables while an expression
  // is walked, so no closures are made per evaluation.
  let env: Env = vt.empty;
  let e: E = hooks.init;
  let node: CfgNode = cfg.nodes[cfg.entry];
  const onCall = hooks.call;
  const onAssign = hooks.assign;
  const onAddress = hooks.addressTaken;
  const visitor: EvalHooks = {
    call: onCall ? (c) => { e = onCall(c, e, env, node); } : undefined,
    assign: (a) => {
      if (onAssign) e = onAssign(a, e, env, node);
      env = vt.assign(env, a);
    },
    addressTaken: (operand) => {
      if (onAddress) e = onAddress(operand, e, env);
      env = vt.addressTaken(env, operand);
    },
  };
  const evalExpr = (s: FlowState<E>, expr: Expr | undefined, n: CfgNode): FlowState<E> => {
    if (!expr) {
      if (n.decl) {
        const e2 = hooks.declare ? hooks.declare(n.decl, s.e) : s.e;
        const env2 = vt.forget(s.env, n.decl.name);
        return e2 === s.e && env2 === s.env ? s : { env: env2, e: e2, ret: s.ret };
      }
      return s;
    }
    hooks.before?.(expr, s.e, s.env, n);
    env = s.env;
    e = s.e;
    node = n;
    walkEval(expr, visitor);
    return env === s.env && e === s.e ? s : { env, e, ret: s.ret };
  };
  const res = solve<FlowState<E>>(cfg, {
    init: () => ({ env: vt.empty, e: hooks.init, ret: -1 }),
    key: (s) => (s.k ??= `${envKey(s.env)}#${hooks.key(s.e)}#${s.ret}`),
    enter: (id, s) => {
      const env2 = restrictEnv(s.env, live[id]);
      return env2 === s.env ? s : { env: env2, e: s.e, ret: s.ret };
    },
    step: (n, s) => evalExpr(s, n.expr, n),
    evalCond: (n, s) => evalExpr(s, n.expr, n),
    refine: (cond, truth, s) => {
      const c = classify(cond, aliases);
      const env2 = vt.refine(s.env, c, truth);
      if (env2 === null) return null;
      let e2 = s.e;
      if (hooks.refine) {
        const r = hooks.refine(c, cond, truth, s.e, env2);
        if (r === null) return null;
        e2 = r;
      }
      return env2 === s.env && e2 === s.e ? s : { env: env2, e: e2, ret: s.ret };
    },
    cases: (disc, values, isDefault, s) => {
      if (!hooks.cases) return s;
      const e2 = hooks.cases(disc, values, isDefault, s.e);
      return e2 === null ? null : e2 === s.e ? s : { env: s.env, e: e2, ret: s.ret };
    },
    ret: (n, s) => {
      const value = n.expr ? vt.valueOf(s.env, n.expr) : undefined;
      const e2 = hooks.ret ? hooks.ret(n, value, s.e, s.env) : s.e;
      return { env: s.env, e: e2, ret: n.id };
    },
    exit: (s) => hooks.exit?.(s.e, s.env, s.ret >= 0 ? cfg.nodes[s.ret] : undefined),
  }, opts);
  return res.complete;
}
