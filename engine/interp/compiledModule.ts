/**
 * A driver's code compiled once and shared by every run of it: schedule exploration and step-back
 * build a fresh run per schedule or step, and recompiling the driver each time was a fifth of a
 * schedule's cost. Compiled code captures nothing of a run; it reads the run's memory, storage and
 * interpreter through its frame (`RunEnv`, frame.ts).
 *
 * What a run must still do itself is lay out its storage in the order a fresh compile would: globals
 * when the module loads, then each string literal and static local the moment the function using it
 * is first compiled (the driver's own functions at load, prelude helpers at their first call). Each
 * function's compile records the storage it referred to, in order (its `refs`); a later run replays
 * those refs when it first reaches the function, so allocation ids and addresses come out the same
 * as if that run had compiled the code itself.
 */
import type { Expr, Initializer, Loc } from '../c/ast';
import type { TranslationUnit } from '../c/program';
import { VOID, type CType, type FunctionType } from '../c/types';
import { isCo, Trap, type Co } from '../kernel/coroutine';
import { allocateString } from '../memory/strings';
import type { AllocPtr } from '../memory/pointer';
import { CRuntimeError, routineFault } from './errors';
import { unmodelledFamily } from '../api/unmodelled';
import { ExprCompiler } from './compileExpr';
import type { CE } from './compiled';
import type { CompileScope, GlobalSlot } from './compileScope';
import { returnConverter } from './conversions';
import { StmtCompiler } from './compileStmt';
import { FunctionScope } from './functionScope';
import { addressTaken } from './addressTaken';
import type { StmtHooks } from './stmtFlow';
import { CFrame, type CompiledFunction, type LocalVar, type RunEnv } from './frame';
import type { BuiltinInterp, BuiltinTable } from './builtin';
import { link, LinkedProgram, type LinkedFunction } from './link';
import { allocateObject, store } from './memory';

/** A run's view while it compiles: where the storage it refers to is recorded and made. */
interface Sink {
  readonly refs: number[];
  readonly env: RunEnv;
  readonly builtins: BuiltinTable;
}

/** A storage slot of the layout: a global (link order) or a static local (compile order). */
interface SlotLayout {
  readonly name: string;
  readonly type: CType;
  /** The allocation's description (`global 'x'`, `static 'F::x'`). */
  readonly label: string;
}

/** A global's initialiser, compiled, with the storage it refers to; or why it does not compile. */
type CompiledInit = { refs: number[]; fill: (target: AllocPtr, f: CFrame) => Co<void> } | { error: CRuntimeError };

/** The interpreter as a module's compiled code calls it at run time (the Interpreter is the one there is). */
export interface ModuleRuntime extends BuiltinInterp {
  readonly builtins: BuiltinTable;
  readonly hooks: StmtHooks;
  callValue(fn: unknown, args: unknown[], loc: Loc): Co<unknown>;
  uninitializedRead(module: string, fn: string, local: LocalVar, loc: Loc): void;
}

