/**
 * The binding layer between C memory and the engine's TypeScript. C holds pointers into byte memory
 * (engine/memory); routines and engine objects work with JS values. Converting by the C type at the
 * boundary keeps both sides natural:
 *
 * C → engine (`fromC`, a routine's arguments and a callback's result):
 *   - a pointer to the start of an engine object's memory or to a handle → that engine object;
 *   - a pointer to a struct in driver memory → a typed view (`view.Length`, `view.Buffer`);
 *   - a pointer to a scalar (`PKIRQL`, `PVOID *`, `PHANDLE`) → a cell with get/set;
 *   - anything else (PVOID buffers, contexts) → the pointer itself.
 * engine → C (`toC`, a callback's arguments and a routine's result):
 *   - an engine object with a C layout (FLT_CALLBACK_DATA…) → its memory, made on first use;
 *   - any other engine object → its handle (one opaque allocation per object);
 *   - engine-held characters and buffers → allocations made on first use;
 *   - a JS out-cell (`Ref`) → a pointer to engine memory, copied back when the callback returns.
 */
import { sizeOf, type CType, type IntType, type StructType } from '../c/types';
import type { Allocation, PointerValue } from '../memory/allocation';
import { MemoryError } from '../memory/errors';
import { ownerOf, Ptr, type AllocPtr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { encodeChars } from '../memory/strings';
import { fieldPlaces, loadAt, storeAt, storeBits } from '../memory/typed';
import { ArrayView, Cell, isView, viewAt, viewOf, type StructView } from '../memory/view';
import { isFunctionValue, makeUnicodeString, Ref, WideText } from './cvalues';

/** An engine object that C code reads and writes in place (FLT_CALLBACK_DATA, FILE_OBJECT…). */
export interface CObject {
  /** This object's address in C memory, laid out and filled the first time it is asked for. */
  cAddress(m: Marshal): AllocPtr;
}

export function isCObject(v: unknown): v is CObject {
  return typeof v === 'object' && v !== null && typeof (v as CObject).cAddress === 'function';
}

/**
 * A buffer the engine offers C (a read's user buffer): memory made on first use, zero-filled or
 * holding `contents` (what the file system or the scenario put there before C looked).
 */
export class EngineBuffer {
  contents: Uint8Array | undefined = undefined;

  constructor(
    readonly length: number,
    readonly label: string,
    /** A user-mode program's buffer: its memory is made at a user-space address. */
    readonly user = false,
  ) {}
}

export class Marshal {
  private readonly made = new WeakMap<object, AllocPtr>();

  constructor(readonly space: AddressSpace) {
    // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
    const toPointer = (v: object): PointerValue => this.pointerFor(v);
    space.toPointer = toPointer;
  }

  /**
   * Where WDK struct layouts come from: the built-in headers, installed by the interpreter when C
   * code is loaded (the kernel itself stays free of the C front end; runs without C never need one).
   */
  layouts: ((tag: string) => StructType) | undefined = undefined;

  /** A WDK struct as the built-in headers lay it out. */
  struct(tag: string): StructType {
    if (this.layouts === undefined) throw new Error(`no C layouts are loaded, so struct ${tag} cannot be laid out (only C code needs it)`);
    return this.layouts(tag);
  }

  /** A fresh view over zero-filled engine memory for an engine object of struct type `tag`. */
  layOut(owner: object, tag: string, label: string): StructView {
    const st = this.struct(tag);
    const a = this.space.allocate('engine', sizeOf(st), { owner, label, zeroed: true, type: st });
    return viewAt(a, 0, st);
  }

  /** A UNICODE_STRING holding `text`, laid out in engine memory so C can read its fields and characters. */
  unicodeString(text: string): AllocPtr {
    // No owner: a routine C passes it to reads it as the UNICODE_STRING it is, not as an engine object.
    const st = this.struct('_UNICODE_STRING');
    const a = this.space.allocate('engine', sizeOf(st), { label: `UNICODE_STRING "${text.length > 24 ? `${text.slice(0, 24)}…` : text}"`, zeroed: true, type: st });
    const us = viewAt(a, 0, st);
    this.writeFields(us, makeUnicodeString(text), true);
    return us.$ptr as AllocPtr;
  }

  /** The C pointer for an engine value stored where C expects a pointer. */
  pointerFor(v: object): PointerValue {
    if (isCObject(v)) return v.cAddress(this);
    if (v instanceof WideText || v instanceof EngineBuffer) {
      let p = this.made.get(v);
      if (p === undefined) {
        if (v instanceof WideText) {
          const bytes = encodeChars(v.text, 2, true);
          p = this.space.pointer(this.space.allocate('engine', bytes.length, { label: `characters "${v.text.length > 24 ? `${v.text.slice(0, 24)}…` : v.text}"`, contents: bytes }));
        } else {
          p = this.space.pointer(this.space.allocate(v.user ? 'user' : 'engine', v.length, { label: `${v.label} (${v.length} bytes)`, zeroed: true }));
          if (v.contents !== undefined) p.alloc.writeBytes(0, v.contents.subarray(0, v.length));
        }
        this.made.set(v, p);
      }
      return p;
    }
    if (v instanceof Ref) throw new MemoryError('bad-pointer', 'an out-parameter cell can only be passed to a callback');
    return this.space.handleFor(v, handleLabel);
  }

  /** The memory of an engine buffer or text if C has needed it already, else undefined. */
  madeFor(v: EngineBuffer | WideText): AllocPtr | undefined {
    return this.made.get(v);
  }

  /** An engine value as C sees it in a slot of type `t` (a callback argument, a routine's result). */
  toC(v: unknown, t: CType | undefined): unknown {
    if (v === undefined) return t === undefined || t.kind === 'void' ? undefined : t.kind === 'ptr' ? null : 0;
    if (v === null) return v;
    // A handle-like value the engine keeps as an integer (a process id as a HANDLE): C holds a pointer.
    if (typeof v === 'number' || typeof v === 'bigint') return t?.kind === 'ptr' ? this.space.fromAddress(v) : v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'object') throw new MemoryError('bad-pointer', `a ${typeof v} cannot be passed to C`);
    if (v instanceof Ptr || isFunctionValue(v)) return v;
    if (t?.kind === 'struct') return this.structValue(v, t);
    return this.space.pointerValue(v);
  }

  /** A struct passed or returned by value: a temporary holding the engine object's fields. */
  private structValue(v: object, st: StructType): AllocPtr {
    if (isView(v)) return v.$ptr as AllocPtr;
    const p = this.space.pointer(this.space.allocate('temporary', sizeOf(st), { label: `temporary ${st.displayName ?? st.tag}`, zeroed: true }));
    this.writeFields(viewAt(p.alloc, 0, st), v, true);
    return p;
  }

  /** Writes an engine object's own fields into a view (see writeFields). */
  writeFields(view: StructView, src: object, fresh = false): void {
    writeFields(view, src, fresh);
  }

  /**
   * The struct a pointer field of a view points at, as a view of struct `tag`; an engine or
   * TypeScript object passes through, NULL gives null.
   */
  deref<T>(v: unknown, tag: string): T | null {
    if (v === null || v === undefined) return null;
    if (v instanceof Ptr) return (ownerOf(v) ?? viewOf(v, this.struct(tag))) as T;
    return v as T;
  }

  /** A C value as the engine works with it, for a parameter of type `t` (see the header). */
  fromC(v: unknown, t: CType | undefined): unknown {
    if (!(v instanceof Ptr)) return v;
    const owner = ownerOf(v);
    if (owner !== undefined) return owner;
    if (t === undefined || t.kind !== 'ptr' || v.alloc === null) return v;
    const to = t.to;
    if (to.kind === 'struct') return to.fields ? viewAt(v.alloc, v.offset, to) : v;
    if (to.kind === 'int' || to.kind === 'float' || to.kind === 'ptr') return new Cell(v as AllocPtr, to);
    return v;
  }

  /**
   * The arguments of a C function the engine calls, converted by its parameter types. A `Ref`
   * becomes a pointer to engine memory holding its value; `copyBack` writes what the function left
   * there back into the Ref.
   */
  argumentsToC(args: readonly unknown[], params: readonly { type: CType }[]): { values: unknown[]; copyBack: (() => void) | undefined } {
    const values: unknown[] = new Array(args.length);
    let backs: (() => void)[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const t = params[i]?.type;
      if (a instanceof Ref && t?.kind === 'ptr') {
        const to = t.to;
        const cell = this.space.pointer(this.space.allocate('engine', sizeOf(to), { label: `out-parameter ${String(a.k)}`, zeroed: true }));
        storeAt(cell.alloc, 0, to, this.toC(a.get(), to));
        values[i] = cell;
        (backs ??= []).push(() => {
          a.set(this.fromC(loadAt(cell.alloc, 0, to), to));
          // The engine's variable ends with the call: a pointer C kept to it is now dangling.
          this.space.free(cell.alloc);
        });
      } else {
        values[i] = this.toC(a, t);
      }
    }
    return { values, copyBack: backs && (() => backs!.forEach((b) => b())) };
  }
}

