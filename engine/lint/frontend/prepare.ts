/**
 * Rewrites WDK idioms that tree-sitter-c cannot parse into plain C the grammar knows, without moving
 * any character: every rewrite keeps the text's length and its line breaks, so a node's line and
 * column in the rewritten text are its line and column in the user's file.
 *
 * - SEH macros: `try`/`except`/`finally`/`leave` become `__try`/`__except`/`__finally`/`__leave`,
 *   borrowing two blanks next to the word (indentation, the space after `}`). A `try` and its
 *   handler are rewritten together: when either has no room, the `try` is blanked and the handler
 *   becomes a marker comment of the same length (`SEH_MARKER`) that the lowering reads back.
 * - A macro argument holding statements (`try_return(Status = X;)`): its semicolons become commas
 *   and the last one a blank, so the call parses with the same text in it.
 * - Loop macros such as `LIST_FOR_EACH_SAFE(a, b, head) {` become `while (a, b, head) {`.
 * - `__FUNCTION__`, `__FILE__` and MSVC's other name macros become string literals of the same
 *   length, so `"tag: " __FUNCTION__ ": text"` reads as one string in C++ too.
 * - MSVC's sized integer suffixes become C's (`0i64` → `0LL`, padded);
 * - `__volatile` becomes `volatile`; `__pragma(…)` and `_Pragma("…")` are blanked; `#pragma warning` lines (found between a return type and a
 *   function name in samples) are blanked.
 * - Conditional compilation: one branch of each `#if` group is kept (the first one that is not
 *   plainly false, like `#if 0` or `#ifdef __cplusplus`), the directives and the other branches are
 *   blanked. In a file that includes only WDK headers, `#ifdef NAME` on a name neither it (so far)
 *   nor those headers define counts as false, as in a build without `-D`; build settings such as
 *   `DBG` and `NTDDI_*` stay undecided. The analysis then sees one consistent program, as a
 *   compiler would for one configuration.
 *
 * Both passes collect edits and build the result by slicing, so the cost stays a small fraction of
 * parsing even on large files.
 */
import { preludeHeaders } from '../../c/prelude';
import { annotationExtent, annotationReplacement, isAnnotationWord, isMemberOrDefine } from '../../c/annotations';

/**
 * The text every lint analysis reads: conditional branches chosen, then one pass that blanks
 * annotations exactly as `blankAnnotations` (engine/c/annotations.ts) does and applies the WDK
 * rewrites. The word lists stay in annotations.ts; this pass only fuses the scans for speed.
 */
export function prepareForLint(original: string): string {
  return msvcIntegerSuffixes(rewriteWords(selectConditionalBranches(original), true));
}

/** MSVC's sized integer suffixes (`0i64`, `1ui32`, `0x10i8`): an ERROR node for the grammar. */
const SIZED_SUFFIX = /\b((?:0[xX][0-9A-Fa-f]+|\d+))([uU]?)i(?:8|16|32|64)\b/g;

/** `0i64` → `0LL `, `1ui32` → `1U   `: the C suffix of the same meaning, padded to the same length. */
function msvcIntegerSuffixes(text: string): string {
  if (!/\di(?:8|16|32|64)\b/.test(text)) return text;
  return text.replace(SIZED_SUFFIX, (all: string, digits: string, unsigned: string) => {
    const suffix = (unsigned ? 'U' : '') + (all.endsWith('64') ? 'LL' : '');
    return (digits + suffix).padEnd(all.length, ' ');
  });
}

