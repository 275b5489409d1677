/**
 * C++ names of the driver's own functions. A function goes by its last name (`Init`) while that
 * name is unique in its file; when two definitions share it (`PreOps::OnCreate` and
 * `PostOps::OnCreate`), each goes by its qualified name — its enclosing namespaces and classes
 * and the qualification it is written with — so each is analysed, with its own roles.
 */
import { unqualified } from '../frontend/exprs';

/** `A::B::f` as written, without blanks and without a leading `::`. */
export function normalQualified(written: string): string {
  return written.replace(/\s+/g, '').replace(/^::/, '');
}

/**
 * A reference and a definition name the same function when one is a `::`-suffix of the other:
 * `Class::Method` written inside namespace `N` names `N::Class::Method`; a definition whose
 * enclosing scope could not be read (a macro opening a namespace) is still found by its full
 * reference.
 */
export function namesSameFunction(defined: string, ref: string): boolean {
  return defined === ref || defined.endsWith(`::${ref}`) || ref.endsWith(`::${defined}`);
}

/** The definitions among `candidates` a reference names, by their qualified names. */
export function resolveAmong<T>(ref: string, candidates: readonly T[], qualifiedOf: (c: T) => string): T | undefined {
  if (!ref.includes('::')) return candidates.length === 1 ? candidates[0] : undefined;
  const hits = candidates.filter((c) => namesSameFunction(qualifiedOf(c), ref));
  if (hits.length === 1) return hits[0];
  // `A::f` against `N::A::f` and `M::B::A::f`: the exact one wins, otherwise none.
  return hits.find((c) => qualifiedOf(c) === ref);
}

export { unqualified };
