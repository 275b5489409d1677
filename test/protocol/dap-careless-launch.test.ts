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

test('a scenario edited while its session runs: the restart names the changed file and asks the client for a new session, which compiles the edit', async () => {
  const sub = mkdtempSync(path.join(dir, 'edit-'));
  writeFileSync(path.join(sub, 'e.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(R); return STATUS_FLT_NOT_INITIALIZED; }\n');
  const file = path.join(sub, 'e.fltsim');
  writeFileSync(file, 'driver "e.c"\nexpect load STATUS_FLT_NOT_INITIALIZED\n');
  const a = new RawProcess(ADAPTER);
  try {
    await launched(a, file, { stopOnEntry: true });
    const stop = await a.event('stopped');
    // Untouched: the restart is the adapter's own, in the same session.
    const restarted = a.event('stopped', 15_000, stop.seq);
    assert.equal((await a.request('restart', {})).success, true);
    const first = await restarted;
    writeFileSync(file, 'driver "e.c"\nexpect load STATUS_SUCCESS\n');
    const said = a.waitFor((m) => m.type === 'event' && m.event === 'output' && /changed since/.test(String(m.body?.output)), 15_000, 'the edit note');
    const withdrawn = a.waitFor((m) => m.type === 'event' && m.event === 'capabilities', 15_000, 'the capabilities event');
    const ended = a.waitFor((m) => m.type === 'event' && m.event === 'terminated', 15_000, 'the terminated event');
    assert.equal((await a.request('restart', {})).success, true);
    const w = await said;
    assert.equal(w.body!.output, 'fltsim: e.fltsim changed since this session compiled it; starting a new session to compile the edited version.\n');
    assert.ok((w.seq ?? 0) > (first.seq ?? 0), 'no note before the edit');
    // The restart support is withdrawn before the request for a new session, so a client relaunches.
    const c = await withdrawn;
    assert.deepEqual(c.body, { capabilities: { supportsRestartRequest: false } });
    const t = await ended;
    assert.equal(t.body?.restart, true);
    assert.ok((c.seq ?? 0) < (t.seq ?? 0));
  } finally {
    a.kill();
  }
  // What the client does next: a new session on the same configuration, which runs the edit.
  const b = new RawProcess(ADAPTER);
  try {
    await launched(b, file, {});
    await b.waitFor((m) => m.type === 'event' && m.event === 'terminated', 30_000, 'the run to end');
    const verdict = b.messages.filter((m) => m.type === 'event' && m.event === 'output').map((m) => String(m.body?.output)).join('');
    assert.match(verdict, /^✗ expect load STATUS_SUCCESS +— got STATUS_FLT_NOT_INITIALIZED$/m, 'the edited expectation is the one judged');
  } finally {
    b.kill();
  }
});
