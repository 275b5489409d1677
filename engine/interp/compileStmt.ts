/**
 * Compiles statements to generator closures that return a Completion. Every executable statement
 * first records its line on the frame and yields `Trap.Stmt`, which is where the debugger can stop.
 */
import type { Expr, Initializer, Loc, Stmt, VarDecl } from '../c/ast';
import { sizeOf, typeName, type CType, type FunctionType } from '../c/types';
import { Trap, type Co } from '../kernel/coroutine';
import { CRuntimeError, withLoc } from './errors';
import { Completion, type CFrame, type LocalVar, type StmtCode } from './frame';
import { allocateObject, copyBytes, store, zeroFill } from './memory';
import type { AllocPtr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { truthy } from './pointers';
import { run } from './compiled';
import type { GlobalSlot } from './compileScope';
import type { ExprCompiler } from './compileExpr';
import { constantOf } from './constantExpr';
import { LEAVE, tryStatement, type SehHost } from './seh';

/** Block-scoped names of one function being compiled. */
export class FunctionScope {
  readonly locals: LocalVar[] = [];
  private readonly blocks: Map<string, { local?: LocalVar; static?: GlobalSlot }>[] = [new Map()];

  constructor(
    /** Storage for a static local, made once when its declaration is compiled. */
    private readonly staticStorage: (name: string, type: CType) => GlobalSlot,
    private readonly fnName: string,
    /** Names the function applies `&` to somewhere: those locals live in memory. */
    private readonly addressed: ReadonlySet<string> = new Set(),
  ) {}

  push(): void {
    this.blocks.push(new Map());
  }

  pop(): void {
    this.blocks.pop();
  }

  declare(name: string, type: CType, loc: Loc, param = false, inMemory?: boolean): LocalVar {
    const local: LocalVar = { name, type, slot: this.locals.length, loc, param, inMemory: inMemory ?? (type.kind === 'struct' || type.kind === 'array' || this.addressed.has(name)) };
    this.locals.push(local);
    this.blocks[this.blocks.length - 1].set(name, { local });
    return local;
  }

  declareStatic(name: string, type: CType): GlobalSlot {
    const slot = this.staticStorage(`${this.fnName}::${name}`, type);
    this.blocks[this.blocks.length - 1].set(name, { static: slot });
    return slot;
  }

  lookup(name: string): { local?: LocalVar; static?: GlobalSlot } | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const hit = this.blocks[i].get(name);
      if (hit) return hit;
    }
    return undefined;
  }
}

const ADDRESS_TAKEN = new WeakMap<Stmt, ReadonlySet<string>>();

/**
 * The names a function body applies `&` to (directly, or through `&x.f` and `&x[i]`). Once per
 * body: every run (every explored schedule) compiles the driver's functions again.
 */
export function addressTaken(body: Stmt): ReadonlySet<string> {
  let known = ADDRESS_TAKEN.get(body);
  if (known === undefined) ADDRESS_TAKEN.set(body, (known = findAddressTaken(body)));
  return known;
}