/**
 * Writes an engine object's own fields into a view, by C field name (engine-private fields have
 * lowercase names no WDK struct uses, and are skipped). Embedded structs and arrays recurse;
 * pointer fields take engine objects, which become their C addresses. Into `fresh` memory (zeroed,
 * just laid out) zeros and NULLs need no writing.
 */
export function writeFields(view: StructView, src: object, fresh = false): void {
  writeFieldsAt(view.$alloc, view.$offset, view.$type, src, fresh);
}

/**
 * writeFields on (allocation, offset, type): stores go straight to the typed stores a view's
 * accessors would call, since a keyed store through a view of each struct type is megamorphic
 * and this runs for every engine object C first sees.
 */
function writeFieldsAt(alloc: Allocation, base: number, st: StructType, src: object, fresh: boolean): void {
  const places = fieldPlaces(st);
  for (const key of Object.keys(src)) {
    const place = places.get(key);
    if (place === undefined) continue;
    const value = (src as Record<string, unknown>)[key];
    if (value === undefined || (fresh && (value === 0 || value === null))) continue;
    const t = place.type;
    const at = base + place.offset;
    if (place.bits !== undefined) {
      storeBits(alloc, at, t as IntType, place.bitOffset!, place.bits, value as number | bigint);
    } else if (t.kind === 'int' || t.kind === 'float' || t.kind === 'ptr') {
      storeAt(alloc, at, t, value);
    } else if (t.kind === 'struct') {
      if (isView(value)) alloc.copyFrom(value.$alloc, value.$offset, at, sizeOf(t));
      else if (typeof value === 'object' && value !== null) writeFieldsAt(alloc, at, t, value, fresh);
    } else if (t.kind === 'array') {
      if (Array.isArray(value)) {
        const arr = new ArrayView(alloc, at, t.of, t.length ?? 0);
        value.forEach((el, i) => {
          if (fresh && (el === 0 || el === null)) return;
          if (t.of.kind === 'struct') writeFieldsAt(alloc, at + i * sizeOf(t.of), t.of, el as object, fresh);
          else arr.set(i, el);
        });
      }
    } else {
      // No value of this type can be stored: the view's accessor says why.
      viewAt(alloc, base, st)[key] = value;
    }
  }
}

