/**
 * The Windows version the simulated system reports: Windows 10 version 22H2 (10.0.19045), a
 * workstation, no service pack — RtlGetVersion and PsGetVersion answer from this one place. Drivers
 * that branch on the version take the Windows 10 path.
 */
import type { Kernel } from './kernel';
import { writeOut } from './objects';
import { STATUS } from './status';
import { isView } from '../memory/view';
import { offsetOf, sizeOf } from '../c/types';

export const OS_VERSION = { major: 10, minor: 0, build: 19045 } as const;

/** VER_PLATFORM_WIN32_NT, VER_NT_WORKSTATION, VER_SUITE_SINGLEUSERTS. */
const PLATFORM_NT = 2;
const WORKSTATION = 1;
const SUITE_SINGLE_USER_TS = 0x100;

export class OsVersionRoutines {
  constructor(private readonly k: Kernel) {}

  RtlGetVersion(lpVersionInformation: unknown): number {
    const k = this.k;
    k.checkIrql('RtlGetVersion');
    if (!isView(lpVersionInformation)) {
      k.violation('null-param', 'RtlGetVersion needs an RTL_OSVERSIONINFOW (or RTL_OSVERSIONINFOEXW) with dwOSVersionInfoSize set');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const v = lpVersionInformation;
    const size = Number(v.dwOSVersionInfoSize);
    v.dwMajorVersion = OS_VERSION.major;
    v.dwMinorVersion = OS_VERSION.minor;
    v.dwBuildNumber = OS_VERSION.build;
    v.dwPlatformId = PLATFORM_NT;
    // szCSDVersion: no service pack, an empty string.
    const ex = k.marshal.struct('_OSVERSIONINFOEXW');
    const at = (field: string): number => v.$offset + offsetOf(ex, [field]);
    v.$alloc.writeInt(at('szCSDVersion'), 2, 0);
    if (size >= sizeOf(ex)) {
      v.$alloc.writeInt(at('wServicePackMajor'), 2, 0);
      v.$alloc.writeInt(at('wServicePackMinor'), 2, 0);
      v.$alloc.writeInt(at('wSuiteMask'), 2, SUITE_SINGLE_USER_TS);
      v.$alloc.writeInt(at('wProductType'), 1, WORKSTATION);
    }
    return STATUS.STATUS_SUCCESS;
  }

  /** Fills the parts asked for; TRUE only on a checked build, which the simulated system is not. */
  PsGetVersion(MajorVersion: unknown, MinorVersion: unknown, BuildNumber: unknown, CSDVersion: unknown): number {
    this.k.checkIrql('PsGetVersion');
    writeOut(MajorVersion, OS_VERSION.major);
    writeOut(MinorVersion, OS_VERSION.minor);
    writeOut(BuildNumber, OS_VERSION.build);
    if (isView(CSDVersion)) CSDVersion.Length = 0;
    return 0;
  }
}
