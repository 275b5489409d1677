/**
 * Finding the drivers in a folder tree (a repository root holding several), the project a single
 * file belongs to, and whether a project is kernel-mode at all.
 *
 * - Each .vcxproj under the folder is one project, and so is each old-WDK `sources` file that
 *   builds a driver (wdkSources.ts) and lists files no .vcxproj does.
 * - The .c (and C++) files no project lists are grouped by folder. Such a group is one driver when
 *   exactly one of its files defines DriverEntry; otherwise (a folder of unrelated files, or of
 *   several drivers) its files stand alone.
 * - A project none of whose sources includes fltKernel.h, ntifs.h, wdm.h or ntddk.h (directly or
 *   through its own headers) is a user-mode program: skipped, with a note.
 */
import { findFile, rulesOf, type ProjectFiles } from '../files';
import type { DriverProject, ProjectNote } from './model';
import { includesKernelHeader, isCppSource, lintUnits } from './model';
import { CONVENTIONAL_INCLUDE_DIRS, definesDriverEntry, fileListProject } from './load';
import { readVcxproj } from './vcxproj';
import { readSourcesFile, sourcesBuildsDriver } from './wdkSources';

const SKIPPED_FOLDERS = new Set(['node_modules']);

/**
 * Every .vcxproj, C and C++ source and .h file under `root`, in a stable order (hidden and build
 * folders skipped). A folder met again through a symbolic link (same `id`) is not walked twice, so a
 * link back up the tree cannot multiply the walk; `seen` starts with the root and its ancestors.
 */
