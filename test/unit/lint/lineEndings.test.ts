// Every lint fixture saved with CRLF line ends (as Windows tools save sources) gives the findings its
// LF original gives — same lines, columns, related locations and messages — and every quick fix,
// applied to the CRLF file, gives the CRLF form of the fixed original: fixes insert CRLF there.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, type Finding, type LintTextEdit } from '../../../engine';
import { fixtureDirs, readFixture } from './fixtures';

before(async () => {
  await initLinter();
});

function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 0; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + column;
}

function applyEdits(text: string, edits: readonly LintTextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start.line, b.range.start.column) - offsetOf(text, a.range.start.line, a.range.start.column));
  for (const e of sorted) text = text.slice(0, offsetOf(text, e.range.start.line, e.range.start.column)) + e.newText + text.slice(offsetOf(text, e.range.end.line, e.range.end.column));
  return text;
}

const shape = (f: Finding) => ({ ruleId: f.ruleId, range: f.range, message: f.message, related: f.related, fixes: f.fixes.map((x) => x.title) });

test('CRLF fixtures: the same findings at the same places, and fixes that keep CRLF', () => {
  let fixes = 0;
  for (const { rule, files } of fixtureDirs()) {
    for (const file of files) {
      const lf = readFixture(rule, file).replace(/\r\n/g, '\n');
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = lintText(lf).findings;
      const b = lintText(crlf).findings;
      assert.deepEqual(b.map(shape), a.map(shape), `${rule}/${file}`);
      a.forEach((f, i) => f.fixes.forEach((fix, j) => {
        const fixed = applyEdits(crlf, b[i]!.fixes[j]!.edits);
        assert.ok(!/[^\r]\n/.test(fixed), `${rule}/${file}: '${fix.title}' leaves a bare LF`);
        assert.equal(fixed, applyEdits(lf, fix.edits).replace(/\n/g, '\r\n'), `${rule}/${file}: ${fix.title}`);
        fixes++;
      }));
    }
  }
  assert.ok(fixes >= 5, `the fixtures exercise the quick fixes (${fixes})`);
});
