/**
 * Local objects and their destructors: a block-scope declaration constructs its objects where they
 * are declared, and each object with a destructor wraps the rest of its block in a `__finally` that
 * calls it, so every way out of the scope (end, return, break, continue, goto, an SEH unwind)
 * destroys the objects in reverse order.
 */
import type { Expr, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, SIZE_T, pointerTo, sameType, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateExpr, translateInitializer } from '../translate/expressions';
import { storageOf, translateStmt } from '../translate/statements';
import { constantValue } from '../translate/constant';
import { constructorCall } from './construction';
import { copyConstruct, copyRunsCode, hasCopyConstructor } from './copies';
import { declareFunction, isFunctionDeclarator } from './functions';
import { isConstant } from './globals';
import { addressOf, sizedByInitializer } from './lowering';
import { deduceAuto, isAuto } from './autoType';
import { identifier } from './names';
import { convertPointer, destroyCall, needsConstruction, needsDestructor } from './inheritance';
import type { CppState } from './state';
import { namedCall } from './calls';
import { constructArray, destroyArray, objectArray } from './objectArrays';
import { adopt, isTemporary } from './pending';
import { destroyStatements, fullExpression, namesAnObject } from './temporaries';
import { deduce } from './templates';
import { staticLocalObject } from './staticLocals';
import { typeOfExpr } from './typer';

/** A block: each object with a destructor guards the rest of the block with a `__finally` calling it. */
export function block(s: CppState, ctx: TranslateContext, node: SyntaxNode): Stmt & { k: 'block' } {
  return scopedStatements(s, ctx, node, node.namedChildren.filter((c): c is SyntaxNode => c !== null));
}

/**
 * A scope holding `items` (statements and declarations) and then, when given, `last` — what
 * `if (init; cond)` and `switch (init; cond)` become: the init's objects live until the statement ends.
 */
export function scopedStatements(s: CppState, ctx: TranslateContext, node: SyntaxNode, items: SyntaxNode[], last?: () => Stmt): Stmt & { k: 'block' } {
  const state = s.fn!;
  const outer = ctx.scope;
  ctx.scope = outer.child();
  state.locals.push(new Map());
  // The function's outermost block starts with what the function put before its body.
  const prologue = state.prologue ?? [];
  state.prologue = undefined;
  try {
    const body: Stmt[] = [...prologue];
    let current = body;
    for (const c of items) {
      if (c.type === 'comment') continue;
      if (c.type !== 'declaration') {
        // Statements, returns and conditions destroy their own temporaries; one left over sat where no full expression ends that fltsim knows.
        const { value, dtors } = fullExpression(s, () => translateStmt(ctx, c));
        current.push(value);
        if (dtors.length > 0) ctx.error(c, 'a temporary object with a destructor here (in a for-loop header or a do-while condition?) has no place fltsim can destroy it: make it a named local before the statement');
        continue;
      }
      const { value: { stmts, destroy }, dtors } = fullExpression(s, () => localDeclaration(s, ctx, c));
      // The initializers' temporaries die at the end of the declaration; the declared objects at the end of the block.
      current.push(...stmts, ...destroyStatements(dtors, ctx.loc(c)));
      for (const d of destroy) {
        const inner: Stmt[] = [];
        const loc = d.loc;
        current.push({ k: 'try', body: { k: 'block', body: inner, loc, endLoc: ctx.endLoc(node) }, finally: { k: 'block', body: [d], loc, endLoc: loc }, loc });
        current = inner;
      }
    }
    if (last) current.push(last());
    return { k: 'block', body, loc: ctx.loc(node), endLoc: ctx.endLoc(node) };
  } finally {
    ctx.scope = outer;
    state.locals.pop();
  }
}

