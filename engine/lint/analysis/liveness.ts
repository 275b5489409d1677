/**
 * Which tracked variables may still be read at each CFG node. A constant that will never be read
 * again is dropped from the path state, so paths that differ only in dead values merge — without
 * it, a long function with many `status = …` assignments multiplies its path states for nothing.
 */
import type { Expr } from '../frontend/ir';
import { idName, strip, visitExpr } from '../frontend/exprs';
import type { Cfg } from './cfg';

/** For each node, a mask over the tracker's variable slots: 1 where the variable may still be read. */
export function liveVariables(cfg: Cfg, vars: ReadonlySet<string>, index: ReadonlyMap<string, number>): Uint8Array[] {
  const n = cfg.nodes.length;
  if (vars.size === 0) {
    const none = new Uint8Array(0);
    return new Array(n).fill(none);
  }
  const use: Set<string>[] = [];
  const def: (string | undefined)[] = [];
  for (const node of cfg.nodes) {
    const u = new Set<string>();
    let d: string | undefined;
    const e = node.expr;
    if (e) {
      const s = strip(e);
      let scan: Expr = e;
      if (s.k === 'assign' && s.op === '=') {
        const target = idName(s.left);
        if (target && vars.has(target)) { d = target; scan = s.right; }
      }
      visitExpr(scan, (x) => { if (x.k === 'id' && vars.has(x.name)) u.add(x.name); });
    } else if (node.decl && vars.has(node.decl.name)) {
      d = node.decl.name;
    }
    use.push(u);
    def.push(d);
  }
  const live: Set<string>[] = cfg.nodes.map(() => new Set<string>());
  const preds: number[][] = cfg.nodes.map(() => []);
  for (const node of cfg.nodes) for (const e of node.succ) preds[e.to].push(node.id);
  const work: number[] = cfg.nodes.map((x) => x.id);
  const queued = new Uint8Array(n).fill(1);
  while (work.length > 0) {
    const id = work.pop()!;
    queued[id] = 0;
    const out = new Set<string>();
    for (const e of cfg.nodes[id].succ) for (const v of live[e.to]) out.add(v);
    const d = def[id];
    if (d) out.delete(d);
    for (const v of use[id]) out.add(v);
    if (out.size === live[id].size) continue;
    live[id] = out;
    for (const p of preds[id]) if (!queued[p]) { queued[p] = 1; work.push(p); }
  }
  return live.map((set) => {
    const mask = new Uint8Array(vars.size);
    for (const v of set) mask[index.get(v)!] = 1;
    return mask;
  });
}
