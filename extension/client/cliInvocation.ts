/**
 * How the extension runs its bundled command line (`dist/cli.js`) for "Run Scenario", "Lint
 * Workspace" and "Explore Schedules". Kept free of `vscode` so the argument lists are testable.
 */
import * as path from 'node:path';

export interface CliInvocation {
  /** Label of the task / terminal. */
  label: string;
  /** Program and arguments: the host's Node (or Electron run as Node) and the CLI's arguments. */
  command: string;
  args: string[];
  cwd: string;
  /** Makes an Electron host behave as plain Node; harmless under real Node. */
  env: Record<string, string>;
}

export function runScenarioInvocation(execPath: string, extensionRoot: string, scenario: string, seed?: number): CliInvocation {
  const args = [path.join(extensionRoot, 'dist', 'cli.js'), 'run', scenario];
  if (seed !== undefined) args.push('--seed', String(seed));
  return { label: `fltsim run ${path.basename(scenario)}`, command: execPath, args, cwd: path.dirname(scenario), env: { ELECTRON_RUN_AS_NODE: '1' } };
}

export function lintInvocation(execPath: string, extensionRoot: string, folder: string): CliInvocation {
  return {
    label: `fltsim lint ${path.basename(folder)}`,
    command: execPath,
    args: [path.join(extensionRoot, 'dist', 'cli.js'), 'lint', folder],
    cwd: folder,
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

/**
 * `fltsim test` on scenarios, for the Test Explorer: JSON lines on stdout, read by
 * testing/testProcess.ts; `seeds` (a list like `1-10`) runs each scenario under those seeds.
 */
export function testInvocation(execPath: string, extensionRoot: string, scenarios: readonly string[], cwd: string, seeds?: string): Omit<CliInvocation, 'label'> {
  const args = [path.join(extensionRoot, 'dist', 'cli.js'), 'test', ...(seeds ? ['--seeds', seeds] : []), '--', ...scenarios];
  return { command: execPath, args, cwd, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/**
 * `fltsim init <target> --json [--force]`: a starter scenario for the driver project `target` (a
 * .vcxproj, a folder or a .c file), written next to the project; one JSON object on stdout says
 * where, or why not.
 */
export function initInvocation(execPath: string, extensionRoot: string, target: string, force = false): CliInvocation {
  return {
    label: `fltsim init ${path.basename(target)}`,
    command: execPath,
    args: [path.join(extensionRoot, 'dist', 'cli.js'), 'init', target, '--json', ...(force ? ['--force'] : [])],
    cwd: path.dirname(target),
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

/** `--replay FILE` when a run follows a schedule `fltsim explore` recorded. */
function replayArgs(replay: string | undefined): string[] {
  return replay === undefined ? [] : ['--replay', replay];
}

/**
 * `fltsim run <scenario> [--replay <file>] --timeline <out>`: the run (or the run of a recorded
 * schedule) as the timeline view reads it, written to `out`.
 */
export function timelineInvocation(execPath: string, extensionRoot: string, scenario: string, out: string, replay?: string): CliInvocation {
  return {
    label: `fltsim run ${path.basename(scenario)} --timeline`,
    command: execPath,
    args: [path.join(extensionRoot, 'dist', 'cli.js'), 'run', scenario, ...replayArgs(replay), '--timeline', out],
    cwd: path.dirname(scenario),
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

/** `fltsim run <scenario> [--replay <file>] --explain #N --format markdown`: one callback data's life, as Markdown on stdout. */
export function explainInvocation(execPath: string, extensionRoot: string, scenario: string, data: number, replay?: string): CliInvocation {
  return {
    label: `fltsim run ${path.basename(scenario)} --explain #${data}`,
    command: execPath,
    args: [path.join(extensionRoot, 'dist', 'cli.js'), 'run', scenario, ...replayArgs(replay), '--explain', `#${data}`, '--format', 'markdown'],
    cwd: path.dirname(scenario),
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

/** Where "Explore Schedules" writes a failing schedule: beside the scenario, `<name>.replay.json`. */
export function replayPathFor(scenario: string): string {
  return scenario.replace(/\.fltsim$/i, '') + '.replay.json';
}

export type ExploreStrategy = 'dfs' | 'random' | 'pct';

/** The `fltsim.explore.*` settings: how "Explore Schedules" and the Test Explorer's Explore profile search. */
export interface ExploreSettings {
  strategy?: ExploreStrategy;
  maxSchedules?: number;
  /** Seconds; undefined: no limit. */
  timeLimitSeconds?: number;
  /** Undefined: the strategy's default bound. */
  preemptions?: number;
}

/**
 * `fltsim explore <scenario> --json --progress --replay-out <file> [search options]`: the JSON
 * report on stdout, progress lines on stderr while it runs; SIGTERM stops it after the schedule
 * under way and it still prints the report so far.
 */
export function exploreInvocation(execPath: string, extensionRoot: string, scenario: string, settings: ExploreSettings = {}): CliInvocation {
  const search: string[] = [];
  if (settings.strategy !== undefined) search.push('--strategy', settings.strategy);
  if (settings.maxSchedules !== undefined) search.push('--max-schedules', String(settings.maxSchedules));
  if (settings.timeLimitSeconds !== undefined) search.push('--time-limit', String(settings.timeLimitSeconds));
  if (settings.preemptions !== undefined) search.push('--preemptions', String(settings.preemptions));
  return {
    label: `fltsim explore ${path.basename(scenario)}`,
    command: execPath,
    args: [path.join(extensionRoot, 'dist', 'cli.js'), 'explore', scenario, '--json', '--progress', '--replay-out', replayPathFor(scenario), ...search],
    cwd: path.dirname(scenario),
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}
