// `fltsim lint` as users and CI run it: the built CLI, started as a process, on the lint fixtures.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIX = 'test/fixtures/lint';

const lint = (...args: string[]) => spawnSync(process.execPath, [CLI, 'lint', ...args], { cwd: ROOT, encoding: 'utf8' });

before(() => {
  // `npm test` builds first; when this file runs on its own, build the bundles it needs.
  if (!existsSync(CLI)) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

test('text: one compiler-style line per finding, notes for related locations, exit 1 on errors', () => {
  const r = lint(`${FIX}/wi-leak-on-queue-failure/bad.c`);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `${FIX}/wi-leak-on-queue-failure/bad.c:21:14: error [wi-leak-on-queue-failure] When this call fails, 'item' is never freed; call FltFreeGenericWorkItem(item) on the failure path.`);
  assert.equal(lines[1], `    ${FIX}/wi-leak-on-queue-failure/bad.c:16:34: note: allocated here`);
  assert.match(r.stderr, /1 error, 0 warnings in 1 file/);
});

test('a clean file prints nothing and exits 0; a folder is searched recursively', () => {
  const clean = lint(`${FIX}/wi-bad-queue-type/good.c`);
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(clean.stdout, '');
  const folder = lint(`${FIX}/wi-bad-queue-type`);
  assert.equal(folder.status, 1);
  assert.match(folder.stdout, /^test\/fixtures\/lint\/wi-bad-queue-type\/bad\.c:22:67: error \[wi-bad-queue-type\] /m);
  assert.match(folder.stderr, /in 2 files/);
});

test('warnings alone exit 0; --rule-severity turns rules off or changes their level', () => {
  const worker = lint(`${FIX}/wi-not-freed-by-worker/bad.c`);
  assert.equal(worker.status, 0, 'wi-not-freed-by-worker is a warning');
  assert.match(worker.stdout, /: warning \[wi-not-freed-by-worker\] /);
  const off = lint(`${FIX}/wi-bad-queue-type/bad.c`, '--rule-severity', 'wi-bad-queue-type=off');
  assert.equal(off.status, 0);
  assert.equal(off.stdout, '');
  const demoted = lint(`${FIX}/deferred-wi-non-irp/bad.c`, '--rule-severity=deferred-wi-non-irp=warning,preop-pending-non-irp=warning');
  assert.equal(demoted.status, 0, demoted.stdout);
  assert.equal((demoted.stdout.match(/: warning \[/g) ?? []).length, 2);
  const raised = lint(`${FIX}/wi-not-freed-by-worker/bad.c`, '--rule-severity', 'wi-not-freed-by-worker=error');
  assert.equal(raised.status, 1);
});

test('json: a stable, versioned report with 1-based positions', () => {
  const r = lint('--format', 'json', `${FIX}/wi-bad-queue-type/bad.c`, `${FIX}/wi-bad-queue-type/good.c`);
  assert.equal(r.status, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 3);
  assert.deepEqual(report.notes, []);
  assert.equal(report.tool.name, 'fltsim');
  assert.deepEqual(report.summary, { files: 2, errors: 1, warnings: 0 });
  assert.deepEqual(report.files.map((f: { path: string }) => f.path), [`${FIX}/wi-bad-queue-type/bad.c`, `${FIX}/wi-bad-queue-type/good.c`]);
  const [finding] = report.files[0].findings;
  assert.equal(finding.ruleId, 'wi-bad-queue-type');
  assert.equal(finding.severity, 'error');
  assert.deepEqual(finding.range, { start: { line: 22, column: 67 }, end: { line: 22, column: 89 } });
  assert.deepEqual(finding.fixes[0].edits[0], { range: finding.range, newText: 'DelayedWorkQueue' });
  assert.deepEqual(report.files[1].findings, []);
});

test('sarif: 2.1.0 log with the rule table, results, relative forward-slash paths and related locations', () => {
  const r = lint('--format', 'sarif', `${FIX}/wi-leak-on-queue-failure`, `${FIX}/cbdq-lock-irql/bad.c`);
  assert.equal(r.status, 1);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'fltsim');
  assert.match(driver.version, /^\d+\.\d+\.\d+$/);
  assert.match(driver.informationUri, /^[a-z]+:\/\//);
  assert.equal(driver.rules.length, 62);
  for (const rule of driver.rules) {
    assert.match(rule.id, /^[a-z]+(-[a-z0-9]+)+$/);
    assert.ok(rule.shortDescription.text.length > 0 && rule.fullDescription.text.length > 0, rule.id);
    assert.match(rule.helpUri, new RegExp(`^[a-z]+:.*${rule.id}\\.md$`));
    assert.ok(['error', 'warning'].includes(rule.defaultConfiguration.level), rule.id);
  }
  const results = log.runs[0].results;
  assert.ok(results.length >= 2);
  for (const res of results) {
    assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(['error', 'warning'].includes(res.level));
    assert.ok(res.message.text.length > 0);
    const loc = res.locations[0].physicalLocation;
    assert.doesNotMatch(loc.artifactLocation.uri, /\\|^\/|^[a-z]+:/i, 'relative, forward slashes');
    assert.ok(loc.artifactLocation.uri.startsWith(FIX));
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(loc.region[k]) && loc.region[k] >= 1, k);
  }
  const leak = results.find((x: { ruleId: string }) => x.ruleId === 'wi-leak-on-queue-failure');
  assert.deepEqual(leak.locations[0].physicalLocation.region, { startLine: 21, startColumn: 14, endLine: 21, endColumn: 94 });
  assert.equal(leak.relatedLocations[0].message.text, 'allocated here');
  assert.equal(leak.relatedLocations[0].physicalLocation.region.startLine, 16);
  const irql = results.find((x: { ruleId: string }) => x.ruleId === 'cbdq-lock-irql');
  assert.ok(irql.relatedLocations.some((x: { message: { text: string } }) => /spin lock acquired here/.test(x.message.text)));
});

test('suppression comments silence the named rule on the next line or the same line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-'));
  try {
    const file = join(dir, 'queue.c');
    writeFileSync(file, [
      'VOID Worker(PFLT_GENERIC_WORKITEM Item, PVOID FltObject, PVOID Context) { FltFreeGenericWorkItem(Item); }',
      'VOID Kick(PFLT_INSTANCE Instance) {',
      '    PFLT_GENERIC_WORKITEM item = FltAllocateGenericWorkItem();',
      '    if (item == NULL) return;',
      '    // fltsim-disable-next-line wi-queue-status-ignored -- reported by the worker',
      '    FltQueueGenericWorkItem(item, Instance, Worker, DelayedWorkQueue, NULL);',
      '    FltQueueGenericWorkItem(item, Instance, Worker, CriticalWorkQueue, NULL); // fltsim-disable-line',
      '    FltQueueGenericWorkItem(item, Instance, Worker, DelayedWorkQueue, NULL);',
      '}',
    ].join('\n'));
    const r = spawnSync(process.execPath, [CLI, 'lint', 'queue.c'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), ['queue.c:8:5: error [wi-queue-status-ignored] The status of FltQueueGenericWorkItem is thrown away; test it and free the work item when queuing fails.']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad usage exits 2 with a message that says what to fix', () => {
  const none = lint();
  assert.equal(none.status, 2);
  assert.match(none.stderr, /give at least one file or folder/);
  const missing = lint(`${FIX}/no-such-file.c`);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no-such-file\.c: no such file or folder/);
  const option = lint('--fromat', 'json', FIX);
  assert.equal(option.status, 2);
  assert.match(option.stderr, /unknown option '--fromat' — did you mean '--format'\?/);
  const format = lint('--format', 'xml', FIX);
  assert.equal(format.status, 2);
  assert.match(format.stderr, /must be one of text, json, sarif/);
  const rule = lint('--rule-severity', 'wi-bad-queue=off', FIX);
  assert.equal(rule.status, 2);
  assert.match(rule.stderr, /unknown rule id 'wi-bad-queue' — did you mean 'wi-bad-queue-type'\?/);
  const level = lint('--rule-severity', 'wi-bad-queue-type=fatal', FIX);
  assert.equal(level.status, 2);
  assert.match(level.stderr, /must be off, warning or error/);
});

