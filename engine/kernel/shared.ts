/**
 * Which shared object a pointer belongs to: the unit schedule exploration reasons about when it
 * asks whether two steps touch the same thing (engine/explore). Memory is typed objects
 * (cvalues.ts), so the unit is the allocation a place sits in:
 * - each global variable of a driver (its module registers its storage here),
 * - a pool, lookaside or context block, or an array in one,
 * - an engine object C code reaches (FLT_CALLBACK_DATA with its Iopb, a work item, an instance…).
 * Locals and string literals are never shared: the interpreter registers their storage as private.
 *
 * When memory becomes bytes, this is the one place that maps a pointer to its allocation; two
 * accesses then conflict when they touch the same bytes of the same allocation.
 */
import { isFunctionValue, parentOf, rawInfo, Ref } from './cvalues';

/** The storage of one global variable: what accesses to it are attributed to. */
export class GlobalCell {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

const GLOBAL_STORES = new WeakMap<object, string>();
const CELLS = new WeakMap<object, Map<string | number, GlobalCell>>();
const PRIVATE = new WeakSet<object>();

/** Storage whose keys are a driver's global variables (each key is its own allocation). */
export function registerGlobalStorage(store: object, module: string): void {
  GLOBAL_STORES.set(store, module);
}

/** Storage no other thread can reach by name: a call frame's locals, a string literal. */
export function registerPrivateStorage(storage: object): void {
  PRIVATE.add(storage);
}

/**
 * The shared object `value` points into: a GlobalCell, a raw block, an engine object. Undefined for
 * NULL, numbers, function pointers and private storage.
 */
export function sharedObject(value: unknown): object | undefined {
  if (value === null || typeof value !== 'object' || isFunctionValue(value)) return undefined;
  if (value instanceof Ref) return objectOfPlace(value.c, value.k);
  return objectOfPlace(value, undefined);
}

function objectOfPlace(container: object, key: string | number | undefined): object | undefined {
  let c = container;
  let k = key;
  // Embedded structs link to their parent; the chain ends at the allocation (or a global's storage).
  for (let depth = 0; depth < 256; depth++) {
    const module = GLOBAL_STORES.get(c);
    if (module !== undefined) return k === undefined ? c : cellOf(c, module, k);
    if (PRIVATE.has(c)) return undefined;
    const link = parentOf(c);
    if (link === undefined) return c;
    k = link.key;
    c = link.parent;
  }
  return c;
}

function cellOf(store: object, module: string, key: string | number): GlobalCell {
  let cells = CELLS.get(store);
  if (cells === undefined) CELLS.set(store, (cells = new Map()));
  let cell = cells.get(key);
  if (cell === undefined) cells.set(key, (cell = new GlobalCell(module, String(key))));
  return cell;
}

const NAMES = new WeakMap<object, string>();

/**
 * A name for a shared object that another run of the same scenario gives the same object, as far
 * as both runs are alike up to its creation: a global's name, an allocation's number, a callback
 * data's or a thread's id (numbered in creation order). Other engine objects are named by their
 * kind only, so all objects of that kind count as one — coarser, never wrong.
 */
export function stableName(o: object): string {
  let n = NAMES.get(o);
  if (n !== undefined) return n;
  if (o instanceof GlobalCell) n = `${o.module}!${o.name}`;
  else {
    const raw = rawInfo(o);
    const ctor = (o as { constructor?: unknown }).constructor;
    const kind = typeof ctor === 'function' ? NUMBERED.get(ctor) : undefined;
    if (raw) n = `allocation #${raw.id}`;
    else if (kind !== undefined) n = `${kind} #${(o as { id: number }).id}`;
    else n = typeof ctor === 'function' && ctor.name ? ctor.name : 'memory';
  }
  NAMES.set(o, n);
  return n;
}

/** Engine classes whose objects have an `id` counted up from the start of each run. */
const NUMBERED = new Map<unknown, string>();

/** Lets stableName tell objects of `ctor` apart by their `id` (which must count up per run). */
export function registerNumberedKind(ctor: abstract new (...args: never[]) => { readonly id: number }, kind: string): void {
  NUMBERED.set(ctor, kind);
}

/** How a report names a shared object: `WorkerActive`, `allocation #3`, or its kind. */
export function describeShared(o: object): string {
  if (o instanceof GlobalCell) return o.name;
  const raw = rawInfo(o);
  if (raw) return `allocation #${raw.id}`;
  const label = (o as { label?: unknown; name?: unknown }).label ?? (o as { name?: unknown }).name;
  if (typeof label === 'string' && label !== '') return label;
  const ctor = (o as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' && ctor !== 'Array' ? ctor : 'driver memory';
}
