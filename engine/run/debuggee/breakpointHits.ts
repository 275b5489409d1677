/**
 * Whether the breakpoints at the line a thread reached stop it: each one's C condition first (one
 * that cannot be evaluated stops, and says why), then its hit count; a logpoint prints its message
 * instead of stopping.
 */
import type { EvaluateResult } from '../../interp/evaluate';
import { inspectContext } from '../evaluate';
import { inspect } from '../inspect';
import type { World } from '../world';
import { hitConditionHolds, type Breakpoint } from './breakpoints';
import type { OutputSink } from './types';

export interface HitContext {
  world: World;
  /** Evaluates C text in the stopped thread's innermost driver frame. */
  evaluate(text: string): EvaluateResult;
  /** Where conditions that fail and logpoint messages go; none while replaying silently. */
  output?: OutputSink;
}

/** The breakpoints of `bps` that stop the thread; counts their hits and prints logpoints. */
export function breakpointsThatStop(bps: readonly Breakpoint[], cx: HitContext): Breakpoint[] | undefined {
  let stops: Breakpoint[] | undefined;
  for (const bp of bps) {
    if (!conditionHolds(bp, cx)) continue;
    bp.hits++;
    if (!hitConditionHolds(bp.hitCondition, bp.hits)) continue;
    if (bp.logMessage !== undefined) {
      cx.output?.(`${interpolate(bp.logMessage, cx)}\n`, 'console', { file: bp.file, line: bp.line });
      continue;
    }
    (stops ??= []).push(bp);
  }
  return stops;
}

function conditionHolds(bp: Breakpoint, cx: HitContext): boolean {
  if (!bp.condition || bp.condition.trim() === '') return true;
  const r = cx.evaluate(bp.condition);
  if (!r.ok) {
    cx.output?.(`Breakpoint condition '${bp.condition}' could not be evaluated: ${r.message}; stopping there.\n`, 'stderr');
    return true;
  }
  return typeof r.value === 'number' ? r.value !== 0 : r.value !== null && r.value !== undefined;
}

/** A logpoint message with each `{expression}` replaced by its value. */
function interpolate(message: string, cx: HitContext): string {
  return message.replace(/\{([^{}]+)\}/g, (_m, expr: string) => {
    const r = cx.evaluate(expr);
    return r.ok ? inspect(inspectContext(cx.world), r.value, r.type).value : `<${r.message}>`;
  });
}
