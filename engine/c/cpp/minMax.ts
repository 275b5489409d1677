/**
 * `(max)(a, b)` and `T (min)(T a, T b)`: C++ drivers that define their own min/max templates put the
 * name in parentheses so the WDK's function-like min/max macros (ntdef.h) do not expand there, as
 * MSVC reads it. After preprocessing the parentheses mean nothing more, but the C++ grammar reads
 * `T (max)(…)` as a constructor-like declarator; the text handed to the parser has them turned into
 * spaces (same length, so every position still points at the user's text).
 */
const PARENTHESIZED = /\((\s*(?:[A-Za-z_]\w*\s*::\s*)*(?:max|min)\s*)\)(?=\s*\()/g;

export function unparenthesizedMinMax(text: string): string {
  return text.includes('max)') || text.includes('min)') ? text.replace(PARENTHESIZED, ' $1 ') : text;
}
