/**
 * The C interpreter: loads driver modules and runs their functions on the current simulated thread.
 * It knows nothing of the Filter Manager; kernel routines reach the engine through the builtin table
 * the caller supplies (engine/interp/bindings).
 */
import type { Loc } from '../c/ast';
import type { TranslationUnit } from '../c/program';
import { Trap, isCo, type Co } from '../kernel/coroutine';
import { isFunctionValue, type FunctionValue } from '../kernel/cvalues';
import type { Marshal } from '../kernel/marshal';
import type { Allocation, ByteRun } from '../memory/allocation';
import { neverWritten } from '../memory/neverWritten';
import { memberAt } from '../memory/typed';
import type { AddressSpace, UninitializedReporter } from '../memory/space';
import { sizeOf } from '../c/types';
import { preludeStruct } from '../c/prelude/structs';
import type { BuiltinTable } from './builtin';
import type { StmtHooks } from './stmtFlow';
import { dispatch, isException } from './seh';

/** No error left the function's body. */
const NO_FAILURE: unique symbol = Symbol('no failure');
import { SehException } from '../kernel/exceptions';
import { keepVarArgs } from './varArgs';
import { CRuntimeError } from './errors';
import { Completion, CFrame, type CompiledFunction, type LocalVar } from './frame';
import { allocateObject, copyBytes, store } from './memory';
import type { LinkedProgram } from './link';
import { Module } from './module';
import { compiledModuleFor } from './compiledModule';
import { DEFAULT_LIMITS, formatLimit, limitHint } from '../limits';

/** What a debugger's reads of never-written bytes report: nothing. */
const QUIET: UninitializedReporter = { uninitializedMemory: () => undefined };

export interface InterpFrame {
  name: string;
  module?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface InterpHost {
  /** The simulated thread whose code runs now; C frames are pushed on its stack. */
  currentThread(): { frames: InterpFrame[] };
  /** A runtime check failed in a way the verifier reports (uninitialized read, failed assert…). */
  violation(rule: string, message: string, loc?: Loc): void;
}

export interface InterpreterOptions {
  builtins: BuiltinTable;
  /** The run's memory and the conversions at its boundary with the engine (the kernel's). */
  marshal: Marshal;
  /** Statements one run may execute before it is stopped as a runaway loop. */
  stepBudget?: number;
  /** Nested C calls on one thread before a stack overflow is reported. */
  maxDepth?: number;
  /** Told about every statement that failed to compile (it still loads, and fails if it runs). */
  onCompileError?: (err: CRuntimeError) => void;
}

export class Interpreter {
  readonly modules = new Map<string, Module>();
  readonly addresses: AddressSpace;
  readonly marshal: Marshal;
  /** Calls per `module!Function`, for `expect calls`. */
  readonly calls = new Map<string, number>();
  readonly builtins: BuiltinTable;
  steps = 0;
  readonly stepBudget: number;
  private readonly maxDepth: number;
  private readonly reportedUninitialized = new Set<string>();
  /**
   * The call stack at the moment driver code failed (the frames are popped as the error unwinds),
   * so a debugger can still show where it happened.
   */
  faultStack: { frames: InterpFrame[]; error: CRuntimeError } | undefined;
  readonly hooks: StmtHooks;

  constructor(readonly host: InterpHost, options: InterpreterOptions) {
    this.builtins = options.builtins;
    this.marshal = options.marshal;
    this.marshal.layouts ??= preludeStruct;
    this.addresses = options.marshal.space;
    this.addresses.uninitializedReporter = this;
    this.stepBudget = options.stepBudget ?? DEFAULT_LIMITS.steps;
    this.maxDepth = options.maxDepth ?? DEFAULT_LIMITS.depth;
    this.hooks = {
      seh: { frames: () => this.host.currentThread().frames },
      onCompileError: options.onCompileError,
      onStatement: (f) => {
        if (++this.steps > this.stepBudget) {
          throw new CRuntimeError(
            'step-budget',
            `the run executed more than ${formatLimit(this.stepBudget)} statements (last in ${f.name}); is a loop not ending?`,
            { file: f.file, line: f.line, col: f.column },
            `fix the loop, or ${limitHint('steps')}`,
          );
        }
      },
    };
  }

