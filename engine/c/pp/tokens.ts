/**
 * Preprocessing tokens. Every token remembers where the user wrote it, so that after macro expansion
 * an expression still points at the line the user will set a breakpoint on.
 */

export type PpKind = 'id' | 'num' | 'str' | 'char' | 'punct' | 'other';

export interface Origin {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface PpToken extends Origin {
  kind: PpKind;
  text: string;
  /** Whitespace preceded it: needed for stringizing and to avoid gluing tokens on output. */
  space: boolean;
  /** Macros that produced this token and must not expand again in it (the C hide set). */
  hide?: ReadonlySet<string>;
}

const PUNCTUATORS = [
  '%:%:', '...', '<<=', '>>=', '->', '::', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##', '<:', ':>', '<%', '%>', '%:',
];

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isIdPart(c: string): boolean {
  return isIdStart(c) || (c >= '0' && c <= '9');
}

/**
 * Splits one logical line (continuations already joined, comments already removed) into tokens.
 * `lines`/`cols` map each character of `text` back to its original 1-based line and column (a
 * logical line may span physical lines through backslash continuations or block comments).
 */
export function tokenizeLine(text: string, file: string, lines: number[], cols: number[]): PpToken[] {
  const out: PpToken[] = [];
  let i = 0;
  let space = false;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r') {
      space = true;
      i++;
      continue;
    }
    const start = i;
    let kind: PpKind;
    if ((c === 'L' || c === 'u' || c === 'U') && (text[i + 1] === '"' || text[i + 1] === "'")) {
      i = skipQuoted(text, i + 1);
      kind = text[start + 1] === '"' ? 'str' : 'char';
    } else if (c === 'u' && text[i + 1] === '8' && text[i + 2] === '"') {
      i = skipQuoted(text, i + 2);
      kind = 'str';
    } else if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
      kind = c === '"' ? 'str' : 'char';
    } else if (isIdStart(c)) {
      while (i < n && isIdPart(text[i])) i++;
      kind = 'id';
    } else if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      // pp-number: digits, letters, dots, and exponent signs.
      i++;
      while (i < n) {
        const d = text[i];
        if ((d === '+' || d === '-') && /[eEpP]/.test(text[i - 1])) i++;
        else if (isIdPart(d) || d === '.') i++;
        else break;
      }
      kind = 'num';
    } else {
      const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
      i += p ? p.length : 1;
      kind = p || '()[]{};,.<>+-*/%&|^!~?:=#'.includes(c) ? 'punct' : 'other';
    }
    out.push({ kind, text: text.slice(start, i), file, line: lines[start] ?? lines[lines.length - 1] ?? 1, col: cols[start] ?? start + 1, space });
    space = false;
  }
  return out;
}

function skipQuoted(text: string, i: number): number {
  const q = text[i];
  i++;
  while (i < text.length && text[i] !== q) {
    if (text[i] === '\\') i++;
    i++;
  }
  return Math.min(i + 1, text.length);
}
