/**
 * `fltsim init` without the command line: from what the user names to the scenario's text and
 * where it goes. Writing the file (and refusing to overwrite one) is the caller's.
 */
import { rulesOf, type ProjectFiles } from '../files';
import type { DriverProject } from '../project';
import { composeStarter } from './compose';
import { driverFacts, type DriverFacts } from './facts';
import { starterTarget } from './target';

export type StarterResult =
  | { ok: true; text: string; scenarioPath: string; facts: DriverFacts; project: DriverProject }
  /** `input`: nothing usable was named; `no-registration`: a driver, but not a minifilter fltsim can load. */
  | { ok: false; kind: 'input' | 'no-registration'; message: string };

export interface StarterOptions {
  /** Where the scenario goes; default `<project folder>/<driver name>.fltsim`. */
  out?: string;
  /** How the project is named in the scenario's header; default its path relative to the scenario. */
  label?: string;
}

/** Call `initLinter()` first: the registration is read by the linter's model. */
export function starterScenario(files: ProjectFiles, paths: readonly string[], options: StarterOptions = {}): StarterResult {
  const target = starterTarget(files, paths);
  if (!target.ok) return { ok: false, kind: 'input', message: target.message };
  const { project, folder } = target;
  const rules = rulesOf(files);
  const facts = driverFacts(files, project);
  const anchor = project.source.kind === 'vcxproj' ? project.source.file : project.source.kind === 'folder' ? project.source.folder : project.units[0] ?? project.cppUnits?.[0] ?? project.name;
  if (!facts.registration) {
    // Sources that could not be read at all are the likelier reason: say that instead.
    const unreadable = [...project.units, ...(project.cppUnits ?? [])].flatMap((f) => {
      const why = files.whyUnreadable?.(f);
      return why === undefined ? [] : [`${f} ${why}`];
    });
    if (unreadable.length > 0 && facts.sources.length === 0) {
      return { ok: false, kind: 'input', message: `${unreadable.join('; ')}; name the driver's C or C++ source files` };
    }
    return {
      ok: false,
      kind: 'no-registration',
      message: `${anchor}: no FLT_REGISTRATION found in ${project.name}'s sources (${facts.sources.length} read). fltsim runs minifilters, which register with FltRegisterFilter through a FLT_REGISTRATION structure; name the project or folder that declares it.`,
    };
  }
  const scenarioPath = options.out ?? rules.join(folder, `${scenarioFileStem(project.name)}.fltsim`);
  const from = rules.dirname(scenarioPath);
  const rel = (p: string) => {
    const r = rules.relative(from, p);
    return (r === '' ? '.' : r).replace(/\\/g, '/');
  };
  const driverPaths = project.source.kind === 'files' ? project.units.map(rel) : [rel(anchor)];
  const text = composeStarter(facts, { driverPaths, projectLabel: options.label ?? (project.source.kind === 'folder' ? `the folder ${rules.basename(anchor)}` : driverPaths.join(' ')) });
  return { ok: true, text, scenarioPath, facts, project };
}

/**
 * The default scenario file's name from the driver's: a TARGETNAME or ProjectName may hold what no
 * file name can (slashes, colons, a property fltsim left unexpanded) or be longer than a file system
 * keeps (255 bytes on Linux), and the file must still be written.
 */
export function scenarioFileStem(driverName: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = driverName.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  const short = [...cleaned].slice(0, 48).join('');
  return short === '' ? 'driver' : short;
}
