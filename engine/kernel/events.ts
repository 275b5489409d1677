/**
 * The event stream: one record per transition the user may want to see or stop at. The debugger's
 * transition breakpoints filter on `kind`; the timeline prints `detail`.
 */
import type { Irql } from './irql';

export type EventKind =
  // threads and time
  | 'thread-start' | 'thread-exit' | 'preempt' | 'wait' | 'wake' | 'time'
  // IRQL and locks
  | 'irql' | 'lock' | 'unlock'
  // drivers, filters, instances
  | 'driver-load' | 'register' | 'instance-setup' | 'instance-teardown' | 'unload'
  // the life of an operation
  | 'io-issue' | 'pre-op' | 'pend' | 'fs' | 'fs-complete' | 'post-op' | 'post-pend' | 'complete' | 'state' | 'io-done'
  // work items and queues
  | 'workitem-queue' | 'workitem-start' | 'workitem-end' | 'workitem-free'
  | 'cbdq-insert' | 'cbdq-remove' | 'cbdq-enable' | 'cbdq-disable'
  | 'cancel'
  // verifier and debug output
  | 'violation' | 'output' | 'fault';

export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export interface SimEvent {
  /** 1-based position in the run, stable across replays. */
  seq: number;
  /** Virtual time in ticks (ms). */
  time: number;
  /** Id of the thread the transition happened on; 0 when no thread was running. */
  thread: number;
  threadName: string;
  irql: Irql;
  kind: EventKind;
  /** Callback data id (#N) the event concerns; 0 when none. */
  data: number;
  detail: string;
  /** The innermost C frame of the thread, when the driver code is interpreted C. */
  location?: SourceLocation;
}

export type EventListener = (event: SimEvent) => void;

/**
 * The recorded events. With a limit, only the newest `limit` events are kept (long benchmark runs);
 * `seq` keeps counting, so a consumer can tell how many were dropped.
 */
export class EventLog {
  private items: SimEvent[] = [];
  private start = 0;
  private listeners: EventListener[] = [];
  seq = 0;

  constructor(private readonly limit = Infinity) {}

  push(e: SimEvent): void {
    this.items.push(e);
    if (this.items.length - this.start > this.limit) {
      this.start++;
      // Compact once the dropped prefix is as large as what is kept, so pushes stay O(1) amortised.
      if (this.start >= this.limit && this.start > 1024) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i]!(e);
  }

  /** The kept events, oldest first. */
  all(): readonly SimEvent[] {
    return this.start === 0 ? this.items : this.items.slice(this.start);
  }

  get length(): number {
    return this.items.length - this.start;
  }

  /** Number of events ever recorded (the last seq). */
  get total(): number {
    return this.seq;
  }

  listen(fn: EventListener): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }
}
