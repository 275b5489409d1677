/**
 * FltAllocatePoolAlignedWithTag / FltFreePoolAlignedWithTag: pool for non-cached I/O, aligned to
 * what the instance's volume requires. Every pool block fltsim hands out is aligned far beyond any
 * device's alignment requirement, so the block is ordinary pool with the instance checked.
 */
import type { Kernel } from '../kernel/kernel';
import { Irql, irqlName } from '../kernel/irql';
import { poolBlock, type PoolRoutines } from '../kernel/pool';
import type { AllocPtr } from '../memory/pointer';
import { Instance } from './objects';

export class AlignedPoolRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
  ) {}

  FltAllocatePoolAlignedWithTag(Instance_: unknown, PoolType: number, NumberOfBytes: number, Tag: number): AllocPtr | null {
    const k = this.k;
    k.checkIrql('FltAllocatePoolAlignedWithTag');
    if (!(Instance_ instanceof Instance)) {
      k.violation('bad-object', 'FltAllocatePoolAlignedWithTag needs an instance: the alignment comes from its volume');
      return null;
    }
    return this.pool.typed('FltAllocatePoolAlignedWithTag', Number(PoolType), NumberOfBytes, Tag);
  }

  FltFreePoolAlignedWithTag(Instance_: unknown, Buffer: unknown, Tag: number): void {
    const k = this.k;
    k.checkIrql('FltFreePoolAlignedWithTag');
    if (!(Instance_ instanceof Instance)) k.violation('bad-object', 'FltFreePoolAlignedWithTag needs the instance the block was allocated for');
    // The catalog allows DISPATCH_LEVEL, which holds for nonpaged blocks only: paged pool must be freed at APC_LEVEL or below.
    const block = poolBlock(Buffer);
    if (block !== undefined && block.pool === 'PagedPool' && k.current.irql > Irql.APC_LEVEL) {
      k.violation('irql-above-bound', `FltFreePoolAlignedWithTag frees paged block ${block.id} at ${irqlName(k.current.irql)}; paged pool may only be freed at APC_LEVEL or below`);
    }
    this.pool.free('FltFreePoolAlignedWithTag', Buffer, { tag: Tag });
  }
}
