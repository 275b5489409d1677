/**
 * Template parameters and arguments of class templates: a type (`typename T`) or a constant — a
 * non-type parameter (`ULONG Tag`, `size_t N`, `POOL_TYPE Pool`, and MSVC's looser
 * `typename ULONG Tag`) — with the defaults written after `=`. Inside an instance a type parameter
 * names its type and a non-type parameter is the constant it was given.
 */
import type { SyntaxNode } from '../treeSitter';
import { typeName, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { constantValue } from '../translate/constant';
import { translateExpr } from '../translate/expressions';

/** A type, or the value of a non-type parameter. */
export type TemplateArgument = CType | number;

export interface TemplateParameters {
  names: string[];
  /** Per parameter: a non-type parameter (a constant) rather than a type. */
  values: boolean[];
  /** Per parameter: its default argument as written. */
  defaults: (SyntaxNode | undefined)[];
}

/** The parameters of a template_parameter_list; a message naming one fltsim does not take. */
export function templateParameters(ctx: TranslateContext, params: SyntaxNode[]): TemplateParameters | string {
  const out: TemplateParameters = { names: [], values: [], defaults: [] };
  for (const p of params) {
    if (p.type === 'comment') continue;
    if (p.type === 'type_parameter_declaration' || p.type === 'optional_type_parameter_declaration') {
      out.names.push(p.namedChildren.find((c) => c?.type === 'type_identifier')?.text ?? '');
      out.values.push(false);
      out.defaults.push(p.childForFieldName('default_type') ?? undefined);
    } else if (p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration') {
      const name = applyDeclarator(ctx, p.childForFieldName('declarator'), typeFromSpecifier(ctx, p.childForFieldName('type'))).name;
      if (!name) return `a template parameter without a name ('${ctx.snippet(p)}')`;
      out.names.push(name);
      out.values.push(true);
      out.defaults.push(p.childForFieldName('default_value') ?? undefined);
    } else {
      return `this kind of template parameter ('${ctx.snippet(p)}'): fltsim runs type and constant parameters`;
    }
  }
  return out;
}

/** The arguments written for `params` (defaults filled in), or a message naming the one fltsim cannot read. */
export function readArguments(ctx: TranslateContext, params: TemplateParameters, written: SyntaxNode[]): TemplateArgument[] | string {
  if (written.length > params.names.length) return `${written.length} template arguments for ${params.names.length} parameters`;
  const out: TemplateArgument[] = [];
  for (let i = 0; i < params.names.length; i++) {
    const node = written[i] ?? params.defaults[i];
    if (!node) return `no argument for template parameter '${params.names[i]}'`;
    const a = params.values[i] ? constantArgument(ctx, node) : typeArgument(ctx, node);
    if (a === undefined) return `template argument '${ctx.snippet(node)}' for '${params.names[i]}': fltsim reads ${params.values[i] ? 'a constant expression' : 'a type'} there`;
    out.push(a);
  }
  return out;
}

function typeArgument(ctx: TranslateContext, node: SyntaxNode): CType | undefined {
  if (node.type === 'type_descriptor') return applyDeclarator(ctx, node.childForFieldName('declarator'), typeFromSpecifier(ctx, node.childForFieldName('type'))).type;
  return undefined;
}

function constantArgument(ctx: TranslateContext, node: SyntaxNode): number | undefined {
  // A name (an enumerator, a constant, an enclosing template's constant parameter) is read by the parser as a type.
  if (node.type === 'type_descriptor') return ctx.scope.enumConstant(node.text.replace(/\s+/g, ''));
  return constantValue(ctx, translateExpr(ctx, node));
}

/** Binds the parameters in the current scope: a type as a typedef, a constant as an enumerator. */
export function bindArguments(ctx: TranslateContext, names: string[], args: readonly TemplateArgument[]): void {
  names.forEach((p, i) => {
    const a = args[i];
    if (typeof a === 'number') ctx.scope.defineEnumConstant(p, a);
    else if (a) ctx.scope.defineTypedef(p, a);
  });
}

/** How an argument reads in an instance's name (`Buffer<unsigned long, 16>`). */
export function argumentName(a: TemplateArgument): string {
  return typeof a === 'number' ? String(a) : typeName(a);
}
