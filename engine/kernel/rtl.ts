/**
 * Small runtime routines the engine answers because they carry a verifier check (IRQL bounds on
 * the string comparisons) or touch engine state (debug output): counted strings, interlocked
 * operations on the caller's variable, DbgPrint with text the interpreter has already formatted.
 */
import { ansiStringText, unicodeStringText, WideText, type OutParam, type UnicodeString } from './cvalues';
import { pointerOf } from './marshal';
import { ownerOf, Ptr, resolve } from '../memory/pointer';
import { encodeChars } from '../memory/strings';
import { checkDos83 } from './dos83';
import { writeOut } from './objects';
import { readCString } from '../memory/strings';
import type { Kernel } from './kernel';
import { STATUS } from './status';

export class RtlRoutines {
  constructor(private readonly k: Kernel) {}

  /** Frees pool blocks: set once the pool exists (sim.ts), so the string routines can take back a pool-allocated buffer. */
  pool: { free(routine: string, block: unknown): boolean; allocation(block: unknown): object | undefined } | undefined;

  /**
   * A pool block another routine allocated as a string's buffer for its caller (RtlQueryRegistryValues
   * for a DIRECT entry whose Buffer was NULL): RtlFreeUnicodeString may free it, as it frees through the
   * pool on Windows; ExFreePool still may too.
   */
  adoptPoolString(block: Ptr): void {
    this.poolStrings.add(block.alloc as object);
  }

  private readonly poolStrings = new Set<object>();

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

  RtlSuffixUnicodeString(String1: UnicodeString, String2: UnicodeString, CaseInSensitive: unknown): number {
    this.k.checkIrql('RtlSuffixUnicodeString');
    const a = unicodeStringText(String1);
    const b = unicodeStringText(String2);
    return (CaseInSensitive ? b.toUpperCase().endsWith(a.toUpperCase()) : b.endsWith(a)) ? 1 : 0;
  }

  /**
   * Whether Name is a legal 8.3 name (after upcasing to the OEM code page, taken here as ASCII);
   * *NameContainsSpaces says whether it holds a space, and OemName (if given) receives the upcased
   * OEM form when its buffer is large enough.
   */
  RtlIsNameLegalDOS8Dot3(Name: UnicodeString, OemName: unknown, NameContainsSpaces: unknown): number {
    this.k.checkIrql('RtlIsNameLegalDOS8Dot3');
    if (!Name) {
      this.k.violation('null-param', 'RtlIsNameLegalDOS8Dot3 needs the name to test');
      return 0;
    }
    const text = unicodeStringText(Name);
    const check = checkDos83(text);
    if (NameContainsSpaces !== null && NameContainsSpaces !== undefined) writeOut(NameContainsSpaces, check.spaces ? 1 : 0);
    const oem = OemName as { Length: number; MaximumLength: number; Buffer: unknown } | null | undefined;
    if (check.legal && oem && oem.Buffer instanceof Ptr && Number(oem.MaximumLength) >= text.length) {
      const r = resolve(oem.Buffer, Math.max(text.length, 1), 'writes');
      r.alloc.writeBytes(r.offset, encodeChars(text.toUpperCase(), 1, false));
      oem.Length = text.length;
    }
    return check.legal ? 1 : 0;
  }

  /** Upcases Source into Destination's buffer, or into a new buffer (freed with RtlFreeUnicodeString) when AllocateDestinationString is TRUE. */
  RtlUpcaseUnicodeString(DestinationString: UnicodeString, SourceString: UnicodeString, AllocateDestinationString: unknown): number {
    return this.changeCase('RtlUpcaseUnicodeString', DestinationString, SourceString, AllocateDestinationString, (c) => c.toUpperCase());
  }

  RtlDowncaseUnicodeString(DestinationString: UnicodeString, SourceString: UnicodeString, AllocateDestinationString: unknown): number {
    return this.changeCase('RtlDowncaseUnicodeString', DestinationString, SourceString, AllocateDestinationString, (c) => c.toLowerCase());
  }

