/**
 * Evaluates `#if`/`#elif` constant expressions: integer arithmetic on `defined(X)`, numbers and
 * character constants; identifiers left after expansion count as 0, as the standard says.
 */
import { MAX_NESTING, nestingMessage } from '../../limits';
import { PreprocessError } from './macros';
import type { ExpansionBudget, MacroTable } from './macros';
import type { Origin, PpToken } from './tokens';

export function evaluateCondition(tokens: PpToken[], macros: MacroTable, at: Origin, budget?: ExpansionBudget): boolean {
  // Resolve `defined X` / `defined(X)` before expansion.
  const pre: PpToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'id' && t.text === 'defined') {
      let name: PpToken | undefined;
      if (tokens[i + 1]?.text === '(') {
        name = tokens[i + 2];
        if (tokens[i + 3]?.text !== ')') throw new PreprocessError("expected ')' after 'defined(NAME'", t);
        i += 3;
      } else {
        name = tokens[i + 1];
        i += 1;
      }
      if (!name || name.kind !== 'id') throw new PreprocessError("'defined' needs a macro name", t);
      pre.push({ ...t, kind: 'num', text: macros.has(name.text) ? '1' : '0' });
      continue;
    }
    pre.push(t);
  }
  const expanded = macros.expand(pre, budget);
  const parser = new ConditionParser(expanded, at);
  const value = parser.parse();
  return value !== 0n;
}

class ConditionParser {
  private i = 0;
  /** Parentheses and unary operators open right now (the parser recurses on each). */
  private depth = 0;
  constructor(private readonly toks: PpToken[], private readonly at: Origin) {}

  parse(): bigint {
    if (this.toks.length === 0) throw new PreprocessError('#if with no expression', this.at);
    const v = this.ternary();
    if (this.i < this.toks.length) throw new PreprocessError(`unexpected '${this.toks[this.i].text}' in #if expression`, this.toks[this.i]);
    return v;
  }

  private peek(): string | undefined {
    return this.toks[this.i]?.text;
  }

  private ternary(): bigint {
    const c = this.binary(0);
    if (this.peek() === '?') {
      this.i++;
      const a = this.ternary();
      if (this.peek() !== ':') throw new PreprocessError("expected ':' in #if expression", this.toks[this.i] ?? this.at);
      this.i++;
      const b = this.ternary();
      return c !== 0n ? a : b;
    }
    return c;
  }

  private static readonly LEVELS: string[][] = [
    ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  private binary(level: number): bigint {
    if (level >= ConditionParser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek() !== undefined && ConditionParser.LEVELS[level].includes(this.peek()!)) {
      const op = this.toks[this.i++];
      const right = this.binary(level + 1);
      left = apply(op.text, left, right, op);
    }
    return left;
  }

  private unary(): bigint {
    if (this.depth >= MAX_NESTING) throw new PreprocessError(`#if expression ${nestingMessage()}`, this.toks[this.i] ?? this.at);
    this.depth++;
    try {
      return this.operand();
    } finally {
      this.depth--;
    }
  }

  private operand(): bigint {
    const t = this.toks[this.i];
    if (!t) throw new PreprocessError('#if expression ends too early', this.at);
    this.i++;
    switch (t.text) {
      case '!': return this.unary() === 0n ? 1n : 0n;
      case '-': return -this.unary();
      case '+': return this.unary();
      case '~': return ~this.unary();
      case '(': {
        const v = this.ternary();
        if (this.peek() !== ')') throw new PreprocessError("expected ')' in #if expression", this.toks[this.i] ?? t);
        this.i++;
        return v;
      }
    }
    if (t.kind === 'num') return parseIntLiteral(t);
    if (t.kind === 'char') return BigInt(charValue(t.text));
    if (t.kind === 'id') return 0n;
    throw new PreprocessError(`unexpected '${t.text}' in #if expression`, t);
  }
}

function apply(op: string, a: bigint, b: bigint, at: Origin): bigint {
  switch (op) {
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0n) throw new PreprocessError('division by zero in #if expression', at);
      return op === '/' ? a / b : a % b;
  }
  throw new PreprocessError(`operator '${op}' not allowed in #if`, at);
}

export function parseIntLiteral(t: PpToken): bigint {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*|i64|ui64)$/.exec(t.text);
  if (!m) throw new PreprocessError(`'${t.text}' is not an integer constant`, t);
  const digits = m[1];
  if (/^0[0-7]+$/.test(digits)) return BigInt(`0o${digits.slice(1)}`);
  return BigInt(digits);
}

/** Value of a character constant, including multi-character ones like 'IqsC' (pool tags). */
export function charValue(text: string): number {
  const body = text.replace(/^[LuU]?'/, '').replace(/'$/, '');
  const chars: number[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      const e = body[++i];
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '?': 63 };
      if (e === 'x') {
        const hex = /^[0-9a-fA-F]+/.exec(body.slice(i + 1))![0];
        chars.push(parseInt(hex, 16));
        i += hex.length;
      } else if (e >= '0' && e <= '7') {
        const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
        chars.push(parseInt(oct, 8));
        i += oct.length - 1;
      } else {
        chars.push(simple[e] ?? e.charCodeAt(0));
      }
    } else {
      chars.push(body.charCodeAt(i));
    }
  }
  // MSVC packs multi-character constants big-endian: 'AB' == 0x4142.
  let v = 0;
  for (const c of chars) v = ((v << 8) | (c & 0xff)) >>> 0;
  return chars.length === 1 ? chars[0] : v | 0;
}