export class CompiledModule {
  readonly program: LinkedProgram;
  readonly slots: SlotLayout[] = [];
  /** Index in `slots` of each global, by link key. */
  readonly globalIndex = new Map<string, number>();
  /** Index in `slots` of each static local, by `Function::name#n`. */
  readonly staticIndex = new Map<string, number>();
  private readonly strings: { value: string; wide: boolean }[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly functions: CompiledFunction[] = [];
  private readonly functionRefs: number[][] = [];
  private readonly inits = new Map<string, CompiledInit>();
  /** Routine names compiled as calls to the builtin table, and whether the table had them. */
  private readonly routines = new Map<string, boolean>();

  constructor(
    readonly name: string,
    program: LinkedProgram | TranslationUnit,
    /** Told about each statement that fails to compile (only when compiling is not shared). */
    private readonly onCompileError?: (err: CRuntimeError) => void,
  ) {
    this.program = program instanceof LinkedProgram ? program : link([program]);
    for (const g of this.program.globals) {
      this.globalIndex.set(g.key, this.slots.length);
      this.slots.push({ name: g.decl.name, type: g.decl.type, label: `global '${g.key}'` });
    }
  }

  /**
   * `module!Function` of each of the driver's own functions (prelude helpers left out), in link
   * order: the keys a run's call counts are reported by, made once rather than in every run.
   */
  get ownCallKeys(): readonly string[] {
    return (this.callKeys ??= this.program.functions.filter((f) => f.linkage !== 'system').map((f) => `${this.name}!${f.name}`));
  }

  private callKeys: readonly string[] | undefined;

  /** Whether code compiled so far decided its routine calls as `builtins` would. */
  fits(builtins: BuiltinTable): boolean {
    for (const [name, had] of this.routines) if (builtins.has(name) !== had) return false;
    return true;
  }

  /** Gives a run's storage slot `index` its allocation, unless it has one. */
  ensureSlot(env: RunEnv, index: number): void {
    if (env.globals[index] !== undefined) return;
    const s = this.slots[index];
    env.globals[index] = allocateObject(env.space, 'global', s.type, s.label, true, s.name);
  }

  private ensureString(env: RunEnv, index: number): void {
    if (env.strings[index] !== undefined) return;
    const s = this.strings[index];
    env.strings[index] = allocateString(env.space, s.value, s.wide ? 2 : 1);
  }

  /** Makes the storage `refs` names that the run has not made yet, in order. */
  private replay(refs: readonly number[], env: RunEnv): void {
    for (const r of refs) {
      if (r >= 0) this.ensureSlot(env, r);
      else this.ensureString(env, -r - 1);
    }
  }

  /** Function `id`'s code, if a run compiled it. */
  compiledAt(id: number): CompiledFunction | undefined {
    return this.functions[id];
  }

  /** Function `f` compiled, its storage made in `env`: compiled now if no run compiled it yet. */
  function(f: LinkedFunction, env: RunEnv, builtins: BuiltinTable): CompiledFunction {
    const done = this.functions[f.id];
    if (done) {
      this.replay(this.functionRefs[f.id], env);
      return done;
    }
    const sink: Sink = { refs: [], env, builtins };
    const def = f.def;
    const fscope = new FunctionScope((name, type) => this.staticSlot(name, type, sink), def.name, addressTaken(def.body));
    for (const p of def.params) fscope.declare(p.name, p.type, p.loc, true);
    const scope = this.scopeFor(fscope, def.name, f.unit, sink);
    const stmts = new StmtCompiler(new ExprCompiler(scope), fscope, def.type, { onCompileError: this.onCompileError }, def.loc.file, def.name);
    const body = stmts.compile(def.body);
    const fn: CompiledFunction = {
      name: def.name,
      module: this.name,
      key: `${this.name}!${def.name}`,
      unit: f.unit,
      type: def.type,
      loc: def.loc,
      endLoc: def.endLoc,
      locals: fscope.locals,
      paramCount: def.params.length,
      body,
      statementLines: stmts.lines,
      file: def.loc.file,
      system: f.linkage === 'system',
    };
    this.functions[f.id] = fn;
    this.functionRefs[f.id] = sink.refs;
    return fn;
  }

  /**
   * Global `key`'s initialiser compiled, its storage made in `env`; runs it on `frame`. A
   * CRuntimeError (the initialiser does not compile or fails) is the driver's error at its line.
   */
  *initialize(key: string, env: RunEnv, builtins: BuiltinTable, frame: CFrame): Co<void> {
    const g = this.program.globals.find((x) => x.key === key)!;
    let init = this.inits.get(key);
    if (!init) {
      const sink: Sink = { refs: [], env, builtins };
      init = this.compileInit(g.decl.type, g.decl.init!, g.decl.name, g.decl.loc, g.unit, sink);
      this.inits.set(key, init);
    } else if ('refs' in init) {
      this.replay(init.refs, env);
    }
    if ('error' in init) throw init.error;
    try {
      yield* init.fill(env.globals[this.globalIndex.get(key)!], frame);
    } catch (err) {
      if (err instanceof CRuntimeError) err.loc ??= g.decl.loc;
      throw err;
    }
  }

  private compileInit(type: CType, init: Initializer, name: string, loc: Loc, unit: number, sink: Sink): CompiledInit {
    const exprs = new ExprCompiler(this.scopeFor(new FunctionScope((n, t) => this.staticSlot(n, t, sink), '<globals>'), '<globals>', unit, sink));
    try {
      if (type.kind === 'struct' || type.kind === 'array') return { refs: sink.refs, fill: exprs.initPlan(type, init) };
      const e = init.k === 'expr' ? init.expr : firstExpr(init);
      if (!e) return { refs: sink.refs, fill: function* () {} };
      const value = exprs.convertTo(exprs.compile(e), type);
      const what = `'${name}'`;
      return {
        refs: sink.refs,
        fill: function* (target, f) {
          store(target, type, (value.s ? value.s(f) : yield* value.g!(f)), what, loc);
        },
      };
    } catch (err) {
      if (err instanceof CRuntimeError) {
        err.loc ??= loc;
        return { error: err };
      }
      throw err;
    }
  }

  /** A frame for code that runs outside any function (global initialisers) of unit `unit`. */
  static globalsFrame(module: string, file: string, unit: number, env: RunEnv): CFrame {
    return new CFrame(
      {
        name: '<globals>', module, key: `${module}!<globals>`, unit, type: { kind: 'func', ret: VOID, params: [], variadic: false }, loc: { file, line: 1, col: 1 },
        endLoc: { file, line: 1, col: 1 }, locals: [], paramCount: 0, body: function* () { return 0; }, statementLines: new Set(), file, system: true,
      },
      env,
    );
  }

  private staticSlot(name: string, type: CType, sink: Sink): GlobalSlot {
    const index = this.slots.length;
    const local = name.slice(name.indexOf('::') + 2);
    this.staticIndex.set(`${name}#${this.staticIndex.size}`, index);
    this.slots.push({ name: local, type, label: `static '${name}'` });
    sink.refs.push(index);
    this.ensureSlot(sink.env, index);
    return { name: local, type, index };
  }

  private stringLiteral(value: string, wide: boolean, sink: Sink): number {
    const key = `${wide ? 'L' : 'A'}${value}`;
    let index = this.stringIndex.get(key);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push({ value, wide });
      this.stringIndex.set(key, index);
    }
    sink.refs.push(-index - 1);
    this.ensureString(sink.env, index);
    return index;
  }