  /**
   * Loads a driver (its linked units, or one unit) as a module; its global initialisers run on the
   * current thread.
   */
  *load(program: LinkedProgram | TranslationUnit, name: string): Co<Module> {
    if (this.modules.has(name)) throw new CRuntimeError('compile-error', `two drivers are both named '${name}'; driver names must differ`);
    const mod = new Module(name, compiledModuleFor(program, name, this.builtins, this.hooks.onCompileError), this);
    this.modules.set(name, mod);
    yield* mod.initialize();
    return mod;
  }

  /**
   * Runs a compiled C function with already-converted arguments; `fromEngine` when the engine calls
   * it (a callback), where the search for an exception handler ends.
   */
  *invoke(fn: CompiledFunction, args: unknown[], fromEngine = false): Co<unknown> {
    const thread = this.host.currentThread();
    if (thread.frames.length >= this.maxDepth) {
      throw new CRuntimeError('stack-overflow', `more than ${formatLimit(this.maxDepth)} nested calls when calling ${fn.name} (unbounded recursion?); on Windows the kernel stack would overflow`, fn.loc, `end the recursion, or ${limitHint('depth')}`);
    }
    const frame = new CFrame(fn, this.modules.get(fn.module)!.env);
    if (fromEngine) frame.engineEntry = true;
    if (!fn.system) this.calls.set(fn.key, (this.calls.get(fn.key) ?? 0) + 1);
    const depth = thread.frames.length;
    thread.frames.push(frame);
    try {
      let failure: unknown = NO_FAILURE;
      try {
        this.enter(frame, args);
        const c = yield* fn.body(frame);
        if (c === Completion.Goto) throw new CRuntimeError('unsupported', `goto ${frame.gotoLabel}: the label is not in a block enclosing the goto (jumping into a nested block is not supported)`, { file: frame.file, line: frame.line, col: frame.column });
        if (c === Completion.Break || c === Completion.Continue) throw new CRuntimeError('compile-error', `'${c === Completion.Break ? 'break' : 'continue'}' outside a loop or switch`, { file: frame.file, line: frame.line, col: frame.column });
      } catch (thrown) {
        failure = thrown;
      }
      if (failure === NO_FAILURE) return frame.ret;
      // The search runs outside the catch block (a generator that yields inside one runs slower),
      // while every frame is alive: an exception a handler outside takes goes on unwinding, one
      // nobody takes stops the run.
      if (isException(failure)) {
        try {
          failure = yield* dispatch(this.hooks.seh, failure);
        } catch (unhandled) {
          failure = unhandled;
        }
        if (failure instanceof SehException) throw failure;
      }
      let e = failure;
      // JavaScript's own stack can run out before the `depth` limit when each C call is costly to
      // follow: that is still the driver nesting too deeply, reported at its line like the limit.
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        e = new CRuntimeError(
          'stack-overflow',
          `fltsim ran out of stack in ${fn.name}, ${thread.frames.length} frames deep: the driver's calls nest deeper than the interpreter can follow`,
          { file: frame.file, line: frame.line, col: frame.column },
          'make the recursion shallower (the `depth` limit cannot raise this bound)',
        );
      }
      if (e instanceof CRuntimeError && !this.faultStack) {
        this.faultStack = { frames: thread.frames.map((f) => (f instanceof CFrame ? Object.assign(Object.create(CFrame.prototype), f) : f)), error: e };
      }
      throw e;
    } finally {
      thread.frames.length = depth;
      // The frame's locals die with it: a pointer kept to one is a use after return.
      for (const a of frame.stack) this.addresses.free(a);
    }
  }

