/**
 * Which shared object a pointer belongs to: the unit schedule exploration reasons about when it
 * asks whether two steps touch the same thing (engine/explore). Memory is bytes in allocations
 * (engine/memory), and the unit is the allocation a pointer points into:
 * - each global or static variable of a driver (one allocation each),
 * - a pool, lookaside or context block,
 * - an engine object C code reaches (FLT_CALLBACK_DATA with its Iopb, a work item, an instance…):
 *   its memory and its handle stand for the engine object itself, so what the engine does to the
 *   object and what C does to its bytes are the same footprint.
 * Locals (stack allocations), string literals, temporaries and code are never shared. Two accesses
 * to different bytes of one allocation count as touching the same object: coarser than bytes, so
 * the reduction may explore a little more than it must, never less.
 *
 * Reports come from the interpreter's loads and stores (engine/interp/memory.ts calls
 * `space.touch`, which the kernel forwards to the schedule policy's observer) and from the
 * arguments of kernel calls (Kernel.touchCall).
 */
import { isFunctionValue, Ref } from './cvalues';
import { Allocation } from '../memory/allocation';
import { Ptr } from '../memory/pointer';
import { Cell, isView } from '../memory/view';

/**
 * The shared object `value` points into: an allocation, an engine object. Undefined for NULL,
 * numbers, function pointers and memory no other thread can reach by name.
 */
export function sharedObject(value: unknown): object | undefined {
  if (value === null || typeof value !== 'object' || isFunctionValue(value)) return undefined;
  if (value instanceof Ptr) return value.alloc === null ? undefined : ofAllocation(value.alloc);
  if (value instanceof Allocation) return ofAllocation(value);
  if (isView(value)) return ofAllocation(value.$alloc);
  if (value instanceof Cell) return value.ptr.alloc === null ? undefined : ofAllocation(value.ptr.alloc);
  // A TypeScript driver's variable, or an engine object a TypeScript driver holds.
  if (value instanceof Ref) return value.c;
  return value;
}

function ofAllocation(a: Allocation): object | undefined {
  switch (a.kind) {
    case 'engine':
    case 'opaque':
      return (a.owner as object | undefined) ?? a;
    case 'global':
    case 'pool':
    case 'lookaside':
    case 'context':
      return a;
    default:
      return undefined;
  }
}

/** How reports name driver memory (`WorkerActive`, `allocation #3`); undefined for engine objects. */
export function driverMemoryName(o: object): string | undefined {
  if (!(o instanceof Allocation) || o.kind === 'engine' || o.kind === 'opaque') return undefined;
  return o.kind === 'global' ? (o.name ?? o.label) : `allocation #${o.id}`;
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
  if (o instanceof Allocation) n = `allocation #${o.id}`;
  else {
    const ctor = (o as { constructor?: unknown }).constructor;
    const kind = typeof ctor === 'function' ? NUMBERED.get(ctor) : undefined;
    if (kind !== undefined) n = `${kind} #${(o as { id: number }).id}`;
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
