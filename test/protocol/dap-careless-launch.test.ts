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

test('a scenario edited while its session runs: the restart says which file changed and that it runs the compiled version', async () => {
  const sub = mkdtempSync(path.join(dir, 'edit-'));
  writeFileSync(path.join(sub, 'e.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(R); return STATUS_FLT_NOT_INITIALIZED; }\n');
  const file = path.join(sub, 'e.fltsim');
  writeFileSync(file, 'driver "e.c"\nexpect load STATUS_FLT_NOT_INITIALIZED\n');
  const a = new RawProcess(ADAPTER);
  try {
    await launched(a, file, { stopOnEntry: true });
    const stop = await a.event('stopped');
    // Untouched: a restart says nothing about edits.
    let restarted = a.event('stopped', 15_000, stop.seq);
    assert.equal((await a.request('restart', {})).success, true);
    const first = await restarted;
    writeFileSync(file, 'driver "e.c"\nexpect load STATUS_SUCCESS\n');
    const warned = a.waitFor((m) => m.type === 'event' && m.event === 'output' && /changed since/.test(String(m.body?.output)), 15_000, 'the edit warning');
    restarted = a.event('stopped', 15_000, first.seq);
    assert.equal((await a.request('restart', {})).success, true);
    const w = await warned;
    assert.equal(w.body!.output, 'fltsim: e.fltsim changed since this session compiled it; the restart runs the compiled version. Stop and start debugging to run the edited one.\n');
    assert.ok((w.seq ?? 0) > (first.seq ?? 0), 'no warning before the edit');
    await restarted;
  } finally {
    a.kill();
  }
});
