/**
 * Deferred procedure calls (KDPC). A DPC object lives in driver memory; KeInitializeDpc names its
 * routine and context. Queuing it (KeInsertQueueDpc, or a timer's expiry) puts it on the DPC queue,
 * which the completion context (workqueue.ts) drains at DISPATCH_LEVEL ahead of every thread below
 * it, so the routine runs on the scenario's virtual clock where the debugger and the timeline see it.
 * A DPC is queued at most once: inserting a queued DPC does nothing and returns FALSE.
 */
import type { Co } from './coroutine';
import { nameOf, type DriverFn } from './driverFn';
import { irqlBound, callSite, kernelFrame, type Kernel } from './kernel';
import { ObjectStates, addressName, isAddressable } from './objects';
import type { SourceLocation } from './events';
import type { KThread } from './thread';
import type { CompletionContext, CompletionEntry } from './workqueue';

const FLUSH = irqlBound('KeFlushQueuedDpcs');

export class DpcObject {
  /** The entry on the DPC queue while queued; a removed entry stays in the queue but does nothing. */
  queued: DpcRun | null = null;
  running = 0;
  /** Driver line of the last insertion (for violations about it). */
  queuedAt: SourceLocation | undefined = undefined;

  constructor(
    /** The pointer the driver passed: what the routine receives as its Dpc argument. */
    readonly pointer: unknown,
    readonly name: string,
    readonly routine: DriverFn,
    readonly routineName: string,
    readonly context: unknown,
    readonly threaded: boolean,
  ) {}
}

/** One insertion of a DPC into the queue. */
class DpcRun implements CompletionEntry {
  readonly data = 0;
  cancelled = false;

  constructor(
    private readonly owner: DpcRoutines,
    readonly dpc: DpcObject,
    readonly arg1: unknown,
    readonly arg2: unknown,
    readonly why: string,
  ) {}

  get label(): string {
    return `DPC ${this.dpc.routineName}`;
  }

  run(t: KThread): Co<void> {
    return this.owner.runDpc(t, this);
  }
}

export class DpcRoutines {
  private readonly dpcs = new ObjectStates<DpcObject>();
  private readonly live = new Set<DpcObject>();
  private count = 0;

  constructor(
    private readonly k: Kernel,
    private readonly completion: CompletionContext,
  ) {}

  /** The state behind a KDPC the driver initialized, or null (with a violation naming `routine`). */
  dpc(Dpc: unknown, routine: string): DpcObject | null {
    const d = this.dpcs.get(Dpc);
    if (d !== undefined) return d;
    if (!isAddressable(Dpc)) this.k.violation('null-param', `${routine} needs a KDPC, got ${Dpc === null || Dpc === undefined ? 'NULL' : String(Dpc)}`);
    else this.k.violation('uninitialized-object', `${routine} was given ${addressName(Dpc, 'a KDPC')} before KeInitializeDpc initialized it; the call is ignored`);
    return null;
  }

  KeInitializeDpc(Dpc: unknown, DeferredRoutine: DriverFn, DeferredContext: unknown): void {
    this.initialize('KeInitializeDpc', Dpc, DeferredRoutine, DeferredContext, false);
  }

  /** A threaded DPC runs at PASSIVE_LEVEL when threaded DPCs are enabled; fltsim runs it as an ordinary DPC, as Windows does when they are disabled. */
  KeInitializeThreadedDpc(Dpc: unknown, DeferredRoutine: DriverFn, DeferredContext: unknown): void {
    this.initialize('KeInitializeThreadedDpc', Dpc, DeferredRoutine, DeferredContext, true);
  }

  private initialize(routine: string, Dpc: unknown, DeferredRoutine: DriverFn, DeferredContext: unknown, threaded: boolean): void {
    const k = this.k;
    k.checkIrql(routine);
    if (!isAddressable(Dpc)) {
      k.violation('null-param', `${routine} needs the address of a KDPC`);
      return;
    }
    if (!DeferredRoutine) {
      k.violation('null-param', `${routine} needs a DeferredRoutine`);
      return;
    }
    const old = this.dpcs.get(Dpc);
    if (old?.queued) k.violation('dpc-reinitialized-while-queued', `${routine} reinitializes ${old.name} while it is still queued for ${old.routineName}`);
    const d = new DpcObject(Dpc, addressName(Dpc, `KDPC#${++this.count}`), DeferredRoutine, nameOf(DeferredRoutine, 'DeferredRoutine'), DeferredContext ?? null, threaded);
    this.dpcs.set(Dpc, d);
    if (old) this.live.delete(old);
    this.live.add(d);
    // KDPC's fields, for drivers that read them back.
    if (typeof Dpc === 'object' && Dpc !== null && 'DeferredRoutine' in Dpc) {
      const v = Dpc as { DeferredRoutine: unknown; DeferredContext: unknown };
      v.DeferredRoutine = DeferredRoutine;
      v.DeferredContext = DeferredContext ?? null;
    }
  }

