/**
 * The IRQL contracts a file writes on its own functions: `_IRQL_requires_max_(APC_LEVEL)`,
 * `_IRQL_requires_(PASSIVE_LEVEL)`, the old `__drv_maxIRQL(DISPATCH_LEVEL)`, on a definition or on a
 * prototype before it. The analysis takes such a level as the function's entry bound: its body must
 * be fine at that IRQL, and its callers must not exceed it. Conditional forms (`_When_(…, …)`) are
 * left out: their condition is not known.
 */
import { Irql, parseIrql } from '../../kernel/irql';
import { blankAnnotations } from '../../c/annotations';

export interface IrqlAnnotation {
  /** The highest IRQL the function may be called at. */
  level: Irql;
  /** The annotation as written, for messages. */
  text: string;
}

const ANNOTATION = /\b(_IRQL_requires_max_|_IRQL_requires_|__drv_maxIRQL|_IRQL_always_function_max_)\s*\(\s*([A-Za-z_0-9]+)\s*\)/g;

/**
 * The annotated entry bound of each function the text annotates (the lowest when annotated twice),
 * keyed by the name as written: `Init`, or `FastMutex::Init` for a C++ method defined out of its class.
 */
export function irqlAnnotations(original: string): Map<string, IrqlAnnotation> {
  const out = new Map<string, IrqlAnnotation>();
  if (!original.includes('_IRQL_requires') && !original.includes('__drv_maxIRQL') && !original.includes('_IRQL_always_function_max_')) return out;
  const re = new RegExp(ANNOTATION.source, 'g');
  for (let m = re.exec(original); m; m = re.exec(original)) {
    if (/_When_\s*\([^;{}]*$/.test(original.slice(Math.max(0, m.index - 120), m.index))) continue;
    const level = parseIrql(m[2]);
    if (level === undefined) continue;
    // The declarator that follows: the first name directly before a `(` once annotations are blank.
    const rest = original.slice(m.index + m[0].length, m.index + m[0].length + 400);
    const stop = rest.search(/[;{=]/);
    const head = blankAnnotations(stop < 0 ? rest : rest.slice(0, stop));
    // C++ `Class::Method` keeps its class: another class's method of the same name is another function.
    const written = /((?:[A-Za-z_]\w*\s*::\s*)*~?[A-Za-z_]\w*)\s*\(/.exec(head)?.[1];
    if (!written) continue;
    const name = written.replace(/\s+/g, '');
    const cur = out.get(name);
    if (!cur || level < cur.level) out.set(name, { level, text: m[0].replace(/\s+/g, '') });
  }
  return out;
}
