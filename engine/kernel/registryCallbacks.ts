/**
 * Registry filtering callbacks (CmRegisterCallbackEx, CmRegisterCallback, CmUnRegisterCallback):
 * registration with its altitude and cookie, and unregistration by cookie. A scenario has no
 * registry workload, so a registered callback is never called: the registration says so in the
 * timeline. A driver that unloads with one still registered is reported (callback-not-unregistered,
 * processCallbacks.ts) at the line that registered it.
 */
import type { Kernel } from './kernel';
import { writeLargeOut } from './objects';
import { registrationSite, type Registration } from './processNotify';
import { STATUS } from './status';
import { timeoutUnits, type TimeoutArg } from './time';
import { unicodeStringText, type UnicodeString } from './cvalues';
import { isView } from '../memory/view';

/** STATUS_FLT_INSTANCE_ALTITUDE_COLLISION: what CmRegisterCallbackEx returns for an altitude in use. */
const ALTITUDE_COLLISION = 0xc01c0011;
/** Cookies start high, as Windows' do, so a zeroed LARGE_INTEGER is never a valid one. */
const FIRST_COOKIE = 0x1000n;

interface CmRegistration extends Registration {
  cookie: bigint;
  altitude: string;
  unregistered: boolean;
}

export class RegistryCallbackRoutines {
  private readonly registrations: CmRegistration[] = [];
  private nextCookie = FIRST_COOKIE;

  constructor(private readonly k: Kernel) {}

  CmRegisterCallbackEx(Function: unknown, Altitude: unknown, Driver: unknown, _Context: unknown, Cookie: unknown, Reserved: unknown): number {
    const k = this.k;
    k.checkIrql('CmRegisterCallbackEx');
    if (Function === null || Function === undefined || !isView(Cookie)) {
      k.violation('null-param', `CmRegisterCallbackEx needs ${Function === null || Function === undefined ? 'the RegistryCallback routine' : 'a LARGE_INTEGER to return the cookie in'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Reserved !== null && Reserved !== undefined && Reserved !== 0) {
      k.violation('invalid-parameter', 'CmRegisterCallbackEx: Reserved must be NULL');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Driver === null || Driver === undefined) {
      k.violation('null-param', 'CmRegisterCallbackEx needs the driver object (the DriverObject DriverEntry was given)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const altitude = isView(Altitude) ? unicodeStringText(Altitude as unknown as UnicodeString) : '';
    if (altitude === '') {
      k.violation('invalid-parameter', 'CmRegisterCallbackEx needs an Altitude (a UNICODE_STRING such as L"380000"), the driver\'s place among registry filters');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (this.registrations.some((r) => !r.unregistered && r.altitude === altitude)) return ALTITUDE_COLLISION;
    return this.add('CmRegisterCallbackEx', altitude, Cookie);
  }

  /** The older form: no altitude (Windows gives it one below every CmRegisterCallbackEx user). */
  CmRegisterCallback(Function: unknown, _Context: unknown, Cookie: unknown): number {
    const k = this.k;
    k.checkIrql('CmRegisterCallback');
    if (Function === null || Function === undefined || !isView(Cookie)) {
      k.violation('null-param', `CmRegisterCallback needs ${Function === null || Function === undefined ? 'the RegistryCallback routine' : 'a LARGE_INTEGER to return the cookie in'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.add('CmRegisterCallback', '', Cookie);
  }

  CmUnRegisterCallback(Cookie: unknown): number {
    const k = this.k;
    k.checkIrql('CmUnRegisterCallback');
    const value = timeoutUnits(Cookie as TimeoutArg);
    const r = value === null ? undefined : this.registrations.find((x) => !x.unregistered && x.cookie === BigInt(value));
    if (r === undefined) {
      k.violation('invalid-parameter', `CmUnRegisterCallback was given ${value === null ? 'no cookie' : `cookie 0x${value.toString(16)}`}, which no registered registry callback has: pass the cookie CmRegisterCallbackEx returned, once`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    r.unregistered = true;
    k.emit('register', 0, `registry callback (cookie 0x${r.cookie.toString(16)}) unregistered`);
    return STATUS.STATUS_SUCCESS;
  }

  /** Registrations still in place made by `module`'s driver. */
  heldBy(module: string): Registration[] {
    return this.registrations.filter((r) => !r.unregistered && r.module === module);
  }

  private add(routine: string, altitude: string, Cookie: unknown): number {
    const site = registrationSite(this.k, routine);
    const cookie = this.nextCookie++;
    this.registrations.push({ ...site, cookie, altitude, unregistered: false });
    writeLargeOut(Cookie, cookie);
    this.k.emit('register', 0, `registry callback registered${altitude ? ` at altitude ${altitude}` : ''} (cookie 0x${cookie.toString(16)}); a scenario has no registry operations, so fltsim never calls it`);
    return STATUS.STATUS_SUCCESS;
  }
}
