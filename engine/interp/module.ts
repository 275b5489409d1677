/**
 * A loaded driver: its translation units, linked (engine/interp/link.ts), compiled against the
 * interpreter. It owns the driver's globals (each an allocation of zeroed static storage), string
 * literals (read-only allocations) and compiled functions, and hands out FunctionValues for them.
 * Names resolve per unit: a file sees its own statics first, then the driver's external
 * definitions, then the prelude's helpers.
 */
import type { Expr, Loc } from '../c/ast';
import type { TranslationUnit } from '../c/program';
import { VOID, pointee, type CType, type FunctionType, type StructType } from '../c/types';
import { isCo, Trap, type Co } from '../kernel/coroutine';
import type { FunctionValue } from '../kernel/cvalues';
import { allocateString } from '../memory/strings';
import { CRuntimeError, memoryFault } from './errors';
import { ExprCompiler } from './compileExpr';
import { run, type CE } from './compiled';
import type { CompileScope, GlobalSlot } from './compileScope';
import { returnConverter } from './conversions';
import { StmtCompiler } from './compileStmt';
import { FunctionScope } from './functionScope';
import { addressTaken } from './addressTaken';
import type { StmtHooks } from './stmtFlow';
import { CFrame, type CompiledFunction, type LocalVar } from './frame';
import type { BuiltinInterp, BuiltinTable } from './builtin';
import type { AddressSpace } from '../memory/space';
import { link, LinkedProgram, type LinkedFunction } from './link';
import { allocateObject, store } from './memory';
import type { AllocPtr } from '../memory/pointer';
import { readValue } from './values';

/**
 * What a module needs of the interpreter that loads it (the Interpreter is the one there is): memory
 * for its globals, routines to bind its external calls to, and the calls into and out of its code.
 */
export interface ModuleRuntime extends BuiltinInterp {
  readonly addresses: AddressSpace;
  readonly builtins: BuiltinTable;
  readonly hooks: StmtHooks;
  /** Runs a C function of the module for the engine (a callback, a DriverEntry). */
  invokeFromEngine(fn: CompiledFunction, args: unknown[]): Co<unknown>;
  /** Calls through a function pointer: a C function of any module, or a routine. */
  callValue(fn: unknown, args: unknown[], loc: Loc): Co<unknown>;
  /** Reading a local that was never assigned: reported once per variable. */
  uninitializedRead(module: string, fn: string, local: LocalVar, loc: Loc): void;
}

export class Module {
  /** Every global, by its link key (the name, or `name (file.c)` for a shared static name). */
  readonly globalSlots = new Map<string, GlobalSlot>();
  /** Static locals, by `Function::name#n`. */
  readonly staticSlots = new Map<string, GlobalSlot>();
  /** Compiled functions by link id. */
  private readonly functions = new Map<number, CompiledFunction>();
  /** Function values by link id. */
  private readonly values = new Map<number, FunctionValue>();
  /** The values of the externally visible functions, by name (what the engine calls). */
  readonly functionValues = new Map<string, FunctionValue>();
  private readonly strings = new Map<string, AllocPtr>();
  /** Compile problems found while loading (unknown names in code that may never run are not here). */
  readonly problems: CRuntimeError[] = [];
  readonly program: LinkedProgram;

  constructor(
    readonly name: string,
    program: LinkedProgram | TranslationUnit,
    private readonly interp: ModuleRuntime,
  ) {
    this.program = program instanceof LinkedProgram ? program : link([program]);
    for (const g of this.program.globals) {
      const ptr = allocateObject(interp.addresses, 'global', g.decl.type, `global '${g.key}'`, true, g.decl.name);
      this.globalSlots.set(g.key, { name: g.decl.name, type: g.decl.type, ptr });
    }
    for (const f of this.program.functions) {
      const compiled = (): CompiledFunction => this.compiledFunction(f);
      const fv: FunctionValue = {
        kind: 'function',
        name: f.name,
        module: name,
        call: (...args: unknown[]) => this.interp.invokeFromEngine(compiled(), args),
        get compiled() {
          return compiled();
        },
      };
      this.values.set(f.id, fv);
      if (f.linkage !== 'internal') this.functionValues.set(f.name, fv);
    }
  }

