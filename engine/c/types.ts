/**
 * C types as the Windows x64 compiler lays them out (LLP64: `long` is 4 bytes, pointers 8).
 * Struct types are shared objects so a forward declaration can be completed later; `alias` keeps
 * the typedef name the user wrote, which is what the debugger shows (`PFLT_CALLBACK_DATA`, not
 * `struct _FLT_CALLBACK_DATA *`).
 */

export interface TypeBase {
  /** Typedef name the type was reached through, for display. */
  alias?: string;
  const?: boolean;
  volatile?: boolean;
}

export interface VoidType extends TypeBase {
  kind: 'void';
}

export interface IntType extends TypeBase {
  kind: 'int';
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  /** Spelling for display: `unsigned long`, `char`. */
  name: string;
  /** An enum's name when the integer is an enum (values print by name). */
  enumName?: string;
  /** Bool-ish (BOOLEAN, _Bool): prints TRUE/FALSE. */
  boolean?: boolean;
}

export interface FloatType extends TypeBase {
  kind: 'float';
  size: 4 | 8;
}

export interface PointerType extends TypeBase {
  kind: 'ptr';
  to: CType;
}

export interface ArrayType extends TypeBase {
  kind: 'array';
  of: CType;
  /** undefined for `T x[]` (completed by an initializer) or a flexible member. */
  length?: number;
}

export interface Field {
  name: string;
  type: CType;
  /** Bit-field width, if any. */
  bits?: number;
  /** Alignment the declaration asks for (`DECLSPEC_ALIGN(8)`, `POINTER_ALIGNMENT`, `_Alignas`). */
  align?: number;
}

export interface StructType extends TypeBase {
  kind: 'struct';
  union: boolean;
  /** Tag (`_FLT_CALLBACK_DATA`) or a generated `<anonymous N>`. */
  tag: string;
  /** undefined while incomplete (forward-declared or opaque). */
  fields?: Field[];
  /** Cached layout. */
  layout?: Layout;
  /** The first typedef name given to it (`INSTANCE_CONTEXT`), for display. */
  displayName?: string;
  /** `#pragma pack(n)` in effect where the body was written: no member is aligned beyond n. */
  pack?: number;
}

export interface FunctionType extends TypeBase {
  kind: 'func';
  ret: CType;
  params: { name?: string; type: CType }[];
  variadic: boolean;
  /** `f()` in C: unknown parameters. */
  unprototyped?: boolean;
}

export type CType = VoidType | IntType | FloatType | PointerType | ArrayType | StructType | FunctionType;

export interface Layout {
  size: number;
  align: number;
  offsets: Map<string, number>;
}

export const VOID: VoidType = { kind: 'void' };
export const CHAR: IntType = { kind: 'int', size: 1, signed: true, name: 'char' };
export const SCHAR: IntType = { kind: 'int', size: 1, signed: true, name: 'signed char' };
export const UCHAR: IntType = { kind: 'int', size: 1, signed: false, name: 'unsigned char' };
export const SHORT: IntType = { kind: 'int', size: 2, signed: true, name: 'short' };
export const USHORT: IntType = { kind: 'int', size: 2, signed: false, name: 'unsigned short' };
export const INT: IntType = { kind: 'int', size: 4, signed: true, name: 'int' };
export const UINT: IntType = { kind: 'int', size: 4, signed: false, name: 'unsigned int' };
export const LONG: IntType = { kind: 'int', size: 4, signed: true, name: 'long' };
export const ULONG: IntType = { kind: 'int', size: 4, signed: false, name: 'unsigned long' };
export const LONGLONG: IntType = { kind: 'int', size: 8, signed: true, name: 'long long' };
export const ULONGLONG: IntType = { kind: 'int', size: 8, signed: false, name: 'unsigned long long' };
export const BOOL: IntType = { kind: 'int', size: 1, signed: false, name: '_Bool', boolean: true };
export const WCHAR_T: IntType = { kind: 'int', size: 2, signed: false, name: 'wchar_t' };
export const DOUBLE: FloatType = { kind: 'float', size: 8 };
export const FLOAT: FloatType = { kind: 'float', size: 4 };
export const SIZE_T: IntType = { ...ULONGLONG, alias: 'size_t' };
export const PTRDIFF_T: IntType = { ...LONGLONG, alias: 'ptrdiff_t' };
export const VOID_PTR: PointerType = { kind: 'ptr', to: VOID };

export function pointerTo(t: CType): PointerType {
  return { kind: 'ptr', to: t };
}

/**
 * The type reached through a typedef name. Struct types stay the one shared object (a copy would
 * miss fields completed later); the first typedef naming a struct becomes its display name.
 */
export function withAlias<T extends CType>(t: T, alias: string): T {
  if (t.kind === 'struct') {
    t.displayName ??= alias;
    return t;
  }
  return { ...t, alias };
}

export function isInteger(t: CType): t is IntType {
  return t.kind === 'int';
}

export function isArithmetic(t: CType): t is IntType | FloatType {
  return t.kind === 'int' || t.kind === 'float';
}

export function isPointerLike(t: CType): boolean {
  return t.kind === 'ptr' || t.kind === 'array' || t.kind === 'func';
}

export function isScalar(t: CType): boolean {
  return t.kind === 'int' || t.kind === 'float' || t.kind === 'ptr';
}

/** The type a pointer or array refers to. */
export function pointee(t: CType): CType | undefined {
  if (t.kind === 'ptr') return t.to;
  if (t.kind === 'array') return t.of;
  return undefined;
}

export class IncompleteTypeError extends Error {}

