/**
 * Typed-object memory for interpreted C (the model is described in engine/kernel/cvalues.ts).
 * This module creates zeroed objects of a C type, gives raw allocations their type on first use,
 * dereferences and copies, and hands out stable synthetic addresses for `%p` and pointer-to-integer
 * casts.
 */
import { embed, LargeInteger, parentOf, rawInfo, Ref, isFunctionValue } from '../kernel/cvalues';
import { findField, offsetOf, sizeOf, IncompleteTypeError, type CType, type StructType, type Field } from '../c/types';
import { CRuntimeError } from './errors';

const STRUCT_TYPE = new WeakMap<object, StructType>();
const ARRAY_ELEMENT = new WeakMap<unknown[], CType>();
/** Scalar contents of a raw block typed as an array of scalars. */
const RAW_ELEMENTS = new WeakMap<object, unknown[]>();

export function structTypeOf(obj: object): StructType | undefined {
  return STRUCT_TYPE.get(obj);
}

export function elementTypeOf(arr: unknown[]): CType | undefined {
  return ARRAY_ELEMENT.get(arr);
}

export function isLargeIntegerType(t: StructType): boolean {
  return t.tag === '_LARGE_INTEGER' || t.tag === '_ULARGE_INTEGER';
}

const MEMBERS = new WeakMap<StructType, Field[]>();

/** An anonymous struct or union member (`union { … };` inside a struct). */
export function isAnonymousMember(f: Field): boolean {
  return f.type.kind === 'struct' && f.name.startsWith('<anonymous');
}

/**
 * The members a struct object holds as keys: the members of anonymous structs and unions are kept
 * on the outer object (as C lets code name them), which is also how the engine builds its own
 * objects (`Data.QueueLinks` of FLT_CALLBACK_DATA lives in an anonymous union).
 */
export function memberFields(t: StructType): Field[] {
  let m = MEMBERS.get(t);
  if (!m) {
    m = [];
    for (const f of t.fields ?? []) {
      if (isAnonymousMember(f)) m.push(...memberFields(f.type as StructType));
      else m.push(f);
    }
    if (t.fields) MEMBERS.set(t, m);
  }
  return m;
}

/** A pointer that came from an integer (`(PVOID)1`): only comparable and printable. */
export class IntPointer {
  constructor(readonly addr: number) {}
}

/** Zero-initialised storage of type `t`, as static storage and `= {0}` give. */
export function zeroValue(t: CType): unknown {
  switch (t.kind) {
    case 'int':
    case 'float':
      return 0;
    case 'ptr':
    case 'func':
      return null;
    case 'void':
      return undefined;
    case 'array':
      return zeroArray(t.of, t.length ?? 0);
    case 'struct':
      return zeroStruct(t);
  }
}

export function zeroArray(of: CType, length: number): unknown[] {
  const arr: unknown[] = new Array(length);
  if (of.kind === 'struct' || of.kind === 'array') {
    for (let i = 0; i < length; i++) {
      const el = zeroValue(of) as object;
      embed(arr, i, el);
    }
  } else {
    arr.fill(of.kind === 'ptr' ? null : 0);
  }
  ARRAY_ELEMENT.set(arr, of);
  return arr;
}

export function zeroStruct(t: StructType): object {
  if (isLargeIntegerType(t)) {
    const li = new LargeInteger(0);
    STRUCT_TYPE.set(li, t);
    return li;
  }
  if (!t.fields) throw new CRuntimeError('incomplete-type', `cannot create a ${t.displayName ?? t.tag}: its definition is not visible here`);
  const obj: Record<string, unknown> = {};
  fillZero(obj, t);
  return obj;
}

function fillZero(obj: Record<string, unknown>, t: StructType): void {
  STRUCT_TYPE.set(obj, t);
  for (const f of memberFields(t)) {
    const v = zeroValue(f.type);
    if (typeof v === 'object' && v !== null) embed(obj, f.name, v);
    else obj[f.name] = v;
  }
}

/**
 * Treats `obj` as a struct of type `t`: records the type and links embedded structs to it. Objects
 * created by the engine (FLT_CALLBACK_DATA…) and raw allocations are adopted on first typed access.
 */
