/**
 * Registry filtering callbacks (CmRegisterCallbackEx, CmRegisterCallback, CmUnRegisterCallback) and
 * how a registry operation passes through them (`pre` and `post`, used by the scenario's registry
 * workload, registryWorkload.ts, and by the drivers' own Zw*Key calls, registry.ts): each pre-notification goes to the callbacks from the highest altitude down
 * (CmRegisterCallback's, which have none, last), in the calling thread at PASSIVE_LEVEL — for a call a
 * callback makes itself, only the callbacks below it. One that
 * returns an error blocks the operation: the caller gets that status at once, the callbacks below
 * are not called and no post-notification is sent. STATUS_CALLBACK_BYPASS means the callback did
 * the operation itself: the caller sees success, and the callbacks above it get the post. Otherwise
 * the post-notification goes, lowest first, to every callback that saw the pre; one that returns
 * STATUS_CALLBACK_BYPASS there changes the caller's status to the ReturnStatus it set. A driver
 * that unloads with a callback still registered is reported (callback-not-unregistered,
 * processCallbacks.ts) at the line that registered it.
 */
import type { Co } from './coroutine';
import { nameOf, type DriverFn } from './driverFn';
import type { Kernel } from './kernel';
import { writeLargeOut, writeOut } from './objects';
import { registrationSite, type Registration } from './processNotify';
import { STATUS, formatStatus } from './status';
import { timeoutUnits, type TimeoutArg } from './time';
import { unicodeStringText, type UnicodeString } from './cvalues';
import { Irql } from './irql';
import type { KThread } from './thread';
import { isView, type StructView } from '../memory/view';
import { Ptr, type AllocPtr } from '../memory/pointer';
import { RegKey } from './registryTree';

/** STATUS_FLT_INSTANCE_ALTITUDE_COLLISION: what CmRegisterCallbackEx returns for an altitude in use. */
const ALTITUDE_COLLISION = 0xc01c0011;
/** Cookies start high, as Windows' do, so a zeroed LARGE_INTEGER is never a valid one. */
const FIRST_COOKIE = 0x1000n;

/** REG_NOTIFY_CLASS values fltsim sends (wdm.h numbering). */
export const RegNt = {
  PreDeleteKey: 0,
  PreSetValueKey: 1,
  PreDeleteValueKey: 2,
  PreQueryValueKey: 8,
  PostDeleteKey: 15,
  PostSetValueKey: 16,
  PostDeleteValueKey: 17,
  PostQueryValueKey: 23,
  PreCreateKeyEx: 26,
  PostCreateKeyEx: 27,
  PreOpenKeyEx: 28,
  PostOpenKeyEx: 29,
} as const;

interface CmRegistration extends Registration {
  cookie: bigint;
  altitude: string;
  fn: DriverFn;
  context: unknown;
  unregistered: boolean;
}

/** What a pre-notification pass decided, and who must get the post-notification. */
export interface PreOutcome {
  /** STATUS_SUCCESS to go on; an error to fail the operation with; STATUS_CALLBACK_BYPASS. */
  status: number;
  notified: readonly CmRegistration[];
  /** The name of the callback that blocked or bypassed, for the timeline. */
  by?: string;
}

export class RegistryCallbackRoutines {
  private readonly registrations: CmRegistration[] = [];
  private nextCookie = FIRST_COOKIE;
  /** Names handed out by CmCallbackGetKeyObjectIDEx and not yet released. */
  private readonly lentNames = new Set<object>();
  /** CmCallbackGetKeyObjectID's unique id of each key object, stable for the run. */
  private readonly objectIds = new WeakMap<RegKey, number>();
  private nextObjectId = 0;
  /** The callbacks each thread is inside, innermost last (a callback's own registry calls). */
  private readonly running = new WeakMap<KThread, CmRegistration[]>();

  constructor(private readonly k: Kernel) {}

  CmRegisterCallbackEx(Function: unknown, Altitude: unknown, Driver: unknown, Context: unknown, Cookie: unknown, Reserved: unknown): number {
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
    return this.add('CmRegisterCallbackEx', altitude, Function as DriverFn, Context, Cookie);
  }

