/**
 * The Zw*Key routines over the registry tree (registryTree.ts): key handles are kernel handles
 * (KHandle) closed by ZwClose, each with the access it was opened for; a routine refuses a handle
 * that lacks the access it needs (STATUS_ACCESS_DENIED), a key deleted under it
 * (STATUS_KEY_DELETED) or a handle that is no key's. Every driver's service key and its Parameters
 * subkey exist from the start; a scenario's `registry` lines add keys and values.
 */
import { unicodeStringText, type UnicodeString } from './cvalues';
import type { Kernel } from './kernel';
import { Ptr, resolve } from '../memory/pointer';
import { KHandle, writeOut } from './objects';
import { pointerOf } from './marshal';
import { OBJ_KERNEL_HANDLE } from './objectManager';
import { STATUS } from './status';
import { systemTimeAt } from './time';
import { RegKey, RegistryTree, SERVICES_KEY, describeValue, encodeValue, type RegistryData } from './registryTree';
import { deliver, keyImage, valueImage } from './registryInfo';
import { GENERIC_ALL, GENERIC_EXECUTE, GENERIC_READ, GENERIC_WRITE, MAXIMUM_ALLOWED } from './accessRights';
import { RegNt, type RegistryCallbackRoutines } from './registryCallbacks';
import type { Co } from './coroutine';
import type { StructView } from '../memory/view';

export { SERVICES_KEY } from './registryTree';
/** A registry value as a scenario or a test writes it. */
export type RegistryValue = RegistryData;

export const KEY_QUERY_VALUE = 0x0001;
export const KEY_SET_VALUE = 0x0002;
export const KEY_CREATE_SUB_KEY = 0x0004;
export const KEY_ENUMERATE_SUB_KEYS = 0x0008;
export const DELETE = 0x10000;
const KEY_READ = 0x20019;
const KEY_WRITE = 0x20006;
const KEY_ALL_ACCESS = 0xf003f;

export const REG_OPTION_VOLATILE = 0x1;
/** REG_LEGAL_OPTION: every CreateOptions bit ZwCreateKey accepts. */
const REG_LEGAL_OPTION = 0x1f;
export const REG_CREATED_NEW_KEY = 1;
export const REG_OPENED_EXISTING_KEY = 2;

/** The KEY_* rights a desired access mask gives (generic rights mapped, MAXIMUM_ALLOWED as all). */
export function keyAccess(desired: number): number {
  let a = desired >>> 0;
  if (a & (GENERIC_READ | GENERIC_EXECUTE)) a |= KEY_READ;
  if (a & GENERIC_WRITE) a |= KEY_WRITE;
  if (a & (GENERIC_ALL | MAXIMUM_ALLOWED)) a |= KEY_ALL_ACCESS;
  return a & 0x00ffffff;
}

const ACCESS_NAMES: [number, string][] = [
  [KEY_QUERY_VALUE, 'KEY_QUERY_VALUE'],
  [KEY_SET_VALUE, 'KEY_SET_VALUE'],
  [KEY_CREATE_SUB_KEY, 'KEY_CREATE_SUB_KEY'],
  [KEY_ENUMERATE_SUB_KEYS, 'KEY_ENUMERATE_SUB_KEYS'],
  [DELETE, 'DELETE'],
];

/** What a registry operation did: its status and the key it acted on (a post-notification's Object). */
interface Applied {
  status: number;
  object: RegKey | null;
}

function noFill(): void {}

export class RegistryRoutines {
  readonly tree = new RegistryTree();
  private readonly modules = new Set<string>();
  /** Values a `registry "<name>" …` line gives every driver's service key and Parameters subkey. */
  private readonly serviceValues = new Map<string, { name: string; value: RegistryData }>();
  private readonly granted = new WeakMap<KHandle, number>();
  /** The registry callbacks a driver's own Zw*Key calls pass through (set by the composition root). */
  callbacks: RegistryCallbackRoutines | null = null;

  constructor(private readonly k: Kernel) {}

  // --- set-up (the scenario's lines; never a driver's call) ---

  /** Makes `module`'s service key and its Parameters subkey exist, with the plain-named values. */
  addService(module: string): void {
    this.modules.add(module);
    for (const key of this.serviceKeys(module)) for (const v of this.serviceValues.values()) this.put(key, v.name, v.value);
  }

