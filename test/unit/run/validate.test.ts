// validateScenario: the one check every front end makes before a scenario runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LINT_RULES, prepareScenarioText, RULE_IDS, SCENARIO_RULE_IDS, validateScenario, type ProjectFiles } from '../../../engine';

/** Every file exists (and is empty). */
const ANY: ProjectFiles = { readFile: () => '' };

const TYPO = 'driver "f.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect no violation cpp-irqll\n';

test('the rule ids a scenario may expect are the runtime ids and the lint ids, once each, sorted', () => {
  assert.ok(SCENARIO_RULE_IDS.includes('deadlock'), 'a runtime-only id');
  assert.ok(SCENARIO_RULE_IDS.includes('wi-bad-queue-type'), 'a lint id');
  for (const id of RULE_IDS) assert.ok(SCENARIO_RULE_IDS.includes(id), id);
  for (const r of LINT_RULES) assert.ok(SCENARIO_RULE_IDS.includes(r.id), r.id);
  assert.equal(new Set(SCENARIO_RULE_IDS).size, SCENARIO_RULE_IDS.length);
  assert.deepEqual([...SCENARIO_RULE_IDS], [...SCENARIO_RULE_IDS].sort());
});

test('a misspelt rule id in expect no violation is an error on the id, with the id it resembles', () => {
  const r = validateScenario(TYPO, '/drv/s.fltsim', ANY);
  assert.equal(r.ok, false);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.endColumn]), [['unknown-rule', 'error', 3, 21, 30]]);
  assert.match(r.diagnostics[0]!.message, /unknown rule id 'cpp-irqll' — did you mean 'cpp-irql'\?/);
  assert.ok(r.diagnostics[0]!.hint.length > 0);
  assert.equal(validateScenario(TYPO.replace('cpp-irqll', 'cpp-irql'), '/drv/s.fltsim', ANY).ok, true);
  assert.equal(validateScenario(TYPO.replace('no violation cpp-irqll', 'violation deadlock'), '/drv/s.fltsim', ANY).ok, true);
});

test('parse errors, missing driver files and unknown rule ids come together, by position; warnings alone leave it runnable', () => {
  const text = 'expect violation no-such-id\ndriver "x.c"\nio #1 wrte "\\Device\\HarddiskVolume1\\a"\n';
  const looked: string[] = [];
  const r = validateScenario(text, '/drv/s.fltsim', { readFile: (p) => { looked.push(p); return undefined; } });
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line]), [['unknown-rule', 1], ['missing-file', 2], ['unknown-operation', 3]]);
  assert.deepEqual(looked, [path.resolve('/drv', 'x.c')]);
  const notAFile = validateScenario(text, undefined, { readFile: () => assert.fail('no path: files are not looked up') });
  assert.deepEqual(notAFile.diagnostics.map((d) => d.code), ['unknown-rule', 'unknown-operation']);
  const warned = validateScenario('driver "x.c"\nio #1 read "\\Device\\HarddiskVolume1\\a" at 5\ncancel #1 at 2\n', '/drv/s.fltsim', ANY);
  assert.deepEqual(warned.diagnostics.map((d) => [d.code, d.severity]), [['cancel-before-issue', 'warning']]);
  assert.equal(warned.ok, true);
});

test('preparing a run makes the same check: the misspelt id stops it before any C is compiled', async () => {
  const read: string[] = [];
  const files: ProjectFiles = {
    readFile: (p) => {
      read.push(p);
      return p.endsWith('f.c') ? 'this is not C' : undefined;
    },
  };
  const r = await prepareScenarioText('/drv/s.fltsim', TYPO, files);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.diagnostics.map((d) => [d.file, d.line, d.column, d.severity]), [['/drv/s.fltsim', 3, 21, 'error']]);
  assert.match(r.diagnostics[0]!.message, /did you mean 'cpp-irql'/);
  assert.deepEqual(read, [path.resolve('/drv', 'f.c')], 'the driver was only checked for existence, not compiled');
});
