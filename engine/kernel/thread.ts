/**
 * Simulated threads. A thread runs a generator body (see coroutine.ts) and carries what the
 * debugger shows: an IRQL, a call stack of frames, its state, what it waits for and which locks it
 * holds. C code receives the KThread object itself as a PETHREAD (Data->Thread, PsGetCurrentThread);
 * it is opaque to C.
 */
import type { Co } from './coroutine';
import { Irql } from './irql';
import { registerNumberedKind } from './shared';
import type { Timer } from './heap';
import type { NtStatus } from './status';
import type { KProcess } from './processes';

export interface Frame {
  /** Function name: `PreRead`, or a kernel routine such as `FltCbdqInsertIo`. */
  name: string;
  /** `fltmgr`, `nt`, or the driver module for driver code. */
  module?: string;
  /** Set by the interpreter for C frames; the line is updated at every statement. */
  file?: string;
  line?: number;
  column?: number;
}

export type ThreadState = 'ready' | 'running' | 'waiting' | 'terminated';

/**
 * `io`: issues one workload request; `worker`: serves a system work queue; `completion`: the
 * completion (DPC) context at DISPATCH_LEVEL; `system`: driver loading, unload, cancellation.
 */
export const THREAD_ROLES = ['io', 'worker', 'completion', 'system'] as const;

export type ThreadRole = (typeof THREAD_ROLES)[number];

/** Scheduling priorities, as Windows assigns them to these kinds of threads. */
export const PRIORITY = {
  /** A DPC runs before any thread below DISPATCH_LEVEL. */
  completion: 32,
  criticalWorker: 13,
  delayedWorker: 12,
  normal: 8,
} as const;

/** A lock a thread holds, as the snapshot and the verifier see it. */
export interface HeldLock {
  readonly kind: 'spin lock' | 'queued spin lock' | 'fast mutex' | 'resource' | 'push lock' | 'guarded mutex';
  readonly name: string;
}

/** Which callback a thread is inside, for the checks that depend on it. */
export interface CallbackScope {
  readonly role: 'pre' | 'post' | 'safe-post' | 'worker' | 'cbdq' | 'other';
  /** The callback data the callback was given, if any. */
  readonly data: unknown;
  /** Post-operation callbacks that may run at DISPATCH_LEVEL (postop-irql-unsafe-call). */
  readonly unsafe: boolean;
  /** The callback asked KeGetCurrentIrql, so it may be guarding its calls by the real IRQL. */
  irqlQueried: boolean;
  /** Counts of hand-off attempts in a pre-operation callback (preop-pending-no-owner). */
  handoffs: number;
  failedHandoff: string | null;
}

export class KThread {
  state: ThreadState = 'ready';
  irql: Irql = Irql.PASSIVE_LEVEL;
  readonly frames: Frame[] = [];
  readonly held: HeldLock[] = [];
  /** Nesting of KeEnterCriticalRegion (and the Flt acquire routines that enter one). */
  criticalRegion = 0;
  /** What a waiting thread waits for, in words: `KEVENT Event`, `I/O #3`. */
  waitingOn: string | null = null;
  /**
   * The wait is for events, semaphores or timers only (no lock, no thread): anyone may still
   * signal them, so a driver's own thread waiting so is idle, not deadlocked, while its driver is loaded.
   */
  awaitsSignal = false;
  /** The driver module whose PsCreateSystemThread started this thread (null for the engine's own). */
  startedBy: string | null = null;
  /** Status handed over by whoever ends the wait (STATUS_SUCCESS, STATUS_TIMEOUT…). */
  waitStatus: NtStatus = 0;
  /** Cancels the timer of a wait with a timeout. */
  waitTimer: Timer | null = null;
  /** Index of the processor running the thread, -1 when it is not on one. */
  cpu = -1;
  /** For system worker threads: the queue they serve, and the entry they run. */
  serves: string | null = null;
  running: { readonly id: number; readonly label: string; readonly kind: string } | null = null;
  /** IoGetTopLevelIrp's answer for this thread; non-NULL for paging I/O and `top-level-irp` requests. */
  topLevelIrp: unknown = null;
  /** The process it belongs to; null: the System process. */
  process: KProcess | null = null;
  /** KeStackAttachProcess: the processes it is attached to, innermost last, each with the KAPC_STATE the attach saved into. */
  attached: { process: KProcess; apcState: unknown }[] = [];
  scope: CallbackScope | null = null;
  /** A service thread (worker, completion context) waiting for work: not part of a deadlock. */
  parked = false;
  body: Co<unknown> | null = null;
  /** Order in which the thread last became ready; ties in the ready queue go to the oldest. */
  readySeq = 0;
  /** The thread took a step (policy runs: a service thread's first step is not a decision). */
  hasRun = false;

  constructor(
    readonly id: number,
    public name: string,
    readonly role: ThreadRole,
    readonly priority: number,
  ) {}

  /** The innermost frame that belongs to interpreted C (has a file), for violation locations. */
  cFrame(): Frame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.file) return this.frames[i];
    return undefined;
  }

  toString(): string {
    return `${this.name} (thread ${this.id})`;
  }
}

registerNumberedKind(KThread, 'thread');
