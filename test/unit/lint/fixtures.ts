/**
 * Reading the expectations written into lint fixtures. A fixture line that must produce a finding
 * ends with `//~ <rule-id>: <text>`: the finding's range is exactly the first occurrence of <text>
 * on that line. Several markers may follow each other on one line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../../engine/lint';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'lint');

export interface Expected {
  ruleId: string;
  line: number;
  startColumn: number;
  endColumn: number;
}

const MARKER = /\/\/~\s*([a-z0-9-]+):\s*(.+?)\s*(?=\/\/~|$)/g;

export function expectedFindings(text: string): Expected[] {
  const out: Expected[] = [];
  text.split('\n').forEach((raw, line) => {
    const at = raw.indexOf('//~');
    if (at < 0) return;
    const code = raw.slice(0, at);
    for (const m of raw.slice(at).matchAll(MARKER)) {
      const col = code.indexOf(m[2]);
      if (col < 0) throw new Error(`marker text '${m[2]}' not found on line ${line + 1}`);
      out.push({ ruleId: m[1], line, startColumn: col, endColumn: col + m[2].length });
    }
  });
  return out;
}

export function asExpected(f: Finding): Expected | string {
  if (f.range.start.line !== f.range.end.line) return `${f.ruleId} spans lines ${f.range.start.line + 1}-${f.range.end.line + 1}`;
  return { ruleId: f.ruleId, line: f.range.start.line, startColumn: f.range.start.column, endColumn: f.range.end.column };
}

export function key(e: Expected | string): string {
  return typeof e === 'string' ? e : `${e.ruleId}@${e.line + 1}:${e.startColumn + 1}-${e.endColumn + 1}`;
}

/** Rule directories and their fixture files. */
export function fixtureDirs(): { rule: string; files: string[] }[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => ({ rule: d.name, files: readdirSync(join(FIXTURES, d.name)).filter((f) => f.endsWith('.c') || f.endsWith('.cpp')).sort() }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
}

export function readFixture(rule: string, file: string): string {
  return readFileSync(join(FIXTURES, rule, file), 'utf8');
}