export function adopt(obj: object, t: StructType): object {
  const known = STRUCT_TYPE.get(obj);
  if (known) return obj;
  const raw = rawInfo(obj);
  if (raw) {
    if (raw.freed) throw new CRuntimeError('use-after-free', `memory (allocation #${raw.id}) is used after it was freed`);
    if (!t.fields) throw new CRuntimeError('incomplete-type', `cannot use memory as ${t.displayName ?? t.tag}: its definition is not visible here`);
    if (isLargeIntegerType(t)) {
      throw new CRuntimeError('unsupported', 'a LARGE_INTEGER in raw pool memory is not supported; declare it inside a struct');
    }
    let size = 0;
    try {
      size = sizeOf(t);
    } catch {
      size = 0;
    }
    if (size > raw.size) {
      throw new CRuntimeError('buffer-overflow', `a ${t.displayName ?? t.tag} (${size} bytes) does not fit in the ${raw.size}-byte allocation #${raw.id}`);
    }
    fillZero(obj as Record<string, unknown>, t);
    return obj;
  }
  STRUCT_TYPE.set(obj, t);
  for (const f of memberFields(t)) {
    const v = (obj as Record<string, unknown>)[f.name];
    if (f.type.kind === 'struct' && typeof v === 'object' && v !== null && !parentOf(v)) {
      embed(obj, f.name, v);
      adopt(v, f.type);
    }
  }
  return obj;
}

/** The elements of a raw block used as an array of `of` (a wide-string buffer, a byte buffer). */
export function rawElements(block: object, of: CType): unknown[] {
  let elems = RAW_ELEMENTS.get(block);
  if (!elems) {
    const raw = rawInfo(block)!;
    if (raw.freed) throw new CRuntimeError('use-after-free', `memory (allocation #${raw.id}) is used after it was freed`);
    let each = 1;
    try {
      each = sizeOf(of);
    } catch {
      each = 1;
    }
    elems = zeroArray(of, Math.max(1, Math.floor(raw.size / Math.max(1, each))));
    RAW_ELEMENTS.set(block, elems);
    embedArrayInBlock(elems, block);
  }
  return elems;
}

const ARRAY_BLOCK = new WeakMap<unknown[], object>();

function embedArrayInBlock(arr: unknown[], block: object): void {
  ARRAY_BLOCK.set(arr, block);
}

/** The raw allocation an element pointer points into, for ExFreePool(buffer). */
export function blockOfArray(arr: unknown[]): object | undefined {
  return ARRAY_BLOCK.get(arr);
}

/** Canonical pointer to `container[key]` whose type is `t`: the object itself for structs. */
export function pointerTo(container: Record<string, unknown> | unknown[], key: string | number, t: CType): unknown {
  if (t.kind === 'struct') {
    let v = (container as Record<string | number, unknown>)[key];
    if (v === undefined || v === null) {
      v = zeroStruct(t);
      embed(container, key, v as object);
    }
    return v;
  }
  if (t.kind === 'array') {
    let v = (container as Record<string | number, unknown>)[key] as unknown[] | undefined;
    if (!Array.isArray(v)) {
      v = zeroArray(t.of, t.length ?? 0);
      embed(container, key, v);
    }
    // An array decays to a pointer to its first element; for structs that is the element itself.
    if (t.of.kind === 'struct' && v.length > 0) return pointerTo(v, 0, t.of);
    return new Ref(v, 0);
  }
  return new Ref(container, key);
}

/** The canonical form of a pointer to a `t`: a Ref to a slot holding a struct becomes the struct. */
export function canonical(p: unknown, t: CType): unknown {
  if (t.kind === 'struct' && p instanceof Ref) {
    const v = p.get();
    if (v && typeof v === 'object') return v;
    if (v === undefined && Array.isArray(p.c) && typeof p.k === 'number' && p.k >= p.c.length) return p;
    return pointerTo(p.c, p.k, t);
  }
  return p;
}

