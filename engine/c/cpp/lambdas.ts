/**
 * Lambda expressions, lowered as MSVC compiles them: a closure class whose members hold what the
 * lambda captured (a value copied where the lambda is written, or the address of a variable captured
 * by reference), with an `operator()` whose body is the lambda's. A lambda that captures nothing is
 * a plain function, and its value is that function's address: it converts to a function pointer as
 * C++ says it does, so it can be handed to a kernel routine as a callback, a thread start routine or
 * a compare routine. The closure's name (`<lambda_1>`) follows MSVC's, numbered per file.
 */
import type { Expr, FunctionDef, InitItem, Loc, Stmt, VarDecl } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { VOID, pointee, pointerTo, type CType, type FunctionType, type StructType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateStmt } from '../translate/statements';
import { needsDestructor } from './inheritance';
import { addressOf, AUTO } from './lowering';
import { CLOSURE, emptyClass, type CppClass, type CppFunction, type CppVariable } from './model';
import { identifier } from './names';
import { parameters } from './functions';
import { operatorCall } from './operators';
import { hiddenTemporary } from './hidden';
import type { CppState, FunctionState } from './state';
import { typeOfExpr } from './typer';

/** The closure member holding the `this` of the member function the lambda is written in. */
const OUTER_THIS = '<this>';

interface Capture {
  name: string;
  byRef: boolean;
  /** The value the member starts with, lowered where the lambda is written. */
  value: Expr;
  /** The captured object's type (the member's type for a copy; a reference member holds a pointer to it). */
  type: CType;
}

type Outcome = Expr | { refused: string };

/** The value of a lambda expression: the address of its function, or a closure object. */
export function lambdaExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  const out = lower(s, ctx, node, loc);
  return 'refused' in out ? { k: 'unsupported', what: out.refused, text: ctx.snippet(node), loc } : out;
}

/** `[&] { … }()`: a lambda called where it is written. */
export function immediateLambdaCall(s: CppState, ctx: TranslateContext, lambda: SyntaxNode, args: Expr[], loc: Loc): Expr {
  const value = lambdaExpression(s, ctx, lambda);
  if (value.k !== 'compound') return { k: 'call', callee: value, args, loc };
  // A closure object needs an address to be called on: it lives in a hidden local of the function.
  const tmp = hiddenTemporary(s, value.type, loc);
  const call = operatorCall(s, ctx, '()', [tmp, ...args], loc);
  if (!call) return { k: 'unsupported', what: 'a call of this lambda', text: ctx.snippet(lambda), loc };
  return { k: 'comma', left: { k: 'assign', op: '=', left: tmp, right: value, loc }, right: call, loc };
}

