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

/** What a finished LazyCo answers; shared, since the scheduler and `yield*` only read it. */
const DONE: IteratorResult<Trap, void> = { value: undefined, done: true };

/**
 * A Co<void> for work that usually ends without waiting: the first `next()` calls
 * `start.call(self, a, b, c)`, which does the work at once and returns undefined, or returns a
 * generator for what has to wait, which this then runs. A thread body or routine made this way
 * costs no generator object and no generator resume when nothing waits (the common case on the
 * per-operation path).
 */
export class LazyCo<S, A, B, C = undefined> implements Co<void> {
  /** null until started; then the generator doing the rest, or undefined when done. */
  private rest: Co<void> | undefined | null = null;

  constructor(
    private readonly self: S,
    private readonly start: (this: S, a: A, b: B, c: C) => Co<void> | undefined,
    private readonly a: A,
    private readonly b: B,
    private readonly c: C,
  ) {}

  next(): IteratorResult<Trap, void> {
    let rest = this.rest;
    if (rest === null) {
      // Like a generator, one that threw on its first step is finished.
      this.rest = undefined;
      rest = this.start.call(this.self, this.a, this.b, this.c);
      this.rest = rest;
    }
    return rest === undefined ? DONE : rest.next();
  }

  return(value: void): IteratorResult<Trap, void> {
    const rest = this.rest;
    this.rest = undefined;
    return rest ? rest.return(value) : DONE;
  }

  throw(e: unknown): IteratorResult<Trap, void> {
    const rest = this.rest;
    if (rest) return rest.throw(e);
    this.rest = undefined;
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as FunctionConstructor;

/** Functions that are not generator functions but return a Co (they make a LazyCo). */
const coReturning = new WeakSet<object>();

/** Marks a function (a routine's method) that returns a Co without being a generator function. */
export function returnsCo<F extends object>(fn: F): F {
  coReturning.add(fn);
  return fn;
}

/** Whether calling `fn` gives a Co the caller must run with `yield*`. */
export function isCoFunction(fn: unknown): boolean {
  return fn instanceof GeneratorFunction || (typeof fn === 'function' && coReturning.has(fn));
}