function findAddressTaken(body: Stmt): Set<string> {
  const out = new Set<string>();
  const root = (e: Expr): string | undefined => {
    if (e.k === 'id') return e.name;
    if (e.k === 'member' && !e.arrow) return root(e.object);
    if (e.k === 'index') return root(e.array);
    return undefined;
  };
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'unary':
        if (e.op === '&') {
          const name = root(e.arg);
          if (name) out.add(name);
        }
        expr(e.arg);
        return;
      case 'binary':
      case 'assign':
      case 'comma':
        expr(e.left);
        expr(e.right);
        return;
      case 'call':
        expr(e.callee);
        e.args.forEach(expr);
        return;
      case 'member':
        expr(e.object);
        return;
      case 'index':
        expr(e.array);
        expr(e.index);
        return;
      case 'cast':
      case 'sizeofExpr':
        expr(e.arg);
        return;
      case 'cond':
        expr(e.test);
        expr(e.then);
        expr(e.else);
        return;
      case 'compound':
        init(e.init);
        return;
      default:
        return;
    }
  };
  const init = (i: Initializer | undefined): void => {
    if (!i) return;
    if (i.k === 'expr') expr(i.expr);
    else i.items.forEach((it) => init(it.value));
  };
  const stmt = (st: Stmt | undefined): void => {
    if (!st) return;
    switch (st.k) {
      case 'expr':
        expr(st.expr);
        return;
      case 'decl':
        st.decls.forEach((d) => init(d.init));
        return;
      case 'block':
        st.body.forEach(stmt);
        return;
      case 'if':
        expr(st.test);
        stmt(st.then);
        stmt(st.else);
        return;
      case 'while':
      case 'do':
        expr(st.test);
        stmt(st.body);
        return;
      case 'for':
        stmt(st.init);
        expr(st.test);
        expr(st.update);
        stmt(st.body);
        return;
      case 'switch':
        expr(st.test);
        stmt(st.body);
        return;
      case 'case':
        st.body.forEach(stmt);
        return;
      case 'return':
        expr(st.value);
        return;
      case 'label':
        stmt(st.body);
        return;
      case 'try':
        stmt(st.body);
        expr(st.handler?.filter);
        stmt(st.handler?.body);
        stmt(st.finally);
        return;
      default:
        return;
    }
  };
  stmt(body);
  return out;
}

export interface StmtHooks {
  /** Called at every statement before the debugger may stop: counts steps, enforces the budget. */
  onStatement(f: CFrame): void;
  /** Where `__try` finds the running thread's frames to search for an exception's handler. */
  seh: SehHost;
  /**
   * A statement that cannot be compiled (an unknown name or field) still loads, and fails only if
   * it runs; tools that want every such problem up front (scripts/wdk-surface.ts) listen here.
   */
  onCompileError?(err: CRuntimeError): void;
}

export class StmtCompiler {
  readonly lines = new Set<number>();

  constructor(
    private readonly exprs: ExprCompiler,
    private readonly scope: FunctionScope,
    private readonly fnType: FunctionType,
    private readonly hooks: StmtHooks,
    private readonly file: string,
    private readonly space: AddressSpace,
    private readonly fnName: string,
  ) {}

  compile(s: Stmt): StmtCode {
    try {
      return this.stmt(s);
    } catch (err) {
      if (err instanceof CRuntimeError) {
        const e = withLoc(err, s.loc);
        this.hooks.onCompileError?.(e);
        return this.at(s.loc, function* () {
          throw e;
        });
      }
      throw err;
    }
  }

  /** Wraps a statement body with the line bookkeeping and the debugger's stop point. */
  private at(loc: Loc, body: (f: CFrame) => Co<Completion>): StmtCode {
    const { line, col, file } = loc;
    if (file === this.file) this.lines.add(line);
    const hooks = this.hooks;
    return function* (f) {
      f.file = file;
      f.line = line;
      f.column = col;
      hooks.onStatement(f);
      yield Trap.Stmt;
      try {
        return yield* body(f);
      } catch (err) {
        throw err instanceof CRuntimeError ? withLoc(err, loc) : err;
      }
    };
  }

  /**
   * An expression statement: at()'s bookkeeping and the expression in one generator, since most
   * statements a driver runs are these (one generator fewer per statement run).
   */
  private expressionStatement(loc: Loc, e: ReturnType<ExprCompiler['compile']>): StmtCode {
    const { line, col, file } = loc;
    if (file === this.file) this.lines.add(line);
    const hooks = this.hooks;
    if (e.s) {
      const es = e.s;
      return function* (f) {
        f.file = file;
        f.line = line;
        f.column = col;
        hooks.onStatement(f);
        yield Trap.Stmt;
        try {
          es(f);
          return Completion.Normal;
        } catch (err) {
          throw err instanceof CRuntimeError ? withLoc(err, loc) : err;
        }
      };
    }
    const eg = e.g!;
    return function* (f) {
      f.file = file;
      f.line = line;
      f.column = col;
      hooks.onStatement(f);
      yield Trap.Stmt;
      try {
        yield* eg(f);
        return Completion.Normal;
      } catch (err) {
        throw err instanceof CRuntimeError ? withLoc(err, loc) : err;
      }
    };
  }

