// Every rule against its own fixtures: each bad file must give exactly the findings its `//~`
// markers announce (rule id, line and column range), each good file none at all. `.cpp` fixtures
// are read with the C++ grammar.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintLanguageOf, lintText, LINT_RULES } from '../../../engine/lint';
import { asExpected, expectedFindings, fixtureDirs, key, readFixture } from './fixtures';

before(async () => {
  await initLinter();
});

const dirs = fixtureDirs();

test('every rule has a fixture directory with a bad and a good file', () => {
  const byRule = new Map(dirs.map((d) => [d.rule, d.files]));
  const missing: string[] = [];
  for (const r of LINT_RULES) {
    const files = byRule.get(r.id) ?? [];
    const bad = files.filter((f) => f.startsWith('bad'));
    if (bad.length === 0 || !files.some((f) => f.startsWith('good'))) missing.push(r.id);
    const announces = bad.some((f) => expectedFindings(readFixture(r.id, f)).some((e) => e.ruleId === r.id));
    if (!announces) missing.push(`${r.id} (no marker for it)`);
  }
  assert.deepEqual(missing, []);
  assert.equal(LINT_RULES.length, 62);
});

for (const dir of dirs) {
  describe(dir.rule, () => {
    for (const file of dir.files) {
      test(file, () => {
        const text = readFixture(dir.rule, file);
        const expected = expectedFindings(text).map(key).sort();
        if (file.startsWith('good')) assert.equal(expected.length, 0, 'good fixtures carry no markers');
        const result = lintText(text, {}, lintLanguageOf(file));
        assert.equal(result.stats.unparsed, 0, 'fixtures must parse cleanly');
        assert.equal(result.stats.internalErrors, 0, 'no rule may fail internally');
        const actual = result.findings.map((f) => key(asExpected(f))).sort();
        assert.deepEqual(actual, expected);
        if (file.startsWith('bad')) assert.ok(expected.some((e) => e.startsWith(`${dir.rule}@`)), `${file} must announce a ${dir.rule} finding`);
      });
    }
  });
}
