/**
 * File-system runtime helpers (FsRtl*) that filters call on their own account.
 */
import type { Kernel } from './kernel';

/** Exception codes that mean a bug (a fault) rather than a status a file system expects to see. */
const UNEXPECTED = new Set<number>([
  0x80000002, // STATUS_DATATYPE_MISALIGNMENT
  0xc0000005, // STATUS_ACCESS_VIOLATION
  0xc000001d, // STATUS_ILLEGAL_INSTRUCTION
  0xc00000aa, // STATUS_INSTRUCTION_MISALIGNMENT
]);

export class FsRtlRoutines {
  constructor(private readonly k: Kernel) {}

  /** TRUE unless the exception code is one a try/except around user buffers should not swallow. */
  FsRtlIsNtstatusExpected(Exception: number): number {
    this.k.checkIrql('FsRtlIsNtstatusExpected');
    return UNEXPECTED.has(Number(Exception) >>> 0) ? 0 : 1;
  }
}
