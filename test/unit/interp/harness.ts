// A small host for running interpreted C without the engine: one thread, traps ignored.
import { compileTranslationUnit, type TranslationUnit } from '../../../engine/c/program';
import type { CRuntimeError } from '../../../engine/interp/errors';
import { IGNORED_HEADERS, preludeHeaders } from '../../../engine/c/prelude';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { isCo, type Co } from '../../../engine/kernel/coroutine';
import { Interpreter, type InterpFrame } from '../../../engine/interp/interpreter';
import { simulationBuiltins } from '../../../engine/run/bindings';
import { Simulation } from '../../../engine';
import type { Module } from '../../../engine/interp/module';

export interface Harness {
  interp: Interpreter;
  module: Module;
  output: string[];
  violations: { rule: string; message: string; line?: number }[];
  frames: InterpFrame[];
  diagnostics: string[];
  call(name: string, ...args: unknown[]): unknown;
}

export function drive<T>(co: Co<T>): T {
  for (;;) {
    const r = co.next();
    if (r.done) return r.value;
  }
}

export async function loadC(source: string, extraFiles: Record<string, string> = {}, stepBudget?: number): Promise<Harness> {
  return loadUnit(await compileC(source, extraFiles), { stepBudget });
}

/** A driver's source as one translation unit (`/drv/test.c`), ready to load into any number of interpreters. */
export async function compileC(source: string, extraFiles: Record<string, string> = {}): Promise<TranslationUnit> {
  await loadCLanguage();
  const files: Record<string, string> = { '/drv/test.c': source, ...extraFiles };
  return compileTranslationUnit('/drv/test.c', {
    readFile: (p) => files[p],
    systemHeaders: preludeHeaders(),
    ignoredHeaders: IGNORED_HEADERS,
  });
}

/**
 * Loads `unit` into a fresh interpreter over a fresh Simulation. Interpreters loading the same unit
 * share its compiled code, unless `onCompileError` is given (then it compiles its own).
 */
export function loadUnit(unit: TranslationUnit, options: { stepBudget?: number; onCompileError?: (err: CRuntimeError) => void } = {}): Harness {
  const { stepBudget, onCompileError } = options;
  const output: string[] = [];
  const violations: Harness['violations'] = [];
  const frames: InterpFrame[] = [];
  // The kernel routines come from a real Simulation; calls made from a test run outside its scheduler.
  const sim = new Simulation({ seed: 1 });
  sim.onEvent((e) => {
    if (e.kind === 'output') output.push(`${e.detail}\n`);
    if (e.kind === 'violation') {
      const rule = e.detail.slice(0, e.detail.indexOf(':'));
      violations.push({ rule, message: e.detail.slice(rule.length + 2), line: frames.length ? frames[frames.length - 1].line : undefined });
    }
  });
  const builtins = simulationBuiltins(sim);
  const interp = new Interpreter({
    currentThread: () => ({ frames }),
    violation: (rule, message, loc) => violations.push({ rule, message, line: loc?.line }),
  }, { builtins, marshal: sim.kernel.marshal, stepBudget, onCompileError });
  const module = drive(interp.load(unit, 'test'));
  return {
    interp,
    module,
    output,
    violations,
    frames,
    diagnostics: unit.diagnostics.map((d) => `${d.loc.line}: ${d.message}`),
    call(name, ...args) {
      const fv = interp.functionValue('test', name);
      if (!fv) throw new Error(`no function ${name}`);
      const r = fv.call(...args);
      return isCo(r) ? drive(r) : r;
    },
  };
}
