/**
 * The information structures the registry routines return (KEY_VALUE_*_INFORMATION,
 * KEY_*_INFORMATION), built as the bytes the prelude's layouts give, and the size-probe protocol
 * every one of them follows: *ResultLength always gets the size needed; a buffer smaller than the
 * fixed part gets nothing and STATUS_BUFFER_TOO_SMALL; one that holds the fixed part but not the
 * names and data gets the fixed part and STATUS_BUFFER_OVERFLOW; else everything and success.
 */
import type { Kernel } from './kernel';
import { Ptr, resolve } from '../memory/pointer';
import { fieldPlace } from '../memory/typed';
import { writeOut } from './objects';
import { pointerOf } from './marshal';
import { STATUS } from './status';
import { utf16Bytes, type RegKey, type RegValue } from './registryTree';

export const KeyValueBasicInformation = 0;
export const KeyValueFullInformation = 1;
export const KeyValuePartialInformation = 2;
export const KeyValueFullInformationAlign64 = 3;
export const KeyValuePartialInformationAlign64 = 4;

export const KeyBasicInformation = 0;
export const KeyNodeInformation = 1;
export const KeyFullInformation = 2;
export const KeyNameInformation = 3;

/** A structure image: its bytes and how many of them are the fixed part. */
interface Image {
  bytes: Uint8Array;
  fixed: number;
}

class Builder {
  readonly parts: { offset: number; bytes: Uint8Array }[] = [];
  size: number;
  constructor(
    private readonly k: Kernel,
    private readonly tag: string,
  ) {
    this.size = 0;
  }

  at(field: string): number {
    return fieldPlace(this.k.marshal.struct(this.tag), field).offset;
  }

  u32(offset: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.put(offset, b);
  }

  u64(offset: number, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.put(offset, b);
  }

  put(offset: number, bytes: Uint8Array): void {
    this.parts.push({ offset, bytes });
    this.size = Math.max(this.size, offset + bytes.length);
  }

  image(fixed: number): Image {
    const bytes = new Uint8Array(Math.max(this.size, fixed));
    for (const p of this.parts) bytes.set(p.bytes, p.offset);
    return { bytes, fixed };
  }
}

/** KEY_VALUE_{BASIC,FULL,PARTIAL}_INFORMATION[_ALIGN64] of `v`; undefined for an unknown class. */
export function valueImage(k: Kernel, v: RegValue, cls: number): Image | undefined {
  const name = utf16Bytes(v.name, false);
  switch (cls) {
    case KeyValueBasicInformation: {
      const b = new Builder(k, '_KEY_VALUE_BASIC_INFORMATION');
      const nameAt = b.at('Name');
      b.u32(b.at('TitleIndex'), 0);
      b.u32(b.at('Type'), v.type);
      b.u32(b.at('NameLength'), name.length);
      b.put(nameAt, name);
      return b.image(nameAt);
    }
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64: {
      const b = new Builder(k, '_KEY_VALUE_FULL_INFORMATION');
      const nameAt = b.at('Name');
      const align = cls === KeyValueFullInformationAlign64 ? 8 : 4;
      const dataAt = Math.ceil((nameAt + name.length) / align) * align;
      b.u32(b.at('TitleIndex'), 0);
      b.u32(b.at('Type'), v.type);
      b.u32(b.at('DataOffset'), dataAt);
      b.u32(b.at('DataLength'), v.data.length);
      b.u32(b.at('NameLength'), name.length);
      b.put(nameAt, name);
      b.put(dataAt, v.data);
      return b.image(nameAt);
    }
    case KeyValuePartialInformation: {
      const b = new Builder(k, '_KEY_VALUE_PARTIAL_INFORMATION');
      const dataAt = b.at('Data');
      b.u32(b.at('TitleIndex'), 0);
      b.u32(b.at('Type'), v.type);
      b.u32(b.at('DataLength'), v.data.length);
      b.put(dataAt, v.data);
      return b.image(dataAt);
    }
    case KeyValuePartialInformationAlign64: {
      const b = new Builder(k, '_KEY_VALUE_PARTIAL_INFORMATION_ALIGN64');
      const dataAt = b.at('Data');
      b.u32(b.at('Type'), v.type);
      b.u32(b.at('DataLength'), v.data.length);
      b.put(dataAt, v.data);
      return b.image(dataAt);
    }
  }
  return undefined;
}

