/**
 * Declarations at file or namespace scope that are not functions: globals (qualified by their
 * namespace, references stored as pointers), `const` integers usable as constant expressions, and
 * global objects whose constructors a kernel driver never runs.
 */
import type { Expr, VarDecl } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import type { CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateInitializer } from '../translate/expressions';
import { storageOf } from '../translate/statements';
import { constantValue } from '../translate/constant';
import { declareFunction, isFunctionDeclarator } from './functions';
import { addressOf, sizedByInitializer } from './lowering';
import { needsConstruction, needsDestructor } from './inheritance';
import { deduceAuto, isAuto } from './autoType';
import type { CppState } from './state';

export function globalDeclaration(s: CppState, ctx: TranslateContext, node: SyntaxNode): void {
  const typeNode = node.childForFieldName('type');
  const base = typeFromSpecifier(ctx, typeNode);
  const written = storageOf(node);
  const inline = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'inline');
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d) continue;
    if (isFunctionDeclarator(d)) {
      declareFunction(s, ctx, node, d, base, false);
      continue;
    }
    const declared = applyDeclarator(ctx, d, base);
    if (!declared.name) continue;
    if (declared.type.kind === 'func') {
      // `DRIVER_INITIALIZE DriverEntry;`: a function declared through a function typedef.
      const fname = s.externC > 0 ? declared.name : s.qualify(declared.name);
      if (!s.unit.prototypes.has(fname)) s.unit.prototypes.set(fname, { name: fname, type: declared.type, loc: ctx.loc(declared.node ?? d), ...(written === 'static' ? { static: true } : {}) });
      continue;
    }
    const valueNode = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    const member = declared.name.includes('::') ? memberGlobal(s, declared.name) : undefined;
    // In C++ a const object at namespace scope is internal to its file unless declared extern or inline (a class's static member is not).
    const storage = written === undefined && !inline && !member && valueNode && isConstObject(node, d) ? 'static' : written;
    const name = member ?? (declared.name.includes('::') ? declared.name.replace(/^::/, '') : s.qualify(declared.name));
    const ref = s.refTypes.has(declared.type);
    let init = valueNode && valueNode.type !== 'argument_list' ? translateInitializer(ctx, valueNode) : undefined;
    if (ref && init?.k === 'expr') init = { k: 'expr', expr: addressOf(init.expr), loc: init.loc };
    const cls = s.classOf(declared.type);
    // `extern inline T x = T();` defines x (an inline variable); only a plain `extern T x;` declares one defined elsewhere.
    if (cls && (needsConstruction(cls) || needsDestructor(cls)) && (storage !== 'extern' || valueNode)) {
      // A kernel driver has no C runtime to run global constructors (docs/interpreter.md, "C++").
      ctx.warn(d, `the constructor and destructor of global '${name}' (class ${cls.name}) never run: a kernel driver has no C runtime to call them, so '${name}' starts zeroed; initialise it from DriverEntry`);
      init = undefined;
    }
    let type = sizedByInitializer(declared.type, init);
    // `static const auto Path = L"…";` at namespace scope: the initializer's type.
    if (isAuto(type)) type = deduceAuto(s, ctx, d, type, init, ref);
    s.globals.set(name, { type, ref });
    ctx.scope.setObjectType(declared.name, type);
    if (init?.k === 'expr' && isConstant(s, ctx, node, type, init.expr, name)) ctx.scope.defineEnumConstant(declared.name, constantValue(ctx, init.expr)!);
    const decl: VarDecl = { name, type, init, storage, loc: ctx.loc(declared.node ?? d), ...(inline ? { inline: true } : {}) };
    const i = s.unit.globals.findIndex((g) => g.name === name);
    if (i >= 0) {
      if (storage === 'extern') continue;
      if (s.unit.globals[i].init && init) {
        ctx.error(node, `'${name}' is defined twice`);
        continue;
      }
      s.unit.globals[i] = decl;
    } else {
      s.unit.globals.push(decl);
    }
  }
}

/** A `const`/`constexpr` integer with a constant initializer: usable where C wants a constant. */
export function isConstant(s: CppState, ctx: TranslateContext, node: SyntaxNode, t: CType, init: Expr, name: string): boolean {
  if (t.kind !== 'int' || !node.children.some((c) => c?.type === 'type_qualifier' && (c.text === 'const' || c.text === 'constexpr'))) return false;
  const value = constantValue(ctx, init);
  if (value === undefined) return false;
  s.constants.add(name);
  // Read by its qualified name too (`cfg::Depth`, or `Depth` inside `cfg`): an object that is also a constant.
  if (name.includes('::')) ctx.scope.defineEnumConstant(name, value);
  return true;
}

/** The declared object itself is const (`const T x`, `T *const p`), not only what a pointer points to. */
function isConstObject(node: SyntaxNode, d: SyntaxNode): boolean {
  const constant = (n: SyntaxNode) => n.children.some((c) => c?.type === 'type_qualifier' && (c.text === 'const' || c.text === 'constexpr'));
  const inner = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
  if (inner?.type === 'pointer_declarator') return constant(inner);
  return constant(node);
}

/** `C::member` defined outside its class (in C's namespace or with its full name): the global the class declared for it. */
function memberGlobal(s: CppState, written: string): string | undefined {
  const parts = written.replace(/^::/, '').split('::');
  const cls = s.classNamed(parts.slice(0, -1).join('::'));
  return cls?.statics.get(parts[parts.length - 1]);
}
