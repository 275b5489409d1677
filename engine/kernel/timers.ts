/**
 * Kernel timers (KTIMER). A timer is a dispatcher object (dispatcher.ts): setting it clears its
 * signal state; when its due time comes on the virtual clock it is signalled — a notification timer
 * stays signalled and releases every waiter, a synchronization timer releases one waiter and resets —
 * and the DPC given to KeSetTimer(Ex) is queued (dpcs.ts). A periodic timer (KeSetTimerEx with a
 * Period in ms) is set again each period until cancelled. Due times are LARGE_INTEGERs: negative is
 * an interval from now, positive an absolute system time, both in 100 ns units (time.ts).
 *
 * Checks: a timer still set, or its DPC still queued, when its driver unloads (the routine would run
 * in freed code: bug check 0xCE on Windows) is recorded at the line that set it and the timer is
 * stopped; a timer whose memory was freed while it was set is recorded when it would have expired.
 */
import { DispatcherObject, NotificationEvent, SynchronizationEvent, type DispatcherRoutines } from './dispatcher';
import type { DpcObject, DpcRoutines } from './dpcs';
import type { SourceLocation } from './events';
import type { Timer } from './heap';
import { callSite, type Kernel } from './kernel';
import { addressOf } from './marshal';
import { addressName, isAddressable } from './objects';
import { deadlineFor, formatTicks, systemTimeAt, timeoutUnits, UNITS_PER_TICK } from './time';
import { Allocation } from '../memory/allocation';

export class TimerObject {
  set = false;
  /** Tick of the next expiry while set. */
  due = 0;
  /** ms between expiries; 0 for a one-shot timer. */
  period = 0;
  dpc: DpcObject | null = null;
  pending: Timer | null = null;
  setAt: SourceLocation | undefined = undefined;
  /** Expiries so far (the timeline numbers them). */
  fired = 0;

  constructor(
    readonly pointer: unknown,
    readonly state: DispatcherObject,
  ) {}

  get name(): string {
    return this.state.name;
  }
}

export class TimerRoutines {
  private readonly timers = new Set<TimerObject>();
  private count = 0;

  constructor(
    private readonly k: Kernel,
    private readonly dispatcher: DispatcherRoutines,
    private readonly dpcs: DpcRoutines,
  ) {}

  KeInitializeTimer(Timer: unknown): void {
    this.initialize('KeInitializeTimer', Timer, NotificationEvent);
  }

  KeInitializeTimerEx(Timer: unknown, Type: number): void {
    if (Type !== NotificationEvent && Type !== SynchronizationEvent) {
      this.k.violation('invalid-parameter', `KeInitializeTimerEx with Type ${Type}: it must be NotificationTimer (0) or SynchronizationTimer (1)`);
      return;
    }
    this.initialize('KeInitializeTimerEx', Timer, Type);
  }

  private initialize(routine: string, Timer: unknown, type: number): void {
    const k = this.k;
    k.checkIrql(routine);
    if (!isAddressable(Timer)) {
      k.violation('null-param', `${routine} needs the address of a KTIMER`);
      return;
    }
    const old = this.timerOf(Timer);
    if (old?.set) {
      k.violation('timer-reinitialized-while-set', `${routine} reinitializes ${old.name} while it is set (due at ${formatTicks(old.due)}); cancel it first with KeCancelTimer`);
      this.stop(old);
    }
    const st = new DispatcherObject('timer', addressName(Timer, `KTIMER#${++this.count}`), type, 0);
    const t = new TimerObject(Timer, st);
    this.dispatcher.adopt(Timer, st);
    if (old) this.timers.delete(old);
    this.timers.add(t);
  }

  KeSetTimer(Timer: unknown, DueTime: unknown, Dpc: unknown): number {
    return this.setTimer('KeSetTimer', Timer, DueTime, 0, Dpc);
  }

  KeSetTimerEx(Timer: unknown, DueTime: unknown, Period: number, Dpc: unknown): number {
    return this.setTimer('KeSetTimerEx', Timer, DueTime, Period, Dpc);
  }

  KeSetCoalescableTimer(Timer: unknown, DueTime: unknown, Period: number, _TolerableDelay: number, Dpc: unknown): number {
    return this.setTimer('KeSetCoalescableTimer', Timer, DueTime, Period, Dpc);
  }

  /** TRUE when the timer was already set (it is set again from now on). */
  private setTimer(routine: string, Timer: unknown, DueTime: unknown, Period: number, Dpc: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const t = this.timer(Timer, routine);
    if (t === null) return 0;
    const units = timeoutUnits(DueTime);
    if (units === null) {
      k.violation('invalid-parameter', `${routine}(${t.name}) needs a DueTime (a LARGE_INTEGER: negative for an interval, positive for an absolute time, in 100 ns units)`);
      return 0;
    }
    const period = Number(Period ?? 0);
    if (!Number.isInteger(period) || period < 0) {
      k.violation('invalid-parameter', `${routine}(${t.name}) with Period ${String(Period)}: it must be 0 or a number of milliseconds`);
      return 0;
    }
    let dpc: DpcObject | null = null;
    if (Dpc !== null && Dpc !== undefined && Dpc !== 0) {
      dpc = this.dpcs.dpc(Dpc, routine);
      if (dpc === null) return 0;
    }
    k.touchObject(t, true);
    const was = t.set;
    if (was) this.stop(t);
    t.state.signal = 0;
    t.set = true;
    t.period = period;
    t.dpc = dpc;
    t.setAt = callSite(k.current)?.location;
    const scope = k.current.scope;
    if (dpc !== null && scope) scope.handoffs++;
    this.arm(t, deadlineFor(k.now, units));
    const when = units < 0 ? `in ${Math.ceil(-units / UNITS_PER_TICK)} ms` : `at ${formatTicks(t.due)}`;
    k.emit('timer-set', 0, `${routine}(${t.name}) due ${when}${period > 0 ? `, then every ${period} ms` : ''}${dpc ? `, DPC ${dpc.routineName}` : ''}${was ? ' (it was already set)' : ''}`);
    return was ? 1 : 0;
  }

