/**
 * Dispatcher objects and waits: KEVENT, KSEMAPHORE, KMUTEX, thread objects; KeWaitForSingleObject
 * and KeDelayExecutionThread block the simulated thread until signalled or until the virtual clock
 * reaches the timeout. Also the clock queries.
 */
import { Trap, type Co } from './coroutine';
import { Irql, irqlName } from './irql';
import type { Kernel } from './kernel';
import { ObjectStates, addressName, isAddressable, writeLargeOut } from './objects';
import { STATUS } from './status';
import { KThread } from './thread';
import { deadlineFor, systemTimeAt, timeoutUnits, UNITS_PER_TICK, type TimeoutArg } from './time';

export const NotificationEvent = 0;
export const SynchronizationEvent = 1;

type DispatcherKind = 'event' | 'semaphore' | 'mutex' | 'timer';

/**
 * A waiter on several objects at once (KeWaitForMultipleObjects, multiWait.ts): when one of its
 * objects is signalled it is offered the chance to end its wait; `offer` returns true when it did
 * (it then has left every wait list it was on).
 */
export interface CompoundWaiter {
  offer(): boolean;
}

export type Waiter = KThread | CompoundWaiter;

export class DispatcherObject {
  readonly waiters: Waiter[] = [];
  /** KMUTEX owner and recursion. */
  owner: KThread | null = null;
  depth = 0;

  constructor(
    readonly kind: DispatcherKind,
    readonly name: string,
    /** Events: NotificationEvent or SynchronizationEvent. */
    readonly eventType: number,
    /** Events: 0/1; semaphores: the count. */
    public signal: number,
    readonly limit = 0,
  ) {}

  describe(): string {
    if (this.kind === 'timer') return `${this.eventType === NotificationEvent ? 'notification' : 'synchronization'} timer ${this.name} (${this.signal ? 'signalled' : 'not signalled'})`;
    if (this.kind === 'event') return `${this.eventType === NotificationEvent ? 'notification' : 'synchronization'} event ${this.name} (${this.signal ? 'signalled' : 'not signalled'})`;
    if (this.kind === 'semaphore') return `semaphore ${this.name} (count ${this.signal})`;
    return `mutex ${this.name} (${this.owner ? `owned by ${this.owner.name}` : 'free'})`;
  }
}

export class DispatcherRoutines {
  private readonly objects = new ObjectStates<DispatcherObject>();
  private count = 0;
  /** Threads others wait for (a PETHREAD from PsCreateSystemThread passed to KeWaitForSingleObject). */
  private readonly threadWaiters = new Map<KThread, Waiter[]>();

  constructor(private readonly k: Kernel) {
    k.exitHooks.push((t) => {
      // Checked first: looking a thread up would give every exiting thread an identity hash.
      if (this.threadWaiters.size === 0) return;
      const ws = this.threadWaiters.get(t);
      if (!ws) return;
      this.threadWaiters.delete(t);
      for (const w of ws) {
        if (w instanceof KThread) this.k.wake(w, STATUS.STATUS_SUCCESS);
        else w.offer();
      }
    });
  }

  /** The state behind a dispatcher object, created on first use (with a warning) when not initialized. */
  object(obj: unknown, kind: DispatcherKind, routine: string): DispatcherObject | null {
    let st = this.objects.get(obj);
    if (st === undefined) {
      if (!isAddressable(obj)) {
        this.k.violation('null-param', `${routine} needs a dispatcher object, got ${obj === null ? 'NULL' : String(obj)}`);
        return null;
      }
      st = new DispatcherObject(kind, addressName(obj, `KEVENT#${++this.count}`), NotificationEvent, 0);
      this.objects.set(obj, st);
      this.k.violation('uninitialized-object', `${routine} used ${st.name} before it was initialized`);
    }
    return st;
  }

  /** Gives `obj` the state `st` (timers.ts makes KTIMERs waitable this way). */
  adopt(obj: unknown, st: DispatcherObject): void {
    this.objects.set(obj, st);
  }

  /** The state behind `obj` if it was initialized, without side effects. */
  peek(obj: unknown): DispatcherObject | undefined {
    return this.objects.get(obj);
  }

  /** Sets `obj` to the signalled state and releases the waiters it satisfies. */
  signal(obj: DispatcherObject): void {
    obj.signal = 1;
    this.satisfyWaiters(obj);
  }

  // --- events ---

  KeInitializeEvent(Event: unknown, Type: number, State: unknown): void {
    this.k.checkIrql('KeInitializeEvent');
    if (!isAddressable(Event)) {
      this.k.violation('null-param', 'KeInitializeEvent needs the address of a KEVENT');
      return;
    }
    this.objects.set(Event, new DispatcherObject('event', addressName(Event, `KEVENT#${++this.count}`), Type === SynchronizationEvent ? 1 : 0, State ? 1 : 0));
  }