  /**
   * Copies the NUL-terminated wide string Source into a new buffer, terminator included, that
   * Destination then describes (freed with RtlFreeUnicodeString); TRUE when it was made.
   */
  RtlCreateUnicodeString(DestinationString: UnicodeString, SourceString: unknown): number {
    this.k.checkIrql('RtlCreateUnicodeString');
    const src = typeof SourceString === 'string' ? SourceString : pointerOf(SourceString);
    if (!DestinationString || src === null || src === undefined) {
      this.k.violation('null-param', 'RtlCreateUnicodeString needs a destination UNICODE_STRING and a NUL-terminated source string');
      return 0;
    }
    const text = typeof src === 'string' ? src : readCString(src, 2);
    if ((text.length + 1) * 2 > 0xffff) return 0;
    const bytes = encodeChars(text, 2, true);
    const space = this.k.marshal.space;
    const a = space.allocate('pool', bytes.length, { label: `RtlCreateUnicodeString buffer (${bytes.length} bytes)`, contents: bytes });
    this.allocatedStrings.add(a);
    DestinationString.Buffer = space.pointer(a);
    DestinationString.Length = text.length * 2;
    DestinationString.MaximumLength = bytes.length;
    return 1;
  }

  /** Frees a buffer RtlUpcaseUnicodeString or RtlDowncaseUnicodeString allocated, and empties the string. */
  RtlFreeUnicodeString(UnicodeString_: UnicodeString): void {
    this.freeCounted('RtlFreeUnicodeString', UnicodeString_);
  }

  /** A counted string's buffer that an Rtl routine allocated (AllocateDestinationString TRUE), freed. */
  private freeCounted(routine: string, str: UnicodeString): void {
    this.k.checkIrql(routine);
    if (!str) return;
    const p = pointerOf(str.Buffer);
    if (p instanceof Ptr && p.alloc !== null && this.poolStrings.has(p.alloc) && p.offset === 0 && this.pool) {
      this.poolStrings.delete(p.alloc);
      if (!this.pool.free(routine, p)) return;
    } else if (p instanceof Ptr && p.alloc !== null) {
      if (!this.allocatedStrings.has(p.alloc) || p.offset !== 0) {
        this.k.violation('bad-object', `${routine} frees only a buffer an Rtl routine allocated for the string (AllocateDestinationString TRUE)`);
        // The driver's own pool block: Windows frees it through the pool all the same, so it is
        // freed here too and not reported again as a leak at unload.
        if (p.offset === 0 && this.pool?.allocation(p) !== undefined) {
          this.pool.free(routine, p);
          str.Buffer = null;
          str.Length = 0;
          str.MaximumLength = 0;
        }
        return;
      }
      this.allocatedStrings.delete(p.alloc);
      this.k.marshal.space.free(p.alloc);
    }
    str.Buffer = null;
    str.Length = 0;
    str.MaximumLength = 0;
  }

  /** Buffers the Rtl string routines allocated for their caller. */
  private readonly allocatedStrings = new Set<object>();

