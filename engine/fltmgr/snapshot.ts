/**
 * The snapshot: everything the debugger shows, as plain data (JSON-safe, no engine objects), built
 * on demand from the live state. Threads, work queues with their items, the completion context,
 * every cbdq with its items, live callback data with state and history, filters with instances and
 * contexts, violations, pending timers.
 */
import type { SourceLocation } from '../kernel/events';
import { irqlName, type Irql } from '../kernel/irql';
import type { Kernel, Violation, Fault } from '../kernel/kernel';
import type { Frame, ThreadRole, ThreadState } from '../kernel/thread';
import { formatStatus } from '../kernel/status';
import type { DataState } from './callbackData';
import type { CbdqLockKind, CbdqState } from './cbdq';
import { contextTypeName, majorName } from './constants';
import type { FltContext } from './contexts';
import type { FilterManager } from './fltmgr';
import type { FilterState, InstanceState } from './objects';
import { opWord } from './requests';

export interface ThreadSnapshot {
  id: number;
  name: string;
  role: ThreadRole;
  priority: number;
  state: ThreadState;
  irql: Irql;
  irqlName: string;
  /** What it waits for; `work in DelayedWorkQueue` for an idle worker. */
  waitingOn: string | null;
  idle: boolean;
  /** Outermost first. */
  frames: Frame[];
  locks: string[];
  serves: string | null;
  cpu: number;
  /** For workers: the item being run. */
  running: string | null;
}

export interface WorkItemSnapshot {
  id: number;
  kind: string;
  routine: string;
}

export interface WorkQueueSnapshot {
  name: string;
  workers: number[];
  pending: WorkItemSnapshot[];
  running: (WorkItemSnapshot & { thread: number })[];
}

export interface CbdqSnapshot {
  id: number;
  name: string;
  filter: string;
  instance: number;
  enabled: boolean;
  lock: CbdqLockKind;
  /** Callback data ids, in insertion order. */
  items: number[];
}

export interface HistoryEntry {
  seq: number;
  time: number;
  thread: number;
  kind: string;
  detail: string;
}

export interface CallbackDataSnapshot {
  id: number;
  io: number;
  major: number;
  majorName: string;
  op: string;
  path: string;
  state: DataState;
  /** Filter (or cbdq, or file system) the state refers to. */
  owner: string;
  flags: number;
  irp: boolean;
  fastIo: boolean;
  synchronous: boolean;
  cancelled: boolean;
  thread: number;
  status: string;
  information: number;
  history: HistoryEntry[];
}

export interface ContextSnapshot {
  id: number;
  type: string;
  refs: number;
  attachments: number;
}

export interface InstanceSnapshot {
  id: number;
  volume: string;
  altitude: string;
  state: InstanceState;
  outstanding: number;
}

export interface FilterSnapshot {
  id: number;
  name: string;
  altitude: string;
  state: FilterState;
  rundown: number;
  instances: InstanceSnapshot[];
  contexts: ContextSnapshot[];
}

export interface Snapshot {
  time: number;
  step: number;
  seed: number;
  threads: ThreadSnapshot[];
  workQueues: WorkQueueSnapshot[];
  completion: { thread: number | null; pending: { data: number; label: string }[] };
  cbdqs: CbdqSnapshot[];
  callbackData: CallbackDataSnapshot[];
  filters: FilterSnapshot[];
  timers: { tick: number }[];
  violations: Violation[];
  fault: Fault | null;
  /** Innermost C location of each thread that has one, by thread id. */
  locations: Record<number, SourceLocation>;
}

/** The routine families' own tables the snapshot shows. */
export interface SnapshotSources {
  cbdqs: readonly CbdqState[];
  contexts: ReadonlyMap<number, FltContext>;
}

export function takeSnapshot(k: Kernel, fm: FilterManager, own: SnapshotSources): Snapshot {
  const threads: ThreadSnapshot[] = [];
  const locations: Record<number, SourceLocation> = {};
  for (const t of k.threads.values()) {
    const running = t.running ? `${t.running.label} (${t.running.kind})` : null;
    threads.push({
      id: t.id,
      name: t.name,
      role: t.role,
      priority: t.priority,
      state: t.state,
      irql: t.irql,
      irqlName: irqlName(t.irql),
      waitingOn: t.waitingOn,
      idle: t.parked,
      frames: t.frames.map((f) => ({ ...f })),
      locks: t.held.map((l) => `${l.kind} ${l.name}`),
      serves: t.serves,
      cpu: t.cpu,
      running,
    });
    const f = t.cFrame();
    if (f) locations[t.id] = { file: f.file!, line: f.line ?? 0, column: f.column };
  }
  const workQueues: WorkQueueSnapshot[] = fm.queues.all().map((q) => ({
    name: q.name,
    workers: q.workers.map((w) => w.id),
    pending: q.pending.map((e) => ({ id: e.id, kind: e.kind, routine: e.label })),
    running: q.running.map(([t, e]) => ({ thread: t.id, id: e.id, kind: e.kind, routine: e.label })),
  }));
  const cbdqs: CbdqSnapshot[] = own.cbdqs.map((q) => ({
    id: q.id,
    name: q.name,
    filter: q.instance.filter.name,
    instance: q.instance.id,
    enabled: q.enabled,
    lock: q.lockKind,
    items: q.items.map((d) => d.id),
  }));
  const callbackData: CallbackDataSnapshot[] = [...fm.live.values()].map((d) => ({
    id: d.id,
    io: d.request.id,
    major: d.major,
    majorName: majorName(d.major),
    op: opWord(d.major),
    path: d.request.path,
    state: d.state,
    owner: d.stateOwner,
    flags: d.Flags >>> 0,
    irp: d.isIrp,
    fastIo: d.isFastIo,
    synchronous: d.request.synchronous,
    cancelled: d.cancelled,
    thread: d.issuingThread.id,
    status: formatStatus(d.IoStatus.Status),
    information: d.IoStatus.Information,
    history: d.history.map((e) => ({ seq: e.seq, time: e.time, thread: e.thread, kind: e.kind, detail: e.detail })),
  }));
  const filters: FilterSnapshot[] = fm.filters.map((f) => ({
    id: f.id,
    name: f.name,
    altitude: f.altitude,
    state: f.state,
    rundown: f.rundown.count,
    instances: f.instances.map((i) => ({ id: i.id, volume: i.volume.name, altitude: i.altitude, state: i.state, outstanding: i.outstanding.count })),
    contexts: [...own.contexts.values()].filter((c) => c.filter === f).map((c) => ({ id: c.id, type: contextTypeName(c.type), refs: c.refs, attachments: c.links.size })),
  }));
  return {
    time: k.now,
    step: k.stepCount,
    seed: k.rng.seed,
    threads,
    workQueues,
    completion: { thread: fm.completion.thread?.id ?? null, pending: fm.completion.pending.map((e) => ({ data: e.data, label: e.label })) },
    cbdqs,
    callbackData,
    filters,
    timers: k.sched.timers.pending().map((t) => ({ tick: t.tick })),
    violations: k.violations.map((v) => ({ ...v })),
    fault: k.fault ? { ...k.fault } : null,
    locations,
  };
}