const REPO = 'test/fixtures/projects/repo';

test('a folder of several drivers is linted project by project; the user-mode project and a missing file are notes', () => {
  const r = lint(REPO);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    `${REPO}/tool/tool.vcxproj:1:1: note: tool is skipped: none of its files includes a kernel header (fltKernel.h, ntifs.h, wdm.h, ntddk.h), so it is a user-mode program`,
    `${REPO}/split/split.vcxproj:15:1: note: split: trace.c is listed in split.vcxproj but not found (looked for ${join(ROOT, REPO, 'split', 'trace.c')}); the other files are still used`,
    `${REPO}/counter/note.c:8:23: error [postop-irql-unsafe-call] FltGetFileNameInformation needs IRQL <= APC_LEVEL, but CounterPostWrite is a post-operation callback and may run at DISPATCH_LEVEL (via CounterPostWrite → CounterNote); do this work from FltDoCompletionProcessingWhenSafe or a worker.`,
    `    ${REPO}/counter/counter.c:35:5: note: called from CounterPostWrite here`,
    `${REPO}/counter/note.c:10:9: error [postop-irql-unsafe-call] FltReleaseFileNameInformation needs IRQL <= APC_LEVEL, but CounterPostWrite is a post-operation callback and may run at DISPATCH_LEVEL (via CounterPostWrite → CounterNote); do this work from FltDoCompletionProcessingWhenSafe or a worker.`,
    `    ${REPO}/counter/counter.c:35:5: note: called from CounterPostWrite here`,
    `${REPO}/split/ops.c:17:9: error [preop-callback-without-postop] FLT_PREOP_SUCCESS_WITH_CALLBACK asks for a post-operation callback, but IRP_MJ_READ is registered with PostOperation = NULL; register one or return FLT_PREOP_SUCCESS_NO_CALLBACK.`,
    `    ${REPO}/split/reg.c:15:5: note: registered without a post-operation callback here`,
  ]);
  assert.match(r.stderr, /3 errors, 0 warnings in 7 files/, 'the user-mode main.c is not among the files');
});

