/**
 * ExUuidCreate: a new UUID for each call, written as the 16 bytes of the caller's GUID. The values
 * are RFC 4122 version-4 (random) UUIDs drawn from a generator of their own, seeded from the run's
 * seed: the same run gives the same UUIDs, and asking for one never changes the schedule (the
 * scheduler's generator is not touched). A driver cannot rely on the version Windows uses, only on
 * the values being distinct.
 */
import type { Kernel } from './kernel';
import { pointerOf } from './marshal';
import { Random } from './random';
import { STATUS } from './status';
import { Ptr, resolve } from '../memory/pointer';

/** Mixed into the run's seed so the UUIDs are not the scheduler's numbers. */
const UUID_STREAM = 0x55a1d0c5;

export class UuidRoutines {
  private rng: Random | null = null;

  constructor(private readonly k: Kernel) {}

  ExUuidCreate(Uuid: unknown): number {
    const k = this.k;
    k.checkIrql('ExUuidCreate');
    const at = pointerOf(Uuid);
    if (!(at instanceof Ptr)) {
      k.violation('null-param', 'ExUuidCreate needs a UUID (GUID) to fill');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    this.rng ??= new Random((this.k.rng.seed ^ UUID_STREAM) >>> 0);
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) new DataView(bytes.buffer).setUint32(i, this.rng.nextU32(), true);
    // Data3's top nibble is the version (4); Data4[0]'s top two bits the RFC 4122 variant (10).
    bytes[7] = (bytes[7]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const r = resolve(at, 16, 'writes');
    r.alloc.writeBytes(r.offset, bytes);
    return STATUS.STATUS_SUCCESS;
  }
}
