/**
 * Calls in C++ expressions: of member functions through an object (virtually when they are virtual),
 * of overloaded and namespace-qualified functions, of function templates' instances, of function
 * objects (`operator()`), C++ casts written as calls, temporaries written `T(args)`, and kernel
 * routines given class objects (their conversion operators make the arguments).
 */
import type { Expr } from '../ast';
import type { CType } from '../types';
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateExpr } from '../translate/expressions';
import { addressOf, callFunction } from './lowering';
import { findMethods, isBaseOf, memberCall } from './inheritance';
import type { CppClass, CppFunction, FunctionTemplate } from './model';
import { explicitArguments, instanceFor, lookupFunctionTemplate } from './functionTemplates';
import { lookupFunctions } from './names';
import { immediateLambdaCall } from './lambdas';
import { operatorCall } from './operators';
import { arrowObject, choose, classOfObject, completeArgs, conversions, convert } from './overloads';
import type { CppState } from './state';
import { qualifiedMemberType } from './memberTypes';
import { templateType } from './templates';
import { materialize, objectAddress, temporaryObject } from './temporaries';

export function callExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr | undefined {
  const loc = ctx.loc(node);
  const fnNode = node.childForFieldName('function')!;
  const argNodes = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
  if (fnNode.type === 'template_function') {
    const which = fnNode.childForFieldName('name')?.text;
    const targ = fnNode.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'type_descriptor');
    if ((which === 'static_cast' || which === 'reinterpret_cast' || which === 'const_cast') && targ && argNodes.length === 1) {
      const base = typeFromSpecifier(ctx, targ.childForFieldName('type'));
      const t = applyDeclarator(ctx, targ.childForFieldName('declarator'), base).type;
      const arg = translateExpr(ctx, argNodes[0]);
      return s.refTypes.has(t) ? { k: 'unary', op: '*', arg: { k: 'cast', type: t, arg: addressOf(arg), loc }, loc } : { k: 'cast', type: t, arg, loc };
    }
    if (which === 'dynamic_cast') return { k: 'unsupported', what: 'dynamic_cast (kernel code has no RTTI)', text: ctx.snippet(node), loc };
    // `String<WCHAR>(L"x")`: a temporary of a class template's instance.
    if (which && s.templates.has(which) && !lookupFunctionTemplate(s, which)) {
      const cls = s.classOf(templateType(s, ctx, fnNode));
      if (cls) return temporaryObject(s, ctx, cls, argNodes.map((a) => translateExpr(ctx, a)), node);
    }
    // `Max<ULONG>(a, b)`: a function template with its arguments written.
    const tpl = which ? lookupFunctionTemplate(s, which) ?? (s.fn?.cls ? s.fn.cls.memberTemplates.get(which) : undefined) : undefined;
    if (!tpl) return undefined;
    return templateCall(s, ctx, tpl, explicitArguments(ctx, fnNode.childForFieldName('arguments')), argNodes.map((a) => translateExpr(ctx, a)), tpl.owner ? { k: 'id', name: 'this', loc } : undefined, node);
  }
  const args = () => argNodes.map((a) => translateExpr(ctx, a));
  if (fnNode.type === 'lambda_expression') return immediateLambdaCall(s, ctx, fnNode, args(), loc);
  if (fnNode.type === 'field_expression') {
    const arrow = fnNode.childForFieldName('operator')?.type === '->';
    const object = arrowObject(s, translateExpr(ctx, fnNode.childForFieldName('argument')!), arrow);
    const cls = classOfObject(s, object, arrow);
    const method = fnNode.childForFieldName('field')!.text.replace(/\s+/g, '');
    // `obj.Base::F()` names the function of that base, called without going through the vtable.
    const qualified = method.includes('::');
    const list = cls ? findMethods(qualified ? s.classNamed(method.split('::').slice(0, -1).join('::')) ?? cls : cls, method.startsWith('~') ? '~' : method.split('::').pop()!) : undefined;
    const memberTemplate = cls && !list ? cls.memberTemplates.get(method) : undefined;
    if (cls && memberTemplate) return templateCall(s, ctx, memberTemplate, [], args(), arrow ? object : addressOf(object), node, cls);
    if (!cls || !list) return undefined; // a function pointer member, or C
    const a = args();
    const f = choose(s, list, a, false);
    if (!f) return { k: 'unsupported', what: `a call of ${cls.name}::${method} with ${a.length} arguments (no overload takes them)`, text: ctx.snippet(node), loc };
    const self = arrow ? object : objectAddress(s, object);
    return f.thisClass ? memberCall(cls, f, self, completeArgs(s, ctx, f, a), loc, qualified) : callFunction(f, completeArgs(s, ctx, f, a), loc);
  }
  let candidates: CppFunction[] | undefined;
  let implicitThis = false;
  const name = fnNode.text.replace(/\s+/g, '');
  if (fnNode.type === 'identifier' || fnNode.type === 'qualified_identifier') {
    const state = s.fn;
    const isLocal = state?.locals.some((m) => m.has(name));
    // `f(x)` on an object of a class with operator(): a function object.
    const object = s.classOf(s.variable(name)?.type)?.methods.has('operator ()') ? translateExpr(ctx, fnNode) : undefined;
    if (object) {
      const call = operatorCall(s, ctx, '()', [object, ...args()], loc);
      if (call) return call;
    }
    if (!isLocal && state?.cls && fnNode.type === 'identifier') {
      const m = findMethods(state.cls, name);
      if (m) {
        candidates = m;
        implicitThis = true;
      }
    }
    if (!candidates && !isLocal) candidates = lookupFunctions(s, name);
    if (!candidates && !isLocal) {
      const tpl = (fnNode.type === 'identifier' && state?.cls ? state.cls.memberTemplates.get(name) : undefined) ?? lookupFunctionTemplate(s, name);
      if (tpl) return templateCall(s, ctx, tpl, [], args(), tpl.owner ? { k: 'id', name: 'this', loc } : undefined, node);
    }
    // `Base::F()` inside a member function of a class derived from Base: on this object, not virtually.
    if (candidates && !implicitThis && fnNode.type === 'qualified_identifier' && state?.cls) {
      const owner = candidates[0]?.thisClass;
      if (owner && (owner === state.cls || isBaseOf(owner, state.cls))) implicitThis = true;
    }
    if (!candidates && !isLocal) {
      // `Foo(x)`, `Outer::Inner(p)`: a temporary object.
      const cls = s.classNamed(name) ?? s.classOf(ctx.scope.typedef(name)) ?? (fnNode.type === 'qualified_identifier' ? s.classOf(qualifiedMemberType(s, ctx, fnNode, (n) => templateType(s, ctx, n))) : undefined);
      if (cls) return temporaryObject(s, ctx, cls, args(), node);
    }
  }
  if (!candidates) {
    // A C function (a kernel routine) given a class object: its conversion operator makes the argument.
    const pending = s.fn?.temps.length;
    const a = args();
    if (!a.some((x) => conversions(s, x).length > 0)) {
      // The C path translates the arguments again: the temporaries made here are not the ones it uses.
      if (s.fn && pending !== undefined) s.fn.temps.length = pending;
      return undefined;
    }
    const ft = s.functionTypeOf(name);
    const ps = ft?.kind === 'func' ? ft.params : [];
    return { k: 'call', callee: translateExpr(ctx, fnNode), args: a.map((x, i) => convert(s, x, ps[i]?.type)), loc };
  }
  const a = args();
  const f = choose(s, candidates, a, false);
  if (!f) return { k: 'unsupported', what: `a call of '${name}' with ${a.length} arguments (no overload takes them)`, text: ctx.snippet(node), loc };
  const rest = completeArgs(s, ctx, f, a);
  if (f.thisClass) {
    if (!implicitThis) return { k: 'unsupported', what: `a call of member function '${f.linkName}' without an object`, text: ctx.snippet(node), loc };
    return memberCall(s.fn!.cls!, f, { k: 'id', name: 'this', loc }, rest, loc, fnNode.type === 'qualified_identifier');
  }
  return callFunction(f, rest, loc);
}

