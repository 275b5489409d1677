/**
 * Rewrites WDK idioms that tree-sitter-c cannot parse into plain C the grammar knows, without moving
 * any character: every rewrite keeps the text's length and its line breaks, so a node's line and
 * column in the rewritten text are its line and column in the user's file.
 *
 * - SEH macros: `try`/`except`/`finally`/`leave` become `__try`/`__except`/`__finally`/`__leave`,
 *   borrowing two blanks next to the word (indentation or the space after `}`); with no blanks to
 *   borrow, the word is blanked and its block reads as a plain block.
 * - Loop macros such as `LIST_FOR_EACH_SAFE(a, b, head) {` become `while (a, b, head) {`.
 * - `__volatile` becomes `volatile`.
 * - Conditional compilation: one branch of each `#if` group is kept (the first one that is not
 *   plainly false, like `#if 0` or `#ifdef __cplusplus`), the directives and the other branches are
 *   blanked. The analysis then sees one consistent program, as a compiler would for one configuration.
 */
import { blankAnnotations } from '../../c/annotations';

/** Annotation blanking plus the rewrites above: the text every lint analysis reads. */
export function prepareForLint(original: string): string {
  return rewriteWdkSyntax(blankAnnotations(original));
}

const enum Ch {
  Tab = 9, Nl = 10, Cr = 13, Space = 32, Quote = 34, Hash = 35, Apos = 39, LParen = 40, RParen = 41,
  Star = 42, Slash = 47, Colon = 58, Semi = 59, Backslash = 92, LBrace = 123, RBrace = 125, Underscore = 95,
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab;
}

export function rewriteWdkSyntax(text: string): string {
  return rewriteWords(selectConditionalBranches(text));
}

/** Position of the next character that is not whitespace or a comment, from `i`. */
function skipSpace(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Nl || c === Ch.Cr) { i++; continue; }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    break;
  }
  return i;
}

/** The last significant character before `i` (skipping blanks, newlines and `//` comment tails is not attempted). */
function prevSignificant(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0) {
    const c = text.charCodeAt(j);
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Nl || c === Ch.Cr) { j--; continue; }
    // Skip a block comment ending here.
    if (c === Ch.Slash && text.charCodeAt(j - 1) === Ch.Star) {
      const s = text.lastIndexOf('/*', j - 2);
      if (s >= 0) { j = s - 1; continue; }
    }
    // A `//` comment on this line: the significant text is before it.
    const lineStart = text.lastIndexOf('\n', j) + 1;
    const slashes = lineCommentStart(text, lineStart, j + 1);
    if (slashes >= 0) { j = slashes - 1; continue; }
    return j;
  }
  return -1;
}

/** Start of a `//` comment between `from` and `to` on one line (outside strings), or -1. */
function lineCommentStart(text: string, from: number, to: number): number {
  for (let k = from; k < to - 1; k++) {
    const c = text.charCodeAt(k);
    if (c === Ch.Quote || c === Ch.Apos) {
      const q = c;
      k++;
      while (k < to && text.charCodeAt(k) !== q) { if (text.charCodeAt(k) === Ch.Backslash) k++; k++; }
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(k + 1) === Ch.Slash) return k;
    if (c === Ch.Slash && text.charCodeAt(k + 1) === Ch.Star) {
      const e = text.indexOf('*/', k + 2);
      if (e < 0 || e >= to) return -1;
      k = e + 1;
    }
  }
  return -1;
}

function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Quote || c === Ch.Apos) { i = skipLiteral(text, i) - 1; continue; }
    if (c === Ch.LParen) depth++;
    else if (c === Ch.RParen) { depth--; if (depth === 0) return i; }
    else if (c === Ch.Semi || c === Ch.LBrace || c === Ch.RBrace) return -1;
  }
  return -1;
}

function skipLiteral(text: string, i: number): number {
  const q = text.charCodeAt(i);
  i++;
  while (i < text.length && text.charCodeAt(i) !== q && text.charCodeAt(i) !== Ch.Nl) {
    if (text.charCodeAt(i) === Ch.Backslash) i++;
    i++;
  }
  return i + 1;
}

