/**
 * A whole run of a prepared scenario without a debugger: what `fltsim run` and the tests do. The
 * World stays inside; callers get the report and the timeline as plain data.
 */
import type { SimEvent } from '../kernel/events';
import { ReplayPolicy } from '../explore/policies';
import type { Schedule } from '../explore/schedule';
import { interleaving, judgeRun, ScenarioTarget } from './explore';
import type { PreparedScenario } from './prepare';
import { buildRunReport, type RunReport } from './report';
import { timelineOfLog, type RunTimeline, type TimelineOptions } from './timeline';
import { World, type WorldOptions } from './world';

export interface ScenarioRunOptions extends WorldOptions {
  /** How the report names the scenario (default: its path). */
  label?: string;
  /** Rewrites file names in the report (violations, the fault), e.g. relative to the working folder. */
  relativize?: (file: string) => string;
  /**
   * Follow this schedule (a replay file's, from `fltsim explore`) instead of the seeded rule: the
   * run is judged as exploration judges it. A choice the run cannot take throws ScheduleMismatch.
   */
  schedule?: Schedule;
}

export interface ScenarioRun {
  report: RunReport;
  /** Every event the run kept, oldest first. */
  timeline: readonly SimEvent[];
  /** The run drawn as lanes, spans, callback data lives and links: what `--trace`, `--explain` and the timeline view show. */
  timelineModel(options?: Omit<TimelineOptions, 'title' | 'scenario' | 'seed'>): RunTimeline;
}

export function runScenario(prepared: PreparedScenario, options: ScenarioRunOptions = {}): ScenarioRun {
  const label = options.label ?? prepared.scenarioPath;
  if (options.schedule !== undefined) return replaySchedule(prepared, options.schedule, label, options.relativize);
  const world = new World(prepared, options);
  world.run();
  return ran(world, buildRunReport(world, label, options.relativize));
}

/** The report and the two views of the run's events. */
function ran(world: World, report: RunReport): ScenarioRun {
  return {
    report,
    timeline: world.sim.events,
    timelineModel: (o = {}) => timelineOfLog(world.sim.kernel.log, (id) => world.sim.kernel.roleOf(id), { ...o, title: report.title, scenario: report.scenario, seed: report.seed }),
  };
}

function replaySchedule(prepared: PreparedScenario, schedule: Schedule, label: string, relativize?: (file: string) => string): ScenarioRun {
  const target = new ScenarioTarget(prepared, schedule.seed, relativize);
  const policy = new ReplayPolicy(schedule.choices, true);
  const world = target.world(policy);
  const ended = world.run(target.budget);
  const verdict = judgeRun(world, ended, relativize);
  const report = buildRunReport(world, label, relativize);
  report.passed = verdict.failures.length === 0;
  report.schedule = {
    choices: schedule.choices.length,
    firstChange: policy.firstChange + 1,
    failures: verdict.failures.map((f) => f.text),
    interleaving: interleaving(policy.observer),
  };
  return ran(world, report);
}
