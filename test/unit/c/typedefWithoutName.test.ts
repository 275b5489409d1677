// `typedef enum E { … };` and `typedef struct S { … };` name no type: MSVC ignores the typedef with
// warning C4091 and keeps the tag and its enumerators; fltsim did the same only after stopping the
// compile with "'type_identifier' expected here" (accessch's headers, C and C++).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareScenarioText } from '../../../engine/run/prepare';
import { runScenario } from '../../../engine/run/runScenario';
import { oneDriver } from '../worldRun';

const SOURCE = `#include <fltKernel.h>
typedef enum FltOperation { FltOp_equ = 0, FltOp_and = 1, FltOp_pattern = 2 };
typedef struct _PAIR { ULONG A; ULONG B; };
#ifdef __cplusplus
extern "C"
#endif
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    struct _PAIR p = { 3, 4 };
    enum FltOperation op = FltOp_pattern;
    DbgPrint("%d %d", (int)op, (int)(p.A + p.B + sizeof(struct _PAIR)));
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}
`;

for (const name of ['d.c', 'd.cpp']) {
  test(`${name}: a typedef without a name is a warning and the tags it defines are usable`, async () => {
    const prepared = await prepareScenarioText('/t/s.fltsim', `driver "${name}"\n`, oneDriver(name, SOURCE));
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
    const warnings = prepared.prepared.warnings.filter((w) => /typedef names no type/.test(w.message));
    assert.deepEqual(warnings.map((w) => w.line), [2, 3]);
    const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
    assert.equal(report.error, null);
    assert.deepEqual(report.output, ['2 15']);
  });
}
