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
  '__stdcall', '__cdecl', '__fastcall', '_stdcall', '_cdecl', '_fastcall', 'FASTCALL', 'CDECL', 'DECLSPEC_NORETURN', 'DECLSPEC_NOTHROW', 'DECLSPEC_IMPORT', '__forceinline', 'FORCEINLINE', 'DECLSPEC_NOINLINE',
  'POINTER_ALIGNMENT', 'DECLSPEC_ALIGN', '__declspec', '__unaligned', 'UNALIGNED', '__ptr64', '__ptr32',
  '__checkReturn', '__success', '__notnull', '__maybenull', '__null', '__reserved', '__nullterminated',
  '__nullnullterminated', '__possibly_notnullterminated', '__bcount', '__ecount', '__callback', '__range', '__user_code',
  '__kernel_code', '__kernel_entry', '__format_string', '__analysis_assume', '__inline', '__typefix', '__override',
  '__readonly', '__valid', '__deref', '__pre', '__post', '__control_entrypoint', '__data_entrypoint', '__allocator',
  'CALLBACK', 'APIENTRY', 'EXTERN_C', 'EXTERN_C_START', 'EXTERN_C_END', 'DECLSPEC_CACHEALIGN',
]);

/**
 * SAL 1, the annotation language of older WDKs: a direction (`__in`, `__out`, `__inout`), maybe behind
 * `__deref_`/`__deref_opt_`, then any suffixes (`_opt`, `_z`, `_bcount(n)`, `_ecount_full(n)`,
 * `_bcount_part_opt(n, m)`). `__int64` and `__inline` do not match: their letters follow `in` directly.
 */
const SAL1 = /^__(?:deref_(?:opt_)?)?(?:in|out|inout)(?:_[a-z0-9]+)*$/;
/** SAL 1 on structure members: `__field_bcount(n)`, `__struct_bcount(n)`, `__elem_readableTo(n)`. */
const SAL1_FIELD = /^__(?:field|struct|elem)_[A-Za-z0-9_]+$/;

/** SAL 2: an underscore, a capital, and a trailing underscore (`_In_opt_`, `_IRQL_requires_max_`). */
const SAL2 = /^_[A-Z][A-Za-z0-9_]*_$/;
/** Driver annotations: `__drv_maxIRQL(…)`, `__drv_when(…)`. */
const DRV = /^__drv_[A-Za-z0-9_]*$/;

export function isAnnotationWord(word: string): boolean {
  // Every SAL 2 and driver annotation starts with `_`: skip the regular expressions for other words.
  return PLAIN_WORDS.has(word) || (word.charCodeAt(0) === 95 && (SAL2.test(word) || DRV.test(word) || SAL1.test(word) || SAL1_FIELD.test(word)));
}

/** `CONST` is a macro for `const` in WDK headers; same length, so positions survive. */
const REPLACEMENTS: Record<string, string> = { CONST: 'const' };

/**
 * Member alignment macros become `_Alignas` (same length again), which the grammar knows and the
 * layout honours: a member's offset depends on them. The linter blanks them like other annotations;
 * before a struct body (`struct DECLSPEC_ALIGN(16) _X`) C has no place for them, so they are blanked
 * there too.
 */
const ALIGNMENTS: Record<string, string> = {
  DECLSPEC_ALIGN: '_Alignas      ',
  POINTER_ALIGNMENT: '_Alignas(8)      ',
  DECLSPEC_CACHEALIGN: '_Alignas(64)       ',
};
const ALIGNMENT_MAP = new Map(Object.entries(ALIGNMENTS));

const REPLACEMENT_MAP = new Map(Object.entries(REPLACEMENTS));

/** The same-length keyword a WDK macro word stands for (`CONST` → `const`), if any. */
export function annotationReplacement(word: string): string | undefined {
  return REPLACEMENT_MAP.get(word);
}

/**
 * Where an annotation word that ends at `end` stops, its balanced argument list included
 * (`_IRQL_requires_max_(APC_LEVEL)`); `end` itself when it takes no arguments.
 */
export function annotationExtent(text: string, end: number): number {
  let j = end;
  const n = text.length;
  while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n')) j++;
  if (text[j] === '(') {
    const close = matchParen(text, j);
    if (close > 0) return close + 1;
  }
  return end;
}

/** One replacement of `text[start, end)` by a string of the same length. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

function blankEdit(text: string, from: number, to: number): Edit {
  return { start: from, end: to, text: text.slice(from, to).replace(/[^\r\n]/g, ' ') };
}

/** Applies non-overlapping, ascending edits by slicing: much cheaper than an array of characters. */
function applyEdits(text: string, edits: Edit[]): string {
  if (edits.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Returns `text` with every annotation (and its argument list) replaced by spaces. Comments, strings
 * and character literals are left untouched; preprocessor lines are processed too (a `#define` body
 * may carry annotations).
 */
export function blankAnnotations(text: string): string {
  const edits: Edit[] = [];
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
      // Annotations and replaced words start with `_` or a capital; lower-case words never need a look.
      if (c >= 97) continue;
      const word = text.slice(start, i);
      const replacement = annotationReplacement(word);
      if (replacement) {
        edits.push({ start, end: start + replacement.length, text: replacement });
        continue;
      }
      if (isAnnotationWord(word)) {
        // Identifiers preceded by `.`/`->` are field names, and `#define _In_ …` defines one: keep both.
        if (isMemberOrDefine(text, start)) continue;
        const alignment = ALIGNMENT_MAP.get(word);
        if (alignment && !/\b(struct|union)\s*$/.test(text.slice(Math.max(0, start - 16), start))) {
          edits.push({ start, end: start + alignment.length, text: alignment });
          continue;
        }
        const end = annotationExtent(text, i);
        edits.push(blankEdit(text, start, end));
        i = end;
      }
      continue;
    }
    i++;
  }
  return applyEdits(text, edits);
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

/**
 * Identifiers after `.`/`->` are field names, `#define _In_ …` defines one, and `defined(_X86_)` asks
 * about a platform macro shaped like SAL: none of them is blanked.
 */
export function isMemberOrDefine(text: string, start: number): boolean {
  let j = start - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (text[j] === '.' || (text[j] === '>' && text[j - 1] === '-')) return true;
  if (/\bdefined\s*\(?\s*$/.test(text.slice(Math.max(0, start - 24), start))) return true;
  // `#define NAME` / `#undef NAME` / `#ifdef NAME`
  const lineStart = text.lastIndexOf('\n', start) + 1;
  return /^\s*#\s*(define|undef|ifdef|ifndef)\s+$/.test(text.slice(lineStart, start));
}
