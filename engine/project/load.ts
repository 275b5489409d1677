/**
 * Building a DriverProject from what the user points at: a .vcxproj, a folder, or .c files. The
 * name of a file-list driver is the file that defines DriverEntry, which needs the text; a cheap
 * scan finds it before anything is compiled.
 */
import { baseName, extensionOf, findFile, locateFile, locateFolder, rulesOf, type ProjectFiles } from '../files';
import { isCppSource, type DriverProject } from './model';
import { readVcxproj } from './vcxproj';
import { readSourcesFile, sourcesBuildsDriver, sourcesFileIn } from './wdkSources';

/** The C files a folder holds directly (sorted by name, so the order is stable across hosts). */
export function cFilesIn(files: ProjectFiles, folder: string): string[] {
  const rules = rulesOf(files);
  return (files.listDir?.(folder) ?? [])
    .filter((e) => !e.folder && /\.c$/i.test(e.name))
    .map((e) => rules.join(folder, e.name))
    .sort((a, b) => a.localeCompare(b));
}

export function folderProject(files: ProjectFiles, folder: string): DriverProject {
  const rules = rulesOf(files);
  const located = locateFolder(files, folder);
  const found = located?.path;
  const project: DriverProject = { name: rules.basename(rules.normalize(found ?? folder)), source: { kind: 'folder', folder: found ?? folder }, units: [], includeDirs: [], defines: new Map(), notes: [] };
  if (!found) {
    project.notes.push({ severity: 'error', message: `folder ${folder} not found`, file: folder, line: 1 });
    return project;
  }
  // An old-WDK folder: its `sources` file says which files make the driver (wdkSources.ts).
  const sources = sourcesFileIn(files, found);
  if (sources !== undefined && sourcesBuildsDriver(files, sources)) return readSourcesFile(files, sources);
  project.units = cFilesIn(files, found);
  const cpp = (files.listDir?.(found) ?? []).filter((e) => !e.folder && isCppSource(e.name)).map((e) => rules.join(found, e.name)).sort((a, b) => a.localeCompare(b));
  if (cpp.length > 0) project.cppUnits = cpp;
  if (project.units.length === 0 && cpp.length === 0) project.notes.push({ severity: 'error', message: `folder ${found} holds no .c or .cpp file`, file: found, line: 1 });
  addConventionalIncludeDirs(files, project, [found]);
  return project;
}

/**
 * No build file says where the headers are: search where CMake-style layouts keep them, beside or
 * above each folder that holds sources — the same folders discovery looks in to tell kernel code from
 * user code, so a folder and a list of files find the same headers.
 */
function addConventionalIncludeDirs(files: ProjectFiles, project: DriverProject, folders: readonly string[]): void {
  const rules = rulesOf(files);
  for (const folder of folders) {
    for (const dir of CONVENTIONAL_INCLUDE_DIRS) {
      const inc = locateFolder(files, rules.resolve(folder, dir))?.path;
      if (inc !== undefined && !project.includeDirs.includes(inc)) project.includeDirs.push(inc);
    }
  }
}

/** Where projects keep their headers when no include folder is written down (CMake, props files). */
export const CONVENTIONAL_INCLUDE_DIRS = ['include', 'inc', '../include', '../inc'];

const DRIVER_ENTRY = /\bDriverEntry\s*\([^;{]*\)\s*\{/;

/** Whether a C text defines DriverEntry (a definition, not a prototype). */
export function definesDriverEntry(text: string): boolean {
  return DRIVER_ENTRY.test(text);
}

export function fileListProject(files: ProjectFiles, paths: readonly string[]): DriverProject {
  const project: DriverProject = { name: baseName(paths[0] ?? 'driver'), source: { kind: 'files' }, units: [], includeDirs: [], defines: new Map(), notes: [] };
  let entry: string | undefined;
  for (const p of paths) {
    const located = locateFile(files, p);
    if (!located) {
      project.notes.push({ severity: 'error', message: `driver file ${p} not found`, file: p, line: 1 });
      continue;
    }
    const found = located.path;
    const list = isCppSource(found) ? (project.cppUnits ??= []) : project.units;
    if (!list.includes(found)) list.push(found);
    if (!entry && definesDriverEntry(files.readFile(found) ?? '')) entry = found;
  }
  if (entry) project.name = baseName(entry);
  const rules = rulesOf(files);
  addConventionalIncludeDirs(files, project, [...new Set([...project.units, ...(project.cppUnits ?? [])].map((u) => rules.dirname(u)))]);
  return project;
}

export type ProjectSpec = { kind: 'vcxproj'; path: string } | { kind: 'folder'; path: string } | { kind: 'files'; paths: string[] };

/** What a single path names: a project file, a C file, or (anything else) a folder. */
export function specForPath(p: string): ProjectSpec {
  const ext = extensionOf(p);
  if (ext === '.vcxproj') return { kind: 'vcxproj', path: p };
  if (ext === '.c' || ext === '.h' || ext === '.cpp' || ext === '.cc' || ext === '.cxx') return { kind: 'files', paths: [p] };
  return { kind: 'folder', path: p };
}

export function loadProject(files: ProjectFiles, spec: ProjectSpec): DriverProject {
  switch (spec.kind) {
    case 'vcxproj': {
      const found = findFile(files, spec.path);
      if (!found) {
        return {
          name: baseName(spec.path), source: { kind: 'vcxproj', file: spec.path, configuration: undefined }, units: [], includeDirs: [], defines: new Map(),
          notes: [{ severity: 'error', message: `project file ${spec.path} not found`, file: spec.path, line: 1 }],
        };
      }
      return readVcxproj(found, files);
    }
    case 'folder':
      return folderProject(files, spec.path);
    case 'files':
      return fileListProject(files, spec.paths);
  }
}
