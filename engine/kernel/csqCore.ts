/**
 * The machinery both cancel-safe queue flavours share: the I/O manager's IoCsq (IRPs, csq.ts) and
 * the Filter Manager's cbdq (callback data, fltmgr/cbdq.ts, itself a wrapper over IoCsq on
 * Windows). The queue lives in the driver's memory and the driver supplies six callbacks; the engine
 * keeps the queued items beside it and calls the callbacks as the real queue does:
 *
 * - Insert, Remove and Peek run only between Acquire and Release.
 * - The IRQL bound of the queue's routines follows the lock: DISPATCH_LEVEL when Acquire takes a spin
 *   lock, APC_LEVEL when it takes a mutex or resource; the core learns which by watching Acquire.
 * - A removal scan asks Peek for the item after the last one it was given, skips items whose cancel
 *   is in progress, and stops at NULL; Peek returning an item not in the queue, or the same one twice
 *   in one scan, breaks its contract.
 */
import { Ref } from './cvalues';
import type { Co } from './coroutine';
import { nameOf, type DriverFn } from './driverFn';
import { Irql, irqlName } from './irql';
import type { Kernel } from './kernel';
import type { RuleId } from './rules';
import type { Frame, KThread } from './thread';
import { maxIrqlFor } from '../api/catalog';

export type CsqLockKind = 'unknown' | 'spin lock' | 'mutex';

export interface CsqCallbacks {
  insert: DriverFn;
  remove: DriverFn;
  peek: DriverFn;
  acquire: DriverFn;
  release: DriverFn;
  completeCanceled: DriverFn;
}

/** What tells one flavour from the other: its rule ids and how its items are labelled. */
export interface CsqFlavour<T> {
  /** The rule broken when a mutex-protected queue is used above APC_LEVEL. */
  lockIrqlRule: RuleId;
  /** The rule broken when Peek returns what it must not. */
  peekRule: RuleId;
  /** The item Peek returned when it is one of this flavour's items, else null. */
  asItem(value: unknown): T | null;
  label(item: T): string;
  id(item: T): number;
}

export class CsqCore<T> {
  /** Queued items in the order they were inserted. */
  readonly items: T[] = [];
  lockKind: CsqLockKind = 'unknown';
  /** The item whose CompleteCanceled callback is running. */
  cancelling: T | null = null;
  readonly names: Record<keyof CsqCallbacks, string>;

  constructor(
    private readonly k: Kernel,
    readonly object: object,
    readonly callbacks: CsqCallbacks,
    defaultNames: Record<keyof CsqCallbacks, string>,
    private readonly flavour: CsqFlavour<T>,
  ) {
    this.names = {
      insert: nameOf(callbacks.insert, defaultNames.insert),
      remove: nameOf(callbacks.remove, defaultNames.remove),
      peek: nameOf(callbacks.peek, defaultNames.peek),
      acquire: nameOf(callbacks.acquire, defaultNames.acquire),
      release: nameOf(callbacks.release, defaultNames.release),
      completeCanceled: nameOf(callbacks.completeCanceled, defaultNames.completeCanceled),
    };
  }

  has(item: T): boolean {
    return this.items.includes(item);
  }

  /** Drops the engine's record of a queued item. */
  drop(item: T): void {
    const i = this.items.indexOf(item);
    // The head is the usual case (FIFO removal); shift drops it without moving a long queue's rest.
    if (i === 0) this.items.shift();
    else if (i > 0) this.items.splice(i, 1);
  }

  /**
   * Calls Acquire; learns the lock kind; checks the caller's IRQL against the bound it implies.
   * `routine` is null for the queue's own cancel routine, which the caller's IRQL does not bound.
   */
  *lock(t: KThread, queueName: string, routine: string | null): Co<{ Irql: number }> {
    const k = this.k;
    const callerIrql = t.irql;
    const heldBefore = t.held.length;
    const cell = { Irql: t.irql };
    yield* k.callDriver(t, this.callbacks.acquire, this.names.acquire, [this.object, new Ref(cell, 'Irql')], false);
    if (this.lockKind === 'unknown') {
      const taken = t.held.slice(heldBefore);
      if (taken.some((l) => l.kind === 'spin lock' || l.kind === 'queued spin lock') || (taken.length === 0 && t.irql >= Irql.DISPATCH_LEVEL)) this.lockKind = 'spin lock';
      else if (taken.length > 0) this.lockKind = 'mutex';
    }
    if (routine !== null && this.lockKind !== 'unknown') {
      const spin = this.lockKind === 'spin lock';
      const max = maxIrqlFor(routine, { cbdqUsesSpinLock: spin })!;
      const scope = t.scope;
      if (!spin && scope !== null && scope.unsafe && !scope.irqlQueried) {
        k.violation('postop-irql-unsafe-call', `${routine} on ${queueName}, whose ${this.names.acquire} takes a mutex, is called from a post-operation callback that can run at DISPATCH_LEVEL`);
      } else if (callerIrql > max) {
        k.violation(spin ? 'irql-above-bound' : this.flavour.lockIrqlRule, `${routine} on ${queueName} called at ${irqlName(callerIrql)}; with a ${spin ? 'spin lock' : 'mutex or resource'} in ${this.names.acquire} it may only run at ${irqlName(max)} or below`);
      }
    }
    return cell;
  }

  *unlock(t: KThread, cell: { Irql: number }): Co<void> {
    yield* this.k.callDriver(t, this.callbacks.release, this.names.release, [this.object, cell.Irql], false);
  }

  /**
   * `body` with the queue's lock held, inside `frame` (the routine the driver called): Acquire (its
   * IRQL checked for `routine`), the body, Release; the frame is gone afterwards even when the body
   * stops the run.
   */
  *underLock<R>(t: KThread, queueName: string, frame: Frame, routine: string, body: () => Co<R>): Co<R> {
    const depth = t.frames.length;
    t.frames.push(frame);
    try {
      const cell = yield* this.lock(t, queueName, routine);
      const r = yield* body();
      yield* this.unlock(t, cell);
      return r;
    } finally {
      t.frames.length = depth;
    }
  }

  /**
   * The lock is held: asks Peek for items after `prev` until `take` claims one (it returns true when
   * the item is not being cancelled) or Peek returns NULL. Returns the claimed item or null.
   */
  *scan(t: KThread, queueName: string, peekContext: unknown, take: (item: T) => boolean): Co<T | null> {
    const k = this.k;
    const f = this.flavour;
    const seen = new Set<T>();
    let prev: T | null = null;
    for (;;) {
      const next: unknown = yield* k.callDriver(t, this.callbacks.peek, this.names.peek, [this.object, prev, peekContext ?? null]);
      if (next === null || next === undefined || next === 0) return null;
      const item = f.asItem(next);
      if (item === null || !this.has(item)) {
        k.violation(f.peekRule, `${this.names.peek} returned ${item !== null ? f.label(item) : 'a pointer'} that is not queued in ${queueName}`);
        return null;
      }
      if (seen.has(item)) {
        k.violation(f.peekRule, `${this.names.peek} returned ${f.label(item)} twice in one scan; it must return the next item after the one it is given`, f.id(item));
        return null;
      }
      seen.add(item);
      if (take(item)) return item;
      prev = item;
    }
  }
}
