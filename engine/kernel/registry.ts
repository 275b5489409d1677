/**
 * The registry as a driver sees it at load time: its service key and the Parameters subkey exist
 * and open; values exist only when the scenario supplies them. A value given by plain name is
 * visible in both keys of every driver.
 */
import { unicodeStringText, type UnicodeString } from './cvalues';
import type { Kernel } from './kernel';
import { Ptr, resolve } from '../memory/pointer';
import { fieldPlace } from '../memory/typed';
import { viewOf, type StructView } from '../memory/view';
import { KHandle, writeOut } from './objects';
import { STATUS } from './status';

export type RegistryValue = { type: 'dword'; value: number } | { type: 'string'; value: string } | { type: 'binary'; value: number[] };

export const SERVICES_KEY = '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services';

export const REG_SZ = 1;
export const REG_BINARY = 3;
export const REG_DWORD = 4;

export const KeyValueBasicInformation = 0;
export const KeyValueFullInformation = 1;
export const KeyValuePartialInformation = 2;

class RegistryKey {
  constructor(readonly path: string) {}
}

export class RegistryRoutines {
  private readonly modules = new Set<string>();
  private readonly values = new Map<string, RegistryValue>();

  constructor(private readonly k: Kernel) {}

  /** Makes `module`'s service key (and Parameters subkey) exist. */
  addService(module: string): void {
    this.modules.add(module.toLowerCase());
  }

  setValue(name: string, value: RegistryValue): void {
    this.values.set(name.toLowerCase(), value);
  }

  private exists(path: string): boolean {
    const p = path.toLowerCase().replace(/\\+$/, '');
    const base = SERVICES_KEY.toLowerCase();
    for (const m of this.modules) {
      if (p === `${base}\\${m}` || p === `${base}\\${m}\\parameters`) return true;
    }
    return false;
  }

  ZwOpenKey(KeyHandle: unknown, _DesiredAccess: number, ObjectAttributes: unknown): number {
    this.k.checkIrql('ZwOpenKey');
    const oa = ObjectAttributes as { ObjectName?: unknown; RootDirectory?: unknown } | null;
    if (!oa || !oa.ObjectName) {
      this.k.violation('null-param', 'ZwOpenKey needs OBJECT_ATTRIBUTES with an ObjectName');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    let path = unicodeStringText(this.k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING'));
    const root = oa.RootDirectory;
    if (root instanceof KHandle && root.object instanceof RegistryKey) path = `${root.object.path}\\${path}`;
    if (!this.exists(path)) return STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
    writeOut(KeyHandle, new KHandle(new RegistryKey(path), `registry key ${path}`));
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * Fills a KEY_VALUE_PARTIAL_INFORMATION (or FULL/BASIC) in the caller's buffer — its bytes, laid
   * out as the headers declare: TitleIndex, Type, DataLength and the data (little-endian for
   * REG_DWORD, UTF-16LE with the terminator for REG_SZ), the name for FULL and BASIC. Too small a
   * buffer gives STATUS_BUFFER_TOO_SMALL (header does not fit) or STATUS_BUFFER_OVERFLOW (data does
   * not fit), with *ResultLength set to the size needed.
   */
  ZwQueryValueKey(KeyHandle: unknown, ValueName: unknown, KeyValueInformationClass: number, KeyValueInformation: unknown, Length: number, ResultLength: unknown): number {
    this.k.checkIrql('ZwQueryValueKey');
    if (!(KeyHandle instanceof KHandle) || KeyHandle.closed || !(KeyHandle.object instanceof RegistryKey)) return STATUS.STATUS_INVALID_HANDLE;
    const name = unicodeStringText(this.k.marshal.deref<UnicodeString>(ValueName, '_UNICODE_STRING'));
    const v = this.values.get(name.toLowerCase());
    if (!v) return STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
    const data = bytesOf(v);
    const type = v.type === 'dword' ? REG_DWORD : v.type === 'string' ? REG_SZ : REG_BINARY;
    const nameBytes = name.length * 2;
    const cls = KeyValueInformationClass;
    const tag = cls === KeyValuePartialInformation ? '_KEY_VALUE_PARTIAL_INFORMATION' : cls === KeyValueFullInformation ? '_KEY_VALUE_FULL_INFORMATION' : '_KEY_VALUE_BASIC_INFORMATION';
    const st = this.k.marshal.struct(tag);
    // The header is everything before the variable part (Data, or Name).
    const header = cls === KeyValuePartialInformation ? fieldPlace(st, 'Data').offset : fieldPlace(st, 'Name').offset + nameBytes;
    const needed = header + (cls === KeyValueBasicInformation ? 0 : data.length);
    writeOut(ResultLength, needed);
    if (Number(Length) < header) return STATUS.STATUS_BUFFER_TOO_SMALL;
    if (!(KeyValueInformation instanceof Ptr)) {
      this.k.violation('null-param', 'ZwQueryValueKey needs a buffer for the value information');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const fits = Number(Length) >= needed;
    const out = viewOf(KeyValueInformation, st) as StructView;
    out.TitleIndex = 0;
    out.Type = type;
    const bytesAt = (offset: number, bytes: ArrayLike<number>): void => {
      const r = resolve(KeyValueInformation.add(offset), bytes.length, 'writes');
      r.alloc.writeBytes(r.offset, bytes);
    };
    if (cls === KeyValuePartialInformation) {
      out.DataLength = data.length;
      if (!fits) return STATUS.STATUS_BUFFER_OVERFLOW;
      if (data.length > 0) bytesAt(header, data);
      return STATUS.STATUS_SUCCESS;
    }
    out.NameLength = nameBytes;
    const nameAt = fieldPlace(st, 'Name').offset;
    if (cls === KeyValueFullInformation) {
      out.DataOffset = header;
      out.DataLength = data.length;
    }
    if (!fits) return STATUS.STATUS_BUFFER_OVERFLOW;
    if (nameBytes > 0) bytesAt(nameAt, utf16(name));
    if (cls === KeyValueFullInformation && data.length > 0) bytesAt(header, data);
    return STATUS.STATUS_SUCCESS;
  }
}

function bytesOf(v: RegistryValue): number[] {
  if (v.type === 'dword') return [v.value & 0xff, (v.value >>> 8) & 0xff, (v.value >>> 16) & 0xff, (v.value >>> 24) & 0xff];
  if (v.type === 'binary') return [...v.value];
  const out: number[] = [];
  for (let i = 0; i < v.value.length; i++) {
    const c = v.value.charCodeAt(i);
    out.push(c & 0xff, c >>> 8);
  }
  out.push(0, 0);
  return out;
}

function utf16(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(c & 0xff, c >>> 8);
  }
  return out;
}
