/**
 * The event stream: one record per transition the user may want to see or stop at. The debugger's
 * transition breakpoints filter on `kind`; the timeline prints `detail`.
 *
 * Events are stored in columns (typed arrays for the numbers, plain arrays for the strings) and
 * become `SimEvent` objects only when someone reads them. A long run records millions of events;
 * keeping them as objects would make every garbage collection copy them.
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
  | 'io-issue' | 'pre-op' | 'pend' | 'return' | 'fs' | 'fs-complete' | 'post-op' | 'post-pend' | 'complete' | 'state' | 'io-done'
  // work items and queues
  | 'workitem-queue' | 'workitem-start' | 'workitem-end' | 'workitem-free'
  // kernel timers and DPCs
  | 'timer-set' | 'timer-expire' | 'timer-cancel' | 'dpc-queue' | 'dpc-remove' | 'dpc-start' | 'dpc-end'
  | 'cbdq-insert' | 'cbdq-remove' | 'cbdq-enable' | 'cbdq-disable'
  | 'cancel'
  // verifier and debug output
  | 'port' | 'transaction' | 'process' | 'registry'
  | 'violation' | 'output' | 'fault'
  // an allocation refused at the pool limit
  | 'alloc-fail';

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
  /**
   * The thread's IRQL once the transition is made (a `lock` event shows the raised level). Every
   * change of a thread's IRQL is an event on that thread, so these values draw its IRQL over time.
   */
  irql: Irql;
  kind: EventKind;
  /** Callback data id (#N) the event concerns; 0 when none. */
  data: number;
  /** Work item id (WI#N) the event concerns; absent when none. Links a queueing to the start it leads to. */
  item?: number;
  detail: string;
  /** The innermost C frame of the thread, when the driver code is interpreted C. */
  location?: SourceLocation;
}

export type EventListener = (event: SimEvent) => void;

const INITIAL = 64;

/** Events per chunk of the string and object columns (a power of two). */
const CHUNK = 256;

/**
 * The string and object columns of CHUNK consecutive events. A chunk is made when the previous one
 * is full, so the chunk being filled is almost always in the young generation: storing fresh strings
 * into it needs no old-to-new write barrier, and on a long run with a limit a chunk usually dies
 * young. (One long-lived array per column made every event pay that barrier three times.)
 */
class Chunk {
  /** Kinds are kept as the strings themselves: looking a string up in a table cost more than the event. */
  readonly kind = new Array<EventKind>(CHUNK);
  readonly detail = new Array<string>(CHUNK);
  readonly threadName = new Array<string>(CHUNK);
  /** Made on the first event with a location (only interpreted C has them). */
  location: (SourceLocation | undefined)[] | null = null;
  /** Work item ids, made on the first event about a work item (most events concern none). */
  item: Int32Array | null = null;
  /** Events already turned into objects (so each is made once and stays the same object); made on first read. */
  objects: (SimEvent | undefined)[] | null = null;
}

/**
 * The recorded events. With a limit, only the newest `limit` events are kept (long runs); `seq`
 * keeps counting, so a consumer can tell how many were dropped.
 */
export class EventLog {
  /** Number of events ever recorded: the seq of the newest one. */
  seq = 0;
  private cap: number;
  private time: Float64Array;
  private thread: Int32Array;
  private data: Int32Array;
  private irql: Uint8Array;
  /** Chunks by number (event index / CHUNK); with a limit, a ring of `chunkSlots` of them. */
  private readonly chunks: (Chunk | undefined)[] = [];
  private readonly chunkSlots: number;
  /** The chunk being filled, its number, and the next free position in it. */
  private chunk: Chunk | null = null;
  private chunkNo = -1;
  private chunkFill = CHUNK;
  private listeners: EventListener[] = [];
  private readonly ring: boolean;