  /** A value every driver sees under its service key and its Parameters subkey. */
  setValue(name: string, value: RegistryData): void {
    this.serviceValues.set(name.toLowerCase(), { name, value });
    for (const m of this.modules) for (const key of this.serviceKeys(m)) this.put(key, name, value);
  }

  /** A key the scenario declares (every key on the way is made too). */
  declareKey(path: string, volatile = false): RegKey {
    return this.tree.ensure(path, volatile);
  }

  declareValue(path: string, name: string, value: RegistryData): void {
    this.put(this.tree.ensure(path), name, value);
  }

  private serviceKeys(module: string): RegKey[] {
    const service = this.tree.ensure(`${SERVICES_KEY}\\${module}`);
    return [service, this.tree.ensureChild(service, 'Parameters')];
  }

  private put(key: RegKey, name: string, value: RegistryData): void {
    const e = encodeValue(value);
    this.tree.setValue(key, name, e.type, e.data, this.now());
  }

  /** The system time now, as key write times record it. */
  now(): bigint {
    return BigInt(systemTimeAt(this.k.now));
  }

  // --- handles ---

  /** A new key handle: a kernel handle with OBJ_KERNEL_HANDLE, else one in the caller's process. */
  openHandle(key: RegKey, access: number, attributes: number, routine: string): KHandle {
    const process = (attributes & OBJ_KERNEL_HANDLE) !== 0 ? null : (this.k.current.process ?? null);
    const h = new KHandle(key, `registry key ${key.path}`, process);
    this.granted.set(h, keyAccess(access));
    this.k.handles.record(h, routine, this.k.current);
    return h;
  }

