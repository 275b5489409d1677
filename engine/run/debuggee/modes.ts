/** What the Debuggee is doing between stops: the command under way, and what it keeps to go back in time. */
import type { FrameRef } from './variables';
import type { StepHow, StopReason } from './types';

/** Where a silent replay is headed and the stop it makes on arrival. */
export interface Arrival {
  target: number;
  reason: StopReason;
  threadId: number;
  describe: (now: number) => string;
  text?: string;
  hitBreakpointIds?: number[];
}

/** A place where running forward with the current breakpoints and filters would have stopped. */
export interface Candidate {
  step: number;
  threadId: number;
  reason: StopReason;
  hitBreakpointIds?: number[];
  text?: string;
}

export type Mode =
  | { kind: 'none' }
  | { kind: 'end' }
  | { kind: 'continue' }
  | { kind: 'entry' }
  | { kind: 'step'; thread: number; depth: number; how: StepHow }
  /**
   * Replaying silently to a step (step back, reverse continue's second pass); `loud`: running forward
   * to it (a later moment chosen on the timeline), passing output on but stopping nowhere else.
   */
  | { kind: 'seek'; arrival: Arrival; loud?: boolean }
  /** Reverse continue's first pass: replaying to the stop point, noting the last place it would have stopped. */
  | { kind: 'scan'; until: number; best: Candidate | undefined };

/**
 * A value the user set, with where and when, so replays set it again: C text evaluated in a frame
 * (Set Value, an assignment in the Debug Console), or bytes written in the memory view.
 */
export type Edit = { step: number; frame: FrameRef; text: string } | { step: number; memory: { allocation: number; offset: number; bytes: Uint8Array } };

/** The two most recent statements a thread executed (steps; 0 = none). */
export interface ThreadTrail {
  last: number;
  prev: number;
}
