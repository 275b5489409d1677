/** RtlGetVersion and PsGetVersion (engine/kernel/osVersion.ts) on a driver written inline for this test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OS_VERSION } from '../../../engine/kernel/osVersion';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = `#include <fltKernel.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {
    RTL_OSVERSIONINFOEXW ex = { 0 };
    RTL_OSVERSIONINFOW plain = { 0 };
    ULONG major = 0, minor = 0, build = 0;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);
    ex.dwOSVersionInfoSize = sizeof(ex);
    ex.szCSDVersion[0] = L'x';
    status = RtlGetVersion((PRTL_OSVERSIONINFOW)&ex);
    DbgPrint("ex %x %u.%u.%u platform %u csd %d product %u suite %x\\n", status, ex.dwMajorVersion, ex.dwMinorVersion, ex.dwBuildNumber, ex.dwPlatformId, ex.szCSDVersion[0], ex.wProductType, ex.wSuiteMask);
    plain.dwOSVersionInfoSize = sizeof(plain);
    status = RtlGetVersion(&plain);
    DbgPrint("plain %x %u\\n", status, plain.dwBuildNumber);
    DbgPrint("ps %d %u.%u.%u\\n", PsGetVersion(&major, &minor, &build, NULL), major, minor, build);
    return STATUS_SUCCESS;
}
`;

test('RtlGetVersion and PsGetVersion report the one simulated Windows version; the Ex members only when the size asks for them', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "v.c"', oneDriver('v.c', DRIVER));
  assert.equal(w.fault, undefined, w.fault?.message);
  const v = `${OS_VERSION.major}.${OS_VERSION.minor}.${OS_VERSION.build}`;
  assert.deepEqual(w.sim.kernel.output, [`ex 0 ${v} platform 2 csd 0 product 1 suite 100`, `plain 0 ${OS_VERSION.build}`, `ps 0 ${v}`]);
});