/** The WDK rewrites alone, for text whose annotations are already blank. */
export function rewriteWdkSyntax(text: string): string {
  return rewriteWords(selectConditionalBranches(text), false);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function blankOf(text: string, from: number, to: number): string {
  return text.slice(from, to).replace(/[^\r\n]/g, ' ');
}

function applyEdits(text: string, edits: Edit[]): string {
  if (edits.length === 0) return text;
  edits.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue;
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

const enum Ch {
  Tab = 9, Nl = 10, Cr = 13, Space = 32, Quote = 34, Hash = 35, Apos = 39, LParen = 40, RParen = 41,
  Star = 42, Slash = 47, Colon = 58, Semi = 59, Backslash = 92, LBrace = 123, RBrace = 125, Underscore = 95,
}

function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab;
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

/** Start of a `//` comment between `from` and `to` on one line (outside strings), or -1. */
function lineCommentStart(text: string, from: number, to: number): number {
  for (let k = from; k < to - 1; k++) {
    const c = text.charCodeAt(k);
    if (c === Ch.Quote || c === Ch.Apos) {
      k++;
      while (k < to && text.charCodeAt(k) !== c) { if (text.charCodeAt(k) === Ch.Backslash) k++; k++; }
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

/** The last significant character before `i`, skipping blanks, newlines and comments. */
function prevSignificant(text: string, i: number): number {
  let j = i - 1;
  while (j >= 0) {
    const c = text.charCodeAt(j);
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Nl || c === Ch.Cr) { j--; continue; }
    if (c === Ch.Slash && text.charCodeAt(j - 1) === Ch.Star) {
      const s = text.lastIndexOf('/*', j - 2);
      if (s >= 0) { j = s - 1; continue; }
    }
    const lineStart = text.lastIndexOf('\n', j) + 1;
    const slashes = lineCommentStart(text, lineStart, j + 1);
    if (slashes >= 0) { j = slashes - 1; continue; }
    return j;
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

function atStatementStart(text: string, at: number): boolean {
  const p = prevSignificant(text, at);
  if (p < 0) return false;
  const c = text.charCodeAt(p);
  if (c === Ch.Semi || c === Ch.LBrace || c === Ch.RBrace || c === Ch.RParen || c === Ch.Colon) return true;
  return /(?:^|[^A-Za-z0-9_])(?:else|do)$/.test(text.slice(Math.max(0, p - 5), p + 1));
}

/**
 * A library's export, inline and deprecation macros (`ZYCORE_EXPORT ZyanStatus F(...)`,
 * `LIB_API int G(void)`, `ZYAN_INLINE`): defined in some other header, often as nothing or as a
 * `__declspec`, and in front of a declaration C cannot read them. Blanked where they open one.
 */
const EXPORT_MACRO = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:EXPORT|API|INLINE|DEPRECATED)$/;

/** The word starts its line or follows `;`, `{` or `}`, and a name follows it. */
function opensDeclaration(text: string, start: number, end: number): boolean {
  const next = text.charCodeAt(skipSpace(text, end));
  if (!((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === Ch.Underscore)) return false;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, start))) return true;
  const p = prevSignificant(text, start);
  const c = p < 0 ? Ch.Semi : text.charCodeAt(p);
  return c === Ch.Semi || c === Ch.LBrace || c === Ch.RBrace;
}

/** ALL_CAPS names of at least five characters: macros, never keywords. */
function isLoopMacroName(text: string, from: number, to: number): boolean {
  if (to - from < 5) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || c === Ch.Underscore || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

// Comments, literals, a `#` that starts a directive line, and the words some rewrite may concern:
// names starting with `_`, ALL-CAPS names (annotation macros, loop macros, CONST), and the
// lower-case SEH macros. Mixed-case names (FltGetStreamContext) never need a look.
const TOKENS = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?|^[ \t]*#|\b(?:_[A-Za-z0-9_]*|[A-Z][A-Z0-9_]*|try|except|finally|leave)\b/gm;

const NAME_LITERALS = new Set(['__FUNCTION__', '__FILE__', '__FUNCSIG__', '__FUNCDNAME__', '__func__', '__DATE__', '__TIME__', '__TIMESTAMP__']);
const WIDE_NAME_LITERALS = new Set(['__FUNCTIONW__', '__FILEW__']);

function rewriteWords(text: string, annotations: boolean): string {
  const edits: Edit[] = [];
  /** Handler words already rewritten with their `try`. */
  const handled = new Set<number>();
  let directiveEnd = -1;
  const re = new RegExp(TOKENS.source, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tok = m[0];
    const start = m.index;
    const c = tok.charCodeAt(0);
    if (c === Ch.Slash || c === Ch.Quote || c === Ch.Apos) continue;
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Hash) {
      const hash = start + tok.length - 1;
      directiveEnd = endOfDirective(text, hash);
      if (/^#\s*pragma\s+warning\b/.test(text.slice(hash, Math.min(directiveEnd, hash + 40)))) {
        edits.push({ start: hash, end: directiveEnd, text: blankOf(text, hash, directiveEnd) });
        re.lastIndex = directiveEnd;
      }
      continue;
    }
    const end = start + tok.length;
    const inDirective = start < directiveEnd;
    if (c >= 97 || tok === '__try') {
      if (inDirective || handled.has(start)) continue;
      if (tok === 'try' || tok === '__try') {
        const h = rewriteTry(text, tok, start, end, edits);
        if (h >= 0) handled.add(h);
      } else if (tok === 'leave') {
        rewriteLeave(text, start, end, edits);
      }
      continue;
    }
    if (annotations) {
      const replacement = annotationReplacement(tok);
      if (replacement) {
        edits.push({ start, end: start + replacement.length, text: replacement });
        continue;
      }
      if (isAnnotationWord(tok)) {
        if (isMemberOrDefine(text, start)) continue;
        const stop = annotationExtent(text, end);
        edits.push({ start, end: stop, text: blankOf(text, start, stop) });
        re.lastIndex = stop;
        continue;
      }
    }
    if (inDirective) continue;
    if (annotations && EXPORT_MACRO.test(tok) && opensDeclaration(text, start, end) && !isMemberOrDefine(text, start)) {
      edits.push({ start, end, text: blankOf(text, start, end) });
      continue;
    }
    if (c === Ch.Underscore) {
      if (tok === '__volatile') edits.push({ start, end, text: '  volatile' });
      // MSVC's pragma operators are no code: blanked with their parenthesis, as `#pragma` lines are
      // (pragmaSuppress.ts reads the warnings they silence from the original text).
      else if (tok === '__pragma' || tok === '_Pragma') {
        const stop = annotationExtent(text, end);
        if (stop > end) { edits.push({ start, end: stop, text: blankOf(text, start, stop) }); re.lastIndex = stop; }
      }
      // MSVC's name macros are string literals (`"Shield>" __FUNCTION__ ": ..."` is one string);
      // the C++ grammar only joins literals, so each becomes a literal of the same length.
      else if (NAME_LITERALS.has(tok)) edits.push({ start, end, text: `"${tok.slice(1, -1)}"` });
      else if (WIDE_NAME_LITERALS.has(tok)) edits.push({ start, end, text: `L"${tok.slice(2, -1)}"` });
      continue;
    }
    if (!isLoopMacroName(text, start, end)) continue;
    const open = skipSpace(text, end);
    if (text.charCodeAt(open) !== Ch.LParen) continue;
    const close = matchParen(text, open);
    if (close < 0) continue;
    const after = skipSpace(text, close + 1);
    const next = text.charCodeAt(after);
    if (next === Ch.RBrace) {
      // A statement macro written without its `;` as a block's last statement
      // (`AV_SET_INVALID_FILE_REFERENCE(x)` before `}`): the blank before the brace takes one.
      const before = text.charCodeAt(after - 1);
      // Only after another statement: `{ INIT(x) }` may be an initializer list.
      const prev = text.charCodeAt(prevSignificant(text, start));
      if ((before === Ch.Space || before === Ch.Tab) && after - 1 > close && (prev === Ch.Semi || prev === Ch.RBrace)) edits.push({ start: after - 1, end: after, text: ';' });
      continue;
    }
    if (next !== Ch.LBrace) continue;
    if (!atStatementStart(text, start)) continue;
    edits.push({ start, end, text: 'while'.padEnd(tok.length, ' ') });
  }
  statementArguments(text, edits);
  return applyEdits(text, edits);
}

const NOT_MACROS = new Set(['for', 'while', 'if', 'switch', 'return', 'sizeof', 'do']);

/**
 * A macro called in statement position with statements as its argument (`try_return(Status = X;)`,
 * `CHECK(a = f(); b = g();)`): the semicolons become commas and the one before `)` a blank, so the
 * call parses and keeps its expressions. Found from each `;` that directly precedes a `)`.
 */
function statementArguments(text: string, edits: Edit[]): void {
  const re = /;\s*\)/g;
  let lastClose = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const close = m.index + m[0].length - 1;
    if (close === lastClose) continue;
    let depth = 0;
    let open = -1;
    for (let i = close; i >= 0 && close - i < 2000; i--) {
      const c = text.charCodeAt(i);
      if (c === Ch.RParen) depth++;
      else if (c === Ch.LParen && --depth === 0) { open = i; break; }
      else if (c === Ch.LBrace || c === Ch.RBrace || c === Ch.Quote || c === Ch.Apos || c === Ch.Nl && text.charCodeAt(i - 1) === Ch.Backslash) break;
    }
    if (open < 0) continue;
    const name = /([A-Za-z_]\w*)\s*$/.exec(text.slice(Math.max(0, open - 64), open));
    if (!name || NOT_MACROS.has(name[1])) continue;
    const nameStart = open - name[0].length;
    if (!atStatementStart(text, nameStart)) continue;
    lastClose = close;
    const semis: number[] = [];
    let d = 0;
    for (let i = open + 1; i < close; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.LParen) d++;
      else if (c === Ch.RParen) d--;
      else if (c === Ch.Semi && d === 0) semis.push(i);
    }
    semis.forEach((at, k) => edits.push({ start: at, end: at + 1, text: k === semis.length - 1 ? ' ' : ',' }));
  }
}

