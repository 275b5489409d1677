/**
 * Which driver project `fltsim init` writes a scenario for, from what the user names: a .vcxproj,
 * C files, or a folder. One C file stands for its project. A folder is searched as the linter searches one (engine/project/discover.ts):
 * one kernel-mode driver in it is the one; several are a question back to the user.
 */
import { locateFile, locateFolder, rulesOf, type ProjectFiles } from '../files';
import { discoverProjects, loadProject, nonDriverBuild, projectOfFile, specForPath, type DriverProject } from '../project';

export type StarterTarget =
  | { ok: true; project: DriverProject; /** Where the scenario goes by default (the project's folder). */ folder: string }
  | { ok: false; message: string };

function folderOf(files: ProjectFiles, project: DriverProject): string {
  const rules = rulesOf(files);
  if (project.source.kind === 'vcxproj') return rules.dirname(project.source.file);
  if (project.source.kind === 'folder') return project.source.folder;
  return rules.dirname(project.units[0] ?? project.cppUnits?.[0] ?? '.');
}

function checked(files: ProjectFiles, project: DriverProject): StarterTarget {
  const error = project.notes.find((n) => n.severity === 'error');
  if (error) return { ok: false, message: `${error.file}${error.line > 1 ? `:${error.line}` : ''}: ${error.message}` };
  if (project.units.length === 0 && (project.cppUnits ?? []).length === 0) return { ok: false, message: `${project.name}: the project lists no C source file` };
  return { ok: true, project, folder: folderOf(files, project) };
}

export function starterTarget(files: ProjectFiles, paths: readonly string[]): StarterTarget {
  if (paths.length === 0) return { ok: false, message: 'name a .vcxproj, a folder or .c/.cpp files' };
  const rules = rulesOf(files);
  if (paths.length > 1) {
    const notC = paths.find((p) => !/\.(?:c|cpp|cc|cxx)$/i.test(p));
    if (notC) return { ok: false, message: `${notC}: give one .vcxproj or one folder, or several C or C++ files` };
    return checked(files, loadProject(files, { kind: 'files', paths: [...paths] }));
  }
  if (/\.h$/i.test(paths[0]!)) return { ok: false, message: `${paths[0]}: a header is not a driver; name its .vcxproj, its folder or its .c files` };
  const spec = specForPath(paths[0]!);
  if (spec.kind === 'files') {
    // One C file stands for the driver it belongs to (the .vcxproj that lists it, or its folder's one driver), as in lint.
    const found = locateFile(files, spec.paths[0]!)?.path;
    const owner = found !== undefined && /\.(?:c|cpp|cc|cxx)$/i.test(found) ? projectOfFile(files, found) : undefined;
    return checked(files, owner ?? loadProject(files, spec));
  }
  if (spec.kind !== 'folder') return checked(files, loadProject(files, spec));
  const folder = locateFolder(files, spec.path)?.path;
  if (!folder) {
    // A path that is neither a folder nor a driver source (README.md, a .sln): say what it is not.
    const file = locateFile(files, spec.path)?.path;
    if (file !== undefined) return { ok: false, message: `${file}: not a driver project or source; name a .vcxproj, a folder or .c/.cpp files` };
    return { ok: false, message: `${spec.path}: no such file or folder` };
  }
  const found = discoverProjects(files, folder);
  if (found.projects.length === 0) {
    // Sources that could not be read as text (binary, too large, not a regular file) say why.
    const unreadable = found.loose.flatMap((f) => {
      const why = files.whyUnreadable?.(f);
      return why === undefined ? [] : [`${rules.relative(folder, f)} ${why}`];
    });
    const skipped = [...found.notes.map((n) => n.message), ...unreadable].join('; ');
    return { ok: false, message: `${folder}: no kernel-mode driver found (no .vcxproj, and no folder of .c files with one DriverEntry)${skipped ? `; ${skipped}` : ''}` };
  }
  // A kernel library or a project built some other way is linted with the drivers, but the scenario
  // needs the one that builds the driver, when the folder says which.
  const drivers = found.projects.filter((p) => nonDriverBuild(files, p) === undefined);
  if (drivers.length > 0 && drivers.length < found.projects.length) found.projects = drivers;
  // A folder of several drivers (a repository): the minifilters among them are the candidates.
  if (found.projects.length > 1) {
    const names = found.projects.map((p) => (p.source.kind === 'vcxproj' ? rules.relative(folder, p.source.file) : rules.relative(folder, folderOf(files, p)) || '.'));
    return { ok: false, message: `${folder} holds ${found.projects.length} drivers; name one of them: ${names.join(', ')}` };
  }
  return checked(files, found.projects[0]!);
}
