/**
 * The suppressions drivers already carry for Microsoft's Code Analysis (PREfast) and the compiler:
 *   #pragma prefast(suppress: 28118, "reason")   — the next line of code
 *   #pragma warning(suppress: 28121)             — the next line of code
 *   #pragma warning(disable: 28118)              — from here to the matching `#pragma warning(pop)`,
 *                                                  a `default:`/`enable:` of the id, or the end of the file
 *   __pragma(warning(suppress: 28121))           — MSVC's operator forms, when they open a line
 *   _Pragma("warning(suppress: 28121)")
 * A warning number silences the fltsim rules that report the same mistake (CODE_ANALYSIS_RULES).
 * A symbolic name (`__WARNING_IRQ_TOO_HIGH`) stands for its number: the one Code Analysis gives it
 * (WARNING_NAMES), or the one a `#define` of the file or of a project header it includes gives it
 * (the WDK's strsafe headers define their own). Numbers and names with no counterpart here (4996,
 * 6011, `__WARNING_MEMORY_LEAK`…) silence nothing, so a pragma written for another check never hides
 * a fltsim finding.
 */

/**
 * Code Analysis warnings and the fltsim rules that find the same mistake. Only the IRQL family
 * has a one-to-one counterpart: each of these says a routine is reached above the highest IRQL it
 * allows, which is what irql-above-bound (any function) and postop-irql-unsafe-call (a
 * post-operation callback that may run at DISPATCH_LEVEL) report.
 */
export const CODE_ANALYSIS_RULES: ReadonlyMap<string, readonly string[]> = new Map([
  // The caller's own annotation lets it run above the callee's maximum.
  ['28118', ['irql-above-bound', 'postop-irql-unsafe-call']],
  // The IRQL at the call (set by a raise, a lock, or the signature) is too high for the callee.
  ['28121', ['irql-above-bound', 'postop-irql-unsafe-call']],
  // Earlier calls on the path pin the IRQL above the callee's maximum.
  ['28123', ['irql-above-bound', 'postop-irql-unsafe-call']],
]);

/**
 * Code Analysis's symbolic names of the warnings above, as drivers write them in pragmas (with or
 * without the leading underscores). Only names whose number is documented are listed; a name
 * whose number is not known here is left to the project's own `#define` of it.
 */
export const WARNING_NAMES: ReadonlyMap<string, string> = new Map([
  ['WARNING_IRQ_TOO_HIGH', '28121'],
]);

/** A project's `#define NAME value`: the value's text (the caller reads the file's and its headers' defines). */
export type DefinedValue = (name: string) => string | undefined;

/** Rules silenced on a span of 0-based lines (inclusive). */
export interface SuppressedSpan {
  from: number;
  to: number;
  rules: ReadonlySet<string>;
}

/** `#pragma warning(…)`, and MSVC's operator forms `__pragma(warning(…))` and `_Pragma("warning(…)")` opening a line. */
const PRAGMA = /^[ \t]*(?:#[ \t]*pragma[ \t]+|__pragma[ \t]*\([ \t]*|_Pragma[ \t]*\([ \t]*"[ \t]*)(prefast|warning)[ \t]*\(([^)\n]*)\)/gm;

/** The warning number an id written in a pragma stands for: `28121`, `C28121`, `__WARNING_IRQ_TOO_HIGH`. */
function warningNumber(raw: string, defined?: DefinedValue): string | undefined {
  if (/^C?\d+$/i.test(raw)) return raw.replace(/^C/i, '');
  if (!/^[A-Za-z_]\w*$/.test(raw)) return undefined;
  const known = WARNING_NAMES.get(raw.replace(/^_+/, ''));
  if (known) return known;
  const value = defined?.(raw)?.trim();
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

/** The fltsim rules a list of warning ids (`28118 28121`, `C28118`, `__WARNING_IRQ_TOO_HIGH`) maps to. */
function rulesOf(ids: string, defined?: DefinedValue): Set<string> {
  const out = new Set<string>();
  for (const raw of ids.split(/[\s,]+/)) {
    const id = warningNumber(raw, defined);
    for (const r of (id && CODE_ANALYSIS_RULES.get(id)) || []) out.add(r);
  }
  return out;
}

/** The 0-based line after `line` that holds code: not blank, not only a comment, not a directive. */
function nextCodeLine(lines: readonly string[], line: number): number {
  let inBlock = false;
  for (let i = line + 1; i < lines.length; i++) {
    let t = lines[i].trim();
    if (inBlock) {
      const end = t.indexOf('*/');
      if (end < 0) continue;
      inBlock = false;
      t = t.slice(end + 2).trim();
    }
    if (t === '' || t.startsWith('//') || t.startsWith('#')) continue;
    if (t.startsWith('/*')) {
      const end = t.indexOf('*/', 2);
      if (end < 0) { inBlock = true; continue; }
      if (t.slice(end + 2).trim() === '') continue;
    }
    return i;
  }
  return lines.length;
}

/** The spans the file's `#pragma prefast`/`#pragma warning` lines silence. */
export function findPragmaSuppressions(text: string, defined?: DefinedValue): SuppressedSpan[] {
  if (text.indexOf('pragma') < 0) return [];
  const spans: SuppressedSpan[] = [];
  const lineStarts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  let lines: string[] | undefined;
  // `disable` in effect: the rules and the line they start after; `push` saves the list.
  let open: { line: number; rules: Set<string> }[] = [];
  const stack: typeof open[] = [];
  const close = (entry: (typeof open)[number], line: number) => {
    if (line > entry.line + 1) spans.push({ from: entry.line + 1, to: line - 1, rules: entry.rules });
  };
  PRAGMA.lastIndex = 0;
  for (let m = PRAGMA.exec(text); m; m = PRAGMA.exec(text)) {
    const line = lineOf(m.index);
    const body = m[2];
    // Several specifiers may share one pragma: `warning(push) ` is its own; `disable: a; suppress: b`.
    for (const part of body.split(';')) {
      const spec = /^\s*(\w+)\s*(?::\s*(.*))?$/.exec(part);
      if (!spec) continue;
      const what = spec[1].toLowerCase();
      const ids = (spec[2] ?? '').replace(/"[^"]*"/g, ' ');
      if (what === 'suppress') {
        const rules = rulesOf(ids, defined);
        if (rules.size === 0) continue;
        lines ??= text.split('\n');
        const target = nextCodeLine(lines, line);
        spans.push({ from: target, to: target, rules });
      } else if (what === 'disable') {
        const rules = rulesOf(ids, defined);
        if (rules.size > 0) open.push({ line, rules });
      } else if (what === 'default' || what === 'enable') {
        const ended = rulesOf(ids, defined);
        const keep: typeof open = [];
        for (const e of open) {
          if ([...e.rules].some((r) => ended.has(r))) close(e, line);
          else keep.push(e);
        }
        open = keep;
      } else if (what === 'push') {
        stack.push(open);
        open = [...open];
      } else if (what === 'pop') {
        const saved = stack.pop() ?? [];
        for (const e of open) if (!saved.includes(e)) close(e, line);
        open = saved;
      }
    }
  }
  for (const e of open) close(e, lineStarts.length);
  return spans;
}

export function isPragmaSuppressed(spans: readonly SuppressedSpan[], line: number, ruleId: string): boolean {
  for (const s of spans) if (line >= s.from && line <= s.to && s.rules.has(ruleId)) return true;
  return false;
}
