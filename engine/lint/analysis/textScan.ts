/**
 * Cheap facts read from a function's text with one regular-expression pass, without touching the
 * syntax tree: which names it calls (and where), and whether it mentions a word at all. The linter
 * uses them to decide which functions a rule needs to look at closely, so most functions in a large
 * file are never lowered to IR.
 */

export interface TextCall {
  name: string;
  /** Offset of the name inside the function's text. */
  offset: number;
}

// Comments and literals are matched (and skipped) so that names inside them do not count.
const TOKENS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\b([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?/g;

export interface TextFacts {
  calls: TextCall[];
  /** Every identifier outside comments and literals. */
  words: Set<string>;
  /** The names called, as a set. */
  callNames: Set<string>;
  /** Whether the text matches `re` (memoised per expression). */
  test(re: RegExp): boolean;
}

export function scanText(text: string): TextFacts {
  const calls: TextCall[] = [];
  const words = new Set<string>();
  const callNames = new Set<string>();
  // Keyed by the pattern, not the object: a rule that writes its regex inline makes a new RegExp on
  // every call, and facts outlive runs (cached per function), so object keys grew without end.
  const tested = new Map<string, boolean>();
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
    const name = m[1];
    if (!name) continue;
    words.add(name);
    if (m[2] !== undefined && !KEYWORDS.has(name)) {
      calls.push({ name, offset: m.index });
      callNames.add(name);
    }
  }
  const test = (re: RegExp) => {
    const key = `${re.flags}/${re.source}`;
    let hit = tested.get(key);
    if (hit === undefined) {
      re.lastIndex = 0;
      hit = re.test(text);
      tested.set(key, hit);
    }
    return hit;
  };
  return { calls, words, callNames, test };
}

const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case', 'goto', '__try', '__except', '__finally', '_Alignof', 'defined']);

/** Line-start offsets of a text, for turning offsets into (row, column). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionAt(starts: readonly number[], offset: number): { row: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { row: lo, column: offset - starts[lo] };
}

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpaceCode = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

/**
 * The identifier `text` ends with, before `end` and any blanks: where it starts, or undefined.
 * Scanned from the end: a regular expression anchored at `$` (`/([A-Za-z_]\w*)\s*$/`) tries every
 * start inside a long run of letters, which took minutes on a 100,000-letter literal (found by
 * npm run fuzz).
 */
export function trailingIdentifier(text: string, end = text.length): { name: string; start: number; end: number } | undefined {
  let stop = end;
  while (stop > 0 && isSpaceCode(text.charCodeAt(stop - 1))) stop--;
  let start = stop;
  while (start > 0 && isWordCode(text.charCodeAt(start - 1))) start--;
  // `\w` run starting with digits: the identifier is what follows them.
  while (start < stop && text.charCodeAt(start) >= 48 && text.charCodeAt(start) <= 57) start++;
  return start < stop ? { name: text.slice(start, stop), start, end: stop } : undefined;
}

/** Where `text` ends once trailing array suffixes (`[10]`, `[N][2]`) and blanks are cut off. */
export function endBeforeArraySuffixes(text: string, end = text.length): number {
  let stop = end;
  for (;;) {
    while (stop > 0 && isSpaceCode(text.charCodeAt(stop - 1))) stop--;
    if (stop === 0 || text[stop - 1] !== ']') return stop;
    const open = text.lastIndexOf('[', stop - 2);
    if (open < 0 || text.lastIndexOf(']', stop - 2) > open) return stop;
    stop = open;
  }
}
