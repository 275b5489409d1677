/**
 * Evaluates a user's C expression in a stopped frame (watch, hover, REPL, breakpoint condition,
 * logpoint). Expressions read the frame's locals and the module's globals; they may not call
 * functions (that would run driver or kernel code behind the user's back), and only the REPL may
 * assign.
 */
import type { Expr } from '../c/ast';
import { parseExpression } from '../c/expression';
import type { CType } from '../c/types';
import { isCo } from '../kernel/coroutine';
import { ExprCompiler } from './compileExpr';
import type { CompileScope } from './compileScope';
import { FunctionScope } from './functionScope';
import { CRuntimeError } from './errors';
import type { CFrame } from './frame';
import type { Interpreter } from './interpreter';
import type { Module } from './module';

/** `writes`: the expression assigns or increments something (only possible with allowAssignment). */
export type EvaluateResult = { ok: true; value: unknown; type: CType; writes: boolean } | { ok: false; message: string };

export interface EvaluateOptions {
  /** Allow `=`, `+=`, `++`… (the Debug Console); watches, hovers and conditions are read-only. */
  allowAssignment?: boolean;
}

export function evaluateExpression(interp: Interpreter, module: Module, frame: CFrame | undefined, text: string, options: EvaluateOptions = {}): EvaluateResult {
  // Names resolve as in the frame's own file: its typedefs, macros and statics.
  const unit = frame?.fn.unit ?? module.entryUnit;
  const parsed = parseExpression(text, module.units[unit]);
  if (!parsed.ok) return parsed;
  const problem = forbidden(parsed.expr, options);
  if (problem) return { ok: false, message: problem };
  const writes = options.allowAssignment === true && forbidden(parsed.expr, {}) !== undefined;
  const fscope = new FunctionScope(() => {
    throw new CRuntimeError('compile-error', 'an expression cannot declare a static variable');
  }, frame?.fn.name ?? '<evaluate>');
  if (frame) {
    // Declaring in order reproduces the frame's slot numbers; a later local of the same name wins.
    for (const l of frame.fn.locals) fscope.declare(l.name, l.type, l.loc, l.param, l.inMemory);
  }
  const base = module.scopeFor(fscope, frame?.fn.name ?? '<evaluate>', unit);
  const scope: CompileScope = {
    ...base,
    uninitialized: () => undefined,
    externalCall: (name) => {
      throw new CRuntimeError('bad-call', `'${name}' cannot be called from an expression here`);
    },
  };
  const f = frame ?? ({ vars: [], stack: [], env: module.env } as unknown as CFrame);
  // Compiling makes string literals: they too belong to the debugger, not to the run.
  return interp.quietly((): EvaluateResult => {
    const ce = new ExprCompiler(scope).compile(parsed.expr);
    try {
      if (ce.s) return { ok: true, value: ce.s(f), type: ce.t, writes };
      const co = ce.g!(f);
      const r = co.next();
      if (!r.done) return { ok: false, message: 'this expression would run driver code; watch expressions cannot' };
      return { ok: true, value: isCo(r.value) ? undefined : r.value, type: ce.t, writes };
    } catch (e) {
      if (e instanceof CRuntimeError) return { ok: false, message: e.message };
      throw e;
    }
  });
}

function forbidden(e: Expr, options: EvaluateOptions): string | undefined {
  let found: string | undefined;
  const visit = (x: Expr | undefined): void => {
    if (!x || found) return;
    switch (x.k) {
      case 'call':
        if (x.callee.k === 'id' && (x.callee.name === 'CONTAINING_RECORD' || x.callee.name === 'FIELD_OFFSET')) {
          x.args.forEach(visit);
          return;
        }
        found = 'expressions here cannot call functions';
        return;
      case 'assign':
        if (!options.allowAssignment) {
          found = 'watch and hover expressions cannot assign; use the Debug Console or Set Value';
          return;
        }
        visit(x.left);
        visit(x.right);
        return;
      case 'unary':
        if (!options.allowAssignment && (x.op === '++x' || x.op === '--x' || x.op === 'x++' || x.op === 'x--')) {
          found = 'watch and hover expressions cannot change variables';
          return;
        }
        visit(x.arg);
        return;
      case 'binary':
      case 'comma':
        visit(x.left);
        visit(x.right);
        return;
      case 'member':
        visit(x.object);
        return;
      case 'index':
        visit(x.array);
        visit(x.index);
        return;
      case 'cast':
      case 'sizeofExpr':
        visit(x.arg);
        return;
      case 'cond':
        visit(x.test);
        visit(x.then);
        visit(x.else);
        return;
      default:
        return;
    }
  };
  visit(e);
  return found;
}