function lower(s: CppState, ctx: TranslateContext, node: SyntaxNode, loc: Loc): Outcome {
  const outer = s.fn;
  if (!outer) return { refused: 'a lambda outside a function (fltsim runs lambdas written in function bodies)' };
  const declarator = node.childForFieldName('declarator');
  const paramList = declarator?.childForFieldName('parameters') ?? null;
  const { params, refs } = parameters(s, ctx, paramList);
  if (params.some((p) => p.type === AUTO || (p.type.kind === 'ptr' && p.type.to === AUTO))) {
    return { refused: "generic lambdas ('auto' parameters): give each parameter its type" };
  }
  const captured = captures(s, ctx, node, new Set(params.map((p) => p.name).filter((n): n is string => n !== undefined)));
  if ('refused' in captured) return captured;
  const { list, outerThis } = captured;
  const name = `<lambda_${++s.lambdaCount}>`;
  const closure = list.length > 0 || outerThis ? closureClass(s, name, list, outerThis) : undefined;
  const ret = declaredReturn(s, ctx, declarator);
  const fnState: FunctionState = { cls: outerThis, refReturn: ret !== undefined && s.refTypes.has(ret), ret: ret ?? (returnsValue(node.childForFieldName('body')) ? AUTO : VOID), deduceReturn: ret === undefined, temps: [], hidden: [], locals: [new Map()] };
  const linkName = closure ? `${name}::operator ()` : name;
  const savedScope = ctx.scope;
  s.fn = fnState;
  ctx.scope = ctx.scope.child();
  let def: FunctionDef;
  try {
    const locals = fnState.locals[0];
    // Typed like any local, so expressions over the captures have types (`auto`, a deduced return).
    if (closure) locals.set(CLOSURE, { type: pointerTo(closure.struct), ref: false });
    for (const c of list) {
      ctx.scope.defineObject(c.name);
      locals.set(c.name, { type: c.byRef ? pointerTo(c.type) : c.type, ref: c.byRef, captured: true } satisfies CppVariable);
    }
    params.forEach((p, i) => {
      if (!p.name) return;
      ctx.scope.defineObject(p.name);
      locals.set(p.name, { type: p.type, ref: refs[i] === true });
    });
    if (closure && outerThis) {
      // The enclosing member function's `this`, so member names in the body mean the enclosing object's.
      const thisDecl: VarDecl = { name: 'this', type: pointerTo(outerThis.struct), init: { k: 'expr', expr: closureMember(OUTER_THIS, loc), loc }, loc };
      fnState.prologue = [{ k: 'decl', decls: [thisDecl], loc }];
    }
    const bodyNode = node.childForFieldName('body')!;
    const lowered = translateStmt(ctx, bodyNode);
    const body: Stmt & { k: 'block' } = lowered.k === 'block' ? lowered : { k: 'block', body: [lowered], loc: lowered.loc, endLoc: ctx.endLoc(bodyNode) };
    if (fnState.hidden.length > 0) body.body.unshift({ k: 'decl', decls: fnState.hidden, loc: body.loc });
    if (fnState.ret === AUTO) fnState.ret = VOID;
    const self = closure ? [{ name: CLOSURE, type: pointerTo(closure.struct) }] : [];
    const type: FunctionType = { kind: 'func', ret: fnState.ret, params: [...self, ...params], variadic: false };
    const defParams = type.params.map((p, i) => ({ name: p.name ?? `<param ${i + 1}>`, type: p.type, loc }));
    def = { name: linkName, type, params: defParams, body, static: true, loc, endLoc: ctx.endLoc(bodyNode) };
  } finally {
    s.fn = outer;
    ctx.scope = savedScope;
  }
  s.unit.functions.set(linkName, def);
  const f: CppFunction = { linkName, type: def.type, refParams: refs, rvalueParams: refs.map(() => false), refReturn: fnState.refReturn, defaults: refs.map(() => undefined), thisClass: closure, memberOf: closure, constThis: false, virtual: false, pure: false, defined: true, loc };
  s.functions.set(linkName, [f]);
  if (!closure) return { k: 'unary', op: '&', arg: { k: 'id', name: linkName, loc }, loc };
  closure.methods.set('operator ()', [f]);
  const items: InitItem[] = list.map((c) => ({ designators: [{ field: c.name }], value: { k: 'expr', expr: c.byRef ? addressOf(c.value) : c.value, loc } }));
  if (outerThis) items.push({ designators: [{ field: OUTER_THIS }], value: { k: 'expr', expr: { k: 'id', name: 'this', loc }, loc } });
  return { k: 'compound', type: closure.struct, init: { k: 'list', items, loc }, loc };
}

/** A member of the closure, read in the lambda's body. */
function closureMember(field: string, loc: Loc): Expr {
  return { k: 'member', object: { k: 'id', name: CLOSURE, loc }, field, arrow: true, loc };
}

function closureClass(s: CppState, name: string, list: Capture[], outerThis: CppClass | undefined): CppClass {
  const fields = list.map((c) => ({ name: c.name, type: c.byRef ? pointerTo(c.type) : c.type }));
  if (outerThis) fields.push({ name: OUTER_THIS, type: pointerTo(outerThis.struct) });
  const struct: StructType = { kind: 'struct', union: false, tag: name, fields };
  const cls = emptyClass(name, struct);
  for (const c of list) if (c.byRef) cls.refFields.add(c.name);
  s.classes.set(name, cls);
  return cls;
}

/** `-> T`, when written. */
function declaredReturn(s: CppState, ctx: TranslateContext, declarator: SyntaxNode | null): CType | undefined {
  const trailing = declarator?.namedChildren.find((c) => c?.type === 'trailing_return_type');
  const desc = trailing?.namedChildren.find((c) => c?.type === 'type_descriptor');
  if (!desc) return undefined;
  const base = typeFromSpecifier(ctx, desc.childForFieldName('type'));
  return applyDeclarator(ctx, desc.childForFieldName('declarator'), base).type;
}

