/**
 * Which of the file's definitions a call in a function body names, when C++ methods of different
 * classes share the called name (`PreOps::OnCreate`, `PostOps::OnCreate`: each goes by its
 * qualified name, qualifiedNames.ts). The call says which through what precedes the name:
 *   `Class::Method(…)`            the written qualification, read from the caller's scopes outward;
 *   `this->Method(…)`, `Method(…)` inside a method: the caller's own class first;
 *   `obj.Method(…)`, `p->Method(…)`: the class `obj`/`p` is declared with in the caller (a local or
 *                                    a parameter, `Class obj`, `Class *p`, `Class &r`).
 * A call none of these decides stays unresolved, as before: an unknown function, never a guess.
 */
import type { TextCall } from './textScan';
import { trailingIdentifier } from './textScan';
import { resolveAmong } from './qualifiedNames';

interface Named {
  name: string;
  qualified: string;
}

/** The key (`name` of the definition) the call names, or the called name itself when no definition is picked. */
export function callTarget<T extends Named>(caller: Named & { text: string }, call: TextCall, among: readonly T[] | undefined): string {
  if (!among || among.length < 2) return call.name;
  const scopes = enclosingScopes(caller.qualified);
  const before = caller.text.slice(0, call.offset).trimEnd();
  let ref: string;
  let fromScopes = scopes;
  if (before.endsWith('::')) {
    const qual = qualifierBefore(before.slice(0, -2));
    if (!qual) return call.name;
    ref = `${qual}::${call.name}`;
  } else if (before.endsWith('->') || (before.endsWith('.') && !/\d\.$/.test(before))) {
    const obj = trailingIdentifier(before, before.length - (before.endsWith('->') ? 2 : 1));
    if (!obj) return call.name;
    if (obj.name === 'this') {
      // `this->m()`: the caller's own class, nothing else.
      if (scopes[0] === '') return call.name;
      ref = call.name;
      fromScopes = scopes.slice(0, 1);
    } else {
      const cls = declaredClass(caller.text.slice(0, obj.start), obj.name);
      if (!cls) return call.name;
      ref = `${cls}::${call.name}`;
    }
  } else {
    // A bare call inside a method: a member of its own class, then of the enclosing scopes.
    if (scopes[0] === '') return call.name;
    ref = call.name;
  }
  // `Class::Method` written inside namespace N names N::Class::Method when that exists.
  for (const scope of fromScopes) {
    const full = scope ? `${scope}::${ref}` : ref;
    const exact = among.find((d) => d.qualified === full);
    if (exact) return exact.name;
  }
  if (!ref.includes('::')) return call.name;
  return resolveAmong(ref, among, (d) => d.qualified)?.name ?? call.name;
}

/** `N::C::m` → [`N::C`, `N`, ``]: the scopes a name inside m is looked up in, innermost first. */
function enclosingScopes(qualified: string): string[] {
  const parts = qualified.split('::');
  const out: string[] = [];
  for (let i = parts.length - 1; i >= 1; i--) out.push(parts.slice(0, i).join('::'));
  out.push('');
  return out;
}

/** `A::B` from the text before a `::`. */
function qualifierBefore(text: string): string | undefined {
  const parts: string[] = [];
  let end = text.length;
  for (;;) {
    const id = trailingIdentifier(text, end);
    if (!id) break;
    parts.unshift(id.name);
    const rest = text.slice(0, id.start).trimEnd();
    if (!rest.endsWith('::')) break;
    end = rest.length - 2;
  }
  return parts.length > 0 ? parts.join('::') : undefined;
}

/** The class a local or parameter is declared with before its use: `Class obj`, `ns::Class *p`, `const Class &r`. */
function declaredClass(text: string, name: string): string | undefined {
  const re = new RegExp(String.raw`([A-Za-z_][\w]*(?:\s*::\s*[A-Za-z_][\w]*)*)\s*(?:<[^<>;{}()]*>)?\s*[*&\s]\s*${name}\s*[;=,)\[({]`, 'g');
  let found: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const type = m[1].replace(/\s+/g, '');
    if (!['return', 'const', 'volatile', 'struct', 'class', 'new', 'delete', 'case', 'goto', 'else'].includes(type)) found = type;
  }
  return found;
}
