/**
 * How the extension runs its bundled command line (`dist/cli.js`) for "Run Scenario" and
 * "Lint Workspace". Kept free of `vscode` so the argument lists are testable.
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
