// A fault inside the built-in headers' C (a list helper on a list head never initialised) is
// reported at the driver's line that called it, naming the built-in routine and where it failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const SRC = [
  '#include <fltKernel.h>',
  'LIST_ENTRY Head;',
  'static VOID Clear(VOID)',
  '{',
  '    while (!IsListEmpty(&Head)) {',
  '        RemoveTailList(&Head);',
  '    }',
  '}',
  'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)',
  '{',
  '    UNREFERENCED_PARAMETER(DriverObject);',
  '    UNREFERENCED_PARAMETER(RegistryPath);',
  '    Clear();',
  '    return STATUS_SUCCESS;',
  '}',
].join('\n');

test('a NULL list entry inside RemoveTailList stops the run at the driver line that called it', async () => {
  const files: ProjectFiles = { readFile: (p) => (p === '/t/clear.c' ? SRC : undefined), paths: pathRules('posix') };
  const prepared = await prepareScenarioText('/t/s.fltsim', 'driver "clear.c"\n', files);
  assert.ok(prepared.ok);
  const w = new World(prepared.prepared, {});
  w.run();
  const f = w.fault;
  assert.equal(f?.kind, 'null-dereference');
  assert.equal(f?.file, '/t/clear.c');
  assert.equal(f?.line, 6);
  assert.match(f?.message ?? '', /\(in RemoveTailList, fltsim's C for the WDK at <fltsim_kernel\.h>:\d+\)$/);
});