  private stmt(s: Stmt): StmtCode {
    switch (s.k) {
      case 'expr': {
        return this.expressionStatement(s.loc, this.exprs.compile(s.expr));
      }
      case 'decl':
        return this.declaration(s.decls, s.loc);
      case 'block':
        return this.block(s.body, true);
      case 'if': {
        const test = this.exprs.compile(s.test);
        const then = this.compile(s.then);
        const otherwise = s.else ? this.compile(s.else) : undefined;
        return this.at(s.loc, function* (f) {
          if (truthy(yield* run(test, f))) return yield* then(f);
          return otherwise ? yield* otherwise(f) : Completion.Normal;
        });
      }
      case 'while': {
        const test = this.exprs.compile(s.test);
        const body = this.compile(s.body);
        const hooks = this.hooks;
        const loc = s.loc;
        return this.at(s.loc, function* (f) {
          for (;;) {
            if (!truthy(yield* run(test, f))) return Completion.Normal;
            const c = yield* body(f);
            if (c === Completion.Break) return Completion.Normal;
            if (c === Completion.Return || c === Completion.Goto) return c;
            // Each iteration passes the loop head again: a statement boundary, so even `while (1) {}`
            // counts steps and a debugger can stop (or pause) in it.
            yield* loopHead(f, loc, hooks);
          }
        });
      }
      case 'do': {
        const test = this.exprs.compile(s.test);
        const body = this.compile(s.body);
        const hooks = this.hooks;
        // The condition's line (`} while (x);`) is where each iteration ends.
        const cond = s.test.loc;
        if (cond.file === this.file) this.lines.add(cond.line);
        return this.at(s.loc, function* (f) {
          for (;;) {
            const c = yield* body(f);
            if (c === Completion.Break) return Completion.Normal;
            if (c === Completion.Return || c === Completion.Goto) return c;
            yield* loopHead(f, cond, hooks);
            if (!truthy(yield* run(test, f))) return Completion.Normal;
          }
        });
      }
      case 'for': {
        this.scope.push();
        try {
          const init = s.init ? this.compile(s.init) : undefined;
          const test = s.test ? this.exprs.compile(s.test) : undefined;
          const update = s.update ? this.exprs.compile(s.update) : undefined;
          const body = this.compile(s.body);
          const hooks = this.hooks;
          const loc = s.loc;
          return this.at(s.loc, function* (f) {
            if (init) {
              const c = yield* init(f);
              if (c !== Completion.Normal) return c;
            }
            for (;;) {
              if (test && !truthy(yield* run(test, f))) return Completion.Normal;
              const c = yield* body(f);
              if (c === Completion.Break) return Completion.Normal;
              if (c === Completion.Return || c === Completion.Goto) return c;
              if (update) yield* run(update, f);
              yield* loopHead(f, loc, hooks);
            }
          });
        } finally {
          this.scope.pop();
        }
      }
      case 'switch':
        return this.switchStmt(s);
      case 'case':
        // A case label reached by falling through: run what follows it.
        return this.block(s.body, false);
      case 'break':
        return this.at(s.loc, function* () {
          return Completion.Break;
        });
      case 'continue':
        return this.at(s.loc, function* () {
          return Completion.Continue;
        });
      case 'return':
        return this.returnStmt(s.value ? this.exprs.compile(s.value) : undefined, s.loc);
      case 'goto': {
        const label = s.label;
        return this.at(s.loc, function* (f) {
          f.gotoLabel = label;
          return Completion.Goto;
        });
      }
      case 'label': {
        const body = s.body ? this.compile(s.body) : undefined;
        return function* (f) {
          return body ? yield* body(f) : Completion.Normal;
        };
      }
      case 'try':
        return tryStatement(this.hooks.seh, s.loc, this.compile(s.body), s.handler ? { filter: this.exprs.compile(s.handler.filter), body: this.compile(s.handler.body) } : undefined, s.finally ? this.compile(s.finally) : undefined);
      case 'leave':
        return this.at(s.loc, function* () {
          return LEAVE;
        });
      case 'empty':
        return function* () {
          return Completion.Normal;
        };
      case 'unsupported': {
        const err = new CRuntimeError('unsupported', `fltsim cannot run ${s.what}: '${s.text}'`, s.loc, 'rewrite it in the C subset fltsim runs (see docs/interpreter.md)');
        return this.at(s.loc, function* () {
          throw err;
        });
      }
    }
  }

