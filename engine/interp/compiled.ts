/**
 * A compiled expression: a plain function of the frame, or a generator when evaluating it may block
 * the simulated thread or run driver callbacks (it contains a call). The lifts build one compiled
 * expression from others, plain when all parts are plain.
 */
import type { CType } from '../c/types';
import type { Co } from '../kernel/coroutine';
import type { CFrame } from './frame';

export type Sync = (f: CFrame) => unknown;
export type Gen = (f: CFrame) => Co<unknown>;

/** A compiled expression: exactly one of `s` (plain) or `g` (generator) is set. */
export interface CE {
  t: CType;
  s?: Sync;
  g?: Gen;
  isConst?: boolean;
}

/**
 * Runs a compiled expression inside generator code. Calling it makes a generator object even for a
 * plain expression, so the per-statement and per-argument paths inline it instead
 * (`ce.s ? ce.s(f) : yield* ce.g!(f)`): that object was a large part of what each run allocated.
 */
export function* run(ce: CE, f: CFrame): Co<unknown> {
  return ce.s ? ce.s(f) : yield* ce.g!(f);
}

export function lift1(t: CType, a: CE, fn: (x: unknown, f: CFrame) => unknown): CE {
  if (a.s) {
    const as = a.s;
    return { t, s: (f) => fn(as(f), f) };
  }
  const ag = a.g!;
  return { t, g: function* (f) { return fn(yield* ag(f), f); } };
}

export function lift2(t: CType, a: CE, b: CE, fn: (x: unknown, y: unknown, f: CFrame) => unknown): CE {
  if (a.s && b.s) {
    const as = a.s;
    const bs = b.s;
    return { t, s: (f) => fn(as(f), bs(f), f) };
  }
  return {
    t,
    g: function* (f) {
      const x = a.s ? a.s(f) : yield* a.g!(f);
      const y = b.s ? b.s(f) : yield* b.g!(f);
      return fn(x, y, f);
    },
  };
}
