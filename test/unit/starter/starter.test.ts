// fltsim init's engine part: what it reads from a driver project, and that the scenario it writes
// parses, runs, and reaches every callback the driver registers (fixtures in test/fixtures/init).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { classifyLiterals, initLinter, parseScenario, prepareScenario, registeredCallbacks, runScenario, starterScenario, stringLiterals, type StarterResult } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const FIXTURES = path.resolve('test/fixtures/init');

before(async () => {
  await initLinter();
});

function starter(target: string | string[]): Extract<StarterResult, { ok: true }> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'fltsim-init-')), 'starter.fltsim');
  const r = starterScenario(nodeFiles, (Array.isArray(target) ? target : [target]).map((t) => path.join(FIXTURES, t)), { out });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
}

/** Writes the scenario where it was meant to go, runs it, and gives the report. */
async function run(r: Extract<StarterResult, { ok: true }>) {
  writeFileSync(r.scenarioPath, r.text);
  const prepared = await prepareScenario(r.scenarioPath, nodeFiles);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('\n'));
  return runScenario(prepared.prepared).report;
}

/** The 1-based line of the fixture that holds `needle`. */
function lineOf(file: string, needle: string): number {
  return readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}

function unreached(r: Extract<StarterResult, { ok: true }>, calls: Record<string, number>): string[] {
  return registeredCallbacks(r.facts).filter((fn) => !(calls[`${r.project.name}!${fn}`]! > 0));
}

