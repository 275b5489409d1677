/**
 * A modelled kernel routine named without a call is a function pointer the driver can keep in a
 * table and call through (datashred keeps { FltGetFileContext, FltSetFileContext, … } per context
 * type); a routine fltsim does not model stops the run where its address is taken, by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const SOURCE = `#include <fltKernel.h>
typedef SIZE_T (*COMPARE)(const VOID *, const VOID *, SIZE_T);
typedef NTSTATUS (*GET_CONTEXT)(PFLT_INSTANCE, PFILE_OBJECT, PFLT_CONTEXT *);
typedef struct _OPS { COMPARE Compare; GET_CONTEXT Get; } OPS;
static CONST OPS Ops = { RtlCompareMemory, FltGetStreamContext };
#ifdef UNMODELLED
NTSTATUS NotARoutine(ULONG x);
static CONST PVOID Odd = (PVOID)NotARoutine;
#endif
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    COMPARE local = RtlCompareMemory;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("equal %d same %d get-set %d\\n", (int)Ops.Compare("abcd", "abxd", 4), local == Ops.Compare, Ops.Get == FltGetStreamContext);
    return STATUS_SUCCESS;
}
`;

async function run(extra: string): Promise<World> {
  const files: ProjectFiles = { readFile: (p) => (p === '/t/table.c' ? SOURCE : undefined), paths: pathRules('posix') };
  const prepared = await prepareScenarioText('/t/d.fltsim', `driver "table.c"\n${extra}\n`, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  return world;
}

test('modelled routines in a table of function pointers: called through it, and equal to the routine named again', async () => {
  const world = await run('');
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['equal 2 same 1 get-set 1']);
});

test('the address of a declared routine fltsim does not model stops the run at that line, by name', async () => {
  const world = await run('define UNMODELLED 1');
  assert.ok(world.fault, 'the run stops');
  assert.match(world.fault!.message, /'NotARoutine' is used as a function pointer, but fltsim does not model it/);
});

test('a struct initialised with an undeclared name (a { … } macro from a header the file does not include) is named as undeclared', async () => {
  const files: ProjectFiles = {
    readFile: (p) => (p === '/t/init.c' ? '#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {\n    UNICODE_STRING v = EmptyString;\n    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);\n    return v.Length ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;\n}\n' : undefined),
    paths: pathRules('posix'),
  };
  const prepared = await prepareScenarioText('/t/d.fltsim', 'driver "init.c"\n', files);
  assert.ok(prepared.ok);
  const world = new World(prepared.prepared, {});
  world.run();
  assert.match(world.fault?.message ?? '', /'EmptyString' is not declared; it initialises a UNICODE_STRING/);
  assert.equal(world.fault?.line, 3);
});
