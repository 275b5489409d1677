/**
 * Old-WDK `sources` files (the build.exe projects of the XP–Windows 7 kits): a folder's `sources`
 * names the driver (TARGETNAME), its files (SOURCES, relative to that folder, often `..\x.c`), the
 * folders `#include "…"` searches (INCLUDES) and its definitions (C_DEFINES). A folder that holds one
 * is that driver: only the files it lists are compiled, so the user-mode tools and other drivers
 * beside them in the repository stay out.
 *
 * The file is nmake macro syntax: `NAME = value`, `\` at a line's end continues it, `#` starts a
 * comment, `$(NAME)` is an earlier macro. A reference to a kit macro (`$(DDK_INC_PATH)`,
 * `$(IFSKIT_LIB_PATH)`) is dropped with a note; `!if`/`!include` directives are not evaluated.
 */
import { findFile, rulesOf, type ProjectFiles } from '../files';
import { isCppSource, type DriverProject, type ProjectNote } from './model';

/** TARGETTYPEs that build a kernel-mode driver. */
const DRIVER_TYPES = new Set(['DRIVER', 'EXPORT_DRIVER', 'MINIPORT', 'DRIVER_LIBRARY']);

/** The `sources` file a folder holds, if any (the name is matched without regard to case). */
export function sourcesFileIn(files: ProjectFiles, folder: string): string | undefined {
  const entry = (files.listDir?.(folder) ?? []).find((e) => !e.folder && e.name.toLowerCase() === 'sources');
  return entry ? rulesOf(files).join(folder, entry.name) : undefined;
}

interface Macro { value: string; line: number }

/** The macros of a `sources` text, `$(…)` expanded in order; unknown references are reported. */
function readMacros(text: string, file: string, notes: ProjectNote[]): Map<string, Macro> {
  const macros = new Map<string, Macro>();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = `${line.replace(/\\\s*$/, ' ')}${lines[++i]}`;
    line = line.replace(/#.*$/, '');
    if (/^\s*!/.test(line)) {
      notes.push({ severity: 'note', message: `${line.trim().split(/\s+/)[0]} in a sources file is not evaluated; the macros it guards are read as if it held`, file, line: start + 1 });
      continue;
    }
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2].replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_all, name: string) => {
      const known = macros.get(name.toUpperCase());
      if (known) return known.value;
      notes.push({ severity: 'note', message: `$(${name}) in ${m[1]} is dropped: it is a build-environment macro fltsim does not know`, file, line: start + 1 });
      return '';
    });
    macros.set(m[1].toUpperCase(), { value: value.trim(), line: start + 1 });
  }
  return macros;
}

/** The definitions of C_DEFINES (`/DNAME`, `-DNAME=value`, `/D NAME`). */
function readDefines(value: string): Map<string, string> {
  const out = new Map<string, string>();
  const words = value.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    let w = words[i];
    if (!/^[/-]D/.test(w)) continue;
    w = w.slice(2);
    if (w === '' && i + 1 < words.length) w = words[++i];
    const eq = w.indexOf('=');
    const name = eq < 0 ? w : w.slice(0, eq);
    if (/^[A-Za-z_]\w*$/.test(name)) out.set(name, eq < 0 ? '1' : w.slice(eq + 1));
  }
  return out;
}

/** Whether a `sources` file builds a kernel-mode driver (TARGETTYPE DRIVER and its kin). */
export function sourcesBuildsDriver(files: ProjectFiles, file: string): boolean {
  const macros = readMacros(files.readFile(file) ?? '', file, []);
  return DRIVER_TYPES.has((macros.get('TARGETTYPE')?.value ?? '').toUpperCase());
}

/** The driver a `sources` file describes; its source is the folder that holds it. */
export function readSourcesFile(files: ProjectFiles, file: string): DriverProject {
  const rules = rulesOf(files);
  const folder = rules.dirname(file);
  const notes: ProjectNote[] = [];
  const macros = readMacros(files.readFile(file) ?? '', file, notes);
  const project: DriverProject = {
    name: macros.get('TARGETNAME')?.value.split(/\s+/)[0] || rules.basename(folder),
    source: { kind: 'folder', folder }, units: [], includeDirs: [], defines: new Map(), notes,
  };
  const listed = macros.get('SOURCES');
  for (const name of (listed?.value ?? '').split(/\s+/).filter(Boolean)) {
    // Resource and message files (.rc, .mc) are compiled by other tools.
    if (!/\.(?:c|cpp|cc|cxx)$/i.test(name)) continue;
    const found = findFile(files, rules.resolve(folder, name.replace(/\\/g, '/')));
    if (!found) {
      notes.push({ severity: 'note', message: `${project.name}: ${name} is listed in SOURCES but not found (looked for ${rules.resolve(folder, name.replace(/\\/g, '/'))}); the other files are still used`, file, line: listed!.line });
      continue;
    }
    const list = isCppSource(found) ? (project.cppUnits ??= []) : project.units;
    if (!list.includes(found)) list.push(found);
  }
  for (const dir of (macros.get('INCLUDES')?.value ?? '').split(/[;\s]+/).filter(Boolean)) {
    project.includeDirs.push(rules.resolve(folder, dir.replace(/\\/g, '/')));
  }
  project.defines = readDefines(macros.get('C_DEFINES')?.value ?? '');
  if (project.units.length === 0 && (project.cppUnits ?? []).length === 0) {
    notes.push({ severity: 'error', message: `${file} lists no C or C++ file in SOURCES`, file, line: listed?.line ?? 1 });
  }
  return project;
}
