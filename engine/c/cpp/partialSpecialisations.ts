/**
 * Partial specialisations of class templates whose arguments are the specialisation's parameters as
 * written, or a pointer or reference to one (`template<class T> struct remove_reference<T&>`, `<T&&>`,
 * `<T*>`): the forms a driver's own small standard library (move semantics, pointer traits) needs.
 * An instance whose arguments match one is made from its body, as C++ chooses it; any other shape is
 * refused at its line, since making the instance from the primary template would run the wrong code.
 */
import type { SyntaxNode } from '../treeSitter';
import { pointee, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import type { PartialSpecialisation } from './model';
import type { CppState } from './state';
import type { TemplateArgument } from './templateArguments';

type Shape = PartialSpecialisation['patterns'][number]['shape'];

/** The patterns of `C<T&, U>` under `template<class T, class U>`; a message when the shape is not one fltsim chooses. */
export function readPartial(ctx: TranslateContext, params: SyntaxNode[], nameNode: SyntaxNode, body: SyntaxNode): PartialSpecialisation | string {
  const names = params.filter((p) => p.type === 'type_parameter_declaration').map((p) => p.namedChildren.find((c) => c?.type === 'type_identifier')?.text ?? '');
  if (names.length !== params.filter((p) => p.type !== 'comment').length) return 'a partial specialisation with a parameter that is not a type';
  const patterns: PartialSpecialisation['patterns'] = [];
  for (const a of nameNode.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    const type = a.childForFieldName('type');
    const d = a.childForFieldName('declarator');
    if (a.type !== 'type_descriptor' || type?.type !== 'type_identifier' || !names.includes(type.text)) return `the argument '${a.text}'`;
    let shape: Shape = 'plain';
    if (d?.type === 'abstract_reference_declarator') shape = d.children.some((c) => c?.type === '&&') ? 'rvalue' : 'lvalue';
    else if (d?.type === 'abstract_pointer_declarator' && d.namedChildren.length === 0) shape = 'pointer';
    else if (d) return `the argument '${a.text}'`;
    patterns.push({ param: type.text, shape });
  }
  if (!names.every((n) => patterns.some((p) => p.param === n))) return 'a parameter its arguments do not use';
  return { params: names, patterns, node: body };
}

/** The specialisation's parameters bound from `args`, or undefined when the arguments do not match its patterns. */
export function matchPartial(s: CppState, partial: PartialSpecialisation, args: readonly TemplateArgument[]): CType[] | undefined {
  if (args.length !== partial.patterns.length) return undefined;
  const bound = new Map<string, CType>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'number') return undefined;
    const { param, shape } = partial.patterns[i];
    const isRef = s.refTypes.has(a);
    const isRvalue = s.rvalueTypes.has(a);
    let t: CType | undefined;
    if (shape === 'plain') t = a;
    else if (shape === 'lvalue') t = isRef && !isRvalue ? pointee(a) : undefined;
    else if (shape === 'rvalue') t = isRvalue ? pointee(a) : undefined;
    else t = a.kind === 'ptr' && !isRef ? a.to : undefined;
    if (!t) return undefined;
    const earlier = bound.get(param);
    if (earlier && earlier !== t) return undefined;
    bound.set(param, t);
  }
  return partial.params.map((p) => bound.get(p)!);
}
