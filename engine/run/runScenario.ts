/**
 * A whole run of a prepared scenario without a debugger: what `fltsim run` and the tests do. The
 * World stays inside; callers get the report and the timeline as plain data.
 */
import type { SimEvent } from '../kernel/events';
import type { PreparedScenario } from './prepare';
import { buildRunReport, type RunReport } from './report';
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
}

export function runScenario(prepared: PreparedScenario, options: ScenarioRunOptions = {}): ScenarioRun {
  const world = new World(prepared, options);
  world.run();
  return { report: buildRunReport(world, options.label ?? prepared.scenarioPath, options.relativize), timeline: world.sim.events };
}