  /** The key a handle names when it has `need` access, else the status the routine returns. */
  keyOf(routine: string, handle: unknown, need: number): RegKey | number {
    if (!(handle instanceof KHandle) || handle.closed) {
      if (handle === null || handle === undefined) this.k.violation('invalid-parameter', `${routine} was given a NULL key handle; open the key with ZwOpenKey or ZwCreateKey first`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    if (!(handle.object instanceof RegKey)) {
      this.k.violation('invalid-parameter', `${routine} was given a handle to ${handle.what}, not a registry key`);
      return STATUS.STATUS_OBJECT_TYPE_MISMATCH;
    }
    if (handle.object.deleted) return STATUS.STATUS_KEY_DELETED;
    const has = this.granted.get(handle) ?? 0;
    if ((has & need) !== need) {
      const missing = ACCESS_NAMES.filter(([bit]) => (need & bit) !== 0 && (has & bit) === 0).map(([, n]) => n);
      this.k.emit('registry', 0, `${routine}: the handle to ${handle.object.path} was opened without ${missing.join(' | ')} (STATUS_ACCESS_DENIED)`);
      return STATUS.STATUS_ACCESS_DENIED;
    }
    return handle.object;
  }

  /** The path OBJECT_ATTRIBUTES name and the key it is relative to (RootDirectory), or a status. */
  private target(routine: string, ObjectAttributes: unknown): { root: RegKey | null; name: string; attributes: number } | number {
    const oa = ObjectAttributes as { ObjectName?: unknown; RootDirectory?: unknown; Attributes?: unknown } | null;
    if (!oa || !oa.ObjectName) {
      this.k.violation('null-param', `${routine} needs OBJECT_ATTRIBUTES with an ObjectName (InitializeObjectAttributes with the key's path)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = unicodeStringText(this.k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING'));
    const attributes = Number(oa.Attributes ?? 0);
    const rootHandle = oa.RootDirectory;
    if (rootHandle === null || rootHandle === undefined || rootHandle === 0) return { root: null, name, attributes };
    const root = this.keyOf(routine, rootHandle, 0);
    return typeof root === 'number' ? root : { root, name, attributes };
  }

  private pathStatus(problem: 'invalid' | 'not-found'): number {
    return problem === 'invalid' ? STATUS.STATUS_OBJECT_NAME_INVALID : STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
  }

  // --- routines ---

  ZwOpenKey(KeyHandle: unknown, DesiredAccess: number, ObjectAttributes: unknown): number | Co<number> {
    this.k.checkIrql('ZwOpenKey');
    return this.open('ZwOpenKey', KeyHandle, DesiredAccess, ObjectAttributes);
  }

  ZwOpenKeyEx(KeyHandle: unknown, DesiredAccess: number, ObjectAttributes: unknown, _OpenOptions: number): number | Co<number> {
    this.k.checkIrql('ZwOpenKeyEx');
    return this.open('ZwOpenKeyEx', KeyHandle, DesiredAccess, ObjectAttributes);
  }

  private open(routine: string, KeyHandle: unknown, DesiredAccess: number, ObjectAttributes: unknown): number | Co<number> {
    if (KeyHandle === null || KeyHandle === undefined) {
      this.k.violation('null-param', `${routine} needs a HANDLE to return the key's handle in`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const t = this.target(routine, ObjectAttributes);
    if (typeof t === 'number') return t;
    const apply = (): Applied => {
      const key = this.tree.findFrom(t.root, t.name);
      if (!(key instanceof RegKey)) return { status: this.pathStatus(key), object: null };
      writeOut(KeyHandle, this.openHandle(key, DesiredAccess, t.attributes, routine));
      return { status: STATUS.STATUS_SUCCESS, object: key };
    };
    return this.filtered(routine, RegNt.PreOpenKeyEx, RegNt.PostOpenKeyEx, '_REG_CREATE_KEY_INFORMATION_V1', this.keyNaming(t, DesiredAccess, 0), null, apply);
  }

  /**
   * Opens the key or creates it (its parent must exist); *Disposition says which. A non-volatile
   * key cannot be created under a volatile one (STATUS_CHILD_MUST_BE_VOLATILE).
   */
  ZwCreateKey(KeyHandle: unknown, DesiredAccess: number, ObjectAttributes: unknown, _TitleIndex: number, Class: unknown, CreateOptions: number, Disposition: unknown): number | Co<number> {
    const k = this.k;
    k.checkIrql('ZwCreateKey');
    if (KeyHandle === null || KeyHandle === undefined) {
      k.violation('null-param', 'ZwCreateKey needs a HANDLE to return the key\'s handle in');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const options = Number(CreateOptions) >>> 0;
    if ((options & ~REG_LEGAL_OPTION) !== 0) {
      k.violation('invalid-parameter', `ZwCreateKey: CreateOptions 0x${options.toString(16)} has bits no REG_OPTION_* flag uses`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const t = this.target('ZwCreateKey', ObjectAttributes);
    if (typeof t === 'number') return t;
    const path = t.root === null ? t.name : t.name === '' ? t.root.path : t.name.startsWith('\\') ? undefined : `${t.root.path}\\${t.name}`;
    if (path === undefined) return STATUS.STATUS_OBJECT_NAME_INVALID;
    const className = Class === null || Class === undefined ? '' : unicodeStringText(k.marshal.deref<UnicodeString>(Class, '_UNICODE_STRING'));
    const apply = (): Applied => {
      const r = this.tree.create(path, (options & REG_OPTION_VOLATILE) !== 0, className);
      if (r === 'child-must-be-volatile') return { status: STATUS.STATUS_CHILD_MUST_BE_VOLATILE, object: null };
      if (typeof r === 'string') return { status: this.pathStatus(r), object: null };
      if (r.created) {
        r.key.lastWrite = this.now();
        k.emit('registry', 0, `ZwCreateKey: created ${r.key.path}${r.key.volatile ? ' (volatile)' : ''}`);
      }
      writeOut(KeyHandle, this.openHandle(r.key, DesiredAccess, t.attributes, 'ZwCreateKey'));
      writeOut(Disposition, r.created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY);
      return { status: STATUS.STATUS_SUCCESS, object: r.key };
    };
    return this.filtered('ZwCreateKey', RegNt.PreCreateKeyEx, RegNt.PostCreateKeyEx, '_REG_CREATE_KEY_INFORMATION_V1', this.keyNaming(t, DesiredAccess, options), null, apply);
  }

  ZwQueryValueKey(KeyHandle: unknown, ValueName: unknown, KeyValueInformationClass: number, KeyValueInformation: unknown, Length: number, ResultLength: unknown): number | Co<number> {
    this.k.checkIrql('ZwQueryValueKey');
    const key = this.keyOf('ZwQueryValueKey', KeyHandle, KEY_QUERY_VALUE);
    if (typeof key === 'number') return key;
    const name = this.valueName(ValueName);
    const apply = (): Applied => {
      const v = key.value(name);
      if (!v) return { status: STATUS.STATUS_OBJECT_NAME_NOT_FOUND, object: key };
      const image = valueImage(this.k, v, Number(KeyValueInformationClass));
      if (image === undefined) return { status: this.badClass('ZwQueryValueKey', 'KeyValueInformationClass', KeyValueInformationClass), object: key };
      return { status: deliver(this.k, 'ZwQueryValueKey', image, KeyValueInformation, Length, ResultLength), object: key };
    };
    const fill = (info: StructView): void => {
      info.ValueName = this.callbacks!.unicodeString(name);
      info.KeyValueInformationClass = KeyValueInformationClass;
      info.KeyValueInformation = pointerOf(KeyValueInformation) ?? null;
      info.Length = Length;
    };
    return this.filtered('ZwQueryValueKey', RegNt.PreQueryValueKey, RegNt.PostQueryValueKey, '_REG_QUERY_VALUE_KEY_INFORMATION', fill, key, apply);
  }

  /** Values in the order they were first set; STATUS_NO_MORE_ENTRIES past the last. */
  ZwEnumerateValueKey(KeyHandle: unknown, Index: number, KeyValueInformationClass: number, KeyValueInformation: unknown, Length: number, ResultLength: unknown): number {
    this.k.checkIrql('ZwEnumerateValueKey');
    const key = this.keyOf('ZwEnumerateValueKey', KeyHandle, KEY_QUERY_VALUE);
    if (typeof key === 'number') return key;
    const v = [...key.values.values()][Number(Index) >>> 0];
    if (!v) return STATUS.STATUS_NO_MORE_ENTRIES;
    const image = valueImage(this.k, v, Number(KeyValueInformationClass));
    if (image === undefined) return this.badClass('ZwEnumerateValueKey', 'KeyValueInformationClass', KeyValueInformationClass);
    return deliver(this.k, 'ZwEnumerateValueKey', image, KeyValueInformation, Length, ResultLength);
  }

  ZwSetValueKey(KeyHandle: unknown, ValueName: unknown, _TitleIndex: number, Type: number, Data: unknown, DataSize: number): number | Co<number> {
    const k = this.k;
    k.checkIrql('ZwSetValueKey');
    const key = this.keyOf('ZwSetValueKey', KeyHandle, KEY_SET_VALUE);
    if (typeof key === 'number') return key;
    const size = Number(DataSize) >>> 0;
    let data: Uint8Array = new Uint8Array(0);
    const dataP = pointerOf(Data);
    if (size > 0) {
      if (!(dataP instanceof Ptr)) {
        k.violation('null-param', `ZwSetValueKey was given DataSize ${size} but no Data`);
        return STATUS.STATUS_INVALID_PARAMETER;
      }
      const r = resolve(dataP, size, 'reads');
      data = r.alloc.readBytes(r.offset, size);
    }
    const name = this.valueName(ValueName);
    const type = Number(Type) >>> 0;
    const apply = (): Applied => {
      this.tree.setValue(key, name, type, data, this.now());
      k.emit('registry', 0, `ZwSetValueKey: ${key.path} "${name}" = ${describeValue({ type, data })}`);
      return { status: STATUS.STATUS_SUCCESS, object: key };
    };
    const fill = (info: StructView): void => {
      info.ValueName = this.callbacks!.unicodeString(name);
      info.Type = type;
      info.Data = size === 0 ? null : dataP;
      info.DataSize = size;
    };
    return this.filtered('ZwSetValueKey', RegNt.PreSetValueKey, RegNt.PostSetValueKey, '_REG_SET_VALUE_KEY_INFORMATION', fill, key, apply);
  }

  ZwDeleteValueKey(KeyHandle: unknown, ValueName: unknown): number | Co<number> {
    this.k.checkIrql('ZwDeleteValueKey');
    const key = this.keyOf('ZwDeleteValueKey', KeyHandle, KEY_SET_VALUE);
    if (typeof key === 'number') return key;
    const name = this.valueName(ValueName);
    const apply = (): Applied => {
      if (!this.tree.deleteValue(key, name, this.now())) return { status: STATUS.STATUS_OBJECT_NAME_NOT_FOUND, object: key };
      this.k.emit('registry', 0, `ZwDeleteValueKey: ${key.path} "${name}" deleted`);
      return { status: STATUS.STATUS_SUCCESS, object: key };
    };
    const fill = (info: StructView): void => {
      info.ValueName = this.callbacks!.unicodeString(name);
    };
    return this.filtered('ZwDeleteValueKey', RegNt.PreDeleteValueKey, RegNt.PostDeleteValueKey, '_REG_DELETE_VALUE_KEY_INFORMATION', fill, key, apply);
  }

  /** Marks the key deleted (it must have no subkeys); its handles stay open until ZwClose. */
  ZwDeleteKey(KeyHandle: unknown): number | Co<number> {
    this.k.checkIrql('ZwDeleteKey');
    const key = this.keyOf('ZwDeleteKey', KeyHandle, DELETE);
    if (typeof key === 'number') return key;
    const apply = (): Applied => {
      if (!this.tree.delete(key)) return { status: STATUS.STATUS_CANNOT_DELETE, object: key };
      this.k.emit('registry', 0, `ZwDeleteKey: ${key.path} deleted`);
      return { status: STATUS.STATUS_SUCCESS, object: key };
    };
    return this.filtered('ZwDeleteKey', RegNt.PreDeleteKey, RegNt.PostDeleteKey, '_REG_DELETE_KEY_INFORMATION', noFill, key, apply);
  }

  /**
   * A driver's registry operation through the registry callbacks, as the configuration manager
   * sends it: the pre-notification (an error from a callback is the routine's status, and nothing
   * changes), the operation, then the post-notification to the callbacks that saw the pre (which
   * may replace the status). With no callback to reach, the operation runs at once.
   */
  private filtered(routine: string, preClass: number, postClass: number, tag: string, fill: (info: StructView) => void, object: RegKey | null, apply: () => Applied): number | Co<number> {
    const cb = this.callbacks;
    if (cb === null || !cb.listening(this.k.current)) return apply().status;
    return this.throughCallbacks(cb, routine, preClass, postClass, tag, fill, object, apply);
  }

  private *throughCallbacks(cb: RegistryCallbackRoutines, routine: string, preClass: number, postClass: number, tag: string, fill: (info: StructView) => void, object: RegKey | null, apply: () => Applied): Co<number> {
    const t = this.k.current;
    const pre = cb.info({}, tag);
    if (object !== null) pre.Object = object;
    fill(pre);
    const what = `${routine}${object !== null ? ` ${object.path}` : ''}`;
    const o = yield* cb.pre(t, preClass, pre, what);
    if (o.status === STATUS.STATUS_CALLBACK_BYPASS) return yield* cb.post(t, postClass, o.notified, object, STATUS.STATUS_SUCCESS, pre);
    if (o.status >= 0x80000000) return o.status;
    const r = apply();
    return yield* cb.post(t, postClass, o.notified, r.object, r.status, pre);
  }

  /** How a create or open pre-notification names its key: the name, the key it is relative to, the access asked. */
  private keyNaming(t: { root: RegKey | null; name: string; attributes: number }, desiredAccess: number, options: number): (info: StructView) => void {
    return (info) => {
      info.CompleteName = this.callbacks!.unicodeString(t.name);
      info.RootObject = t.root;
      info.Options = options;
      info.DesiredAccess = desiredAccess;
      info.Attributes = t.attributes;
      info.Version = 1;
      info.CheckAccessMode = 0; // KernelMode: a driver's call
    };
  }

  /** Subkeys in name order (case ignored), as the registry keeps them; STATUS_NO_MORE_ENTRIES past the last. */
  ZwEnumerateKey(KeyHandle: unknown, Index: number, KeyInformationClass: number, KeyInformation: unknown, Length: number, ResultLength: unknown): number {
    this.k.checkIrql('ZwEnumerateKey');
    const key = this.keyOf('ZwEnumerateKey', KeyHandle, KEY_ENUMERATE_SUB_KEYS);
    if (typeof key === 'number') return key;
    const sub = [...key.subkeys.values()].sort((a, b) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1))[Number(Index) >>> 0];
    if (!sub) return STATUS.STATUS_NO_MORE_ENTRIES;
    const image = keyImage(this.k, sub, Number(KeyInformationClass));
    if (image === undefined) return this.badClass('ZwEnumerateKey', 'KeyInformationClass', KeyInformationClass);
    return deliver(this.k, 'ZwEnumerateKey', image, KeyInformation, Length, ResultLength);
  }

  ZwQueryKey(KeyHandle: unknown, KeyInformationClass: number, KeyInformation: unknown, Length: number, ResultLength: unknown): number {
    this.k.checkIrql('ZwQueryKey');
    const cls = Number(KeyInformationClass);
    // The name needs no access; the rest needs KEY_QUERY_VALUE.
    const key = this.keyOf('ZwQueryKey', KeyHandle, cls === 3 ? 0 : KEY_QUERY_VALUE);
    if (typeof key === 'number') return key;
    const image = keyImage(this.k, key, cls);
    if (image === undefined) return this.badClass('ZwQueryKey', 'KeyInformationClass', KeyInformationClass);
    return deliver(this.k, 'ZwQueryKey', image, KeyInformation, Length, ResultLength);
  }

  /** Nothing to write back: the model keeps every change as it is made. */
  ZwFlushKey(KeyHandle: unknown): number {
    this.k.checkIrql('ZwFlushKey');
    const key = this.keyOf('ZwFlushKey', KeyHandle, 0);
    return typeof key === 'number' ? key : STATUS.STATUS_SUCCESS;
  }

  /** A handle to the driver's Parameters subkey (DriverRegKeyParameters) or its service key's state subkeys. */
  IoOpenDriverRegistryKey(DriverObject: unknown, RegKeyType: number, DesiredAccess: number, Flags: number, DriverRegKey: unknown): number {
    const k = this.k;
    k.checkIrql('IoOpenDriverRegistryKey');
    const module = this.moduleOf(DriverObject);
    if (module === undefined || DriverRegKey === null || DriverRegKey === undefined) {
      k.violation('null-param', `IoOpenDriverRegistryKey needs ${module === undefined ? 'the DriverObject DriverEntry was given' : 'a HANDLE to return the key in'}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Number(Flags) !== 0) {
      k.violation('invalid-parameter', 'IoOpenDriverRegistryKey: Flags must be 0');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const sub = ['Parameters', 'State', 'State'][Number(RegKeyType)];
    if (sub === undefined) {
      k.violation('invalid-parameter', `IoOpenDriverRegistryKey: RegKeyType ${RegKeyType} is no DRIVER_REGKEY_TYPE`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const key = this.tree.ensure(`${SERVICES_KEY}\\${module}\\${sub}`);
    writeOut(DriverRegKey, this.openHandle(key, DesiredAccess, OBJ_KERNEL_HANDLE, 'IoOpenDriverRegistryKey'));
    return STATUS.STATUS_SUCCESS;
  }

  /** The driver a DRIVER_OBJECT belongs to, by its service key (its DriverName is \Driver\<module>). */
  private moduleOf(DriverObject: unknown): string | undefined {
    const d = DriverObject as { module?: unknown; DriverName?: unknown } | null;
    if (!d || typeof d !== 'object') return undefined;
    const name = typeof d.module === 'string' ? d.module : unicodeStringText(this.k.marshal.deref<UnicodeString>(d.DriverName, '_UNICODE_STRING')).replace(/^\\(Driver|FileSystem)\\/i, '');
    return [...this.modules].find((m) => m.toLowerCase() === name.toLowerCase());
  }

  /** A value name; NULL or empty names the key's default value. */
  private valueName(ValueName: unknown): string {
    return unicodeStringText(this.k.marshal.deref<UnicodeString>(ValueName, '_UNICODE_STRING'));
  }

  private badClass(routine: string, param: string, value: number): number {
    this.k.emit('registry', 0, `${routine}: ${param} ${value} is not one fltsim models (STATUS_INVALID_PARAMETER)`);
    return STATUS.STATUS_INVALID_PARAMETER;
  }
}
