/**
 * A header CMake writes at configure time from a template (`configure_file(config.h.in config.h)`):
 * projects built with CMake include the output, which is not in their source tree. fltsim reads the
 * template as configure_file would with the values it has — the project's and the scenario's
 * definitions — and every other variable unset.
 */

/** The names a template for `header` may have, as CMake projects spell them. */
export function templateNames(header: string): string[] {
  return [`${header}.in`, `${header}.cmake`];
}

/**
 * The header configure_file makes from `template`: `@VAR@` and `${VAR}` become the value (empty when
 * unset), `#cmakedefine VAR …` a #define when VAR is set and a comment when not, `#cmakedefine01
 * VAR` a definition to 1 or 0. Also returns the variables it had no value for.
 */
export function configureTemplate(template: string, values: ReadonlyMap<string, string>): { text: string; unset: string[] } {
  const unset = new Set<string>();
  const value = (name: string): string => {
    const v = values.get(name);
    if (v === undefined) unset.add(name);
    return v ?? '';
  };
  const isSet = (name: string): boolean => {
    const v = values.get(name);
    if (v === undefined) unset.add(name);
    // CMake's false constants: a variable with one of these values counts as unset.
    return v !== undefined && !/^(?:0|OFF|NO|FALSE|N|IGNORE|NOTFOUND|.*-NOTFOUND|)$/i.test(v.trim());
  };
  const text = template.split('\n').map((line) => {
    const d01 = /^(\s*)#(\s*)cmakedefine01\s+(\w+)/.exec(line);
    if (d01) return `${d01[1]}#${d01[2]}define ${d01[3]} ${isSet(d01[3]!) ? 1 : 0}`;
    const d = /^(\s*)#(\s*)cmakedefine\s+(\w+)(.*)$/.exec(line);
    if (d) return isSet(d[3]!) ? `${d[1]}#${d[2]}define ${d[3]}${substitute(d[4]!, value)}` : `/* #undef ${d[3]} */`;
    return substitute(line, value);
  }).join('\n');
  return { text, unset: [...unset] };
}

function substitute(line: string, value: (name: string) => string): string {
  return line.replace(/@(\w+)@|\$\{(\w+)\}/g, (_m, a: string | undefined, b: string | undefined) => value((a ?? b)!));
}
