/**
 * A loaded driver: one translation unit compiled against the interpreter. It owns the driver's
 * globals, string literals and compiled functions, and hands out FunctionValues for them.
 */
import type { Expr, FunctionDef, Loc } from '../c/ast';
import type { TranslationUnit } from '../c/program';
import { VOID, pointee, type CType, type FunctionType } from '../c/types';
import { isCo, Trap, type Co } from '../kernel/coroutine';
import { narrowChars, Ref, wideChars, type FunctionValue } from '../kernel/cvalues';
import { CRuntimeError } from './errors';
import { ExprCompiler, run, type CE, type CompileScope, type GlobalSlot } from './compileExpr';
import { returnConverter } from './conversions';
import { FunctionScope, StmtCompiler } from './compileStmt';
import { CFrame, type CompiledFunction, type LocalVar } from './frame';
import type { Interpreter } from './interpreter';
import { zeroArray, zeroValue } from './memory';

export class Module {
  readonly globals: Record<string, unknown> = Object.create(null);
  readonly statics: Record<string, unknown> = Object.create(null);
  readonly globalSlots = new Map<string, GlobalSlot>();
  readonly functions = new Map<string, CompiledFunction>();
  readonly functionValues = new Map<string, FunctionValue>();
  private readonly strings = new Map<string, Ref>();
  /** Compile problems found while loading (unknown names in code that may never run are not here). */
  readonly problems: CRuntimeError[] = [];

  constructor(
    readonly name: string,
    readonly unit: TranslationUnit,
    private readonly interp: Interpreter,
  ) {
    for (const g of unit.globals) {
      this.globalSlots.set(g.name, { type: g.type, store: this.globals, key: g.name });
      this.globals[g.name] = zeroValue(g.type);
    }
    for (const def of unit.functions.values()) {
      const fv: FunctionValue = {
        kind: 'function',
        name: def.name,
        module: name,
        call: (...args: unknown[]) => this.interp.invoke(this.compiled(def.name)!, args),
      };
      this.functionValues.set(def.name, fv);
    }
  }

  /** Compiles every function and runs global initialisers. */
  *initialize(): Co<void> {
    for (const def of this.unit.functions.values()) this.compileFunction(def);
    const scope = this.scopeFor(new FunctionScope(this.statics, '<globals>'), '<globals>');
    const exprs = new ExprCompiler(scope);
    const dummy = new CFrame({
      name: '<globals>', module: this.name, type: { kind: 'func', ret: VOID, params: [], variadic: false }, loc: { file: this.unit.file, line: 1, col: 1 },
      endLoc: { file: this.unit.file, line: 1, col: 1 }, locals: [], paramCount: 0, body: function* () { return 0; }, statementLines: new Set(), file: this.unit.file, system: true,
    });
    for (const g of this.unit.globals) {
      if (!g.init) continue;
      try {
        if (g.type.kind === 'struct' || g.type.kind === 'array') {
          yield* exprs.initPlan(g.type, g.init)(this.globals[g.name], dummy);
        } else {
          const e = g.init.k === 'expr' ? g.init.expr : firstExpr(g.init);
          if (e) this.globals[g.name] = yield* run(exprs.convertTo(exprs.compile(e), g.type), dummy);
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
    const fscope = new FunctionScope(this.statics, def.name);
    for (const p of def.params) fscope.declare(p.name, p.type, p.loc, true);
    const scope = this.scopeFor(fscope, def.name);
    const exprs = new ExprCompiler(scope);
    const system = def.loc.file.startsWith('<');
    const stmts = new StmtCompiler(exprs, fscope, def.type, this.interp.hooks, def.loc.file);
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

  stringLiteral(value: string, wide: boolean): Ref {
    const key = `${wide ? 'L' : 'A'}${value}`;
    let ref = this.strings.get(key);
    if (!ref) {
      const chars = wide ? wideChars(value) : narrowChars(value);
      const arr = zeroArray(wide ? { kind: 'int', size: 2, signed: false, name: 'wchar_t', alias: 'WCHAR' } : { kind: 'int', size: 1, signed: true, name: 'char' }, chars.length);
      for (let i = 0; i < chars.length; i++) arr[i] = chars[i];
      ref = new Ref(arr, 0);
      this.strings.set(key, ref);
    }
    return ref;
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
        let r = builtin({ name, interp, args: values, argTypes, argExprs, loc, frame: f });
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
