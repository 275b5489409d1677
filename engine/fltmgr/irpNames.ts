/**
 * FltGetIrpName: the name of a major function code as a printable ANSI string ("IRP_MJ_CREATE",
 * the Filter Manager's own negative codes as a UCHAR included), "<Invalid IRP code>" for any other
 * value. Each string is made once per run and never freed, like the kernel's constant strings.
 */
import type { Kernel } from '../kernel/kernel';
import { allocateString } from '../memory/strings';
import type { Ptr } from '../memory/pointer';
import { IRP_MJ, majorName } from './constants';

/** Every major code a request can carry (IRP_MJ_OPERATION_END only ends a registration array). */
const KNOWN = new Set<number>(Object.values(IRP_MJ).filter((v) => v !== IRP_MJ.OPERATION_END));

export class IrpNameRoutines {
  private readonly made = new Map<string, Ptr>();

  constructor(private readonly k: Kernel) {}

  FltGetIrpName(IrpMajorCode: number): Ptr {
    const code = Number(IrpMajorCode) & 0xff;
    const name = KNOWN.has(code) ? majorName(code) : '<Invalid IRP code>';
    let p = this.made.get(name);
    if (p === undefined) this.made.set(name, (p = allocateString(this.k.memory, name, 1, 'string', `FltGetIrpName's "${name}"`)));
    return p;
  }
}
