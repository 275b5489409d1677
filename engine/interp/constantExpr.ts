/** C's integer constant expressions, evaluated at compile time (case labels, array designators). */
import type { Expr } from '../c/ast';
import type { ExprCompiling } from './compileScope';
import { CRuntimeError } from './errors';
import type { CFrame } from './frame';

/** Evaluates a constant expression at compile time (case labels, array designators). */
export function constantOf(exprs: ExprCompiling, e: Expr, what: string): number {
  // Compiled first, so a name that is not declared at all is reported as such.
  const v = exprs.compile(e);
  if (!isConstantExpr(e)) throw new CRuntimeError('compile-error', `${what} must be a constant`, e.loc);
  const probe = { vars: [] } as unknown as CFrame;
  try {
    if (v.s) {
      const n = Number(v.s(probe));
      if (Number.isFinite(n)) return n;
    }
  } catch {
    // fall through to the error below
  }
  throw new CRuntimeError('compile-error', `${what} must be a constant`, e.loc);
}

/**
 * Whether `e` is one of C's integer constant expressions: literals (enum constants are numbers by
 * now), sizeof, offsetof, and operators over them. A variable is never one, even where reading it
 * at compile time would give a number.
 */
function isConstantExpr(e: Expr): boolean {
  switch (e.k) {
    case 'num':
    case 'float':
    case 'sizeofType':
    case 'sizeofExpr':
      return true;
    case 'unary':
      return (e.op === '-' || e.op === '+' || e.op === '~' || e.op === '!') && isConstantExpr(e.arg);
    case 'binary':
      return isConstantExpr(e.left) && isConstantExpr(e.right);
    case 'cond':
      return isConstantExpr(e.test) && isConstantExpr(e.then) && isConstantExpr(e.else);
    case 'cast':
      return isConstantExpr(e.arg);
    case 'call':
      return e.callee.k === 'id' && (e.callee.name === 'FIELD_OFFSET' || e.callee.name === 'offsetof');
    default:
      return false;
  }
}
