/**
 * Launch-configuration rules for the `fltsim` debugger, kept free of `vscode` so they can be tested
 * directly (tests cannot drive VS Code's resolveDebugConfiguration together with an adapter).
 * The shape mirrors `contributes.debuggers[0].configurationAttributes.launch` in package.json.
 */
import * as path from 'node:path';
import { DEBUG_TYPE } from './commandIds';

export interface FltsimLaunchConfig {
  type: typeof DEBUG_TYPE;
  request: 'launch';
  name: string;
  /** The `.fltsim` scenario to run; absolute, or relative to the workspace folder. */
  scenario: string;
  stopOnEntry?: boolean;
  /** Seed of the simulator's scheduler; the same seed replays the same interleaving. */
  seed?: number;
  /** The workspace folder the session belongs to, filled in here: drivers read from outside it get a warning. */
  workspaceFolder?: string;
  /** A replay file written by `fltsim explore`: the session follows its schedule. */
  replay?: string;
  [key: string]: unknown;
}

/** The launch attributes package.json declares; the manifest test keeps the two in step. */
export const LAUNCH_ATTRIBUTES = ['scenario', 'stopOnEntry', 'seed', 'workspaceFolder', 'replay'] as const;

export type ResolveResult =
  | { ok: true; config: FltsimLaunchConfig }
  | { ok: false; message: string };

export const SCENARIO_EXTENSION = '.fltsim';

export function isScenarioPath(file: string | undefined): file is string {
  return typeof file === 'string' && file.toLowerCase().endsWith(SCENARIO_EXTENSION);
}

/**
 * First pass, before VS Code substitutes `${...}` variables. Fills what the user left out:
 * F5 with no launch.json debugs the active scenario; a configuration without `scenario` takes the
 * active one too. `activeFile` is the path of the active editor's document, if any.
 */
export function resolveLaunchConfig(raw: Record<string, unknown>, activeFile: string | undefined): ResolveResult {
  const isEmpty = !raw.type && !raw.request && !raw.name;
  if (isEmpty) {
    if (!isScenarioPath(activeFile)) {
      return { ok: false, message: 'Open a .fltsim scenario to debug it, or add a "fltsim" launch configuration with a "scenario" path to launch.json.' };
    }
    return { ok: true, config: { type: DEBUG_TYPE, request: 'launch', name: `Debug ${path.basename(activeFile)}`, scenario: activeFile, stopOnEntry: false } };
  }
  if (raw.request !== undefined && raw.request !== 'launch') {
    return { ok: false, message: `The fltsim debugger only supports "request": "launch" (got "${String(raw.request)}").` };
  }
  const config = { ...raw, type: DEBUG_TYPE, request: 'launch', name: typeof raw.name === 'string' ? raw.name : 'Debug scenario' } as FltsimLaunchConfig;
  if (config.scenario === undefined || config.scenario === '') {
    if (!isScenarioPath(activeFile)) {
      return { ok: false, message: `Launch configuration "${config.name}" has no "scenario": set it to a .fltsim file, or open one before starting.` };
    }
    config.scenario = activeFile;
  }
  if (typeof config.scenario !== 'string') {
    return { ok: false, message: `Launch configuration "${config.name}": "scenario" must be a string path to a .fltsim file.` };
  }
  if (config.stopOnEntry !== undefined && typeof config.stopOnEntry !== 'boolean') {
    return { ok: false, message: `Launch configuration "${config.name}": "stopOnEntry" must be true or false.` };
  }
  if (config.seed !== undefined && !(typeof config.seed === 'number' && Number.isInteger(config.seed) && config.seed >= 0)) {
    return { ok: false, message: `Launch configuration "${config.name}": "seed" must be a non-negative integer (got ${JSON.stringify(config.seed)}).` };
  }
  if (config.replay !== undefined && (typeof config.replay !== 'string' || config.replay === '')) {
    return { ok: false, message: `Launch configuration "${config.name}": "replay" must be the path of a replay file written by fltsim explore.` };
  }
  if (config.replay !== undefined && config.seed !== undefined) {
    return { ok: false, message: `Launch configuration "${config.name}": give "seed" or "replay", not both — the replay file holds its seed.` };
  }
  return { ok: true, config };
}

/**
 * Second pass, after variable substitution: make `scenario` absolute (relative paths count from
 * the workspace folder) and insist it names a scenario file, so a stray `${file}` on a .c file
 * fails here with a readable message instead of inside the adapter.
 */
export function finalizeLaunchConfig(config: FltsimLaunchConfig, workspaceFolder: string | undefined): ResolveResult {
  let scenario = config.scenario;
  if (!path.isAbsolute(scenario)) {
    if (!workspaceFolder) {
      return { ok: false, message: `Launch configuration "${config.name}": "scenario" is the relative path "${scenario}" but no folder is open; use an absolute path or \${workspaceFolder}.` };
    }
    scenario = path.join(workspaceFolder, scenario);
  }
  if (!isScenarioPath(scenario)) {
    return { ok: false, message: `Launch configuration "${config.name}": "scenario" must be a .fltsim file, got "${scenario}". Open the scenario that loads this driver and start from there.` };
  }
  let replay = config.replay;
  if (replay !== undefined && !path.isAbsolute(replay)) {
    if (!workspaceFolder) {
      return { ok: false, message: `Launch configuration "${config.name}": "replay" is the relative path "${replay}" but no folder is open; use an absolute path or \${workspaceFolder}.` };
    }
    replay = path.join(workspaceFolder, replay);
  }
  return { ok: true, config: { ...config, scenario, ...(workspaceFolder && config.workspaceFolder === undefined ? { workspaceFolder } : {}), ...(replay !== undefined ? { replay } : {}) } };
}

/** One "Debug <file>" configuration per scenario in the workspace, offered in the Run view's list. */
export function dynamicLaunchConfigs(scenarioFiles: readonly string[], workspaceFolder: string): FltsimLaunchConfig[] {
  return [...scenarioFiles]
    .filter(isScenarioPath)
    .map((file) => path.relative(workspaceFolder, file).split(path.sep).join('/'))
    .filter((rel) => !rel.startsWith('../') && !path.isAbsolute(rel))
    .sort()
    .map((rel) => ({ type: DEBUG_TYPE, request: 'launch', name: `Debug ${rel}`, scenario: `\${workspaceFolder}/${rel}`, stopOnEntry: false }));
}