  /** The compile-time view of names for one function of unit `unit`; storage it names goes to `sink`. */
  scopeFor(fscope: FunctionScope, functionName: string, unit: number, sink: Sink): CompileScope {
    const program = this.program;
    const moduleName = this.name;
    // Kernel calls convert their arguments with a compiler over this same scope.
    let converter: ExprCompiler | undefined;
    const scope: CompileScope = {
      functionName,
      local: (name) => fscope.lookup(name)?.local,
      global: (name) => fscope.lookup(name)?.static ?? this.globalSlot(unit, name),
      functionId: (name) => program.function(unit, name)?.id,
      functionType: (name) => program.functionType(unit, name),
      stringLiteral: (value, wide) => this.stringLiteral(value, wide, sink),
      externalCall: (name, args, argExprs, loc, type) => this.externalCall((converter ??= new ExprCompiler(scope)), sink.builtins, name, args, argExprs, loc, type),
      uninitialized: (f, local, loc) => f.env.rt.uninitializedRead(moduleName, functionName, local, loc),
      compileError: this.onCompileError,
    };
    return scope;
  }

  /** The storage `name` names in `unit`; an extern that no file defines is an error where it is used. */
  private globalSlot(unit: number, name: string): GlobalSlot | undefined {
    const g = this.program.global(unit, name);
    if (g) {
      const index = this.globalIndex.get(g.key)!;
      return { name: g.decl.name, type: g.decl.type, index };
    }
    const decl = this.program.unresolvedExtern(unit, name);
    if (decl) {
      throw new CRuntimeError(
        'not-modelled',
        `'${name}' is declared extern (${decl.loc.file}:${decl.loc.line}) but no file of driver '${this.name}' defines it, and fltsim does not model it`,
        undefined,
        'define it in one .c file of the driver, or add the file that defines it to the project',
      );
    }
    return undefined;
  }