/** Whether the body returns a value (its own `return`s, not those of a lambda inside it). */
function returnsValue(body: SyntaxNode | null): boolean {
  if (!body) return false;
  if (body.type === 'lambda_expression') return false;
  if (body.type === 'return_statement') return body.namedChildren.some((c) => c !== null && c.type !== 'comment');
  return body.namedChildren.some((c) => c !== null && returnsValue(c));
}

/** What the lambda captures: the names written, and for `[=]`/`[&]` the enclosing locals its body uses. */
function captures(s: CppState, ctx: TranslateContext, node: SyntaxNode, params: Set<string>): { list: Capture[]; outerThis: CppClass | undefined } | { refused: string } {
  const spec = node.childForFieldName('captures');
  const state = s.fn!;
  const list: Capture[] = [];
  let byDefault: 'value' | 'ref' | undefined;
  let outerThis: CppClass | undefined;
  const explicit = new Set<string>();
  const kids = spec?.children ?? [];
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (!c) continue;
    if (c.type === 'lambda_default_capture') byDefault = c.text.includes('&') ? 'ref' : 'value';
    else if (c.type === 'this') {
      if (!state.cls) return { refused: "'this' captured outside a member function" };
      outerThis = state.cls;
    } else if (c.type === 'identifier') {
      const byRef = kids[i - 1]?.type === '&';
      const one = captureOf(s, ctx, c.text, byRef, c);
      if ('refused' in one) return one;
      list.push(one);
      explicit.add(c.text);
    } else if (c.type === 'lambda_capture_initializer') {
      // `[n = expr]`: a member initialised from the expression (`[&r = x]` binds a reference to it).
      const left = c.childForFieldName('left');
      const right = c.childForFieldName('right');
      if (!left || !right) continue;
      const byRef = c.children.some((k) => k?.type === '&');
      const value = ctx.expr(right);
      const type = typeOfExpr(s.types, value);
      if (!type) return { refused: `a capture whose type fltsim cannot tell ('${ctx.snippet(c)}'): capture a local declared with its type` };
      list.push({ name: left.text, byRef, value, type });
      explicit.add(left.text);
    } else if (c.type === 'pointer_expression' || c.text === '*this') {
      return { refused: "'*this' captured by value (a copy of the enclosing object): capture 'this' instead" };
    }
  }
  if (byDefault) {
    // MSVC's [=] and [&] capture `this` too where the body may name the enclosing object's members.
    if (state.cls) outerThis ??= state.cls;
    for (const name of usedNames(node.childForFieldName('body'))) {
      if (explicit.has(name) || params.has(name) || !state.locals.some((m) => m.has(name)) || name.startsWith('new$')) continue;
      const one = captureOf(s, ctx, name, byDefault === 'ref', node);
      if ('refused' in one) return one;
      list.push(one);
      explicit.add(name);
    }
  }
  return { list, outerThis };
}

function captureOf(s: CppState, ctx: TranslateContext, name: string, byRef: boolean, at: SyntaxNode): Capture | { refused: string } {
  const v = s.variable(name);
  if (!v || !s.fn!.locals.some((m) => m.has(name))) {
    // A global or a function needs no capture; MSVC refuses to capture one, fltsim reads it directly.
    return { refused: `a capture of '${name}', which is not a local variable of the enclosing function` };
  }
  const type = v.ref ? pointee(v.type)! : v.type;
  const value = identifier(s, ctx, name, at) ?? { k: 'id', name, loc: ctx.loc(at) };
  if (!byRef && type.kind === 'array') return { refused: `an array captured by value ('${name}'): capture it by reference ([&${name}])` };
  const cls = s.classOf(type);
  if (!byRef && cls && (needsDestructor(cls) || cls.ctors.length > 0)) {
    return { refused: `an object of class ${cls.name} captured by value ('${name}'): capture it by reference ([&${name}])` };
  }
  return { name, byRef, value, type };
}

/** The identifiers a lambda body names (its own locals too: those are not enclosing locals unless shadowing). */
function usedNames(body: SyntaxNode | null): Set<string> {
  const out = new Set<string>();
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'identifier') out.add(n.text);
    for (const c of n.namedChildren) if (c) walk(c);
  };
  if (body) walk(body);
  return out;
}
