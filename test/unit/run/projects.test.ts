// Drivers of several files: prepared from a .vcxproj, a folder or a file list, linked with C's rules, run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { formatRunDiagnostic, HOST_PATHS, prepareScenario, prepareScenarioText, runScenario, type ProjectFiles } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';
import { memoryFiles } from '../files/memoryFiles';

const FIXTURE = path.resolve('test/fixtures/projects/threefile');

const HEAD = '#include <fltKernel.h>\n';
const ENTRY = `${HEAD}PFLT_FILTER F;\nCONST FLT_REGISTRATION R = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, NULL };\n` +
  'NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {\n  UNREFERENCED_PARAMETER(P);\n  Run();\n  return FltRegisterFilter(D, &R, &F);\n}\n';

async function run(scenario: string, files: ProjectFiles) {
  const prepared = await prepareScenarioText('/d/s.fltsim', scenario, files);
  if (!prepared.ok) return { ok: false as const, diagnostics: prepared.diagnostics.map(formatRunDiagnostic) };
  const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
  return { ok: true as const, prepared: prepared.prepared, report };
}

test('the three-file fixture runs from its .vcxproj: shared externs, per-file statics, a struct built in one file read in another', async () => {
  const prepared = await prepareScenario(path.join(FIXTURE, 'threefile.fltsim'), nodeFiles);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map(formatRunDiagnostic).join('\n'));
  const p = prepared.prepared;
  assert.deepEqual(p.drivers.map((d) => [d.module, path.basename(d.file), d.units.length]), [['ThreeFile', 'main.c', 3]]);
  assert.deepEqual(p.sourceFiles.map((f) => path.relative(FIXTURE, f)), ['driver/main.c', 'common/tf.h', 'driver/ops.c', 'driver/util.c']);
  // Line 32 lists Main.c for main.c: a note where the file system tells case apart.
  assert.deepEqual(p.warnings.map((w) => [w.severity, path.basename(w.file), w.line]), [
    ['note', 'threefile.vcxproj', 21], ['note', 'threefile.vcxproj', 21], ['note', 'threefile.vcxproj', 22], ...(HOST_PATHS.ignoresCase ? [] : [['note', 'threefile.vcxproj', 32]]),
  ]);
  const { report } = runScenario(p, { label: 'threefile.fltsim' });
  assert.equal(report.error, null);
  assert.ok(report.passed, JSON.stringify(report.expectations));
  // TF_MODE comes from the Debug|x64 definitions; each file's static Count is its own (100, 1, 10).
  assert.deepEqual(report.output, ["main: mode 2, main's Count 100", 'main: unload after 2 reads (total 12)']);
});

test('two files may each have a static of the same name; a tentative global in two files is one object', async () => {
  const files = memoryFiles({
    '/d/a.c': `${ENTRY}static int Hidden = 1;\nint Shared;\nstatic int Which(void) { return 1; }\nint Get(void);\nvoid Run(void) { Shared += 5; DbgPrint("a: %d %d %d", Which(), Hidden, Get()); }\n`,
    '/d/b.c': `${HEAD}static int Hidden = 2;\nint Shared;\nstatic int Which(void) { return 2; }\nint Get(void) { return Which() * 100 + Hidden * 10 + Shared; }\n`,
  });
  const r = await run('driver "a.c" "b.c"\nexpect calls a!Which 2\n', files);
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.deepEqual(r.report.output, ['a: 1 1 225']);
  assert.equal(r.prepared.drivers[0].module, 'a', 'named after the file that defines DriverEntry');
  assert.ok(r.report.passed, 'calls of a name count every file\'s function of that name');
});

test('a duplicate definition is a link error naming both places', async () => {
  const files = memoryFiles({
    '/d/a.c': `${ENTRY}int Twice(void) { return 1; }\nint Value = 1;\nvoid Run(void) {}\n`,
    '/d/b.c': `${HEAD}\nint Twice(void) { return 2; }\nint Value = 2;\n`,
  });
  const r = await run('driver "a.c" "b.c"\n', files);
  assert.ok(!r.ok);
  assert.deepEqual(r.diagnostics, [
    "/d/b.c:3:5: error: a: function 'Twice' is defined in two files: a.c:9 and b.c:3 — a function without static may have one definition in the whole driver; make one of them static or remove it",
    "/d/b.c:4:5: error: a: global 'Value' is defined with an initial value in two files: a.c:10 and b.c:4 — initialise it in one file and declare it extern in the others (usually in a shared header)",
  ]);
});

