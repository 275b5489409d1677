// C++ linkage across the files of one driver: inline variables, static members initialised in
// their class, const objects in shared headers, overloads declared differently per file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRunDiagnostic, prepareScenarioText, runScenario, type ProjectFiles } from '../../../engine';
import { memoryFiles } from '../files/memoryFiles';

async function run(files: ProjectFiles, scenario: string) {
  const prepared = await prepareScenarioText('/d/s.fltsim', scenario, files);
  if (!prepared.ok) return { ok: false as const, diagnostics: prepared.diagnostics.map(formatRunDiagnostic) };
  const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
  return { ok: true as const, report };
}

const SHARED = `#pragma once
#include <fltKernel.h>
inline UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\\\Device\\\\Shared");
const ULONG Limit = 7;
const PCWSTR Banner = L"banner";
class Stats {
public:
  inline static ULONG Calls = 0;
  static const ULONG Step = 2;
  static void Hit() { Calls += Step; }
};
void Helper();
`;

test('inline variables, static members initialised in the class and const objects in a shared header are one object per driver, not a link error', async () => {
  const r = await run(memoryFiles({
    '/d/shared.h': SHARED,
    '/d/a.cpp': `#include "shared.h"
extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {
  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);
  Stats::Hit();
  DeviceName.Length -= 2;
  Helper();
  DbgPrint("calls %lu limit %lu len %u %ws", Stats::Calls, Limit, DeviceName.Length, Banner);
  return STATUS_SUCCESS;
}
`,
    '/d/b.cpp': `#include "shared.h"
void Helper() { Stats::Hit(); DbgPrint("helper sees len %u", DeviceName.Length); }
`,
  }), 'driver "a.cpp" "b.cpp"\n');
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  // "\Device\Shared" is 14 characters, 28 bytes; a.cpp shortened it by one character and b.cpp sees that.
  assert.deepEqual(r.report.output, ['helper sees len 26', 'calls 4 limit 7 len 26 banner']);
});

test('a non-const global with an initial value in a shared header is still defined twice', async () => {
  const r = await run(memoryFiles({
    '/d/h.h': '#pragma once\n#include <fltKernel.h>\nULONG Counter = 1;\nvoid Helper();\n',
    '/d/a.cpp': '#include "h.h"\nextern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {\n  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);\n  Helper();\n  return STATUS_SUCCESS;\n}\n',
    '/d/b.cpp': '#include "h.h"\nvoid Helper() { Counter++; }\n',
  }), 'driver "a.cpp" "b.cpp"\n');
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.diagnostics.some((l) => /h\.h:3:.*global 'Counter' is defined with an initial value in two files/.test(l)), r.ok ? '' : r.diagnostics.join('\n'));
});

test('a const static member defined outside its class, inside its namespace, is the one the class declared and is shared by every file', async () => {
  const r = await run(memoryFiles({
    '/d/f.h': '#pragma once\n#include <fltKernel.h>\nnamespace flt {\nclass Table {\npublic:\n  static const ULONG Sizes[];\n  static ULONG Sum();\n};\n}\n',
    '/d/a.cpp': '#include "f.h"\nnamespace flt {\nconst ULONG Table::Sizes[] = { 3, 4, 0 };\n}\nextern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {\n  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);\n  DbgPrint("sum %lu", flt::Table::Sum());\n  return STATUS_SUCCESS;\n}\n',
    '/d/b.cpp': '#include "f.h"\nnamespace flt {\nULONG Table::Sum() { ULONG s = 0; for (int i = 0; Sizes[i]; i++) s += Sizes[i]; return s; }\n}\n',
  }), 'driver "a.cpp" "b.cpp"\n');
  assert.ok(r.ok, r.ok ? '' : r.diagnostics.join('\n'));
  assert.equal(r.report.error, null);
  assert.deepEqual(r.report.output, ['sum 7']);
});
