/**
 * Lock state shared by the spin lock, mutex, resource and push lock routines: who owns a lock,
 * who shares it, who waits for it, and the IRQL to restore on release. One table serves all kinds,
 * since one piece of driver memory is one kind of lock.
 */
import type { Co } from './coroutine';
import { Trap } from './coroutine';
import type { Kernel } from './kernel';
import { Irql } from './irql';
import { ObjectStates, addressName, isAddressable } from './objects';
import { ownerOf } from '../memory/pointer';
import type { HeldLock, KThread } from './thread';

export type LockKind = HeldLock['kind'];

interface Waiter {
  t: KThread;
  exclusive: boolean;
}

export class LockState implements HeldLock {
  /** Exclusive owner (spin lock, mutex, or an exclusive ERESOURCE/push lock holder). */
  owner: KThread | null = null;
  /** Recursion depth of the exclusive owner (ERESOURCE allows it). */
  depth = 0;
  /** Shared holders and their recursion depth. */
  readonly shared = new Map<KThread, number>();
  readonly waiters: Waiter[] = [];
  /** IRQL to restore when the owner releases (spin locks, fast mutexes). */
  savedIrql: Irql = Irql.PASSIVE_LEVEL;
  /** Acquisitions recorded as lock-recursive that the matching releases must absorb. */
  badRecursion = 0;

  constructor(
    readonly kind: LockKind,
    readonly name: string,
    public initialized: boolean,
  ) {}

  get free(): boolean {
    return this.owner === null && this.shared.size === 0;
  }

  /** `owned by I/O #1 (thread 3)`, `shared by 2 threads`, or `free`, for the snapshot. */
  describe(): string {
    if (this.owner) return `owned by ${this.owner.name}`;
    if (this.shared.size > 0) return `shared by ${[...this.shared.keys()].map((t) => t.name).join(', ')}`;
    return 'free';
  }
}

/** Kinds that need their initialization routine before use (zeroed memory is not a valid one). */
const NEEDS_INIT: ReadonlySet<LockKind> = new Set(['fast mutex', 'guarded mutex', 'resource']);

/**
 * A lock the system initialized before the driver saw it (a file system's FCB resources): the
 * engine object that owns its memory says which kind it is.
 */
export interface SystemLock {
  readonly systemLockKind: LockKind;
}

function systemLockKind(lock: unknown): LockKind | undefined {
  for (const v of [lock, ownerOf(lock)]) {
    if (typeof v === 'object' && v !== null && 'systemLockKind' in v) return (v as SystemLock).systemLockKind;
  }
  return undefined;
}

export class LockTable {
  private readonly states = new ObjectStates<LockState>();
  private count = 0;
  /** Every lock ever used, in first-use order (end-of-run checks, snapshot). */
  readonly all: LockState[] = [];

  constructor(private readonly k: Kernel) {}

  /** Sets up (or resets) the state of a lock object for an Initialize routine. */
  init(lock: unknown, kind: LockKind, routine: string): LockState | null {
    if (!isAddressable(lock)) {
      this.k.violation('null-param', `${routine} needs the address of a ${kind}, got ${lock === null ? 'NULL' : String(lock)}`);
      return null;
    }
    const st = new LockState(kind, addressName(lock, `${kindTag(kind)}#${++this.count}`), true);
    this.states.set(lock, st);
    this.all.push(st);
    return st;
  }

  /**
   * The state of a lock passed to an acquire/release routine. Spin locks and push locks work from
   * zeroed memory; the other kinds get an uninitialized-object warning the first time.
   */
  get(lock: unknown, kind: LockKind, routine: string): LockState | null {
    let st = this.states.get(lock);
    if (st === undefined) {
      if (!isAddressable(lock)) {
        this.k.violation('null-param', `${routine} needs the address of a ${kind}, got ${lock === null ? 'NULL' : String(lock)}`);
        return null;
      }
      st = new LockState(kind, addressName(lock, `${kindTag(kind)}#${++this.count}`), !NEEDS_INIT.has(kind) || systemLockKind(lock) === kind);
      this.states.set(lock, st);
      this.all.push(st);
      if (!st.initialized) this.k.violation('uninitialized-object', `${routine} used ${st.name} before it was initialized`);
    } else if (st.kind !== kind && !(sameFamily(st.kind, kind))) {
      this.k.violation('bad-object', `${routine} expects a ${kind}, but ${st.name} was set up as a ${st.kind}`);
    }
    return st;
  }

  /** Records that `t` now holds `st` once more. */
  hold(t: KThread, st: LockState): void {
    t.held.push(st);
  }

  /** Drops the newest record of `t` holding `st`. */
  unhold(t: KThread, st: LockState): void {
    for (let i = t.held.length - 1; i >= 0; i--) {
      if (t.held[i] === st) {
        t.held.splice(i, 1);
        return;
      }
    }
  }

  /**
   * Waits until `t` is granted `st` (exclusive or shared). Ownership is handed over by `grant`, so
   * a woken waiter already holds the lock.
   */
  *wait(t: KThread, st: LockState, exclusive: boolean): Co<void> {
    st.waiters.push({ t, exclusive });
    const holder = st.owner ? st.owner.name : [...st.shared.keys()].map((h) => h.name).join(', ');
    this.k.beginWait(t, `${st.kind} ${st.name} (held by ${holder})`, null);
    yield Trap.Block;
  }

  /** Hands a free lock to the next waiters in FIFO order: one exclusive, or a run of shared ones. */
  grant(st: LockState): void {
    while (st.waiters.length > 0) {
      const w = st.waiters[0]!;
      if (w.exclusive) {
        if (!st.free) return;
        st.waiters.shift();
        st.owner = w.t;
        st.depth = 1;
        this.hold(w.t, st);
        this.k.wake(w.t);
        return;
      }
      if (st.owner !== null) return;
      st.waiters.shift();
      st.shared.set(w.t, (st.shared.get(w.t) ?? 0) + 1);
      this.hold(w.t, st);
      this.k.wake(w.t);
    }
  }
}

function kindTag(kind: LockKind): string {
  switch (kind) {
    case 'spin lock': return 'SpinLock';
    case 'queued spin lock': return 'SpinLock';
    case 'fast mutex': return 'FastMutex';
    case 'guarded mutex': return 'GuardedMutex';
    case 'resource': return 'Resource';
    case 'push lock': return 'PushLock';
  }
}

/** A queued spin lock is an ordinary KSPIN_LOCK; fast and guarded mutexes share a structure. */
function sameFamily(a: LockKind, b: LockKind): boolean {
  const fam = (k: LockKind): string => (k === 'queued spin lock' ? 'spin lock' : k === 'guarded mutex' ? 'fast mutex' : k);
  return fam(a) === fam(b);
}