function walk(files: ProjectFiles, root: string, out: { projects: string[]; wdkSources: string[]; sources: string[]; headers: string[] }, depth = 0, seen = new Set<string>()): void {
  if (depth > 24) return;
  const rules = rulesOf(files);
  const entries = [...(files.listDir?.(root) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = rules.join(root, e.name);
    if (e.folder) {
      if (e.name.startsWith('.') || SKIPPED_FOLDERS.has(e.name.toLowerCase())) continue;
      if (e.id !== undefined) {
        if (seen.has(e.id)) continue;
        seen.add(e.id);
      }
      walk(files, p, out, depth + 1, seen);
    } else if (/\.vcxproj$/i.test(e.name)) out.projects.push(p);
    else if (e.name.toLowerCase() === 'sources') out.wdkSources.push(p);
    else if (/\.c$/i.test(e.name) || isCppSource(e.name)) out.sources.push(p);
    else if (/\.h$/i.test(e.name)) out.headers.push(p);
  }
}

export interface Discovery {
  /** Kernel-mode drivers, each to be analysed as a whole. */
  projects: DriverProject[];
  /** C and C++ files that belong to no driver project: analysed one by one. */
  loose: string[];
  /** What was skipped and why (user-mode projects, folders of several drivers). */
  notes: ProjectNote[];
  /** Every header under the folder, whether or not a project includes it. */
  headers: string[];
}

/** A group of C files one folder holds: one driver if exactly one defines DriverEntry. */
function folderGroup(files: ProjectFiles, folder: string, sources: string[]): { project?: DriverProject; loose: string[] } {
  const entries = sources.filter((s) => definesDriverEntry(files.readFile(s) ?? ''));
  if (entries.length !== 1) return { loose: sources };
  const project = fileListProject(files, sources);
  project.name = rulesOf(files).basename(folder);
  project.source = { kind: 'folder', folder };
  return { project, loose: [] };
}

/**
 * The identities of `root` and of every folder above it: a link to any of them leads back to where
 * the walk already is (the root again, or a folder holding it and its siblings the user did not name).
 */
function selfAndAncestorIds(files: ProjectFiles, root: string): Set<string> {
  const rules = rulesOf(files);
  const ids = new Set<string>();
  for (let dir = root, i = 0; i < 64; i++) {
    const parent = rules.dirname(dir);
    if (parent === dir) break;
    const name = rules.basename(dir);
    const id = files.listDir?.(parent)?.find((e) => e.folder && e.name === name)?.id;
    if (id !== undefined) ids.add(id);
    dir = parent;
  }
  return ids;
}

export function discoverProjects(files: ProjectFiles, root: string): Discovery {
  const rules = rulesOf(files);
  const found = { projects: [] as string[], wdkSources: [] as string[], sources: [] as string[], headers: [] as string[] };
  walk(files, root, found, 0, selfAndAncestorIds(files, root));
  const out: Discovery = { projects: [], loose: [], notes: [], headers: found.headers };
  const claimed = new Set<string>();
  for (const file of found.projects) {
    const project = readVcxproj(file, files);
    for (const u of lintUnits(project)) claimed.add(rules.key(u));
    admit(files, project, out);
  }
  // Old-WDK `sources` files that build a driver, where no .vcxproj already claimed their files.
  for (const file of found.wdkSources) {
    if (!sourcesBuildsDriver(files, file)) continue;
    const project = readSourcesFile(files, file);
    const units = lintUnits(project);
    if (units.length === 0 || units.every((u) => claimed.has(rules.key(u)))) continue;
    for (const u of units) claimed.add(rules.key(u));
    admit(files, project, out);
  }
  const byFolder = new Map<string, string[]>();
  for (const s of found.sources) {
    if (claimed.has(rules.key(s))) continue;
    const dir = rules.dirname(s);
    byFolder.set(dir, [...(byFolder.get(dir) ?? []), s]);
  }
  for (const [folder, sources] of byFolder) {
    const g = folderGroup(files, folder, sources);
    if (g.project) admit(files, g.project, out);
    else out.loose.push(...g.loose);
  }
  return out;
}

/** ConfigurationType values of a .vcxproj that builds no driver. */
const NOT_A_DRIVER = new Set(['Application', 'DynamicLibrary', 'StaticLibrary', 'Utility', 'Makefile']);

/**
 * What a .vcxproj says it builds when every configuration says the same and it is no driver. Its
 * kernel-mode code is still the driver's code to lint (a kernel static library linked into the
 * driver, an old project built by a Makefile or a `sources` file); only `fltsim init`, which needs
 * one driver to run, passes over it.
 */
export function nonDriverBuild(files: ProjectFiles, project: DriverProject): { builds: string; file: string } | undefined {
  if (project.source.kind !== 'vcxproj') return undefined;
  const file = project.source.file;
  const kinds = new Set([...(files.readFile(file) ?? '').matchAll(/<ConfigurationType>\s*([A-Za-z]+)\s*<\/ConfigurationType>/g)].map((m) => m[1]!));
  const [only] = kinds;
  return kinds.size === 1 && NOT_A_DRIVER.has(only!) ? { builds: only!, file } : undefined;
}

function admit(files: ProjectFiles, project: DriverProject, out: Discovery): void {
  const sources = lintUnits(project);
  const other = nonDriverBuild(files, project);
  if (other && !(sources.length > 0 && isKernelMode(files, project))) {
    out.notes.push({ severity: 'note', message: `${project.name} is skipped: its ConfigurationType is ${other.builds}, not a driver, and none of its files includes a kernel header`, file: other.file, line: 1 });
    return;
  }
  if (sources.length > 0 && !isKernelMode(files, project)) {
    const where = project.source.kind === 'vcxproj' ? project.source.file : sources[0];
    out.notes.push({ severity: 'note', message: `${project.name} is skipped: none of its files includes a kernel header (${['fltKernel.h', 'ntifs.h', 'wdm.h', 'ntddk.h'].join(', ')}), so it is a user-mode program`, file: where, line: 1 });
    return;
  }
  out.projects.push(project);
}

const QUOTED_INCLUDE = /^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/gm;
/** `#include "x.h"` or `#include <x.h>`: a project may reach its own headers either way. */
const ANY_INCLUDE = /^[ \t]*#[ \t]*include[ \t]*["<]([^">]+)[">]/gm;

/**
 * Whether some unit includes a kernel header, itself or through the project's own headers: those
 * its include folders hold, and those of an `include` or `inc` folder beside or above its sources,
 * which a CMake file or an MSBuild props file fltsim does not read may have named.
 */
export function isKernelMode(files: ProjectFiles, project: DriverProject): boolean {
  const rules = rulesOf(files);
  const seen = new Set<string>();
  const visit = (file: string, depth: number): boolean => {
    const key = rules.key(file);
    if (seen.has(key) || depth > 8) return false;
    seen.add(key);
    const text = files.readFile(file);
    if (text === undefined) return false;
    if (includesKernelHeader(text)) return true;
    const here = rules.dirname(file);
    const conventional = CONVENTIONAL_INCLUDE_DIRS.map((d) => rules.resolve(here, d));
    for (const m of text.matchAll(ANY_INCLUDE)) {
      for (const dir of [here, ...project.includeDirs, ...conventional]) {
        const hit = findFile(files, rules.resolve(dir, m[1]));
        if (hit) {
          if (visit(hit, depth + 1)) return true;
          break;
        }
      }
    }
    return false;
  };
  return lintUnits(project).some((u) => visit(u, 0));
}

/**
 * The project's own headers its units include with `#include "…"`, directly or through each other
 * (found as the compiler finds them: the including file's folder, then the include folders).
 */
export function includedHeaders(files: ProjectFiles, project: DriverProject): string[] {
  const rules = rulesOf(files);
  const seen = new Set(lintUnits(project).map((u) => rules.key(u)));
  const out: string[] = [];
  const visit = (file: string, depth: number): void => {
    const text = files.readFile(file);
    if (text === undefined || depth > 8) return;
    for (const m of text.matchAll(QUOTED_INCLUDE)) {
      for (const dir of [rules.dirname(file), ...project.includeDirs]) {
        const hit = findFile(files, rules.resolve(dir, m[1]));
        if (!hit) continue;
        if (!seen.has(rules.key(hit))) {
          seen.add(rules.key(hit));
          out.push(hit);
          visit(hit, depth + 1);
        }
        break;
      }
    }
  };
  for (const u of lintUnits(project)) visit(u, 0);
  return out;
}

/** The C and C++ sources a folder holds directly, sorted by name. */
function sourcesIn(files: ProjectFiles, folder: string): string[] {
  const rules = rulesOf(files);
  return (files.listDir?.(folder) ?? [])
    .filter((e) => !e.folder && (/\.c$/i.test(e.name) || isCppSource(e.name)))
    .map((e) => rules.join(folder, e.name))
    .sort((a, b) => a.localeCompare(b));
}

/**
 * The project a C file belongs to: the nearest .vcxproj above it that lists it, else its folder's
 * group (when that is one driver). Undefined: the file stands alone.
 */
export function projectOfFile(files: ProjectFiles, file: string): DriverProject | undefined {
  const rules = rulesOf(files);
  let dir = rules.dirname(file);
  for (let i = 0; i < 6; i++) {
    const projects = (files.listDir?.(dir) ?? []).filter((e) => !e.folder && /\.vcxproj$/i.test(e.name)).map((e) => rules.join(dir, e.name)).sort();
    for (const p of projects) {
      const project = readVcxproj(p, files);
      if (lintUnits(project).some((u) => rules.same(u, file))) return project;
    }
    const up = rules.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const folder = rules.dirname(file);
  return folderGroup(files, folder, sourcesIn(files, folder)).project;
}
