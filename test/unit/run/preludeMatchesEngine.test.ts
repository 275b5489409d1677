// The C prelude and the engine describe the same kernel: the constants C code compares against are
// the engine's values, and the objects the engine hands to C have the fields the C structs declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flt, pathRules, STATUS } from '../../../engine';
import { loadC } from '../interp/harness';
import { runWorld } from '../worldRun';

const TABLES: [string, Record<string, number>, (key: string) => string][] = [
  ['IRP_MJ', flt.IRP_MJ as unknown as Record<string, number>, (k) => `IRP_MJ_${k}`],
  ['FLTFL_CALLBACK_DATA', flt.FLTFL_CALLBACK_DATA as unknown as Record<string, number>, (k) => `FLTFL_CALLBACK_DATA_${k}`],
  ['FLT_CONTEXT', flt.FLT_CONTEXT as unknown as Record<string, number>, (k) => (k === 'END' ? 'FLT_CONTEXT_END' : k === 'ALL' ? 'FLT_ALL_CONTEXTS' : `FLT_${k}_CONTEXT`)],
  ['IRP_FLAGS', flt.IRP_FLAGS as unknown as Record<string, number>, (k) => k],
];

test('every engine constant has the same value under its WDK name in the prelude', async () => {
  const names: string[] = [];
  const expected: number[] = [];
  for (const [, table, cName] of TABLES) {
    for (const [k, v] of Object.entries(table)) {
      if (typeof v !== 'number') continue;
      names.push(cName(k));
      expected.push(v);
    }
  }
  for (const [k, v] of Object.entries(flt.FltPreopStatus)) if (typeof v === 'number') { names.push(k); expected.push(v); }
  for (const [k, v] of Object.entries(flt.FltPostopStatus)) if (typeof v === 'number') { names.push(k); expected.push(v); }
  for (const [k, v] of Object.entries(flt.WorkQueueType)) if (typeof v === 'number') { names.push(k); expected.push(v); }
  for (const k of ['STATUS_SUCCESS', 'STATUS_CANCELLED', 'STATUS_FLT_DELETING_OBJECT', 'STATUS_FLT_CBDQ_DISABLED'] as const) {
    names.push(k);
    expected.push(STATUS[k]);
  }
  const src = `#include <fltKernel.h>\nULONGLONG Values[] = { ${names.map((n) => `(ULONGLONG)(ULONG)(${n})`).join(', ')} };\n`;
  const h = await loadC(src);
  assert.deepEqual(h.diagnostics, []);
  const values = h.module.global('Values') as number[];
  const mismatches = names.filter((n, i) => values[i] !== (expected[i] >>> 0)).map((n) => `${n}: C ${values[names.indexOf(n)]} vs engine ${expected[names.indexOf(n)]}`);
  assert.deepEqual(mismatches, []);
  assert.ok(names.length > 60, `${names.length} constants compared`);
});

test('the callback data the engine hands to C is laid out from the C declarations: C reads the engine\'s values at the right offsets', async () => {
  const driver = `
#include <fltKernel.h>
PFLT_FILTER Filter;
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS Objects, PVOID *Context) {
    PFLT_IO_PARAMETER_BLOCK Iopb = Data->Iopb;
    DbgPrint("major=%u irp=%u length=%lu offset=%I64d mode=%u status=%x\\n", Iopb->MajorFunction,
             (Data->Flags & FLTFL_CALLBACK_DATA_IRP_OPERATION) != 0, Iopb->Parameters.Read.Length,
             Iopb->Parameters.Read.ByteOffset.QuadPart, Data->RequestorMode, Data->IoStatus.Status);
    DbgPrint("name=%wZ same-fo=%u same-instance=%u size=%u filter=%u\\n", &Iopb->TargetFileObject->FileName,
             Iopb->TargetFileObject == Objects->FileObject, Iopb->TargetInstance == Objects->Instance, Objects->Size,
             Objects->Filter == Filter);
    *Context = NULL;
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_READ, 0, PreRead, NULL }, { IRP_MJ_OPERATION_END } };
CONST FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    NTSTATUS status = FltRegisterFilter(DriverObject, &Registration, &Filter);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;
  const scenario = 'driver "d.c"\nio #1 read "\\Device\\HarddiskVolume1\\docs\\a.txt" length 300 at 0 offset 8192\n';
  const world = await runWorld('/s/t.fltsim', scenario, { readFile: (p) => (p === '/s/d.c' ? driver : undefined), paths: pathRules('posix') });
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.kernel.output, [
    `major=${flt.IRP_MJ.READ} irp=1 length=300 offset=8192 mode=1 status=0`,
    'name=\\docs\\a.txt same-fo=1 same-instance=1 size=48 filter=1',
  ]);
});
