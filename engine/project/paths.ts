/**
 * Windows paths as driver projects write them, on whatever host runs fltsim. Every place that turns
 * a path from a .vcxproj, an `#include` or a scenario into a file on disk goes through here, so
 * the rules (either slash, names compared without case, relative to a folder) live in one module.
 */
import * as path from 'node:path';

/** What a project needs from the file system; injected so editors and tests can supply their own. */
export interface ProjectFiles {
  /** A file's text, or undefined when it does not exist (or is a folder). */
  readFile(path: string): string | undefined;
  /** The entries of a folder, or undefined when it is not one. */
  listDir?(path: string): DirEntry[] | undefined;
}

export interface DirEntry {
  name: string;
  folder: boolean;
}

/** `a\b/c` with the host's separators. */
export function portable(p: string): string {
  return p.split(/[\\/]/).join(path.sep);
}

/** Whether a path written in a project is absolute (a drive letter, a UNC share, or `/`). */
export function isAbsoluteWindowsOrHost(p: string): boolean {
  return path.isAbsolute(p) || path.win32.isAbsolute(p);
}

/** `rel` (either slash) against `base`, normalised; absolute paths are kept. */
export function resolveFrom(base: string, rel: string): string {
  const p = portable(rel);
  if (isAbsoluteWindowsOrHost(rel)) return path.normalize(p);
  return path.resolve(base, p);
}

/** Case-insensitive key of a path: how Windows compares file names. */
export function pathKey(p: string): string {
  return p.replace(/\\/g, '/').toLowerCase();
}

export function sameFile(a: string, b: string): boolean {
  return pathKey(path.normalize(a)) === pathKey(path.normalize(b));
}

/**
 * The path on disk of `p`, found as Windows would: exact first, else each component matched
 * without regard to case. Undefined when no such file exists.
 */
export function findFile(files: ProjectFiles, p: string): string | undefined {
  if (files.readFile(p) !== undefined) return p;
  return findIgnoringCase(files, p, false);
}

/** Like findFile, for a folder. */
export function findFolder(files: ProjectFiles, p: string): string | undefined {
  if (files.listDir?.(p) !== undefined) return p;
  return findIgnoringCase(files, p, true);
}

function findIgnoringCase(files: ProjectFiles, p: string, folder: boolean): string | undefined {
  if (!files.listDir) return undefined;
  const normal = path.normalize(p);
  const root = path.parse(normal).root;
  const parts = normal.slice(root.length).split(path.sep).filter((s) => s !== '');
  let cur = root || '.';
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const entries = files.listDir(cur);
    if (!entries) return undefined;
    const want = parts[i].toLowerCase();
    const hit = entries.find((e) => e.name === parts[i] && e.folder === (last ? folder : true))
      ?? entries.find((e) => e.name.toLowerCase() === want && e.folder === (last ? folder : true));
    if (!hit) return undefined;
    cur = path.join(cur, hit.name);
  }
  return cur;
}

/** The file name without folder and extension: `counting` for `sub\counting.c`. */
export function baseName(p: string): string {
  const file = p.split(/[\\/]/).pop() ?? p;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** The extension in lower case, with its dot (`.vcxproj`), or ''. */
export function extensionOf(p: string): string {
  const file = p.split(/[\\/]/).pop() ?? p;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot).toLowerCase() : '';
}

/** The last folder name of a path (`filter` for `/x/avscan/filter`). */
export function folderName(p: string): string {
  return path.basename(path.normalize(p));
}

export const dirname = path.dirname;
export const join = path.join;
