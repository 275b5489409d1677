// FsRtlIsPagingFile / FsRtlIsSystemPagingFile (engine/fltmgr/pagingFiles.ts): a filter written for
// the test asks about each file it sees opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWorld, oneDriver } from '../worldRun';

const C = `#include <fltKernel.h>
PFLT_FILTER Filter;
FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Context) {
    UNREFERENCED_PARAMETER(Data); UNREFERENCED_PARAMETER(Context);
    DbgPrint("%wZ paging %d system %d\\n", &FltObjects->FileObject->FileName, FsRtlIsPagingFile(FltObjects->FileObject), FsRtlIsSystemPagingFile(FltObjects->FileObject));
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS Flags) { UNREFERENCED_PARAMETER(Flags); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
const FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_CREATE, 0, PreCreate, NULL }, { IRP_MJ_OPERATION_END } };
const FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, Unload };
NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {
    NTSTATUS s; UNREFERENCED_PARAMETER(R);
    s = FltRegisterFilter(D, &Registration, &Filter);
    if (NT_SUCCESS(s)) s = FltStartFiltering(Filter);
    return s;
}
`;

test('the paging files at a volume root are paging files; other files, also named pagefile.sys elsewhere, are not', async () => {
  const V = '\\\\Device\\\\HarddiskVolume1';
  const w = await runWorld('/t/p.fltsim', [
    'driver "p.c"',
    `io #1 create "${V}\\\\pagefile.sys" at 1`,
    `io #2 create "${V}\\\\SwapFile.sys" at 2`,
    `io #3 create "${V}\\\\docs\\\\pagefile.sys" at 3`,
    `io #4 create "${V}\\\\a.txt" at 4`,
    'unload at 10',
  ].join('\n'), oneDriver('p.c', C));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    '\\pagefile.sys paging 1 system 1',
    '\\SwapFile.sys paging 1 system 1',
    '\\docs\\pagefile.sys paging 0 system 0',
    '\\a.txt paging 0 system 0',
  ]);
});
