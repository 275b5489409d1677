/**
 * Walks the tokens of one line for the statement parsers and records their complaints. A statement
 * parser stops at its first error on a line (returning undefined); later lines are unaffected.
 */
import type { ScenarioDiagnostic, ScenarioDiagnosticCode, Span } from './ast';
import type { LexedLine, Token } from './lexer';

export function spanOf(s: Span): Span {
  return { line: s.line, column: s.column, endColumn: s.endColumn };
}

export class LineCursor {
  private index = 0;
  private failed = false;

  constructor(
    readonly lexed: LexedLine,
    private readonly sink: ScenarioDiagnostic[],
  ) {}

  get tokens(): readonly Token[] {
    return this.lexed.tokens;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  /** The next token (or the one `ahead` after it), not consumed. */
  peek(ahead = 0): Token | undefined {
    return this.lexed.tokens[this.index + ahead];
  }

  next(): Token | undefined {
    const t = this.lexed.tokens[this.index];
    if (t) this.index++;
    return t;
  }

  atEnd(): boolean {
    return this.index >= this.lexed.tokens.length;
  }

  /** The span of everything from the first token to the last one consumed so far. */
  statementSpan(): Span {
    const first = this.lexed.tokens[0];
    const last = this.lexed.tokens[Math.max(0, this.index - 1)];
    return { line: this.lexed.line, column: first.column, endColumn: last.endColumn };
  }

  /** The line's code, without the comment, trimmed. */
  codeText(): string {
    return this.lexed.text.slice(0, this.lexed.codeEnd).trim();
  }

  /** Records an error and returns undefined, so parsers can `return cur.error(...)`. */
  error(at: Span, code: ScenarioDiagnosticCode, message: string, hint: string): undefined {
    this.failed = true;
    this.sink.push({ ...spanOf(at), severity: 'error', code, message, hint });
    return undefined;
  }

  warning(at: Span, code: ScenarioDiagnosticCode, message: string, hint: string): void {
    this.sink.push({ ...spanOf(at), severity: 'warning', code, message, hint });
  }

  /** Where a missing token should have been: the last token read, or the start of the line. */
  whereMissing(): Span {
    const last = this.lexed.tokens[this.index - 1] ?? this.lexed.tokens[0];
    if (last) return spanOf(last);
    return { line: this.lexed.line, column: 1, endColumn: 1 };
  }

  /** Reports the first unread token, if any; statements call this once they have read their parts. */
  expectEnd(after: string): boolean {
    const extra = this.peek();
    if (!extra) return true;
    const last = this.lexed.tokens[this.lexed.tokens.length - 1];
    this.error(
      { line: extra.line, column: extra.column, endColumn: last.endColumn },
      'unexpected-token',
      `unexpected '${extra.raw}' after ${after}`,
      'Remove the extra words, or start a comment with //.',
    );
    return false;
  }
}

/** Integer limits for the different kinds of numbers. */
export const LIMITS = {
  /** Virtual ticks, byte offsets, seeds: anything a double holds exactly. */
  safe: Number.MAX_SAFE_INTEGER,
  /** ULONG: lengths, control codes, DWORD registry values. */
  ulong: 0xffffffff,
} as const;

/** Decimal (`4096`) or hex (`0x1000`), non-negative; undefined for anything else. */
export function parseInteger(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  return undefined;
}

/**
 * Reads a non-negative integer after `label` (the word that asked for it), reporting a missing or
 * malformed number. `what` names the quantity in messages ("time", "length").
 */
export function readInteger(cur: LineCursor, label: Token, what: string, max: number = LIMITS.safe, min = 0): number | undefined {
  const t = cur.next();
  if (!t) {
    return cur.error(label, 'missing-value', `missing ${what} after '${label.raw}'`, `Write a number after '${label.raw}', for example '${label.raw} ${min === 0 ? 0 : min}'.`);
  }
  if (t.kind !== 'word') {
    return cur.error(t, 'bad-number', `expected a ${what} after '${label.raw}', found ${t.raw}`, 'Write a decimal (4096) or hex (0x1000) integer.');
  }
  const n = parseInteger(t.value);
  if (n === undefined) {
    const negative = /^-[0-9]/.test(t.value);
    return cur.error(
      t,
      'bad-number',
      `bad number '${t.value}' for ${what}`,
      negative ? `${capital(what)}s cannot be negative.` : 'Write a decimal (4096) or hex (0x1000) integer with no sign or suffix.',
    );
  }
  if (n > max || n < min) {
    return cur.error(t, 'bad-number', `${what} ${t.value} is out of range`, `Use a value from ${min} to ${max}.`);
  }
  return n;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Reads a quoted string, reporting a missing one. `example` shows the statement written correctly. */
export function readString(cur: LineCursor, what: string, example: string): { value: string; span: Span } | undefined {
  const t = cur.next();
  if (!t) {
    return cur.error(cur.whereMissing(), 'missing-string', `missing ${what}`, `Write it in double quotes: ${example}`);
  }
  if (t.kind !== 'string') {
    return cur.error(t, 'missing-string', `${what} must be a quoted string, found '${t.raw}'`, `Write it in double quotes: ${example}`);
  }
  return { value: t.value, span: spanOf(t) };
}

/** Reads `#N`, reporting a missing or malformed io reference. */
export function readIoRef(cur: LineCursor, example: string): { id: number; span: Span } | undefined {
  const t = cur.next();
  if (!t) {
    return cur.error(cur.whereMissing(), 'missing-value', 'missing io reference', `Name the request by its id: ${example}`);
  }
  if (t.kind !== 'ioref') {
    return cur.error(t, 'missing-value', `expected an io reference like #1, found '${t.raw}'`, `Name the request by its id: ${example}`);
  }
  if (!/^[1-9][0-9]*$/.test(t.value) || Number(t.value) > LIMITS.safe) {
    return cur.error(t, 'bad-number', `bad io id '${t.raw}'`, 'Io ids are positive integers written after #, like #1 or #12.');
  }
  return { id: Number(t.value), span: spanOf(t) };
}

/** Reads `at T`, which must come next. */
export function readTime(cur: LineCursor, example: string): number | undefined {
  const t = cur.next();
  if (!t) {
    return cur.error(cur.whereMissing(), 'missing-value', 'missing time', `Say when, in virtual ticks (1 tick = 1 ms): ${example}`);
  }
  if (t.kind !== 'word' || t.value !== 'at') {
    return cur.error(t, 'unexpected-token', `expected 'at', found '${t.raw}'`, `Say when, in virtual ticks (1 tick = 1 ms): ${example}`);
  }
  return readInteger(cur, t, 'time');
}
