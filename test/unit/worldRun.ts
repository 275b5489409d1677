/**
 * The one way unit tests run a scenario text to its end: prepare it against `files` (the test fails
 * with the scenario's diagnostics when it does not prepare), build its World and run it. Tests that
 * need the report rather than the World use engine/run/runScenario on `prepared` instead.
 */
import assert from 'node:assert/strict';
import { pathRules, type ProjectFiles } from '../../engine/files';
import { prepareScenarioText, type PreparedScenario } from '../../engine/run/prepare';
import { World, type WorldOptions } from '../../engine/run/world';

/** A prepared scenario, or a failed test naming each diagnostic by its line. */
export async function prepared(scenarioPath: string, text: string, files: ProjectFiles): Promise<PreparedScenario> {
  const p = await prepareScenarioText(scenarioPath, text, files);
  assert.ok(p.ok, p.ok ? '' : p.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; '));
  return p.prepared;
}

/** The scenario run to its end (inspect `world.fault` for a stop). */
export async function runWorld(scenarioPath: string, text: string, files: ProjectFiles, options: WorldOptions = {}): Promise<World> {
  const world = new World(await prepared(scenarioPath, text, files), options);
  world.run();
  return world;
}

/** Files holding one driver source, at `/t/<name>`, read with posix rules. */
export function oneDriver(name: string, text: string): ProjectFiles {
  return { readFile: (p) => (p === `/t/${name}` ? text : undefined), paths: pathRules('posix') };
}