test('a .vcxproj, or one of its files, is linted as the whole driver; notes reach JSON and SARIF', () => {
  const proj = lint('--format', 'json', `${REPO}/split/split.vcxproj`);
  assert.equal(proj.status, 1);
  const report = JSON.parse(proj.stdout);
  assert.deepEqual(report.files.map((f: { path: string }) => f.path), ['reg.c', 'ops.c', 'queue.c', 'teardown.c'].map((f) => `${REPO}/split/${f}`));
  assert.deepEqual(report.files[0].findings, [], 'reg.c: its teardown drains and its unload helper unregisters, in other files');
  assert.deepEqual(report.files[1].findings[0].related, [{ message: 'registered without a post-operation callback here', range: { start: { line: 15, column: 5 }, end: { line: 15, column: 43 } }, path: `${REPO}/split/reg.c` }]);
  assert.deepEqual(report.notes.map((n: { path: string; line: number }) => [n.path, n.line]), [[`${REPO}/split/split.vcxproj`, 15]]);
  const one = lint(`${REPO}/split/reg.c`);
  assert.equal(one.status, 0, 'a single file is analysed in the context of the project that lists it');
  assert.equal(one.stdout, '');
  const sarif = JSON.parse(lint('--format', 'sarif', `${REPO}/tool/tool.vcxproj`).stdout);
  const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
  assert.equal(notes.length, 1);
  assert.equal(notes[0].level, 'note');
  assert.match(notes[0].message.text, /^tool is skipped: /);
  assert.deepEqual(notes[0].locations[0].physicalLocation.artifactLocation, { uri: `${REPO}/tool/tool.vcxproj`, uriBaseId: 'SRCROOT' });
  assert.deepEqual(sarif.runs[0].results, []);
});

test('a C++ file is read with the C++ grammar; code that cannot be parsed is a note in text, JSON and SARIF', () => {
  const cpp = lint(`${FIX}/postop-draining/bad-class.cpp`);
  assert.equal(cpp.status, 1, cpp.stderr);
  assert.deepEqual(cpp.stdout.split('\n').filter((l) => / \[[a-z-]+\] /.test(l)).map((l) => l.replace(/ \S+$/, '').split(': ')[0]), [
    `${FIX}/postop-draining/bad-class.cpp:32:21`, `${FIX}/postop-draining/bad-class.cpp:36:5`,
  ]);
  assert.ok(!/could not parse/.test(cpp.stdout));
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-parse-'));
  try {
    const file = join(dir, 'broken.c');
    writeFileSync(file, '#include <fltKernel.h>\nNTSTATUS Broken(PVOID p)\n{\n    int x = @@ 3;\n    return 0;\n}\n');
    const text = lint(file);
    assert.equal(text.status, 0, 'a note is no error');
    assert.match(text.stdout, /broken\.c:4:13: note: fltsim could not parse `@@` \(line 4\) in Broken; the checks that follow its paths skip Broken\n/);
    const json = JSON.parse(lint('--format', 'json', file).stdout);
    assert.equal(json.version, 3);
    assert.equal(json.files[0].notes[0].construct, '@@');
    const sarif = JSON.parse(lint('--format', 'sarif', file).stdout);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /could not parse `@@`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
