/**
 * What happened in a run, as plain data: one lane per simulated thread with its IRQL over time, the
 * spans of driver callbacks and work item routines on those lanes, each callback data's life from
 * issue to done, the transitions a user looks for marked on the events, and the links between lanes
 * (a pend and the completion that resumes it; a work item queued and its start). It is built from
 * the event log alone, and the timeline view, the Chrome trace export and the `--explain` sequence
 * diagram all derive from it.
 *
 * Positions are event seqs: the x axis is the order things happened in. Virtual time stands still
 * while code runs (most of a run shares a few milliseconds), so each event carries its time instead.
 */
import type { EventKind, SimEvent } from '../../kernel/events';
import type { Irql } from '../../kernel/irql';
import type { ThreadRole } from '../../kernel/thread';
import { transitionFilterOf, type TransitionFilterId } from '../debuggee/transitions';

/** `outside`: lane 0, events that happen on no thread (the clock, end-of-run checks). */
export type LaneRole = ThreadRole | 'outside';

/** The transitions a debugger can stop at, plus a post-operation callback's start and a fault. */
export type MarkerKind = TransitionFilterId | 'post-op' | 'fault';

export interface TimelineEvent {
  seq: number;
  /** Virtual time, ms. */
  time: number;
  /** Lane (thread id) it happened on. */
  lane: number;
  /** The thread's IRQL once it happened. */
  irql: Irql;
  kind: EventKind;
  /** Callback data (#N) it concerns; 0 when none. */
  data: number;
  /** Work item (WI#N) it concerns; 0 when none. */
  item: number;
  detail: string;
  file?: string;
  line?: number;
  marker?: MarkerKind;
}

export interface IrqlChange {
  seq: number;
  irql: Irql;
}

export interface TimelineLane {
  /** The thread id; 0 for events outside any thread. */
  id: number;
  name: string;
  role: LaneRole;
  /** Seqs of its first and last event in the timeline. */
  first: number;
  last: number;
  /** The thread exited (its `thread-exit` event is in the timeline). */
  exited: boolean;
  /** The IRQL from each seq on, oldest first: the first entry is the IRQL at `first`. */
  irql: IrqlChange[];
}

export type SpanKind = 'pre-op' | 'post-op' | 'work-item';

export interface TimelineSpan {
  lane: number;
  kind: SpanKind;
  /** The detail of the event that opened it: `PreRead(#1) in csqfilter`, `QueueWorker(WI#1) starts in DelayedWorkQueue`. */
  label: string;
  data: number;
  item: number;
  start: number;
  /** Seq of the event that closed it; null while it is still running at the end of the timeline. */
  end: number | null;
  /** Nesting on its lane, 0 outermost (a cancel routine that completes an operation runs its post-ops inside). */
  depth: number;
}

export interface DataLife {
  data: number;
  /** `#2`. */
  label: string;
  /** Seq of its `io-issue` event, null when that is older than the timeline. */
  issued: number | null;
  /** Seq of its `io-done` event, null while it is not done. */
  done: number | null;
  /** The issue event's text (`#2 IRP_MJ_READ issued on \Device\…`), or the oldest kept event's. */
  summary: string;
  /** The done event's text (`#2 done: STATUS_SUCCESS, 4096 bytes`). */
  outcome: string | null;
  /** Every event about it, oldest first. */
  events: number[];
  /** Lanes it was seen on, in the order it reached them. */
  lanes: number[];
}

/**
 * `pend`: from a pend (or post-operation pend) to the completion that resumes it — or, when another
 * thread completed the operation before its pre-op returned PENDING, from that completion to the
 * pend, where the Filter Manager takes it up; `work-item`: from
 * queueing to start; `file-system`: from the file system receiving an operation to its completion.
 */
export type FlowKind = 'pend' | 'work-item' | 'file-system';

export interface TimelineFlow {
  kind: FlowKind;
  from: number;
  to: number;
  data: number;
  item: number;
}

