/**
 * Compiles statements to generator closures that return a Completion. Every executable statement
 * first records its line on the frame and yields `Trap.Stmt`, which is where the debugger can stop.
 */
import type { Loc, Stmt } from '../c/ast';
import { sizeOf, type FunctionType } from '../c/types';
import { Trap, type Co } from '../kernel/coroutine';
import { CRuntimeError, withLoc } from './errors';
import { Completion, type CFrame, type StmtCode } from './frame';
import { allocateObject, copyBytes } from './memory';
import { truthy } from './pointers';
import type { ExprCompiler } from './compileExpr';
import { constantOf } from './constantExpr';
import type { FunctionScope } from './functionScope';
import { compileDeclaration } from './compileDecl';
import { LEAVE, loopHead, runStatements, type StmtHooks } from './stmtFlow';
import { tryStatement } from './seh';

export class StmtCompiler {
  readonly lines = new Set<number>();

  constructor(
    private readonly exprs: ExprCompiler,
    private readonly scope: FunctionScope,
    private readonly fnType: FunctionType,
    private readonly hooks: Pick<StmtHooks, 'onCompileError'>,
    private readonly file: string,
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
    return function* (f) {
      f.file = file;
      f.line = line;
      f.column = col;
      f.env.rt.hooks.onStatement(f);
      yield Trap.Stmt;
      try {
        return yield* body(f);
      } catch (err) {
        throw err instanceof CRuntimeError ? withLoc(err, loc) : err;
      }
    };
  }

  /** at() for a statement whose work cannot block: one generator per statement run, not two. */
  private atPlain(loc: Loc, body: (f: CFrame) => Completion): StmtCode {
    const { line, col, file } = loc;
    if (file === this.file) this.lines.add(line);
    return function* (f) {
      f.file = file;
      f.line = line;
      f.column = col;
      f.env.rt.hooks.onStatement(f);
      yield Trap.Stmt;
      try {
        return body(f);
      } catch (err) {
        throw err instanceof CRuntimeError ? withLoc(err, loc) : err;
      }
    };
  }

  /**
   * at() for an `if` whose test cannot block: the test and the branch taken run in the statement's
   * own generator.
   */
  private atIf(loc: Loc, test: (f: CFrame) => unknown, then: StmtCode, otherwise: StmtCode | undefined): StmtCode {
    const { line, col, file } = loc;
    if (file === this.file) this.lines.add(line);
    return function* (f) {
      f.file = file;
      f.line = line;
      f.column = col;
      f.env.rt.hooks.onStatement(f);
      yield Trap.Stmt;
      try {
        if (truthy(test(f))) return yield* then(f);
        return otherwise ? yield* otherwise(f) : Completion.Normal;
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
    if (e.s) {
      const es = e.s;
      return function* (f) {
        f.file = file;
        f.line = line;
        f.column = col;
        f.env.rt.hooks.onStatement(f);
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
      f.env.rt.hooks.onStatement(f);
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
        return compileDeclaration(s.decls, s.loc, this.exprs, this.scope, { at: (l, b) => this.at(l, b), atPlain: (l, b) => this.atPlain(l, b) });
      case 'block':
        return this.block(s.body, true);
      case 'if': {
        const test = this.exprs.compile(s.test);
        const then = this.compile(s.then);
        const otherwise = s.else ? this.compile(s.else) : undefined;
        if (test.s) return this.atIf(s.loc, test.s, then, otherwise);
        return this.at(s.loc, function* (f) {
          if (truthy(test.s ? test.s(f) : yield* test.g!(f))) return yield* then(f);
          return otherwise ? yield* otherwise(f) : Completion.Normal;
        });
      }
      case 'while': {
        const test = this.exprs.compile(s.test);
        const body = this.compile(s.body);
        const loc = s.loc;
        return this.at(s.loc, function* (f) {
          for (;;) {
            if (!truthy(test.s ? test.s(f) : yield* test.g!(f))) return Completion.Normal;
            const c = yield* body(f);
            if (c === Completion.Break) return Completion.Normal;
            if (c === Completion.Return || c === Completion.Goto) return c;
            // Each iteration passes the loop head again: a statement boundary, so even `while (1) {}`
            // counts steps and a debugger can stop (or pause) in it.
            yield* loopHead(f, loc);
          }
        });
      }
      case 'do': {
        const test = this.exprs.compile(s.test);
        const body = this.compile(s.body);
        // The condition's line (`} while (x);`) is where each iteration ends.
        const cond = s.test.loc;
        if (cond.file === this.file) this.lines.add(cond.line);
        return this.at(s.loc, function* (f) {
          for (;;) {
            const c = yield* body(f);
            if (c === Completion.Break) return Completion.Normal;
            if (c === Completion.Return || c === Completion.Goto) return c;
            yield* loopHead(f, cond);
            if (!truthy(test.s ? test.s(f) : yield* test.g!(f))) return Completion.Normal;
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
            const loc = s.loc;
          return this.at(s.loc, function* (f) {
            if (init) {
              const c = yield* init(f);
              if (c !== Completion.Normal) return c;
            }
            for (;;) {
              if (test && !truthy(test.s ? test.s(f) : yield* test.g!(f))) return Completion.Normal;
              const c = yield* body(f);
              if (c === Completion.Break) return Completion.Normal;
              if (c === Completion.Return || c === Completion.Goto) return c;
              if (update) {
                if (update.s) update.s(f);
                else yield* update.g!(f);
              }
              yield* loopHead(f, loc);
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
        return tryStatement(s.loc, this.compile(s.body), s.handler ? { filter: this.exprs.compile(s.handler.filter), body: this.compile(s.handler.body) } : undefined, s.finally ? this.compile(s.finally) : undefined);
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
        const v = Number(test.s ? test.s(f) : yield* test.g!(f));
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
      return this.atPlain(loc, (f) => {
        f.ret = undefined;
        return Completion.Return;
      });
    }
    if (ret.kind === 'void') {
      return this.at(loc, function* (f) {
        if (value.s) value.s(f);
        else yield* value.g!(f);
        f.ret = undefined;
        return Completion.Return;
      });
    }
    if (ret.kind === 'struct') {
      // A struct is returned in a temporary the caller reads (or copies) from.
      const fnName = this.fnName;
      return this.at(loc, function* (f) {
        const v = value.s ? value.s(f) : yield* value.g!(f);
        const copy = allocateObject(f.env.space, 'temporary', ret, `value returned by ${fnName}`, false);
        copyBytes(copy, v, sizeOf(ret), 'the returned value', loc);
        f.ret = copy;
        return Completion.Return;
      });
    }
    const conv = this.exprs.convertTo(value, ret);
    if (conv.s) {
      const cs = conv.s;
      return this.atPlain(loc, (f) => {
        f.ret = cs(f);
        return Completion.Return;
      });
    }
    return this.at(loc, function* (f) {
      f.ret = conv.s ? conv.s(f) : yield* conv.g!(f);
      return Completion.Return;
    });
  }
}
