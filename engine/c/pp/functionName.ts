/**
 * MSVC's __FUNCTION__ and __FUNCTIONW__ are string literals, so drivers join them to others on either
 * side (`"Shield>" __FUNCTION__ ": ..."`). The C++ grammar reads no identifier after a literal, so the
 * preprocessor, which does not know the enclosing function, turns them into a literal holding this
 * mark, and the translator puts the function's name in its place (translate/expressions.ts).
 */
export const FUNCTION_NAME_MARK = '\uE000fltsim:function\uE000';

/** The literal's source text, wide for __FUNCTIONW__. */
export function functionNameLiteral(wide: boolean): string {
  return `${wide ? 'L' : ''}"\\uE000fltsim:function\\uE000"`;
}
