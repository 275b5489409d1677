/**
 * What a path given as the scenario says about the mistake (engine/run/scenarioFile.ts), through
 * prepareScenario as the CLI and the debug adapter call it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareScenario } from '../../../engine';
import { memoryFiles } from '../files/memoryFiles';

const files = memoryFiles({ '/p/filter.c': '#include <fltKernel.h>\n', '/p/filter.vcxproj': '<Project/>', '/p/s.fltsim': 'driver "filter.c"\n' });

async function firstError(scenarioPath: string): Promise<string> {
  const r = await prepareScenario(scenarioPath, files);
  assert.equal(r.ok, false, scenarioPath);
  const d = r.ok ? undefined : r.diagnostics.find((x) => x.severity === 'error');
  return `${d?.line}:${d?.column} ${d?.message}${d?.hint ? ` — ${d.hint}` : ''}`;
}

test('a driver source, header or project given as the scenario is named as such, with how to make a scenario', async () => {
  assert.equal(await firstError('/p/filter.c'), "1:1 'filter.c' is a driver's file, not a scenario: a scenario is a .fltsim file whose driver line names it ('fltsim init filter.c' writes one beside it)");
  assert.match(await firstError('/p/filter.vcxproj'), /^1:1 'filter\.vcxproj' is a driver's file, not a scenario/);
  assert.match(await firstError('/p/FILTER.H'), /^1:1 'FILTER\.H' is a driver's file, not a scenario/);
});

test('an unreadable scenario path spelled with an editor variable, a file: URI or a Windows drive gets the reason as its hint', async () => {
  assert.match(await firstError('/p/${workspaceFolder}/s.fltsim'), / — \$\{workspaceFolder\} was not expanded: only VS Code replaces such variables in a launch configuration; give the path itself$/);
  assert.match(await firstError('/p/file:/p/s.fltsim'), / — this is a file: URI, not a path; give the path of the \.fltsim file$/);
  assert.match(await firstError('/p/C:\\proj\\s.fltsim'), / — this is a Windows drive path, which this machine cannot open; give the path of the \.fltsim file here$/);
  assert.match(await firstError('/p/missing.fltsim'), / — check the path; scenario files end in \.fltsim$/);
});
