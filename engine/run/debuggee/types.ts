/** What a front end exchanges with the Debuggee: plain data, no protocol. */
import type { Schedule } from '../../explore/schedule';
import type { VariableInfo } from './variables';
import type { DataBreakpointState } from './dataBreakpoints';

/** `goto`: arrived at a moment chosen on the timeline (`goToEvent`); `schedule`: a replayed schedule is about to leave the default one. */
export type StopReason = 'entry' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'step' | 'pause' | 'exception' | 'goto' | 'schedule';

export interface Stop {
  reason: StopReason;
  threadId: number;
  /** What happened, with the virtual time: `Paused on breakpoint (2 ms)`. */
  description: string;
  /** For exception stops: the transition, violation or fault. */
  text?: string;
  hitBreakpointIds?: number[];
}

export type StepHow = 'over' | 'in' | 'out';

/** Whether a command was taken up; a command about a thread that does not exist is refused with why. */
export type CommandResult = { ok: true } | { ok: false; message: string };

/** Where a command stands after `advance`. `idle`: there is no command to carry out. */
export type Progress = { kind: 'running' } | { kind: 'stopped'; stop: Stop } | { kind: 'terminated' } | { kind: 'idle' };

export type OutputCategory = 'stdout' | 'stderr' | 'console';

/** DbgPrint lines (stdout), violations, faults and failed expectations (stderr), logpoints and the end-of-run summary (console). */
export type OutputSink = (text: string, category: OutputCategory, location?: { file: string; line: number }) => void;

export interface DebuggeeOptions {
  /** Overrides the scenario's `seed` line. */
  seed?: number;
  /** Statements before a loop that does not end is stopped as a fault. Default: the scenario's `limit steps`, else none, since a user at a debugger can pause. */
  stepBudget?: number;
  output?: OutputSink;
  /** A data breakpoint started or stopped watching on its own (its local's frame returned; a step back brought it back). */
  breakpointChanged?: (state: DataBreakpointState) => void;
  /**
   * Follow this schedule (from a replay file) instead of the seeded rule; its seed replaces the
   * scenario's. Where a changed value sends the run elsewhere, choices that no longer fit give way
   * to the default.
   */
  schedule?: Schedule;
}

export interface ThreadInfo {
  id: number;
  name: string;
}

export interface FrameInfo {
  /** Position in the thread's stack, 0 = outermost: what `scopes` and `evaluate` take. */
  index: number;
  /** `csqfilter!CsqAcquire`, `fltmgr!FltCbdqInsertIo`. */
  name: string;
  /** Driver code only; kernel frames and prelude helpers have no source. */
  source?: { file: string; line: number; column: number };
}

export interface ScopeInfo {
  name: string;
  handle: number;
}

export type EvaluationResult = ({ ok: true } & Omit<VariableInfo, 'name' | 'evaluateName' | 'editable'>) | { ok: false; message: string };

export type SetValueResult = { ok: true; value: string; type: string } | { ok: false; message: string };

export interface EvaluateOptions {
  threadId?: number;
  /** A frame of the thread (FrameInfo.index); the innermost driver frame when absent or not driver code. */
  frameIndex?: number;
  /** Assignments and increments are allowed (the Debug Console); watches, hovers and conditions read only. */
  allowAssignment?: boolean;
}
