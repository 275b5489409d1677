/**
 * RtlRandom and RtlRandomEx: the next number of a pseudo-random sequence the caller keeps in its own
 * ULONG seed. The contract is only that the result lies in [0, MAXLONG - 1] and that the seed is
 * updated, so a driver that starts from the same seed sees the same numbers; fltsim uses the
 * Park–Miller generator (its own choice, not Windows' constants), a pure function of the seed, so a
 * run stays reproducible and the scheduler's numbers are never touched.
 */
import type { Kernel } from './kernel';
import { readOut, writeOut } from './objects';
import { pointerOf } from './marshal';

const MODULUS = 0x7fffffff;
const MULTIPLIER = 16807;

/** The seed after `seed`: never 0, below 2^31 - 1 (a seed of 0 or 2^31 - 1 is moved into range first). */
export function nextSeed(seed: number): number {
  let s = (seed >>> 0) % MODULUS;
  if (s === 0) s = 1;
  return Number((BigInt(s) * BigInt(MULTIPLIER)) % BigInt(MODULUS));
}

export class RandomRoutines {
  constructor(private readonly k: Kernel) {}

  RtlRandom(Seed: unknown): number {
    return this.next('RtlRandom', Seed);
  }

  RtlRandomEx(Seed: unknown): number {
    return this.next('RtlRandomEx', Seed);
  }

  private next(name: string, Seed: unknown): number {
    const k = this.k;
    k.checkIrql(name);
    if (pointerOf(Seed) === null) {
      k.violation('null-param', `${name} needs the address of the caller's ULONG seed`);
      return 0;
    }
    const seed = nextSeed(Number(readOut(Seed) ?? 0));
    writeOut(Seed, seed);
    // Park–Miller gives 1 … 2^31 - 2; the documented range starts at 0.
    return seed - 1;
  }
}
