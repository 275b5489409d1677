/**
 * Reading a `#define` directive's tokens (after the word `define`) into a Macro: shared by the
 * preprocessor and by the linter, which reads a project's statement macros without preprocessing.
 */
import type { Macro } from './macros';
import type { PpToken } from './tokens';

/** The macro a `#define` declares, or what is wrong with the directive (with the token to blame). */
export function macroFromDefine(toks: PpToken[]): Macro | { error: string; at?: PpToken } {
  const nameTok = toks[0];
  if (!nameTok || nameTok.kind !== 'id') return { error: '#define needs a macro name' };
  const m: Macro = { name: nameTok.text, body: [], origin: nameTok };
  let i = 1;
  // Function-like only when '(' follows the name with no space.
  if (toks[1]?.text === '(' && !toks[1].space) {
    m.params = [];
    i = 2;
    for (;;) {
      const t = toks[i++];
      if (!t) return { error: `unterminated parameter list in #define ${m.name}` };
      if (t.text === ')') break;
      if (t.text === ',') continue;
      if (t.text === '...') m.variadic = true;
      else if (t.kind === 'id') m.params.push(t.text);
      else return { error: `unexpected '${t.text}' in the parameters of #define ${m.name}`, at: t };
    }
  }
  m.body = toks.slice(i);
  if (m.body.length > 0) m.body[0] = { ...m.body[0], space: false };
  return m;
}
