/**
 * Typed views: how code that is not interpreted C — the engine reading a driver's FLT_REGISTRATION
 * or filling a KEY_VALUE_PARTIAL_INFORMATION, the debugger showing a struct, TypeScript tests —
 * reads and writes byte memory by field name. A view is (allocation, offset, struct type); each
 * struct type gets one class whose prototype has an accessor per field (made once, so V8 caches
 * them like ordinary properties). Reading `view.Length` loads the bytes now; embedded structs are
 * views too, arrays are ArrayViews, pointer fields hold pointer values — or, for a pointer to a
 * handle or to an engine object's memory, that engine object.
 */
import { sizeOf, typeName, type CType, type IntType, type StructType } from '../c/types';
import type { Allocation, PointerValue } from './allocation';
import { MemoryError } from './errors';
import { ownerOf, Ptr, resolve, type AllocPtr } from './pointer';
import { fieldPlaces, loadAt, loadBits, storeAt, storeBits, type FieldPlace } from './typed';

/** What every view has besides its fields (the `$` keeps them apart from C field names). */
export interface ViewBase {
  readonly $alloc: Allocation;
  readonly $offset: number;
  readonly $type: StructType;
  /** A pointer to the viewed struct. */
  readonly $ptr: Ptr;
}

/** A struct seen through its fields: `view.Length`, `view.Buffer`, `view.Iopb.MajorFunction`. */
export type StructView = ViewBase & Record<string, unknown>;

type ViewClass = new (alloc: Allocation, offset: number) => StructView;

const CLASSES = new WeakMap<StructType, ViewClass>();

class View {
  declare readonly $alloc: Allocation;
  declare readonly $offset: number;

  get $ptr(): Ptr {
    return new Ptr(this.$alloc, this.$offset);
  }
}

/** A view of the struct of type `st` at `offset` of `alloc`. */
export function viewAt(alloc: Allocation, offset: number, st: StructType): StructView {
  return new (viewClass(st))(alloc, offset);
}

/** A view of the struct `p` points at; NULL and wild pointers are errors, bounds are checked per field. */
export function viewOf(p: PointerValue | undefined, st: StructType): StructView {
  const r = resolve(p, structSize(st), 'reads');
  return viewAt(r.alloc, r.offset, st);
}

export function isView(v: unknown): v is StructView {
  return v instanceof View;
}

function structSize(st: StructType): number {
  try {
    return sizeOf(st);
  } catch {
    throw new MemoryError('bad-pointer', `${typeName(st)} is incomplete here: its fields are not known`);
  }
}

function viewClass(st: StructType): ViewClass {
  let C = CLASSES.get(st);
  if (C !== undefined) return C;
  if (!st.fields) throw new MemoryError('bad-pointer', `${typeName(st)} is incomplete here: its fields are not known`);
  // A plain constructor per struct type (no class fields, no derived-constructor spread): views are
  // made on every kernel call that takes a struct pointer.
  const ctor = function (this: { $alloc: Allocation; $offset: number }, alloc: Allocation, offset: number) {
    this.$alloc = alloc;
    this.$offset = offset;
  };
  const proto = Object.create(View.prototype);
  Object.defineProperty(proto, '$type', { value: st });
  for (const place of fieldPlaces(st).values()) Object.defineProperty(proto, place.name, accessor(place));
  ctor.prototype = proto;
  C = ctor as unknown as ViewClass;
  CLASSES.set(st, C);
  return C;
}

function accessor(place: FieldPlace): PropertyDescriptor {
  const off = place.offset;
  const t = place.type;
  if (place.bits !== undefined) {
    const unit = t as IntType;
    const bitOffset = place.bitOffset!;
    const bits = place.bits;
    return {
      get(this: View) {
        return loadBits(this.$alloc, this.$offset + off, unit, bitOffset, bits);
      },
      set(this: View, v: number | bigint) {
        storeBits(this.$alloc, this.$offset + off, unit, bitOffset, bits, v);
      },
    };
  }
  switch (t.kind) {
    case 'ptr':
      // Engine code reads a handle or an engine object's memory as that object.
      return {
        get(this: View) {
          const v = loadAt(this.$alloc, this.$offset + off, t);
          return ownerOf(v) ?? v;
        },
        set(this: View, v: unknown) {
          storeAt(this.$alloc, this.$offset + off, t, v);
        },
      };
    case 'int':
    case 'float':
      return {
        get(this: View) {
          return loadAt(this.$alloc, this.$offset + off, t);
        },
        set(this: View, v: unknown) {
          storeAt(this.$alloc, this.$offset + off, t, v);
        },
      };
    case 'struct':
      return {
        get(this: View) {
          return viewAt(this.$alloc, this.$offset + off, t);
        },
        set(this: View, v: ViewBase) {
          this.$alloc.copyFrom(v.$alloc, v.$offset, this.$offset + off, sizeOf(t));
        },
      };
    case 'array':
      return {
        get(this: View) {
          return new ArrayView(this.$alloc, this.$offset + off, t.of, t.length ?? 0);
        },
      };
    default:
      return {
        get() {
          throw new MemoryError('bad-pointer', `field '${place.name}' has type ${typeName(t)}, which has no value`);
        },
      };
  }
}

/** An array in memory: elements by index (views for struct elements), and pointers to them. */
export class ArrayView {
  private readonly stride: number;
  constructor(
    readonly alloc: Allocation,
    readonly offset: number,
    readonly elem: CType,
    /** Declared length (0 for a flexible array member, which `get` still reads past). */
    readonly length: number,
  ) {
    this.stride = sizeOf(elem);
  }

  get(i: number): unknown {
    const at = this.offset + i * this.stride;
    const e = this.elem;
    if (e.kind === 'struct') return viewAt(this.alloc, at, e);
    if (e.kind === 'array') return new ArrayView(this.alloc, at, e.of, e.length ?? 0);
    return loadAt(this.alloc, at, e);
  }

  set(i: number, v: unknown): void {
    storeAt(this.alloc, this.offset + i * this.stride, this.elem, v);
  }

  pointer(i = 0): Ptr {
    return new Ptr(this.alloc, this.offset + i * this.stride);
  }

  toArray(): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.get(i));
    return out;
  }
}

/**
 * One scalar in memory as a get/set cell: what routines receive for out-parameters such as
 * `PFLT_CONTEXT *Context` or `PHANDLE`, so they write the caller's variable through its type.
 */
export class Cell<T = unknown> {
  constructor(
    readonly ptr: AllocPtr,
    readonly type: CType,
  ) {}

  static of<T = unknown>(p: PointerValue | undefined, type: CType): Cell<T> {
    return new Cell<T>(resolve(p, sizeOf(type), 'writes'), type);
  }

  get(): T {
    return loadAt(this.ptr.alloc, this.ptr.offset, this.type) as T;
  }

  set(v: T): void {
    storeAt(this.ptr.alloc, this.ptr.offset, this.type, v);
  }
}
