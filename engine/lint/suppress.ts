/**
 * Suppression comments the linter honours:
 *   // fltsim-disable-next-line wi-bad-queue-type, cbdq-remove-null
 *   foo(); // fltsim-disable-line wi-queue-status-ignored -- queued status is logged elsewhere
 * Without ids, every rule is silenced on that line. Text after `--` is a free-form reason.
 * Code Analysis pragmas the driver already has silence the rules they map to (pragmaSuppress.ts).
 */
import { lineEndingOf } from '../files';
import { findPragmaSuppressions, isPragmaSuppressed, type DefinedValue, type SuppressedSpan } from './pragmaSuppress';

export interface Suppressions {
  /** 0-based line → rule ids silenced there (`*` for all). */
  byLine: Map<number, Set<string>>;
  /** Every id named in a comment, with its position, so unknown ids can be reported. */
  mentioned: { id: string; line: number; column: number }[];
  /** Lines silenced by `#pragma prefast(suppress: …)` and `#pragma warning(suppress|disable: …)`. */
  pragmas: SuppressedSpan[];
}

const COMMENT = /\/[/*]\s*fltsim-disable-(next-line|line)\b([^\n]*)/g;

/** `defined` gives the value of a `#define` the file sees (a symbolic warning name in a pragma). */
export function findSuppressions(text: string, defined?: DefinedValue): Suppressions {
  const byLine = new Map<number, Set<string>>();
  const mentioned: Suppressions['mentioned'] = [];
  const pragmas = findPragmaSuppressions(text, defined);
  if (text.indexOf('fltsim-disable') < 0) return { byLine, mentioned, pragmas };
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  COMMENT.lastIndex = 0;
  for (let m = COMMENT.exec(text); m; m = COMMENT.exec(text)) {
    for (let i = text.indexOf('\n', scanned); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; scanned = i + 1; }
    let rest = m[2];
    const endComment = rest.indexOf('*/');
    if (endComment >= 0) rest = rest.slice(0, endComment);
    const dash = rest.indexOf('--');
    if (dash >= 0) rest = rest.slice(0, dash);
    const ids = rest.split(/[\s,]+/).filter(Boolean);
    const target = m[1] === 'next-line' ? line + 1 : line;
    const set = byLine.get(target) ?? new Set<string>();
    if (ids.length === 0) set.add('*');
    const idsStart = m.index + m[0].length - m[2].length;
    for (const id of ids) {
      set.add(id);
      mentioned.push({ id, line, column: text.indexOf(id, idsStart) - lineStart });
    }
    byLine.set(target, set);
  }
  return { byLine, mentioned, pragmas };
}

export function isSuppressed(s: Suppressions, line: number, ruleId: string): boolean {
  const set = s.byLine.get(line);
  return (!!set && (set.has('*') || set.has(ruleId))) || isPragmaSuppressed(s.pragmas, line, ruleId);
}

/**
 * The edit that silences `ruleId` on `line` (0-based): a `// fltsim-disable-next-line` comment above
 * it, with the line's indentation — or the id added to such a comment when one is already there.
 * For the language server's "disable this rule for this line" action.
 */
export function disableNextLineEdit(text: string, line: number, ruleId: string): { range: { start: { line: number; column: number }; end: { line: number; column: number } }; newText: string } {
  const lines = text.split('\n');
  const target = (lines[line] ?? '').replace(/\r$/, '');
  const above = line > 0 ? lines[line - 1].replace(/\r$/, '') : undefined;
  const existing = above === undefined ? null : /^(\s*\/\/\s*fltsim-disable-next-line\b)([^\n]*?)(\s*--.*)?$/.exec(above);
  if (above !== undefined && existing) {
    const ids = existing[2].split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0 || ids.includes(ruleId)) return { range: { start: { line: line - 1, column: 0 }, end: { line: line - 1, column: 0 } }, newText: '' };
    const end = existing[1].length + existing[2].length;
    return { range: { start: { line: line - 1, column: end }, end: { line: line - 1, column: end } }, newText: `, ${ruleId}` };
  }
  const indent = /^\s*/.exec(target)?.[0] ?? '';
  return { range: { start: { line, column: 0 }, end: { line, column: 0 } }, newText: `${indent}// fltsim-disable-next-line ${ruleId}${lineEndingOf(text)}` };
}
