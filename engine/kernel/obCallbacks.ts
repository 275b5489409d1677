/**
 * Object-manager callbacks (ObRegisterCallbacks / ObUnRegisterCallbacks) for process and thread
 * handle opens, and the scenario's `open-process` event that runs them: pre-operation callbacks
 * (highest altitude first) may clear bits of the access the opener asked for, post-operation
 * callbacks see what was granted. Registration checks what the reference page requires: the
 * version, at least one operation, a process or thread object type, a free altitude.
 */
import type { Co } from './coroutine';
import { nameOf, type DriverFn } from './driverFn';
import type { Kernel } from './kernel';
import { writeOut } from './objects';
import type { KProcess } from './processes';
import { registrationSite, type Registration } from './processNotify';
import { formatStatus, STATUS } from './status';
import { PRIORITY, type KThread } from './thread';
import { unicodeStringText, type UnicodeString } from './cvalues';
import { sizeOf } from '../c/types';
import { ownerOf, Ptr } from '../memory/pointer';
import { viewOf, type StructView } from '../memory/view';

const OB_FLT_REGISTRATION_VERSION = 0x0100;
const OB_OPERATION_HANDLE_CREATE = 1;
const OB_OPERATION_HANDLE_DUPLICATE = 2;

interface ObOperation {
  readonly objectType: 'PsProcess' | 'PsThread';
  readonly operations: number;
  readonly pre: DriverFn | null;
  readonly post: DriverFn | null;
}

/** What RegistrationHandle names: one ObRegisterCallbacks call. */
export class ObRegistration implements Registration {
  unregistered = false;
  constructor(
    readonly altitude: string,
    readonly context: unknown,
    readonly operations: readonly ObOperation[],
    readonly module: string | undefined,
    readonly routine: string,
    readonly site: Registration['site'],
  ) {}

  get label(): string {
    return `ObRegisterCallbacks registration at altitude ${this.altitude}`;
  }
}

/** How one `open-process` event ended: the access granted, or why nothing was opened. */
export interface ProcessOpenResult {
  readonly id: number;
  readonly target: string;
  readonly desired: number;
  readonly granted: number;
  readonly status: number;
}

export class ObCallbackRoutines {
  private readonly registrations: ObRegistration[] = [];
  readonly opens = new Map<number, ProcessOpenResult>();

  constructor(private readonly k: Kernel) {}

  ObGetFilterVersion(): number {
    return OB_FLT_REGISTRATION_VERSION;
  }