/** A call of the function `callee` names (written where the parser saw a type), with arguments already lowered. */
export function namedCall(s: CppState, ctx: TranslateContext, callee: SyntaxNode, args: Expr[], at: SyntaxNode): Expr {
  const loc = ctx.loc(at);
  const name = callee.text.replace(/\s+/g, '');
  const candidates = lookupFunctions(s, name);
  const f = candidates ? choose(s, candidates, args, false) : undefined;
  if (!f) return { k: 'call', callee: { k: 'id', name: name.replace(/^::/, ''), loc }, args, loc };
  if (f.thisClass) return { k: 'unsupported', what: `a call of member function '${f.linkName}' without an object`, text: ctx.snippet(at), loc };
  return materialize(s, callFunction(f, completeArgs(s, ctx, f, args), loc));
}

/** A call of a function template's instance (made on first use); `self` for a member template. */
function templateCall(s: CppState, ctx: TranslateContext, tpl: FunctionTemplate, explicit: (CType | undefined)[], a: Expr[], self: Expr | undefined, node: SyntaxNode, cls?: CppClass): Expr {
  const loc = ctx.loc(node);
  const f = instanceFor(s, ctx, tpl, explicit, a);
  if (typeof f === 'string') return { k: 'unsupported', what: f, text: ctx.snippet(node), loc };
  const rest = completeArgs(s, ctx, f, a);
  if (!f.thisClass) return callFunction(f, rest, loc);
  if (!self) return { k: 'unsupported', what: `a call of member function template '${f.linkName}' without an object`, text: ctx.snippet(node), loc };
  return memberCall(cls ?? s.fn?.cls ?? f.thisClass, f, self, rest, loc);
}
