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

/**
 * `fltsim explore <scenario> --json --progress --replay-out <file>`: the JSON report on stdout,
 * progress lines on stderr while it runs; SIGTERM stops it after the schedule under way.
 */
export function exploreInvocation(execPath: string, extensionRoot: string, scenario: string): CliInvocation {
  return {
    label: `fltsim explore ${path.basename(scenario)}`,
    command: execPath,
    args: [path.join(extensionRoot, 'dist', 'cli.js'), 'explore', scenario, '--json', '--progress', '--replay-out', replayPathFor(scenario)],
    cwd: path.dirname(scenario),
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}
