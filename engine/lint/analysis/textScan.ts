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
