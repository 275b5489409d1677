/**
 * 8.3 (DOS) names: whether a name is one (RtlIsNameLegalDOS8Dot3's rules, as FAT applies them), and
 * the short name NTFS generates for a long name inside a folder, where the `~N` tail must not collide
 * with the short or long names already there.
 *
 * The OEM code page is taken to be ASCII: a character above 0x7F makes a name not 8.3 (Windows would
 * map some of them through the system's OEM code page).
 */

/** Characters FAT forbids in a short name, besides control characters. */
const FORBIDDEN = new Set('"*+,/:;<=>?[\\]|');

export interface Dos83Check {
  legal: boolean;
  /** The name holds a space (legal in 8.3, but not something a generated short name contains). */
  spaces: boolean;
}

/** Whether `name` (one component, no path) is a legal 8.3 name. */
export function checkDos83(name: string): Dos83Check {
  const spaces = name.includes(' ');
  if (name === '.' || name === '..') return { legal: true, spaces: false };
  if (name.length === 0 || name.length > 12) return { legal: false, spaces };
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c > 0x7e || FORBIDDEN.has(ch)) return { legal: false, spaces };
  }
  if (name.endsWith(' ') || name.endsWith('.')) return { legal: false, spaces };
  const dot = name.indexOf('.');
  if (dot !== name.lastIndexOf('.')) return { legal: false, spaces };
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  return { legal: base.length >= 1 && base.length <= 8 && ext.length <= 3, spaces };
}

/** The characters a generated short name keeps from a long one (upper case, no spaces, dots or forbidden characters). */
function keep(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) {
    const c = ch.charCodeAt(0);
    if (c <= 0x20 || c > 0x7e || ch === '.' || FORBIDDEN.has(ch)) continue;
    out += ch;
  }
  return out;
}

/** A 16-bit hash of the long name, for the tails after `~4` (NTFS switches to a hashed form there too). */
function hash16(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.toUpperCase().charCodeAt(i)) & 0xffff;
  return h;
}

/**
 * The short name for `long`, or undefined when `long` is 8.3 already (then it is its own short
 * name). `taken(candidate)` says whether a name (short or long, compared without case) is already
 * used in the folder: the first four tries are `BASE~1` to `BASE~4` with six characters of base,
 * then two characters, four hex digits of a hash and `~1`, `~2`…
 */
export function generateShortName(long: string, taken: (upper: string) => boolean): string | undefined {
  if (long === '.' || long === '..') return undefined;
  const check = checkDos83(long);
  if (check.legal && !check.spaces) return undefined;
  const dot = long.lastIndexOf('.');
  const base = keep(dot > 0 ? long.slice(0, dot) : long) || 'FILE';
  const ext = keep(dot > 0 ? long.slice(dot + 1) : '').slice(0, 3);
  const suffix = ext ? `.${ext}` : '';
  for (let n = 1; n <= 4; n++) {
    const candidate = `${base.slice(0, 6)}~${n}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
  const hashed = `${base.slice(0, 2)}${hash16(long).toString(16).toUpperCase().padStart(4, '0')}`;
  for (let n = 1; n < 10; n++) {
    const candidate = `${hashed}~${n}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
  // Beyond that, tails grow (~10, ~11…) and the base shrinks to keep eight characters.
  for (let n = 10; ; n++) {
    const tail = `~${n}`;
    const candidate = `${hashed.slice(0, 8 - tail.length)}${tail}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}