  constructor(limit = Infinity) {
    this.ring = Number.isFinite(limit);
    this.cap = this.ring ? Math.max(1, Math.floor(limit)) : INITIAL;
    this.time = new Float64Array(this.cap);
    this.thread = new Int32Array(this.cap);
    this.data = new Int32Array(this.cap);
    this.irql = new Uint8Array(this.cap);
    // Enough chunks that the one a new chunk replaces holds no kept event.
    this.chunkSlots = this.ring ? Math.floor(this.cap / CHUNK) + 2 : Infinity;
  }

  /** Records an event and returns its seq. */
  append(time: number, thread: number, threadName: string, irql: Irql, kind: EventKind, data: number, detail: string, location: SourceLocation | undefined, item = 0): number {
    const seq = ++this.seq;
    if (!this.ring && seq > this.cap) this.grow();
    const i = (seq - 1) % this.cap;
    this.time[i] = time;
    this.thread[i] = thread;
    this.irql[i] = irql;
    this.data[i] = data;
    let o = this.chunkFill;
    if (o === CHUNK) {
      this.newChunk();
      o = 0;
    }
    const c = this.chunk!;
    c.kind[o] = kind;
    c.detail[o] = detail;
    c.threadName[o] = threadName;
    if (location !== undefined) (c.location ??= new Array<SourceLocation | undefined>(CHUNK))[o] = location;
    if (item !== 0) (c.item ??= new Int32Array(CHUNK))[o] = item;
    this.chunkFill = o + 1;
    if (this.listeners.length > 0) {
      const e = this.get(seq)!;
      for (let l = 0; l < this.listeners.length; l++) this.listeners[l]!(e);
    }
    return seq;
  }

  private newChunk(): void {
    const c = new Chunk();
    const n = ++this.chunkNo;
    if (this.ring) this.chunks[n % this.chunkSlots] = c;
    else this.chunks.push(c);
    this.chunk = c;
    this.chunkFill = 0;
  }

  /** Oldest seq still kept. */
  get firstSeq(): number {
    return Math.max(1, this.seq - (this.ring ? this.cap : Infinity) + 1);
  }

  /** The event with this seq, or undefined when it was dropped (or never existed). */
  get(seq: number): SimEvent | undefined {
    if (seq < this.firstSeq || seq > this.seq) return undefined;
    const i = (seq - 1) % this.cap;
    const n = Math.floor((seq - 1) / CHUNK);
    const c = this.chunks[this.ring ? n % this.chunkSlots : n]!;
    const o = seq - 1 - n * CHUNK;
    const objects = (c.objects ??= new Array<SimEvent | undefined>(CHUNK));
    let e = objects[o];
    if (e === undefined) {
      e = {
        seq,
        time: this.time[i]!,
        thread: this.thread[i]!,
        threadName: c.threadName[o]!,
        irql: this.irql[i]! as Irql,
        kind: c.kind[o]!,
        data: this.data[i]!,
        detail: c.detail[o]!,
      };
      const item = c.item === null ? 0 : c.item[o]!;
      if (item !== 0) e.item = item;
      const loc = c.location === null ? undefined : c.location[o];
      if (loc !== undefined) e.location = loc;
      objects[o] = e;
    }
    return e;
  }

  /** The kept events, oldest first. */
  all(): SimEvent[] {
    const out: SimEvent[] = [];
    for (let s = this.firstSeq; s <= this.seq; s++) out.push(this.get(s)!);
    return out;
  }

  get length(): number {
    return this.seq - this.firstSeq + 1;
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

  private grow(): void {
    const cap = this.cap * 2;
    const f64 = new Float64Array(cap);
    f64.set(this.time);
    this.time = f64;
    const th = new Int32Array(cap);
    th.set(this.thread);
    this.thread = th;
    const da = new Int32Array(cap);
    da.set(this.data);
    this.data = da;
    const iq = new Uint8Array(cap);
    iq.set(this.irql);
    this.irql = iq;
    this.cap = cap;
  }
}
