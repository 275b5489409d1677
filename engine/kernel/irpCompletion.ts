/**
 * IoCompleteRequest's walk up an IRP's stack locations, as the I/O manager does it.
 *
 * Starting at the completer's location, each location in turn: PendingReturned takes that
 * location's SL_PENDING_RETURNED, the IRP moves up one location, and the completion routine the
 * driver above set there (IoSetCompletionRoutine(Ex) writes it into the location below its own) runs
 * if its SL_INVOKE_ON_SUCCESS / _ERROR / _CANCEL bit matches the IRP's status — in the completer's
 * thread, at the completer's IRQL (DISPATCH_LEVEL when the completer holds a spin lock). Its device
 * argument is the device of the driver that set it; the top location's routine (set by whoever
 * allocated the IRP) gets NULL. A routine that returns STATUS_MORE_PROCESSING_REQUIRED stops the walk:
 * the IRP is the routine's driver's again, to free, reuse or complete once more. A location without a
 * routine passes PendingReturned on by marking the location above pending (what IoMarkIrpPending
 * in a completion routine would do).
 */
import type { Co } from './coroutine';
import { isFunctionValue } from './cvalues';
import type { DriverFn } from './driverFn';
import { nameOf } from './driverFn';
import type { Kernel } from './kernel';
import { ntSuccess, STATUS } from './status';
import type { KThread } from './thread';
import type { StructView } from '../memory/view';
import type { StructType } from '../c/types';

export const SL_PENDING_RETURNED = 0x01;
export const SL_INVOKE_ON_CANCEL = 0x20;
export const SL_INVOKE_ON_SUCCESS = 0x40;
export const SL_INVOKE_ON_ERROR = 0x80;

/** What the walk needs of an IRP (irp.ts's Irp; named here so the two modules do not import each other). */
export interface CompletingIrp {
  readonly label: string;
  readonly view: StructView;
  readonly ptr: unknown;
  readonly stackCount: number;
  readonly currentLocation: number;
  readonly status: number;
  readonly freed: boolean;
  inCompletionRoutine: boolean;
  stackAt(loc: number, stackType: StructType): StructView;
  setLocation(loc: number): void;
}

/** How a completion walk ended: at the top of the IRP, or stopped by a completion routine. */
export type CompletionEnd = 'top' | 'more-processing';

export function* walkCompletion(k: Kernel, t: KThread, irp: CompletingIrp): Co<CompletionEnd> {
  const st = k.marshal.struct('_IO_STACK_LOCATION');
  for (;;) {
    const loc = irp.currentLocation;
    if (loc > irp.stackCount) return 'top';
    const sp = irp.stackAt(loc, st);
    const control = Number(sp.Control);
    const pending = (control & SL_PENDING_RETURNED) !== 0;
    irp.view.PendingReturned = pending ? 1 : 0;
    irp.setLocation(loc + 1);
    const routine = sp.CompletionRoutine as unknown;
    const context = sp.Context as unknown;
    const status = irp.status;
    const cancelled = Number(irp.view.Cancel) !== 0;
    const invoke =
      (isFunctionValue(routine) || typeof routine === 'function') &&
      ((ntSuccess(status) && (control & SL_INVOKE_ON_SUCCESS) !== 0) ||
        (!ntSuccess(status) && (control & SL_INVOKE_ON_ERROR) !== 0) ||
        (cancelled && (control & SL_INVOKE_ON_CANCEL) !== 0));
    clearLocation(sp);
    if (invoke) {
      const above = loc + 1 > irp.stackCount ? null : irp.stackAt(loc + 1, st).DeviceObject;
      const name = nameOf(routine, 'CompletionRoutine');
      irp.inCompletionRoutine = true;
      let r: unknown;
      try {
        r = yield* k.callDriver(t, routine as DriverFn, name, [above ?? null, irp.ptr, context ?? null]);
      } finally {
        irp.inCompletionRoutine = false;
      }
      if (irp.freed) return 'more-processing';
      if ((Number(r) >>> 0) === STATUS.STATUS_MORE_PROCESSING_REQUIRED) {
        k.emit('io-done', 0, `${name} returned STATUS_MORE_PROCESSING_REQUIRED: completion of ${irp.label} stops, the IRP is its driver's again`);
        return 'more-processing';
      }
    } else if (pending && loc + 1 <= irp.stackCount) {
      const upper = irp.stackAt(loc + 1, st);
      upper.Control = Number(upper.Control) | SL_PENDING_RETURNED;
    }
  }
}

/** What the I/O manager clears in a location it has walked past (the request itself stays readable). */
function clearLocation(sp: StructView): void {
  sp.MinorFunction = 0;
  sp.Flags = 0;
  sp.Control = 0;
  sp.CompletionRoutine = null;
  sp.Context = null;
}
