/**
 * Splits one scenario line into tokens. The language is line-oriented: a statement never spans
 * lines, so every error stays on the line that caused it and the next line starts afresh.
 *
 * Strings keep backslashes as written, because NT paths are full of them (`"\Device\X\a.txt"`).
 * Only `\"` (a quote) and `\\` (one backslash) are escapes, so C-style doubled paths
 * (`"\\Device\\X"`) mean the same path, and a path ending in a backslash is written `"...\\"`.
 */
import type { ScenarioDiagnostic, Span } from './ast';

export type TokenKind = 'word' | 'string' | 'ioref';

export interface Token extends Span {
  kind: TokenKind;
  /** The characters as written, quotes and `#` included. */
  raw: string;
  /** A word as written; a string's contents with escapes applied; an io reference without `#`. */
  value: string;
}

export interface LexedLine {
  line: number;
  text: string;
  tokens: Token[];
  /** 0-based index where the code ends: the start of a `//` comment, or the line's length. */
  codeEnd: number;
  problems: ScenarioDiagnostic[];
}

/** Lines split on any newline convention; a trailing newline does not add an empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

function startsComment(text: string, i: number): boolean {
  return text[i] === '/' && text[i + 1] === '/';
}

export function lexLine(text: string, line: number): LexedLine {
  const tokens: Token[] = [];
  const problems: ScenarioDiagnostic[] = [];
  let i = 0;
  let codeEnd = text.length;
  while (i < text.length) {
    const ch = text[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (startsComment(text, i)) {
      codeEnd = i;
      break;
    }
    const start = i;
    if (ch === '"') {
      let value = '';
      let closed = false;
      i++;
      while (i < text.length) {
        const c = text[i];
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      const span = { line, column: start + 1, endColumn: i + 1 };
      tokens.push({ kind: 'string', raw: text.slice(start, i), value, ...span });
      if (!closed) {
        problems.push({
          ...span,
          severity: 'error',
          code: 'unterminated-string',
          message: 'this string has no closing quote',
          hint: 'End the string with " on the same line; write \\" for a quote inside it and \\\\ for a final backslash.',
        });
      }
      continue;
    }
    while (i < text.length && !isSpace(text[i]) && text[i] !== '"' && !startsComment(text, i)) i++;
    const raw = text.slice(start, i);
    const kind: TokenKind = ch === '#' ? 'ioref' : 'word';
    tokens.push({ kind, raw, value: kind === 'ioref' ? raw.slice(1) : raw, line, column: start + 1, endColumn: i + 1 });
  }
  return { line, text, tokens, codeEnd, problems };
}
