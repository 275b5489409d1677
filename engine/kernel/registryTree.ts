/**
 * The registry's contents: a tree of keys under \REGISTRY (MACHINE and USER with the roots drivers
 * open), each key with its values. Key and value names compare without regard to case and keep the
 * case they were created with. Values hold the bytes a driver reads back, tagged with their REG_*
 * type. Nothing here knows about handles, callers or IRQL (registry.ts and registryRtl.ts do).
 */

export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;

export const SERVICES_KEY = '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services';

/** Keys every machine has, made when the tree is: the places drivers open or create keys under. */
const ROOT_KEYS = [
  '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services',
  '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Control',
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  '\\REGISTRY\\MACHINE\\HARDWARE\\DEVICEMAP',
  '\\REGISTRY\\MACHINE\\SAM',
  '\\REGISTRY\\MACHINE\\SECURITY',
  '\\REGISTRY\\USER\\.DEFAULT',
];

/** ROOT_KEYS split below \REGISTRY once, for the tree every run makes. */
const ROOT_KEY_PARTS: readonly (readonly string[])[] = ROOT_KEYS.map((p) => p.split('\\').slice(2));

export interface RegValue {
  /** As created. */
  readonly name: string;
  readonly type: number;
  readonly data: Uint8Array;
}

export class RegKey {
  readonly subkeys = new Map<string, RegKey>();
  readonly values = new Map<string, RegValue>();
  deleted = false;
  /** 100-ns ticks, as a FILETIME (KEY_BASIC_INFORMATION.LastWriteTime). */
  lastWrite = 0n;
  constructor(
    readonly name: string,
    readonly parent: RegKey | null,
    readonly volatile: boolean,
    readonly className = '',
  ) {}

  /** \REGISTRY\MACHINE\…, as each key on the way was created. */
  get path(): string {
    return this.parent === null ? `\\${this.name}` : `${this.parent.path}\\${this.name}`;
  }

  value(name: string): RegValue | undefined {
    return this.values.get(name.toLowerCase());
  }
}

/** Why a path does not name a key it could: for a status and a message. */
export type PathProblem = 'invalid' | 'not-found';

export class RegistryTree {
  readonly root = new RegKey('REGISTRY', null, false);

  constructor() {
    for (const parts of ROOT_KEY_PARTS) {
      let key = this.root;
      for (const part of parts) key = this.ensureChild(key, part);
    }
  }

  /** The key at an absolute path (\REGISTRY\…), or why there is none. */
  find(path: string): RegKey | PathProblem {
    const parts = splitPath(path);
    if (parts === undefined) return 'invalid';
    let key = this.root;
    for (const part of parts.slice(1)) {
      const next = key.subkeys.get(part.toLowerCase());
      if (next === undefined) return 'not-found';
      key = next;
    }
    return key;
  }

  /** `relative` below `base` (a key handle's key), or an absolute path when `base` is null. */
  findFrom(base: RegKey | null, relative: string): RegKey | PathProblem {
    if (base === null) return this.find(relative);
    if (relative === '') return base;
    if (relative.startsWith('\\')) return 'invalid';
    return this.find(`${base.path}\\${relative}`);
  }

  /**
   * Creates the key (its parent must exist, as ZwCreateKey wants); an existing key is returned as it
   * is. `volatile` keys live until the machine restarts; a non-volatile key cannot go under one.
   */
  create(path: string, volatile: boolean, className = ''): { key: RegKey; created: boolean } | PathProblem | 'child-must-be-volatile' {
    const parts = splitPath(path);
    if (parts === undefined || parts.length < 2) return 'invalid';
    const existing = this.find(path);
    if (existing instanceof RegKey) return { key: existing, created: false };
    const parent = this.find(`\\${parts.slice(0, -1).join('\\')}`);
    if (!(parent instanceof RegKey)) return parent;
    if (parent.volatile && !volatile) return 'child-must-be-volatile';
    const name = parts[parts.length - 1]!;
    const key = new RegKey(name, parent, volatile, className);
    parent.subkeys.set(name.toLowerCase(), key);
    return { key, created: true };
  }

  /** Creates every missing key on the way (scenario set-up; never a driver's call). */
  ensure(path: string, volatile = false): RegKey {
    const parts = splitPath(path);
    if (parts === undefined) throw new Error(`'${path}' is not a registry path: it must start with \\REGISTRY\\`);
    let key = this.root;
    for (let i = 1; i < parts.length; i++) key = this.ensureChild(key, parts[i]!, volatile);
    return key;
  }

  /** `key`'s subkey `name`, made when missing (scenario set-up: what `ensure` does one level down). */
  ensureChild(key: RegKey, name: string, volatile = false): RegKey {
    const lower = name.toLowerCase();
    let next = key.subkeys.get(lower);
    if (next === undefined) {
      next = new RegKey(name, key, volatile || key.volatile);
      key.subkeys.set(lower, next);
    }
    return next;
  }

  /** Deletes a key with no subkeys; false when it has some. */
  delete(key: RegKey): boolean {
    if (key.subkeys.size > 0 || key.parent === null) return false;
    key.parent.subkeys.delete(key.name.toLowerCase());
    key.deleted = true;
    return true;
  }