/** Reads what `ptr` points at, as a value of type `t`. */
export function load(ptr: unknown, t: CType, what: string): unknown {
  if (ptr === null || ptr === undefined) throw nullDeref(what);
  if (ptr instanceof Ref) {
    const v = ptr.get();
    if (t.kind === 'struct') {
      if (v === undefined || v === null) return pointerTo(ptr.c, ptr.k, t);
      if (typeof v === 'object') return adopt(v, t);
    }
    if (v === undefined) {
      if (Array.isArray(ptr.c) && typeof ptr.k === 'number' && (ptr.k < 0 || ptr.k >= ptr.c.length)) {
        throw new CRuntimeError('out-of-bounds', `${what} reads index ${ptr.k} of an array of ${ptr.c.length}`);
      }
      return t.kind === 'ptr' ? null : 0;
    }
    return v;
  }
  if (ptr instanceof IntPointer) throw new CRuntimeError('bad-pointer', `${what} dereferences the integer address 0x${ptr.addr.toString(16)}`);
  if (isFunctionValue(ptr)) throw new CRuntimeError('bad-pointer', `${what} dereferences a function pointer`);
  if (typeof ptr === 'object') {
    if (t.kind === 'struct') return asStruct(ptr, t, what);
    if (t.kind === 'void') throw new CRuntimeError('bad-pointer', `${what} dereferences a void pointer`);
    // A scalar read through a pointer to raw memory or to a struct's first field.
    if (rawInfo(ptr)) {
      const raw = rawInfo(ptr)!;
      if (raw.freed) throw new CRuntimeError('use-after-free', `${what} reads memory (allocation #${raw.id}) after it was freed`);
      if (!STRUCT_TYPE.has(ptr)) return rawElements(ptr, t)[0];
    }
    const first = firstMember(STRUCT_TYPE.get(ptr));
    if (first) return load(new Ref(ptr as Record<string, unknown>, first.name), t, what);
  }
  throw new CRuntimeError('bad-pointer', `${what} does not point at a ${t.kind === 'int' ? t.name : t.kind}`);
}

/** Writes through `ptr`. Struct values are copied into the target object, which keeps its identity. */
export function store(ptr: unknown, t: CType, value: unknown, what: string): void {
  if (ptr === null || ptr === undefined) throw nullDeref(what);
  if (ptr instanceof Ref) {
    if (t.kind === 'struct') {
      const target = load(ptr, t, what) as object;
      copyStruct(target, value as object, t);
      return;
    }
    ptr.set(value);
    return;
  }
  if (typeof ptr === 'object' && !(ptr instanceof IntPointer) && !isFunctionValue(ptr)) {
    if (t.kind === 'struct') {
      copyStruct(asStruct(ptr, t, what), value as object, t);
      return;
    }
    if (rawInfo(ptr) && !STRUCT_TYPE.has(ptr)) {
      rawElements(ptr, t)[0] = value;
      return;
    }
    const first = firstMember(STRUCT_TYPE.get(ptr));
    if (first) {
      (ptr as Record<string, unknown>)[first.name] = value;
      return;
    }
  }
  throw new CRuntimeError('bad-pointer', `${what} does not point at writable memory`);
}

function firstMember(t: StructType | undefined): Field | undefined {
  return t ? memberFields(t)[0] : undefined;
}

/** A struct object viewed as `t`: its own type, an untyped raw block, or its first member. */
export function asStruct(obj: object, t: StructType, what: string): object {
  const known = STRUCT_TYPE.get(obj);
  if (!known || known === t || known.tag === t.tag) return adopt(obj, t);
  // C allows a pointer to a struct to be used as a pointer to its first member, and back.
  let cur: object = obj;
  let curType: StructType = known;
  for (let depth = 0; depth < 8; depth++) {
    const first = firstMember(curType);
    if (!first || first.type.kind !== 'struct') break;
    cur = (cur as Record<string, unknown>)[first.name] as object;
    curType = first.type;
    if (curType.tag === t.tag) return cur;
  }
  const link = parentOf(obj);
  if (link) {
    const parentType = STRUCT_TYPE.get(link.parent);
    if (parentType && parentType.tag === t.tag && firstMember(parentType)?.name === link.key) return link.parent;
  }
  throw new CRuntimeError('type-mismatch', `${what} points at a ${known.displayName ?? known.tag} but is used as a ${t.displayName ?? t.tag}`);
}

/** Struct assignment: copies fields of `src` into `dst` recursively. */
export function copyStruct(dst: object, src: object, t: StructType): void {
  if (dst === src) return;
  if (dst instanceof LargeInteger && src instanceof LargeInteger) {
    dst.QuadPart = src.QuadPart;
    return;
  }
  for (const f of memberFields(t)) copyField(dst as Record<string, unknown>, src as Record<string, unknown>, f);
}

function copyField(dst: Record<string, unknown>, src: Record<string, unknown>, f: Field): void {
  const v = src[f.name];
  if (f.type.kind === 'struct') {
    const target = pointerTo(dst, f.name, f.type) as object;
    if (v && typeof v === 'object') copyStruct(target, v as object, f.type);
    else zeroInPlace(target, f.type);
    return;
  }
  if (f.type.kind === 'array') {
    const target = (pointerTo(dst, f.name, f.type) as Ref).c as unknown[];
    const from = Array.isArray(v) ? v : [];
    copyArray(target, 0, from, 0, target.length, f.type.of);
    return;
  }
  dst[f.name] = v;
}