/** A block-scope declaration: the declared objects, their constructor calls, and destructor calls to run at scope exit (innermost last). */
export function localDeclaration(s: CppState, ctx: TranslateContext, node: SyntaxNode): { stmts: Stmt[]; destroy: Stmt[] } {
  const loc = ctx.loc(node);
  const stmts: Stmt[] = [];
  const destroy: Stmt[] = [];
  const typeNode = node.childForFieldName('type');
  const storage = storageOf(node);
  const tpl = typeNode?.type === 'type_identifier' && !ctx.scope.isTypeName(typeNode.text) ? s.templates.get(typeNode.text) : undefined;
  const base = tpl ? undefined : typeFromSpecifier(ctx, typeNode);
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d) continue;
    // `T x(a, b);` comes back as a function declarator whose "parameters" are the arguments.
    const ctorArgsNode = constructorArguments(ctx, d);
    if (!ctorArgsNode && isFunctionDeclarator(d)) {
      if (base) declareFunction(s, ctx, node, d, base, false);
      continue;
    }
    const nameNode = ctorArgsNode ? d.childForFieldName('declarator')! : d;
    // A declaration in a condition (`if (auto n = f())`) holds its value beside its declarator.
    const valueNode = ctorArgsNode ? null : d.type === 'init_declarator' ? d.childForFieldName('value') : node.parent?.type === 'condition_clause' ? node.childForFieldName('value') : null;
    let args: Expr[] | undefined = ctorArgsNode ? ctorArgsNode.map((a) => argumentExpr(s, ctx, a)) : undefined;
    if (valueNode?.type === 'argument_list') args = valueNode.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment').map((a) => translateExpr(ctx, a));
    let type: CType;
    if (tpl) {
      const cls = args ? deduce(s, ctx, tpl, args, d) : undefined;
      if (!cls && !args) ctx.error(d, `class template '${tpl.name}' needs its arguments here (${tpl.name}<…>)`);
      type = cls?.struct ?? INT;
    } else {
      type = base!;
    }
    const declared = applyDeclarator(ctx, nameNode.type === 'init_declarator' ? nameNode.childForFieldName('declarator') : nameNode, type);
    if (!declared.name) continue;
    let t = declared.type;
    const ref = s.refTypes.has(t);
    let init = valueNode && valueNode.type !== 'argument_list' ? translateInitializer(ctx, valueNode) : undefined;
    t = sizedByInitializer(t, init);
    if (isAuto(t)) t = deduceAuto(s, ctx, d, t, init, ref);
    if (ref && init?.k === 'expr') init = { k: 'expr', expr: addressOf(init.expr), loc: init.loc };
    // `Base* b = &derived;`: the base subobject's address.
    if (init?.k === 'expr') init = { ...init, expr: convertPointer((x) => s.classOf(x), init.expr, typeOfExpr(s.types, init.expr), t) };
    if (init?.k === 'expr' && isConstant(s, ctx, node, t, init.expr, declared.name)) ctx.scope.defineEnumConstant(declared.name, constantValue(ctx, init.expr)!);
    else ctx.scope.defineObject(declared.name);
    s.fn!.locals[s.fn!.locals.length - 1].set(declared.name, { type: t, ref });
    const cls = ref ? undefined : s.classOf(t);
    const objects = ref ? undefined : objectArray(s, t);
    if (objects && (init?.k === 'list' ? init.items.length > 0 : init !== undefined)) {
      ctx.error(d, `fltsim constructs arrays of objects with their default constructor only ('${declared.name}' holds objects of class ${objects.cls.name} and has an initializer list); construct the objects one by one or assign them after the declaration`);
    }
    const self: Expr = { k: 'unary', op: '&', arg: { k: 'id', name: declared.name, loc }, loc };
    if (cls && init?.k === 'list' && (cls.ctors.length > 0 || cls.members.some((m) => needsConstruction(m.cls) || needsDestructor(m.cls)))) {
      args = init.items.map((i) => (i.value.k === 'expr' ? i.value.expr : { k: 'num', value: 0, type: INT, loc }));
      init = undefined;
    }
    if (cls && init?.k === 'expr' && cls.ctors.length > 0 && (!sameType(typeOfExpr(s.types, init.expr) ?? INT, t) || (namesAnObject(init.expr) && hasCopyConstructor(cls)))) {
      // A converting constructor, or the copy constructor for `T a = b;` (a call's result is taken as it is: C++17 elides that copy).
      args = [init.expr];
      init = undefined;
    }
    // `T a = b;` / `T a(b);` of a class without its own copy constructor: the implicit one (engine/c/cpp/copies.ts).
    let copyFrom: Expr | undefined;
    const single = init?.k === 'expr' ? init.expr : args?.length === 1 ? args[0] : undefined;
    if (cls && single && namesAnObject(single) && !hasCopyConstructor(cls) && sameType(typeOfExpr(s.types, single) ?? INT, t) && copyRunsCode(cls)) {
      copyFrom = single;
      init = undefined;
      args = undefined;
    }
    // `T a(f());`: as `T a = f();` below.
    if (cls && args?.length === 1 && isTemporary(args[0]) && sameType(typeOfExpr(s.types, args[0]) ?? INT, t)) {
      init = { k: 'expr', expr: args[0], loc: args[0].loc };
      args = undefined;
    }
    // `T a = f();`, `T a = T(x);`: the object is the temporary, not a copy of it.
    if (cls && init?.k === 'expr' && isTemporary(init.expr)) adopt(s, init.expr);
    if (cls && storage === 'static' && (args || copyFrom || needsConstruction(cls) || needsDestructor(cls))) {
      if (init || copyFrom) ctx.error(d, `fltsim constructs a static local object from constructor arguments only ('${declared.name}'): write 'static ${cls.name} ${declared.name}(…);'`);
      stmts.push({ k: 'decl', decls: [{ name: declared.name, type: t, storage, loc: ctx.loc(declared.node) }], loc });
      stmts.push(...staticLocalObject(s, ctx, cls, declared.name, args ?? [], d, loc));
      continue;
    }
    if (objects && storage === 'static') ctx.error(d, `fltsim does not run static local arrays of objects with constructors or destructors ('${declared.name}')`);
    stmts.push({ k: 'decl', decls: [{ name: declared.name, type: t, init: objects ? undefined : init, storage, loc: ctx.loc(declared.node) }], loc });
    if (objects && storage !== 'static') {
      // Constructed first to last where declared, destroyed last to first at every way out of the scope.
      const first: Expr = { k: 'cast', type: pointerTo(objects.cls.struct), arg: { k: 'id', name: declared.name, loc }, loc };
      const count: Expr = { k: 'num', value: objects.count, type: SIZE_T, loc };
      stmts.push({ k: 'expr', expr: constructArray(s, ctx, objects.cls, first, count, d), loc });
      const dtor = destroyArray(s, ctx, objects.cls, first, count, d);
      if (dtor) destroy.push({ k: 'expr', expr: dtor, loc: ctx.endLoc(node) });
    } else if (cls && storage !== 'static') {
      // An object initialised from a value of its own class (a copy without a copy constructor, a call's result) is not constructed again.
      const ctor = copyFrom ? copyConstruct(s, ctx, cls, self, copyFrom, loc) : init ? undefined : constructorCall(s, ctx, cls, self, args ?? [], d);
      if (ctor) stmts.push({ k: 'expr', expr: ctor, loc });
      const dtor = destroyCall(cls, self, loc);
      if (dtor) destroy.push({ k: 'expr', expr: dtor, loc: ctx.endLoc(node) });
    } else if (args && args.length > 0) {
      // `int x(5);`: direct initialisation of a scalar.
      stmts.push({ k: 'expr', expr: { k: 'assign', op: '=', left: { k: 'id', name: declared.name, loc }, right: ref ? addressOf(args[0]) : args[0], loc }, loc });
    }
  }
  return { stmts, destroy };
}

