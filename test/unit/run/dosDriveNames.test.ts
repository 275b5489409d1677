/**
 * A driver that opens its own files by drive letter (`\??\C:\…`, `\DosDevices\D:\…`), as real
 * filters read a configuration file from DriverEntry: the letter names the scenario's volumes in
 * order (C: the first), the same mapping ZwQuerySymbolicLinkObject and IoVolumeDeviceToDosName use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = String.raw`
#include <fltKernel.h>

static VOID ReadFirstLine(PCWSTR Path)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    CHAR text[32];
    NTSTATUS status;
    RtlZeroMemory(text, sizeof(text));
    RtlInitUnicodeString(&name, Path);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    status = ZwCreateFile(&h, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ,
                          FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    if (!NT_SUCCESS(status)) {
        DbgPrint("open %ws: %08x", Path, status);
        return;
    }
    status = ZwReadFile(h, NULL, NULL, NULL, &iosb, text, sizeof(text) - 1, NULL, NULL);
    DbgPrint("read %ws: %08x %s", Path, status, text);
    ZwClose(h);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    ReadFirstLine(L"\\??\\C:\\cfg\\rules.txt");
    ReadFirstLine(L"\\DosDevices\\D:\\logs\\last.txt");
    ReadFirstLine(L"\\GLOBAL??\\d:\\logs\\last.txt");
    ReadFirstLine(L"\\??\\C:\\logs\\last.txt");
    ReadFirstLine(L"\\SystemRoot\\System32\\drivers\\etc\\hosts");
    return STATUS_UNSUCCESSFUL;
}
`;

test('ZwCreateFile of a \\??\\X: name opens the file on the volume the drive letter names; \\SystemRoot\\… the file in the first volume\'s Windows folder', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "d.c"',
    'volume "\\Device\\HarddiskVolume1"',
    'volume "\\Device\\HarddiskVolume2"',
    'file "\\Device\\HarddiskVolume1\\cfg\\rules.txt" content "allow all"',
    'file "\\Device\\HarddiskVolume2\\logs\\last.txt" content "on the second volume"',
    'file "\\Device\\HarddiskVolume1\\Windows\\System32\\drivers\\etc\\hosts" content "127.0.0.1 localhost"',
    '',
  ].join('\n'), oneDriver('d.c', DRIVER));
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.kernel.output, [
    'read \\??\\C:\\cfg\\rules.txt: 00000000 allow all',
    'read \\DosDevices\\D:\\logs\\last.txt: 00000000 on the second volume',
    'read \\GLOBAL??\\d:\\logs\\last.txt: 00000000 on the second volume',
    // C: is the first volume, which has no \logs folder.
    'open \\??\\C:\\logs\\last.txt: c000003a',
    // \SystemRoot is the Windows folder of the first volume.
    'read \\SystemRoot\\System32\\drivers\\etc\\hosts: 00000000 127.0.0.1 localhost',
  ]);
});

const REDIRECTOR = String.raw`
#include <fltKernel.h>

PFLT_FILTER Filter;

FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx)
{
    UNICODE_STRING from = RTL_CONSTANT_STRING(L"\\a.txt");
    WCHAR to[] = L"\\??\\D:\\moved\\b.txt";
    PFILE_OBJECT fo = Data->Iopb->TargetFileObject;
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(Ctx);
    if (!RtlEqualUnicodeString(&fo->FileName, &from, TRUE)) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    Data->IoStatus.Status = IoReplaceFileObjectName(fo, to, sizeof(to) - sizeof(WCHAR));
    if (!NT_SUCCESS(Data->IoStatus.Status)) return FLT_PREOP_COMPLETE;
    Data->IoStatus.Status = STATUS_REPARSE;
    Data->IoStatus.Information = IO_REPARSE;
    return FLT_PREOP_COMPLETE;
}

NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(Filter);
    return STATUS_SUCCESS;
}

const FLT_OPERATION_REGISTRATION Ops[] = { { IRP_MJ_CREATE, 0, PreCreate, NULL }, { IRP_MJ_OPERATION_END } };
const FLT_REGISTRATION Reg = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Ops, Unload };

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &Reg, &Filter);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;

test('a create a filter reparses to a \\??\\X: name reopens the file on the volume the letter names', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "r.c"',
    'volume "\\Device\\HarddiskVolume1"',
    'volume "\\Device\\HarddiskVolume2"',
    'file "\\Device\\HarddiskVolume1\\a.txt" content "first volume"',
    'file "\\Device\\HarddiskVolume2\\moved\\b.txt" content "moved to the second volume"',
    'io #1 create "\\Device\\HarddiskVolume1\\a.txt" access read at 1',
    'io #2 read "\\Device\\HarddiskVolume1\\a.txt" length 64 offset 0 at 2',
    'unload at 3',
    '',
  ].join('\n'), oneDriver('r.c', REDIRECTOR));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  const reopen = w.sim.kernel.log.all().find((e) => e.detail.includes('reopens I/O #1'));
  assert.match(reopen?.detail ?? '', /reopens I\/O #1 as \\Device\\HarddiskVolume2\\moved\\b\.txt after/);
  assert.equal(w.facts().ios.find((io) => io.id === 1)?.status, 0);
  // The program's handle is the reopened file: a read written with the first name reads the moved file.
  const read = w.sim.kernel.log.all().find((e) => e.kind === 'io-done' && e.detail.startsWith('#2 '));
  assert.equal(read?.detail, `#2 done: STATUS_SUCCESS, ${'moved to the second volume'.length} bytes`);
});
