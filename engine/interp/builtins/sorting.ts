/**
 * qsort and bsearch: the C run-time's sort and binary search over the driver's array, calling the
 * driver's own comparator (a C function, run like any other call: it can be stepped into and its
 * faults stop the run at its line). qsort compares elements where they lie and moves them once at
 * the end, bytes and pointer provenance together, so an array of pointers or of structs holding
 * pointers stays usable. The sort is a merge sort: its order of comparisons is fixed, so runs replay.
 */
import type { Co } from '../../kernel/coroutine';
import { hexAddress, Ptr } from '../../memory/pointer';
import type { Builtin, BuiltinCall } from '../builtin';
import { CRuntimeError } from '../errors';
import { copyBytes } from '../memory';

function comparator(call: BuiltinCall, fn: unknown): (a: Ptr, b: Ptr) => Co<number> {
  if (fn === null || fn === undefined) throw new CRuntimeError('null-dereference', `${call.name} needs a comparison function; it was given NULL`, call.loc);
  const rt = call.frame.env.rt;
  return function* (a, b) {
    return Number(yield* rt.callValue(fn, [a, b], call.loc)) | 0;
  };
}

function arrayArg(call: BuiltinCall, v: unknown, countArg: unknown, width: number, what: string): Ptr | null {
  const count = Number(countArg);
  if (count === 0) return v instanceof Ptr ? v : null;
  if (!(v instanceof Ptr) || v.alloc === null) {
    const address = v instanceof Ptr ? v.address : Number(v ?? 0);
    if (address === 0) throw new CRuntimeError('null-dereference', `${call.name}: ${what} is NULL with a count of ${count}`, call.loc);
    throw new CRuntimeError('bad-pointer', `${call.name}: ${what} is ${hexAddress(address)}, which points at no memory of the driver's, with a count of ${count}`, call.loc);
  }
  // Every element is compared, so a count past the array would also have the sort build lists that long.
  const bytes = count * width;
  const room = v.alloc.size - v.offset;
  if (!Number.isSafeInteger(bytes) || bytes > room) {
    throw new CRuntimeError('out-of-bounds', `${call.name}: ${String(countArg)} elements of ${width} bytes run past the end of ${v.alloc.label}, which has ${Math.max(0, room)} bytes from where ${what} starts`, call.loc);
  }
  return v;
}

const qsort: Builtin = (call) => {
  const count = Number(call.args[1]);
  const width = Number(call.args[2]);
  const base = arrayArg(call, call.args[0], call.args[1], width, 'the array');
  if (base === null || count < 2 || width === 0) return undefined;
  const compare = comparator(call, call.args[3]);
  return (function* (): Co<void> {
    const at = (i: number): Ptr => base.add(i * width);
    // Merge sort over indices; the elements stay where they are until the order is known.
    let order = Array.from({ length: count }, (_, i) => i);
    let scratch = new Array<number>(count);
    for (let run = 1; run < count; run *= 2) {
      for (let lo = 0; lo < count; lo += 2 * run) {
        const mid = Math.min(lo + run, count);
        const hi = Math.min(lo + 2 * run, count);
        let i = lo;
        let j = mid;
        let k = lo;
        while (i < mid && j < hi) scratch[k++] = (yield* compare(at(order[j]!), at(order[i]!))) < 0 ? order[j++]! : order[i++]!;
        while (i < mid) scratch[k++] = order[i++]!;
        while (j < hi) scratch[k++] = order[j++]!;
      }
      [order, scratch] = [scratch, order];
    }
    const space = call.interp.addresses;
    const copy = space.allocate('temporary', count * width, { label: `${call.name}'s copy of the array`, zeroed: false });
    try {
      const saved = space.pointer(copy);
      copyBytes(saved, base, count * width, call.name, call.loc);
      order.forEach((from, to) => {
        if (from !== to) copyBytes(at(to), saved.add(from * width), width, call.name, call.loc);
      });
    } finally {
      space.free(copy);
    }
  })();
};

/** bsearch: an element the comparator says equals the key in an array sorted by it, or NULL. */
const bsearch: Builtin = (call) => {
  const key = call.args[0];
  const count = Number(call.args[2]);
  const width = Number(call.args[3]);
  const base = arrayArg(call, call.args[1], call.args[2], width, 'the array');
  if (base === null || count === 0) return null;
  const compare = comparator(call, call.args[4]);
  return (function* (): Co<Ptr | null> {
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const element = base.add(mid * width);
      const c = yield* compare(key as Ptr, element);
      if (c === 0) return element;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return null;
  })();
};

export function sortingBuiltins(): [string, Builtin][] {
  return [['qsort', qsort], ['bsearch', bsearch]];
}
