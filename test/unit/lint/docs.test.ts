// Every rule has its page in docs/rules, and the page's examples are true: the "Wrong" code
// triggers the rule, the "Right" code gives no finding at all.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initLinter, lintText, LINT_RULES } from '../../../engine/lint';

const ROOT = join(__dirname, '..', '..', '..');

before(async () => {
  await initLinter();
});

function section(page: string, heading: string): string | undefined {
  const at = page.indexOf(`\n## ${heading}\n`);
  if (at < 0) return undefined;
  const m = /```c\n([\s\S]*?)\n```/.exec(page.slice(at));
  return m?.[1];
}

for (const rule of LINT_RULES) {
  test(`docs page of ${rule.id}`, () => {
    assert.equal(rule.docUrl, `docs/rules/${rule.id}.md`);
    const path = join(ROOT, rule.docUrl);
    assert.ok(existsSync(path), `${rule.docUrl} is missing`);
    const page = readFileSync(path, 'utf8');
    for (const h of ['What is wrong', 'Why it matters', 'Wrong', 'Right', 'How fltsim decides', 'Source']) {
      assert.ok(page.includes(`\n## ${h}\n`), `${rule.id}: section '${h}' missing`);
    }
    assert.ok(rule.sources.every((s) => page.includes(s)), `${rule.id}: every source URL is listed`);
    const wrong = section(page, 'Wrong');
    const right = section(page, 'Right');
    assert.ok(wrong && right, `${rule.id}: both examples are C code blocks`);
    const bad = lintText(wrong).findings.map((f) => f.ruleId);
    assert.ok(bad.includes(rule.id), `${rule.id}: the wrong example must trigger it (got ${bad.join(', ') || 'nothing'})`);
    assert.deepEqual(lintText(right).findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), [], `${rule.id}: the right example must be clean`);
  });
}
