/**
 * MmIsAddressValid: whether reading the byte at an address would not fault now. In the model an
 * address is valid when it lies inside a live allocation (pool, a stack, a global, a mapped view,
 * an engine object the driver was handed such as a key object or a FILE_OBJECT) and not when it is
 * NULL, in the NULL page, an integer no allocation holds, or memory already freed. As on Windows the
 * answer says nothing about the next instruction: another thread may free the memory right after.
 */
import type { Kernel } from './kernel';
import { pointerOf } from './marshal';
import { Ptr } from '../memory/pointer';

export class AddressValidityRoutines {
  constructor(private readonly k: Kernel) {}

  MmIsAddressValid(VirtualAddress: unknown): number {
    this.k.checkIrql('MmIsAddressValid');
    if (VirtualAddress === null || VirtualAddress === undefined) return 0;
    const p = pointerOf(VirtualAddress);
    if (p === undefined) return typeof VirtualAddress === 'object' || typeof VirtualAddress === 'function' ? 1 : 0;
    if (!(p instanceof Ptr)) return 1; // code: a function's address is mapped
    if (p.alloc === null) return 0;
    return p.alloc.accessible && p.offset >= 0 && p.offset < p.alloc.size ? 1 : 0;
  }
}
