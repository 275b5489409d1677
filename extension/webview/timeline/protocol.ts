/**
 * Messages between the timeline view (a webview) and the extension that hosts it. The host never
 * reads the timeline itself: it passes on what the debug adapter or the command line produced.
 */
import type { RunTimeline } from '../../../engine/run/timeline/model';

export type HostMessage =
  /** A timeline to draw. `live`: it belongs to a debug session, so an event can be gone to. */
  | { type: 'timeline'; timeline: RunTimeline; live: boolean; source: string }
  /** The debug session ended or the run could not be made: keep the picture, say why. */
  | { type: 'status'; text: string; live: boolean };

export type ViewMessage =
  | { type: 'ready' }
  /** Show the event's source line; with `goto`, also move the debug session to the moment before it. */
  | { type: 'open'; seq: number; file?: string; line?: number; goto: boolean }
  /** Explain one callback data's life. */
  | { type: 'explain'; data: number };