  /** Signals the event and returns its previous state. */
  KeSetEvent(Event: unknown, _Increment: number, Wait: unknown): number {
    const k = this.k;
    k.checkIrql('KeSetEvent');
    if (Wait && k.current.irql > Irql.APC_LEVEL) {
      k.violation('irql-above-bound', `KeSetEvent with Wait = TRUE called at ${irqlName(k.current.irql)}; it requires APC_LEVEL or below`);
    }
    const ev = this.object(Event, 'event', 'KeSetEvent');
    if (ev === null) return 0;
    const prev = ev.signal;
    // Signalling an event may be how a pre-op hands an operation to its own worker thread.
    if (k.current.scope) k.current.scope.handoffs++;
    k.emit('wake', 0, `KeSetEvent(${ev.name})`);
    ev.signal = 1;
    this.satisfyWaiters(ev);
    return prev;
  }

  KeClearEvent(Event: unknown): void {
    this.k.checkIrql('KeClearEvent');
    const ev = this.object(Event, 'event', 'KeClearEvent');
    if (ev) ev.signal = 0;
  }

  KeResetEvent(Event: unknown): number {
    this.k.checkIrql('KeResetEvent');
    const ev = this.object(Event, 'event', 'KeResetEvent');
    if (!ev) return 0;
    const prev = ev.signal;
    ev.signal = 0;
    return prev;
  }

  KeReadStateEvent(Event: unknown): number {
    this.k.checkIrql('KeReadStateEvent');
    return this.object(Event, 'event', 'KeReadStateEvent')?.signal ?? 0;
  }

  // --- semaphores and mutex objects ---

  KeInitializeSemaphore(Semaphore: unknown, Count: number, Limit: number): void {
    this.k.checkIrql('KeInitializeSemaphore');
    if (!isAddressable(Semaphore)) return;
    this.objects.set(Semaphore, new DispatcherObject('semaphore', addressName(Semaphore, `KSEMAPHORE#${++this.count}`), 0, Count, Limit));
  }

  /** Adds Adjustment to the count and returns the previous count. */
  KeReleaseSemaphore(Semaphore: unknown, _Increment: number, Adjustment: number, _Wait: unknown): number {
    this.k.checkIrql('KeReleaseSemaphore');
    const s = this.object(Semaphore, 'semaphore', 'KeReleaseSemaphore');
    if (!s) return 0;
    const prev = s.signal;
    s.signal = Math.min(s.limit || Infinity, s.signal + Adjustment);
    this.satisfyWaiters(s);
    return prev;
  }

  KeReadStateSemaphore(Semaphore: unknown): number {
    this.k.checkIrql('KeReadStateSemaphore');
    return this.object(Semaphore, 'semaphore', 'KeReadStateSemaphore')?.signal ?? 0;
  }

  KeInitializeMutex(Mutex: unknown, _Level: number): void {
    this.k.checkIrql('KeInitializeMutex');
    if (!isAddressable(Mutex)) return;
    this.objects.set(Mutex, new DispatcherObject('mutex', addressName(Mutex, `KMUTEX#${++this.count}`), 0, 1));
  }

  KeReleaseMutex(Mutex: unknown, _Wait: unknown): number {
    this.k.checkIrql('KeReleaseMutex');
    const m = this.object(Mutex, 'mutex', 'KeReleaseMutex');
    if (!m) return 0;
    const t = this.k.current;
    if (m.owner !== t) {
      this.k.violation('lock-not-held', `KeReleaseMutex(${m.name}) by ${t.name}, which does not own it`);
      return 0;
    }
    if (--m.depth === 0) {
      m.owner = null;
      m.signal = 1;
      this.satisfyWaiters(m);
    }
    return 0;
  }

  // --- waits ---

