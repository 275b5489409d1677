/**
 * The interlocked operations on 8- and 16-bit variables (a BOOLEAN flag, a SHORT counter) and the
 * bitwise ones on 64-bit variables, which wdm.h maps to compiler intrinsics. Each reads the
 * caller's variable at its own width and returns the previous value, as the 32-bit forms in rtl.ts do.
 */
import type { OutParam } from './cvalues';

type Width = 8 | 16;

function narrow(v: unknown, bits: Width): number {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : 0;
  return bits === 8 ? (n << 24) >> 24 : (n << 16) >> 16;
}

function wide(v: unknown): bigint {
  return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n;
}

function canonical64(v: bigint): number | bigint {
  const w = BigInt.asIntN(64, v);
  const n = Number(w);
  return Number.isSafeInteger(n) ? n : w;
}

export class NarrowInterlockedRoutines {
  private apply(r: OutParam, bits: Width, f: (old: number) => number): number {
    const old = narrow(r.get(), bits);
    r.set(narrow(f(old), bits));
    return old;
  }

  private apply64(r: OutParam, f: (old: bigint) => bigint): number | bigint {
    const old = wide(r.get());
    r.set(canonical64(f(old)));
    return canonical64(old);
  }

  InterlockedExchange8(Target: OutParam, Value: number): number {
    return this.apply(Target, 8, () => Value);
  }

  InterlockedExchange16(Target: OutParam, Value: number): number {
    return this.apply(Target, 16, () => Value);
  }

  /** Stores Exchange when the variable equals Comperand; returns the previous value either way. */
  InterlockedCompareExchange16(Destination: OutParam, Exchange: number, Comperand: number): number {
    return this.apply(Destination, 16, (old) => (old === narrow(Comperand, 16) ? Exchange : old));
  }

  InterlockedExchangeAdd8(Addend: OutParam, Value: number): number {
    return this.apply(Addend, 8, (old) => old + Value);
  }

  InterlockedExchangeAdd16(Addend: OutParam, Value: number): number {
    return this.apply(Addend, 16, (old) => old + Value);
  }

  InterlockedAnd8(Destination: OutParam, Value: number): number {
    return this.apply(Destination, 8, (old) => old & Value);
  }

  InterlockedOr8(Destination: OutParam, Value: number): number {
    return this.apply(Destination, 8, (old) => old | Value);
  }

  InterlockedXor8(Destination: OutParam, Value: number): number {
    return this.apply(Destination, 8, (old) => old ^ Value);
  }

  InterlockedAnd16(Destination: OutParam, Value: number): number {
    return this.apply(Destination, 16, (old) => old & Value);
  }

  InterlockedOr16(Destination: OutParam, Value: number): number {
    return this.apply(Destination, 16, (old) => old | Value);
  }

  InterlockedXor16(Destination: OutParam, Value: number): number {
    return this.apply(Destination, 16, (old) => old ^ Value);
  }

  InterlockedAnd64(Destination: OutParam, Value: number | bigint): number | bigint {
    return this.apply64(Destination, (old) => old & wide(Value));
  }

  InterlockedOr64(Destination: OutParam, Value: number | bigint): number | bigint {
    return this.apply64(Destination, (old) => old | wide(Value));
  }

  InterlockedXor64(Destination: OutParam, Value: number | bigint): number | bigint {
    return this.apply64(Destination, (old) => old ^ wide(Value));
  }
}