export interface RunTimeline {
  title: string | null;
  scenario: string | null;
  seed: number | null;
  /** The events kept, oldest first. */
  events: TimelineEvent[];
  /** Older events that are not in `events` (a run longer than the log's limit or the caller's cap). */
  dropped: number;
  /** Seq of the newest event that has happened; later ones are the known future a debugger replays after going back. */
  now: number;
  lanes: TimelineLane[];
  spans: TimelineSpan[];
  lives: DataLife[];
  flows: TimelineFlow[];
  /** Number of violation events. */
  violations: number;
}

export interface TimelineSource {
  /** Oldest first, seqs increasing. */
  events: Iterable<SimEvent>;
  /** The role a thread was created with. */
  roleOf(thread: number): ThreadRole | undefined;
  dropped?: number;
  /** Default: the newest event. */
  now?: number;
  title?: string | null;
  scenario?: string | null;
  seed?: number | null;
}

export function markerOf(kind: EventKind): MarkerKind | undefined {
  if (kind === 'post-op' || kind === 'fault') return kind;
  return transitionFilterOf(kind);
}

/** Which open span an event closes: a pre-op ends with its pend or its return, a post-op with its return, a routine with its end. */
function closes(kind: EventKind): SpanKind | undefined {
  switch (kind) {
    case 'pend':
      return 'pre-op';
    case 'workitem-end':
    case 'dpc-end':
      return 'work-item';
    default:
      return undefined;
  }
}

function opens(kind: EventKind): SpanKind | undefined {
  switch (kind) {
    case 'pre-op':
      return 'pre-op';
    case 'post-op':
      return 'post-op';
    case 'workitem-start':
    case 'dpc-start':
      return 'work-item';
    default:
      return undefined;
  }
}

