/**
 * Small runtime routines the engine answers because they carry a verifier check (IRQL bounds on
 * the string comparisons) or touch engine state (debug output): counted strings, interlocked
 * operations on a Ref, DbgPrint with text the interpreter has already formatted.
 */
import { Ref, unicodeStringText, type UnicodeString } from './cvalues';
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

  /** Points Destination at the NUL-terminated wide string Source (a Ref into a WCHAR array). */
  RtlInitUnicodeString(DestinationString: UnicodeString, SourceString: unknown): void {
    this.k.checkIrql('RtlInitUnicodeString');
    if (!DestinationString) {
      this.k.violation('null-param', 'RtlInitUnicodeString needs a destination UNICODE_STRING');
      return;
    }
    if (!(SourceString instanceof Ref) || !Array.isArray(SourceString.c)) {
      DestinationString.Length = 0;
      DestinationString.MaximumLength = 0;
      DestinationString.Buffer = null;
      return;
    }
    const arr = SourceString.c as number[];
    let n = 0;
    while ((arr[(SourceString.k as number) + n] ?? 0) !== 0) n++;
    DestinationString.Length = n * 2;
    DestinationString.MaximumLength = (n + 1) * 2;
    DestinationString.Buffer = SourceString;
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

  InterlockedIncrement(Addend: Ref): number {
    return this.update(Addend, (v) => (v + 1) | 0);
  }

  InterlockedDecrement(Addend: Ref): number {
    return this.update(Addend, (v) => (v - 1) | 0);
  }

  InterlockedIncrement64(Addend: Ref): number {
    return this.update(Addend, (v) => v + 1);
  }

  InterlockedDecrement64(Addend: Ref): number {
    return this.update(Addend, (v) => v - 1);
  }

  InterlockedIncrement16(Addend: Ref): number {
    return this.update(Addend, (v) => ((v + 1) << 16) >> 16);
  }

  InterlockedDecrement16(Addend: Ref): number {
    return this.update(Addend, (v) => ((v - 1) << 16) >> 16);
  }

  /** Returns the previous value. */
  InterlockedExchange(Target: Ref, Value: number): number {
    return num(this.swap(Target, Value));
  }

  InterlockedExchange64(Target: Ref, Value: number): number {
    return num(this.swap(Target, Value));
  }

  InterlockedExchangePointer(Target: Ref, Value: unknown): unknown {
    return this.swap(Target, Value);
  }

  InterlockedExchangeAdd(Addend: Ref, Value: number): number {
    const old = num(Addend.get());
    Addend.set((old + Value) | 0);
    return old;
  }

  InterlockedExchangeAdd64(Addend: Ref, Value: number): number {
    const old = num(Addend.get());
    Addend.set(old + Value);
    return old;
  }

  /** Stores Exchange when *Destination equals Comperand; returns the previous value either way. */
  InterlockedCompareExchange(Destination: Ref, Exchange: unknown, Comperand: unknown): unknown {
    const old = Destination.get() ?? 0;
    if (old === Comperand || (old instanceof Ref && old.equals(Comperand))) Destination.set(Exchange);
    return old;
  }

  InterlockedCompareExchange64(Destination: Ref, Exchange: unknown, Comperand: unknown): unknown {
    return this.InterlockedCompareExchange(Destination, Exchange, Comperand);
  }

  InterlockedCompareExchangePointer(Destination: Ref, Exchange: unknown, Comperand: unknown): unknown {
    const old = Destination.get() ?? null;
    if (old === Comperand || (old instanceof Ref && old.equals(Comperand))) Destination.set(Exchange);
    return old;
  }

  InterlockedOr(Destination: Ref, Value: number): number {
    const old = num(Destination.get());
    Destination.set(old | Value);
    return old;
  }

  InterlockedAnd(Destination: Ref, Value: number): number {
    const old = num(Destination.get());
    Destination.set(old & Value);
    return old;
  }

  InterlockedXor(Destination: Ref, Value: number): number {
    const old = num(Destination.get());
    Destination.set(old ^ Value);
    return old;
  }

  private update(r: Ref, f: (v: number) => number): number {
    const v = f(num(r.get()));
    r.set(v);
    return v;
  }

  private swap(r: Ref, v: unknown): unknown {
    const old = r.get() ?? 0;
    r.set(v);
    return old;
  }
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
