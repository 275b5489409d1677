// Launch configurations as people and other clients write them: a driver's .c file where the
// scenario goes, an editor variable nobody expanded, a file: URI, a folder given as the replay file.
// Each is answered with success: false and a sentence saying what to give instead; a file: URI is
// taken as the path it names. Spoken to dist/debugAdapter.js as its own process.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADAPTER, launched, RawProcess, type Message } from './adapterProcess';

const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-careless-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'quiet.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(R); return STATUS_SUCCESS; }\n');
const SCENARIO = path.join(dir, 'quiet.fltsim');
writeFileSync(SCENARIO, 'scenario "quiet"\ndriver "quiet.c"\n');

async function launch(scenario: string, extra: Record<string, unknown> = {}): Promise<Message> {
  const a = new RawProcess(ADAPTER);
  try {
    return await launched(a, scenario, extra);
  } finally {
    a.kill();
  }
}

test('a driver source given as the scenario is refused with what a scenario is and how to make one', async () => {
  const r = await launch(path.join(dir, 'quiet.c'));
  assert.equal(r.success, false);
  assert.match(r.message ?? '', /'quiet\.c' is a driver's file, not a scenario: a scenario is a \.fltsim file whose driver line names it \('fltsim init quiet\.c' writes one beside it\)/);
});

test('an unexpanded ${workspaceFolder} is named as the reason the scenario cannot be read', async () => {
  const r = await launch('${workspaceFolder}/quiet.fltsim');
  assert.equal(r.success, false);
  assert.match(r.message ?? '', /it does not exist — \$\{workspaceFolder\} was not expanded: only VS Code replaces such variables/);
});

test('a file: URI as the scenario is the file it names; a folder as the replay file says it is a folder', async () => {
  const r = await launch(pathToFileURL(SCENARIO).href);
  assert.equal(r.success, true, r.message);
  const replay = await launch(SCENARIO, { replay: dir });
  assert.equal(replay.success, false);
  assert.match(replay.message ?? '', /^The replay file .* cannot be used: it is a directory, not a file\.$/);
});
