/**
 * Runtime shapes shared by the compiler and the interpreter: a compiled function, its locals, and
 * the frame one call of it runs in (which is also what a thread's call stack holds for the debugger).
 */
import type { Loc } from '../c/ast';
import type { CType, FunctionType } from '../c/types';
import type { Co } from '../kernel/coroutine';
import type { SehException } from '../kernel/exceptions';
import type { Allocation } from '../memory/allocation';
import type { FunctionValue } from '../kernel/cvalues';
import type { AllocPtr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';

export interface LocalVar {
  name: string;
  type: CType;
  slot: number;
  loc: Loc;
  /** Parameters come first; the debugger lists them as such. */
  param: boolean;
  /**
   * Lives in an allocation (arrays, structs, and anything whose address is taken); the frame's slot
   * then holds the pointer to it. Other locals are plain values in their slot.
   */
  inMemory: boolean;
}

/** How a statement ended, so loops and blocks know what to do next. */
export const enum Completion {
  Normal = 0,
  Break = 1,
  Continue = 2,
  Return = 3,
  Goto = 4,
}

export type StmtCode = (f: CFrame) => Co<Completion>;

/** One `__try` with an `__except`, while its guarded body runs (interp/seh.ts). */
export interface SehScope {
  readonly frame: CFrame;
  /** The filter expression, evaluated in `frame`. */
  readonly filter: (f: CFrame) => Co<unknown>;
  readonly loc: Loc;
}

/** What `__try` needs from the interpreter to dispatch exceptions. */
export interface SehHost {
  /** The frames of the running thread, innermost last. */
  frames(): readonly unknown[];
}

export interface CompiledFunction {
  name: string;
  /** Module (driver) name: the project's name, or the file with DriverEntry. */
  module: string;
  /** Index of the translation unit that defines it (its statics are the ones in scope). */
  unit: number;
  type: FunctionType;
  loc: Loc;
  endLoc: Loc;
  locals: LocalVar[];
  /** Number of parameters (the first locals). */
  paramCount: number;
  body: StmtCode;
  /** `module!name`, the key of `expect calls`. */
  key: string;
  /** Lines holding a statement, for breakpoint verification. */
  statementLines: Set<number>;
  file: string;
  /** Prelude helpers (list routines) run like kernel code: no stepping into them. */
  system: boolean;
}

/**
 * What a module's compiled code reaches of the run it executes in. Compiled code is shared by every
 * run of a prepared scenario (engine/interp/compiledModule.ts), so it captures nothing of one run:
 * memory, the storage of globals and literals, function values and the interpreter are read here,
 * through the frame.
 */
export interface RunEnv {
  readonly space: AddressSpace;
  /** Storage of the module's globals and static locals, by their index in the module's layout. */
  readonly globals: AllocPtr[];
  /** Storage of the module's string literals, by index. */
  readonly strings: AllocPtr[];
  /** A function of the module as a value of this run (one per function and run), by link id. */
  functionValue(id: number): FunctionValue;
  /** Static locals whose initialiser has run, by their index in `globals`. */
  readonly staticDone: boolean[];
  readonly rt: EnvRuntime;
}

/** The interpreter of the run, as compiled code calls it. */
export interface EnvRuntime {
  readonly hooks: { onStatement(f: CFrame): void; readonly seh: SehHost };
  callValue(fn: unknown, args: unknown[], loc: Loc): Co<unknown>;
  uninitializedRead(module: string, fn: string, local: LocalVar, loc: Loc): void;
}

export class CFrame {
  readonly kind = 'c' as const;
  readonly vars: unknown[];
  /** The allocations of this call's locals and compound literals, freed when it returns. */
  readonly stack: Allocation[] = [];
  ret: unknown = undefined;
  gotoLabel: string | undefined;
  /** The `__try/__except` statements whose guarded body runs now, innermost last (interp/seh.ts). */
  seh: SehScope[] | undefined = undefined;
  /** The exception its filter or handler is looking at (GetExceptionCode). */
  exception: SehException | undefined = undefined;
  /** A `__finally` of this frame runs because its body ended abnormally (AbnormalTermination). */
  abnormalTermination = false;
  /** The engine called this function (a callback): exception handlers are not searched past it. */
  engineEntry = false;
  file: string;
  line: number;
  column: number;

  constructor(
    readonly fn: CompiledFunction,
    readonly env: RunEnv,
  ) {
    this.vars = new Array(fn.locals.length);
    this.file = fn.loc.file;
    this.line = fn.loc.line;
    this.column = fn.loc.col;
  }

  get name(): string {
    return this.fn.name;
  }

  get module(): string {
    return this.fn.module;
  }
}