/** Sizes and alignment, x64. Throws IncompleteTypeError for opaque structs and `void`. */
export function sizeOf(t: CType): number {
  switch (t.kind) {
    case 'void':
      throw new IncompleteTypeError('void has no size');
    case 'int':
    case 'float':
      return t.size;
    case 'ptr':
      return 8;
    case 'func':
      throw new IncompleteTypeError('a function has no size');
    case 'array':
      if (t.length === undefined) throw new IncompleteTypeError('an array of unknown length has no size');
      return t.length * sizeOf(t.of);
    case 'struct':
      return layoutOf(t).size;
  }
}

export function alignOf(t: CType): number {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.size;
    case 'ptr':
      return 8;
    case 'array':
      return alignOf(t.of);
    case 'struct':
      return layoutOf(t).align;
    default:
      return 1;
  }
}

/**
 * MSVC's x64 rules: each member at the next multiple of its alignment (its type's, capped by
 * `#pragma pack`, raised by an explicit `DECLSPEC_ALIGN`); the size rounded up to the largest
 * alignment. Bit-fields share a unit of their declared type's size while they fit and the declared
 * size does not change. A flexible array member adds no size.
 */
export function layoutOf(t: StructType): Layout {
  if (t.layout) return t.layout;
  if (!t.fields) throw new IncompleteTypeError(`struct ${t.tag} is opaque or incomplete here`);
  const offsets = new Map<string, number>();
  let size = 0;
  let align = 1;
  let bitUnit = -1;
  let bitUsed = 0;
  let bitUnitSize = 0;
  for (const f of t.fields) {
    let fa = alignOf(f.type);
    if (t.pack !== undefined) fa = Math.min(fa, t.pack);
    if (f.align !== undefined) fa = Math.max(fa, f.align);
    if (f.bits !== undefined) {
      const unitSize = sizeOf(f.type);
      align = Math.max(align, fa);
      if (bitUnit < 0 || bitUnitSize !== unitSize || bitUsed + f.bits > unitSize * 8 || t.union) {
        const off = t.union ? 0 : Math.ceil(size / fa) * fa;
        bitUnit = off;
        bitUsed = 0;
        bitUnitSize = unitSize;
        if (!t.union) size = off + unitSize;
        else size = Math.max(size, unitSize);
      }
      offsets.set(f.name, bitUnit);
      bitUsed += f.bits;
      continue;
    }
    align = Math.max(align, fa);
    bitUnit = -1;
    const fs = f.type.kind === 'array' && f.type.length === undefined ? 0 : sizeOf(f.type);
    if (t.union) {
      offsets.set(f.name, 0);
      size = Math.max(size, fs);
    } else {
      const off = Math.ceil(size / fa) * fa;
      offsets.set(f.name, off);
      size = off + fs;
    }
  }
  size = Math.ceil(size / align) * align;
  t.layout = { size, align, offsets };
  return t.layout;
}

/** Finds a field, looking through anonymous struct/union members; returns the path to it. */
export function findField(t: StructType, name: string): Field[] | undefined {
  if (!t.fields) return undefined;
  for (const f of t.fields) {
    if (f.name === name) return [f];
  }
  for (const f of t.fields) {
    if (f.name.startsWith('<anonymous') && f.type.kind === 'struct') {
      const inner = findField(f.type, name);
      if (inner) return [f, ...inner];
    }
  }
  return undefined;
}

export function offsetOf(t: StructType, path: string[]): number {
  let cur: CType = t;
  let off = 0;
  for (const name of path) {
    if (cur.kind !== 'struct') throw new Error(`'${name}' is not a field of a non-struct`);
    const chain = findField(cur, name);
    if (!chain) throw new Error(`struct ${cur.tag} has no field '${name}'`);
    for (const f of chain) {
      off += layoutOf(cur as StructType).offsets.get(f.name)!;
      cur = f.type;
    }
  }
  return off;
}

/** How the debugger spells a type: the typedef name when there is one. */
export function typeName(t: CType): string {
  if (t.alias) return t.alias;
  switch (t.kind) {
    case 'void':
      return 'void';
    case 'int':
      return t.enumName ? `enum ${t.enumName}` : t.name;
    case 'float':
      return t.size === 4 ? 'float' : 'double';
    case 'ptr':
      return t.to.kind === 'func' ? `${typeName(t.to.ret)} (*)(…)` : `${typeName(t.to)} *`;
    case 'array':
      return `${typeName(t.of)}[${t.length ?? ''}]`;
    case 'struct':
      return t.displayName ?? `${t.union ? 'union' : 'struct'} ${t.tag}`;
    case 'func':
      return `${typeName(t.ret)} (${t.params.map((p) => typeName(p.type)).join(', ')}${t.variadic ? ', ...' : ''})`;
  }
}

/** Strips typedef display names and qualifiers, for comparisons. */
export function sameType(a: CType, b: CType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'void':
      return true;
    case 'int':
      return a.size === (b as IntType).size && a.signed === (b as IntType).signed;
    case 'float':
      return a.size === (b as FloatType).size;
    case 'ptr':
      return sameType(a.to, (b as PointerType).to);
    case 'array':
      return sameType(a.of, (b as ArrayType).of);
    case 'struct':
      return a.tag === (b as StructType).tag && a.union === (b as StructType).union;
    case 'func':
      return true;
  }
}

/** Strips qualifiers and aliases from a struct type to its shared definition object. */
export function structOf(t: CType | undefined): StructType | undefined {
  return t?.kind === 'struct' ? t : undefined;
}
