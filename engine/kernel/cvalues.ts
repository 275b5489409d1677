/**
 * C values as the engine's TypeScript sees them. Driver memory is bytes (engine/memory): C code
 * holds pointers (`Ptr`: an allocation and an offset), and the binding layer (engine/kernel/marshal.ts)
 * turns them into what routines work with — the engine object a handle stands for, a typed view of
 * a struct, a cell for an out-parameter. What lives here is the engine's side of that boundary:
 *
 * - a function as a value (`FunctionValue`): what a callback pointer holds;
 * - `Ref`: an out-parameter cell over a JS variable, for routines and callbacks written in TypeScript;
 * - `LargeInteger`: a LARGE_INTEGER the engine makes (time, offsets) with the union's views;
 * - `UnicodeString`: a counted string, whose Buffer is either C memory (`Ptr`) or characters the
 *   engine holds (`WideText`) until C first needs their address.
 */
import { writeChars, readChars } from '../memory/strings';
import { Ptr } from '../memory/pointer';

/** A C function as a value. `call` is how the engine invokes it (as a driver callback). */
export interface FunctionValue {
  readonly kind: 'function';
  /** `PreRead`, or `counting!PreRead` when shown across modules. */
  readonly name: string;
  readonly module?: string;
  readonly call: (...args: unknown[]) => unknown;
  /** A C function's compiled form: C calling it passes C values straight through. */
  readonly compiled?: object;
}

export function isFunctionValue(value: unknown): value is FunctionValue {
  return typeof value === 'object' && value !== null && (value as FunctionValue).kind === 'function';
}

/** Anything a routine can write its result through: a cell over C memory, or a JS `Ref`. */
export interface OutParam {
  get(): unknown;
  set(value: unknown): void;
}

export function isOutParam(v: unknown): v is OutParam {
  return typeof v === 'object' && v !== null && typeof (v as OutParam).set === 'function' && typeof (v as OutParam).get === 'function';
}

/**
 * An out-parameter over a JS variable (`container[key]`): how the engine passes `&CompletionContext`
 * or `&Irql` to a callback written in TypeScript. A C callback gets a pointer to engine memory
 * instead, and the value is copied back when it returns (marshal.ts).
 */
export class Ref implements OutParam {
  constructor(
    readonly c: Record<string, unknown> | unknown[],
    readonly k: string | number,
  ) {}

  get(): unknown {
    return (this.c as Record<string | number, unknown>)[this.k];
  }

  set(value: unknown): void {
    (this.c as Record<string | number, unknown>)[this.k] = value;
  }
}

export type PoolType = 'NonPagedPool' | 'PagedPool' | 'NonPagedPoolNx' | 'Lookaside' | 'Context' | 'Stack' | 'Static';

/** LARGE_INTEGER: QuadPart with LowPart/HighPart views that stay consistent, as the C union does. */
export class LargeInteger {
  QuadPart: number;
  constructor(value = 0) {
    this.QuadPart = value;
  }
  get LowPart(): number {
    return Number(BigInt.asUintN(32, BigInt(Math.trunc(this.QuadPart))));
  }
  set LowPart(v: number) {
    this.QuadPart = this.HighPart * 0x100000000 + (v >>> 0);
  }
  get HighPart(): number {
    return Number(BigInt.asIntN(32, BigInt(Math.trunc(this.QuadPart)) >> 32n));
  }
  set HighPart(v: number) {
    this.QuadPart = (v | 0) * 0x100000000 + this.LowPart;
  }
  /** The anonymous-struct spelling `u.LowPart`. */
  get u(): { LowPart: number; HighPart: number } {
    return this as unknown as { LowPart: number; HighPart: number };
  }
}

/** Characters the engine holds for a UNICODE_STRING until C needs their address. */
export class WideText {
  constructor(readonly text: string) {}
}

/** UNICODE_STRING as the engine and a view of C memory both present it. */
export interface UnicodeString {
  Length: number;
  MaximumLength: number;
  /** C memory (`Ptr`), engine-held characters (`WideText`), or NULL. */
  Buffer: unknown;
}

/** UNICODE_STRING over engine-held characters; Length excludes the terminator, in bytes as in C. */
export function makeUnicodeString(text: string): UnicodeString {
  return { Length: text.length * 2, MaximumLength: (text.length + 1) * 2, Buffer: new WideText(text) };
}

/**
 * A UNICODE_STRING's text (Length bytes from Buffer), from an engine string or a view of C memory.
 * Reading C memory checks bounds like any read: a Length past the buffer is an error.
 */
export function unicodeStringText(us: UnicodeString | null | undefined): string {
  if (!us) return '';
  const b = us.Buffer;
  const n = Math.floor(Number(us.Length) / 2);
  if (b instanceof WideText) return b.text.slice(0, n);
  if (b instanceof Ptr) return readChars(b, 2, n);
  return '';
}

/**
 * Writes `text` into the buffer of a caller's UNICODE_STRING and sets its Length, as routines that
 * return names do; false (nothing written) when MaximumLength is too small for it.
 */
export function fillUnicodeString(us: UnicodeString, text: string): boolean {
  if (Number(us.MaximumLength) < 2 * text.length) return false;
  writeChars(us.Buffer as Ptr, text, 2, false);
  us.Length = 2 * text.length;
  return true;
}

/** An ANSI_STRING's text (Length bytes of CHARs). */
export function ansiStringText(s: UnicodeString | null | undefined): string {
  if (!s) return '';
  const b = s.Buffer;
  if (b instanceof WideText) return b.text.slice(0, Number(s.Length));
  if (b instanceof Ptr) return readChars(b, 1, Number(s.Length));
  return '';
}