  setValue(key: RegKey, name: string, type: number, data: Uint8Array, now: bigint): void {
    key.values.set(name.toLowerCase(), { name, type, data: data.slice() });
    key.lastWrite = now;
  }

  deleteValue(key: RegKey, name: string, now: bigint): boolean {
    const had = key.values.delete(name.toLowerCase());
    if (had) key.lastWrite = now;
    return had;
  }
}

/**
 * The parts of an absolute registry path, the first being REGISTRY; undefined when the path does
 * not start at \REGISTRY or has an empty part (`a\\b`). A trailing backslash is allowed.
 */
export function splitPath(path: string): string[] | undefined {
  const trimmed = path.replace(/\\$/, '');
  if (!trimmed.startsWith('\\')) return undefined;
  const parts = trimmed.slice(1).split('\\');
  if (parts[0]?.toUpperCase() !== 'REGISTRY' || parts.some((p) => p === '')) return undefined;
  return parts;
}

/** UTF-16LE bytes of `text`, with a terminating NUL when `terminated`. */
export function utf16Bytes(text: string, terminated: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2 + (terminated ? 2 : 0));
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** Text of UTF-16LE bytes up to the first NUL (or the end). */
export function utf16Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const c = bytes[i]! | (bytes[i + 1]! << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** The strings of REG_MULTI_SZ data (each NUL-terminated, an empty one ending the list). */
export function multiStrings(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const c = bytes[i]! | (bytes[i + 1]! << 8);
    if (c !== 0) {
      s += String.fromCharCode(c);
      continue;
    }
    if (s === '') break;
    out.push(s);
    s = '';
  }
  if (s !== '') out.push(s);
  return out;
}

/** A value as a scenario writes it: its type and its data. */
export type RegistryData =
  | { type: 'dword'; value: number }
  | { type: 'qword'; value: bigint }
  | { type: 'string' | 'expand-string'; value: string }
  | { type: 'multi-string'; value: string[] }
  | { type: 'binary'; value: number[] }
  | { type: 'none' };

/** The REG_* type and the bytes Windows stores for a scenario's value. */
export function encodeValue(v: RegistryData): { type: number; data: Uint8Array } {
  switch (v.type) {
    case 'dword': {
      const d = new Uint8Array(4);
      new DataView(d.buffer).setUint32(0, v.value >>> 0, true);
      return { type: REG_DWORD, data: d };
    }
    case 'qword': {
      const d = new Uint8Array(8);
      new DataView(d.buffer).setBigUint64(0, BigInt.asUintN(64, v.value), true);
      return { type: REG_QWORD, data: d };
    }
    case 'string':
      return { type: REG_SZ, data: utf16Bytes(v.value, true) };
    case 'expand-string':
      return { type: REG_EXPAND_SZ, data: utf16Bytes(v.value, true) };
    case 'multi-string':
      return { type: REG_MULTI_SZ, data: utf16Bytes(v.value.map((s) => `${s}\0`).join('') + '\0', false) };
    case 'binary':
      return { type: REG_BINARY, data: Uint8Array.from(v.value) };
    case 'none':
      return { type: REG_NONE, data: new Uint8Array(0) };
  }
}

const TYPE_NAMES: Record<number, string> = { [REG_NONE]: 'REG_NONE', [REG_SZ]: 'REG_SZ', [REG_EXPAND_SZ]: 'REG_EXPAND_SZ', [REG_BINARY]: 'REG_BINARY', [REG_DWORD]: 'REG_DWORD', [REG_MULTI_SZ]: 'REG_MULTI_SZ', [REG_QWORD]: 'REG_QWORD' };

export function regTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/** A value's data for messages and the timeline: `REG_DWORD 5`, `REG_SZ "fast"`. */
export function describeValue(v: { type: number; data: Uint8Array }): string {
  const dv = new DataView(v.data.buffer, v.data.byteOffset, v.data.byteLength);
  switch (v.type) {
    case REG_DWORD:
      return v.data.length === 4 ? `REG_DWORD ${dv.getUint32(0, true)}` : `REG_DWORD with ${v.data.length} bytes`;
    case REG_QWORD:
      return v.data.length === 8 ? `REG_QWORD ${dv.getBigUint64(0, true)}` : `REG_QWORD with ${v.data.length} bytes`;
    case REG_SZ:
    case REG_EXPAND_SZ:
      return `${regTypeName(v.type)} "${utf16Text(v.data)}"`;
    case REG_MULTI_SZ:
      return `REG_MULTI_SZ ${multiStrings(v.data).map((s) => `"${s}"`).join(' ')}`;
    default:
      return `${regTypeName(v.type)} (${v.data.length} bytes${v.data.length > 0 ? `: ${[...v.data.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}${v.data.length > 16 ? ' …' : ''}` : ''})`;
  }
}

/** Does stored value `v` hold what the scenario wrote as `want`? */
export function sameValue(v: { type: number; data: Uint8Array }, want: RegistryData): boolean {
  const e = encodeValue(want);
  if (e.type !== v.type) return false;
  if (want.type === 'string' || want.type === 'expand-string') return utf16Text(v.data) === want.value;
  return e.data.length === v.data.length && e.data.every((b, i) => b === v.data[i]);
}
