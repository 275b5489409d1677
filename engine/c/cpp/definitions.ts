/**
 * Function definitions: a C++ function (free, member, constructor, destructor) becomes a C function
 * whose parameters start with `this` for members; a constructor's body starts with its member
 * initializers.
 */
import type { FunctionDef, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { VOID } from '../types';
import type { TranslateContext } from '../translate/context';
import { typeFromSpecifier } from '../translate/declarators';
import { storageOf, translateStmt } from '../translate/statements';
import { memberInitializers } from './construction';
import { declareFunction, functionDeclaratorOf } from './functions';
import { defaultedKind } from './defaulted';
import type { CppClass } from './model';
import { destroyCall, needsDestructor, setVfptr, subobjectDestructors } from './inheritance';
import { defineMemberTypes } from './memberTypes';
import { destroyStatements, fullExpression } from './temporaries';
import type { CppState, FunctionState } from './state';

export function functionDefinition(s: CppState, ctx: TranslateContext, node: SyntaxNode, cls?: CppClass): void {
  const declarator = node.childForFieldName('declarator');
  const defaulted = defaultedKind(node);
  if (!declarator || defaulted === 'implicit') return;
  const isStatic = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
  const base = node.childForFieldName('type') ? typeFromSpecifier(ctx, node.childForFieldName('type')) : VOID;
  const f = declareFunction(s, ctx, node, declarator, base, true, cls, isStatic && cls !== undefined);
  if (!f) return;
  const found = functionDeclaratorOf(declarator)!;
  const fd = found.type === 'operator_cast' ? found.childForFieldName('declarator') ?? found : found;
  const paramNodes = (fd.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p?.type === 'parameter_declaration' || p?.type === 'optional_parameter_declaration');
  const params = f.type.params.map((p, i) => {
    const at = f.thisClass ? i - 1 : i;
    return { name: p.name ?? `<param ${i + 1}>`, type: p.type, loc: at >= 0 && paramNodes[at] ? ctx.loc(paramNodes[at]) : ctx.loc(node) };
  });
  const saved = { fn: s.fn, scope: ctx.scope };
  const state: FunctionState = { cls: f.thisClass ?? cls ?? f.memberOf, refReturn: f.refReturn, ret: f.type.ret, temps: [], hidden: [], locals: [new Map()] };
  s.fn = state;
  ctx.scope = ctx.scope.child();
  // A member function written outside its class still sees the class's member types by their simple names.
  if (f.memberOf) defineMemberTypes(f.memberOf, ctx.scope);
  try {
    f.type.params.forEach((p, i) => {
      const at = f.thisClass ? i - 1 : i;
      if (p.name) {
        ctx.scope.defineObject(p.name);
        state.locals[0].set(p.name, { type: p.type, ref: at >= 0 && f.refParams[at] === true });
      }
    });
    const bodyNode = node.childForFieldName('body') ?? (defaulted === 'empty-body' ? node : null);
    if (!bodyNode) return;
    const owner = f.thisClass;
    // The body's block (engine/c/cpp/locals.ts, through the statement hook) starts with these.
    if (owner && owner.ctors.includes(f)) {
      // The temporaries of the member initializers are destroyed once the members are initialised, before the body.
      const { value, dtors } = fullExpression(s, () => memberInitializers(s, ctx, node, owner));
      state.prologue = [...value, ...destroyStatements(dtors, f.loc)];
    }
    const isDtor = owner !== undefined && owner.dtor === f;
    // A destructor first points the object at its own class's vtable: virtual calls from here on run this class's functions.
    if (isDtor && owner.vtable) state.prologue = [{ k: 'expr', expr: setVfptr(owner, { k: 'id', name: 'this', loc: f.loc }, f.loc), loc: f.loc }];
    const lowered = bodyNode === node ? emptyBody(s, node, ctx) : translateStmt(ctx, bodyNode);
    let body: Stmt & { k: 'block' } = lowered.k === 'block' ? lowered : { k: 'block', body: [lowered], loc: lowered.loc, endLoc: ctx.endLoc(bodyNode) };
    const bases = isDtor ? subobjectDestructors(owner, { k: 'id', name: 'this', loc: body.endLoc }, body.endLoc) : undefined;
    if (bases) {
      // After the body, however it ends, the member objects and then the bases are destroyed (each in reverse order).
      const end = body.endLoc;
      body = { k: 'block', body: [{ k: 'try', body, finally: { k: 'block', body: [{ k: 'expr', expr: bases, loc: end }], loc: end, endLoc: end }, loc: body.loc }], loc: body.loc, endLoc: end };
    }
    // Parameters of a class with a destructor, taken by value, are the callee's to destroy (as MSVC does), last one first.
    const owned = f.type.params.filter((p, i) => p.name && !(f.thisClass && i === 0) && !f.refParams[f.thisClass ? i - 1 : i] && p.type.kind === 'struct' && ownsDestructor(s.classOf(p.type)));
    if (owned.length > 0) {
      const end = body.endLoc;
      const destroy: Stmt[] = owned.reverse().map((p) => ({ k: 'expr', expr: destroyCall(s.classOf(p.type)!, { k: 'unary', op: '&', arg: { k: 'id', name: p.name!, loc: end }, loc: end }, end)!, loc: end }));
      body = { k: 'block', body: [{ k: 'try', body, finally: { k: 'block', body: destroy, loc: end, endLoc: end }, loc: body.loc }], loc: body.loc, endLoc: end };
    }
    if (state.hidden.length > 0) body.body.unshift({ k: 'decl', decls: state.hidden, loc: body.loc });
    const def: FunctionDef = {
      name: f.linkName,
      type: f.type,
      params,
      body,
      // Defined inside its class (or a template's): one copy per file, as C++'s inline linkage.
      static: storageOf(node) === 'static' || cls !== undefined || s.instanceName !== undefined || node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'inline'),
      loc: f.loc,
      endLoc: ctx.endLoc(bodyNode),
    };
    s.unit.functions.set(f.linkName, def);
  } finally {
    s.fn = saved.fn;
    ctx.scope = saved.scope;
  }
}

/** The body of `T() = default;` / `~T() = default;`: only what the function runs around its body. */
function emptyBody(s: CppState, node: SyntaxNode, ctx: TranslateContext): Stmt & { k: 'block' } {
  const state = s.fn!;
  const body = state.prologue ?? [];
  state.prologue = undefined;
  return { k: 'block', body, loc: ctx.loc(node), endLoc: ctx.endLoc(node) };
}

function ownsDestructor(cls: CppClass | undefined): boolean {
  return cls !== undefined && needsDestructor(cls);
}