const SEH_WORDS = new Set(['try', 'except', 'finally', 'leave']);

function rewriteWords(text: string): string {
  let chars: string[] | undefined;
  const n = text.length;
  let i = 0;
  const put = (at: number, s: string) => {
    chars ??= [...text];
    for (let k = 0; k < s.length; k++) chars[at + k] = s[k];
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) { const e = text.indexOf('\n', i); i = e < 0 ? n : e; continue; }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) { const e = text.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === Ch.Quote || c === Ch.Apos) { i = skipLiteral(text, i); continue; }
    if (c === Ch.Hash) {
      // Preprocessor lines are left alone, except `#pragma warning`, which samples put between a
      // function's return type and its name.
      const e = endOfDirective(text, i);
      if (/^#\s*pragma\s+warning\b/.test(text.slice(i, Math.min(e, i + 40)))) put(i, text.slice(i, e).replace(/[^\r\n]/g, ' '));
      i = e;
      continue;
    }
    if (!isIdentStart(c)) { i++; continue; }
    const start = i;
    while (i < n && isIdentPart(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    if (start > 0 && isIdentPart(text.charCodeAt(start - 1))) continue;
    if (word === '__volatile') { put(start, '  volatile'); continue; }
    if (SEH_WORDS.has(word)) { rewriteSeh(text, word, start, i, put); continue; }
    if (isLoopMacroName(word)) {
      const open = skipSpace(text, i);
      if (text.charCodeAt(open) !== Ch.LParen) continue;
      const close = matchParen(text, open);
      if (close < 0) continue;
      if (text.charCodeAt(skipSpace(text, close + 1)) !== Ch.LBrace) continue;
      if (!atStatementStart(text, start)) continue;
      put(start, 'while'.padEnd(word.length, ' '));
    }
  }
  return chars ? chars.join('') : text;
}

/** ALL_CAPS names of at least five characters: macros, never keywords. */
function isLoopMacroName(word: string): boolean {
  if (word.length < 5) return false;
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || c === Ch.Underscore || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

function atStatementStart(text: string, at: number): boolean {
  const p = prevSignificant(text, at);
  if (p < 0) return false;
  const c = text.charCodeAt(p);
  if (c === Ch.Semi || c === Ch.LBrace || c === Ch.RBrace || c === Ch.RParen || c === Ch.Colon) return true;
  return /(?:^|[^A-Za-z0-9_])(?:else|do)$/.test(text.slice(Math.max(0, p - 5), p + 1));
}

function rewriteSeh(text: string, word: string, start: number, end: number, put: (at: number, s: string) => void): void {
  const next = skipSpace(text, end);
  const nc = text.charCodeAt(next);
  // `try {`, `finally {`, `except (`, `leave;` — anything else is an ordinary identifier.
  if (word === 'try' || word === 'finally') { if (nc !== Ch.LBrace) return; }
  else if (word === 'except') { if (nc !== Ch.LParen) return; }
  else if (nc !== Ch.Semi) return;
  if (word !== 'try' && word !== 'leave') {
    const p = prevSignificant(text, start);
    if (p < 0 || text.charCodeAt(p) !== Ch.RBrace) return;
  } else if (!atStatementStart(text, start)) {
    return;
  }
  // Borrow two blanks: before the word first, then after it.
  let before = 0;
  while (before < 2 && start - before - 1 >= 0 && isBlank(text.charCodeAt(start - before - 1))) before++;
  let after = 0;
  while (before + after < 2 && isBlank(text.charCodeAt(end + after))) after++;
  if (before + after >= 2) {
    put(start - before, `__${word}`);
    return;
  }
  // `}except(`: slide the closing brace left into the indentation before it.
  const brace = prevSignificant(text, start);
  if (brace >= 0 && text.charCodeAt(brace) === Ch.RBrace && !text.slice(brace, start).includes('\n')) {
    let from = brace;
    while (from - 1 >= 0 && isBlank(text.charCodeAt(from - 1))) from--;
    const width = end + after - from;
    const packed = `}__${word}`;
    if (width >= packed.length && !text.slice(from, end).includes('/')) {
      put(from, packed.padStart(width, ' '));
      return;
    }
  }
  // No room: blank the word (and an `except` filter); the block then reads as a plain block.
  put(start, ' '.repeat(word.length));
  if (word === 'except') {
    const close = matchParen(text, next);
    if (close > 0) put(next, ' '.repeat(close + 1 - next).replace(/ /g, (_m, k: number) => (text[next + k] === '\n' ? '\n' : ' ')));
  }
}

function endOfDirective(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const e = text.indexOf('\n', i);
    if (e < 0) return n;
    let k = e - 1;
    if (text.charCodeAt(k) === Ch.Cr) k--;
    if (text.charCodeAt(k) !== Ch.Backslash) return e;
    i = e + 1;
  }
  return n;
}

interface Directive {
  kind: 'if' | 'elif' | 'else' | 'endif';
  /** The condition text, normalised (`ifdef X` → `defined(X)`). */
  cond: string;
  start: number;
  end: number;
}

/** Finds conditional directives at line starts (outside comments). */
function scanDirectives(text: string): Directive[] {
  const found: Directive[] = [];
  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Nl) { lineStart = true; i++; continue; }
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Cr) { i++; continue; }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) { const e = text.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) { const e = text.indexOf('\n', i); i = e < 0 ? n : e; continue; }
    if (c === Ch.Hash && lineStart) {
      const end = endOfDirective(text, i);
      const body = text.slice(i + 1, end).replace(/\\\r?\n/g, ' ').replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '').trim();
      const m = /^(ifdef|ifndef|if|elif|else|endif)\b\s*(.*)$/.exec(body);
      if (m) {
        const [, kw, rest] = m;
        if (kw === 'ifdef') found.push({ kind: 'if', cond: `defined(${rest.trim()})`, start: i, end });
        else if (kw === 'ifndef') found.push({ kind: 'if', cond: `!defined(${rest.trim()})`, start: i, end });
        else found.push({ kind: kw as Directive['kind'], cond: rest.trim(), start: i, end });
      }
      i = end;
      lineStart = false;
      continue;
    }
    lineStart = false;
    if (c === Ch.Quote || c === Ch.Apos) { i = skipLiteral(text, i); continue; }
    i++;
  }
  return found;
}

