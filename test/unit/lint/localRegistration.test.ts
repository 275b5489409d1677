// Registration tables declared inside a function are read like global ones; a table only zeroed
// by its initializer and filled in field by field is not judged by that initializer.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initLinter, lintText } from '../../../engine';

before(async () => {
  await initLinter();
});

test('a post-operation callback registered only through a local table of DriverEntry gets the post-operation rules', () => {
  const text = readFileSync(path.resolve('test/fixtures/init/localcpp/guard.cpp'), 'utf8')
    .replace('InterlockedIncrement(&g_Cleanups);', 'InterlockedIncrement(&g_Cleanups);\n    FltDeleteContext(NULL);');
  const line = text.split('\n').findIndex((l) => l.includes('FltDeleteContext(NULL)')) + 1;
  const found = lintText(text, {}, 'cpp').findings.filter((f) => f.ruleId === 'postop-irql-unsafe-call').map((f) => `${f.range.start.line + 1} ${/OnPostCleanup is a post-operation callback/.test(f.message)}`);
  assert.deepEqual(found, [`${line} true`]);
});

test('FLT_REGISTRATION and FLT_OPERATION_REGISTRATION locals zeroed with { 0 } and filled field by field give no reg-struct finding', () => {
  const text = `#include <fltKernel.h>
PFLT_FILTER Filter;
FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA D, PCFLT_RELATED_OBJECTS O, PVOID *C) { UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(O); UNREFERENCED_PARAMETER(C); return FLT_PREOP_SUCCESS_NO_CALLBACK; }
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS F) { UNREFERENCED_PARAMETER(F); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
NTSTATUS Register(PDRIVER_OBJECT Driver) {
    FLT_REGISTRATION Reg = { 0 };
    FLT_OPERATION_REGISTRATION Ops[2] = { 0 };
    Ops[0].MajorFunction = IRP_MJ_CREATE;
    Ops[0].PreOperation = Pre;
    Ops[1].MajorFunction = IRP_MJ_OPERATION_END;
    Reg.Size = sizeof(FLT_REGISTRATION);
    Reg.Version = FLT_REGISTRATION_VERSION;
    Reg.OperationRegistration = Ops;
    Reg.FilterUnloadCallback = Unload;
    return FltRegisterFilter(Driver, &Reg, &Filter);
}
`;
  assert.deepEqual(lintText(text).findings.filter((f) => f.ruleId === 'reg-struct').map((f) => f.message), []);
  // The same tables written out in their initializers are judged: a wrong Size is reported.
  const written = text.replace('FLT_REGISTRATION Reg = { 0 };', 'FLT_REGISTRATION Reg = { sizeof(Reg) + 1, FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };');
  assert.deepEqual(lintText(written).findings.filter((f) => f.ruleId === 'reg-struct').map((f) => f.range.start.line + 1), [6]);
});
