/**
 * ZwQueryObject / NtQueryObject: what a handle refers to. ObjectBasicInformation (the handle's
 * attributes and access, its object's counts), ObjectNameInformation (the object's full name in
 * the object namespace: a file's `\Device\HarddiskVolume1\…` path, a key's `\REGISTRY\…` path, a
 * symbolic link's name; processes, threads, tokens and unnamed sections have none) and
 * ObjectTypeInformation (the type's name: File, Process, Thread, Token, Key, Section, SymbolicLink,
 * TmTx). ObQueryNameString names an object the caller points at (a file object, a device). Both
 * name classes put a UNICODE_STRING at the start of the caller's buffer and its
 * characters after the fixed part; too small a buffer gets STATUS_INFO_LENGTH_MISMATCH and the
 * length needed, so the usual "ask, allocate, ask again" loop works. It lives beside the Filter
 * Manager because file handles and their file objects are made here.
 */
import { bufferPlace } from '../kernel/buffers';
import type { Kernel } from '../kernel/kernel';
import { NotModelled } from '../kernel/notModelled';
import { KHandle, writeOut } from '../kernel/objects';
import { isKProcess } from '../kernel/processes';
import { isReferenced } from '../kernel/referenceCount';
import { STATUS } from '../kernel/status';
import { KThread } from '../kernel/thread';
import { isKToken } from '../kernel/tokens';
import { Section } from '../kernel/sections';
import { encodeChars } from '../memory/strings';
import { Ptr } from '../memory/pointer';
import type { Allocation } from '../memory/allocation';
import { sizeOf } from '../c/types';
import { FileHandle } from './filterio';
import { FileObject } from './structs';
import { DeviceObject } from '../kernel/deviceObject';
import { SymbolicLink } from './symbolicLinks';
import { Transaction } from './transactions';
import { OBJ_KERNEL_HANDLE } from '../kernel/objectManager';
import { ALL_OBJECT_RIGHTS } from '../kernel/accessRights';

const OBJECT_BASIC_INFORMATION = 0;
const OBJECT_NAME_INFORMATION = 1;
const OBJECT_TYPE_INFORMATION = 2;
/** sizeof(PUBLIC_OBJECT_BASIC_INFORMATION) and of the type information before its name (x64). */
const BASIC_SIZE = 56;
const TYPE_INFORMATION_SIZE = 104;
/** Handles here carry every right their object type has. */
const FULL_ACCESS = ALL_OBJECT_RIGHTS;

/** What the object manager knows about the object behind a handle. */
interface Described {
  type: string;
  /** The full name, or '' for an unnamed object. */
  name: string;
}

export class ObjectQueryRoutines {
  constructor(private readonly k: Kernel) {}

  ZwQueryObject(Handle: unknown, ObjectInformationClass: number, ObjectInformation: unknown, ObjectInformationLength: number, ReturnLength: unknown): number {
    return this.query('ZwQueryObject', Handle, ObjectInformationClass, ObjectInformation, ObjectInformationLength, ReturnLength);
  }

  NtQueryObject(Handle: unknown, ObjectInformationClass: number, ObjectInformation: unknown, ObjectInformationLength: number, ReturnLength: unknown): number {
    return this.query('NtQueryObject', Handle, ObjectInformationClass, ObjectInformation, ObjectInformationLength, ReturnLength);
  }

  private query(routine: string, Handle: unknown, ObjectInformationClass: number, ObjectInformation: unknown, ObjectInformationLength: number, ReturnLength: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const cls = Number(ObjectInformationClass);
    if (cls !== OBJECT_BASIC_INFORMATION && cls !== OBJECT_NAME_INFORMATION && cls !== OBJECT_TYPE_INFORMATION) {
      if (cls < 0 || cls > 6) return STATUS.STATUS_INVALID_INFO_CLASS;
      throw new NotModelled(`${routine} with object information class ${cls} is not modelled`, 'fltsim answers ObjectBasicInformation (0), ObjectNameInformation (1) and ObjectTypeInformation (2) (docs/wdk-surface.md)');
    }
    if (!(Handle instanceof KHandle) || Handle.closed) return STATUS.STATUS_INVALID_HANDLE;
    const length = Number(ObjectInformationLength) >>> 0;
    if (cls === OBJECT_BASIC_INFORMATION) {
      writeOut(ReturnLength, BASIC_SIZE);
      if (length !== BASIC_SIZE) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
      const at = this.buffer(routine, ObjectInformation, length);
      if (at === null) return STATUS.STATUS_ACCESS_VIOLATION;
      const bytes = new Uint8Array(BASIC_SIZE);
      const dv = new DataView(bytes.buffer);
      dv.setUint32(0, Handle.process === null ? OBJ_KERNEL_HANDLE : 0, true);
      dv.setUint32(4, FULL_ACCESS, true);
      dv.setUint32(8, 1, true);
      dv.setUint32(12, 1 + referencesOf(Handle.object), true);
      at.alloc.writeBytes(at.offset, bytes);
      return STATUS.STATUS_SUCCESS;
    }
    const d = describe(Handle);
    if (d === undefined) throw new NotModelled(`${routine} on ${Handle.what} is not modelled`, 'fltsim names files, processes, threads, tokens, registry keys, sections, symbolic links and transactions (docs/wdk-surface.md)');
    const header = cls === OBJECT_NAME_INFORMATION ? sizeOf(k.marshal.struct('_UNICODE_STRING')) : TYPE_INFORMATION_SIZE;
    return this.answerName(routine, cls === OBJECT_NAME_INFORMATION ? d.name : d.type, header, ObjectInformation, length, ReturnLength);
  }

