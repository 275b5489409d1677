/**
 * A loaded driver: one translation unit compiled against the interpreter. It owns the driver's
 * globals (each an allocation of zeroed static storage), string literals (read-only allocations) and
 * compiled functions, and hands out FunctionValues for them.
 */
import type { Expr, FunctionDef, Loc } from '../c/ast';
import type { TranslationUnit } from '../c/program';
import { VOID, pointee, type CType, type FunctionType } from '../c/types';
import { isCo, Trap, type Co } from '../kernel/coroutine';
import type { FunctionValue } from '../kernel/cvalues';
import { allocateString } from '../memory/strings';
import { CRuntimeError } from './errors';
import { ExprCompiler, run, type CE, type CompileScope, type GlobalSlot } from './compileExpr';
import { returnConverter } from './conversions';
import { addressTaken, FunctionScope, StmtCompiler } from './compileStmt';
import { CFrame, type CompiledFunction, type LocalVar } from './frame';
import type { Interpreter } from './interpreter';
import { allocateObject, store, type AllocPtr } from './memory';
import { readValue } from './values';

export class Module {
  readonly globalSlots = new Map<string, GlobalSlot>();
  /** Static locals, by `Function::name`. */
  readonly staticSlots = new Map<string, GlobalSlot>();
  readonly functions = new Map<string, CompiledFunction>();
  readonly functionValues = new Map<string, FunctionValue>();
  private readonly strings = new Map<string, AllocPtr>();
  /** Compile problems found while loading (unknown names in code that may never run are not here). */
  readonly problems: CRuntimeError[] = [];

  constructor(
    readonly name: string,
    readonly unit: TranslationUnit,
    private readonly interp: Interpreter,
  ) {
    for (const g of unit.globals) {
      if (g.type.kind === 'func') continue;
      this.globalSlots.set(g.name, { name: g.name, type: g.type, ptr: allocateObject(interp.addresses, 'global', g.type, `global '${g.name}'`, true, g.name) });
    }
    for (const def of unit.functions.values()) {
      const compiled = (): CompiledFunction => this.compiled(def.name)!;
      const fv: FunctionValue = {
        kind: 'function',
        name: def.name,
        module: name,
        call: (...args: unknown[]) => this.interp.invokeFromEngine(compiled(), args),
        get compiled() {
          return compiled();
        },
      };
      this.functionValues.set(def.name, fv);
    }
  }

  /** A global's value as TypeScript sees it (tests, tools): numbers, pointers, views and arrays. */
  global(name: string): unknown {
    const g = this.globalSlots.get(name);
    if (!g) throw new Error(`${this.name} has no global '${name}'`);
    return readValue(g.ptr, g.type);
  }

  private staticStorage = (name: string, type: CType): GlobalSlot => {
    const key = `${name}#${this.staticSlots.size}`;
    const slot: GlobalSlot = { name, type, ptr: allocateObject(this.interp.addresses, 'global', type, `static '${name}'`, true, name.slice(name.indexOf('::') + 2)) };
    this.staticSlots.set(key, slot);
    return slot;
  };

  /** Compiles every function and runs global initialisers. */
  *initialize(): Co<void> {
    for (const def of this.unit.functions.values()) this.compileFunction(def);
    const scope = this.scopeFor(new FunctionScope(this.staticStorage, '<globals>'), '<globals>');
    const exprs = new ExprCompiler(scope);
    const dummy = new CFrame({
      name: '<globals>', module: this.name, type: { kind: 'func', ret: VOID, params: [], variadic: false }, loc: { file: this.unit.file, line: 1, col: 1 },
      endLoc: { file: this.unit.file, line: 1, col: 1 }, locals: [], paramCount: 0, body: function* () { return 0; }, statementLines: new Set(), file: this.unit.file, system: true,
    });
    for (const g of this.unit.globals) {
      if (!g.init) continue;
      const slot = this.globalSlots.get(g.name);
      if (!slot) continue;
      try {
        if (g.type.kind === 'struct' || g.type.kind === 'array') {
          yield* exprs.initPlan(g.type, g.init)(slot.ptr, dummy);
        } else {
          const e = g.init.k === 'expr' ? g.init.expr : firstExpr(g.init);
          if (e) store(slot.ptr, g.type, yield* run(exprs.convertTo(exprs.compile(e), g.type), dummy), `'${g.name}'`, g.loc);
        }
      } catch (err) {
        if (err instanceof CRuntimeError) {
          err.loc ??= g.loc;
          throw err;
        }
        throw err;
      }
    }
  }

  compiled(name: string): CompiledFunction | undefined {
    const existing = this.functions.get(name);
    if (existing) return existing;
    const def = this.unit.functions.get(name);
    return def ? this.compileFunction(def) : undefined;
  }

  private compileFunction(def: FunctionDef): CompiledFunction {
    const existing = this.functions.get(def.name);
    if (existing) return existing;
    const fscope = new FunctionScope(this.staticStorage, def.name, addressTaken(def.body));
    for (const p of def.params) fscope.declare(p.name, p.type, p.loc, true);
    const scope = this.scopeFor(fscope, def.name);
    const exprs = new ExprCompiler(scope);
    const system = def.loc.file.startsWith('<');
    const stmts = new StmtCompiler(exprs, fscope, def.type, this.interp.hooks, def.loc.file, this.interp.addresses, def.name);
    const fn: CompiledFunction = {
      name: def.name,
      module: this.name,
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
    this.functions.set(def.name, fn);
    fn.body = stmts.compile(def.body);
    return fn;
  }

  /** The compile-time view of names for one function. */
  scopeFor(fscope: FunctionScope, functionName: string): CompileScope {
    const interp = this.interp;
    // Kernel calls convert their arguments with a compiler over this same scope.
    let converter: ExprCompiler | undefined;
    const scope: CompileScope = {
      functionName,
      addresses: interp.addresses,
      local: (name) => fscope.lookup(name)?.local,
      global: (name) => fscope.lookup(name)?.static ?? this.globalSlots.get(name),
      functionValue: (name) => this.functionValues.get(name),
      functionType: (name) => this.unit.functions.get(name)?.type ?? this.unit.prototypes.get(name)?.type,
      stringLiteral: (value, wide) => this.stringLiteral(value, wide),
      externalCall: (name, args, argExprs, loc, type) => this.externalCall((converter ??= new ExprCompiler(scope)), name, args, argExprs, loc, type),
      callValue: (fn, args, loc) => interp.callValue(fn, args, loc),
      uninitialized: (local: LocalVar, loc: Loc) => interp.uninitializedRead(this.name, functionName, local, loc),
      compileError: interp.hooks.onCompileError,
    };
    return scope;
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
        declared ? `'${name}' is declared but has no body here, and fltsim does not model it` : `'${name}' is not declared and fltsim does not model it`,
        loc,
        declared
          ? 'give it a body in your driver or scenario C, or avoid the call (docs/interpreter.md lists the modelled routines)'
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
        let r = builtin({ name, interp, args: values, argTypes, argExprs, loc, frame: f, type });
        if (isCo(r)) r = yield* r;
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