  ObRegisterCallbacks(CallbackRegistration: unknown, RegistrationHandle: unknown): number {
    const k = this.k;
    k.checkIrql('ObRegisterCallbacks');
    writeOut(RegistrationHandle, null);
    const reg = CallbackRegistration as StructView | null;
    if (reg === null || reg === undefined || RegistrationHandle === null || RegistrationHandle === undefined) {
      k.violation('null-param', `ObRegisterCallbacks needs ${reg ? 'a place to return the registration handle' : 'an OB_CALLBACK_REGISTRATION'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const version = Number(reg.Version);
    if (version !== OB_FLT_REGISTRATION_VERSION) {
      k.violation('invalid-parameter', `ObRegisterCallbacks: Version is 0x${version.toString(16)}; set it to OB_FLT_REGISTRATION_VERSION (0x100)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const count = Number(reg.OperationRegistrationCount);
    const array = reg.OperationRegistration;
    if (count === 0 || !(array instanceof Ptr) || array.alloc === null) {
      k.violation('invalid-parameter', 'ObRegisterCallbacks: OperationRegistrationCount is 0 or OperationRegistration is NULL; register at least one operation');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const altitude = unicodeStringText(reg.Altitude as unknown as UnicodeString);
    if (altitude === '') {
      k.violation('invalid-parameter', 'ObRegisterCallbacks: the Altitude string is empty; give the driver\'s altitude');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const st = k.marshal.struct('_OB_OPERATION_REGISTRATION');
    const size = sizeOf(st);
    const operations: ObOperation[] = [];
    for (let i = 0; i < count; i++) {
      const op = viewOf(array.add(i * size), st);
      const typeCell = op.ObjectType;
      const type = typeCell instanceof Ptr && typeCell.alloc !== null ? (ownerOf(typeCell.alloc.readPointer(typeCell.offset)) as { objectType?: string } | undefined)?.objectType : undefined;
      if (type !== 'PsProcess' && type !== 'PsThread') {
        k.violation('invalid-parameter', `ObRegisterCallbacks: operation ${i} names no object type fltsim calls back for; use &PsProcessType or &PsThreadType`);
        return STATUS.STATUS_INVALID_PARAMETER;
      }
      const ops = Number(op.Operations) >>> 0;
      const pre = (op.PreOperation ?? null) as DriverFn | null;
      const post = (op.PostOperation ?? null) as DriverFn | null;
      if ((ops & (OB_OPERATION_HANDLE_CREATE | OB_OPERATION_HANDLE_DUPLICATE)) === 0 || (pre === null && post === null)) {
        k.violation('invalid-parameter', `ObRegisterCallbacks: operation ${i} has no OB_OPERATION_HANDLE_* bit or neither a pre- nor a post-operation callback`);
        return STATUS.STATUS_INVALID_PARAMETER;
      }
      operations.push({ objectType: type, operations: ops, pre, post });
    }
    if (this.registrations.some((r) => !r.unregistered && r.altitude === altitude)) {
      k.emit('register', 0, `ObRegisterCallbacks: altitude ${altitude} is already taken (STATUS_FLT_INSTANCE_ALTITUDE_COLLISION)`);
      return STATUS.STATUS_FLT_INSTANCE_ALTITUDE_COLLISION;
    }
    const site = registrationSite(k, 'ObRegisterCallbacks');
    const r = new ObRegistration(altitude, reg.RegistrationContext ?? null, operations, site.module, site.routine, site.site);
    this.registrations.push(r);
    writeOut(RegistrationHandle, r);
    k.emit('register', 0, `ObRegisterCallbacks: ${operations.length} operation(s) at altitude ${altitude}`);
    return STATUS.STATUS_SUCCESS;
  }

  ObUnRegisterCallbacks(RegistrationHandle: unknown): void {
    const k = this.k;
    k.checkIrql('ObUnRegisterCallbacks');
    if (!(RegistrationHandle instanceof ObRegistration) || RegistrationHandle.unregistered) {
      k.violation(RegistrationHandle === null || RegistrationHandle === undefined ? 'null-param' : 'bad-object', 'ObUnRegisterCallbacks needs the handle a successful ObRegisterCallbacks returned, once');
      return;
    }
    RegistrationHandle.unregistered = true;
  }

  /** Registrations still in place made by `module`'s driver. */
  heldBy(module: string): ObRegistration[] {
    return this.registrations.filter((r) => !r.unregistered && r.module === module);
  }

  /** The `open-process` event: `opener` opens a handle to `target` asking for `desired`. */
  spawnOpen(id: number, opener: KProcess, target: KProcess, desired: number, kernelHandle: boolean): KThread {
    return this.k.spawn(`Open process ${target.name} (#${id})`, 'io', PRIORITY.normal, (t) => {
      t.process = opener;
      return this.openBody(t, id, target, desired >>> 0, kernelHandle);
    });
  }

  private *openBody(t: KThread, id: number, target: KProcess, desired: number, kernelHandle: boolean): Co<void> {
    const k = this.k;
    const m = k.marshal;
    if (target.state !== 'running') {
      this.opens.set(id, { id, target: target.name, desired, granted: 0, status: STATUS.STATUS_INVALID_CID });
      k.emit('process', target.id, `open-process #${id}: ${target.name} is ${target.state} (STATUS_INVALID_CID)`);
      return;
    }
    const active = this.registrations
      .filter((r) => !r.unregistered)
      .sort((a, b) => Number(b.altitude) - Number(a.altitude));
    let access = desired;
    for (const r of active) {
      for (const op of r.operations) {
        if (op.objectType !== 'PsProcess' || (op.operations & OB_OPERATION_HANDLE_CREATE) === 0 || op.pre === null) continue;
        const params = m.layOut(r, '_OB_PRE_CREATE_HANDLE_INFORMATION', 'OB_PRE_CREATE_HANDLE_INFORMATION');
        params.DesiredAccess = access;
        params.OriginalDesiredAccess = desired;
        const info = m.layOut(r, '_OB_PRE_OPERATION_INFORMATION', 'OB_PRE_OPERATION_INFORMATION');
        info.Operation = OB_OPERATION_HANDLE_CREATE;
        info.Flags = kernelHandle ? 1 : 0;
        info.Object = target;
        info.ObjectType = k.memory.handleFor({ objectType: 'PsProcess' }, 'object type PsProcessType');
        info.Parameters = params.$ptr;
        yield* k.callDriver(t, op.pre, nameOf(op.pre, 'PreOperation'), [r.context, info.$ptr]);
        const after = Number(params.DesiredAccess) >>> 0;
        if ((after & ~access) !== 0) {
          k.violation('ob-access-added', `${nameOf(op.pre, 'PreOperation')} added access bits 0x${((after & ~access) >>> 0).toString(16)} to DesiredAccess; a pre-operation callback may only clear bits`);
        }
        access = (access & after) >>> 0;
      }
    }
    for (const r of active) {
      for (const op of r.operations) {
        if (op.objectType !== 'PsProcess' || (op.operations & OB_OPERATION_HANDLE_CREATE) === 0 || op.post === null) continue;
        const params = m.layOut(r, '_OB_POST_CREATE_HANDLE_INFORMATION', 'OB_POST_CREATE_HANDLE_INFORMATION');
        params.GrantedAccess = access;
        const info = m.layOut(r, '_OB_POST_OPERATION_INFORMATION', 'OB_POST_OPERATION_INFORMATION');
        info.Operation = OB_OPERATION_HANDLE_CREATE;
        info.Flags = kernelHandle ? 1 : 0;
        info.Object = target;
        info.ObjectType = k.memory.handleFor({ objectType: 'PsProcess' }, 'object type PsProcessType');
        info.ReturnStatus = STATUS.STATUS_SUCCESS;
        info.Parameters = params.$ptr;
        yield* k.callDriver(t, op.post, nameOf(op.post, 'PostOperation'), [r.context, info.$ptr]);
      }
    }
    this.opens.set(id, { id, target: target.name, desired, granted: access, status: STATUS.STATUS_SUCCESS });
    k.emit('process', target.id, `open-process #${id}: ${k.processOf(t).name} opened ${target.name} with access 0x${access.toString(16)} (asked 0x${desired.toString(16)}; ${formatStatus(STATUS.STATUS_SUCCESS)})`);
  }
}