/** `false` for conditions no build of a C driver takes, `true` for those every build takes. */
function knownValue(cond: string): boolean | undefined {
  const c = cond.replace(/\s+/g, '');
  if (c === '0' || c === '(0)' || c === 'defined(__cplusplus)' || c === '__cplusplus' || c === 'defined__cplusplus') return false;
  if (c === '1' || c === '(1)' || c === '!defined(__cplusplus)' || c === '!__cplusplus') return true;
  return undefined;
}

function selectConditionalBranches(text: string): string {
  if (text.indexOf('#') < 0) return text;
  const dirs = scanDirectives(text);
  if (dirs.length === 0) return text;
  const chars = [...text];
  const blankRange = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const ch = chars[k];
      if (ch !== '\n' && ch !== '\r') chars[k] = ' ';
    }
  };
  interface Group { parentKeep: boolean; chosen: boolean }
  const stack: Group[] = [];
  let keep = true;
  for (let d = 0; d < dirs.length; d++) {
    const dir = dirs[d];
    blankRange(dir.start, dir.end);
    if (dir.kind === 'if') {
      const take = knownValue(dir.cond) !== false;
      stack.push({ parentKeep: keep, chosen: take });
      keep = keep && take;
    } else if (dir.kind === 'elif' || dir.kind === 'else') {
      const g = stack[stack.length - 1];
      if (!g) continue;
      const take = !g.chosen && (dir.kind === 'else' || knownValue(dir.cond) !== false);
      if (take) g.chosen = true;
      keep = g.parentKeep && take;
    } else {
      const g = stack.pop();
      if (g) keep = g.parentKeep;
    }
    if (!keep) blankRange(dir.end, d + 1 < dirs.length ? dirs[d + 1].start : text.length);
  }
  return chars.join('');
}
