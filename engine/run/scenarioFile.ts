/**
 * What a path given as a scenario (`fltsim run`, a launch configuration's "scenario") says about a
 * mistake before a word of it is parsed: a driver's source or project given where its scenario was
 * meant, or a launch-configuration variable nobody expanded. Each answer says what to do instead.
 */
import { fileName } from '../files';

/** Driver sources, headers and build files: read as a scenario, their first line would be "unknown keyword". */
const DRIVER_FILE = /\.(?:c|cpp|cc|cxx|h|hpp|hxx|inl|vcxproj|sln|inf|sys|rc|mc)$/i;

/** Why `scenarioPath` names a driver's file rather than a scenario, with what to run instead; undefined otherwise. */
export function driverFileGivenAsScenario(scenarioPath: string): string | undefined {
  const name = fileName(scenarioPath);
  if (!DRIVER_FILE.test(name)) return undefined;
  return `'${name}' is a driver's file, not a scenario: a scenario is a .fltsim file whose driver line names it ('fltsim init ${name}' writes one beside it)`;
}

/**
 * A hint for a scenario path that could not be read, when its spelling explains why: an editor
 * variable such as `${workspaceFolder}` left as written (only VS Code expands them), or a `file:` URI.
 */
export function unreadableScenarioHint(scenarioPath: string, sep: '/' | '\\'): string | undefined {
  const variable = /\$\{[^}]*\}/.exec(scenarioPath);
  if (variable) return `${variable[0]} was not expanded: only VS Code replaces such variables in a launch configuration; give the path itself`;
  if (/(?:^|[\\/])file:/i.test(scenarioPath)) return 'this is a file: URI, not a path; give the path of the .fltsim file';
  // `C:\proj\x.fltsim` resolved against the current folder on Linux or macOS: `/home/me/C:\proj\x.fltsim`.
  if (sep === '/' && /(?:^|\/)[A-Za-z]:[\\/]/.test(scenarioPath)) return 'this is a Windows drive path, which this machine cannot open; give the path of the .fltsim file here';
  return undefined;
}
