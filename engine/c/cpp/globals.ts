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
import type { CppState } from './state';

export function globalDeclaration(s: CppState, ctx: TranslateContext, node: SyntaxNode): void {
  const typeNode = node.childForFieldName('type');
  const base = typeFromSpecifier(ctx, typeNode);
  const storage = storageOf(node);
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
      if (!s.unit.prototypes.has(fname)) s.unit.prototypes.set(fname, { name: fname, type: declared.type, loc: ctx.loc(declared.node ?? d), ...(storage === 'static' ? { static: true } : {}) });
      continue;
    }
    const valueNode = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    const name = declared.name.includes('::') ? declared.name.replace(/^::/, '') : s.qualify(declared.name);
    const ref = s.refTypes.has(declared.type);
    let init = valueNode && valueNode.type !== 'argument_list' ? translateInitializer(ctx, valueNode) : undefined;
    if (ref && init?.k === 'expr') init = { k: 'expr', expr: addressOf(init.expr), loc: init.loc };
    const cls = s.classOf(declared.type);
    if (cls && (cls.ctors.length > 0 || cls.dtor || cls.fieldInits.length > 0) && storage !== 'extern') {
      // A kernel driver has no C runtime to run global constructors (docs/interpreter.md, "C++").
      ctx.warn(d, `the constructor and destructor of global '${name}' (class ${cls.name}) never run: a kernel driver has no C runtime to call them, so '${name}' starts zeroed; initialise it from DriverEntry`);
      init = undefined;
    }
    const type = sizedByInitializer(declared.type, init);
    s.globals.set(name, { type, ref });
    if (init?.k === 'expr' && isConstant(s, ctx, node, type, init.expr, name)) ctx.scope.defineEnumConstant(declared.name, constantValue(ctx, init.expr)!);
    const decl: VarDecl = { name, type, init, storage, loc: ctx.loc(declared.node ?? d) };
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
  if (constantValue(ctx, init) === undefined) return false;
  s.constants.add(name);
  return true;
}
