// The control-flow graph's reading of constant conditions, exception edges and jumping macros.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, LintDocument } from '../../../../engine/lint';
import type { Cfg } from '../../../../engine/lint/analysis/cfg';

before(() => initLinter());

function cfgOf(body: string): Cfg {
  const doc = new LintDocument({}, false);
  try {
    const ctx = doc.analyze(`#include <fltKernel.h>\nVOID F(PVOID p, BOOLEAN b)\n${body}\n`);
    return ctx.cfgOf('F')!;
  } finally {
    doc.dispose();
  }
}

/** Node ids reachable from the entry. */
function reachable(cfg: Cfg): Set<number> {
  const seen = new Set<number>([cfg.entry]);
  const stack = [cfg.entry];
  while (stack.length > 0) for (const e of cfg.nodes[stack.pop()!].succ) if (!seen.has(e.to)) { seen.add(e.to); stack.push(e.to); }
  return seen;
}

const callNode = (cfg: Cfg, name: string) => cfg.nodes.find((n) => n.expr?.k === 'call' && n.expr.callee === name)!;

test('do { } while (FALSE) has no back edge; while (0) and for (;0;) bodies are never entered', () => {
  const cfg = cfgOf('{ do { A(); } while (FALSE); while (0) { B(); } for (; 0;) { C(); } for (;;) { D(); break; } E(); }');
  const live = reachable(cfg);
  const a = callNode(cfg, 'A');
  assert.ok(live.has(a.id));
  assert.ok(!live.has(callNode(cfg, 'B').id));
  assert.ok(!live.has(callNode(cfg, 'C').id));
  // Nothing leads back to A: it runs once.
  assert.ok(!cfg.nodes.some((n) => reachable({ ...cfg, entry: a.id }).has(n.id) && n.succ.some((e) => e.to === a.id)));
  assert.ok(live.has(callNode(cfg, 'E').id), 'for (;;) leaves through its break');
});

test('an __except handler is entered from the start of the __try body and after each call that may raise', () => {
  const cfg = cfgOf('{ __try { Work(p); FlagOn(b, 1); KeQuerySystemTime(p); RtlCopyMemory(p, p, 4); } __except (EXCEPTION_EXECUTE_HANDLER) { Handler(); } }');
  const handler = cfg.nodes.find((n) => n.kind === 'nop' && n.succ.some((e) => cfg.nodes[e.to].expr?.k === 'call' && (cfg.nodes[e.to].expr as { callee?: string }).callee === 'Handler'))!;
  const into = cfg.nodes.filter((n) => n.succ.some((e) => e.to === handler.id));
  const callees = into.map((n) => (n.expr?.k === 'call' ? n.expr.callee : n.kind));
  assert.deepEqual(callees.sort(), ['RtlCopyMemory', 'Work', 'nop'], 'the try start, the driver call and the memory copy; not the macro or the status routine');
});

test('try_return jumps to try_exit after evaluating its argument', () => {
  const cfg = cfgOf('{ if (b) { try_return(A()); } B(); try_exit: C(); }');
  const jump = cfg.nodes.find((n) => n.expr?.k === 'call' && n.expr.callee === 'try_return')!;
  const label = cfg.nodes[jump.succ[0].to];
  assert.equal(label.kind, 'nop');
  assert.equal(cfg.nodes[label.succ[0].to].expr?.k === 'call' && (cfg.nodes[label.succ[0].to].expr as { callee?: string }).callee, 'C');
});