  /**
   * Waits for an event, semaphore, mutex or thread. Returns STATUS_SUCCESS when signalled and
   * STATUS_TIMEOUT when the timeout expires first (a zero timeout only tests the state).
   */
  *KeWaitForSingleObject(Object: unknown, _WaitReason: number, _WaitMode: number, _Alertable: unknown, Timeout: TimeoutArg): Co<number> {
    const k = this.k;
    const t = k.current;
    const units = timeoutUnits(Timeout);
    if (units !== 0 && t.irql > Irql.APC_LEVEL) {
      k.violation('wait-at-dispatch', `KeWaitForSingleObject with ${units === null ? 'no' : 'a non-zero'} timeout at ${irqlName(t.irql)}; only a zero timeout is allowed at DISPATCH_LEVEL`);
    } else k.checkIrql('KeWaitForSingleObject');
    if (Object instanceof KThread) return yield* this.waitThread(t, Object, units);
    const obj = this.object(Object, 'event', 'KeWaitForSingleObject');
    if (obj === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (this.trySatisfy(obj, t)) return STATUS.STATUS_SUCCESS;
    if (units === 0) return STATUS.STATUS_TIMEOUT;
    obj.waiters.push(t);
    k.beginWait(t, obj.describe(), units === null ? null : deadlineFor(k.now, units), STATUS.STATUS_TIMEOUT, () => {
      const i = obj.waiters.indexOf(t);
      if (i >= 0) obj.waiters.splice(i, 1);
    });
    t.awaitsSignal = obj.kind !== 'mutex';
    yield Trap.Block;
    return t.waitStatus;
  }

  /** Sleeps for Interval (negative: relative, in 100 ns units). */
  *KeDelayExecutionThread(_WaitMode: number, _Alertable: unknown, Interval: TimeoutArg): Co<number> {
    const k = this.k;
    const t = k.current;
    k.checkIrql('KeDelayExecutionThread');
    const units = timeoutUnits(Interval) ?? 0;
    const deadline = deadlineFor(k.now, units);
    if (deadline <= k.now) return STATUS.STATUS_SUCCESS;
    k.beginWait(t, `a delay until ${deadline} ms`, deadline, STATUS.STATUS_SUCCESS);
    yield Trap.Block;
    return STATUS.STATUS_SUCCESS;
  }

  /** Ends `t`'s wait on `Object` early with `status` (a cancellable wait whose operation is cancelled). */
  abandonWait(Object: unknown, t: KThread, status: number): void {
    const st = this.objects.get(Object);
    if (st !== undefined) {
      const i = st.waiters.indexOf(t);
      if (i >= 0) st.waiters.splice(i, 1);
    }
    this.k.wake(t, status);
  }

  // --- clock ---

  KeQuerySystemTime(CurrentTime: unknown): void {
    this.k.touchObject(this.k.sched.timers, false);
    writeLargeOut(CurrentTime, systemTimeAt(this.k.now));
  }

  KeQuerySystemTimePrecise(CurrentTime: unknown): void {
    this.k.touchObject(this.k.sched.timers, false);
    writeLargeOut(CurrentTime, systemTimeAt(this.k.now));
  }

  /** 100 ns units since boot. */
  KeQueryInterruptTime(): number {
    this.k.touchObject(this.k.sched.timers, false);
    return this.k.now * UNITS_PER_TICK;
  }

  /** One tick of the simulation is one clock interval. */
  KeQueryTickCount(CurrentCount: unknown): void {
    this.k.touchObject(this.k.sched.timers, false);
    writeLargeOut(CurrentCount, this.k.now);
  }

  KeQueryTimeIncrement(): number {
    return UNITS_PER_TICK;
  }

  /** The performance counter runs at 10 MHz (as on most x64 Windows 10/11 machines): 100 ns units since boot. */
  KeQueryPerformanceCounter(PerformanceFrequency: unknown): { QuadPart: number } {
    this.k.touchObject(this.k.sched.timers, false);
    if (PerformanceFrequency !== null && PerformanceFrequency !== undefined) writeLargeOut(PerformanceFrequency, 10_000_000);
    return { QuadPart: this.k.now * UNITS_PER_TICK };
  }

  // --- the mechanics ---

  private trySatisfy(obj: DispatcherObject, t: KThread): boolean {
    if (!this.canSatisfy(obj, t)) return false;
    this.consume(obj, t);
    return true;
  }

  /** Whether a wait of `t` on `obj` would be satisfied now (nothing changes). */
  canSatisfy(obj: DispatcherObject, t: KThread): boolean {
    switch (obj.kind) {
      case 'event':
      case 'timer':
        return obj.signal !== 0;
      case 'semaphore':
        return obj.signal > 0;
      case 'mutex':
        return obj.owner === null || obj.owner === t;
    }
  }

  /** What satisfying a wait of `t` does to `obj`: a synchronization object resets, a semaphore counts down, a mutex gets its owner. */
  consume(obj: DispatcherObject, t: KThread): void {
    switch (obj.kind) {
      case 'event':
      case 'timer':
        if (obj.eventType === SynchronizationEvent) obj.signal = 0;
        return;
      case 'semaphore':
        obj.signal--;
        return;
      case 'mutex':
        obj.owner = t;
        obj.depth++;
        obj.signal = 0;
    }
  }

  /** The threads and compound waits waiting for `target` to exit. */
  threadWaitList(target: KThread): Waiter[] {
    let list = this.threadWaiters.get(target);
    if (list === undefined) this.threadWaiters.set(target, (list = []));
    return list;
  }

  private satisfyWaiters(obj: DispatcherObject): void {
    let i = 0;
    while (i < obj.waiters.length) {
      const w = obj.waiters[i]!;
      if (!(w instanceof KThread)) {
        // A wait for several objects may need others too (WaitAll): it stays, and the next waiter is tried.
        if (!w.offer()) i++;
        continue;
      }
      if (!this.trySatisfy(obj, w)) return;
      obj.waiters.splice(i, 1);
      this.k.wake(w, STATUS.STATUS_SUCCESS);
    }
  }

  private *waitThread(t: KThread, target: KThread, units: number | null): Co<number> {
    if (target.state === 'terminated') return STATUS.STATUS_SUCCESS;
    if (units === 0) return STATUS.STATUS_TIMEOUT;
    const list = this.threadWaitList(target);
    list.push(t);
    this.k.beginWait(t, `thread ${target.name} to exit`, units === null ? null : deadlineFor(this.k.now, units), STATUS.STATUS_TIMEOUT, () => {
      const i = list.indexOf(t);
      if (i >= 0) list.splice(i, 1);
    });
    yield Trap.Block;
    return t.waitStatus;
  }
}
