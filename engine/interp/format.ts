/**
 * printf-style formatting as DbgPrint does it, including the kernel's own conversions:
 * `%wZ` (PUNICODE_STRING), `%Z` (PANSI_STRING), `%ws`/`%S`/`%ls` (wide strings), `%I64x`, `%p`.
 */
import { Ref, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import type { AddressSpace } from './memory';

/** Reads a NUL-terminated string from a pointer into a char or WCHAR array. */
export function readCString(p: unknown, max = 1 << 16): string | undefined {
  if (!(p instanceof Ref) || !Array.isArray(p.c) || typeof p.k !== 'number') return undefined;
  const arr = p.c as number[];
  let s = '';
  for (let i = p.k; i < arr.length && i - p.k < max; i++) {
    const c = arr[i];
    if (!c) break;
    s += String.fromCharCode(c);
  }
  return s;
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
    const m = /^%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|I64|I32|I|w|z|j|t|L)?([diuoxXcCsSpZfeEgGn%])/.exec(fmt.slice(i));
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
        let n = Number(arg ?? 0);
        if (!wide64) n = n | 0;
        text = String(Math.trunc(n));
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
        if (flags.includes('#') && n !== 0) text = (conv === 'o' ? '0' : conv === 'X' ? '0X' : '0x') + text;
        break;
      }
      case 'c':
      case 'C':
        text = String.fromCharCode(Number(arg ?? 0));
        break;
      case 's':
      case 'S': {
        const s = readCString(arg);
        text = s === undefined ? (arg === null || arg === undefined ? '(null)' : '<bad string>') : s;
        if (prec !== undefined) text = text.slice(0, prec);
        break;
      }
      case 'Z': {
        // %wZ: UNICODE_STRING; %Z: ANSI_STRING. Both are counted strings.
        if (arg === null || arg === undefined) text = '(null)';
        else if (typeof arg === 'object' && arg !== null && 'Length' in arg) {
          text = size === 'w' ? unicodeStringText(arg as UnicodeString) : ansiText(arg as UnicodeString);
        } else text = '<bad string>';
        break;
      }
      case 'p':
        text = space.format(arg);
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

function unsignedOf(v: unknown, wide: boolean): number {
  const n = Number(v ?? 0);
  if (wide) return n < 0 ? Number(BigInt.asUintN(64, BigInt(Math.trunc(n)))) : n;
  return n >>> 0;
}

function ansiText(s: UnicodeString): string {
  if (!(s.Buffer instanceof Ref)) return '';
  const arr = s.Buffer.c as number[];
  const start = s.Buffer.k as number;
  let out = '';
  for (let i = 0; i < s.Length; i++) out += String.fromCharCode(arr[start + i] ?? 0);
  return out;
}