/** The arguments of `T x(a, b);` when the parser read it as a function declaration. */
export function constructorArguments(ctx: TranslateContext, d: SyntaxNode): SyntaxNode[] | undefined {
  if (d.type !== 'function_declarator') return undefined;
  const ps = (d.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p !== null && p.type !== 'comment');
  if (ps.length === 0) return undefined;
  const values = ps.map((p) => (p.type === 'parameter_declaration' && !p.childForFieldName('declarator') ? p.childForFieldName('type') : p));
  if (values.every((v) => v && (v.type === 'type_identifier' ? !ctx.scope.isTypeName(v.text) : !v.type.includes('declaration') || callWrittenAsParameter(ctx, v) !== undefined))) return values as SyntaxNode[];
  return undefined;
}

export function argumentExpr(s: CppState, ctx: TranslateContext, n: SyntaxNode): Expr {
  if (n.type === 'type_identifier') return identifier(s, ctx, n.text, n) ?? { k: 'id', name: n.text, loc: ctx.loc(n) };
  const call = callWrittenAsParameter(ctx, n);
  if (call) {
    const args = call.args.map((a): Expr => identifier(s, ctx, a.text, a) ?? { k: 'id', name: a.text, loc: ctx.loc(a) });
    return namedCall(s, ctx, call.callee, args, n);
  }
  return translateExpr(ctx, n);
}

/**
 * `String name(ns::GetName(data));` reads as a function declaration whose parameter is `data` of type
 * `ns::GetName`: when that "type" names no type, it is a call with the names in parentheses as its
 * arguments.
 */
function callWrittenAsParameter(ctx: TranslateContext, p: SyntaxNode): { callee: SyntaxNode; args: SyntaxNode[] } | undefined {
  if (p.type !== 'parameter_declaration') return undefined;
  const callee = p.childForFieldName('type');
  const d = p.childForFieldName('declarator');
  if (!callee || (callee.type !== 'type_identifier' && callee.type !== 'qualified_identifier') || ctx.scope.isTypeName(callee.text.replace(/\s+/g, ''))) return undefined;
  // `(data)` is read as an abstract function declarator whose parameters are the names' "types".
  const ps = d?.type === 'abstract_function_declarator' ? (d.childForFieldName('parameters')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') : undefined;
  const args = ps?.map((q) => (q.type === 'parameter_declaration' && !q.childForFieldName('declarator') ? q.childForFieldName('type') : null));
  if (!args || !args.every((a) => a?.type === 'type_identifier' && !ctx.scope.isTypeName(a.text))) return undefined;
  return { callee, args: args as SyntaxNode[] };
}