  /** Queues the DPC; FALSE when it was already queued (and then nothing changes). */
  KeInsertQueueDpc(Dpc: unknown, SystemArgument1: unknown, SystemArgument2: unknown): number {
    this.k.checkIrql('KeInsertQueueDpc');
    const d = this.dpc(Dpc, 'KeInsertQueueDpc');
    if (d === null) return 0;
    return this.insert(d, SystemArgument1 ?? null, SystemArgument2 ?? null, 'KeInsertQueueDpc') ? 1 : 0;
  }

  /** Takes a queued DPC off the queue; FALSE when it was not queued (it may be running). */
  KeRemoveQueueDpc(Dpc: unknown): number {
    const k = this.k;
    k.checkIrql('KeRemoveQueueDpc');
    const d = this.dpc(Dpc, 'KeRemoveQueueDpc');
    if (d === null || d.queued === null) return 0;
    k.touchObject(d, true);
    d.queued.cancelled = true;
    d.queued = null;
    k.emit('dpc-remove', 0, `KeRemoveQueueDpc(${d.name}): ${d.routineName} taken off the DPC queue before it ran`);
    return 1;
  }

  /** Returns once every DPC queued before the call has run (the caller must be at PASSIVE_LEVEL). */
  *KeFlushQueuedDpcs(): Co<void> {
    const k = this.k;
    k.checkBound(FLUSH);
    const t = k.current;
    if (t === this.completion.thread) return;
    while (this.completion.pending.some((e) => e instanceof DpcRun && !e.cancelled) || (this.completion.current instanceof DpcRun)) {
      yield* this.waitForQueue(t);
    }
  }

  private *waitForQueue(t: KThread): Co<void> {
    yield* this.completion.waitForProgress(t, 'queued DPCs to run (KeFlushQueuedDpcs)');
  }

  KeSetImportanceDpc(Dpc: unknown, _Importance: number): void {
    this.dpc(Dpc, 'KeSetImportanceDpc');
  }

  KeSetTargetProcessorDpc(Dpc: unknown, _Number: number): void {
    this.dpc(Dpc, 'KeSetTargetProcessorDpc');
  }

  /** Queues `d` (from KeInsertQueueDpc or a timer's expiry); false when already queued. */
  insert(d: DpcObject, arg1: unknown, arg2: unknown, why: string): boolean {
    const k = this.k;
    k.touchObject(d, true);
    if (d.queued !== null) {
      k.emit('dpc-queue', 0, `${why}: ${d.name} is already queued; ${d.routineName} will run once`);
      return false;
    }
    const run = new DpcRun(this, d, arg1, arg2, why);
    d.queued = run;
    const site = callSite(k.current);
    d.queuedAt = site?.location;
    const scope = k.current.scope;
    if (scope) scope.handoffs++;
    k.emit('dpc-queue', 0, `${why}: ${d.routineName} queued (${d.name})`);
    this.completion.queue(run);
    return true;
  }

  *runDpc(t: KThread, run: DpcRun): Co<void> {
    const k = this.k;
    const d = run.dpc;
    k.touchObject(d, true);
    if (run.cancelled || d.queued !== run) return;
    d.queued = null;
    d.running++;
    t.frames.push(kernelFrame('KiExecuteDpc', 'nt'));
    const depth = t.frames.length - 1;
    k.emit('dpc-start', 0, `${d.routineName}(${d.name}) starts at DISPATCH_LEVEL`);
    const scope = t.scope;
    t.scope = { role: 'other', data: null, unsafe: false, irqlQueried: false, handoffs: 0, failedHandoff: null };
    try {
      yield* k.callDriver(t, d.routine, d.routineName, [d.pointer, d.context, run.arg1, run.arg2]);
    } finally {
      t.scope = scope;
      d.running--;
      while (t.frames.length > depth) t.frames.pop();
    }
    k.emit('dpc-end', 0, `${d.routineName}(${d.name}) returns`);
  }

  /** DPCs still queued (the driver's code would run after it is gone). */
  queuedDpcs(): DpcObject[] {
    const out: DpcObject[] = [];
    for (const d of this.live) {
      // Whether a DPC is still queued depends on whether it ran first: a choice exploration must see.
      this.k.touchObject(d, false);
      if (d.queued !== null) out.push(d);
    }
    return out;
  }

  /** Takes `d` off the queue without an event (the driver unloaded: the model stops it running freed code). */
  drop(d: DpcObject): void {
    if (d.queued) d.queued.cancelled = true;
    d.queued = null;
  }
}
