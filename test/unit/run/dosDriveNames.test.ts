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
    return STATUS_UNSUCCESSFUL;
}
`;

test('ZwCreateFile of a \\??\\X: name opens the file on the volume the drive letter names', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "d.c"',
    'volume "\\Device\\HarddiskVolume1"',
    'volume "\\Device\\HarddiskVolume2"',
    'file "\\Device\\HarddiskVolume1\\cfg\\rules.txt" content "allow all"',
    'file "\\Device\\HarddiskVolume2\\logs\\last.txt" content "on the second volume"',
    '',
  ].join('\n'), oneDriver('d.c', DRIVER));
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.kernel.output, [
    'read \\??\\C:\\cfg\\rules.txt: 00000000 allow all',
    'read \\DosDevices\\D:\\logs\\last.txt: 00000000 on the second volume',
    'read \\GLOBAL??\\d:\\logs\\last.txt: 00000000 on the second volume',
    // C: is the first volume, which has no \logs folder.
    'open \\??\\C:\\logs\\last.txt: c000003a',
  ]);
});
