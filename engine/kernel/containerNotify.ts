/**
 * Session notifications: IoRegisterContainerNotification with IoSessionStateNotification, its
 * removal, and IoGetContainerInformation. A registration is checked as the reference page asks
 * (the class, a callback, an IO_SESSION_STATE_NOTIFICATION of the right size with no flags, an I/O
 * object and a valid event mask) and held until IoUnregisterContainerNotification; a driver that
 * unloads still registered is reported at the line that registered (the session manager would call
 * into unloaded code). The machine's sessions (0 for services, 1 for the user) exist before the run
 * and no scenario logs on or off, so no session event is ever delivered: the callback never runs.
 */
import { nameOf, type DriverFn } from './driverFn';
import type { Kernel } from './kernel';
import { writeOut } from './objects';
import { registrationSite, type Registration } from './processNotify';
import { STATUS } from './status';
import { isFunctionValue } from './cvalues';
import { Ptr } from '../memory/pointer';
import { isView, viewOf } from '../memory/view';
import { sizeOf } from '../c/types';

const IO_SESSION_STATE_NOTIFICATION = 0;
const IO_SESSION_STATE_INFORMATION = 0;
const IO_SESSION_STATE_ALL_EVENTS = 0xffffffff;
const IO_SESSION_STATE_VALID_EVENT_MASK = 0x3f;

/** What CallbackRegistration receives: one IoRegisterContainerNotification call. */
export class ContainerRegistration implements Registration {
  unregistered = false;
  constructor(
    readonly fn: DriverFn,
    readonly eventMask: number,
    readonly module: string | undefined,
    readonly routine: string,
    readonly site: Registration['site'],
  ) {}

  get label(): string {
    return `session notification ${nameOf(this.fn, 'callback')}`;
  }
}

export class ContainerNotifyRoutines {
  private readonly registered: ContainerRegistration[] = [];

  constructor(private readonly k: Kernel) {}

  IoRegisterContainerNotification(NotificationClass: number, CallbackFunction: unknown, NotificationInformation: unknown, NotificationInformationLength: number, CallbackRegistration: unknown): number {
    const k = this.k;
    const routine = 'IoRegisterContainerNotification';
    k.checkIrql(routine);
    writeOut(CallbackRegistration, null);
    if (Number(NotificationClass) !== IO_SESSION_STATE_NOTIFICATION) {
      k.violation('invalid-parameter', `${routine} was given notification class ${Number(NotificationClass)}; the only class is IoSessionStateNotification (0)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!isFunctionValue(CallbackFunction)) {
      k.violation('null-param', `${routine} needs the callback to call on session events`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (CallbackRegistration === null || CallbackRegistration === undefined) {
      k.violation('null-param', `${routine} needs a place to return the registration (CallbackRegistration)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const type = k.marshal.struct('_IO_SESSION_STATE_NOTIFICATION');
    const size = sizeOf(type);
    const info = isView(NotificationInformation) ? NotificationInformation : NotificationInformation instanceof Ptr && NotificationInformation.alloc !== null ? viewOf(NotificationInformation, type) : undefined;
    if (info === undefined) {
      k.violation('null-param', `${routine} needs an IO_SESSION_STATE_NOTIFICATION (NotificationInformation)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const length = Number(NotificationInformationLength) >>> 0;
    const declared = Number(info.Size) >>> 0;
    if (length !== size || declared !== size) {
      k.violation('invalid-parameter', `${routine}: NotificationInformationLength is ${length} and Size is ${declared}; both must be sizeof(IO_SESSION_STATE_NOTIFICATION) (${size})`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const flags = Number(info.Flags) >>> 0;
    const mask = Number(info.EventMask) >>> 0;
    if (flags !== 0 || info.IoObject === null || info.IoObject === undefined || (mask !== IO_SESSION_STATE_ALL_EVENTS && (mask === 0 || (mask & ~IO_SESSION_STATE_VALID_EVENT_MASK) !== 0))) {
      k.violation('invalid-parameter', `${routine}: the IO_SESSION_STATE_NOTIFICATION needs Flags 0, the driver or device object in IoObject and IO_SESSION_STATE_* bits (or IO_SESSION_STATE_ALL_EVENTS) in EventMask (Flags ${flags}, EventMask 0x${mask.toString(16)})`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const reg = new ContainerRegistration(CallbackFunction as DriverFn, mask, ...spread(registrationSite(k, routine)));
    this.registered.push(reg);
    k.emit('register', 0, `${routine}(${nameOf(reg.fn, 'callback')}): registered for session events 0x${mask.toString(16)} (none happen in a run)`);
    writeOut(CallbackRegistration, reg);
    return STATUS.STATUS_SUCCESS;
  }

  IoUnregisterContainerNotification(CallbackRegistration: unknown): void {
    const k = this.k;
    k.checkIrql('IoUnregisterContainerNotification');
    const i = this.registered.findIndex((r) => r === CallbackRegistration);
    if (i < 0) {
      const again = CallbackRegistration instanceof ContainerRegistration && CallbackRegistration.unregistered;
      k.violation('bad-object', `IoUnregisterContainerNotification needs a registration IoRegisterContainerNotification returned${again ? ' (this one was unregistered already)' : ''}`);
      return;
    }
    this.registered[i]!.unregistered = true;
    this.registered.splice(i, 1);
  }

  /**
   * IoSessionStateInformation about a session object. Session objects only reach a driver through
   * its session callback, which no run calls; anything else is not a session object.
   */
  IoGetContainerInformation(InformationClass: number, ContainerObject: unknown, Buffer: unknown, BufferLength: number): number {
    const k = this.k;
    k.checkIrql('IoGetContainerInformation');
    if (Number(InformationClass) !== IO_SESSION_STATE_INFORMATION) return STATUS.STATUS_INVALID_PARAMETER;
    const size = sizeOf(k.marshal.struct('_IO_SESSION_STATE_INFORMATION'));
    if ((Number(BufferLength) >>> 0) < size || Buffer === null || Buffer === undefined) return STATUS.STATUS_BUFFER_TOO_SMALL;
    k.violation('bad-object', `IoGetContainerInformation needs the session object a session notification passed (SessionObject); ${ContainerObject === null || ContainerObject === undefined ? 'NULL' : 'this value'} is not one`);
    return STATUS.STATUS_INVALID_PARAMETER;
  }

  heldBy(module: string): ContainerRegistration[] {
    return this.registered.filter((r) => r.module === module);
  }
}

function spread(r: Registration): [string | undefined, string, Registration['site']] {
  return [r.module, r.routine, r.site];
}
