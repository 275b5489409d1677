/**
 * A run timeline in the Chrome trace-event format (the JSON object form), which Perfetto and
 * chrome://tracing open: one process for the run, one track per simulated thread (named by
 * metadata events), complete events for callbacks and work item routines, an async track per
 * callback data from issue to done, instant events for transitions, flow arrows from a pend to the
 * completion that resumes it and from a work item's queueing to its start, and an IRQL counter per
 * thread.
 *
 * Timestamps: one event of the run is one microsecond (`ts` = seq), because virtual time stands
 * still while code runs; each event's virtual time is in its args (`ms`). The clock's advances are
 * instant events on the "(outside the simulation)" track.
 */
import { irqlName } from '../../kernel/irql';
import { eventAt, type RunTimeline, type TimelineEvent } from './model';

/** One trace event; the field names are the format's. */
export interface TraceEvent {
  name: string;
  ph: 'X' | 'i' | 'b' | 'e' | 's' | 'f' | 'C' | 'M';
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: string;
  /** Instant events: scope (`t` thread). Flow ends: binding point (`e` enclosing slice). */
  s?: 't' | 'p' | 'g';
  bp?: 'e';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms' | 'ns';
  otherData: Record<string, string | number>;
}

const PID = 1;

/** Kinds drawn as slices or counters rather than instants. */
const NOT_INSTANT = new Set<TimelineEvent['kind']>(['irql']);

export function toChromeTrace(t: RunTimeline): ChromeTrace {
  const out: TraceEvent[] = [];
  const title = t.title ?? t.scenario ?? 'fltsim run';
  out.push({ name: 'process_name', ph: 'M', pid: PID, args: { name: `fltsim: ${title}` } });
  for (const lane of t.lanes) {
    out.push({ name: 'thread_name', ph: 'M', pid: PID, tid: lane.id, args: { name: lane.name } });
    out.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: lane.id, args: { sort_index: lane.id } });
  }
  const last = t.events.length > 0 ? t.events[t.events.length - 1]!.seq : 0;

  for (const s of t.spans) {
    const end = s.end ?? last;
    out.push({
      name: s.label, ph: 'X', cat: s.kind, pid: PID, tid: s.lane, ts: s.start, dur: Math.max(end - s.start, 0) + 1,
      args: { data: s.data ? `#${s.data}` : null, item: s.item ? `WI#${s.item}` : null, finished: s.end !== null },
    });
  }

  for (const e of t.events) {
    if (NOT_INSTANT.has(e.kind)) continue;
    const args: Record<string, unknown> = { ms: e.time, irql: irqlName(e.irql), kind: e.kind };
    if (e.data) args.data = `#${e.data}`;
    if (e.item) args.item = `WI#${e.item}`;
    if (e.file) args.source = `${e.file}:${e.line}`;
    out.push({ name: e.detail, ph: 'i', s: 't', cat: e.marker ?? e.kind, pid: PID, tid: e.lane, ts: e.seq, args });
  }

  for (const lane of t.lanes) {
    for (const c of lane.irql) out.push({ name: `IRQL ${lane.name}`, ph: 'C', pid: PID, ts: c.seq, args: { irql: c.irql } });
  }

  // Async tracks: each callback data from issue (or its oldest kept event) to done (or the end).
  for (const life of t.lives) {
    const first = life.events[0]!;
    const start = eventAt(t, first)!;
    const end = life.done ?? last;
    const endLane = eventAt(t, end)?.lane ?? start.lane;
    const name = `${life.label} ${life.summary}`;
    out.push({ name, ph: 'b', cat: 'callback data', id: `data${life.data}`, pid: PID, tid: start.lane, ts: first, args: { done: life.outcome } });
    out.push({ name, ph: 'e', cat: 'callback data', id: `data${life.data}`, pid: PID, tid: endLane, ts: end + 1 });
  }

  // A flow arrow binds to the slice around its end on that thread; an end outside any callback gets a slice of its own.
  const byLane = new Map<number, { start: number; end: number }[]>();
  for (const s of t.spans) {
    let list = byLane.get(s.lane);
    if (!list) byLane.set(s.lane, (list = []));
    list.push({ start: s.start, end: s.end ?? last });
  }
  const bound = new Set<number>();
  const bind = (e: TimelineEvent): void => {
    if (bound.has(e.seq) || byLane.get(e.lane)?.some((s) => s.start <= e.seq && e.seq <= s.end)) return;
    bound.add(e.seq);
    out.push({ name: e.detail, ph: 'X', cat: 'transition', pid: PID, tid: e.lane, ts: e.seq, dur: 1, args: { data: e.data ? `#${e.data}` : null } });
  };
  let flowId = 0;
  for (const f of t.flows) {
    const from = eventAt(t, f.from)!;
    const to = eventAt(t, f.to)!;
    bind(from);
    bind(to);
    const id = `flow${++flowId}`;
    const name = f.kind === 'pend' ? `#${f.data} pended → resumed` : f.kind === 'file-system' ? `#${f.data} in the file system → completed` : f.item ? `WI#${f.item} queued → started` : `#${f.data} posted → started`;
    out.push({ name, ph: 's', cat: f.kind, id, pid: PID, tid: from.lane, ts: from.seq });
    out.push({ name, ph: 'f', bp: 'e', cat: f.kind, id, pid: PID, tid: to.lane, ts: to.seq });
  }

  return {
    traceEvents: out,
    displayTimeUnit: 'ns',
    otherData: { generator: 'fltsim', scenario: t.scenario ?? '', seed: t.seed ?? 0, timestamps: 'one microsecond per event of the run (ts = seq); virtual time in args.ms', dropped: t.dropped },
  };
}
