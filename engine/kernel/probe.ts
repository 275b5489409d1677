/**
 * ProbeForRead and ProbeForWrite: the checks a driver makes before it touches a buffer a user-mode
 * caller handed it. As on x64 Windows: a zero length checks nothing; an address not aligned to
 * `alignment` raises STATUS_DATATYPE_MISALIGNMENT; a range that does not end at or below
 * MM_USER_PROBE_ADDRESS (a kernel address, or one that wraps) raises STATUS_ACCESS_VIOLATION.
 * ProbeForWrite also touches the range for writing, so a user range nothing is mapped at (no live
 * user-mode memory) raises STATUS_ACCESS_VIOLATION too; ProbeForRead does not read it.
 */
import { STATUS } from './status';
import { SehException, accessViolation } from './exceptions';
import { hexAddress, MM_USER_PROBE_ADDRESS, Ptr } from '../memory/pointer';
import type { PointerValue } from '../memory/allocation';

/** The alignments the routines accept (Windows asserts one of them). */
export const PROBE_ALIGNMENTS: readonly number[] = [1, 2, 4, 8, 16];

export interface ProbeRequest {
  routine: 'ProbeForRead' | 'ProbeForWrite';
  /** The address as C holds it: a pointer value, or an integer cast to one. */
  pointer: PointerValue;
  /** Its address, signed 64-bit (kernel addresses are negative). */
  address: number;
  length: number;
  alignment: number;
}

/** Raises the exception the probe would, or returns when the range passes. */
export function probe(r: ProbeRequest): void {
  const { routine, address, length, alignment } = r;
  if (length === 0) return;
  const call = `${routine}(${hexAddress(address)}, ${length}, ${alignment})`;
  if (alignment > 0 && address % alignment !== 0) {
    throw new SehException(STATUS.STATUS_DATATYPE_MISALIGNMENT, `${call}: the address is not ${alignment}-byte aligned`);
  }
  const end = address + length;
  if (address < 0 || end > MM_USER_PROBE_ADDRESS) {
    const where = address < 0 ? 'a kernel-space address' : 'a range that runs past the end of user space';
    throw accessViolation(`${call}: ${where}, not a user-mode buffer`, routine === 'ProbeForWrite', address);
  }
  if (routine === 'ProbeForWrite') {
    const p = r.pointer;
    const a = p instanceof Ptr ? p.alloc : null;
    if (a === null || a.freed || a.kind !== 'user' || p instanceof Ptr && (p.offset < 0 || p.offset + length > a.size)) {
      const why = a === null ? 'no user-mode memory is there' : a.freed ? `${a.describe()} was freed` : `the range runs outside ${a.describe()}`;
      throw accessViolation(`${call}: ${why}`, true, address);
    }
  }
}
