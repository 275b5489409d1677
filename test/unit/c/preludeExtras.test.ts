// A structure the prelude defines in a header the driver never includes (the PE layout of
// <ntimage.h>) is the driver's to define: real drivers declare it themselves because <ntddk.h> and
// <fltKernel.h> do not. A header the driver does include keeps its definition, and a second one is
// an error that names that header. Both run through the compiled prelude, as `fltsim run` does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareScenarioText } from '../../../engine/run/prepare';
import { oneDriver, runWorld } from '../worldRun';

const ownFileHeader = (includes: string) => `${includes}
typedef struct _IMAGE_FILE_HEADER { USHORT Machine; USHORT NumberOfSections; ULONG Extra[5]; } IMAGE_FILE_HEADER, *PIMAGE_FILE_HEADER;
typedef struct _IMAGE_DATA_DIRECTORY { ULONG VirtualAddress; ULONG Size; } IMAGE_DATA_DIRECTORY;
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    IMAGE_FILE_HEADER h;
    PIMAGE_FILE_HEADER p = &h;
    p->Extra[4] = 7;
    DbgPrint("%d %d %d\\n", (int)sizeof(IMAGE_FILE_HEADER), (int)FIELD_OFFSET(IMAGE_FILE_HEADER, Extra), (int)h.Extra[4]);
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}
`;

for (const header of ['fltKernel.h', 'ntddk.h', 'wdm.h']) {
  test(`a driver that includes <${header}> only defines the PE structures itself, with its own layout`, async () => {
    const world = await runWorld('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', ownFileHeader(`#include <${header}>`)));
    assert.equal(world.fault, undefined, world.fault?.message);
    assert.deepEqual(world.sim.output, ['24 4 7']);
  });
}

test('a driver that includes <ntimage.h> and defines IMAGE_FILE_HEADER again gets an error naming the header', async () => {
  const r = await prepareScenarioText('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', ownFileHeader('#include <ntifs.h>\n#include <ntimage.h>')));
  assert.equal(r.ok, false);
  const errors = r.ok ? [] : r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => [d.line, d.message.split(':')[0]]), [[3, 'redefinition of struct _IMAGE_FILE_HEADER'], [4, 'redefinition of struct _IMAGE_DATA_DIRECTORY']]);
  assert.match(errors[0]!.message, /<ntimage\.h>, which this file includes, defines it already/);
});

test('a structure the included header defines (UNICODE_STRING) stays a redefinition error', async () => {
  const r = await prepareScenarioText('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', '#include <ntddk.h>\ntypedef struct _UNICODE_STRING { USHORT Length; } UNICODE_STRING;\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return STATUS_SUCCESS; }\n'));
  assert.equal(r.ok, false);
  const errors = r.ok ? [] : r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /^redefinition of struct _UNICODE_STRING: <ntddk\.h>, which this file includes/);
});