  /** Gives the frame's in-memory locals their storage and the parameters their values. */
  private enter(frame: CFrame, args: unknown[]): void {
    const fn = frame.fn;
    if (fn.type.variadic) keepVarArgs(frame, args, fn.paramCount);
    for (const l of fn.locals) {
      if (!l.inMemory) {
        if (l.param) frame.vars[l.slot] = args[l.slot];
        continue;
      }
      const p = allocateObject(this.addresses, 'stack', l.type, `${l.param ? 'parameter' : 'local'} '${l.name}' of ${fn.name}`, false, l.name);
      frame.stack.push(p.alloc);
      frame.vars[l.slot] = p;
      if (!l.param) continue;
      const what = `parameter '${l.name}'`;
      if (l.type.kind === 'struct' || l.type.kind === 'array') copyBytes(p, args[l.slot], sizeOf(l.type), what, fn.loc);
      else store(p, l.type, args[l.slot], what, fn.loc);
    }
  }

  /**
   * A C function called by the engine (a callback): engine values become C values by the function's
   * parameter types, and its result becomes an engine value by its return type.
   */
  *invokeFromEngine(fn: CompiledFunction, args: unknown[]): Co<unknown> {
    const params = fn.type.params;
    const { values, copyBack } = this.marshal.argumentsToC(args, params);
    const r = yield* this.invoke(fn, values, true);
    copyBack?.();
    return this.marshal.fromC(r, fn.type.ret);
  }

  /** Calls a function pointer value: a C function of any module, or a routine exposed as a value. */
  *callValue(fn: unknown, args: unknown[], loc: Loc): Co<unknown> {
    if (!isFunctionValue(fn)) throw new CRuntimeError('bad-pointer', 'call through a pointer that does not point at a function', loc);
    // C calling C: the values are already C values.
    if (fn.compiled) return yield* this.invoke(fn.compiled as CompiledFunction, args);
    const r = fn.call(...args);
    if (isCo(r)) return yield* r;
    yield Trap.Yield;
    return r;
  }

  uninitializedRead(module: string, fn: string, local: LocalVar, loc: Loc): void {
    const key = `${module}!${fn}:${local.name}`;
    if (this.reportedUninitialized.has(key)) return;
    this.reportedUninitialized.add(key);
    this.host.violation('uninitialized-read', `${fn} reads '${local.name}' before assigning it (its value is whatever was on the stack; fltsim uses 0)`, loc);
  }

  /**
   * Runs `fn` for a debugger: a debugger looking is not the driver running. Reads of uninitialised
   * bytes are not reported, and what it allocates or casts to integers leaves the run's addresses and
   * exposed allocations as they were (AddressSpace.observe).
   */
  quietly<T>(fn: () => T): T {
    const report = this.addresses.uninitializedReporter;
    this.addresses.uninitializedReporter = QUIET;
    try {
      return this.addresses.observe(fn);
    } finally {
      this.addresses.uninitializedReporter = report;
    }
  }

  /** Bytes read before anything was written to them: reported once per place in the code. */
  uninitializedMemory(a: Allocation, offset: number, size: number, gaps: readonly ByteRun[]): void {
    const frames = this.host.currentThread().frames;
    const top = frames[frames.length - 1];
    const where = top ? `${top.name}:${top.line ?? 0}:${top.column ?? 0}` : '';
    const key = `${where}:${a.id}`;
    if (this.reportedUninitialized.has(key) || this.reportedUninitialized.has(where)) return;
    this.reportedUninitialized.add(key);
    this.reportedUninitialized.add(where);
    const loc = top?.file ? { file: top.file, line: top.line ?? 0, col: top.column ?? 0 } : undefined;
    const who = top ? `${top.name} reads` : 'reads';
    const member = a.type ? memberAt(a.type, offset) : '';
    const what = member ? ` (${a.name ?? ''}${member})` : '';
    const named = (at: number) => {
      const m = a.type ? memberAt(a.type, at) : '';
      return m ? `${a.name ?? ''}${m}` : '';
    };
    this.host.violation('uninitialized-read', `${who} ${size} byte${size === 1 ? '' : 's'} at offset ${offset}${what} of ${a.describe()}${neverWritten(size, gaps, named)} (fltsim uses the bytes as they are: zeros)`, loc);
  }

  /** A C function of a loaded module as a value, for the engine to call as a callback. */
  functionValue(module: string, name: string): FunctionValue | undefined {
    return this.modules.get(module)?.functionValue(name);
  }
}
