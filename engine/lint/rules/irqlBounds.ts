/**
 * The IRQL bound of a call as written: the catalog's bound, tightened where an argument decides it
 * (paged-pool allocation, an infinite wait, KeSetEvent with Wait = TRUE).
 */
import { Irql } from '../../kernel/irql';
import { maxIrqlFor } from '../../api/catalog';
import type { CallExpr } from '../frontend/ir';
import { constName, isNullExpr, strip } from '../frontend/exprs';

const POOL_ALLOCATORS: Record<string, number> = {
  ExAllocatePool: 0, ExAllocatePoolWithTag: 0, ExAllocatePoolZero: 0, ExAllocatePoolWithQuotaTag: 0,
  ExAllocatePoolWithTagPriority: 0, ExAllocatePool2: 0, ExAllocatePool3: 0, ExAllocatePoolUninitialized: 0,
  FltAllocatePoolAlignedWithTag: 1,
};

function mentionsPaged(e: CallExpr['args'][number] | undefined): boolean {
  if (!e) return false;
  const s = strip(e);
  const name = constName(s);
  if (name) return /^PagedPool/.test(name) || name === 'POOL_FLAG_PAGED';
  if (s.k === 'binary' && s.op === '|') return mentionsPaged(s.left) || mentionsPaged(s.right);
  return false;
}

export interface CallBound {
  level: Irql;
  /** Why the bound is what it is, when an argument decided it. */
  because?: string;
}

export function callBound(c: CallExpr): CallBound | undefined {
  const name = c.callee;
  if (!name) return undefined;
  const poolArg = POOL_ALLOCATORS[name];
  if (poolArg !== undefined) {
    if (mentionsPaged(c.args[poolArg])) return { level: Irql.APC_LEVEL, because: 'it allocates paged pool' };
    const b = maxIrqlFor(name);
    return b === undefined ? undefined : { level: b };
  }
  if (name === 'KeWaitForSingleObject' && c.args.length >= 5 && isNullExpr(c.args[4])) return { level: Irql.APC_LEVEL, because: 'it waits without a timeout' };
  if (name === 'KeSetEvent' && c.args[2] && constName(c.args[2]) === 'TRUE') return { level: Irql.APC_LEVEL, because: 'Wait is TRUE' };
  const b = maxIrqlFor(name);
  return b === undefined ? undefined : { level: b };
}