test('a driver with pre and post callbacks for create, read, write and set-information: each is named and reached', async () => {
  const r = starter('fourops/fourops.c');
  assert.equal(r.facts.name, 'fourops');
  assert.deepEqual(r.facts.registration, { name: 'FilterRegistration', file: path.join(FIXTURES, 'fourops/fourops.c'), line: lineOf('fourops/fourops.c', 'CONST FLT_REGISTRATION FilterRegistration') });
  assert.deepEqual(r.facts.operations, [
    { major: 'IRP_MJ_CREATE', pre: 'FourPreCreate', post: 'FourPostCreate' },
    { major: 'IRP_MJ_READ', pre: 'FourPreIo', post: 'FourPostRead' },
    { major: 'IRP_MJ_WRITE', pre: 'FourPreIo', post: 'FourPostWrite' },
    { major: 'IRP_MJ_SET_INFORMATION', pre: 'FourPreSetInfo', post: 'FourPostSetInfo' },
  ]);
  assert.deepEqual(r.facts.callbacks, [{ field: 'FilterUnloadCallback', fn: 'FourUnload' }]);
  assert.deepEqual(r.facts.contexts, ['FLT_STREAM_CONTEXT']);
  assert.deepEqual(r.facts.literals.extensions, ['docx']);
  assert.deepEqual(r.facts.literals.paths, ['\\Secret']);
  assert.deepEqual(parseScenario(r.text).diagnostics.filter((d) => d.severity === 'error'), []);
  // The file's folder is the driver (its one DriverEntry), named from where the scenario is; the literals became files.
  assert.ok(r.text.split('\n').includes(`driver "${path.relative(path.dirname(r.scenarioPath), path.join(FIXTURES, 'fourops')).split(path.sep).join('/')}"`), r.text);
  assert.match(r.text, /^file "\\Device\\HarddiskVolume1\\docs\\sample\.docx" content /m);
  assert.match(r.text, /^file "\\Device\\HarddiskVolume1\\Secret\\sample\.docx" content /m);
  assert.match(r.text, /^io #\d+ set-info "[^"]+new\.txt" class FileRenameInformation to "[^"]+renamed\.txt"/m);
  assert.match(r.text, /^io #\d+ set-info "[^"]+old\.log" class FileDispositionInformation delete/m);
  assert.match(r.text, /^unload at \d+$/m);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  assert.deepEqual(report.outcome.loads, [{ module: 'fourops', status: 'STATUS_SUCCESS' }]);
  assert.deepEqual(unreached(r, report.calls), []);
  // The driver's own counters saw the .docx opens and the ones under \Secret.
  assert.ok(report.output.some((l) => /fourops: [1-9]\d* docx opens, [1-9]\d* secret opens/.test(l)), report.output.join('\n'));
});

test('a driver with a communication port: the scenario connects a program that replies, and disconnects it before the unload', async () => {
  const r = starter('porty');
  assert.deepEqual(r.facts.literals.ports, ['\\PortyPort']);
  assert.match(r.text, /^client "\\PortyPort" connect at 0$/m);
  assert.match(r.text, /^client "\\PortyPort" reply hex "01"$/m);
  const disconnect = Number(/^client "\\PortyPort" disconnect at (\d+)$/m.exec(r.text)?.[1]);
  const unload = Number(/^unload at (\d+)$/m.exec(r.text)?.[1]);
  assert.ok(disconnect < unload, `disconnect at ${disconnect}, unload at ${unload}`);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  assert.deepEqual(unreached(r, report.calls), []);
  assert.equal(report.calls['porty!PortyConnect'], 1);
  assert.equal(report.calls['porty!PortyDisconnect'], 1);
  assert.ok(report.output.some((l) => /porty: allowed by the program/.test(l)), report.output.join('\n'));
});

test('a folder of two .c files and a header, with the registration declared inside DriverEntry', async () => {
  const r = starter('twofiles');
  assert.equal(r.project.units.length, 2);
  assert.match(r.text, /^driver "[^"]*twofiles"$/m);
  assert.deepEqual(r.facts.registration, { name: 'registration', file: path.join(FIXTURES, 'twofiles/main.c'), line: lineOf('twofiles/main.c', 'CONST FLT_REGISTRATION registration') });
  assert.deepEqual(r.facts.operations.map((o) => `${o.major} ${o.pre}`), ['IRP_MJ_CREATE TwoPreCreate', 'IRP_MJ_DIRECTORY_CONTROL TwoPreDirectory', 'IRP_MJ_CLEANUP TwoPreCleanup']);
  assert.deepEqual(r.facts.callbacks.map((c) => c.fn), ['TwoUnload', 'TwoInstanceSetup']);
  // The header's #define names the file the filter watches: the scenario makes it and opens it.
  assert.ok(r.facts.sources.some((s) => s.endsWith('twofiles.h')));
  assert.deepEqual(r.facts.literals.paths, ['\\Projects\\plan.txt']);
  assert.match(r.text, /^io #\d+ create "\\Device\\HarddiskVolume1\\Projects\\plan\.txt" at \d+$/m);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  assert.deepEqual(unreached(r, report.calls), []);
  assert.ok(report.output.includes('twofiles: the plan is opened\n') || report.output.some((l) => l.includes('twofiles: the plan is opened')), report.output.join('\n'));
});

test('registration tables declared `const static` inside a function are found, and the scenario runs them', async () => {
  const r = starter('conststatic');
  assert.deepEqual(r.facts.registration, { name: 'reg', file: path.join(FIXTURES, 'conststatic/start.c'), line: lineOf('conststatic/start.c', 'const static FLT_REGISTRATION reg') });
  assert.deepEqual(r.facts.operations.map((o) => `${o.major} ${o.pre}`), ['IRP_MJ_CREATE on_pre_create']);
  assert.deepEqual(r.facts.callbacks.map((c) => c.fn), ['on_unload']);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  assert.deepEqual(unreached(r, report.calls), []);
});

test('one .c file of a folder driver stands for the whole driver', () => {
  const r = starter('twofiles/ops.c');
  assert.equal(r.project.name, 'twofiles');
  assert.equal(r.project.units.length, 2);
});

test('C++ registration tables written `T const name` as locals of a block inside DriverEntry are read, and the scenario runs them', async () => {
  const r = starter('localcpp/guard.cpp');
  assert.deepEqual(r.facts.registration, { name: 'reg', file: path.join(FIXTURES, 'localcpp/guard.cpp'), line: lineOf('localcpp/guard.cpp', 'FLT_REGISTRATION const reg') });
  assert.deepEqual(r.facts.operations.map((o) => `${o.major} ${o.pre ?? '-'} ${o.post ?? '-'}`), ['IRP_MJ_CREATE OnPreCreate -', 'IRP_MJ_CLEANUP - OnPostCleanup']);
  assert.deepEqual(r.facts.callbacks.map((c) => c.fn), ['OnUnload']);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  assert.deepEqual(unreached(r, report.calls), []);
});

test('one .cpp file is a driver source too: its scenario is written and runs to PASS', async () => {
  const r = starter('cppone/one.cpp');
  assert.equal(r.project.cppUnits?.length, 1);
  assert.match(r.text, /driver "one\.cpp"|cppone/);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.expectations));
  assert.ok((report.calls[`${r.project.name}!PreCreate`] ?? 0) > 0, `the create callback is reached: ${JSON.stringify(report.calls)}`);
});

test('a C++ driver whose DriverEntry is `extern "C" NTSTATUS DriverEntry(…)` and creates a port: the port gets a program, not a file', async () => {
  const r = starter('cppport/gate.cpp');
  assert.deepEqual(r.facts.literals.ports, ['\\GateKeeperPort']);
  assert.deepEqual(r.facts.literals.paths, []);
  assert.match(r.text, /^client "\\GateKeeperPort" connect at 0$/m);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  assert.equal(report.calls[`${r.project.name}!OnConnect`], 1);
});

test('registry values: `.Name = L"1"` though not a word, a name given by a string macro, and not a routine name looked up', () => {
  const r = starter('regtable');
  assert.deepEqual(r.facts.registryValues, [{ name: '1', type: 'string' }, { name: 'Mode', type: 'string' }]);
  assert.match(r.text, /^\/\/ registry "1" string /m);
});

test('a driver that tells removable media apart gets a USB volume and I/O on it; a one-letter string is no extension', async () => {
  const r = starter('usbonly');
  assert.equal(r.facts.looksAtRemovable, true);
  assert.deepEqual(r.facts.literals.extensions, ['docx']);
  assert.match(r.text, /^volume "\\Device\\HarddiskVolume2" fs fat removable$/m);
  assert.match(r.text, /^io #\d+ create "\\Device\\HarddiskVolume2\\docs\\usb\.txt" at \d+$/m);
  const report = await run(r);
  assert.equal(report.passed, true, JSON.stringify(report.outcome));
  // The filter attaches to the stick only, and its create callback sees the open there.
  assert.ok((report.calls[`${r.project.name}!PreCreate`] ?? 0) > 0, JSON.stringify(report.calls));
  assert.ok(report.output.some((l) => l.includes('usbonly: open 1 on the stick')), report.output.join('\n'));
});

test('a project without FLT_REGISTRATION is refused with the reason, and nothing is composed', () => {
  const r = starterScenario(nodeFiles, [path.join(FIXTURES, 'noreg')]);
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.kind === 'no-registration');
  assert.match(!r.ok ? r.message : '', /no FLT_REGISTRATION found in noreg's sources \(1 read\).*FltRegisterFilter/);
  const missing = starterScenario(nodeFiles, [path.join(FIXTURES, 'nothing-here')]);
  assert.ok(!missing.ok && missing.kind === 'input', JSON.stringify(missing));
  const header = starterScenario(nodeFiles, [path.join(FIXTURES, 'twofiles/twofiles.h')]);
  assert.ok(!header.ok && /a header is not a driver/.test(header.message), JSON.stringify(header));
});

test('string literals: comments and includes skipped, escapes decoded, sorted into ports, devices, paths and extensions', () => {
  const text = [
    '#include "x.h"',
    '// L"\\\\NotThis"',
    'static const WCHAR *a = L"\\\\MyScanPort";',
    'x = L"\\\\Device\\\\MyCdo"; y = L"\\\\Registry\\\\Machine\\\\X"; z = L"C:\\\\Temp\\\\out.log";',
    'e = L".pdf"; f = L"exe"; g = L"%wZ: denied"; h = "desktop.ini";',
  ].join('\n');
  const lits = stringLiterals(text, 'x.c');
  assert.deepEqual(lits.map((l) => [l.value, l.line]), [
    ['\\MyScanPort', 3], ['\\Device\\MyCdo', 4], ['\\Registry\\Machine\\X', 4], ['C:\\Temp\\out.log', 4], ['.pdf', 5], ['exe', 5], ['%wZ: denied', 5], ['desktop.ini', 5],
  ]);
  const sorted = classifyLiterals(lits, { createsPort: true, createsDevice: true, mentionsExtensions: true });
  assert.deepEqual(sorted, { paths: ['\\Temp\\out.log'], extensions: ['pdf', 'exe'], fileNames: ['desktop.ini'], images: [], ports: ['\\MyScanPort'], devices: ['\\Device\\MyCdo'] });
  // Without a port or a device, and without talk of extensions, the same words mean less.
  const plain = classifyLiterals(lits, { createsPort: false, createsDevice: false, mentionsExtensions: false });
  assert.deepEqual(plain, { paths: ['\\MyScanPort', '\\Temp\\out.log'], extensions: ['pdf'], fileNames: ['desktop.ini'], images: [], ports: [], devices: [] });
});

test('a literal the file system would refuse as a name is no starter path or file: the one rule (streamNames.nameProblem) decides', () => {
  const values = [
    '\\Logs\\a?.txt', '\\Logs\\..\\up.txt', '\\Logs\\%ws.txt', '\\Logs\\a.txt:Zone', `\\Logs\\${'n'.repeat(70)}.txt`, '\\Logs\\tab\there.txt',
    'star*.doc', 'pipe|.doc', '%d.log', 'ok.doc', '\\Logs\\kept.txt',
  ];
  const lit = classifyLiterals(values.map((value) => ({ value, file: 'x.c', line: 1 })), { createsPort: false, createsDevice: false, mentionsExtensions: false });
  assert.deepEqual([lit.paths, lit.fileNames], [['\\Logs\\kept.txt'], ['ok.doc']]);
});

test('a program name in a driver that asks which process is calling becomes a process that opens a file', async () => {
  const r = starter('procgate/procgate.c');
  assert.deepEqual(r.facts.literals.images, ['blocked.exe']);
  assert.deepEqual(r.facts.literals.fileNames, []);
  assert.match(r.text, /^process "blocked\.exe" pid \d+$/m);
  assert.match(r.text, /^io #\d+ create "[^"]+\\docs\\report\.txt" process "blocked\.exe" at \d+$/m);
  const report = await run(r);
  assert.equal(report.error, null);
  assert.ok(report.output.some((l) => l.includes('denied')), report.output.join('\n'));
});

test('without a process query, a .exe string stays a file name', () => {
  const lit = classifyLiterals([{ value: 'setup.exe', file: 'x.c', line: 1 }], { createsPort: false, createsDevice: false, mentionsExtensions: false });
  assert.deepEqual([lit.fileNames, lit.images], [['setup.exe'], []]);
  const asked = classifyLiterals([{ value: 'setup.exe', file: 'x.c', line: 1 }], { createsPort: false, createsDevice: false, mentionsExtensions: false, asksProcess: true });
  assert.deepEqual([asked.fileNames, asked.images], [[], ['setup.exe']]);
});

test('a driver with a process notify routine gets its programs started and ended during the workload', async () => {
  const r = starter('procnotify/procnotify.c');
  assert.equal(r.facts.watchesProcesses, true);
  assert.deepEqual(r.facts.literals.images, ['blocked.exe']);
  const line = /^process "blocked\.exe" pid \d+ start at (\d+) exit at (\d+)$/m.exec(r.text);
  assert.ok(line, r.text);
  const opens = [...r.text.matchAll(/^io #\d+ \w+ .* process "blocked\.exe" at (\d+)$/gm)].map((m) => Number(m[1]));
  assert.equal(opens.length, 4);
  assert.ok(opens.every((t) => t > Number(line[1]) && t < Number(line[2])), `${line[0]} / ${opens.join(',')}`);
  const report = await run(r);
  assert.equal(report.error, null);
  assert.ok(report.output.some((l) => l.includes('start refused')), report.output.join('\n'));
});

test('a process notify driver that names no program still sees one start and exit', async () => {
  const r = starter('procwatch/procwatch.c');
  assert.equal(r.facts.watchesProcesses, true);
  assert.deepEqual(r.facts.literals.images, []);
  assert.match(r.text, /^process "sample\.exe" pid \d+ start at \d+ exit at \d+$/m);
  const report = await run(r);
  assert.equal(report.error, null);
  assert.ok(report.output.some((l) => l.includes('starts seen: 1')), report.output.join('\n'));
});
