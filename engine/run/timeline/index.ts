/**
 * The run timeline: the model (model.ts) built from an event log, and what derives from it — the
 * Chrome trace export (trace.ts) and one callback data's story (explain.ts).
 */
import type { EventLog, SimEvent } from '../../kernel/events';
import type { ThreadRole } from '../../kernel/thread';
import { buildTimeline, type RunTimeline } from './model';

export * from './model';
export * from './trace';
export * from './explain';

export interface TimelineOptions {
  /** Keep only the newest N events (the others count as dropped). Default: all the log kept. */
  maxEvents?: number;
  /** Seq of the newest event that has happened (a debugger that went back); default: the log's newest. */
  now?: number;
  title?: string | null;
  scenario?: string | null;
  seed?: number | null;
}

/** The timeline of the events a log kept. */
export function timelineOfLog(log: EventLog, roleOf: (thread: number) => ThreadRole | undefined, options: TimelineOptions = {}): RunTimeline {
  const last = log.total;
  const max = options.maxEvents ?? Infinity;
  const first = Math.max(log.firstSeq, Number.isFinite(max) ? last - Math.max(0, Math.floor(max)) + 1 : 1);
  function* events(): Iterable<SimEvent> {
    for (let s = first; s <= last; s++) {
      const e = log.get(s);
      if (e) yield e;
    }
  }
  return buildTimeline({ events: events(), roleOf, dropped: first - 1, now: options.now, title: options.title, scenario: options.scenario, seed: options.seed });
}
