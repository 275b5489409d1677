/**
 * fltsim's own debug requests, which the timeline view sends through `DebugSession.customRequest`:
 * `fltsimTimeline` {maxEvents?} → the run as a timeline (RunTimeline); `fltsimGoToEvent` {seq} →
 * stops just before that event (reason `goto`); `fltsimExplain` {data} → {markdown} of one callback
 * data's life. Each is answered from the Debuggee; the session only sends what this decides.
 */
import { explainData, explanationMarkdown, type Debuggee } from '../../engine';

export const CUSTOM_REQUESTS = ['fltsimTimeline', 'fltsimGoToEvent', 'fltsimExplain'] as const;

/** The timeline a view gets unless it asks for another cap: enough for long sessions, small enough to send at every stop. */
const TIMELINE_EVENTS = 20_000;

export type CustomAnswer =
  | { ok: true; body?: unknown; /** The debuggee moved: the session drives it on. */ drive?: boolean }
  | { ok: false; id: number; message: string; showUser: boolean };

const refused = (id: number, message: string, showUser = false): CustomAnswer => ({ ok: false, id, message, showUser });

/** The answer to `command` with `args`, for the running debuggee `d` (undefined: none yet); `title` names the scenario. */
export function answerCustomRequest(command: string, args: unknown, d: Debuggee | undefined, title: () => string): CustomAnswer {
  const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  if (!(CUSTOM_REQUESTS as readonly string[]).includes(command)) return refused(1010, `fltsim does not know the request '${command}'`);
  if (!d) return refused(1011, 'no scenario is running');
  switch (command) {
    case 'fltsimTimeline': {
      const max = a.maxEvents;
      if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) return refused(1012, `maxEvents must be a positive integer (got ${JSON.stringify(max)})`);
      return { ok: true, body: d.timeline({ maxEvents: max ?? TIMELINE_EVENTS }) };
    }
    case 'fltsimGoToEvent': {
      if (typeof a.seq !== 'number') return refused(1013, `seq must be an event number (got ${JSON.stringify(a.seq)})`);
      if (d.running) return refused(1014, 'the scenario is running; pause it first', true);
      const why = d.goToEvent(a.seq);
      return why ? refused(1015, why, true) : { ok: true, drive: true };
    }
    default: {
      const data = a.data;
      const x = typeof data === 'number' ? explainData(d.timeline({ maxEvents: TIMELINE_EVENTS }), data) : { ok: false as const, message: `data must be a callback data id (got ${JSON.stringify(data)})` };
      if (!x.ok) return refused(1016, x.message, true);
      return { ok: true, body: { markdown: explanationMarkdown(x.explanation, title()) } };
    }
  }
}