/**
 * Comments that stand for SEH keywords the text had no room to spell `__finally`, `__except` or
 * `__leave` (`finally` with a tab before it and its brace on the next line): the lowering reads a
 * block, the `finally`/`except` marker and a second block as one `__try` statement, and an empty
 * statement right after the leave marker (the word `leave` replaced by a comment of five
 * characters, its `;` kept) as `__leave;`. Each marker is exactly as long as what it replaces.
 */
export const SEH_MARKER = { finally: '/*@FI*/', except: '/*@E*/', leave: '/*L*/' } as const;

/** The `}` that closes the block opened at `open`, skipping comments and literals; -1 when unbalanced. */
function matchBrace(text: string, open: number): number {
  let depth = 0;
  const n = text.length;
  for (let i = open; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Quote || c === Ch.Apos) { i = skipLiteral(text, i) - 1; continue; }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) { const e = text.indexOf('\n', i); if (e < 0) return -1; i = e; continue; }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) { const e = text.indexOf('*/', i + 2); if (e < 0) return -1; i = e + 1; continue; }
    if (c === Ch.LBrace) depth++;
    else if (c === Ch.RBrace && --depth === 0) return i;
  }
  return -1;
}

/**
 * The edit that spells `word` (`try`, `finally`, `except`, `leave`) as the keyword `__word` in place,
 * borrowing two blanks around it or sliding the `}` before it left; undefined when there is no room.
 */
