/**
 * `CONTAINING_RECORD(entry, struct node, list)` and `FIELD_OFFSET(union slot, word)` name a type by
 * its tag, as C code without typedefs writes them. C's grammar has no place for `struct node` in a
 * call's arguments, so the parse would fail there; the type-taking builtins read their type argument
 * from the scope instead (translate/expressions.ts). After expansion, each such argument becomes one
 * identifier, `__fltsim_tag_struct_node`, which the translator turns back into the tagged type.
 */
import type { PpToken } from './tokens';

/** The builtins that take a type argument (interp/calls.ts); `offsetof` has its own grammar rule, which reads `struct X`. */
const TYPE_TAKING = new Set(['CONTAINING_RECORD', 'FIELD_OFFSET']);

/** The prefix of the identifier a tagged type argument becomes. */
export const TAG_ARGUMENT_PREFIX = '__fltsim_tag_';

/** The tag kind and name an identifier made by `tagArguments` stands for. */
export function tagArgument(name: string): { kind: 'struct' | 'union'; tag: string } | undefined {
  const m = /^__fltsim_tag_(struct|union)_(\w+)$/.exec(name);
  return m ? { kind: m[1] as 'struct' | 'union', tag: m[2] } : undefined;
}

/** `tokens` with every `struct X` / `union X` argument of a type-taking builtin made one identifier. */
export function tagArguments(tokens: PpToken[]): PpToken[] {
  let out: PpToken[] | undefined;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].kind !== 'id' || !TYPE_TAKING.has(tokens[i].text) || tokens[i + 1].text !== '(') continue;
    // Argument starts at depth 1 of this call: right after `(` or a `,`.
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (--depth === 0) break;
      } else if (depth === 1 && (t.text === 'struct' || t.text === 'union') && (tokens[j - 1].text === '(' || tokens[j - 1].text === ',')) {
        const name = tokens[j + 1];
        const after = tokens[j + 2];
        if (name?.kind !== 'id' || (after?.text !== ',' && after?.text !== ')')) continue;
        out ??= tokens.slice();
        const at = out.indexOf(t);
        out.splice(at, 2, { ...t, text: `${TAG_ARGUMENT_PREFIX}${t.text}_${name.text}` });
      }
    }
  }
  return out ?? tokens;
}