/** KEY_{BASIC,NODE,FULL,NAME}_INFORMATION of `key`; undefined for a class not modelled. */
export function keyImage(k: Kernel, key: RegKey, cls: number): Image | undefined {
  const name = utf16Bytes(key.name, false);
  const cls16 = utf16Bytes(key.className, false);
  switch (cls) {
    case KeyBasicInformation: {
      const b = new Builder(k, '_KEY_BASIC_INFORMATION');
      const nameAt = b.at('Name');
      b.u64(b.at('LastWriteTime'), key.lastWrite);
      b.u32(b.at('NameLength'), name.length);
      b.put(nameAt, name);
      return b.image(nameAt);
    }
    case KeyNodeInformation: {
      const b = new Builder(k, '_KEY_NODE_INFORMATION');
      const nameAt = b.at('Name');
      const classAt = cls16.length > 0 ? Math.ceil((nameAt + name.length) / 4) * 4 : 0xffffffff;
      b.u64(b.at('LastWriteTime'), key.lastWrite);
      b.u32(b.at('ClassOffset'), classAt);
      b.u32(b.at('ClassLength'), cls16.length);
      b.u32(b.at('NameLength'), name.length);
      b.put(nameAt, name);
      if (cls16.length > 0) b.put(classAt, cls16);
      return b.image(nameAt);
    }
    case KeyFullInformation: {
      const b = new Builder(k, '_KEY_FULL_INFORMATION');
      const classAt = b.at('Class');
      const subkeys = [...key.subkeys.values()];
      const values = [...key.values.values()];
      b.u64(b.at('LastWriteTime'), key.lastWrite);
      b.u32(b.at('ClassOffset'), cls16.length > 0 ? classAt : 0xffffffff);
      b.u32(b.at('ClassLength'), cls16.length);
      b.u32(b.at('SubKeys'), subkeys.length);
      b.u32(b.at('MaxNameLen'), Math.max(0, ...subkeys.map((s) => s.name.length * 2)));
      b.u32(b.at('MaxClassLen'), Math.max(0, ...subkeys.map((s) => s.className.length * 2)));
      b.u32(b.at('Values'), values.length);
      b.u32(b.at('MaxValueNameLen'), Math.max(0, ...values.map((v) => v.name.length * 2)));
      b.u32(b.at('MaxValueDataLen'), Math.max(0, ...values.map((v) => v.data.length)));
      b.put(classAt, cls16);
      return b.image(classAt);
    }
    case KeyNameInformation: {
      const full = utf16Bytes(key.path, false);
      const b = new Builder(k, '_KEY_NAME_INFORMATION');
      const nameAt = b.at('Name');
      b.u32(b.at('NameLength'), full.length);
      b.put(nameAt, full);
      return b.image(nameAt);
    }
  }
  return undefined;
}

/** Hands `image` to the caller's buffer by the size-probe protocol; returns the status. */
export function deliver(k: Kernel, routine: string, image: Image, buffer: unknown, length: number, resultLength: unknown): number {
  if (resultLength === null || resultLength === undefined) {
    k.violation('null-param', `${routine} needs ResultLength, where it stores the size the information needs`);
    return STATUS.STATUS_INVALID_PARAMETER;
  }
  writeOut(resultLength, image.bytes.length);
  const len = Number(length) >>> 0;
  if (len < image.fixed) return STATUS.STATUS_BUFFER_TOO_SMALL;
  const out = pointerOf(buffer);
  if (!(out instanceof Ptr)) {
    k.violation('null-param', `${routine} was given a Length of ${len} bytes but no buffer`);
    return STATUS.STATUS_INVALID_PARAMETER;
  }
  const n = len < image.bytes.length ? image.fixed : image.bytes.length;
  if (n > 0) {
    const r = resolve(out, n, 'writes');
    r.alloc.writeBytes(r.offset, image.bytes.subarray(0, n));
  }
  return n < image.bytes.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS;
}