function keywordEdit(text: string, word: string, start: number, end: number): Edit | undefined {
  let before = 0;
  while (before < 2 && start - before - 1 >= 0 && isBlank(text.charCodeAt(start - before - 1))) before++;
  let after = 0;
  while (before + after < 2 && isBlank(text.charCodeAt(end + after))) after++;
  if (before + after >= 2) return { start: start - before, end: end + after, text: `__${word}` };
  // `}except(`: slide the closing brace left into the indentation before it.
  const brace = prevSignificant(text, start);
  if (brace >= 0 && text.charCodeAt(brace) === Ch.RBrace && !text.slice(brace, start).includes('\n')) {
    let from = brace;
    while (from - 1 >= 0 && isBlank(text.charCodeAt(from - 1))) from--;
    const width = end + after - from;
    const packed = `}__${word}`;
    if (width >= packed.length && !text.slice(from, end).includes('/')) return { start: from, end: from + width, text: packed.padStart(width, ' ') };
  }
  return undefined;
}

const HANDLERS = new Set(['finally', 'except', '__finally', '__except']);

/**
 * A `try`/`__try` block and its handler, rewritten together: both as keywords when there is room
 * for each, otherwise the `try` blanked and the handler replaced by its marker (so the text never
 * holds a `__try` without its handler). Returns the handler's start, which the scan must not touch
 * again, or -1 when this is not a structured-exception block.
 */
