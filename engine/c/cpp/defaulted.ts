/**
 * `= default` and `= delete` on special member functions. A defaulted default constructor or
 * destructor does what the implicit one does, so it is defined with an empty body (the member
 * initializers, member objects and bases still run around it, and a `virtual ~T() = default;` keeps
 * its vtable slot). A defaulted copy or move constructor or assignment, and any deleted function,
 * are left undeclared: the implicit copy (engine/c/cpp/copies.ts) is what C++ runs for the first,
 * and a program that compiles never calls the second.
 */
import type { SyntaxNode } from '../treeSitter';
import { functionDeclaratorOf } from './functions';

export type Defaulted = 'empty-body' | 'implicit';

/** What to do with a function definition written `= default` / `= delete`; undefined for any other definition. */
export function defaultedKind(node: SyntaxNode): Defaulted | undefined {
  const clause = node.namedChildren.find((c) => c?.type === 'default_method_clause' || c?.type === 'delete_method_clause');
  if (!clause) return undefined;
  if (clause.type === 'delete_method_clause') return 'implicit';
  const d = node.childForFieldName('declarator');
  const fd = d ? functionDeclaratorOf(d) : undefined;
  const name = fd?.childForFieldName('declarator')?.text.replace(/\s+/g, '') ?? '';
  const params = (fd?.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p !== null && p.type !== 'comment');
  // A constructor or destructor without parameters; anything else defaulted is a copy or move (or `operator=`).
  return params.length === 0 && !/operator/.test(name) ? 'empty-body' : 'implicit';
}