  private block(body: Stmt[], scoped: boolean): StmtCode {
    if (scoped) this.scope.push();
    try {
      const codes: StmtCode[] = [];
      const labels = new Map<string, number>();
      for (const s of body) {
        if (s.k === 'label') labels.set(s.name, codes.length);
        codes.push(this.compile(s));
      }
      return (f) => runStatements(codes, labels, 0, f);
    } finally {
      if (scoped) this.scope.pop();
    }
  }

  private switchStmt(s: Stmt & { k: 'switch' }): StmtCode {
    const test = this.exprs.compile(s.test);
    const children: Stmt[] = s.body.k === 'block' ? s.body.body : [s.body];
    this.scope.push();
    try {
      const codes: StmtCode[] = [];
      const cases = new Map<number, number>();
      const labels = new Map<string, number>();
      let defaultIndex = -1;
      for (const child of children) {
        if (child.k === 'case') {
          if (child.value === undefined) defaultIndex = codes.length;
          else {
            const n = constantOf(this.exprs, child.value, 'a case label');
            if (cases.has(n)) throw new CRuntimeError('compile-error', `duplicate case value ${n}`, child.loc);
            cases.set(n, codes.length);
          }
        }
        if (child.k === 'label') labels.set(child.name, codes.length);
        codes.push(this.compile(child));
      }
      return this.at(s.loc, function* (f) {
        const v = Number(yield* run(test, f));
        const i = cases.get(v) ?? defaultIndex;
        if (i < 0) return Completion.Normal;
        const c = yield* runStatements(codes, labels, i, f);
        // `break` ends the switch; `continue` and `return` belong to what encloses it.
        return c === Completion.Break ? Completion.Normal : c;
      });
    } finally {
      this.scope.pop();
    }
  }

  private returnStmt(value: ReturnType<ExprCompiler['compile']> | undefined, loc: Loc): StmtCode {
    const ret = this.fnType.ret;
    if (!value) {
      return this.at(loc, function* (f) {
        f.ret = undefined;
        return Completion.Return;
      });
    }
    if (ret.kind === 'void') {
      return this.at(loc, function* (f) {
        yield* run(value, f);
        f.ret = undefined;
        return Completion.Return;
      });
    }
    if (ret.kind === 'struct') {
      // A struct is returned in a temporary the caller reads (or copies) from.
      const space = this.space;
      const fnName = this.fnName;
      return this.at(loc, function* (f) {
        const v = yield* run(value, f);
        const copy = allocateObject(space, 'temporary', ret, `value returned by ${fnName}`, false);
        copyBytes(copy, v, sizeOf(ret), 'the returned value', loc);
        f.ret = copy;
        return Completion.Return;
      });
    }
    const conv = this.exprs.convertTo(value, ret);
    return this.at(loc, function* (f) {
      f.ret = yield* run(conv, f);
      return Completion.Return;
    });
  }