function rewriteTry(text: string, word: string, start: number, end: number, edits: Edit[]): number {
  const open = skipSpace(text, end);
  if (text.charCodeAt(open) !== Ch.LBrace || !atStatementStart(text, start)) return -1;
  const close = matchBrace(text, open);
  if (close < 0) return -1;
  const h = skipSpace(text, close + 1);
  const hw = /^[A-Za-z_]\w*/.exec(text.slice(h, h + 12))?.[0];
  if (!hw || !HANDLERS.has(hw)) return -1;
  const hEnd = h + hw.length;
  const after = skipSpace(text, hEnd);
  const isExcept = hw.endsWith('except');
  if (text.charCodeAt(after) !== (isExcept ? Ch.LParen : Ch.LBrace)) return -1;
  const filterEnd = isExcept ? matchParen(text, after) : -1;
  if (isExcept && filterEnd < 0) return -1;
  const tryEdit = word === '__try' ? null : keywordEdit(text, word, start, end);
  const handlerEdit = hw.startsWith('__') ? null : keywordEdit(text, hw, h, hEnd);
  if (tryEdit !== undefined && handlerEdit !== undefined) {
    if (tryEdit) edits.push(tryEdit);
    if (handlerEdit) edits.push(handlerEdit);
    return h;
  }
  edits.push({ start, end, text: ' '.repeat(word.length) });
  const marker = isExcept ? SEH_MARKER.except : SEH_MARKER.finally;
  edits.push({ start: h, end: hEnd, text: marker.padEnd(hw.length, ' ') });
  if (isExcept) edits.push({ start: after, end: filterEnd + 1, text: blankOf(text, after, filterEnd + 1) });
  return h;
}

/** `leave;` as `__leave;` when there is room, else as the leave marker before its `;`. */
function rewriteLeave(text: string, start: number, end: number, edits: Edit[]): void {
  if (text.charCodeAt(skipSpace(text, end)) !== Ch.Semi || !atStatementStart(text, start)) return;
  edits.push(keywordEdit(text, 'leave', start, end) ?? { start, end, text: SEH_MARKER.leave });
}

interface Directive {
  kind: 'if' | 'elif' | 'else' | 'endif';
  /** The condition text (`ifdef X` → `defined(X)`). */
  cond: string;
  start: number;
  end: number;
}

const DIRECTIVE = /^[ \t]*#[ \t]*(ifdef|ifndef|if|elif|else|endif)\b/gm;
const COMMENTS_AND_STRINGS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g;

/** Conditional directives at line starts, outside block comments. */
function scanDirectives(text: string): Directive[] {
  const found: Directive[] = [];
  DIRECTIVE.lastIndex = 0;
  let m = DIRECTIVE.exec(text);
  if (!m) return found;
  // Block comments that may hide directive-looking lines.
  const hidden: [number, number][] = [];
  COMMENTS_AND_STRINGS.lastIndex = 0;
  for (let c = COMMENTS_AND_STRINGS.exec(text); c; c = COMMENTS_AND_STRINGS.exec(text)) {
    if (c[0].startsWith('/*') && c[0].includes('\n')) hidden.push([c.index, c.index + c[0].length]);
  }
  let h = 0;
  for (; m; m = DIRECTIVE.exec(text)) {
    const at = m.index;
    while (h < hidden.length && hidden[h][1] <= at) h++;
    if (h < hidden.length && hidden[h][0] < at) continue;
    const hash = text.indexOf('#', at);
    const end = endOfDirective(text, hash);
    const kw = m[1];
    const rest = text.slice(hash + 1, end).replace(/\\\r?\n/g, ' ').replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '').trim().slice(kw.length).trim();
    if (kw === 'ifdef') found.push({ kind: 'if', cond: `defined(${rest})`, start: hash, end });
    else if (kw === 'ifndef') found.push({ kind: 'if', cond: `!defined(${rest})`, start: hash, end });
    else found.push({ kind: kw as Directive['kind'], cond: rest, start: hash, end });
    DIRECTIVE.lastIndex = Math.max(DIRECTIVE.lastIndex, end);
  }
  return found;
}

