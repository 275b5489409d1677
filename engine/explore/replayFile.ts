/**
 * The replay file `fltsim explore` writes for a failing schedule, and reading it back for
 * `fltsim run --replay` and the debugger's `replay` launch attribute. It is JSON, small and
 * readable: the schedule (`{ seed, choices }`), where it first leaves the default, why it fails and
 * the interleaving as text. A hash of the scenario's text lets a reader warn when the scenario
 * changed since the file was written.
 */
import type { Schedule } from './schedule';

export const REPLAY_FORMAT = 'fltsim-replay';
export const REPLAY_VERSION = 1;

export interface ReplayFile {
  format: typeof REPLAY_FORMAT;
  version: typeof REPLAY_VERSION;
  /** The scenario, as the explorer was given it. */
  scenario: string;
  /** FNV-1a of the scenario's text when the schedule was recorded. */
  scenarioHash: string;
  schedule: Schedule;
  /** 1-based number of the first decision that differs from the default schedule (0: none). */
  firstChange: number;
  /** Changes from the default that preempt a running thread. */
  preemptions: number;
  /** Why the schedule fails. */
  failure: string[];
  /** "thread X did Y at line L", in order. */
  interleaving: string[];
}

export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export type ReplayParse = { ok: true; replay: ReplayFile } | { ok: false; message: string };

/** Reads a replay file's text; every problem is a sentence that says what to do. */
export function parseReplayFile(text: string): ReplayParse {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `it is not JSON (${(e as Error).message}); replay files are written by 'fltsim explore'` };
  }
  if (typeof v !== 'object' || v === null || (v as { format?: unknown }).format !== REPLAY_FORMAT) {
    return { ok: false, message: `it is not an fltsim replay file (no "format": "${REPLAY_FORMAT}"); replay files are written by 'fltsim explore'` };
  }
  const r = v as Record<string, unknown>;
  if (r.version !== REPLAY_VERSION) return { ok: false, message: `it has version ${JSON.stringify(r.version)}; this fltsim reads version ${REPLAY_VERSION} (explore again to write a new one)` };
  const s = r.schedule as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null) return { ok: false, message: 'it has no "schedule" object' };
  if (!Number.isInteger(s.seed) || (s.seed as number) < 0) return { ok: false, message: '"schedule.seed" must be a non-negative integer' };
  if (!Array.isArray(s.choices) || !s.choices.every((c) => Number.isInteger(c) && c >= 0)) {
    return { ok: false, message: '"schedule.choices" must be a list of thread ids (0 stands for time passing)' };
  }
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : []);
  return {
    ok: true,
    replay: {
      format: REPLAY_FORMAT,
      version: REPLAY_VERSION,
      scenario: typeof r.scenario === 'string' ? r.scenario : '',
      scenarioHash: typeof r.scenarioHash === 'string' ? r.scenarioHash : '',
      schedule: { seed: s.seed as number, choices: s.choices as number[] },
      firstChange: Number.isInteger(r.firstChange) ? (r.firstChange as number) : 0,
      preemptions: Number.isInteger(r.preemptions) ? (r.preemptions as number) : 0,
      failure: strings(r.failure),
      interleaving: strings(r.interleaving),
    },
  };
}