export function copyArray(dst: unknown[], dstIndex: number, src: unknown[], srcIndex: number, count: number, of: CType): void {
  for (let i = 0; i < count; i++) {
    const v = src[srcIndex + i];
    if (of.kind === 'struct') {
      const target = pointerTo(dst, dstIndex + i, of) as object;
      if (v && typeof v === 'object') copyStruct(target, v as object, of);
    } else {
      dst[dstIndex + i] = v === undefined ? (of.kind === 'ptr' ? null : 0) : v;
    }
  }
}

/** Resets a struct to zero without replacing the objects pointers already refer to. */
export function zeroInPlace(obj: object, t: StructType): void {
  if (obj instanceof LargeInteger) {
    obj.QuadPart = 0;
    return;
  }
  const rec = obj as Record<string, unknown>;
  for (const f of memberFields(t)) {
    const v = rec[f.name];
    if (f.type.kind === 'struct' && v && typeof v === 'object') zeroInPlace(v as object, f.type);
    else if (f.type.kind === 'array' && Array.isArray(v)) {
      const of = f.type.of;
      for (let i = 0; i < v.length; i++) {
        if (of.kind === 'struct' && v[i] && typeof v[i] === 'object') zeroInPlace(v[i] as object, of);
        else v[i] = of.kind === 'ptr' ? null : 0;
      }
    } else rec[f.name] = zeroValue(f.type);
  }
}

/** The field chain to reach `name` in struct `t` (through anonymous members), or an error. */
export function fieldChain(t: StructType, name: string, what: string): Field[] {
  const chain = findField(t, name);
  if (!chain) throw new CRuntimeError('no-field', `${what}: ${t.displayName ?? t.tag} has no field '${name}'`);
  return chain;
}

export function nullDeref(what: string): CRuntimeError {
  return new CRuntimeError('null-dereference', `NULL pointer dereference: ${what} is NULL (on Windows this bug-checks with PAGE_FAULT_IN_NONPAGED_AREA)`);
}

// ---- synthetic addresses ---------------------------------------------------------------------

/**
 * Stable synthetic addresses, assigned in order of first request. One space per run, so every run
 * and every replay of the same scenario prints the same `%p` values.
 */
export class AddressSpace {
  private readonly byObject = new WeakMap<object, number>();
  private readonly byAddress = new Map<number, WeakRef<object>>();
  private next = 0xa000_0000_0000;

  addressOf(value: unknown): number {
    if (value === null || value === undefined) return 0;
    if (value instanceof IntPointer) return value.addr;
    if (value instanceof Ref) {
      const base = this.addressOf(value.c);
      if (typeof value.k === 'number') {
        const of = Array.isArray(value.c) ? ARRAY_ELEMENT.get(value.c) : undefined;
        return base + value.k * safeSize(of);
      }
      const st = STRUCT_TYPE.get(value.c);
      if (st) {
        try {
          sizeOf(st);
          return base + (st.layout?.offsets.get(value.k) ?? (findField(st, value.k) ? offsetOf(st, [value.k]) : 0));
        } catch {
          return base;
        }
      }
      return base;
    }
    if (typeof value === 'object') {
      let a = this.byObject.get(value);
      if (a === undefined) {
        a = this.next;
        this.next += 0x100;
        this.byObject.set(value, a);
        this.byAddress.set(a, new WeakRef(value));
      }
      return a;
    }
    if (typeof value === 'number') return value;
    return 0;
  }

  /** The object an integer address came from, if it is one we handed out. */
  objectAt(addr: number): object | undefined {
    return this.byAddress.get(addr)?.deref();
  }

  /** `%p` formatting: kernel-looking 64-bit addresses. */
  format(value: unknown): string {
    const a = this.addressOf(value);
    if (a === 0) return '0000000000000000';
    if (value instanceof IntPointer) return a.toString(16).padStart(16, '0');
    return `ffff${a.toString(16).padStart(12, '0')}`;
  }
}

function safeSize(t: CType | undefined): number {
  if (!t) return 1;
  try {
    return sizeOf(t);
  } catch (e) {
    if (e instanceof IncompleteTypeError) return 1;
    throw e;
  }
}
