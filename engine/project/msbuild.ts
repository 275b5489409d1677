/**
 * The part of MSBuild's evaluation a driver project needs: `$(Property)` and `%(Metadata)`
 * expansion, and `Condition` attributes (`'$(Configuration)|$(Platform)'=='Debug|x64'`, `and`,
 * `or`, `!`, parentheses, `exists('…')`). A reference that cannot be resolved expands to nothing
 * and is reported, so the caller can say what it dropped.
 */

export interface Expansion {
  value: string;
  /** References that had no value (`$(DDK_INC_PATH)`, `%(PreprocessorDefinitions)`), as written. */
  unresolved: string[];
}

export function expandProperties(text: string, props: ReadonlyMap<string, string>, metadata?: ReadonlyMap<string, string>): Expansion {
  const unresolved: string[] = [];
  const value = text
    .replace(/\$\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)/g, (whole, name: string) => {
      const v = props.get(name.toLowerCase());
      if (v === undefined) {
        unresolved.push(whole);
        return '';
      }
      return v;
    })
    .replace(/%\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)/g, (whole, name: string) => {
      const v = metadata?.get(name.toLowerCase());
      if (v === undefined) {
        unresolved.push(whole);
        return '';
      }
      return v;
    });
  return { value, unresolved };
}

export type ConditionResult = { ok: true; value: boolean } | { ok: false; message: string };

type Tok = { k: 'str' | 'word' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(text: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return 'a quoted string is not closed';
      out.push({ k: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') { out.push({ k: 'op', v: two }); i += 2; continue; }
    if (c === '<' || c === '>' || c === '!') { out.push({ k: 'op', v: c }); i++; continue; }
    if (c === '(') { out.push({ k: 'lp', v: c }); i++; continue; }
    if (c === ')') { out.push({ k: 'rp', v: c }); i++; continue; }
    if (c === ',') { out.push({ k: 'comma', v: c }); i++; continue; }
    const m = /^[A-Za-z0-9_.$:\\/-]+/.exec(text.slice(i));
    if (!m) return `unexpected '${c}'`;
    out.push({ k: 'word', v: m[0] });
    i += m[0].length;
  }
  return out;
}

/**
 * Evaluates a Condition whose `$(…)` references were already expanded. `exists` asks the caller.
 * Strings compare without case, as MSBuild does.
 */
export function evaluateCondition(expanded: string, exists: (path: string) => boolean): ConditionResult {
  const toks = tokenize(expanded);
  if (typeof toks === 'string') return { ok: false, message: toks };
  let pos = 0;
  const peek = () => toks[pos];
  const fail = (m: string): never => { throw new Error(m); };
  const operand = (): string => {
    const t = toks[pos++];
    if (!t) return fail('the condition ends too early');
    if (t.k === 'str' || t.k === 'word') return t.v;
    return fail(`unexpected '${t.v}'`);
  };
  const primary = (): boolean => {
    const t = peek();
    if (!t) return fail('the condition ends too early');
    if (t.k === 'op' && t.v === '!') { pos++; return !primary(); }
    if (t.k === 'lp') {
      pos++;
      const v = orExpr();
      if (peek()?.k !== 'rp') fail("missing ')'");
      pos++;
      return v;
    }
    if (t.k === 'word' && /^(exists|hastrailingslash)$/i.test(t.v) && toks[pos + 1]?.k === 'lp') {
      pos += 2;
      const arg = operand();
      if (peek()?.k !== 'rp') fail("missing ')'");
      pos++;
      return /^exists$/i.test(t.v) ? arg.trim() !== '' && exists(arg.trim()) : /[\\/]$/.test(arg);
    }
    const left = operand();
    const op = peek();
    if (op?.k === 'op' && op.v !== '!') {
      pos++;
      const right = operand();
      const a = left.toLowerCase();
      const b = right.toLowerCase();
      switch (op.v) {
        case '==': return a === b;
        case '!=': return a !== b;
        default: {
          const x = Number(left);
          const y = Number(right);
          if (Number.isNaN(x) || Number.isNaN(y)) fail(`'${op.v}' compares numbers only`);
          return op.v === '<' ? x < y : op.v === '>' ? x > y : op.v === '<=' ? x <= y : x >= y;
        }
      }
    }
    const lower = left.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    return fail(`'${left}' is not a condition`);
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (peek()?.k === 'word' && peek()!.v.toLowerCase() === 'and') { pos++; const r = primary(); v = v && r; }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek()?.k === 'word' && peek()!.v.toLowerCase() === 'or') { pos++; const r = andExpr(); v = v || r; }
    return v;
  };
  try {
    if (toks.length === 0) return { ok: true, value: true };
    const v = orExpr();
    if (pos < toks.length) return { ok: false, message: `unexpected '${toks[pos].v}'` };
    return { ok: true, value: v };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
