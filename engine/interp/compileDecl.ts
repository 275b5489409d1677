/** Compiles a declaration statement: locals (in a slot or in memory) and static locals, with their initialisers. */
import type { Expr, Initializer, Loc, VarDecl } from '../c/ast';
import { sizeOf } from '../c/types';
import type { Co } from '../kernel/coroutine';
import { CRuntimeError } from './errors';
import { Completion, type CFrame, type StmtCode } from './frame';
import { store, zeroFill } from './memory';
import type { AllocPtr } from '../memory/pointer';
import type { ExprCompiler } from './compileExpr';
import type { FunctionScope } from './functionScope';

/** How the statement compiler wraps a declaration that runs code: with a generator body, or a plain one. */
export interface StatementWrap {
  at(loc: Loc, body: (f: CFrame) => Co<Completion>): StmtCode;
  atPlain(loc: Loc, body: (f: CFrame) => Completion): StmtCode;
}

/**
 * A declarator's work: a plain function (returns undefined) when its initialiser cannot block, a
 * generator function otherwise, so a declaration whose initialisers are all plain makes no
 * generator per declarator.
 */
type DeclStep = (f: CFrame) => Co<void> | undefined;

export function compileDeclaration(decls: VarDecl[], loc: Loc, exprs: ExprCompiler, scope: FunctionScope, wrap: StatementWrap): StmtCode {
  const steps: DeclStep[] = [];
  let executable = false;
  let plain = true;
  for (const d of decls) {
    if (d.type.kind === 'func') continue; // a local prototype
    if (d.storage === 'extern') continue;
    if (d.storage === 'static') {
      const slot = scope.declareStatic(d.name, d.type);
      if (d.init) {
        const plan = exprs.initPlan(d.type, d.init);
        const type = d.type;
        const index = slot.index;
        const scalar = type.kind !== 'struct' && type.kind !== 'array' ? exprs.convertTo(exprs.compile(scalarInitExpr(d.init, d.loc)), type) : undefined;
        plain = false;
        steps.push(function* (f) {
          // Once per run: the flag lives with the run's storage, not in the shared compiled code.
          if (f.env.staticDone[index]) return;
          f.env.staticDone[index] = true;
          const ptr = f.env.globals[index];
          if (scalar) store(ptr, type, (scalar.s ? scalar.s(f) : yield* scalar.g!(f)), `'${d.name}'`, d.loc);
          else yield* plan(ptr, f);
        });
      }
      continue;
    }
    if (d.type.kind === 'array' && d.type.length === undefined) {
      throw new CRuntimeError('compile-error', `the size of array '${d.name}' is unknown`, d.loc);
    }
    const local = scope.declare(d.name, d.type, d.loc);
    const slot = local.slot;
    const type = d.type;
    const what = `'${d.name}'`;
    if (local.inMemory) {
      // The storage was made when the function was entered; the declaration initialises it.
      if (type.kind === 'struct' || type.kind === 'array') {
        if (!d.init) continue;
        const plan = exprs.initPlan(type, d.init);
        const size = sizeOf(type);
        executable = true;
        plain = false;
        steps.push(function* (f) {
          const p = f.vars[slot] as AllocPtr;
          zeroFill(p, size);
          yield* plan(p, f);
        });
      } else if (d.init) {
        executable = true;
        const value = exprs.convertTo(exprs.compile(scalarInitExpr(d.init, d.loc)), type);
        const dloc = d.loc;
        const vs = value.s;
        if (vs) {
          steps.push((f) => {
            store(f.vars[slot], type, vs(f), what, dloc);
            return undefined;
          });
        } else {
          const vg = value.g!;
          plain = false;
          steps.push(function* (f) {
            store(f.vars[slot], type, yield* vg(f), what, dloc);
          });
        }
      }
    } else if (d.init) {
      executable = true;
      const value = exprs.convertTo(exprs.compile(scalarInitExpr(d.init, d.loc)), type);
      const vs = value.s;
      if (vs) {
        steps.push((f) => {
          f.vars[slot] = vs(f);
          return undefined;
        });
      } else {
        const vg = value.g!;
        plain = false;
        steps.push(function* (f) {
          f.vars[slot] = yield* vg(f);
        });
      }
    } else {
      steps.push((f) => {
        f.vars[slot] = undefined;
        return undefined;
      });
    }
  }
  if (plain) {
    const run = (f: CFrame): Completion => {
      for (const s of steps) s(f);
      return Completion.Normal;
    };
    if (executable) return wrap.atPlain(loc, run);
    return function* (f) {
      return run(f);
    };
  }
  const body = function* (f: CFrame): Co<Completion> {
    for (const s of steps) {
      const co = s(f);
      if (co !== undefined) yield* co;
    }
    return Completion.Normal;
  };
  return executable ? wrap.at(loc, body) : body;
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
