/**
 * The workload of a scenario as one list of timed events, the order the run replays them in.
 */
import type { CancelStatement, IoStatement, Scenario, UnloadStatement } from './ast';

export type WorkloadEvent =
  | { kind: 'io'; time: number; io: IoStatement }
  | { kind: 'cancel'; time: number; cancel: CancelStatement }
  | { kind: 'unload'; time: number; unload: UnloadStatement };

/**
 * Events sorted by time; events at the same tick keep the order of their lines in the file, so
 * `io #2` written above `io #1` at the same tick is issued first.
 */
export function workloadTimeline(scenario: Scenario): WorkloadEvent[] {
  const events: { event: WorkloadEvent; line: number }[] = [];
  for (const s of scenario.statements) {
    if (s.kind === 'io') events.push({ event: { kind: 'io', time: s.time, io: s }, line: s.line });
    else if (s.kind === 'cancel') events.push({ event: { kind: 'cancel', time: s.time, cancel: s }, line: s.line });
    else if (s.kind === 'unload') events.push({ event: { kind: 'unload', time: s.time, unload: s }, line: s.line });
  }
  events.sort((a, b) => a.event.time - b.event.time || a.line - b.line);
  return events.map((e) => e.event);
}