  /** A global's value as TypeScript sees it (tests, tools): numbers, pointers, views and arrays. */
  global(key: string): unknown {
    const g = this.globalSlots.get(key);
    if (!g) throw new Error(`${this.name} has no global '${key}'`);
    return readValue(g.ptr, g.type);
  }

  private staticStorage = (name: string, type: CType): GlobalSlot => {
    const key = `${name}#${this.staticSlots.size}`;
    const local = name.slice(name.indexOf('::') + 2);
    const slot: GlobalSlot = { name: local, type, ptr: allocateObject(this.interp.addresses, 'global', type, `static '${name}'`, true, local) };
    this.staticSlots.set(key, slot);
    return slot;
  };

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

  /** Every function the driver's own files define (statics of each file included), in link order. */
  ownFunctions(): LinkedFunction[] {
    return this.program.functions.filter((f) => f.linkage !== 'system');
  }

  /**
   * Compiles the driver's own functions (so their compile problems show at load) and runs global
   * initialisers. The prelude's helpers compile on first call: most runs use a few of them, and
   * schedule exploration builds a fresh module for every schedule it runs.
   */
  *initialize(): Co<void> {
    for (const f of this.program.functions) if (f.linkage !== 'system') this.compiledFunction(f);
    const scopes = new Map<number, ExprCompiler>();
    for (const g of this.program.globals) {
      if (!g.decl.init) continue;
      let exprs = scopes.get(g.unit);
      if (!exprs) scopes.set(g.unit, (exprs = new ExprCompiler(this.scopeFor(new FunctionScope(this.staticStorage, '<globals>'), '<globals>', g.unit))));
      const slot = this.globalSlots.get(g.key)!;
      const file = this.program.units[g.unit].file;
      const dummy = new CFrame({
        name: '<globals>', module: this.name, unit: g.unit, type: { kind: 'func', ret: VOID, params: [], variadic: false }, loc: { file, line: 1, col: 1 },
        endLoc: { file, line: 1, col: 1 }, locals: [], paramCount: 0, body: function* () { return 0; }, statementLines: new Set(), file, system: true,
      });
      try {
        if (g.decl.type.kind === 'struct' || g.decl.type.kind === 'array') {
          yield* exprs.initPlan(g.decl.type, g.decl.init)(slot.ptr, dummy);
        } else {
          const e = g.decl.init.k === 'expr' ? g.decl.init.expr : firstExpr(g.decl.init);
          if (e) store(slot.ptr, g.decl.type, yield* run(exprs.convertTo(exprs.compile(e), g.decl.type), dummy), `'${g.decl.name}'`, g.decl.loc);
        }
      } catch (err) {
        if (err instanceof CRuntimeError) {
          err.loc ??= g.decl.loc;
          throw err;
        }
        throw err;
      }
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

  compiledFunction(f: LinkedFunction): CompiledFunction {
    const existing = this.functions.get(f.id);
    if (existing) return existing;
    const def = f.def;
    const fscope = new FunctionScope(this.staticStorage, def.name, addressTaken(def.body));
    for (const p of def.params) fscope.declare(p.name, p.type, p.loc, true);
    const scope = this.scopeFor(fscope, def.name, f.unit);
    const exprs = new ExprCompiler(scope);
    const system = f.linkage === 'system';
    const stmts = new StmtCompiler(exprs, fscope, def.type, this.interp.hooks, def.loc.file, this.interp.addresses, def.name);
    const fn: CompiledFunction = {
      name: def.name,
      module: this.name,
      unit: f.unit,
      type: def.type,
      loc: def.loc,
      endLoc: def.endLoc,
      locals: fscope.locals,
      paramCount: def.params.length,
      body: function* () {
        return 0;
      },
      statementLines: stmts.lines,
      file: def.loc.file,
      system,
    };
    // Register before compiling the body so recursive calls resolve.
    this.functions.set(f.id, fn);
    fn.body = stmts.compile(def.body);
    return fn;
  }

  /** The compile-time view of names for one function of unit `unit`. */
  scopeFor(fscope: FunctionScope, functionName: string, unit = 0): CompileScope {
    const interp = this.interp;
    const program = this.program;
    // Kernel calls convert their arguments with a compiler over this same scope.
    let converter: ExprCompiler | undefined;
    const scope: CompileScope = {
      functionName,
      addresses: interp.addresses,
      local: (name) => fscope.lookup(name)?.local,
      global: (name) => fscope.lookup(name)?.static ?? this.globalSlot(unit, name),
      functionValue: (name) => {
        const f = program.function(unit, name);
        return f ? this.values.get(f.id) : undefined;
      },
      functionType: (name) => program.functionType(unit, name),
      stringLiteral: (value, wide) => this.stringLiteral(value, wide),
      externalCall: (name, args, argExprs, loc, type) => this.externalCall((converter ??= new ExprCompiler(scope)), name, args, argExprs, loc, type),
      callValue: (fn, args, loc) => interp.callValue(fn, args, loc),
      uninitialized: (local: LocalVar, loc: Loc) => interp.uninitializedRead(this.name, functionName, local, loc),
      compileError: interp.hooks.onCompileError,
    };
    return scope;
  }

  /** The storage `name` names in `unit`; an extern that no file defines is an error where it is used. */
  private globalSlot(unit: number, name: string): GlobalSlot | undefined {
    const g = this.program.global(unit, name);
    if (g) return this.globalSlots.get(g.key);
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

  /** One read-only allocation per distinct literal of this module. */
  stringLiteral(value: string, wide: boolean): AllocPtr {
    const key = `${wide ? 'L' : 'A'}${value}`;
    let ptr = this.strings.get(key);
    if (!ptr) {
      ptr = allocateString(this.interp.addresses, value, wide ? 2 : 1);
      this.strings.set(key, ptr);
    }
    return ptr;
  }

  /** A call to a routine that is not a C function of this module. */
  private externalCall(exprs: ExprCompiler, name: string, args: CE[], argExprs: Expr[], loc: Loc, type: FunctionType | undefined): CE {
    const interp = this.interp;
    const builtin = interp.builtins.get(name);
    const ret: CType = type?.ret ?? { kind: 'int', size: 4, signed: true, name: 'int' };
    if (!builtin) {
      const declared = type !== undefined;
      const err = new CRuntimeError(
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
        for (let i = 0; i < converted.length; i++) values[i] = yield* run(converted[i], f);
        let r: unknown;
        try {
          r = builtin({ name, interp, args: values, argTypes, argExprs, loc, frame: f, type });
          if (isCo(r)) r = yield* r;
        } catch (e) {
          // A routine that reads or writes driver memory faults like the C would, at the call.
          throw memoryFault(e, `${name}:`, loc);
        }
        // Every kernel call is a point where another thread may run.
        yield Trap.Yield;
        return retConv(r);
      },
    };
  }

  /** Names of pointer-typed parameters, for the debugger's display. */
  static pointeeOf(t: CType): CType | undefined {
    return pointee(t);
  }
}

function firstExpr(init: { k: 'list'; items: { value: unknown }[] }): Expr | undefined {
  let cur: unknown = init;
  while (cur && (cur as { k: string }).k === 'list') cur = (cur as { items: { value: unknown }[] }).items[0]?.value;
  return cur && (cur as { k: string }).k === 'expr' ? (cur as { expr: Expr }).expr : undefined;
}
