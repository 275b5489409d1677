/**
 * Spin locks: KSPIN_LOCK (a ULONG_PTR in C, so usually passed as a Ref) and in-stack queued spin
 * locks. Acquiring raises to DISPATCH_LEVEL and releasing restores the saved IRQL. On one processor
 * a holder is never preempted, so there is no contention; on several, a contender spins (yields
 * without blocking) while the owner runs elsewhere, and waits if the owner cannot run — which only
 * happens after another violation (a wait or an exit while holding a spin lock).
 */
import { Trap, type Co } from './coroutine';
import { Irql, irqlName } from './irql';
import type { Kernel } from './kernel';
import type { LockState, LockTable } from './locks';
import { ObjectStates, writeOut } from './objects';
import type { KThread } from './thread';

/** What identifies the system's cancel spin lock in the lock table. */
const CANCEL_SPIN_LOCK = { name: 'the cancel spin lock' };

export class SpinLockRoutines {
  /** KLOCK_QUEUE_HANDLE → the lock it acquired. */
  private readonly handles = new ObjectStates<LockState>();
  private cancelLockReady = false;

  constructor(
    private readonly k: Kernel,
    private readonly locks: LockTable,
  ) {}

  KeInitializeSpinLock(SpinLock: unknown): void {
    this.locks.init(SpinLock, 'spin lock', 'KeInitializeSpinLock');
  }

  /** Raises to DISPATCH_LEVEL, acquires, stores the old IRQL through OldIrql (if given) and returns it. */
  *KeAcquireSpinLock(SpinLock: unknown, OldIrql?: unknown): Co<Irql> {
    const old = yield* this.acquire('KeAcquireSpinLock', SpinLock, 'spin lock', true);
    if (OldIrql !== undefined) writeOut(OldIrql, old);
    return old;
  }

  /** KeAcquireSpinLockRaiseToDpc / KfAcquireSpinLock: the function form returning the old IRQL. */
  *KeAcquireSpinLockRaiseToDpc(SpinLock: unknown): Co<Irql> {
    return yield* this.acquire('KeAcquireSpinLockRaiseToDpc', SpinLock, 'spin lock', true);
  }

  KeReleaseSpinLock(SpinLock: unknown, NewIrql: Irql): void {
    const t = this.k.current;
    const st = this.locks.get(SpinLock, 'spin lock', 'KeReleaseSpinLock');
    if (st === null) return;
    const absorbed = st.owner === t && st.badRecursion > 0;
    if (this.release('KeReleaseSpinLock', t, st) && !absorbed) {
      if (t.irql !== Irql.DISPATCH_LEVEL) this.k.violation('irql-below-required', `KeReleaseSpinLock called at ${irqlName(t.irql)}; a spin lock holder runs at DISPATCH_LEVEL`);
      if (NewIrql !== st.savedIrql) this.k.violation('spinlock-release-irql', `KeReleaseSpinLock(${st.name}) restores ${irqlName(NewIrql)}, but KeAcquireSpinLock saved ${irqlName(st.savedIrql)}`);
    }
    this.lowerTo(t, NewIrql, 'KeReleaseSpinLock');
  }

  /**
   * The one system-wide cancel spin lock. Drivers that set or clear cancel routines take it; it is
   * an ordinary spin lock otherwise (DISPATCH_LEVEL while held, released with the IRQL it saved).
   */
  *IoAcquireCancelSpinLock(Irql_: unknown): Co<Irql> {
    if (!this.cancelLockReady) {
      this.locks.init(CANCEL_SPIN_LOCK, 'spin lock', 'IoAcquireCancelSpinLock');
      this.cancelLockReady = true;
    }
    const old = yield* this.acquire('IoAcquireCancelSpinLock', CANCEL_SPIN_LOCK, 'spin lock', true);
    if (Irql_ !== undefined) writeOut(Irql_, old);
    return old;
  }

  IoReleaseCancelSpinLock(Irql_: Irql): void {
    const t = this.k.current;
    const st = this.cancelLockReady ? this.locks.get(CANCEL_SPIN_LOCK, 'spin lock', 'IoReleaseCancelSpinLock') : null;
    if (st === null || st.owner !== t) {
      this.k.violation('spinlock-not-held', 'IoReleaseCancelSpinLock called by a thread that does not hold the cancel spin lock (take it with IoAcquireCancelSpinLock first)');
      return;
    }
    if (this.release('IoReleaseCancelSpinLock', t, st)) {
      if (Irql_ !== st.savedIrql) this.k.violation('spinlock-release-irql', `IoReleaseCancelSpinLock restores ${irqlName(Irql_)}, but IoAcquireCancelSpinLock saved ${irqlName(st.savedIrql)}`);
    }
    this.lowerTo(t, Irql_, 'IoReleaseCancelSpinLock');
  }

  *KeAcquireSpinLockAtDpcLevel(SpinLock: unknown): Co<void> {
    const t = this.k.current;
    if (t.irql < Irql.DISPATCH_LEVEL) this.k.violation('irql-below-required', `KeAcquireSpinLockAtDpcLevel called at ${irqlName(t.irql)}; it requires DISPATCH_LEVEL`);
    yield* this.acquire('KeAcquireSpinLockAtDpcLevel', SpinLock, 'spin lock', false);
  }

