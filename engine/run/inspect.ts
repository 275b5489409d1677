/**
 * How a C value looks in a debugger: a one-line rendering in C terms (statuses and enums by name,
 * IRQLs by level, strings quoted, pointers as kernel addresses with what they point at) and, for
 * aggregates and pointers, children that expand lazily. Arrays expand by index so a client can page
 * through large ones.
 *
 * Values come from byte memory through typed reads that look without touching: no uninitialised-read
 * report, no exposure of provenance, nothing materialised. A scalar is its value; a struct or array
 * is the pointer to its storage (as the interpreter holds it).
 */
import { findField, pointee, sizeOf, typeName, type CType, type IntType, type StructType } from '../c/types';
import { isFunctionValue, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { irqlName } from '../kernel/irql';
import { formatStatus } from '../kernel/status';
import { majorName } from '../fltmgr/constants';
import { FltCallbackData } from '../fltmgr/callbackData';
import type { Allocation } from '../memory/allocation';
import { hexAddress, Ptr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { fieldPlaces, loadBits, peekAt, storeAt, storeBits, type FieldPlace } from '../memory/typed';
import { viewAt } from '../memory/view';

export interface InspectChild {
  name: string;
  value: string;
  type: string;
  /** A C expression that names this child, relative to the root the client asked about. */
  evaluateName?: string;
  expand?: Expandable;
  /** How to change the value when the user edits it (undefined: read-only). */
  place?: Place;
  /** An integer shown as a number, in hex (`0xfffffffe` for a ULONG -2): a client's hex display. Names (statuses, enums) have none. */
  hexValue?: string;
  /** The address a pointer points at, or an array starts at, for a memory view (`0xffffa000…`). */
  memoryReference?: string;
}

/** Where a shown value lives, for Set Value: read and write it by its C type. */
export interface Place {
  type: CType;
  get(): unknown;
  set(value: unknown): void;
}

export interface Expandable {
  /** Named children (struct fields, a pointer's target). */
  named?: () => InspectChild[];
  /** Indexed children (array elements), fetched a page at a time. */
  indexedCount?: number;
  indexed?: (start: number, count: number) => InspectChild[];
}

export interface InspectContext {
  addresses: AddressSpace;
  /** Enumerator names, per enum name. */
  enumNames: (enumName: string) => Map<number, string> | undefined;
}

const MAX_STRING = 256;
const NOT_ASSIGNED = '<not yet assigned>';

/** Renders `value` of C type `t`; `fieldName` lets a few well-known fields print by meaning. */
export function inspect(ctx: InspectContext, value: unknown, t: CType, fieldName?: string, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (value === undefined && (t.kind === 'ptr' || t.kind === 'int' || t.kind === 'float')) return { value: NOT_ASSIGNED, type };
  switch (t.kind) {
    case 'int': {
      const shown = formatInt(ctx, value, t, fieldName);
      const hex = hexOf(shown, value, t);
      return hex === undefined ? { value: shown, type } : { value: shown, type, hexValue: hex };
    }
    case 'float':
      return { value: String(value ?? 0), type };
    case 'void':
      return { value: 'void', type };
    case 'func':
      return { value: isFunctionValue(value) ? functionLabel(value) : String(value), type };
    case 'ptr':
      return withMemory(ctx, value, inspectPointer(ctx, value, t, path));
    case 'array':
      return withMemory(ctx, value, inspectArray(ctx, value, t, path));
    case 'struct':
      return inspectStruct(ctx, value, t, path);
  }
}

/** A pointer or array that points into memory gets the address a memory view opens at. */
function withMemory(ctx: InspectContext, value: unknown, shown: Omit<InspectChild, 'name'>): Omit<InspectChild, 'name'> {
  if (!(value instanceof Ptr) || value.alloc === null) return shown;
  return { ...shown, memoryReference: hexAddress(ctx.addresses.addressOf(value)) };
}

/** A scalar, struct or array stored at `p`, as inspect shows it, with a place to write it. */
export function inspectAt(ctx: InspectContext, p: Ptr, t: CType, fieldName?: string, path?: string): Omit<InspectChild, 'name'> {
  if (t.kind === 'struct' || t.kind === 'array') return inspect(ctx, p, t, fieldName, path);
  const a = p.alloc;
  if (a === null) return { value: '<no memory>', type: typeName(t) };
  if (!a.accessible) return { value: a.freed ? '<freed>' : '<not readable>', type: typeName(t) };
  return { ...inspect(ctx, peekAt(a, p.offset, t), t, fieldName, path), place: placeAt(a, p.offset, t) };
}

function placeAt(a: Allocation, offset: number, t: CType): Place {
  return { type: t, get: () => peekAt(a, offset, t), set: (v) => storeAt(a, offset, t, v) };
}

/** `shown` in hex when it is a number (`5`, `4096 (0x1000)`, `65 'A'`), in the type's width. */
function hexOf(shown: string, raw: unknown, t: IntType): string | undefined {
  if (!/^-?\d/.test(shown) || (typeof raw !== 'number' && typeof raw !== 'bigint')) return undefined;
  const bits = BigInt.asUintN(t.size * 8, typeof raw === 'bigint' ? raw : BigInt(Math.trunc(raw)));
  return `0x${bits.toString(16)}`;
}

function formatInt(ctx: InspectContext, raw: unknown, t: IntType, fieldName?: string): string {
  if (typeof raw === 'bigint') return t.signed ? raw.toString() : `${raw} (0x${raw.toString(16)})`;
  const v = typeof raw === 'number' ? raw : typeof raw === 'boolean' ? (raw ? 1 : 0) : raw === undefined ? NaN : 0;
  if (Number.isNaN(v)) return NOT_ASSIGNED;
  const alias = t.alias ?? '';
  if (alias === 'NTSTATUS') return `${formatStatus(v)} (0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')})`;
  if (alias === 'KIRQL' || fieldName === 'Irql' || fieldName === 'OldIrql') return `${irqlName(v)} (${v})`;
  if (alias === 'BOOLEAN' || t.boolean) return v === 0 ? 'FALSE' : v === 1 ? 'TRUE' : `TRUE (${v})`;
  if (fieldName === 'MajorFunction') return `${majorName(v)} (${v})`;
  if (t.enumName) {
    const name = ctx.enumNames(t.enumName)?.get(v);
    if (name) return `${name} (${v})`;
  }
  if (/Flags$|Mask$|^Flags|Attributes$|Access$/.test(fieldName ?? '') || alias === 'ACCESS_MASK') return `0x${(v >>> 0).toString(16)}`;
  if (t.size === 1 && (alias === 'CHAR' || t.name === 'char') && v >= 32 && v < 127) return `${v} '${String.fromCharCode(v)}'`;
  if (!t.signed && v > 9) return `${v} (0x${v.toString(16)})`;
  return String(v);
}

function functionLabel(fv: { name: string; module?: string }): string {
  return fv.module ? `${fv.module}!${fv.name}` : fv.name;
}

/** Characters from `p` up to a NUL, the end of what was written, or `max`; without side effects. */
function peekString(p: Ptr, charSize: 1 | 2, max: number): string | undefined {
  const a = p.alloc;
  if (a === null || !a.accessible) return undefined;
  const t: CType = { kind: 'int', size: charSize, signed: false, name: 'char' };
  let s = '';
  for (let at = p.offset; s.length < max; at += charSize) {
    const c = peekAt(a, at, t);
    if (c === undefined || c === 0) break;
    s += String.fromCharCode(c as number);
  }
  return s;
}

function describeTarget(a: Allocation): string {
  if (a.freed) return `freed ${a.label}`;
  if (a.kind === 'opaque') return a.label;
  return `${a.label}, ${a.size} bytes`;
}

function inspectPointer(ctx: InspectContext, value: unknown, t: CType & { kind: 'ptr' }, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (value === null || value === undefined) return { value: 'NULL', type };
  if (isFunctionValue(value)) return { value: functionLabel(value), type };
  if (!(value instanceof Ptr)) return { value: String(value), type };
  const addr = ctx.addresses.format(value);
  const a = value.alloc;
  if (a === null) return { value: `0x${addr}`, type };
  if (!a.accessible) return { value: `0x${addr} (${describeTarget(a)})`, type };
  const to = t.to;
  if (to.kind === 'int' && (to.size === 1 || to.size === 2)) {
    const s = peekString(value, to.size, MAX_STRING);
    if (s !== undefined) return { value: `0x${addr} ${to.size === 2 ? 'L' : ''}"${escape(s)}"`, type };
  }
  if (to.kind === 'void' || (to.kind === 'struct' && !to.fields)) return { value: `0x${addr} (${value.offset ? `${value.offset} bytes into ` : ''}${describeTarget(a)})`, type };
  if (to.kind === 'struct') {
    const summary = structSummary(ctx, value, to);
    return {
      value: `0x${addr}${summary ? ` ${summary}` : ''}`,
      type,
      expand: { named: () => fieldsOf(ctx, value, to, path ? `${path}->` : undefined) },
    };
  }
  if (to.kind === 'func') return { value: `0x${addr}`, type };
  return {
    value: `0x${addr}`,
    type,
    expand: { named: () => [{ name: `*${path ?? 'p'}`, ...inspectAt(ctx, value, to, undefined, path ? `*${path}` : undefined) }] },
  };
}

function inspectArray(ctx: InspectContext, value: unknown, t: CType & { kind: 'array' }, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (!(value instanceof Ptr)) return { value: `[${t.length ?? ''}]`, type };
  const length = t.length ?? 0;
  let summary = `[${length}]`;
  if (t.of.kind === 'int' && (t.of.size === 1 || t.of.size === 2)) {
    const s = peekString(value, t.of.size, Math.min(length, MAX_STRING));
    if (s !== undefined) summary = `${t.of.size === 2 ? 'L' : ''}"${escape(s)}"`;
  }
  const each = sizeOf(t.of);
  return {
    value: summary,
    type,
    expand: {
      indexedCount: length,
      indexed: (from, count) => {
        const out: InspectChild[] = [];
        for (let i = from; i < Math.min(length, from + count); i++) {
          const name = path ? `${path}[${i}]` : undefined;
          out.push({ name: `[${i}]`, evaluateName: name, ...inspectAt(ctx, value.add(i * each), t.of, undefined, name) });
        }
        return out;
      },
    },
  };
}

function inspectStruct(ctx: InspectContext, value: unknown, t: StructType, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (!(value instanceof Ptr) || value.alloc === null) return { value: '{…}', type };
  const summary = structSummary(ctx, value, t) ?? '{…}';
  return { value: summary, type, expand: { named: () => fieldsOf(ctx, value, t, path ? `${path}.` : undefined) } };
}

/** A short description of well-known structs, shown without expanding them. */
function structSummary(ctx: InspectContext, p: Ptr, t: StructType): string | undefined {
  const a = p.alloc;
  if (a === null || !a.accessible || !t.fields) return undefined;
  if (p.offset === 0 && a.owner instanceof FltCallbackData) return `{#${a.owner.id} ${majorName(a.owner.major)} ${a.owner.state}}`;
  const tag = t.tag;
  try {
    if (tag === '_UNICODE_STRING') {
      const us = viewAt(a, p.offset, t) as unknown as UnicodeString;
      const length = peekAt(a, p.offset + fieldPlaces(t).get('Length')!.offset, fieldPlaces(t).get('Length')!.type) as number | undefined;
      const buf = peekAt(a, p.offset + fieldPlaces(t).get('Buffer')!.offset, fieldPlaces(t).get('Buffer')!.type);
      if (length === undefined) return NOT_ASSIGNED;
      if (!(buf instanceof Ptr) || !buf.alloc?.accessible || !buf.alloc.isInitialized(buf.offset, length)) return `{Length=${length}}`;
      return `{"${escape(unicodeStringText({ ...us, Length: length, Buffer: buf }))}" Length=${length}}`;
    }
    if (tag === '_LIST_ENTRY') {
      const flink = peekAt(a, p.offset, fieldPlaces(t).get('Flink')!.type);
      const blink = peekAt(a, p.offset + 8, fieldPlaces(t).get('Blink')!.type);
      const self = flink instanceof Ptr && blink instanceof Ptr && flink.alloc === a && blink.alloc === a && flink.offset === p.offset && blink.offset === p.offset;
      return self ? '{empty}' : `{Flink=0x${ctx.addresses.format((flink ?? null) as Ptr | null)} Blink=0x${ctx.addresses.format((blink ?? null) as Ptr | null)}}`;
    }
    if (tag === '_LARGE_INTEGER' || tag === '_ULARGE_INTEGER') {
      const q = fieldPlaces(t).get('QuadPart')!;
      const v = peekAt(a, p.offset + q.offset, q.type);
      return v === undefined ? NOT_ASSIGNED : String(v);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function fieldsOf(ctx: InspectContext, p: Ptr, t: StructType, prefix?: string): InspectChild[] {
  if (!t.fields) return [{ name: '(opaque)', value: `${typeName(t)} is opaque to drivers`, type: '' }];
  const a = p.alloc;
  if (a === null || !a.accessible) return [{ name: '(memory)', value: a?.freed ? `${a.label} was freed` : 'not readable', type: '' }];
  const out: InspectChild[] = [];
  // Members of anonymous structs and unions read as members of the outer one.
  for (const place of fieldPlaces(t).values()) {
    if (isLargeIntegerAlias(t, place)) continue;
    const evaluateName = prefix ? `${prefix}${place.name}` : undefined;
    if (place.bits !== undefined) {
      out.push({ name: place.name, evaluateName, ...bitField(ctx, a, p.offset, place) });
      continue;
    }
    out.push({ name: place.name, evaluateName, ...inspectAt(ctx, p.add(place.offset), place.type, place.name, evaluateName) });
  }
  return out;
}

/** LARGE_INTEGER's `u` repeats LowPart and HighPart: shown once. */
function isLargeIntegerAlias(t: StructType, place: FieldPlace): boolean {
  return (t.tag === '_LARGE_INTEGER' || t.tag === '_ULARGE_INTEGER') && place.name === 'u';
}

function bitField(ctx: InspectContext, a: Allocation, base: number, place: FieldPlace): Omit<InspectChild, 'name'> {
  const unit = place.type as IntType;
  const at = base + place.offset;
  const get = (): unknown => (a.isInitialized(at, unit.size) ? loadBits(a, at, unit, place.bitOffset!, place.bits!) : undefined);
  return {
    ...inspect(ctx, get(), unit, place.name),
    type: `${typeName(unit)} : ${place.bits}`,
    place: { type: unit, get, set: (v) => storeBits(a, at, unit, place.bitOffset!, place.bits!, v as number | bigint) },
  };
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\0/g, '\\0');
}

/** The field list of a struct type by name, for tests and hover. */
export function fieldNames(t: StructType): string[] {
  return (t.fields ?? []).map((f) => f.name);
}

export { findField, pointee };