/** `false` for conditions no build of a C driver takes, `true` for those every build takes. */
function knownValue(cond: string, defined: ReadonlySet<string> | undefined): boolean | undefined {
  const c = cond.replace(/\s+/g, '');
  if (c === '0' || c === '(0)' || c === 'defined(__cplusplus)' || c === '__cplusplus' || c === 'defined__cplusplus') return false;
  if (c === '1' || c === '(1)' || c === '!defined(__cplusplus)' || c === '!__cplusplus') return true;
  // `#ifdef NAME` on a name neither this file nor the WDK headers define: a plain build skips it,
  // so analyse the branch such a build compiles (the `#else`), as a compiler without -D would.
  const m = /^(!?)defined\(?([A-Za-z_]\w*)\)?$/.exec(c);
  if (m && defined && !BUILD_SETTINGS.test(m[2])) {
    const isDefined = defined.has(m[2]) || isPreludeMacro(m[2]);
    return m[1] === '!' ? !isDefined : isDefined;
  }
  return undefined;
}

/** Names a build normally sets from its configuration, whose value a file alone cannot tell. */
const BUILD_SETTINGS = /^(DBG|_DEBUG|NDEBUG|_WIN64|_AMD64_|_X86_|_ARM64_|_ARM_|_IA64_|NTDDI_|_WIN32_WINNT|WINVER|_KERNEL_MODE|DRIVER|POOL_NX_OPTIN|FLT_MGR_)/;

let preludeMacros: ReadonlySet<string> | undefined;
/** Every macro the WDK prelude defines, read from its header texts on first use. */
function isPreludeMacro(name: string): boolean {
  preludeMacros ??= new Set(
    [...preludeHeaders().values()].flatMap((text) => [...text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)/gm)].map((x) => x[1])),
  );
  return preludeMacros.has(name);
}

/**
 * What the file itself tells about macro names as the directives are met in order: `#define`s and
 * `#undef`s seen so far. A file that includes its own headers (`#include "x.h"`) may get names from
 * them, which a one-file analysis cannot see, so such files leave `#ifdef` undecided.
 */
class FileMacros {
  private readonly events: { at: number; name: string; defined: boolean }[] = [];
  private next = 0;
  readonly names = new Set<string>();
  readonly selfContained: boolean;
  constructor(text: string) {
    for (const m of text.matchAll(/^[ \t]*#[ \t]*(define|undef)[ \t]+([A-Za-z_]\w*)/gm)) {
      this.events.push({ at: m.index ?? 0, name: m[2], defined: m[1] === 'define' });
    }
    this.selfContained = !/^[ \t]*#[ \t]*include[ \t]*"/m.test(text);
  }
  /** Brings the set up to date with every `#define`/`#undef` before offset `at`. */
  advanceTo(at: number): ReadonlySet<string> {
    for (; this.next < this.events.length && this.events[this.next].at < at; this.next++) {
      const e = this.events[this.next];
      if (e.defined) this.names.add(e.name);
      else this.names.delete(e.name);
    }
    return this.names;
  }
}

function selectConditionalBranches(text: string): string {
  if (text.indexOf('#') < 0) return text;
  const dirs = scanDirectives(text);
  if (dirs.length === 0) return text;
  const edits: Edit[] = [];
  const macros = new FileMacros(text);
  interface Group { parentKeep: boolean; chosen: boolean }
  const stack: Group[] = [];
  let keep = true;
  for (let d = 0; d < dirs.length; d++) {
    const dir = dirs[d];
    const defined = macros.selfContained ? macros.advanceTo(dir.start) : undefined;
    if (dir.kind === 'if') {
      const take = knownValue(dir.cond, defined) !== false;
      stack.push({ parentKeep: keep, chosen: take });
      keep = keep && take;
    } else if (dir.kind === 'elif' || dir.kind === 'else') {
      const g = stack[stack.length - 1];
      if (g) {
        const take = !g.chosen && (dir.kind === 'else' || knownValue(dir.cond, defined) !== false);
        if (take) g.chosen = true;
        keep = g.parentKeep && take;
      }
    } else {
      const g = stack.pop();
      if (g) keep = g.parentKeep;
    }
    // The directive itself, and the text up to the next directive when this branch is dropped.
    const to = keep ? dir.end : d + 1 < dirs.length ? dirs[d + 1].start : text.length;
    edits.push({ start: dir.start, end: to, text: blankOf(text, dir.start, to) });
  }
  return applyEdits(text, edits);
}
