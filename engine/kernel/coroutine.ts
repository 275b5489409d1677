/**
 * The protocol every simulated thread runs on. A thread's body is a generator; it yields a Trap
 * whenever the scheduler may act, and returns when the thread's routine returns.
 *
 * Code that can block, or that calls back into driver code, is a generator (`Co<T>`) and is called
 * with `yield*`. Code that neither blocks nor calls back stays a plain function: that keeps the hot
 * path of the simulation free of generator allocations. Driver callbacks may be either, so callers
 * go through `invoke`.
 */
export const enum Trap {
  /** A statement boundary in interpreted code: the debugger may stop here; no thread switch. */
  Stmt = 0,
  /** A switch point (kernel call returned, lock operation): the scheduler may run another thread. */
  Yield = 1,
  /** The thread has put itself into a wait; the scheduler must run something else. */
  Block = 2,
}

export type Co<T = void> = Generator<Trap, T, void>;
export type MaybeCo<T> = T | Co<T>;

export function isCo(value: unknown): value is Co<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Co<unknown>).next === 'function'
    && typeof (value as Co<unknown>).throw === 'function';
}

/** Runs a callback that may or may not be a generator, from generator code. */
export function* invoke<T>(result: MaybeCo<T>): Co<T> {
  if (isCo(result)) return (yield* result) as T;
  return result as T;
}
