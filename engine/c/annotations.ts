/**
 * WDK source is full of annotations the C grammar does not know: SAL (`_In_`, `_IRQL_requires_max_(…)`,
 * `_Requires_lock_held_(…)`), old-style `__in`/`__drv_*`, calling conventions (`FLTAPI`), and
 * `IN`/`OUT`/`OPTIONAL`. Real samples put them between a function's return type and its name, which
 * derails any C parser. `blankAnnotations` overwrites each with spaces (newlines kept), so the text
 * parses as plain C and every remaining character keeps its line and column.
 */

/** Words removed outright (with a following balanced argument list, if any). */
const PLAIN_WORDS = new Set([
  'IN', 'OUT', 'OPTIONAL', 'FLTAPI', 'NTAPI', 'WINAPI', 'NTSYSAPI', 'NTKERNELAPI', 'NTSYSCALLAPI',
  '__stdcall', '__cdecl', '__fastcall', '_stdcall', '_cdecl', '_fastcall', '__forceinline', 'FORCEINLINE', 'DECLSPEC_NOINLINE',
  'POINTER_ALIGNMENT', 'DECLSPEC_ALIGN', '__declspec', '__unaligned', 'UNALIGNED', '__ptr64', '__ptr32',
  '__in', '__out', '__inout', '__in_opt', '__out_opt', '__inout_opt', '__deref_out', '__deref_out_opt',
  '__deref_inout', '__deref_inout_opt', '__in_bcount', '__out_bcount', '__in_ecount', '__out_ecount',
  '__in_bcount_opt', '__out_bcount_opt', '__out_bcount_part', '__in_xcount', '__out_xcount', '__checkReturn',
  '__success', '__notnull', '__maybenull', '__reserved', '__nullterminated', '__field_bcount', '__field_ecount',
  '__bcount', '__ecount', '__callback', '__range', '__user_code', '__kernel_code', '__format_string',
  '__analysis_assume', '__inline', 'CALLBACK', 'APIENTRY', 'EXTERN_C', 'DECLSPEC_CACHEALIGN',
]);

/** SAL 2: an underscore, a capital, and a trailing underscore (`_In_opt_`, `_IRQL_requires_max_`). */
const SAL2 = /^_[A-Z][A-Za-z0-9_]*_$/;
/** Driver annotations: `__drv_maxIRQL(…)`, `__drv_when(…)`. */
const DRV = /^__drv_[A-Za-z0-9_]*$/;

export function isAnnotationWord(word: string): boolean {
  return PLAIN_WORDS.has(word) || SAL2.test(word) || DRV.test(word);
}

/** `CONST` is a macro for `const` in WDK headers; same length, so positions survive. */
const REPLACEMENTS: Record<string, string> = { CONST: 'const' };

function blank(chars: string[], from: number, to: number): void {
  for (let i = from; i < to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
}

/**
 * Returns `text` with every annotation (and its argument list) replaced by spaces. Comments, strings
 * and character literals are left untouched; preprocessor lines are processed too (a `#define` body
 * may carry annotations).
 */
export function blankAnnotations(text: string): string {
  let chars: string[] | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // Skip comments and literals.
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      i = skipLiteral(text, i);
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      const replacement = REPLACEMENTS[word];
      if (replacement) {
        chars ??= [...text];
        for (let k = 0; k < replacement.length; k++) chars[start + k] = replacement[k];
        continue;
      }
      if (isAnnotationWord(word)) {
        // Identifiers preceded by `.`/`->` are field names, and `#define _In_ …` defines one: keep both.
        if (isMemberOrDefine(text, start)) continue;
        let end = i;
        let j = i;
        while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n')) j++;
        if (text[j] === '(') {
          const close = matchParen(text, j);
          if (close > 0) end = close + 1;
        }
        chars ??= [...text];
        blank(chars, start, end);
        i = end;
      }
      continue;
    }
    i++;
  }
  return chars ? chars.join('') : text;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function skipLiteral(text: string, i: number): number {
  const quote = text[i];
  i++;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') {
    if (text[i] === '\\') i++;
    i++;
  }
  return i + 1;
}

function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = skipLiteral(text, i) - 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function isMemberOrDefine(text: string, start: number): boolean {
  let j = start - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (text[j] === '.' || (text[j] === '>' && text[j - 1] === '-')) return true;
  // `#define NAME` / `#undef NAME` / `#ifdef NAME`
  const lineStart = text.lastIndexOf('\n', start) + 1;
  return /^\s*#\s*(define|undef|ifdef|ifndef)\s+$/.test(text.slice(lineStart, start));
}
