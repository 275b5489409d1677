/**
 * A small path-sensitive solver. An analysis supplies immutable states, a key that says when two
 * states are the same, and transfer functions; the solver keeps, at every CFG node, the set of
 * distinct states that reach it (so facts from different paths are never blurred together), and
 * follows test edges only when the analysis says the condition can go that way.
 *
 * The state sets are capped; a function that exceeds the cap is reported as incomplete and rules
 * that need "on every path" answers stay silent on it.
 */
import type { Expr } from '../frontend/ir';
import type { Cfg, CfgNode } from './cfg';

export interface PathAnalysis<S> {
  init(): S;
  key(s: S): string;
  /** Effects of an eval node (`node.expr` may be undefined for a declaration without initializer). */
  step?(node: CfgNode, s: S): S;
  /** Effects of evaluating a test condition or a switch discriminant, before branching. */
  evalCond?(node: CfgNode, s: S): S;
  /** The state on the `truth` edge of `cond`, or null when that edge cannot be taken. */
  refine?(cond: Expr, truth: boolean, s: S, node: CfgNode): S | null;
  /** The state on a switch edge. */
  cases?(disc: Expr, values: Expr[], isDefault: boolean, s: S): S | null;
  /** At a return statement, after its value was evaluated. */
  ret?(node: CfgNode, s: S): S;
  /** Each distinct state that reaches the function's end. */
  exit?(s: S, node: CfgNode): void;
  /** Sees each distinct state that reaches a node, before the node acts. */
  visit?(node: CfgNode, s: S): void;
  /** Normalises a state as it enters a node (dropping what no longer matters there). */
  enter?(id: number, s: S): S;
}

export interface SolveOptions {
  /** Distinct states kept per node. */
  maxStatesPerNode?: number;
  /** Total (node, state) visits. */
  maxSteps?: number;
}

export interface SolveResult {
  /** False when a cap was hit: some paths were not followed. */
  complete: boolean;
}

/** Work counters, for benchmarks that want a measure the machine's load does not blur. */
export const solveStats = { runs: 0, steps: 0 };

export function solve<S>(cfg: Cfg, a: PathAnalysis<S>, opts: SolveOptions = {}): SolveResult {
  solveStats.runs++;
  const maxStates = opts.maxStatesPerNode ?? 48;
  const maxSteps = opts.maxSteps ?? 20000;
  // Per-node state sets, made on first visit: many nodes of a large function are never reached
  // by the states of a given analysis.
  const seen: (Map<string, S> | undefined)[] = new Array(cfg.nodes.length);
  const work: [number, S][] = [];
  let complete = true;
  let steps = 0;

  const enter = a.enter;
  const push = (id: number, s: S): void => {
    if (enter) s = enter(id, s);
    let m = seen[id];
    if (!m) { m = new Map(); seen[id] = m; }
    const k = a.key(s);
    if (m.has(k)) return;
    if (m.size >= maxStates) { complete = false; return; }
    m.set(k, s);
    work.push([id, s]);
  };

  push(cfg.entry, a.init());
  while (work.length > 0) {
    if (++steps > maxSteps) { complete = false; break; }
    solveStats.steps++;
    const [id, s] = work.pop()!;
    const node = cfg.nodes[id];
    a.visit?.(node, s);
    switch (node.kind) {
      case 'entry': case 'nop':
        for (const e of node.succ) push(e.to, s);
        break;
      case 'eval': {
        const out = a.step ? a.step(node, s) : s;
        for (const e of node.succ) push(e.to, out);
        break;
      }
      case 'test': {
        const out = a.evalCond ? a.evalCond(node, s) : s;
        for (const e of node.succ) {
          const r = a.refine ? a.refine(node.expr!, e.truth !== false, out, node) : out;
          if (r !== null) push(e.to, r);
        }
        break;
      }
      case 'switch': {
        const out = a.evalCond ? a.evalCond(node, s) : s;
        for (const e of node.succ) {
          const r = a.cases ? a.cases(node.expr!, e.cases ?? [], e.isDefault === true, out) : out;
          if (r !== null) push(e.to, r);
        }
        break;
      }
      case 'return': {
        let out = node.expr && a.step ? a.step(node, s) : s;
        if (a.ret) out = a.ret(node, out);
        for (const e of node.succ) push(e.to, out);
        break;
      }
      case 'exit':
        a.exit?.(s, node);
        break;
    }
  }
  return { complete };
}