  /**
   * The name of an object the caller holds a pointer to: a file object's full path, a device's
   * name; processes, threads and tokens have none (an empty name).
   */
  ObQueryNameString(Object_: unknown, ObjectNameInfo: unknown, Length: number, ReturnLength: unknown): number {
    const k = this.k;
    const routine = 'ObQueryNameString';
    k.checkIrql(routine);
    if (Object_ === null || Object_ === undefined) {
      k.violation('null-param', `${routine} needs the object to name`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const d = describeObject(Object_);
    if (d === undefined) throw new NotModelled(`${routine} on this object is not modelled`, 'fltsim names file objects, device objects, processes, threads and tokens (docs/wdk-surface.md)');
    return this.answerName(routine, d.name, sizeOf(k.marshal.struct('_UNICODE_STRING')), ObjectNameInfo, Number(Length) >>> 0, ReturnLength);
  }

  /** A UNICODE_STRING at the start of the caller's buffer, after `header` bytes its characters and a terminator. */
  private answerName(routine: string, text: string, header: number, buffer: unknown, length: number, ReturnLength: unknown): number {
    const chars = text === '' ? 0 : 2 * text.length + 2;
    const needed = header + chars;
    writeOut(ReturnLength, needed);
    if (length < needed) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
    const at = this.buffer(routine, buffer, length);
    if (at === null) return STATUS.STATUS_ACCESS_VIOLATION;
    at.alloc.writeBytes(at.offset, new Uint8Array(header));
    if (chars > 0) at.alloc.writeBytes(at.offset + header, encodeChars(text, 2, true));
    // The UNICODE_STRING: Length, MaximumLength, then (after padding) Buffer.
    at.alloc.writeInt(at.offset, 2, 2 * text.length);
    at.alloc.writeInt(at.offset + 2, 2, chars);
    at.alloc.writePointer(at.offset + 8, chars === 0 ? null : new Ptr(at.alloc, at.offset + header));
    return STATUS.STATUS_SUCCESS;
  }

  private buffer(routine: string, buf: unknown, length: number): { alloc: Allocation; offset: number } | null {
    const at = bufferPlace(this.k.marshal, buf);
    if (at === null) this.k.violation('null-param', `${routine} was given a length of ${length} bytes but no buffer`);
    return at;
  }
}

/** The references drivers hold on it (the object manager's own one is the 1 added by the caller). */
function referencesOf(o: unknown): number {
  return isReferenced(o) ? o.refs.held.length : 0;
}

function describe(h: KHandle): Described | undefined {
  const o = h.object;
  if (h instanceof FileHandle) return { type: 'File', name: h.fileObject.stream.path };
  const d = describeObject(o);
  if (d !== undefined) return d;
  // Registry keys are the registry model's own objects; their handles say which key.
  const key = /^registry key (.*)$/.exec(h.what);
  if (key !== null) return { type: 'Key', name: key[1]! };
  return undefined;
}

function describeObject(o: unknown): Described | undefined {
  if (o instanceof FileObject) return { type: 'File', name: o.stream.path };
  if (o instanceof DeviceObject) return { type: 'Device', name: o.name };
  if (isKProcess(o)) return { type: 'Process', name: '' };
  if (o instanceof KThread) return { type: 'Thread', name: '' };
  if (isKToken(o)) return { type: 'Token', name: '' };
  if (o instanceof Section) return { type: 'Section', name: '' };
  if (o instanceof SymbolicLink) return { type: 'SymbolicLink', name: o.name };
  if (o instanceof Transaction) return { type: 'TmTx', name: '' };
  return undefined;
}
