/**
 * How a C value looks in a debugger: a one-line rendering in C terms (statuses and enums by name,
 * IRQLs by level, strings quoted, pointers as kernel addresses) and, for aggregates and pointers,
 * children that expand lazily. Arrays expand by index so a client can page through large ones.
 */
import { findField, pointee, typeName, type CType, type IntType, type StructType } from '../c/types';
import { LargeInteger, Ref, isFunctionValue, rawInfo, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { irqlName } from '../kernel/irql';
import { formatStatus } from '../kernel/status';
import { majorName } from '../fltmgr/constants';
import { FltCallbackData } from '../fltmgr/callbackData';
import { readCString } from '../interp/format';
import { IntPointer, structTypeOf, type AddressSpace } from '../interp/memory';

export interface InspectChild {
  name: string;
  value: string;
  type: string;
  /** A C expression that names this child, relative to the root the client asked about. */
  evaluateName?: string;
  expand?: Expandable;
  /** Where to write when the user edits the value (undefined: read-only). */
  place?: { container: Record<string | number, unknown> | unknown[]; key: string | number; type: CType };
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

/** Renders `value` of C type `t`; `fieldName` lets a few well-known fields print by meaning. */
export function inspect(ctx: InspectContext, value: unknown, t: CType, fieldName?: string, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (value === undefined && (t.kind === 'ptr' || t.kind === 'int' || t.kind === 'float')) return { value: '<not yet assigned>', type };
  switch (t.kind) {
    case 'int':
      return { value: formatInt(ctx, value, t, fieldName), type };
    case 'float':
      return { value: String(value ?? 0), type };
    case 'void':
      return { value: 'void', type };
    case 'func':
      return { value: isFunctionValue(value) ? functionLabel(value) : String(value), type };
    case 'ptr':
      return inspectPointer(ctx, value, t, path);
    case 'array':
      return inspectArray(ctx, value, t, path);
    case 'struct':
      return inspectStruct(ctx, value, t, path);
  }
}

function formatInt(ctx: InspectContext, raw: unknown, t: IntType, fieldName?: string): string {
  const v = typeof raw === 'number' ? raw : typeof raw === 'boolean' ? (raw ? 1 : 0) : raw === undefined ? NaN : 0;
  if (Number.isNaN(v)) return '<not yet assigned>';
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

function inspectPointer(ctx: InspectContext, value: unknown, t: CType & { kind: 'ptr' }, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (value === null || value === undefined) return { value: 'NULL', type };
  if (isFunctionValue(value)) return { value: functionLabel(value), type };
  if (value instanceof IntPointer) return { value: `0x${value.addr.toString(16)}`, type };
  const addr = ctx.addresses.format(value);
  const to = t.to;
  if (to.kind === 'int' && (to.size === 1 || to.size === 2) && value instanceof Ref) {
    const s = readCString(value, MAX_STRING);
    if (s !== undefined) return { value: `0x${addr} ${to.size === 2 ? 'L' : ''}"${escape(s)}"`, type };
  }
  if (to.kind === 'void') {
    // A PVOID: show what it points at when the memory has a known type.
    const known = typeof value === 'object' && !(value instanceof Ref) ? structTypeOf(value as object) : undefined;
    if (known) return { value: `0x${addr} (${typeName(known)})`, type, expand: { named: () => [{ name: `*(${typeName(known)} *)`, ...inspect(ctx, value, known, undefined, path ? `*(${typeName(known)} *)${path}` : undefined) }] } };
    const raw = typeof value === 'object' ? rawInfo(value as object) : undefined;
    return { value: `0x${addr}${raw ? ` (${raw.size} bytes, ${raw.freed ? 'freed' : 'untyped'})` : ''}`, type };
  }
  if (to.kind === 'struct') {
    const summary = structSummary(ctx, value, to);
    return {
      value: `0x${addr}${summary ? ` ${summary}` : ''}`,
      type,
      expand: { named: () => fieldsOf(ctx, value as object, to, path ? `${path}->` : undefined) },
    };
  }
  return {
    value: `0x${addr}`,
    type,
    expand: {
      named: () => {
        let v: unknown;
        try {
          v = value instanceof Ref ? value.get() : undefined;
        } catch {
          v = undefined;
        }
        return [{ name: `*${path ?? 'p'}`, ...inspect(ctx, v, to, undefined, path ? `*${path}` : undefined) }];
      },
    },
  };
}

function inspectArray(ctx: InspectContext, value: unknown, t: CType & { kind: 'array' }, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  const arr = value instanceof Ref && Array.isArray(value.c) ? (value.c as unknown[]) : Array.isArray(value) ? value : [];
  const start = value instanceof Ref && typeof value.k === 'number' ? value.k : 0;
  const length = t.length ?? Math.max(0, arr.length - start);
  let summary = `[${length}]`;
  if (t.of.kind === 'int' && (t.of.size === 1 || t.of.size === 2)) {
    const s = readCString(new Ref(arr, start), Math.min(length, MAX_STRING));
    if (s !== undefined) summary = `${t.of.size === 2 ? 'L' : ''}"${escape(s)}"`;
  }
  return {
    value: summary,
    type,
    expand: {
      indexedCount: length,
      indexed: (from, count) => {
        const out: InspectChild[] = [];
        for (let i = from; i < Math.min(length, from + count); i++) {
          const el = arr[start + i];
          out.push({ name: `[${i}]`, evaluateName: path ? `${path}[${i}]` : undefined, ...inspect(ctx, el, t.of, undefined, path ? `${path}[${i}]` : undefined), place: t.of.kind === 'struct' || t.of.kind === 'array' ? undefined : { container: arr, key: start + i, type: t.of } });
        }
        return out;
      },
    },
  };
}

function inspectStruct(ctx: InspectContext, value: unknown, t: StructType, path?: string): Omit<InspectChild, 'name'> {
  const type = typeName(t);
  if (!value || typeof value !== 'object') return { value: '{…}', type };
  const summary = structSummary(ctx, value, t) ?? '{…}';
  return { value: summary, type, expand: { named: () => fieldsOf(ctx, value as object, t, path ? `${path}.` : undefined) } };
}

/** A short description of well-known structs, shown without expanding them. */
function structSummary(ctx: InspectContext, value: unknown, t: StructType): string | undefined {
  if (value instanceof FltCallbackData) return `{#${value.id} ${majorName(value.major)} ${value.state}}`;
  if (value instanceof LargeInteger) return String(value.QuadPart);
  const tag = t.tag;
  if (tag === '_UNICODE_STRING') {
    const us = value as UnicodeString;
    return `{"${escape(unicodeStringText(us))}" Length=${us.Length}}`;
  }
  if (tag === '_LIST_ENTRY') {
    const le = value as { Flink: unknown; Blink: unknown };
    const self = le.Flink === value && le.Blink === value;
    return self ? '{empty}' : `{Flink=0x${ctx.addresses.format(le.Flink)} Blink=0x${ctx.addresses.format(le.Blink)}}`;
  }
  return undefined;
}

function fieldsOf(ctx: InspectContext, obj: object, t: StructType, prefix?: string): InspectChild[] {
  const out: InspectChild[] = [];
  if (!t.fields) return [{ name: '(opaque)', value: `${typeName(t)} is opaque to drivers`, type: '' }];
  const rec = obj as Record<string, unknown>;
  for (const f of t.fields) {
    if (f.name.startsWith('<anonymous') && f.type.kind === 'struct') {
      // Members of an anonymous struct or union are held by the outer object (memory.ts memberFields).
      out.push(...fieldsOf(ctx, obj, f.type, prefix));
      continue;
    }
    if (obj instanceof LargeInteger && f.name === 'u') continue;
    let v: unknown;
    try {
      v = rec[f.name];
    } catch {
      v = undefined;
    }
    const evaluateName = prefix ? `${prefix}${f.name}` : undefined;
    const shown = inspect(ctx, f.type.kind === 'array' && Array.isArray(v) ? new Ref(v, 0) : v, f.type, f.name, evaluateName);
    const place = f.type.kind === 'struct' || f.type.kind === 'array' ? undefined : { container: rec, key: f.name, type: f.type };
    out.push({ name: f.name, evaluateName, ...shown, place });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\0/g, '\\0');
}

/** The field list of a struct type by name, for tests and hover. */
export function fieldNames(t: StructType): string[] {
  return (t.fields ?? []).map((f) => f.name);
}

export { findField, pointee };
