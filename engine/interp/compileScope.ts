/** What the expression compiler needs from the module and the interpreter, and what its parts see of it. */
import type { Expr, Loc } from '../c/ast';
import type { CType, FunctionType } from '../c/types';
import type { CE } from './compiled';
import type { CRuntimeError } from './errors';
import type { CFrame, LocalVar } from './frame';

/** A global or static variable: its type and where a run keeps its storage (`RunEnv.globals`). */
export interface GlobalSlot {
  name: string;
  type: CType;
  index: number;
}

/** What the compiler needs from the module and the interpreter. */
export interface CompileScope {
  local(name: string): LocalVar | undefined;
  global(name: string): GlobalSlot | undefined;
  /** A C function of the module: its link id (a run's value of it is `RunEnv.functions[id]`). */
  functionId(name: string): number | undefined;
  /** Type of a declared function (prototype or definition). */
  functionType(name: string): FunctionType | undefined;
  /** A string literal's index (a run's storage of it is `RunEnv.strings[index]`). */
  stringLiteral(value: string, wide: boolean): number;
  /** Compiles a call to something that is not a C function of this module (a kernel routine). */
  externalCall(name: string, args: CE[], argExprs: Expr[], loc: Loc, type: FunctionType | undefined): CE;
  /** Reading a local that was never assigned: reported once per variable. */
  uninitialized(f: CFrame, local: LocalVar, loc: Loc): void;
  /** The name of the function being compiled (for __FUNCTION__). */
  functionName: string;
  /** Told about each expression that failed to compile (it fails when it runs). */
  compileError?(err: CRuntimeError): void;
}

/**
 * The expression compiler as its parts (places, operators, calls, initializers, constants) see it:
 * they compile subexpressions through it, so each part needs only this, not the others.
 */
export interface ExprCompiling {
  readonly scope: CompileScope;
  /** An rvalue: arrays decay to pointers, functions to function pointers. */
  compile(e: Expr): CE;
  /** The static type of an expression, without compiling code for it. */
  typeOnly(e: Expr): CType;
  convertTo(a: CE, to: CType): CE;
  /** A compound literal's storage: a pointer to it (an array's first element). */
  compoundLiteral(e: Expr & { k: 'compound' }): CE;
}
