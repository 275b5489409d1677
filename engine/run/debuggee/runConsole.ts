/**
 * What the debug console shows of a run as it goes: the driver's output and the violations as the
 * log receives them (not while a replay passes silently), the fault that stopped the run, and the
 * verdict at the end, worded as `fltsim run` words it (engine/run/verdictText.ts). Reading the log
 * also finds the event a transition filter stops at.
 */
import type { SimEvent } from '../../kernel/events';
import type { World } from '../world';
import { expectationLine, problemLine, verdictSummary } from '../verdictText';
import { DEFAULT_TRANSITION_FILTERS, isTransitionFilterId, transitionFilterOf, type TransitionFilterId } from './transitions';
import type { OutputSink } from './types';

export class RunConsole {
  /** Seq of the last event read from the current World's log. */
  private cursor = 0;
  private filters = new Set<TransitionFilterId>(DEFAULT_TRANSITION_FILTERS);

  constructor(
    private readonly output: OutputSink,
    /** How a file is named to the user (breakpoints.ts's `shown`). */
    private readonly shown: (file: string) => string,
  ) {}

  /** Enables exactly these transition filters; returns whether each id was known. */
  setFilters(ids: readonly string[]): boolean[] {
    this.filters = new Set(ids.filter(isTransitionFilterId));
    return ids.map(isTransitionFilterId);
  }

  /** A new World: its log is read from the start. */
  rewind(): void {
    this.cursor = 0;
  }

  /** Forwards output and violations (unless replaying); returns the first event an enabled filter matches. */
  read(world: World, silent: boolean): SimEvent | undefined {
    const sim = world.sim;
    let hit: SimEvent | undefined;
    while (this.cursor < sim.eventCount) {
      const e = sim.event(++this.cursor);
      if (e === undefined) continue;
      if (!silent) {
        const loc = e.location ? { file: this.shown(e.location.file), line: e.location.line } : undefined;
        if (e.kind === 'output') this.output(`${e.detail}\n`, 'stdout', loc);
        else if (e.kind === 'violation') this.output(`[${e.time} ms, ${e.threadName}] violation ${e.detail}${loc ? ` (${loc.file}:${loc.line})` : ''}\n`, 'stderr', loc);
      }
      if (!hit) {
        const filter = transitionFilterOf(e.kind);
        if (filter && this.filters.has(filter)) hit = e;
      }
    }
    return hit;
  }

  /** Says where and why the run stopped, then the verdict; returns the message. */
  reportFault(world: World): string {
    const f = world.fault;
    const message = f?.message ?? 'driver code failed';
    const file = f?.file ? this.shown(f.file) : undefined;
    const where = file ? ` at ${file}:${f?.line}` : '';
    this.output(`The run stopped${where}: ${message}\n`, 'stderr', file ? { file, line: f?.line ?? 1 } : undefined);
    this.reportEnd(world);
    return message;
  }

  /** The verdict, when the run ends or stops. */
  reportEnd(world: World): void {
    const sim = world.sim;
    const verdict = world.verdict();
    for (const p of verdict.problems) this.output(`${problemLine(p)}\n`, 'stderr');
    for (const x of verdict.expectations) this.output(`${expectationLine(x)}\n`, x.passed ? 'console' : 'stderr');
    this.output(`Run ${world.fault ? 'stopped' : 'finished'} at ${sim.now} ms after ${sim.stepCount} steps: ${verdictSummary(verdict)}\n`, 'console');
  }
}