function handleLabel(v: object): string {
  const name = (v as { name?: unknown; label?: unknown }).label ?? (v as { name?: unknown }).name;
  const kind = v.constructor?.name && v.constructor.name !== 'Object' ? v.constructor.name : 'object';
  return typeof name === 'string' ? `${kind} ${name}` : kind;
}

/**
 * What identifies an object C passes by address (a KEVENT, a spin lock, a cbdq): its allocation and
 * offset for C memory (a pointer, a view or a cell), the variable a TypeScript `Ref` names, or the
 * object itself for a TypeScript caller's.
 */
export function addressOf(v: unknown): { alloc: object; offset: number | string } | object | undefined {
  if (v instanceof Ptr) return v.alloc ? { alloc: v.alloc, offset: v.offset } : undefined;
  if (isView(v)) return { alloc: v.$alloc, offset: v.$offset };
  if (v instanceof Cell) return { alloc: v.ptr.alloc, offset: v.ptr.offset };
  if (v instanceof Ref) return { alloc: v.c, offset: v.k };
  if (typeof v === 'object' && v !== null) return v;
  return undefined;
}

/** The raw pointer behind a pointer, view or cell (what to store into a C pointer field). */
export function pointerOf(v: unknown): PointerValue | undefined {
  if (v === null || v === undefined) return null;
  if (v instanceof Ptr) return v;
  if (isView(v)) return v.$ptr;
  if (v instanceof Cell) return v.ptr;
  return undefined;
}

