/**
 * A loaded driver in one run: its code (compiled once per program and shared by every run, see
 * compiledModule.ts) and this run's side of it — the storage of its globals, static locals and string
 * literals, and its functions as values the engine can call. Names resolve per unit: a file sees its
 * own statics first, then the driver's external definitions, then the prelude's helpers.
 */
import type { TranslationUnit } from '../c/program';
import type { StructType } from '../c/types';
import type { Co } from '../kernel/coroutine';
import type { FunctionValue } from '../kernel/cvalues';
import type { CompileScope } from './compileScope';
import type { FunctionScope } from './functionScope';
import type { CompiledFunction, RunEnv } from './frame';
import type { LinkedFunction, LinkedProgram } from './link';
import { readValue } from './values';
import { CompiledModule, type ModuleRuntime } from './compiledModule';

export type { ModuleRuntime } from './compiledModule';

/** What a module needs of the interpreter that loads it, beyond what its compiled code calls. */
export interface ModuleHost extends ModuleRuntime {
  /** Runs a C function of the module for the engine (a callback, a DriverEntry). */
  invokeFromEngine(fn: CompiledFunction, args: unknown[]): Co<unknown>;
}

/**
 * A C function of a run's module as the engine holds it. A class, not an object literal with a
 * getter: V8 makes a literal's getter in the old generation, and one per run keeps the dead run
 * alive (docs/architecture.md, "Hooks are objects").
 */
class ModuleFunction implements FunctionValue {
  readonly kind = 'function';
  readonly name: string;
  readonly module: string;

  constructor(
    private readonly owner: Module,
    private readonly f: LinkedFunction,
  ) {
    this.name = f.name;
    this.module = owner.name;
  }

  readonly call = (...args: unknown[]): unknown => this.owner.invoke(this.f, args);

  get compiled(): CompiledFunction {
    return this.owner.compiledFunction(this.f);
  }
}

export class Module {
  /** This run's storage and function values, as the compiled code reads them. */
  readonly env: RunEnv;
  /** Functions whose storage this run has made (their code may be older than the run). */
  private readonly ready: boolean[] = [];
  /** Function values made so far, by link id: made when first asked for, most never are. */
  private readonly values: FunctionValue[] = [];

  constructor(
    readonly name: string,
    readonly shared: CompiledModule,
    private readonly interp: ModuleHost,
  ) {
    this.env = { space: interp.addresses, globals: [], strings: [], staticDone: [], rt: interp, functionValue: (id) => this.values[id] ?? this.makeValue(id) };
    for (const g of shared.program.globals) shared.ensureSlot(this.env, shared.globalIndex.get(g.key)!);
  }

  private makeValue(id: number): FunctionValue {
    const fv = new ModuleFunction(this, this.shared.program.functions[id]);
    this.values[id] = fv;
    return fv;
  }

  /** Runs `f` for the engine (a callback, a DriverEntry). */
  invoke(f: LinkedFunction, args: unknown[]): Co<unknown> {
    return this.interp.invokeFromEngine(this.compiledFunction(f), args);
  }

  /** The value of the externally visible function `name` (what the engine calls: DriverEntry, callbacks by name). */
  functionValue(name: string): FunctionValue | undefined {
    const f = this.shared.program.exported(name);
    return f ? this.env.functionValue(f.id) : undefined;
  }

  get program(): LinkedProgram {
    return this.shared.program;
  }

  /** A global's value as TypeScript sees it (tests, tools): numbers, pointers, views and arrays. */
  global(key: string): unknown {
    const index = this.shared.globalIndex.get(key);
    if (index === undefined) throw new Error(`${this.name} has no global '${key}'`);
    return readValue(this.env.globals[index], this.shared.slots[index].type);
  }

  get units(): readonly TranslationUnit[] {
    return this.program.units;
  }

  /** The unit that defines DriverEntry (the first when none does): where expressions without a frame resolve. */
  get entryUnit(): number {
    return this.program.exported('DriverEntry')?.unit ?? 0;
  }

  /** A struct type by tag, from the first unit that defines it (for display). */
  struct(tag: string): StructType | undefined {
    for (const u of this.program.units) {
      const t = u.structs.get(tag);
      if (t) return t;
    }
    return undefined;
  }

  /** Enumerator names of an enum, from whichever unit declares it. */
  enumNames(name: string): Map<number, string> | undefined {
    for (const u of this.program.units) {
      const names = u.enumNames.get(name);
      if (names) return names;
    }
    return undefined;
  }

  /** `module!Function` of each of ownFunctions(), in order (made once per compiled driver). */
  get ownCallKeys(): readonly string[] {
    return this.shared.ownCallKeys;
  }

  /** Every function the driver's own files define (statics of each file included), in link order. */
  ownFunctions(): LinkedFunction[] {
    return this.program.functions.filter((f) => f.linkage !== 'system');
  }

  /**
   * Compiles the driver's own functions (so their compile problems show at load) and runs global
   * initialisers. The prelude's helpers compile on first call: most runs use a few of them.
   */
  *initialize(): Co<void> {
    const program = this.shared.program;
    for (const f of program.functions) if (f.linkage !== 'system') this.compiledFunction(f);
    for (const g of program.globals) {
      if (!g.decl.init) continue;
      const frame = CompiledModule.globalsFrame(this.name, program.units[g.unit].file, g.unit, this.env);
      yield* this.shared.initialize(g.key, this.env, this.interp.builtins, frame);
    }
  }

  /** The externally visible function `name`, else the first file's static of that name. */
  compiled(name: string): CompiledFunction | undefined {
    const f = this.program.exported(name) ?? this.program.named(name)[0];
    return f ? this.compiledFunction(f) : undefined;
  }

  /** Every compiled function named `name` (a static in each of several files gives several). */
  compiledNamed(name: string): CompiledFunction[] {
    return this.program.named(name).map((f) => this.compiledFunction(f));
  }

  /** Function `f`'s code, with the storage it uses made in this run (the first time this run reaches it). */
  compiledFunction(f: LinkedFunction): CompiledFunction {
    if (this.ready[f.id]) return this.shared.compiledAt(f.id)!;
    const fn = this.shared.function(f, this.env, this.interp.builtins);
    this.ready[f.id] = true;
    return fn;
  }

  /**
   * The compile-time view of names for code the debugger compiles in this run (watches, the
   * Debug Console): literals it writes are made in this run's memory.
   */
  scopeFor(fscope: FunctionScope, functionName: string, unit = 0): CompileScope {
    return this.shared.scopeFor(fscope, functionName, unit, { refs: [], env: this.env, builtins: this.interp.builtins });
  }
}
