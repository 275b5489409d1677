/** Compiles a declaration statement: locals (in a slot or in memory) and static locals, with their initialisers. */
import type { Expr, Initializer, Loc, VarDecl } from '../c/ast';
import { sizeOf } from '../c/types';
import type { Co } from '../kernel/coroutine';
import { CRuntimeError } from './errors';
import { Completion, type CFrame, type StmtCode } from './frame';
import { store, zeroFill } from './memory';
import type { AllocPtr } from '../memory/pointer';
import { run } from './compiled';
import type { ExprCompiler } from './compileExpr';
import type { FunctionScope } from './functionScope';

export function compileDeclaration(decls: VarDecl[], loc: Loc, exprs: ExprCompiler, scope: FunctionScope, at: (loc: Loc, body: (f: CFrame) => Co<Completion>) => StmtCode): StmtCode {
  const steps: ((f: CFrame) => Co<void>)[] = [];
  let executable = false;
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
        steps.push(function* (f) {
          // Once per run: the flag lives with the run's storage, not in the shared compiled code.
          if (f.env.staticDone[index]) return;
          f.env.staticDone[index] = true;
          const ptr = f.env.globals[index];
          if (scalar) store(ptr, type, yield* run(scalar, f), `'${d.name}'`, d.loc);
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
        steps.push(function* (f) {
          const p = f.vars[slot] as AllocPtr;
          zeroFill(p, size);
          yield* plan(p, f);
        });
      } else if (d.init) {
        executable = true;
        const value = exprs.convertTo(exprs.compile(scalarInitExpr(d.init, d.loc)), type);
        const dloc = d.loc;
        steps.push(function* (f) {
          store(f.vars[slot], type, yield* run(value, f), what, dloc);
        });
      }
    } else if (d.init) {
      executable = true;
      const value = exprs.convertTo(exprs.compile(scalarInitExpr(d.init, d.loc)), type);
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
  return executable ? at(loc, body) : body;
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
