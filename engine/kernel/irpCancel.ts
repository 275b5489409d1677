/**
 * IoCancelIrp for device IRPs: a driver cancelling an IRP it sent, or the workload's `cancel #N` for
 * a request it sent to a driver's control device.
 *
 * As on Windows: the cancel spin lock is taken, Irp->Cancel is set, and the cancel routine the
 * holder of the IRP set with IoSetCancelRoutine is taken out of the IRP and called with the lock
 * still held, at DISPATCH_LEVEL, with the IRQL to restore in Irp->CancelIrql. The routine releases
 * the lock (IoReleaseCancelSpinLock(Irp->CancelIrql)) and completes the IRP, usually with
 * STATUS_CANCELLED. Without a cancel routine only the flag is set; the lock is released here.
 */
import type { Co } from './coroutine';
import { isFunctionValue } from './cvalues';
import { nameOf, type DriverFn } from './driverFn';
import { Irp } from './irp';
import { irqlName } from './irql';
import type { Kernel } from './kernel';
import type { SpinLockRoutines } from './spinlocks';
import type { KThread } from './thread';

export class IrpCancelRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly spin: SpinLockRoutines,
  ) {}

  /** TRUE when a cancel routine was called, FALSE when the IRP had none (only the flag is set). */
  *IoCancelIrp(Irp_: unknown): Co<number> {
    const k = this.k;
    k.checkIrql('IoCancelIrp');
    if (!(Irp_ instanceof Irp) || Irp_.freed) {
      k.violation(Irp_ === null || Irp_ === undefined ? 'null-param' : 'bad-object', `IoCancelIrp needs an IRP in progress${Irp_ instanceof Irp ? ', not one already freed' : ''}`);
      return 0;
    }
    return (yield* this.cancel(k.current, Irp_)) ? 1 : 0;
  }

  *cancel(t: KThread, irp: Irp): Co<boolean> {
    const k = this.k;
    const held = t.held.length;
    const old = yield* this.spin.IoAcquireCancelSpinLock(undefined);
    irp.view.Cancel = 1;
    const routine = irp.view.CancelRoutine as unknown;
    if (!isFunctionValue(routine) && typeof routine !== 'function') {
      k.emit('cancel', 0, `IoCancelIrp(${irp.label}): Cancel set; no cancel routine, so the IRP goes on until its holder completes it`);
      this.spin.IoReleaseCancelSpinLock(old);
      return false;
    }
    irp.view.CancelRoutine = null;
    irp.view.CancelIrql = old;
    const st = k.marshal.struct('_IO_STACK_LOCATION');
    const dev = irp.currentLocation <= irp.stackCount ? irp.currentStack(st).DeviceObject : null;
    const name = nameOf(routine, 'CancelRoutine');
    k.emit('cancel', 0, `IoCancelIrp(${irp.label}): Cancel set; calling ${name} with the cancel spin lock held`);
    // The routine is entered holding the lock at DISPATCH_LEVEL and leaves having released it, so the
    // usual "same IRQL, same locks" checks of a callback do not apply; the lock is checked instead.
    yield* k.callDriver(t, routine as DriverFn, name, [dev ?? null, irp.ptr], false);
    if (t.held.length > held) {
      k.violation('lock-held-on-return', `${name} returned still holding the cancel spin lock; a cancel routine releases it with IoReleaseCancelSpinLock(Irp->CancelIrql) (the simulation releases it to go on)`, 0, t);
      this.spin.IoReleaseCancelSpinLock(old);
    } else if (t.irql !== old) {
      k.violation('irql-not-restored', `${name} returned at ${irqlName(t.irql)}; releasing the cancel spin lock with Irp->CancelIrql restores ${irqlName(old)}`, 0, t);
      k.setIrql(t, old, 'the simulation restores the IRQL IoCancelIrp was called at');
    }
    return true;
  }
}
