/**
 * printf-style formatting as DbgPrint does it, including the kernel's own conversions:
 * `%wZ` (PUNICODE_STRING), `%Z` (PANSI_STRING), `%ws`/`%S`/`%ls` (wide strings), `%I64x`, `%p`.
 * Strings are read from byte memory: a string without a terminator inside its allocation is an
 * out-of-bounds read, as it would fault (or print garbage) on Windows.
 */
import { preludeStruct } from '../c/prelude/structs';
import { ansiStringText, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { PointerValue } from '../memory/allocation';
import { Ptr, resolve } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { viewOf } from '../memory/view';

/**
 * The NUL-terminated string at `p` (at most `max` characters), or undefined when `p` is not a data
 * pointer. Reading past the allocation throws, as any read does.
 */
export function readCString(p: unknown, max = 1 << 16, charSize: 1 | 2 = 1): string | undefined {
  if (!(p instanceof Ptr)) return undefined;
  const r = resolve(p, charSize, 'reads');
  let s = '';
  for (let at = r.offset; s.length < max; at += charSize) {
    const c = r.alloc.readInt(at, charSize, false) as number;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** A counted string through a PUNICODE_STRING / PANSI_STRING argument. */
function countedText(arg: unknown, wide: boolean): string {
  const s = viewOf(arg as PointerValue, preludeStruct(wide ? '_UNICODE_STRING' : '_STRING')) as unknown as UnicodeString;
  return wide ? unicodeStringText(s) : ansiStringText(s);
}

/** One printf conversion at the start of the text: flags, width, precision, size prefix, conversion. */
const CONVERSION = /^%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|I64|I32|I|w|z|j|t|L)?([diuoxXcCsSpZfeEgGn%])/;

/** What a printf argument is read as from a va_list slot. */
export type PrintfArgKind = 'int' | 'int64' | 'double' | 'pointer';

/** The arguments `fmt` consumes, in order, by how each is passed (a `*` width or precision is an int). */
export function printfArgKinds(fmt: string): PrintfArgKind[] {
  const kinds: PrintfArgKind[] = [];
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') continue;
    const m = CONVERSION.exec(fmt.slice(i));
    if (!m) continue;
    i += m[0].length - 1;
    const [, , widthSpec, precSpec, size, conv] = m;
    if (conv === '%') continue;
    if (widthSpec === '*') kinds.push('int');
    if (precSpec === '*') kinds.push('int');
    const wide64 = size === 'll' || size === 'I64' || size === 'I' || size === 'z' || size === 'j' || size === 't';
    kinds.push('sSZpn'.includes(conv!) ? 'pointer' : 'feEgG'.includes(conv!) ? 'double' : wide64 ? 'int64' : 'int');
  }
  return kinds;
}

export function formatPrintf(fmt: string, args: unknown[], space: AddressSpace): string {
  let out = '';
  let ai = 0;
  const next = (): unknown => args[ai++];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const m = CONVERSION.exec(fmt.slice(i));
    if (!m) {
      out += ch;
      continue;
    }
    i += m[0].length - 1;
    const [, flags, widthSpec, precSpec, size, conv] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const width = widthSpec === '*' ? Number(next()) : widthSpec ? Number(widthSpec) : 0;
    const prec = precSpec === '*' ? Number(next()) : precSpec !== undefined ? Number(precSpec) : undefined;
    let text: string;
    const arg = next();
    const wide64 = size === 'll' || size === 'I64' || size === 'I' || size === 'z' || size === 'j' || size === 't';
    switch (conv) {
      case 'd':
      case 'i': {
        const n: number | bigint = typeof arg === 'bigint' ? (wide64 ? BigInt.asIntN(64, arg) : Number(BigInt.asIntN(32, arg))) : wide64 ? Math.trunc(Number(arg ?? 0)) : Number(arg ?? 0) | 0;
        text = String(n);
        if (n >= 0 && flags.includes('+')) text = `+${text}`;
        else if (n >= 0 && flags.includes(' ')) text = ` ${text}`;
        break;
      }
      case 'u':
        text = String(unsignedOf(arg, wide64));
        break;
      case 'x':
      case 'X':
      case 'o': {
        const n = unsignedOf(arg, wide64);
        text = n.toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') text = text.toUpperCase();
        if (flags.includes('#') && n != 0) text = (conv === 'o' ? '0' : conv === 'X' ? '0X' : '0x') + text;
        break;
      }
      case 'c':
      case 'C':
        text = String.fromCharCode(Number(arg ?? 0));
        break;
      case 's':
      case 'S': {
        const wide = conv === 'S' ? size !== 'h' : size === 'w' || size === 'l';
        // With a precision the array need not be terminated: no character past it is read (a
        // counted name printed with %.*ws ends where its Length says, and what follows may be
        // unwritten or past the allocation). A negative `*` precision counts as none.
        const limit = prec !== undefined && prec >= 0 ? prec : 1 << 16;
        const s = limit === 0 && arg instanceof Ptr ? '' : readCString(arg, limit, wide ? 2 : 1);
        text = s === undefined ? (arg === null || arg === undefined ? '(null)' : '<bad string>') : s;
        break;
      }
      case 'Z': {
        // %wZ: UNICODE_STRING; %Z: ANSI_STRING. Both are counted strings.
        text = arg === null || arg === undefined ? '(null)' : arg instanceof Ptr ? countedText(arg, size === 'w') : '<bad string>';
        break;
      }
      case 'p':
        // As the kernel's printf prints it: 16 upper-case hex digits (FFFFA00000000010, 0000025000000000).
        text = space.format((arg ?? null) as PointerValue | number | bigint).toUpperCase();
        break;
      case 'f':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        const n = Number(arg ?? 0);
        text = conv === 'f' ? n.toFixed(prec ?? 6) : conv === 'e' || conv === 'E' ? n.toExponential(prec ?? 6) : String(n);
        if (conv === 'E' || conv === 'G') text = text.toUpperCase();
        break;
      }
      default:
        text = '';
    }
    if (prec !== undefined && 'diuxXo'.includes(conv) && text.replace('-', '').length < prec) {
      const neg = text.startsWith('-');
      text = (neg ? '-' : '') + text.replace('-', '').padStart(prec, '0');
    }
    if (text.length < width) {
      if (flags.includes('-')) text = text.padEnd(width);
      else if (flags.includes('0') && 'diuxXop'.includes(conv) && prec === undefined) {
        const neg = text.startsWith('-');
        text = (neg ? '-' : '') + text.replace('-', '').padStart(width - (neg ? 1 : 0), '0');
      } else text = text.padStart(width);
    }
    out += text;
  }
  return out;
}

function unsignedOf(v: unknown, wide: boolean): number | bigint {
  if (typeof v === 'bigint') return wide ? BigInt.asUintN(64, v) : Number(BigInt.asUintN(32, v));
  if (v instanceof Ptr) return wide ? BigInt.asUintN(64, BigInt(v.address)) : v.address >>> 0;
  const n = Number(v ?? 0);
  if (wide) return n < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(n))) : n;
  return n >>> 0;
}
