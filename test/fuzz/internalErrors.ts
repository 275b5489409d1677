/**
 * What an "internal error" looks like from the outside, for the fuzz properties: text a user could
 * see (a run's error, a diagnostic, a lint note, a DAP response or Debug Console line, an LSP error
 * or log message, the CLI's output) that comes from fltsim failing rather than from the input:
 *
 *   - a JavaScript engine error: its class name (TypeError, RangeError, ReferenceError, SyntaxError…)
 *     or one of V8's messages ("Cannot read properties of undefined", "x is not a function",
 *     "is not iterable", "Maximum call stack size exceeded", "Invalid array length"…);
 *   - a stack trace line (`    at f (file.js:1:2)`);
 *   - fltsim's own wording for its bugs ("internal error") and a run stop of kind `internal`;
 *   - a value that was never meant to be shown (`[object Object]`, `undefined`/`NaN` as a value).
 *
 * Text the input itself contains is not counted: a scenario may well name a keyword `TypeError`,
 * and the message that says it is unknown repeats it.
 */

const PATTERNS: readonly RegExp[] = [
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|AggregateError)\b/,
  /Cannot (read|set) propert(y|ies) of (undefined|null)/,
  /Cannot destructure/,
  /Cannot access '[^']*' before initialization/,
  // V8's "x.y is not a function"; the kernel's own "Fn is not a function (got NULL)" is a driver error.
  /\bis not a function(?! \(got)/,
  /\bis not (iterable|a constructor|defined)\b/,
  /Maximum call stack size exceeded/,
  /Invalid (array|string|typed array) length/,
  /out of memory|heap limit/i,
  /^\s+at .+(\(|:\d+:\d+)/m,
  /\binternal error\b/i,
  /\[object Object\]/,
  /: undefined\b|\bundefined \(|= undefined\b|\bNaN\b(?! *[')"])/,
];

/** The internal-error text in `text` that `input` does not itself contain, or undefined. */
export function internalErrorIn(text: string, input = ''): string | undefined {
  for (const p of PATTERNS) {
    const m = p.exec(text);
    if (m && !input.includes(m[0].trim())) return m[0];
  }
  return undefined;
}

/** Throws with the offending text and where it was seen. */
export function assertNoInternalError(text: string, where: string, input = ''): void {
  const hit = internalErrorIn(text, input);
  if (hit !== undefined) throw new Error(`internal error reached the user in ${where}: '${hit}' in ${JSON.stringify(text.slice(0, 400))}`);
}

/** Control characters other than tab and newline: what must never reach a terminal raw. */
export function rawControlIn(text: string): string | undefined {
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return undefined;
}
