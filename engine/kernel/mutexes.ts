/**
 * Locks a thread may wait for: fast and guarded mutexes, ERESOURCEs, and push locks (with the
 * Flt* wrappers that enter a critical region for the caller). Waiting blocks the simulated thread;
 * release hands the lock to the first waiter.
 */
import type { Co } from './coroutine';
import { Irql, irqlName } from './irql';
import type { Kernel } from './kernel';
import type { LockKind, LockState, LockTable } from './locks';
import type { KThread } from './thread';

const STATUS_SUCCESS = 0;

export class MutexRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly locks: LockTable,
  ) {}

  // --- fast mutexes: acquiring raises to APC_LEVEL ---

  ExInitializeFastMutex(FastMutex: unknown): void {
    this.k.checkIrql('ExInitializeFastMutex');
    this.locks.init(FastMutex, 'fast mutex', 'ExInitializeFastMutex');
  }

  *ExAcquireFastMutex(FastMutex: unknown): Co<void> {
    yield* this.acquireMutex('ExAcquireFastMutex', FastMutex, 'fast mutex', true);
  }

  ExReleaseFastMutex(FastMutex: unknown): void {
    this.releaseMutex('ExReleaseFastMutex', FastMutex, 'fast mutex', true);
  }

  /** TRUE (1) when the mutex was free and is now owned; never waits. */
  ExTryToAcquireFastMutex(FastMutex: unknown): number {
    const k = this.k;
    const t = k.current;
    k.checkIrql('ExTryToAcquireFastMutex');
    const st = this.locks.get(FastMutex, 'fast mutex', 'ExTryToAcquireFastMutex');
    if (st === null || !st.free) return 0;
    this.take(t, st);
    st.savedIrql = t.irql;
    if (t.irql < Irql.APC_LEVEL) t.irql = Irql.APC_LEVEL;
    k.emit('lock', 0, `ExTryToAcquireFastMutex(${st.name})`);
    return 1;
  }

  /** The Unsafe variants leave the IRQL alone; the caller must already be at APC_LEVEL or in a critical region. */
  *ExAcquireFastMutexUnsafe(FastMutex: unknown): Co<void> {
    const t = this.k.current;
    if (t.irql < Irql.APC_LEVEL && t.criticalRegion === 0) {
      this.k.violation('resource-no-critical-region', `ExAcquireFastMutexUnsafe called at ${irqlName(t.irql)} outside a critical region`);
    }
    yield* this.acquireMutex('ExAcquireFastMutexUnsafe', FastMutex, 'fast mutex', false);
  }

  ExReleaseFastMutexUnsafe(FastMutex: unknown): void {
    this.releaseMutex('ExReleaseFastMutexUnsafe', FastMutex, 'fast mutex', false);
  }

  // --- guarded mutexes: like a fast mutex, but the IRQL stays and APCs are disabled ---

  KeInitializeGuardedMutex(Mutex: unknown): void {
    this.k.checkIrql('KeInitializeGuardedMutex');
    this.locks.init(Mutex, 'guarded mutex', 'KeInitializeGuardedMutex');
  }

  *KeAcquireGuardedMutex(Mutex: unknown): Co<void> {
    const t = this.k.current;
    t.criticalRegion++;
    yield* this.acquireMutex('KeAcquireGuardedMutex', Mutex, 'guarded mutex', false);
  }

  KeReleaseGuardedMutex(Mutex: unknown): void {
    const t = this.k.current;
    if (this.releaseMutex('KeReleaseGuardedMutex', Mutex, 'guarded mutex', false)) t.criticalRegion = Math.max(0, t.criticalRegion - 1);
  }

  // --- ERESOURCE ---

  ExInitializeResourceLite(Resource: unknown): number {
    this.k.checkIrql('ExInitializeResourceLite');
    this.locks.init(Resource, 'resource', 'ExInitializeResourceLite');
    return STATUS_SUCCESS;
  }

  ExDeleteResourceLite(Resource: unknown): number {
    this.k.checkIrql('ExDeleteResourceLite');
    const st = this.locks.get(Resource, 'resource', 'ExDeleteResourceLite');
    if (st && !st.free) this.k.violation('lock-held-at-end', `ExDeleteResourceLite(${st.name}) while it is ${st.describe()}`);
    return STATUS_SUCCESS;
  }

  /** Returns TRUE (1) when acquired; with Wait FALSE and the resource busy, FALSE (0) at once. */
  *ExAcquireResourceExclusiveLite(Resource: unknown, Wait: unknown): Co<number> {
    this.needCriticalRegion('ExAcquireResourceExclusiveLite');
    return yield* this.acquireShared('ExAcquireResourceExclusiveLite', Resource, 'resource', true, !!Wait);
  }

  *ExAcquireResourceSharedLite(Resource: unknown, Wait: unknown): Co<number> {
    this.needCriticalRegion('ExAcquireResourceSharedLite');
    return yield* this.acquireShared('ExAcquireResourceSharedLite', Resource, 'resource', false, !!Wait);
  }

  ExReleaseResourceLite(Resource: unknown): void {
    this.releaseShared('ExReleaseResourceLite', Resource, 'resource');
  }

  ExIsResourceAcquiredExclusiveLite(Resource: unknown): number {
    this.k.checkIrql('ExIsResourceAcquiredExclusiveLite');
    const st = this.locks.get(Resource, 'resource', 'ExIsResourceAcquiredExclusiveLite');
    return st !== null && st.owner === this.k.current ? 1 : 0;
  }

  /** The number of times the caller holds the resource, shared or exclusive. */
  ExIsResourceAcquiredSharedLite(Resource: unknown): number {
    this.k.checkIrql('ExIsResourceAcquiredSharedLite');
    const st = this.locks.get(Resource, 'resource', 'ExIsResourceAcquiredSharedLite');
    if (st === null) return 0;
    const t = this.k.current;
    return st.owner === t ? st.depth : (st.shared.get(t) ?? 0);
  }

  *FltAcquireResourceExclusive(Resource: unknown): Co<void> {
    this.k.current.criticalRegion++;
    yield* this.acquireShared('FltAcquireResourceExclusive', Resource, 'resource', true, true);
  }

  *FltAcquireResourceShared(Resource: unknown): Co<void> {
    this.k.current.criticalRegion++;
    yield* this.acquireShared('FltAcquireResourceShared', Resource, 'resource', false, true);
  }

  FltReleaseResource(Resource: unknown): void {
    const t = this.k.current;
    if (this.releaseShared('FltReleaseResource', Resource, 'resource')) this.leaveRegion(t, 'FltReleaseResource');
  }

  // --- push locks ---

  FltInitializePushLock(PushLock: unknown): void {
    this.locks.init(PushLock, 'push lock', 'FltInitializePushLock');
  }

  FltDeletePushLock(PushLock: unknown): void {
    const st = this.locks.get(PushLock, 'push lock', 'FltDeletePushLock');
    if (st && !st.free) this.k.violation('lock-held-at-end', `FltDeletePushLock(${st.name}) while it is ${st.describe()}`);
  }

  *FltAcquirePushLockExclusive(PushLock: unknown): Co<void> {
    this.k.current.criticalRegion++;
    yield* this.acquireShared('FltAcquirePushLockExclusive', PushLock, 'push lock', true, true);
  }

  *FltAcquirePushLockShared(PushLock: unknown): Co<void> {
    this.k.current.criticalRegion++;
    yield* this.acquireShared('FltAcquirePushLockShared', PushLock, 'push lock', false, true);
  }

  FltReleasePushLock(PushLock: unknown): void {
    const t = this.k.current;
    if (this.releaseShared('FltReleasePushLock', PushLock, 'push lock')) this.leaveRegion(t, 'FltReleasePushLock');
  }

  ExInitializePushLock(PushLock: unknown): void {
    this.locks.init(PushLock, 'push lock', 'ExInitializePushLock');
  }

  *ExAcquirePushLockExclusive(PushLock: unknown): Co<void> {
    this.needCriticalRegion('ExAcquirePushLockExclusive');
    yield* this.acquireShared('ExAcquirePushLockExclusive', PushLock, 'push lock', true, true);
  }

  *ExAcquirePushLockShared(PushLock: unknown): Co<void> {
    this.needCriticalRegion('ExAcquirePushLockShared');
    yield* this.acquireShared('ExAcquirePushLockShared', PushLock, 'push lock', false, true);
  }

  ExReleasePushLock(PushLock: unknown): void {
    this.releaseShared('ExReleasePushLock', PushLock, 'push lock');
  }

  ExReleasePushLockExclusive(PushLock: unknown): void {
    this.releaseShared('ExReleasePushLockExclusive', PushLock, 'push lock');
  }

  ExReleasePushLockShared(PushLock: unknown): void {
    this.releaseShared('ExReleasePushLockShared', PushLock, 'push lock');
  }

  // --- the mechanics ---

  private take(t: KThread, st: LockState): void {
    st.owner = t;
    st.depth = 1;
    this.locks.hold(t, st);
  }

  private *acquireMutex(routine: string, lock: unknown, kind: LockKind, raise: boolean): Co<void> {
    const k = this.k;
    const t = k.current;
    k.checkIrql(raise ? 'ExAcquireFastMutex' : routine);
    const st = this.locks.get(lock, kind, routine);
    if (st === null) return;
    if (st.owner === t) {
      st.badRecursion++;
      k.violation('lock-recursive', `${routine}: ${t.name} already owns ${kind} ${st.name}; on a real system it waits for itself forever`);
      return;
    }
    const old = t.irql;
    if (raise && old < Irql.APC_LEVEL) t.irql = Irql.APC_LEVEL;
    if (st.free) this.take(t, st);
    else yield* this.locks.wait(t, st, true);
    st.savedIrql = old;
    k.emit('lock', 0, `${routine}(${st.name})`);
  }

  private releaseMutex(routine: string, lock: unknown, kind: LockKind, restore: boolean): boolean {
    const k = this.k;
    const t = k.current;
    const st = this.locks.get(lock, kind, routine);
    if (st === null) return false;
    if (st.owner !== t) {
      k.violation('lock-not-held', `${routine}(${st.name}) by ${t.name}, which does not own it (${st.describe()})`);
      return false;
    }
    if (st.badRecursion > 0) {
      st.badRecursion--;
      return true;
    }
    if (restore) {
      if (t.irql !== Irql.APC_LEVEL) k.violation('irql-below-required', `${routine} called at ${irqlName(t.irql)}; the owner of a fast mutex runs at APC_LEVEL`);
      t.irql = st.savedIrql;
    }
    st.owner = null;
    st.depth = 0;
    this.locks.unhold(t, st);
    k.emit('unlock', 0, `${routine}(${st.name})`);
    this.locks.grant(st);
    return true;
  }

  private needCriticalRegion(routine: string): void {
    const t = this.k.current;
    if (t.criticalRegion === 0 && t.irql < Irql.APC_LEVEL) {
      this.k.violation('resource-no-critical-region', `${routine} called with normal kernel APCs enabled; call KeEnterCriticalRegion first (or use the Flt wrapper)`);
    }
  }

  private leaveRegion(t: KThread, routine: string): void {
    if (t.criticalRegion === 0) this.k.violation('critical-region-imbalance', `${routine} left a critical region that was never entered`);
    else t.criticalRegion--;
  }

  private *acquireShared(routine: string, lock: unknown, kind: LockKind, exclusive: boolean, wait: boolean): Co<number> {
    const k = this.k;
    const t = k.current;
    k.checkIrql(routine);
    const st = this.locks.get(lock, kind, routine);
    if (st === null) return 0;
    const recursive = kind === 'resource';
    if (st.owner === t) {
      if (recursive) {
        st.depth++;
        this.locks.hold(t, st);
        return 1;
      }
      st.badRecursion++;
      k.violation('lock-recursive', `${routine}: ${t.name} already holds ${kind} ${st.name} exclusively; push locks cannot be acquired recursively`);
      return 1;
    }
    const mine = st.shared.get(t) ?? 0;
    if (exclusive && mine > 0) {
      st.badRecursion++;
      k.violation('lock-recursive', `${routine}: ${t.name} holds ${kind} ${st.name} shared and asks for it exclusively; it would wait for itself forever`);
      return 1;
    }
    const grantable = exclusive ? st.free : st.owner === null && (mine > 0 || recursive ? true : st.waiters.length === 0);
    if (grantable) {
      if (exclusive) this.take(t, st);
      else {
        st.shared.set(t, mine + 1);
        this.locks.hold(t, st);
      }
    } else {
      if (!wait) return 0;
      yield* this.locks.wait(t, st, exclusive);
    }
    k.emit('lock', 0, `${routine}(${st.name})`);
    return 1;
  }

  private releaseShared(routine: string, lock: unknown, kind: LockKind): boolean {
    const k = this.k;
    const t = k.current;
    k.checkIrql(routine);
    const st = this.locks.get(lock, kind, routine);
    if (st === null) return false;
    if (st.badRecursion > 0 && (st.owner === t || st.shared.has(t))) {
      st.badRecursion--;
      return true;
    }
    if (st.owner === t) {
      this.locks.unhold(t, st);
      if (--st.depth === 0) st.owner = null;
    } else if (st.shared.has(t)) {
      this.locks.unhold(t, st);
      const n = st.shared.get(t)! - 1;
      if (n === 0) st.shared.delete(t);
      else st.shared.set(t, n);
    } else {
      k.violation('lock-not-held', `${routine}(${st.name}) by ${t.name}, which does not hold it (${st.describe()})`);
      return false;
    }
    k.emit('unlock', 0, `${routine}(${st.name})`);
    if (st.free) this.locks.grant(st);
    return true;
  }
}