test('two DriverEntry routines, or none, stop the run before it starts', async () => {
  const two = memoryFiles({ '/d/a.c': `${ENTRY}void Run(void) {}\n`, '/d/b.c': `${ENTRY}\n` });
  const r = await run('driver "a.c" "b.c"\n', two);
  assert.ok(!r.ok);
  assert.match(r.diagnostics[0], /^\/d\/b\.c:\d+:\d+: error: a: function 'DriverEntry' is defined in two files: a\.c:\d+ and b\.c:\d+/);
  const none = await run('driver "x.c" "y.c"\n', memoryFiles({ '/d/x.c': `${HEAD}int X;\n`, '/d/y.c': `${HEAD}int Y;\n` }));
  assert.ok(!none.ok);
  assert.deepEqual(none.diagnostics, ['/d/x.c:1:1: error: x: no DriverEntry function is defined in any of its 2 files — a driver loaded by a scenario must define NTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING) in one of its files']);
});

test('a call to a routine no file defines names the routine at the call; so does an extern no file defines', async () => {
  const files = memoryFiles({
    '/d/a.c': `${ENTRY}int Missing(int x);\nvoid Run(void) {\n  Missing(1);\n}\n`,
    '/e/a.c': `${ENTRY}extern int Nowhere;\nvoid Run(void) {\n  int v = 0;\n  v = Nowhere;\n}\n`,
  });
  const r = await run('driver "a.c"\n', files);
  assert.ok(r.ok);
  assert.equal(r.report.error?.line, 11);
  assert.match(r.report.error?.message ?? '', /^'Missing' is declared but no file of driver 'a' defines it, and fltsim does not model it/);
  const prepared = await prepareScenarioText('/e/s.fltsim', 'driver "a.c"\n', files);
  assert.ok(prepared.ok);
  const fault = runScenario(prepared.prepared).report.error;
  assert.equal(fault?.line, 12);
  assert.match(fault?.message ?? '', /^'Nowhere' is declared extern \(\/e\/a\.c:9\) but no file of driver 'a' defines it/);
});

test('a folder driver is every .c in the folder, named after it; unload and expect calls use that name', async () => {
  const files = memoryFiles({
    '/d/myflt/one.c': `${ENTRY}void Two(void);\nvoid Run(void) { Two(); }\n`,
    '/d/myflt/two.c': `${HEAD}void Two(void) { DbgPrint("two"); }\n`,
  });
  const r = await run('driver "myflt"\nunload myflt at 3\nexpect calls myflt!Two 1\n', files);
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.ok(r.report.passed);
  assert.deepEqual(r.report.output, ['two']);
  const wrong = await run('driver "myflt"\nexpect calls one!Two 1\n', files);
  assert.ok(!wrong.ok);
  assert.deepEqual(wrong.diagnostics, ["/d/s.fltsim:2:14: error: no driver is named 'one' — Drivers: myflt. A driver's name is its .vcxproj's project name, its folder's name, or the name (without extension) of the C file that defines DriverEntry."]);
});

test('a function defined in a header that several files include is each file\'s own copy, as FORCEINLINE helpers are', async () => {
  const files = memoryFiles({
    '/d/h.h': `${HEAD}FORCEINLINE int Twice(int x) { return 2 * x; }\n`,
    '/d/a.c': `#include "h.h"\nPFLT_FILTER F;\nint FromB(void);\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {\n  UNREFERENCED_PARAMETER(D);\n  UNREFERENCED_PARAMETER(P);\n  DbgPrint("%d %d", Twice(1), FromB());\n  return STATUS_UNSUCCESSFUL;\n}\n`,
    '/d/b.c': '#include "h.h"\nint FromB(void) { return Twice(21); }\n',
  });
  const r = await run('driver "a.c" "b.c"\n', files);
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.deepEqual(r.report.output, ['2 42']);
});

test('structs of one tag declared in each file are one type: copied, passed and compared across files', async () => {
  const header = `${HEAD}typedef struct _PAIR { ULONG A; ULONG B; } PAIR, *PPAIR;\nextern PAIR gPair;\nVOID CopyPair(PPAIR Dst);\nPVOID PairAddress(VOID);\n`;
  const files = memoryFiles({
    '/d/p.h': header,
    '/d/a.c': '#include "p.h"\nPFLT_FILTER F;\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n  PAIR local;\n  PVOID mine = &gPair;\n  UNREFERENCED_PARAMETER(D);\n  UNREFERENCED_PARAMETER(R);\n  CopyPair(&local);\n  DbgPrint("%lu %lu %d", local.A, local.B, PairAddress() == mine);\n  return STATUS_UNSUCCESSFUL;\n}\n',
    '/d/b.c': '#include "p.h"\nPAIR gPair = { 7, 9 };\nVOID CopyPair(PPAIR Dst) { *Dst = gPair; Dst->B += 1; }\nPVOID PairAddress(VOID) { return &gPair; }\n',
  });
  const r = await run('driver "a.c" "b.c"\n', files);
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['7 10 1']);
});