export function buildTimeline(src: TimelineSource): RunTimeline {
  const events: TimelineEvent[] = [];
  const lanes = new Map<number, TimelineLane>();
  /** Spans still open on each lane, outermost first. */
  const stacks = new Map<number, TimelineSpan[]>();
  const spans: TimelineSpan[] = [];
  const lives = new Map<number, DataLife>();
  const flows: TimelineFlow[] = [];
  /** The newest pend of each operation, waiting for the completion that resumes it. */
  const pended = new Map<number, number>();
  /** Operations whose pre-op is running, and completions that came before that pre-op returned PENDING. */
  const preRunning = new Map<number, number>();
  const early = new Map<number, number>();
  /** Operations the file system has received and not completed yet. */
  const inFs = new Map<number, number>();
  /** The newest queueing of each work item (`i<N>`) or posted callback (`d<N>`), waiting for its start. */
  const queued = new Map<string, number>();
  let violations = 0;

  for (const e of src.events) {
    const item = e.item ?? 0;
    const te: TimelineEvent = { seq: e.seq, time: e.time, lane: e.thread, irql: e.irql, kind: e.kind, data: e.data, item, detail: e.detail };
    if (e.location) {
      te.file = e.location.file;
      te.line = e.location.line;
    }
    const marker = markerOf(e.kind);
    if (marker) te.marker = marker;
    events.push(te);
    if (e.kind === 'violation') violations++;

    let lane = lanes.get(e.thread);
    if (!lane) {
      lane = { id: e.thread, name: e.threadName, role: e.thread === 0 ? 'outside' : src.roleOf(e.thread) ?? 'system', first: e.seq, last: e.seq, exited: false, irql: [{ seq: e.seq, irql: e.irql }] };
      lanes.set(e.thread, lane);
    } else {
      lane.last = e.seq;
      if (lane.irql[lane.irql.length - 1]!.irql !== e.irql) lane.irql.push({ seq: e.seq, irql: e.irql });
    }
    if (e.kind === 'thread-exit') lane.exited = true;

    // Spans on the lane.
    let stack = stacks.get(e.thread);
    if (!stack) stacks.set(e.thread, (stack = []));
    const closing = e.kind === 'return' ? undefined : closes(e.kind);
    let lastOpenClosed = false;
    if (e.kind === 'return' || closing) {
      for (let i = stack.length - 1; i >= 0; i--) {
        const s = stack[i]!;
        const match = e.kind === 'return' ? (s.kind === 'pre-op' || s.kind === 'post-op') && s.data === e.data : s.kind === closing && (closing !== 'pre-op' || s.data === e.data);
        if (!match) continue;
        lastOpenClosed = s.kind === 'pre-op';
        // Spans opened inside it and never closed (their code failed) end with it.
        for (let j = i; j < stack.length; j++) stack[j]!.end = e.seq;
        stack.length = i;
        break;
      }
    }
    const opening = opens(e.kind);
    if (opening) {
      const span: TimelineSpan = { lane: e.thread, kind: opening, label: e.detail, data: e.data, item, start: e.seq, end: null, depth: stack.length };
      stack.push(span);
      spans.push(span);
    }

    // The life of a callback data.
    if (e.data !== 0) {
      let life = lives.get(e.data);
      if (!life) {
        life = { data: e.data, label: `#${e.data}`, issued: null, done: null, summary: e.detail, outcome: null, events: [], lanes: [] };
        lives.set(e.data, life);
      }
      if (e.kind === 'io-issue' && life.issued === null) {
        life.issued = e.seq;
        life.summary = e.detail;
      }
      if (e.kind === 'io-done') {
        life.done = e.seq;
        life.outcome = e.detail;
      }
      life.events.push(e.seq);
      if (!life.lanes.includes(e.thread)) life.lanes.push(e.thread);
    }

    // Links between lanes.
    if (e.kind === 'pre-op') preRunning.set(e.data, (preRunning.get(e.data) ?? 0) + 1);
    if ((e.kind === 'pend' || e.kind === 'return') && preRunning.has(e.data) && (e.kind === 'pend' || lastOpenClosed)) {
      const n = preRunning.get(e.data)! - 1;
      if (n > 0) preRunning.set(e.data, n);
      else preRunning.delete(e.data);
      // A completion made while a pre-op ran that then did not pend is not taken up by a later pend.
      if (e.kind === 'return') early.delete(e.data);
    }
    const earlier = e.kind === 'pend' ? early.get(e.data) : undefined;
    if (earlier !== undefined) {
      // The completion came first (another thread beat the pre-op's return): the pend takes it up.
      flows.push({ kind: 'pend', from: earlier, to: e.seq, data: e.data, item: 0 });
      early.delete(e.data);
    } else if (e.kind === 'pend' || e.kind === 'post-pend') pended.set(e.data, e.seq);
    else if (e.kind === 'fs') inFs.set(e.data, e.seq);
    else if (e.kind === 'fs-complete') {
      const from = inFs.get(e.data);
      if (from !== undefined) {
        flows.push({ kind: 'file-system', from, to: e.seq, data: e.data, item: 0 });
        inFs.delete(e.data);
      }
    } else if (e.kind === 'complete' && e.data !== 0) {
      const from = pended.get(e.data);
      if (from !== undefined) {
        flows.push({ kind: 'pend', from, to: e.seq, data: e.data, item: 0 });
        pended.delete(e.data);
      } else if (preRunning.has(e.data) && !early.has(e.data)) early.set(e.data, e.seq);
    } else if (e.kind === 'workitem-queue' || e.kind === 'workitem-start') {
      const key = item !== 0 ? `i${item}` : `d${e.data}`;
      if (e.kind === 'workitem-queue') queued.set(key, e.seq);
      else {
        const from = queued.get(key);
        if (from !== undefined) {
          flows.push({ kind: 'work-item', from, to: e.seq, data: e.data, item });
          queued.delete(key);
        }
      }
    }
  }

  const last = events.length > 0 ? events[events.length - 1]!.seq : 0;
  return {
    title: src.title ?? null,
    scenario: src.scenario ?? null,
    seed: src.seed ?? null,
    events,
    dropped: src.dropped ?? 0,
    now: Math.min(src.now ?? last, last),
    lanes: [...lanes.values()].sort((a, b) => a.id - b.id),
    spans,
    lives: [...lives.values()].sort((a, b) => a.data - b.data),
    flows,
    violations,
  };
}

/** The timeline's event with this seq (events are in seq order), or undefined. */
export function eventAt(timeline: RunTimeline, seq: number): TimelineEvent | undefined {
  const ev = timeline.events;
  let lo = 0;
  let hi = ev.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = ev[mid]!.seq;
    if (s === seq) return ev[mid];
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
