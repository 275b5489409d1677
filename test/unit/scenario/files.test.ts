import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkScenarioFiles, formatDiagnostic, moduleNameOf, parseScenario, resolveDriverPath, workloadTimeline } from '../../../engine/scenario';

const ROOT = path.resolve('/work/scenarios');
const SCENARIO_PATH = path.join(ROOT, 'pend.fltsim');

test('driver paths resolve next to the scenario, with either slash', () => {
  assert.equal(resolveDriverPath(SCENARIO_PATH, 'pendfilter.c'), path.join(ROOT, 'pendfilter.c'));
  assert.equal(resolveDriverPath(SCENARIO_PATH, 'drivers\\counting.c'), path.join(ROOT, 'drivers', 'counting.c'));
  assert.equal(resolveDriverPath(SCENARIO_PATH, '../shared/x.c'), path.resolve(ROOT, '..', 'shared', 'x.c'));
  assert.equal(resolveDriverPath(SCENARIO_PATH, path.join(ROOT, 'abs.c')), path.join(ROOT, 'abs.c'));
  assert.equal(moduleNameOf('drivers\\counting.c'), 'counting');
  assert.equal(moduleNameOf('noext'), 'noext');
});

test('checkScenarioFiles reports each missing driver at its path, and nothing when all exist', () => {
  const { scenario } = parseScenario('driver "pendfilter.c"\ndriver "drivers/counting.c" altitude 320000\n');
  const present = new Set([path.join(ROOT, 'pendfilter.c')]);
  const d = checkScenarioFiles(scenario, SCENARIO_PATH, (p) => present.has(p));
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.line, x.column, x.endColumn]), [['missing-file', 'error', 2, 8, 28]]);
  assert.equal(d[0].message, `driver file "drivers/counting.c" not found (looked for ${path.join(ROOT, 'drivers', 'counting.c')})`);
  assert.match(d[0].hint, /relative to the folder of the scenario file/);
  present.add(path.join(ROOT, 'drivers', 'counting.c'));
  assert.deepEqual(checkScenarioFiles(scenario, SCENARIO_PATH, (p) => present.has(p)), []);
  const throwing = checkScenarioFiles(scenario, SCENARIO_PATH, () => {
    throw new Error('EACCES');
  });
  assert.equal(throwing.length, 2, 'a fileExists that throws counts as missing, not as a crash');
});

test('formatDiagnostic names the file, line and column, then the hint', () => {
  const { diagnostics } = parseScenario('driver "f.c"\nio #1 raed "\\a"');
  assert.equal(
    formatDiagnostic(diagnostics[0], 'pend.fltsim'),
    "pend.fltsim:2:7: error: unknown operation 'raed' — did you mean 'read'?\n  hint: Operations: create, read, write, cleanup, close, query-info, set-info, query-dir, flush, fsctl, ioctl.",
  );
});

test('the workload timeline orders by time, then by line', () => {
  const { scenario } = parseScenario('driver "f.c"\nunload at 10\nio #2 read "\\b" at 1\ncancel #1 at 2\nio #1 read "\\a" at 1\nio #3 read "\\c"');
  const order = workloadTimeline(scenario).map((e) => (e.kind === 'io' ? `io#${e.io.id}@${e.time}` : `${e.kind}@${e.time}`));
  assert.deepEqual(order, ['io#3@0', 'io#2@1', 'io#1@1', 'cancel@2', 'unload@10']);
});
