/**
 * The system work queues (CriticalWorkQueue, DelayedWorkQueue) with their worker threads, and the
 * completion context: one thread at DISPATCH_LEVEL that runs I/O completion work the way DPCs do.
 * Critical workers run at a higher priority than delayed ones; both above I/O threads.
 */
import { Trap, type Co } from './coroutine';
import type { DriverCallMark } from './driverCallMark';
import { Irql } from './irql';
import { kernelFrame, type Kernel } from './kernel';
import { PRIORITY, type KThread } from './thread';

export type WorkQueueName = 'CriticalWorkQueue' | 'DelayedWorkQueue';

/**
 * What a worker notes when an entry starts a driver routine: the thread's state for the checks
 * after the routine returns, and whom the work is for. One per worker, reused for every entry.
 */
export class WorkRun {
  /** Set when the routine's generator runs on: what leaveDriver checks when it ends. */
  mark: DriverCallMark | null = null;
  owner: unknown = null;
}

/** Something a worker thread runs. */
export interface WorkEntry {
  readonly id: number;
  /** The routine the snapshot shows for the item (`CsqWorker`). */
  readonly label: string;
  /** `generic work item`, `deferred I/O work item`, … */
  readonly kind: string;
  /**
   * Runs the entry: undefined when it is done, or a generator that finishes it (run with `yield*`).
   * The entry may note in `run` what its `end` needs.
   */
  run(worker: KThread, run: WorkRun): Co<void> | undefined;
  /** When present: called once the generator `run` returned has finished (ok) or thrown (not ok). */
  end?(worker: KThread, run: WorkRun, ok: boolean): void;
}

/**
 * A FIFO with O(1) take from the front. Draining it keeps its array, so a queue that fills and
 * empties on every operation allocates nothing.
 */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  private tail = 0;

  push(x: T): void {
    if (this.tail === this.items.length) this.items.push(x);
    else this.items[this.tail] = x;
    this.tail++;
  }

  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return x;
  }

  get length(): number {
    return this.tail - this.head;
  }

  toArray(): T[] {
    return this.items.slice(this.head, this.tail);
  }
}

export class SystemWorkQueue {
  private readonly items = new Fifo<WorkEntry>();
  readonly workers: KThread[] = [];
  private readonly idle: KThread[] = [];

  constructor(
    private readonly k: Kernel,
    readonly name: WorkQueueName,
    readonly priority: number,
  ) {}

  get pending(): WorkEntry[] {
    return this.items.toArray();
  }

  /** Busy workers and what they run. */
  get running(): [KThread, WorkEntry][] {
    return this.workers.filter((w) => w.running !== null).map((w) => [w, w.running as WorkEntry]);
  }

  enqueue(e: WorkEntry): void {
    this.k.touchObject(this, true);
    this.items.push(e);
    const w = this.idle.pop();
    if (w !== undefined) this.k.unpark(w);
  }

  /** Removes a queued entry that has not started (used when a filter's items are purged). */
  has(e: WorkEntry): boolean {
    return this.items.toArray().includes(e);
  }

  spawnWorker(index: number): KThread {
    const label = this.name === 'CriticalWorkQueue' ? 'Critical' : 'Delayed';
    const t = this.k.spawn(`${label} worker ${index}`, 'worker', this.priority, (self) => this.body(self));
    t.serves = this.name;
    this.workers.push(t);
    return t;
  }

  private *body(t: KThread): Co<void> {
    t.frames.push(kernelFrame('ExpWorkerThread', 'nt'));
    const run = new WorkRun();
    for (;;) {
      this.k.touchObject(this, true);
      const e = this.items.shift();
      if (e === undefined) {
        this.idle.push(t);
        this.k.park(t, `work in ${this.name}`);
        yield Trap.Block;
        continue;
      }
      t.running = e;
      const rest = e.run(t, run);
      if (rest !== undefined) {
        if (e.end === undefined) yield* rest;
        else {
          let ok = false;
          try {
            yield* rest;
            ok = true;
          } finally {
            e.end(t, run, ok);
          }
        }
      }
      t.running = null;
      // Between two items the worker is at PASSIVE_LEVEL with nothing held: a natural switch point.
      yield Trap.Yield;
    }
  }
}

export class WorkQueues {
  readonly critical: SystemWorkQueue;
  readonly delayed: SystemWorkQueue;
  private lastItemId = 0;

  constructor(k: Kernel) {
    this.critical = new SystemWorkQueue(k, 'CriticalWorkQueue', PRIORITY.criticalWorker);
    this.delayed = new SystemWorkQueue(k, 'DelayedWorkQueue', PRIORITY.delayedWorker);
  }

  start(critical: number, delayed: number): void {
    for (let i = 1; i <= critical; i++) this.critical.spawnWorker(i);
    for (let i = 1; i <= delayed; i++) this.delayed.spawnWorker(i);
  }

  /** The id of a new work item of any kind (`WI#N`): one numbering for the Filter Manager's, I/O and executive items. */
  nextItemId(): number {
    return ++this.lastItemId;
  }

  get(name: WorkQueueName): SystemWorkQueue {
    return name === 'CriticalWorkQueue' ? this.critical : this.delayed;
  }

  all(): SystemWorkQueue[] {
    return [this.critical, this.delayed];
  }
}

/** A unit of completion work: runs at DISPATCH_LEVEL on the completion thread. */
export interface CompletionEntry {
  readonly label: string;
  readonly data: number;
  run(t: KThread): Co<void>;
}

/**
 * The completion (DPC) context. Work queued here runs at DISPATCH_LEVEL, ahead of every thread
 * below DISPATCH_LEVEL at their next switch point, in the order it was queued.
 */
export class CompletionContext {
  private readonly items = new Fifo<CompletionEntry>();
  thread: KThread | null = null;
  current: CompletionEntry | null = null;
  /** Threads waiting for queued work to be done (KeFlushQueuedDpcs): woken after each entry to look again. */
  private readonly progressWaiters: KThread[] = [];

  constructor(private readonly k: Kernel) {}

  get pending(): CompletionEntry[] {
    return this.items.toArray();
  }

  start(): void {
    this.thread = this.k.spawn('Completion (DPC)', 'completion', PRIORITY.completion, (t) => this.body(t), Irql.DISPATCH_LEVEL);
  }

  /**
   * Blocks `t` until the completion thread next finishes an entry. A wait bounded by time instead
   * would wake at once while an entry is itself blocked (a DPC waiting with a timeout) and spin.
   */
  *waitForProgress(t: KThread, what: string): Co<void> {
    this.k.touchObject(this, true);
    this.progressWaiters.push(t);
    this.k.beginWait(t, what, null);
    yield Trap.Block;
  }

  queue(e: CompletionEntry): void {
    this.k.touchObject(this, true);
    this.items.push(e);
    if (this.thread) this.k.unpark(this.thread);
  }

  private *body(t: KThread): Co<void> {
    t.frames.push(kernelFrame('KiRetireDpcList', 'nt'));
    for (;;) {
      this.k.touchObject(this, true);
      const e = this.items.shift();
      if (e === undefined) {
        this.k.park(t, 'completion work');
        yield Trap.Block;
        continue;
      }
      this.current = e;
      this.k.setIrql(t, Irql.DISPATCH_LEVEL, 'completion context');
      yield* e.run(t);
      this.current = null;
      for (const w of this.progressWaiters.splice(0)) this.k.wake(w);
      yield Trap.Yield;
    }
  }
}
