/**
 * Shrinks a failing schedule: each change from the default (a decision where the schedule does not
 * take what the seeded rule prefers) is undone in turn, latest first, and the undoing kept when the
 * run still fails for one of the same reasons and is simpler (fewer preemptions, or as many and
 * fewer changes). What is left needs every change it makes; the
 * choices after the last change are dropped, since the seeded rule makes them anyway.
 */
import type { ActorId } from '../kernel/schedule';
import type { ExploreTarget, RunVerdict } from './explorer';
import { ReplayPolicy } from './policies';
import { preemptionCost } from './schedule';
import type { Trace } from './trace';

export interface Minimised<V> {
  choices: ActorId[];
  verdict: V;
  trace: Trace;
  /** Changes from the default that cost a preemption. */
  preemptions: number;
  /** Changes from the default, preemptions or not. */
  changes: number;
  /** Runs the shrinking took. */
  runs: number;
}

export function minimise<V extends RunVerdict>(target: ExploreTarget<V>, failing: { choices: readonly ActorId[]; verdict: V; trace: Trace }, maxRuns = 200): Minimised<V> {
  let best = { choices: [...failing.choices], verdict: failing.verdict, trace: failing.trace };
  const keys = new Set(failing.verdict.failures.map((f) => f.key));
  let runs = 0;
  // Undo changes from the last to the first; an undone change shifts nothing before it.
  for (let d = best.trace.decisions.length - 1; d >= 0 && runs < maxRuns; d--) {
    const dec = best.trace.decisions[d];
    if (dec === undefined || dec.choice === dec.preferred) continue;
    const candidate = best.choices.slice(0, d + 1);
    candidate[d] = dec.preferred;
    candidate.push(...best.choices.slice(d + 1));
    const policy = new ReplayPolicy(candidate, false);
    const verdict = target.run(policy);
    runs++;
    if (!verdict.failures.some((f) => keys.has(f.key))) continue;
    // Undoing one change can shift the later choices onto other decisions, where they may become
    // new changes: keep the result only when it is simpler.
    const was = cost(best.trace);
    const now = cost(policy.observer);
    if (now.preemptions < was.preemptions || (now.preemptions === was.preemptions && now.changes < was.changes)) {
      best = { choices: policy.observer.choices, verdict, trace: policy.observer };
    }
  }
  const { preemptions, changes, last } = cost(best.trace);
  return { choices: best.choices.slice(0, last + 1), verdict: best.verdict, trace: best.trace, preemptions, changes, runs };
}

/** A run's changes from the default schedule, those that cost a preemption, and the last one's index. */
function cost(trace: Trace): { preemptions: number; changes: number; last: number } {
  let last = -1;
  let preemptions = 0;
  let changes = 0;
  for (const d of trace.decisions) {
    if (d.choice === d.preferred) continue;
    last = d.index;
    changes++;
    preemptions += preemptionCost(d, d.choice);
  }
  return { preemptions, changes, last };
}
