/**
 * Pointer arithmetic, comparison and truth on the typed-object memory model.
 */
import { parentOf, rawInfo, Ref, isFunctionValue } from '../kernel/cvalues';
import { layoutOf, offsetOf, sizeOf, type CType, type StructType } from '../c/types';
import { CRuntimeError } from './errors';
import { asStruct, canonical, IntPointer, memberFields, pointerTo, rawElements, structTypeOf, type AddressSpace } from './memory';

export function truthy(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (v instanceof IntPointer) return v.addr !== 0;
  return true;
}

export function pointersEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) {
    const other = a === null ? b : a;
    return other === null || other === 0 || (other instanceof IntPointer && other.addr === 0);
  }
  if (a instanceof Ref) return a.equals(b) || (b instanceof Ref ? false : refIsObject(a, b));
  if (b instanceof Ref) return refIsObject(b, a);
  if (a instanceof IntPointer && b instanceof IntPointer) return a.addr === b.addr;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return false;
}

/** A Ref to a slot holding a struct and the struct object itself are the same address. */
function refIsObject(r: Ref, o: unknown): boolean {
  return typeof o === 'object' && o !== null && r.get() === o;
}

/** `p + n` for a pointer to `elem`. */
export function pointerAdd(p: unknown, n: number, elem: CType, what: string): unknown {
  if (n === 0) return canonical(p, elem);
  if (p === null || p === undefined) throw new CRuntimeError('null-dereference', `pointer arithmetic on NULL (${what})`);
  if (p instanceof IntPointer) return new IntPointer(p.addr + n * safeSize(elem));
  if (p instanceof Ref) {
    if (Array.isArray(p.c) && typeof p.k === 'number') {
      const idx = p.k + n;
      if (elem.kind === 'struct') return elementPointer(p.c, idx, elem, what);
      return new Ref(p.c, idx);
    }
    throw new CRuntimeError('unsupported', `${what}: pointer arithmetic away from a single field is not supported`);
  }
  if (isFunctionValue(p)) throw new CRuntimeError('bad-pointer', `${what}: arithmetic on a function pointer`);
  if (typeof p === 'object') {
    const link = parentOf(p);
    if (link && Array.isArray(link.parent) && typeof link.key === 'number') {
      const idx = link.key + n;
      if (elem.kind === 'struct') return elementPointer(link.parent, idx, elem, what);
      return new Ref(link.parent, idx);
    }
    if (elem.kind === 'int' && elem.size === 1) return byteOffset(p, n, what);
    if (rawInfo(p) && !structTypeOf(p) && elem.kind !== 'struct') return new Ref(rawElements(p, elem), n);
    throw new CRuntimeError('unsupported', `${what}: pointer arithmetic on a single object (not an array element) is not supported`);
  }
  throw new CRuntimeError('bad-pointer', `${what}: arithmetic on a non-pointer`);
}

function elementPointer(arr: unknown[], idx: number, elem: CType, what: string): unknown {
  if (idx === arr.length) return new Ref(arr, idx); // one past the end: comparable, not readable
  if (idx < 0 || idx > arr.length) throw new CRuntimeError('out-of-bounds', `${what}: index ${idx} is outside an array of ${arr.length}`);
  return pointerTo(arr, idx, elem);
}

/** `(PUCHAR)obj + off`: the field of `obj` that starts at byte `off`. */
function byteOffset(obj: object, off: number, what: string): unknown {
  const st = structTypeOf(obj);
  if (st) {
    layoutOf(st);
    for (const f of memberFields(st)) {
      if (offsetOf(st, [f.name]) === off) return pointerTo(obj as Record<string, unknown>, f.name, f.type);
    }
  }
  throw new CRuntimeError('unsupported', `${what}: a byte offset of ${off} into ${st ? st.displayName ?? st.tag : 'this object'} does not start a field (fltsim memory is typed, not raw bytes)`);
}

/** `p - q` in elements. */
export function pointerDiff(a: unknown, b: unknown, what: string): number {
  const pa = position(a);
  const pb = position(b);
  if (pa && pb && pa.arr === pb.arr) return pa.idx - pb.idx;
  throw new CRuntimeError('unsupported', `${what}: subtracting pointers that are not into the same array`);
}

/** Relational comparison; pointers into one array compare by index, others by address. */
export function pointerCompare(a: unknown, b: unknown, space: AddressSpace): number {
  const pa = position(a);
  const pb = position(b);
  if (pa && pb && pa.arr === pb.arr) return pa.idx - pb.idx;
  return space.addressOf(a) - space.addressOf(b);
}

function position(p: unknown): { arr: unknown[]; idx: number } | undefined {
  if (p instanceof Ref && Array.isArray(p.c) && typeof p.k === 'number') return { arr: p.c, idx: p.k };
  if (typeof p === 'object' && p !== null) {
    const link = parentOf(p);
    if (link && Array.isArray(link.parent) && typeof link.key === 'number') return { arr: link.parent, idx: link.key };
  }
  return undefined;
}

function safeSize(t: CType): number {
  try {
    return sizeOf(t);
  } catch {
    return 1;
  }
}

/** CONTAINING_RECORD: from a pointer to a field back to the struct that holds it. */
export function containingRecord(p: unknown, st: StructType, path: string[], what: string): unknown {
  if (p === null || p === undefined) throw new CRuntimeError('null-dereference', `CONTAINING_RECORD of NULL (${what}); on Windows this yields a bogus pointer that faults when used`);
  let holder: unknown;
  let key: string | number;
  if (p instanceof Ref) {
    holder = p.c;
    key = p.k;
  } else if (typeof p === 'object') {
    const link = parentOf(p as object);
    if (!link) throw new CRuntimeError('type-mismatch', `CONTAINING_RECORD(${what}, ${st.displayName ?? st.tag}, ${path.join('.')}): ${what} is not a field of any struct`);
    holder = link.parent;
    key = link.key;
  } else {
    throw new CRuntimeError('bad-pointer', `CONTAINING_RECORD of a non-pointer (${what})`);
  }
  // Walk up the path from its last component: holder is the innermost struct.
  for (let i = path.length - 1; i >= 0; i--) {
    if (key !== path[i]) {
      throw new CRuntimeError('type-mismatch', `CONTAINING_RECORD(${what}, ${st.displayName ?? st.tag}, ${path.join('.')}): the pointer is to field '${String(key)}', not '${path[i]}'`);
    }
    if (i > 0) {
      const link = parentOf(holder as object);
      if (!link) throw new CRuntimeError('type-mismatch', `CONTAINING_RECORD: cannot walk up from '${path[i]}'`);
      holder = link.parent;
      key = link.key;
    }
  }
  return asStruct(holder as object, st, what);
}
