// C++ linkage of namespace-scope const objects: a header's `const T x[] = {…}` included by two
// .cpp files is each file's own (internal linkage), not a link error; after an `extern`
// declaration the const definition is the one shared object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRunDiagnostic, prepareScenarioText, runScenario } from '../../../engine';
import { memoryFiles } from '../files/memoryFiles';

const HEADER = [
  '#pragma once',
  '#include <fltKernel.h>',
  'namespace Tables {',
  '  const ULONG Weights[] = { 1, 2, 3 };',
  '  const char *const Names[] = { "a", "b" };',
  '}',
  'extern const ULONG Shared;',
  'ULONG Other(void);',
].join('\n');

test('a const table defined in a header shared by two .cpp files links, and an extern const is one object', async () => {
  const files = memoryFiles({
    '/d/t.h': HEADER,
    '/d/a.cpp': [
      '#include "t.h"',
      'const ULONG Shared = 40;',
      'extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {',
      '  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);',
      '  DbgPrint("%lu %s %lu", Tables::Weights[2] + Other(), Tables::Names[1], Shared);',
      '  return STATUS_SUCCESS;',
      '}',
    ].join('\n'),
    '/d/b.cpp': ['#include "t.h"', 'ULONG Other(void) { return Tables::Weights[0] + Shared; }'].join('\n'),
  });
  const prepared = await prepareScenarioText('/d/s.fltsim', 'driver "a.cpp" "b.cpp"\n', files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map(formatRunDiagnostic).join('\n'));
  const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
  assert.equal(report.error, null);
  assert.deepEqual(report.output.map((l) => l.trim()), ['44 b 40']);
});
