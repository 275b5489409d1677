/**
 * Small runtime routines the engine answers because they carry a verifier check (IRQL bounds on
 * the string comparisons) or touch engine state (debug output): counted strings, interlocked
 * operations on the caller's variable, DbgPrint with text the interpreter has already formatted.
 */
import { unicodeStringText, WideText, type OutParam, type UnicodeString } from './cvalues';
import { pointerOf } from './marshal';
import { ownerOf, Ptr } from '../memory/pointer';
import { readCString } from '../memory/strings';
import type { Kernel } from './kernel';
import { STATUS } from './status';

export class RtlRoutines {
  constructor(private readonly k: Kernel) {}

  /** Prints one line; the interpreter formats the printf-style arguments before calling. */
  DbgPrint(Text: string): number {
    this.k.print(Text);
    return STATUS.STATUS_SUCCESS;
  }

  DbgPrintEx(_ComponentId: number, _Level: number, Text: string): number {
    this.k.print(Text);
    return STATUS.STATUS_SUCCESS;
  }

  /** A breakpoint in driver code does not stop the simulation; it shows in the output. */
  DbgBreakPoint(): void {
    this.k.print('DbgBreakPoint');
  }

  /**
   * Points Destination at the NUL-terminated wide string Source (a pointer into C memory, or text a
   * TypeScript caller passes); NULL gives an empty string.
   */
  RtlInitUnicodeString(DestinationString: UnicodeString, SourceString: unknown): void {
    this.k.checkIrql('RtlInitUnicodeString');
    if (!DestinationString) {
      this.k.violation('null-param', 'RtlInitUnicodeString needs a destination UNICODE_STRING');
      return;
    }
    const src = typeof SourceString === 'string' ? new WideText(SourceString) : SourceString instanceof WideText ? SourceString : pointerOf(SourceString);
    if (src === null || src === undefined) {
      DestinationString.Length = 0;
      DestinationString.MaximumLength = 0;
      DestinationString.Buffer = null;
      return;
    }
    const n = src instanceof WideText ? src.text.length : src instanceof Ptr ? readCString(src, 2).length : 0;
    DestinationString.Length = n * 2;
    DestinationString.MaximumLength = (n + 1) * 2;
    DestinationString.Buffer = src;
  }

