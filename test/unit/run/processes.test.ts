/**
 * Processes as scenario objects (test/fixtures/processes/procguard.c, written for these tests): a
 * process-create notify routine that denies one image and tracks the others until they exit,
 * ObRegisterCallbacks that strips access to a protected process, and a create refused by the
 * requesting process's image name, with every process-identity routine agreeing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const sources: Record<string, string> = { '/t/procguard.c': readFileSync(path.resolve('test/fixtures/processes/procguard.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[], defines: string[] = []): Promise<World> {
  const text = ['driver "procguard.c"', ...defines.map((d) => `define ${d}`), `file "${V}\\a.txt" content "x"`, ...lines].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', text, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  return world;
}

const PROCESSES = [
  `process "explorer.exe" pid 1000 image "${V}\\Windows\\explorer.exe"`,
  `process "notepad.exe" pid 1200 image "${V}\\Windows\\notepad.exe" parent "explorer.exe" command-line "notepad a.txt" start at 2 exit at 20`,
  `process "blocked.exe" pid 1300 image "${V}\\Tools\\blocked.exe" start at 3`,
  'process "guarded.exe" pid 1400 start at 1',
  'process "untrusted.exe" pid 1500',
];

test('a notify routine denies a start by image name; the others start with their parent and command line and leave the list at exit', async () => {
  const w = await run([...PROCESSES, 'unload at 30']);
  assert.equal(w.fault, undefined);
  const out = w.sim.kernel.output;
  assert.ok(out.includes('start 1200 parent 1000 name notepad.exe cmd notepad a.txt'), out.join('\n'));
  assert.ok(out.includes(`denied ${V}\\Tools\\blocked.exe`));
  assert.ok(!out.some((l) => l.startsWith('start 1300')), 'a denied process is not tracked');
  assert.ok(out.includes('exit 1200 left 1'), 'the exit notification removes the process from the list');
  assert.equal(w.sim.processes.named('blocked.exe')?.state, 'denied');
  assert.equal(w.sim.processes.named('notepad.exe')?.state, 'exited');
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  const verdict = w.facts();
  assert.equal(verdict.processes?.get('blocked.exe')?.denied, 0xc0000022);
});

test('the process that issues an io is the one every identity routine names, and its image name decides the create', async () => {
  const w = await run([...PROCESSES, `io #1 create "${V}\\a.txt" process "notepad.exe" at 5`, `io #2 create "${V}\\a.txt" process "untrusted.exe" at 6`, `io #3 create "${V}\\a.txt" at 7`, 'unload at 30']);
  const out = w.sim.kernel.output;
  assert.ok(out.includes(`create by 1200 1200 1200 image ${V}\\Windows\\notepad.exe`), out.join('\n'));
  assert.ok(out.includes(`create by 1500 1500 1500 image ${V}\\untrusted.exe`));
  // No process named: the default workload process.
  assert.ok(out.includes(`create by 500 500 500 image ${V}\\Program Files\\fltsim\\fltsim-app.exe`), out.join('\n'));
  assert.equal(w.sim.result(1)?.status, 0);
  assert.equal(w.sim.result(2)?.status, 0xc0000022);
  assert.equal(w.sim.result(3)?.status, 0);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('an ObRegisterCallbacks pre-operation callback strips access to a protected process; other opens get what they ask', async () => {
  const w = await run([...PROCESSES, 'open-process #10 "guarded.exe" access all by "notepad.exe" at 8', 'open-process #11 "notepad.exe" access 0x1410 at 9', 'open-process #12 "blocked.exe" access all at 10', 'unload at 30']);
  assert.equal(w.sim.processOpens.get(10)?.granted, 0x1fffff & ~0x21);
  assert.equal(w.sim.processOpens.get(11)?.granted, 0x1410);
  assert.equal(w.sim.processOpens.get(12)?.status, 0xc000000b, 'a process that never started cannot be opened');
  assert.ok(w.sim.kernel.output.includes('granted 1fffde'));
});

test('unloading with the notify routine still registered is reported at the line that registered it', async () => {
  const w = await run([...PROCESSES, 'unload at 30'], ['LEAK_NOTIFY']);
  const v = w.sim.violations.filter((x) => x.rule === 'callback-not-unregistered');
  assert.equal(v.length, 1, w.sim.violations.map((x) => x.message).join('\n'));
  assert.match(v[0]!.message, /PsSetCreateProcessNotifyRoutineEx in DriverEntry/);
  assert.equal(v[0]!.location?.line, sources['/t/procguard.c']!.split('\n').findIndex((l) => l.includes('status = PsSetCreateProcessNotifyRoutineEx(ProcessNotify, FALSE)')) + 1);
});

test('a process reference from PsLookupProcessByProcessId never dropped is a reference leak at its line', async () => {
  const w = await run([...PROCESSES, `io #1 create "${V}\\a.txt" process "notepad.exe" at 5`, 'unload at 30'], ['LEAK_LOOKUP']);
  const v = w.sim.violations.filter((x) => x.rule === 'ob-ref-leak');
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /process notepad\.exe \(pid 1200\) from PsLookupProcessByProcessId in PreCreate/);
});

test('ObDereferenceObjectDeferDelete gives back the reference PsLookupProcessByProcessId took; one more (the WithTag form) is an over-release naming the routine', async () => {
  const w = await run([...PROCESSES, `io #1 create "${V}\\a.txt" process "notepad.exe" at 5`, 'unload at 30'], ['DEFER_DELETE']);
  assert.deepEqual(w.sim.violations.map((x) => x.rule), []);
  assert.equal(w.sim.result(1)?.status, 0);
  const twice = await run([...PROCESSES, `io #1 create "${V}\\a.txt" process "notepad.exe" at 5`, 'unload at 30'], ['DEFER_DELETE', 'DEREF_TWICE']);
  const v = twice.sim.violations.filter((x) => x.rule === 'ob-over-release');
  assert.equal(v.length, 1, twice.sim.violations.map((x) => x.message).join('\n'));
  assert.match(v[0]!.message, /^ObDereferenceObjectDeferDeleteWithTag on process notepad\.exe \(pid 1200\), but the driver holds no reference/);
});

test('PsGetProcessPeb (found with MmGetSystemRoutineAddress) gives the process\'s PEB in user-mode memory, laid out as winternl.h documents: ImagePathName is the Win32 path, CommandLine the process\'s; the System process has none', async () => {
  const w = await run([...PROCESSES, `io #1 create "${V}\\a.txt" process "notepad.exe" at 5`, 'unload at 30'], ['READ_PEB']);
  const out = w.sim.kernel.output;
  assert.ok(out.includes('peb image C:\\Windows\\notepad.exe command notepad a.txt same 1'), out.join('\n'));
  assert.ok(out.includes('system peb 0000000000000000'), out.join('\n'));
  assert.deepEqual(w.sim.violations.map((x) => x.rule), []);
});

test('FltGetRequestorProcessIdEx gives the id of the process that issued the operation, as FltGetRequestorProcessId does', async () => {
  const w = await run([...PROCESSES, `io #1 create "${V}\\a.txt" process "notepad.exe" at 5`, `io #2 create "${V}\\a.txt" at 7`, 'unload at 30'], ['REQUESTOR_EX']);
  const out = w.sim.kernel.output.filter((l) => l.startsWith('requestor ex'));
  assert.deepEqual(out, ['requestor ex 1200', 'requestor ex 500']);
});

test('expect lines about processes and opens pass and fail on what happened', async () => {
  const w = await run([...PROCESSES, 'open-process #10 "guarded.exe" access all by "notepad.exe" at 8', 'unload at 30',
    'expect #10 granted 0x1fffde', 'expect process "blocked.exe" denied', 'expect process "notepad.exe" exited', 'expect process "guarded.exe" denied']);
  const r = w.verdict();
  assert.deepEqual(r.expectations.map((e) => e.passed), [true, true, true, false]);
  assert.equal(r.expectations[3]!.actual, 'running');
});