  private declaration(decls: VarDecl[], loc: Loc): StmtCode {
    const steps: ((f: CFrame) => Co<void>)[] = [];
    let executable = false;
    for (const d of decls) {
      if (d.type.kind === 'func') continue; // a local prototype
      if (d.storage === 'extern') continue;
      if (d.storage === 'static') {
        const slot = this.scope.declareStatic(d.name, d.type);
        if (d.init) {
          const plan = this.exprs.initPlan(d.type, d.init);
          let done = false;
          const type = d.type;
          const scalar = type.kind !== 'struct' && type.kind !== 'array' ? this.exprs.convertTo(this.exprs.compile(scalarInitExpr(d.init, d.loc)), type) : undefined;
          steps.push(function* (f) {
            if (done) return;
            done = true;
            if (scalar) store(slot.ptr, type, yield* run(scalar, f), `'${d.name}'`, d.loc);
            else yield* plan(slot.ptr, f);
          });
        }
        continue;
      }
      if (d.type.kind === 'array' && d.type.length === undefined) {
        throw new CRuntimeError('compile-error', `the size of array '${d.name}' is unknown`, d.loc);
      }
      const local = this.scope.declare(d.name, d.type, d.loc);
      const slot = local.slot;
      const type = d.type;
      const what = `'${d.name}'`;
      if (local.inMemory) {
        // The storage was made when the function was entered; the declaration initialises it.
        if (type.kind === 'struct' || type.kind === 'array') {
          if (!d.init) continue;
          const plan = this.exprs.initPlan(type, d.init);
          const size = sizeOf(type);
          executable = true;
          steps.push(function* (f) {
            const p = f.vars[slot] as AllocPtr;
            zeroFill(p, size);
            yield* plan(p, f);
          });
        } else if (d.init) {
          executable = true;
          const value = this.exprs.convertTo(this.exprs.compile(scalarInitExpr(d.init, d.loc)), type);
          const dloc = d.loc;
          steps.push(function* (f) {
            store(f.vars[slot], type, yield* run(value, f), what, dloc);
          });
        }
      } else if (d.init) {
        executable = true;
        const value = this.exprs.convertTo(this.exprs.compile(scalarInitExpr(d.init, d.loc)), type);
        steps.push(function* (f) {
          f.vars[slot] = yield* run(value, f);
        });
      } else {
        steps.push(function* (f) {
          f.vars[slot] = undefined;
        });
      }
    }
    const body = function* (f: CFrame): Co<Completion> {
      for (const s of steps) yield* s(f);
      return Completion.Normal;
    };
    return executable ? this.at(loc, body) : body;
  }
}

/** `int x = { 5 };` initialises a scalar from the first item in braces. */
function scalarInitExpr(init: Initializer, loc: Loc): Expr {
  let cur = init;
  while (cur.k === 'list') {
    if (cur.items.length === 0) return { k: 'num', value: 0, type: { kind: 'int', size: 4, signed: true, name: 'int' }, loc };
    cur = cur.items[0].value;
  }
  return cur.expr;
}

/** `__leave`: ends the enclosing `__try` block normally. */

export function describeType(t: CType): string {
  return typeName(t);
}

/**
 * Runs a statement list from index `i`, following a `goto` to a label of this list; any other
 * completion (or a `goto` to a label elsewhere) ends the list and is handed to the caller.
 */
function* runStatements(codes: readonly StmtCode[], labels: ReadonlyMap<string, number>, i: number, f: CFrame): Co<Completion> {
  while (i < codes.length) {
    const c = yield* codes[i](f);
    if (c === Completion.Normal) {
      i++;
      continue;
    }
    if (c === Completion.Goto) {
      const j = labels.get(f.gotoLabel!);
      if (j !== undefined) {
        f.gotoLabel = undefined;
        i = j;
        continue;
      }
    }
    return c;
  }
  return Completion.Normal;
}

/** A loop passing its head (or a do-while its condition) again: counted, and a place the debugger may stop. */
function* loopHead(f: CFrame, loc: Loc, hooks: StmtHooks): Co<void> {
  f.file = loc.file;
  f.line = loc.line;
  f.column = loc.col;
  hooks.onStatement(f);
  yield Trap.Stmt;
}