  private changeCase(routine: string, dest: UnicodeString, src: UnicodeString, allocate: unknown, change: (c: string) => string): number {
    this.k.checkIrql(routine);
    if (!dest || !src) {
      this.k.violation('null-param', `${routine} needs a destination and a source UNICODE_STRING`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    // Character by character: a character whose other case is longer ("ß") stays as it is.
    let text = '';
    for (const ch of unicodeStringText(src)) {
      const c = change(ch);
      text += c.length === 1 ? c : ch;
    }
    return this.storeUnicode(routine, dest, text, allocate);
  }

  /**
   * Converts an ANSI_STRING into a counted Unicode string, into the caller's buffer or a new one
   * (freed with RtlFreeUnicodeString). Each byte is one character (the ANSI code page read as
   * Latin-1, exact for the ASCII names filters compare).
   */
  RtlAnsiStringToUnicodeString(DestinationString: UnicodeString, SourceString: UnicodeString, AllocateDestinationString: unknown): number {
    this.k.checkIrql('RtlAnsiStringToUnicodeString');
    if (!DestinationString || !SourceString) {
      this.k.violation('null-param', 'RtlAnsiStringToUnicodeString needs a destination UNICODE_STRING and a source ANSI_STRING');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.storeUnicode('RtlAnsiStringToUnicodeString', DestinationString, ansiStringText(SourceString), AllocateDestinationString);
  }

  /**
   * Converts a counted Unicode string into an ANSI_STRING, into the caller's buffer (cut to its
   * MaximumLength: STATUS_BUFFER_OVERFLOW) or a new one freed with RtlFreeAnsiString; terminated
   * when there is room. A character outside the code page (taken as Latin-1) becomes '?'.
   */
  RtlUnicodeStringToAnsiString(DestinationString: UnicodeString, SourceString: UnicodeString, AllocateDestinationString: unknown): number {
    const routine = 'RtlUnicodeStringToAnsiString';
    this.k.checkIrql(routine);
    if (!DestinationString || !SourceString) {
      this.k.violation('null-param', `${routine} needs a destination ANSI_STRING and a source UNICODE_STRING`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const text = [...unicodeStringText(SourceString)].map((c) => (c.charCodeAt(0) > 0xff ? '?' : c)).join('');
    const bytes = encodeChars(text, 1, false);
    if (AllocateDestinationString) {
      const space = this.k.marshal.space;
      const a = space.allocate('pool', bytes.length + 1, { label: `${routine} buffer (${bytes.length + 1} bytes)`, contents: encodeChars(text, 1, true) });
      this.allocatedStrings.add(a);
      DestinationString.Buffer = space.pointer(a);
      DestinationString.Length = bytes.length;
      DestinationString.MaximumLength = bytes.length + 1;
      return STATUS.STATUS_SUCCESS;
    }
    const max = Number(DestinationString.MaximumLength);
    const n = Math.min(bytes.length, max);
    const out = n < max ? encodeChars(text.slice(0, n), 1, true) : bytes.subarray(0, n);
    if (out.length > 0) {
      const r = resolve(pointerOf(DestinationString.Buffer) as Ptr, out.length, 'writes');
      r.alloc.writeBytes(r.offset, out);
    }
    DestinationString.Length = n;
    return n < bytes.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS;
  }

  /** Frees a buffer RtlUnicodeStringToAnsiString allocated, and empties the string. */
  RtlFreeAnsiString(AnsiString: UnicodeString): void {
    this.freeCounted('RtlFreeAnsiString', AnsiString);
  }

  /** <0, 0, >0 as the counted ANSI String1 sorts before, equal to, or after String2. */
  RtlCompareString(String1: UnicodeString, String2: UnicodeString, CaseInSensitive: unknown): number {
    this.k.checkIrql('RtlCompareString');
    let a = ansiStringText(String1);
    let b = ansiStringText(String2);
    if (CaseInSensitive) {
      a = a.toUpperCase();
      b = b.toUpperCase();
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  RtlEqualString(String1: UnicodeString, String2: UnicodeString, CaseInSensitive: unknown): number {
    this.k.checkIrql('RtlEqualString');
    const a = ansiStringText(String1);
    const b = ansiStringText(String2);
    return (CaseInSensitive ? a.toUpperCase() === b.toUpperCase() : a === b) ? 1 : 0;
  }

  /** `text` into `dest`: a new pool buffer when `allocate`, else the caller's (STATUS_BUFFER_OVERFLOW when it is too small). */
  storeUnicode(routine: string, dest: UnicodeString, text: string, allocate: unknown): number {
    const bytes = encodeChars(text, 2, false);
    if (allocate) {
      const space = this.k.marshal.space;
      const a = space.allocate('pool', Math.max(bytes.length, 2), { label: `${routine} buffer (${bytes.length} bytes)`, contents: bytes });
      this.allocatedStrings.add(a);
      dest.Buffer = space.pointer(a);
      dest.Length = bytes.length;
      dest.MaximumLength = Math.max(bytes.length, 2);
      return STATUS.STATUS_SUCCESS;
    }
    if (Number(dest.MaximumLength) < bytes.length) return STATUS.STATUS_BUFFER_OVERFLOW;
    if (bytes.length > 0) {
      const r = resolve(pointerOf(dest.Buffer) as Ptr, bytes.length, 'writes');
      r.alloc.writeBytes(r.offset, bytes);
    }
    dest.Length = bytes.length;
    return STATUS.STATUS_SUCCESS;
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
