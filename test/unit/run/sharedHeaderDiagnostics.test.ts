/**
 * A header every translation unit includes is compiled once per unit; an error in it is one
 * problem of the project, so the scenario's diagnostics name it once, not once per unit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathRules, type ProjectFiles } from '../../../engine/files';
import { prepareScenarioText } from '../../../engine/run/prepare';

const FILES: Record<string, string> = {
  '/t/shared.h': '#include <fltKernel.h>\ntypedef struct _MSG { NOT_A_TYPE Header; ULONG Body; } MSG;\n',
  '/t/a.c': '#include "shared.h"\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(R); return STATUS_SUCCESS; }\n',
  '/t/b.c': '#include "shared.h"\nULONG Helper(VOID) { return 1; }\n',
  '/t/c.c': '#include "shared.h"\nULONG Other(VOID) { return 2; }\n',
};

test('an error in a header three units include is reported once', async () => {
  const files: ProjectFiles = { readFile: (p) => FILES[p], paths: pathRules('posix') };
  const r = await prepareScenarioText('/t/s.fltsim', 'driver "a.c" "b.c" "c.c"\n', files);
  assert.equal(r.ok, false);
  const errors = r.ok ? [] : r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => [d.file, d.line, d.message.split(':')[0]]), [['/t/shared.h', 2, "unknown type name 'NOT_A_TYPE'"]]);
});