  /** <0, 0, >0 as String1 sorts before, equal to, or after String2. */
  RtlCompareUnicodeString(String1: UnicodeString, String2: UnicodeString, CaseInSensitive: unknown): number {
    this.k.checkIrql('RtlCompareUnicodeString');
    let a = unicodeStringText(String1);
    let b = unicodeStringText(String2);
    if (CaseInSensitive) {
      a = a.toUpperCase();
      b = b.toUpperCase();
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  RtlEqualUnicodeString(String1: UnicodeString, String2: UnicodeString, CaseInSensitive: unknown): number {
    this.k.checkIrql('RtlEqualUnicodeString');
    const a = unicodeStringText(String1);
    const b = unicodeStringText(String2);
    return (CaseInSensitive ? a.toUpperCase() === b.toUpperCase() : a === b) ? 1 : 0;
  }

  RtlPrefixUnicodeString(String1: UnicodeString, String2: UnicodeString, CaseInSensitive: unknown): number {
    this.k.checkIrql('RtlPrefixUnicodeString');
    const a = unicodeStringText(String1);
    const b = unicodeStringText(String2);
    return (CaseInSensitive ? b.toUpperCase().startsWith(a.toUpperCase()) : b.startsWith(a)) ? 1 : 0;
  }

  // --- interlocked operations: atomic by construction, since one thread runs at a time ---
  // The target arrives as a cell over the caller's variable (C) or a Ref (TypeScript).

  InterlockedIncrement(Addend: OutParam): number {
    return this.update(Addend, (v) => (v + 1) | 0);
  }

  InterlockedDecrement(Addend: OutParam): number {
    return this.update(Addend, (v) => (v - 1) | 0);
  }

  InterlockedIncrement64(Addend: OutParam): number | bigint {
    return this.update64(Addend, 1n);
  }

  InterlockedDecrement64(Addend: OutParam): number | bigint {
    return this.update64(Addend, -1n);
  }

  InterlockedIncrement16(Addend: OutParam): number {
    return this.update(Addend, (v) => ((v + 1) << 16) >> 16);
  }

  InterlockedDecrement16(Addend: OutParam): number {
    return this.update(Addend, (v) => ((v - 1) << 16) >> 16);
  }

  /** Returns the previous value. */
  InterlockedExchange(Target: OutParam, Value: number): number {
    return num(this.swap(Target, Value));
  }

  InterlockedExchange64(Target: OutParam, Value: number | bigint): number | bigint {
    const old = this.swap(Target, Value);
    return typeof old === 'bigint' ? old : num(old);
  }

  InterlockedExchangePointer(Target: OutParam, Value: unknown): unknown {
    return this.swap(Target, Value);
  }

  InterlockedExchangeAdd(Addend: OutParam, Value: number): number {
    const old = num(Addend.get());
    Addend.set((old + Value) | 0);
    return old;
  }

  InterlockedExchangeAdd64(Addend: OutParam, Value: number | bigint): number | bigint {
    const old = Addend.get() ?? 0;
    Addend.set(canonical64(BigInt(old as number | bigint) + BigInt(Value)));
    return old as number | bigint;
  }

  /** Stores Exchange when *Destination equals Comperand; returns the previous value either way. */
  InterlockedCompareExchange(Destination: OutParam, Exchange: unknown, Comperand: unknown): unknown {
    const old = Destination.get() ?? 0;
    if (sameValue(old, Comperand)) Destination.set(Exchange);
    return old;
  }

  InterlockedCompareExchange64(Destination: OutParam, Exchange: unknown, Comperand: unknown): unknown {
    return this.InterlockedCompareExchange(Destination, Exchange, Comperand);
  }

  InterlockedCompareExchangePointer(Destination: OutParam, Exchange: unknown, Comperand: unknown): unknown {
    const old = Destination.get() ?? null;
    if (sameValue(old, Comperand)) Destination.set(Exchange);
    return old;
  }

  InterlockedOr(Destination: OutParam, Value: number): number {
    const old = num(Destination.get());
    Destination.set(old | Value);
    return old;
  }

  InterlockedAnd(Destination: OutParam, Value: number): number {
    const old = num(Destination.get());
    Destination.set(old & Value);
    return old;
  }

  InterlockedXor(Destination: OutParam, Value: number): number {
    const old = num(Destination.get());
    Destination.set(old ^ Value);
    return old;
  }

  private update(r: OutParam, f: (v: number) => number): number {
    const v = f(num(r.get()));
    r.set(v);
    return v;
  }

  private update64(r: OutParam, delta: bigint): number | bigint {
    const v = canonical64(BigInt((r.get() ?? 0) as number | bigint) + delta);
    r.set(v);
    return v;
  }

  private swap(r: OutParam, v: unknown): unknown {
    const old = r.get() ?? 0;
    r.set(v);
    return old;
  }
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : 0;
}

function canonical64(v: bigint): number | bigint {
  const w = BigInt.asIntN(64, v);
  const n = Number(w);
  return Number.isSafeInteger(n) ? n : w;
}

/**
 * C's `==` for what an interlocked comparison sees: integers by value, pointers by address (a
 * pointer read from memory and the engine object it stands for are the same value).
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || a === 0) return b === null || b === undefined || b === 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a == b;
  if (a instanceof Ptr && b instanceof Ptr) return a.alloc === b.alloc && a.offset === b.offset;
  if (a instanceof Ptr) return ownerOf(a) === b;
  if (b instanceof Ptr) return ownerOf(b) === a;
  return false;
}