  KeReleaseSpinLockFromDpcLevel(SpinLock: unknown): void {
    const t = this.k.current;
    const st = this.locks.get(SpinLock, 'spin lock', 'KeReleaseSpinLockFromDpcLevel');
    if (st === null) return;
    if (t.irql < Irql.DISPATCH_LEVEL) this.k.violation('irql-below-required', `KeReleaseSpinLockFromDpcLevel called at ${irqlName(t.irql)}; it requires DISPATCH_LEVEL`);
    this.release('KeReleaseSpinLockFromDpcLevel', t, st);
  }

  /** The old IRQL goes into LockHandle->OldIrql, as the WDK's in-stack handle keeps it. */
  *KeAcquireInStackQueuedSpinLock(SpinLock: unknown, LockHandle: unknown): Co<void> {
    const old = yield* this.acquire('KeAcquireInStackQueuedSpinLock', SpinLock, 'queued spin lock', true);
    const st = this.locks.get(SpinLock, 'queued spin lock', 'KeAcquireInStackQueuedSpinLock');
    if (st && this.handles.set(LockHandle, st) && typeof LockHandle === 'object' && LockHandle !== null) {
      (LockHandle as { OldIrql?: number }).OldIrql = old;
    }
  }

  KeReleaseInStackQueuedSpinLock(LockHandle: unknown): void {
    const t = this.k.current;
    const st = this.handles.get(LockHandle);
    if (st === undefined) {
      this.k.violation('spinlock-not-held', 'KeReleaseInStackQueuedSpinLock got a lock handle that no KeAcquireInStackQueuedSpinLock filled in');
      return;
    }
    this.handles.delete(LockHandle);
    const saved = st.savedIrql;
    const stored = (LockHandle as { OldIrql?: number }).OldIrql;
    this.release('KeReleaseInStackQueuedSpinLock', t, st);
    this.lowerTo(t, typeof stored === 'number' ? stored : saved, 'KeReleaseInStackQueuedSpinLock');
  }

  KeTestSpinLock(SpinLock: unknown): number {
    this.k.checkIrql('KeTestSpinLock');
    const st = this.locks.get(SpinLock, 'spin lock', 'KeTestSpinLock');
    return st === null || st.owner === null ? 1 : 0;
  }

  // --- shared by the list routines that take a spin lock ---

  /** Acquires a spin lock; with `raise`, first raises to DISPATCH_LEVEL. Returns the IRQL before. */
  *acquire(routine: string, lock: unknown, kind: 'spin lock' | 'queued spin lock', raise: boolean): Co<Irql> {
    const k = this.k;
    const t = k.current;
    const old = t.irql;
    k.checkIrql(routine);
    const st = this.locks.get(lock, kind, routine);
    if (st === null) return old;
    if (st.owner === t) {
      st.badRecursion++;
      k.violation('lock-recursive', `${routine}: ${t.name} already holds ${st.kind} ${st.name}; on a real system this spins forever`);
      return old;
    }
    if (raise && old < Irql.DISPATCH_LEVEL) {
      // Uncontended, the `lock` event below records the raise; a contender spins at DISPATCH_LEVEL first.
      if (st.owner !== null) k.setIrql(t, Irql.DISPATCH_LEVEL, `${routine}(${st.name}) spins`);
      else t.irql = Irql.DISPATCH_LEVEL;
    }
    while (st.owner !== null) {
      // Spin while the owner runs on another processor; wait if it cannot run at all.
      if (st.owner.cpu >= 0 && st.owner.state === 'running') yield Trap.Yield;
      else {
        yield* this.locks.wait(t, st, true);
        // grant() made us the owner.
        break;
      }
    }
    if (st.owner !== t) {
      st.owner = t;
      st.depth = 1;
      this.locks.hold(t, st);
    }
    st.savedIrql = old;
    k.emit('lock', 0, `${routine}(${st.name}) from ${irqlName(old)}`);
    return old;
  }

  /** Releases if `t` owns the lock; records spinlock-not-held otherwise. True when released. */
  release(routine: string, t: KThread, st: LockState): boolean {
    if (st.owner !== t) {
      this.k.violation('spinlock-not-held', `${routine}(${st.name}) by ${t.name}, which does not hold it (${st.describe()})`);
      return false;
    }
    if (st.badRecursion > 0) {
      st.badRecursion--;
      return true;
    }
    st.owner = null;
    st.depth = 0;
    this.locks.unhold(t, st);
    this.k.emit('unlock', 0, `${routine}(${st.name})`);
    this.locks.grant(st);
    return true;
  }

  private lowerTo(t: KThread, irql: Irql, routine: string): void {
    if (irql > t.irql) {
      this.k.violation('irql-bad-raise', `${routine} would raise IRQL from ${irqlName(t.irql)} to ${irqlName(irql)}`);
    }
    this.k.setIrql(t, irql, routine);
  }
}
