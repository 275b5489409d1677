/**
 * Range-based `for`: `for (auto& f : Driver->MajorFunction)` over an array, and over an object whose
 * class has `begin()` and `end()` member functions (returning pointers, or iterator objects with
 * `!=`, prefix `++` and unary `*`). It becomes the loop C++ defines: the range evaluated once,
 * hidden begin and end iterators, and the loop variable declared in each round from `*it` (a
 * reference holds its address, so writing through it writes the element).
 */
import type { Expr, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { pointerTo, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateExpr } from '../translate/expressions';
import { translateStmt } from '../translate/statements';
import { deduceAuto, isAuto } from './autoType';
import { findMethods, memberCall, needsConstruction, needsDestructor } from './inheritance';
import { addressOf } from './lowering';
import { hiddenTemporary } from './hidden';
import { operatorCall } from './operators';
import { choose } from './overloads';
import type { CppState } from './state';
import { typeOfExpr } from './typer';

export function rangeFor(s: CppState, ctx: TranslateContext, node: SyntaxNode): Stmt {
  const loc = ctx.loc(node);
  const refuse = (what: string): Stmt => ({ k: 'unsupported', what, text: ctx.snippet(node), loc });
  if (!s.fn) return refuse('a range-based for outside a function');
  if (node.childForFieldName('initializer')) return refuse('a range-based for with an init-statement (C++20)');
  const rightNode = node.childForFieldName('right');
  const declNode = node.childForFieldName('declarator');
  const bodyNode = node.childForFieldName('body');
  if (!rightNode || !declNode || !bodyNode) return refuse('this range-based for');
  if (rightNode.type === 'initializer_list') return refuse('a range-based for over a brace list (declare the array first)');
  const range = translateExpr(ctx, rightNode);
  const rangeType = typeOfExpr(s.types, range);
  const iter = rangeType?.kind === 'array' ? arrayIterators(s, range, rangeType, loc) : classIterators(s, ctx, range, rangeType, rightNode);
  if (typeof iter === 'string') return refuse(iter);
  const { setup, begin, end } = iter;
  const cursorPointer = begin.type.kind === 'ptr';
  const cursor = hiddenTemporary(s, begin.type, loc);
  const last = hiddenTemporary(s, begin.type, loc);
  const test = cursorPointer ? ({ k: 'binary', op: '!=', left: cursor, right: last, loc } as Expr) : operatorCall(s, ctx, '!=', [cursor, last], loc);
  const step = cursorPointer ? ({ k: 'unary', op: '++x', arg: cursor, loc } as Expr) : operatorCall(s, ctx, '++', [cursor], loc);
  const element = cursorPointer ? ({ k: 'unary', op: '*', arg: cursor, loc } as Expr) : operatorCall(s, ctx, '*', [cursor], loc);
  if (!test || !step || !element) return refuse(`a range-based for whose iterator (${begin.type.kind === 'struct' ? begin.type.tag : 'its type'}) has no operator !=, prefix ++ or unary *`);
  const elementType = typeOfExpr(s.types, element);
  if (!elementType) return refuse('a range-based for whose element type fltsim cannot tell');

  // The loop variable lives in each round's scope, as C++ declares it inside the loop body.
  const outer = ctx.scope;
  ctx.scope = outer.child();
  s.fn.locals.push(new Map());
  try {
    const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
    const declared = applyDeclarator(ctx, declNode, base);
    if (!declared.name) return refuse('a range-based for whose loop variable fltsim cannot read');
    let t = declared.type;
    const ref = s.refTypes.has(t);
    if (isAuto(t)) t = deduceAuto(s, ctx, declNode, t, { k: 'expr', expr: { k: 'cast', type: elementType, arg: element, loc }, loc }, ref);
    const cls = ref ? undefined : s.classOf(t);
    if (cls && (cls.ctors.length > 0 || needsConstruction(cls) || needsDestructor(cls))) {
      return refuse(`a range-based for that copies objects of class ${cls.name} into its loop variable (write 'const auto&')`);
    }
    ctx.scope.defineObject(declared.name);
    s.fn.locals[s.fn.locals.length - 1].set(declared.name, { type: t, ref });
    const varLoc = ctx.loc(declNode);
    const decl: Stmt = { k: 'decl', decls: [{ name: declared.name, type: t, init: { k: 'expr', expr: ref ? addressOf(element) : element, loc: varLoc }, storage: undefined, loc: varLoc }], loc: varLoc };
    const body = translateStmt(ctx, bodyNode);
    const assign = (left: Expr, right: Expr): Stmt => ({ k: 'expr', expr: { k: 'assign', op: '=', left, right, loc }, loc });
    return {
      k: 'block',
      body: [
        ...setup,
        assign(cursor, begin.expr),
        assign(last, end),
        { k: 'for', test, update: step, body: { k: 'block', body: [decl, body], loc: ctx.loc(bodyNode), endLoc: ctx.endLoc(bodyNode) }, loc },
      ],
      loc,
      endLoc: ctx.endLoc(node),
    };
  } finally {
    ctx.scope = outer;
    s.fn.locals.pop();
  }
}

interface Iterators {
  /** Statements that evaluate the range once. */
  setup: Stmt[];
  begin: { expr: Expr; type: CType };
  end: Expr;
}

/** Over an array: a pointer to its first element and one past its last. */
function arrayIterators(s: CppState, range: Expr, t: CType & { kind: 'array' }, loc: Expr['loc']): Iterators | string {
  if (t.length === undefined) return 'a range-based for over an array of unknown length';
  const ptr = pointerTo(t.of);
  const first = hiddenTemporary(s, ptr, loc);
  const setup: Stmt[] = [{ k: 'expr', expr: { k: 'assign', op: '=', left: first, right: { k: 'unary', op: '&', arg: { k: 'index', array: range, index: { k: 'num', value: 0, type: { kind: 'int', size: 4, signed: true, name: 'int' }, loc }, loc }, loc }, loc }, loc }];
  const end: Expr = { k: 'binary', op: '+', left: first, right: { k: 'num', value: t.length, type: { kind: 'int', size: 8, signed: false, name: 'unsigned long long' }, loc }, loc };
  return { setup, begin: { expr: first, type: ptr }, end };
}

/** Over an object: its class's `begin()` and `end()`, called once on the object (held by its address). */
function classIterators(s: CppState, ctx: TranslateContext, range: Expr, t: CType | undefined, at: SyntaxNode): Iterators | string {
  const cls = s.classOf(t);
  if (!cls && t?.kind === 'struct') return `a range-based for over an object of struct ${t.tag}, which has no begin() and end() member functions`;
  if (!cls) return `a range-based for over '${ctx.snippet(at)}', which is neither an array of known length nor an object of a class fltsim knows`;
  const begins = findMethods(cls, 'begin');
  const ends = findMethods(cls, 'end');
  const b = begins && choose(s, begins.filter((f) => f.thisClass), [], false);
  const e = ends && choose(s, ends.filter((f) => f.thisClass), [], false);
  if (!b || !e) return `a range-based for over an object of class ${cls.name}, which has no begin() and end() member functions (free begin()/end() are not looked up)`;
  if (b.refReturn || b.type.ret.kind === 'void') return `a range-based for whose ${cls.name}::begin() returns a reference`;
  const loc = range.loc;
  const holder = hiddenTemporary(s, pointerTo(cls.struct), loc);
  const setup: Stmt[] = [{ k: 'expr', expr: { k: 'assign', op: '=', left: holder, right: addressOf(range), loc }, loc }];
  return { setup, begin: { expr: memberCall(cls, b, holder, [], loc), type: b.type.ret }, end: memberCall(cls, e, holder, [], loc) };
}
