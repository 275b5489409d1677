/**
 * The shape of a routine the interpreter answers itself (kernel and runtime calls): it receives the
 * already-converted argument values plus their static types and source expressions (memcpy needs the
 * element type behind a `void *`; an assertion wants the text it checked).
 */
import type { Expr, Loc } from '../c/ast';
import type { CType, FunctionType } from '../c/types';
import type { MaybeCo } from '../kernel/coroutine';
import type { AddressSpace } from '../memory/space';
import type { CFrame, SehHost } from './frame';
import type { LinkedProgram } from './link';

/**
 * What a routine sees of the interpreter that calls it: the run's memory, and each loaded driver's
 * program (a routine returned as a function pointer takes its prototype from the caller's headers).
 */
export interface BuiltinInterp {
  readonly addresses: AddressSpace;
  /** The running thread's frames, where a routine looks for an enclosing `__try` (seh.ts). */
  readonly hooks: { readonly seh: SehHost };
  readonly modules: ReadonlyMap<string, { readonly program: LinkedProgram }>;
}

export interface BuiltinCall {
  name: string;
  interp: BuiltinInterp;
  args: unknown[];
  /** Static types of the arguments as written, before conversion to the parameter types. */
  argTypes: CType[];
  argExprs: Expr[];
  loc: Loc;
  frame: CFrame;
  /** The routine's prototype, when one is declared: its parameter types drive the binding. */
  type?: FunctionType;
}

export type Builtin = (call: BuiltinCall) => MaybeCo<unknown>;

export type BuiltinTable = Map<string, Builtin>;
