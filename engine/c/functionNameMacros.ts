/**
 * The compiler's names for the enclosing function (`__FUNCTION__`, `__func__`, `__FUNCTIONW__`): each
 * a string literal (wide for __FUNCTIONW__) that joins adjacent literals as MSVC's do:
 * `"[drv] " __FUNCTION__ ": failed"`. In C the translator reads them as names; in C++ the preprocessor
 * turns them into marked literals (the C++ grammar joins a name only before literals), which the
 * translator fills in the same way.
 */
export const FUNCTION_NAME_MACROS: ReadonlyMap<string, boolean> = new Map([
  ['__FUNCTION__', false],
  ['__func__', false],
  ['__FUNCTIONW__', true],
]);

const MARK = '\u0001';
const MARKED = new RegExp(`${MARK}(${[...FUNCTION_NAME_MACROS.keys()].join('|')})${MARK}`, 'g');

/** The source text of the literal a function-name macro becomes in C++. */
export function functionNameLiteral(name: string, wide: boolean): string {
  return `${wide ? 'L' : ''}"\\x01${name}\\x01"`;
}

/** A literal's value with its function-name marks replaced by the function's name. */
export function fillFunctionName(value: string, functionName: () => string): string {
  return value.includes(MARK) ? value.replace(MARKED, () => functionName()) : value;
}
