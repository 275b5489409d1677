/**
 * Types declared inside a class: member typedefs and aliases (`typedef T value_type;`,
 * `using Ptr = T*;`) and nested classes (`class iterator`, named `Vector<int>::iterator`). Each is
 * recorded on its class, so `C::name`, `typename C<T>::name` and `typename T::name` (T bound to a
 * class) find it, and the class's member functions — also those written outside the class — see
 * it by its simple name.
 */
import type { SyntaxNode } from '../treeSitter';
import type { CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import type { Scope } from '../scope';
import type { CppClass } from './model';
import type { CppState } from './state';

/** `using Name = Type;`: the name and the whole type written (declarators included: `T*`). */
export function aliasType(ctx: TranslateContext, node: SyntaxNode): { name: string; type: CType } | undefined {
  const name = node.childForFieldName('name')?.text;
  const t = node.childForFieldName('type');
  if (!name || !t) return undefined;
  return { name, type: applyDeclarator(ctx, t.childForFieldName('declarator'), typeFromSpecifier(ctx, t.childForFieldName('type'))).type };
}

/** Records a member type of `cls` and makes it visible by its simple name in the class body being read. */
export function defineMemberType(ctx: TranslateContext, cls: CppClass, name: string, type: CType): void {
  cls.typedefs.set(name, type);
  ctx.scope.defineTypedef(name, type);
}

/** A member type of `cls` or of one of its bases. */
export function findMemberType(cls: CppClass, name: string): CType | undefined {
  return cls.typedefs.get(name) ?? cls.bases.map((b) => findMemberType(b, name)).find((t) => t !== undefined);
}

/** Makes the member types of `cls` (its bases' first) visible by their simple names in `scope`: a member function's body sees them. */
export function defineMemberTypes(cls: CppClass, scope: Scope): void {
  for (const b of cls.bases) defineMemberTypes(b, scope);
  for (const [name, type] of cls.typedefs) scope.defineTypedef(name, type);
}

/**
 * `C::name`, `C<int>::name`, `T::name` (T a template parameter bound to a class), `A::B::name`:
 * the member type the qualified name means, or undefined when its scope is no class (a namespace).
 */
export function qualifiedMemberType(s: CppState, ctx: TranslateContext, node: SyntaxNode, templateType: (n: SyntaxNode) => CType): CType | undefined {
  let scope = node.childForFieldName('scope');
  let name = node.childForFieldName('name');
  let cls = scope ? classOfScope(s, ctx, scope, templateType) : undefined;
  while (cls && name?.type === 'qualified_identifier') {
    scope = name.childForFieldName('scope');
    name = name.childForFieldName('name');
    cls = scope ? s.classOf(findMemberType(cls, scope.text)) : undefined;
  }
  if (!cls || !name) return undefined;
  return findMemberType(cls, name.text);
}

function classOfScope(s: CppState, ctx: TranslateContext, scope: SyntaxNode, templateType: (n: SyntaxNode) => CType): CppClass | undefined {
  if (scope.type === 'template_type') return s.classOf(templateType(scope));
  const name = scope.text.replace(/\s+/g, '');
  return s.classOf(ctx.scope.typedef(name)) ?? s.classNamed(name);
}