  /** TRUE when the timer was set. A DPC the timer already queued stays queued (KeRemoveQueueDpc takes it off). */
  KeCancelTimer(Timer: unknown): number {
    const k = this.k;
    k.checkIrql('KeCancelTimer');
    const t = this.timer(Timer, 'KeCancelTimer');
    if (t === null) return 0;
    k.touchObject(t, true);
    if (!t.set) {
      k.emit('timer-cancel', 0, `KeCancelTimer(${t.name}): it was not set${t.dpc?.queued ? `; its DPC ${t.dpc.routineName} is still queued` : ''}`);
      return 0;
    }
    this.stop(t);
    k.emit('timer-cancel', 0, `KeCancelTimer(${t.name}): cancelled before its expiry at ${formatTicks(t.due)}`);
    return 1;
  }

  KeReadStateTimer(Timer: unknown): number {
    this.k.checkIrql('KeReadStateTimer');
    const t = this.timer(Timer, 'KeReadStateTimer');
    if (t === null) return 0;
    this.k.touchObject(t, false);
    return t.state.signal;
  }

  private timerOf(Timer: unknown): TimerObject | undefined {
    const st = this.dispatcher.peek(Timer);
    if (st === undefined || st.kind !== 'timer') return undefined;
    for (const t of this.timers) if (t.state === st) return t;
    return undefined;
  }

  private timer(Timer: unknown, routine: string): TimerObject | null {
    const t = this.timerOf(Timer);
    if (t !== undefined) return t;
    if (!isAddressable(Timer)) this.k.violation('null-param', `${routine} needs a KTIMER, got NULL`);
    else this.k.violation('uninitialized-object', `${routine} was given ${addressName(Timer, 'a KTIMER')} before KeInitializeTimer(Ex) initialized it; the call is ignored`);
    return null;
  }

  private arm(t: TimerObject, tick: number): void {
    t.due = Math.max(tick, this.k.now);
    t.pending = this.k.sched.addTimer(t.due, () => this.expire(t));
  }

  private stop(t: TimerObject): void {
    t.set = false;
    if (t.pending !== null) {
      this.k.touchObject(this.k.sched.timers, true);
      t.pending.cancelled = true;
      t.pending = null;
    }
  }

  private expire(t: TimerObject): void {
    const k = this.k;
    t.pending = null;
    if (!t.set) return;
    k.touchObject(t, true);
    if (memoryFreed(t.pointer)) {
      t.set = false;
      k.violation('timer-freed-while-set', `the memory of ${t.name} was freed while the timer was set; it expires at ${formatTicks(k.now)} in freed memory (cancel it with KeCancelTimer before freeing it)`, 0, k.outside, t.setAt);
      return;
    }
    t.fired++;
    const periodic = t.period > 0;
    // A periodic timer keeps itself set; it stops re-arming once nothing else is scheduled, or the run would never end.
    t.set = periodic && this.othersScheduled();
    k.emitOn(k.outside, 'timer-expire', 0, `${t.name} expires (${t.fired === 1 ? 'first expiry' : `expiry ${t.fired}`})${t.dpc ? `: queues DPC ${t.dpc.routineName}` : ''}${periodic && !t.set ? '; the workload is over, so it is not set again' : ''}`);
    this.dispatcher.signal(t.state);
    if (t.dpc !== null) {
      const time = systemTimeAt(k.now);
      this.dpcs.insert(t.dpc, time % 2 ** 32, Math.floor(time / 2 ** 32), `${t.name} expires`);
    }
    if (t.set) this.arm(t, k.now + t.period);
  }

  /** Something but periodic timers is left to happen: another timer (a wait, a workload event) or a runnable thread. */
  private othersScheduled(): boolean {
    const mine = new Set<Timer>();
    for (const x of this.timers) if (x.pending !== null) mine.add(x.pending);
    return this.k.sched.timers.some((h) => !h.cancelled && !mine.has(h)) || this.k.sched.readyThreads().length > 0;
  }

  /**
   * The driver unloaded: every timer it left set and DPC it left queued is recorded at the line
   * that set or queued it, and stopped (its routine is gone).
   */
  driverUnloaded(): void {
    const k = this.k;
    for (const t of this.timers) {
      k.touchObject(t, false);
      if (!t.set) continue;
      k.violation('timer-set-at-unload', `${t.name} is still set (due at ${formatTicks(t.due)}${t.period > 0 ? `, every ${t.period} ms` : ''}${t.dpc ? `, DPC ${t.dpc.routineName}` : ''}) when the driver unloads; cancel it with KeCancelTimer in the unload routine`, 0, k.current, t.setAt);
      this.stop(t);
    }
    for (const d of this.dpcs.queuedDpcs()) {
      k.violation('dpc-queued-at-unload', `DPC ${d.routineName} (${d.name}) is still queued when the driver unloads; remove it with KeRemoveQueueDpc or wait with KeFlushQueuedDpcs`, 0, k.current, d.queuedAt);
      this.dpcs.drop(d);
    }
  }
}

function memoryFreed(pointer: unknown): boolean {
  const a = addressOf(pointer) as { alloc?: unknown } | undefined;
  return a !== undefined && a.alloc instanceof Allocation && a.alloc.freed;
}