  /** The older form: no altitude (Windows gives it one below every CmRegisterCallbackEx user). */
  CmRegisterCallback(Function: unknown, Context: unknown, Cookie: unknown): number {
    const k = this.k;
    k.checkIrql('CmRegisterCallback');
    if (Function === null || Function === undefined || !isView(Cookie)) {
      k.violation('null-param', `CmRegisterCallback needs ${Function === null || Function === undefined ? 'the RegistryCallback routine' : 'a LARGE_INTEGER to return the cookie in'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.add('CmRegisterCallback', '', Function as DriverFn, Context, Cookie);
  }

  CmUnRegisterCallback(Cookie: unknown): number {
    const k = this.k;
    k.checkIrql('CmUnRegisterCallback');
    const r = this.byCookie(Cookie);
    if (r === undefined) {
      const value = timeoutUnits(Cookie as TimeoutArg);
      k.violation('invalid-parameter', `CmUnRegisterCallback was given ${value === null ? 'no cookie' : `cookie 0x${value.toString(16)}`}, which no registered registry callback has: pass the cookie CmRegisterCallbackEx returned, once`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    r.unregistered = true;
    k.emit('register', 0, `registry callback (cookie 0x${r.cookie.toString(16)}) unregistered`);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * The key object's unique id and its full name, for a callback's Object. The name is lent: give it
   * back with CmCallbackReleaseKeyObjectIDEx.
   */
  CmCallbackGetKeyObjectIDEx(Cookie: unknown, Object_: unknown, ObjectID: unknown, ObjectName: unknown, Flags: number): number {
    return this.objectId('CmCallbackGetKeyObjectIDEx', Cookie, Object_, ObjectID, ObjectName, Number(Flags) >>> 0, true);
  }

  /** The older form: the name stays the system's (nothing to release). */
  CmCallbackGetKeyObjectID(Cookie: unknown, Object_: unknown, ObjectID: unknown, ObjectName: unknown): number {
    return this.objectId('CmCallbackGetKeyObjectID', Cookie, Object_, ObjectID, ObjectName, 0, false);
  }

  CmCallbackReleaseKeyObjectIDEx(ObjectName: unknown): void {
    const k = this.k;
    k.checkIrql('CmCallbackReleaseKeyObjectIDEx');
    if (ObjectName === null || ObjectName === undefined) return;
    const key = ObjectName instanceof Ptr ? ObjectName.alloc : isView(ObjectName) ? (ObjectName as StructView).$alloc : undefined;
    if (key === undefined || key === null || !this.lentNames.delete(key)) {
      k.violation('invalid-parameter', 'CmCallbackReleaseKeyObjectIDEx was given a name CmCallbackGetKeyObjectIDEx did not return (or one already released)');
    }
  }

  CmGetCallbackVersion(Major: unknown, Minor: unknown): void {
    this.k.checkIrql('CmGetCallbackVersion');
    writeOut(Major, 1);
    writeOut(Minor, 0);
  }

  private objectId(routine: string, Cookie: unknown, Object_: unknown, ObjectID: unknown, ObjectName: unknown, flags: number, lent: boolean): number {
    const k = this.k;
    k.checkIrql(routine);
    if (this.byCookie(Cookie) === undefined) {
      k.violation('invalid-parameter', `${routine} needs the cookie of a registry callback still registered`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!(Object_ instanceof RegKey) || flags !== 0) {
      k.violation('invalid-parameter', flags !== 0 ? `${routine}: Flags must be 0` : `${routine} needs the Object a registry callback was given (the key object)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    let id = this.objectIds.get(Object_);
    if (id === undefined) this.objectIds.set(Object_, (id = 0x10000 + 0x10 * (this.nextObjectId++)));
    writeOut(ObjectID, id);
    if (ObjectName !== null && ObjectName !== undefined) {
      const name = this.unicodeString(Object_.path);
      if (lent) this.lentNames.add(name.alloc);
      writeOut(ObjectName, name);
    }
    return STATUS.STATUS_SUCCESS;
  }

  /** Registrations still in place made by `module`'s driver. */
  heldBy(module: string): Registration[] {
    return this.registrations.filter((r) => !r.unregistered && r.module === module);
  }

  /** Callbacks in the order a pre-notification reaches them: highest altitude first. */
  private active(): CmRegistration[] {
    return this.registrations
      .filter((r) => !r.unregistered)
      .sort((a, b) => (a.altitude === '' ? 1 : 0) - (b.altitude === '' ? 1 : 0) || Number(b.altitude) - Number(a.altitude));
  }

  /**
   * The callbacks a registry call made on `t` reaches: every active one, or — for a call a
   * RegistryCallback routine makes itself — only those below it: the configuration manager does not
   * start again at the top of the stack, so a callback never sees its own nested calls.
   */
  private reached(t: KThread): CmRegistration[] {
    const all = this.active();
    const inside = this.running.get(t);
    if (inside === undefined || inside.length === 0) return all;
    const at = all.indexOf(inside[inside.length - 1]!);
    return at < 0 ? all : all.slice(at + 1);
  }

  /** Whether a registry call made now on `t` would notify any callback (else it costs no coroutine). */
  listening(t: KThread): boolean {
    return this.registrations.length > 0 && this.reached(t).length > 0;
  }

  /** Runs the pre-notification `cls` with the information `info` on thread `t`. */
  *pre(t: KThread, cls: number, info: StructView, what: string): Co<PreOutcome> {
    const notified: CmRegistration[] = [];
    for (const r of this.reached(t)) {
      const status = yield* this.call(t, r, cls, info.$ptr as AllocPtr);
      if (status < 0x80000000) {
        notified.push(r);
        continue;
      }
      const by = nameOf(r.fn, 'RegistryCallback');
      this.k.emit('registry', 0, `${what}: ${by} returned ${formatStatus(status)}${status === STATUS.STATUS_CALLBACK_BYPASS ? ' (it did the operation itself)' : '; the operation is blocked'}`);
      return { status, notified, by };
    }
    return { status: STATUS.STATUS_SUCCESS, notified };
  }

  /**
   * Runs the post-notification `cls` for the callbacks that saw the pre, lowest first; returns the
   * status the caller gets (a callback that returns STATUS_CALLBACK_BYPASS replaces it with the
   * ReturnStatus it set).
   */
  *post(t: KThread, cls: number, notified: readonly CmRegistration[], object: RegKey | null, status: number, preInfo: StructView): Co<number> {
    const m = this.k.marshal;
    let result = status;
    for (const r of [...notified].reverse()) {
      const info = m.layOut(r, '_REG_POST_OPERATION_INFORMATION', 'REG_POST_OPERATION_INFORMATION');
      info.Object = result === STATUS.STATUS_SUCCESS ? object : null;
      info.Status = result;
      info.PreInformation = preInfo.$ptr;
      info.ReturnStatus = result;
      const back = yield* this.call(t, r, cls, info.$ptr as AllocPtr);
      if (back === STATUS.STATUS_CALLBACK_BYPASS) result = Number(info.ReturnStatus) >>> 0;
    }
    return result;
  }

  /** Fresh information structure of `tag` for one notification. */
  info(owner: object, tag: string): StructView {
    return this.k.marshal.layOut(owner, tag, tag.replace(/^_/, ''));
  }

  /** A UNICODE_STRING in engine memory (CompleteName, ValueName). */
  unicodeString(text: string): AllocPtr {
    return this.k.marshal.unicodeString(text);
  }

  private *call(t: KThread, r: CmRegistration, cls: number, info: AllocPtr): Co<number> {
    const k = this.k;
    if (t.irql !== Irql.PASSIVE_LEVEL) k.setIrql(t, Irql.PASSIVE_LEVEL, 'registry callback');
    let inside = this.running.get(t);
    if (inside === undefined) this.running.set(t, (inside = []));
    inside.push(r);
    try {
      const result = yield* k.callDriver(t, r.fn, nameOf(r.fn, 'RegistryCallback'), [r.context ?? null, cls, info]);
      return Number(result ?? 0) >>> 0;
    } finally {
      inside.pop();
    }
  }

  private byCookie(Cookie: unknown): CmRegistration | undefined {
    const value = timeoutUnits(Cookie as TimeoutArg);
    return value === null ? undefined : this.registrations.find((x) => !x.unregistered && x.cookie === BigInt(value));
  }

  private add(routine: string, altitude: string, fn: DriverFn, context: unknown, Cookie: unknown): number {
    const site = registrationSite(this.k, routine);
    const cookie = this.nextCookie++;
    this.registrations.push({ ...site, cookie, altitude, fn, context, unregistered: false });
    writeLargeOut(Cookie, cookie);
    this.k.emit('register', 0, `registry callback registered${altitude ? ` at altitude ${altitude}` : ''} (cookie 0x${cookie.toString(16)}); the scenario's registry lines and drivers' Zw*Key calls reach it`);
    return STATUS.STATUS_SUCCESS;
  }
}