/**
 * An engine object C reads and writes in place. It keeps its fields in JS until C first needs its
 * address (most operations never reach C code), then lays out its C struct from the built-in
 * headers, writes its fields there, and from then on its C-visible accessors go to those bytes —
 * one copy of every value, which C and the engine both see.
 */
export abstract class EngineStruct implements CObject {
  // No instance fields here: every operation creates several of these objects, most of which C
  // never sees. `c` and `cPtr` are found on the prototype (undefined) until the object is laid out.
  /** The view of this object's C memory, once C has needed it. */
  protected declare c: StructView | undefined;
  private declare cPtr: AllocPtr | undefined;
  /** The struct's tag in the built-in headers (`_FLT_CALLBACK_DATA`). */
  protected abstract get cTag(): string;

  cAddress(m: Marshal): AllocPtr {
    if (this.cPtr === undefined) {
      const v = m.layOut(this, this.cTag, this.cLabel());
      this.c = v;
      this.cPtr = v.$ptr as AllocPtr;
      this.cFill(v, m);
    }
    return this.cPtr;
  }

  /** Whether C has seen this object (its memory exists). */
  get inMemory(): boolean {
    return this.c !== undefined;
  }

  /** How messages name the memory: `FLT_CALLBACK_DATA #3`. */
  protected cLabel(): string {
    return this.cTag.replace(/^_/, '');
  }

  /** Writes the object's C-visible values into its fresh memory: by default its own fields by name. */
  protected cFill(v: StructView, _m: Marshal): void {
    writeFields(v, this, true);
    const js = (this as { js?: object }).js;
    if (js !== undefined) writeFields(v, js, true);
  }
}

/**
 * Defines C-visible fields of an EngineStruct class as accessors over `this.js` until the object is
 * in memory and over its bytes after: reads of pointer fields give the engine object back.
 */
export function mirrorFields(cls: { prototype: object }, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      get(this: { c?: StructView; js: Record<string, unknown> }) {
        return this.c === undefined ? this.js[name] : ownerOrPointer(this.c[name]);
      },
      set(this: { c?: StructView; js: Record<string, unknown> }, v: unknown) {
        if (this.c === undefined) this.js[name] = v;
        else {
          const cur = this.c[name];
          if (isView(cur) && !isView(v) && typeof v === 'object' && v !== null) writeFields(cur, v);
          else this.c[name] = v;
        }
      },
    });
  }
}

/** The engine object a pointer field of a view stands for, or the pointer when it is not one. */
export function ownerOrPointer(v: unknown): unknown {
  return v instanceof Ptr ? (ownerOf(v) ?? v) : v;
}

Object.assign(EngineStruct.prototype, { c: undefined, cPtr: undefined });
