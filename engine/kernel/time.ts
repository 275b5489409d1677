/**
 * Virtual time. The clock counts ticks of one millisecond; kernel interfaces speak in 100 ns units
 * (LARGE_INTEGER timeouts, KeQuerySystemTime), 10,000 per tick. Executing code takes no time: the
 * clock only moves when every thread is blocked or idle, to the next timer or workload event.
 */
import { isOutParam } from './cvalues';
import { Allocation } from '../memory/allocation';
import { Ptr } from '../memory/pointer';

export const UNITS_PER_TICK = 10_000;

/**
 * KeQuerySystemTime at tick 0: 2024-01-01T00:00:00Z in 100 ns units since 1601. It is a multiple
 * of 16, and so is one tick, so every system time up to 2^57 (the year 2057) is an exact double.
 */
export const SYSTEM_TIME_AT_TICK_0 = 133_485_408_000_000_000;

/** A timeout as the kernel receives it: a LARGE_INTEGER (object, view or the pointer to a by-value copy), a cell holding one, a number, or NULL. */
export type TimeoutArg = unknown;

/** The 100 ns quantity of a timeout argument, or null for "wait forever" (a NULL pointer). */
export function timeoutUnits(arg: TimeoutArg): number | null {
  if (arg === null || arg === undefined) return null;
  if (typeof arg === 'number') return arg;
  if (typeof arg === 'bigint') return Number(BigInt.asIntN(64, arg));
  if (isOutParam(arg)) return timeoutUnits(arg.get());
  // A LARGE_INTEGER passed by value (KeSetTimer's DueTime) arrives as a pointer to its 8 bytes.
  if (arg instanceof Ptr && arg.alloc instanceof Allocation) return Number(arg.alloc.readInt(arg.offset, 8, true));
  if (typeof arg === 'object') {
    const q = (arg as { QuadPart?: unknown }).QuadPart;
    if (typeof q === 'number' || typeof q === 'bigint') return Number(q);
  }
  return null;
}

/**
 * The tick at which a timeout expires. Negative values are relative intervals, positive ones
 * absolute system times; a partial tick rounds up, since the kernel never wakes a waiter early.
 * Zero means "do not wait" and gives `now`.
 */
export function deadlineFor(now: number, units: number): number {
  if (units === 0) return now;
  if (units < 0) return now + Math.ceil(-units / UNITS_PER_TICK);
  return Math.max(now, Math.ceil((units - SYSTEM_TIME_AT_TICK_0) / UNITS_PER_TICK));
}

export function systemTimeAt(tick: number): number {
  return SYSTEM_TIME_AT_TICK_0 + tick * UNITS_PER_TICK;
}

/** `12 ms`, the form the timeline prints. */
export function formatTicks(tick: number): string {
  return `${tick} ms`;
}