  /** A call to a routine that is not a C function of this module; the run's builtin table answers it. */
  private externalCall(exprs: ExprCompiler, builtins: BuiltinTable, name: string, args: CE[], argExprs: Expr[], loc: Loc, type: FunctionType | undefined): CE {
    const known = builtins.has(name);
    this.routines.set(name, known);
    const ret: CType = type?.ret ?? { kind: 'int', size: 4, signed: true, name: 'int' };
    if (!known) {
      const declared = type !== undefined;
      const family = unmodelledFamily(name);
      const err = family !== undefined ? new CRuntimeError('not-modelled', `'${name}' is not modelled: ${family}`, loc) : new CRuntimeError(
        'not-modelled',
        declared ? `'${name}' is declared but no file of driver '${this.name}' defines it, and fltsim does not model it` : `'${name}' is not declared and fltsim does not model it`,
        loc,
        declared
          ? 'define it in a file of the driver (add the file to the project if it is missing), or avoid the call (docs/interpreter.md lists the modelled routines)'
          : 'check the spelling, include the header that declares it, or define it yourself',
      );
      return { t: ret, s: () => { throw err; } };
    }
    const argTypes = args.map((a) => a.t);
    const converted = type ? exprs.convertArgs(args, type, loc) : args;
    const retConv = returnConverter(ret);
    return {
      t: ret,
      g: function* (f) {
        const values: unknown[] = new Array(converted.length);
        for (let i = 0; i < converted.length; i++) {
          const a = converted[i]!;
          values[i] = a.s ? a.s(f) : yield* a.g!(f);
        }
        const interp = f.env.rt as ModuleRuntime;
        let r: unknown;
        try {
          r = interp.builtins.get(name)!({ name, interp, args: values, argTypes, argExprs, loc, frame: f, type });
          if (isCo(r)) r = yield* r;
        } catch (e) {
          // A routine that reads or writes driver memory faults like the C would, at the call.
          throw routineFault(e, `${name}:`, loc);
        }
        // Every kernel call is a point where another thread may run.
        yield Trap.Yield;
        return retConv(r);
      },
    };
  }
}

function firstExpr(init: { k: 'list'; items: { value: unknown }[] }): Expr | undefined {
  let cur: unknown = init;
  while (cur && (cur as { k: string }).k === 'list') cur = (cur as { items: { value: unknown }[] }).items[0]?.value;
  return cur && (cur as { k: string }).k === 'expr' ? (cur as { expr: Expr }).expr : undefined;
}

/** Compiled modules by the program they compile (a prepared scenario's drivers), shared by its runs. */
const SHARED = new WeakMap<object, CompiledModule[]>();

/**
 * The compiled code of `program` as module `name` for a run whose routines are `builtins`: the one
 * an earlier run made when it fits, else a new one. A caller that listens for compile errors gets
 * its own, so that it hears every one.
 */
export function compiledModuleFor(program: LinkedProgram | TranslationUnit, name: string, builtins: BuiltinTable, onCompileError?: (err: CRuntimeError) => void): CompiledModule {
  if (onCompileError) return new CompiledModule(name, program, onCompileError);
  let list = SHARED.get(program);
  if (!list) SHARED.set(program, (list = []));
  const hit = list.find((m) => m.name === name && m.fits(builtins));
  if (hit) return hit;
  const made = new CompiledModule(name, program);
  list.push(made);
  // A program is run under one set of routines in practice; a few sets at most are kept.
  if (list.length > 4) list.shift();
  return made;
}
