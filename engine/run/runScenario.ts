/**
 * A whole run of a prepared scenario without a debugger: what `fltsim run` and the tests do. The
 * World stays inside; callers get the report and the timeline as plain data.
 */
import type { SimEvent } from '../kernel/events';
import type { PreparedScenario } from './prepare';
import { buildRunReport, type RunReport } from './report';
import { timelineOfLog, type RunTimeline, type TimelineOptions } from './timeline';
import { World, type WorldOptions } from './world';

export interface ScenarioRunOptions extends WorldOptions {
  /** How the report names the scenario (default: its path). */
  label?: string;
  /** Rewrites file names in the report (violations, the fault), e.g. relative to the working folder. */
  relativize?: (file: string) => string;
}

export interface ScenarioRun {
  report: RunReport;
  /** Every event the run kept, oldest first. */
  timeline: readonly SimEvent[];
  /** The run drawn as lanes, spans, callback data lives and links: what `--trace`, `--explain` and the timeline view show. */
  timelineModel(options?: Omit<TimelineOptions, 'title' | 'scenario' | 'seed'>): RunTimeline;
}

export function runScenario(prepared: PreparedScenario, options: ScenarioRunOptions = {}): ScenarioRun {
  const world = new World(prepared, options);
  world.run();
  const report = buildRunReport(world, options.label ?? prepared.scenarioPath, options.relativize);
  return {
    report,
    timeline: world.sim.events,
    timelineModel: (o = {}) => timelineOfLog(world.sim.kernel.log, (id) => world.sim.kernel.roleOf(id), { ...o, title: report.title, scenario: report.scenario, seed: report.seed }),
  };
}
