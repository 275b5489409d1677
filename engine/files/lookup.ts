/**
 * Finding a file as Windows would, on any file system. Driver projects are written on Windows,
 * whose file names ignore case: `#include "ctxstruc.h"` opens `CtxStruc.h` there. On a win32 file
 * system that is simply how names match, and a found file is reported with its spelling on disk.
 * On a posix file system the exact name wins; failing that, each name is matched ignoring case so
 * a project copied from Windows still works, and the caller is told (`caseDiffers`) so it can warn:
 * the same tree would not build with a case-sensitive tool.
 */
import { HOST_PATHS, type PathRules } from './paths';

/** What the engine needs from a file system; injected so editors and tests can supply their own. */
export interface ProjectFiles {
  /** A file's text, or undefined when it does not exist (or is a folder). */
  readFile(path: string): string | undefined;
  /** A file's bytes as they are (data a scenario puts in a simulated file); the text's UTF-8 when absent. */
  readBytes?(path: string): Uint8Array | undefined;
  /** The entries of a folder, or undefined when it is not one. */
  listDir?(path: string): DirEntry[] | undefined;
  /** The path rules of this file system; the host's when absent. */
  readonly paths?: PathRules;
  /** Why `readFile(path)` gave nothing, in words (`is a FIFO (named pipe), not a regular file`), when the host knows. */
  whyUnreadable?(path: string): string | undefined;
}

export interface DirEntry {
  name: string;
  folder: boolean;
  /** For a folder, an identity two paths to it share (device and inode), when the host knows one. */
  id?: string;
}

/** `: it is a directory, not a file`, or nothing: for messages about a file that could not be read. */
export function unreadableReason(files: ProjectFiles, p: string): string {
  const why = files.whyUnreadable?.(p);
  return why ? `: it ${why}` : '';
}

export function rulesOf(files: ProjectFiles): PathRules {
  return files.paths ?? HOST_PATHS;
}

export interface Located {
  /** The path with the names as the file system spells them (where it could list the folders). */
  path: string;
  /** Found only by ignoring case on a file system that tells case apart (posix): worth a warning. */
  caseDiffers: boolean;
}

/** The file `p` names, found as Windows would; undefined when there is none. */
export function locateFile(files: ProjectFiles, p: string): Located | undefined {
  return locate(files, p, false);
}

/** Like locateFile, for a folder. */
export function locateFolder(files: ProjectFiles, p: string): Located | undefined {
  return locate(files, p, true);
}

/** The path on disk of the file `p` names (see locateFile), or undefined. */
export function findFile(files: ProjectFiles, p: string): string | undefined {
  return locateFile(files, p)?.path;
}

/** The path on disk of the folder `p` names (see locateFolder), or undefined. */
export function findFolder(files: ProjectFiles, p: string): string | undefined {
  return locateFolder(files, p)?.path;
}

function exists(files: ProjectFiles, p: string, folder: boolean): boolean {
  return folder ? files.listDir?.(p) !== undefined : files.readFile(p) !== undefined;
}

function locate(files: ProjectFiles, p: string, folder: boolean): Located | undefined {
  const rules = rulesOf(files);
  if (exists(files, p, folder)) {
    // Windows opened it whatever the case; what the editor shows is the spelling on disk.
    return { path: rules.ignoresCase ? walk(files, rules, p, folder) ?? p : p, caseDiffers: false };
  }
  const found = walk(files, rules, p, folder);
  if (found === undefined) return undefined;
  return { path: found, caseDiffers: !rules.ignoresCase };
}

/** Each name of `p` matched in its folder's listing: the exact name first, else one ignoring case. */
function walk(files: ProjectFiles, rules: PathRules, p: string, folder: boolean): string | undefined {
  if (!files.listDir) return undefined;
  const { root, names } = rules.split(p);
  let cur = root || '.';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name === '..') {
      cur = rules.dirname(cur);
      continue;
    }
    const wantFolder = i === names.length - 1 ? folder : true;
    if (wantFolder && !rules.ignoresCase) {
      // A folder spelled as on disk is found without listing its parent (`/tmp` may hold thousands
      // of names, and a missed include walks its path once per folder it searches).
      const exact = rules.join(cur, name);
      if (files.listDir(exact) !== undefined) {
        cur = exact;
        continue;
      }
    }
    const entries = files.listDir(cur);
    if (!entries) return undefined;
    const lower = name.toLowerCase();
    const hit = entries.find((e) => e.name === name && e.folder === wantFolder)
      ?? entries.find((e) => e.folder === wantFolder && e.name.toLowerCase() === lower);
    if (!hit) return undefined;
    cur = rules.join(cur, hit.name);
  }
  return cur;
}

/**
 * The words every front end uses for a name found only by ignoring case on a file system that tells
 * case apart. `what` says where the name was written: `#include "CtxStruc.h"`.
 */
export function caseMismatch(what: string, found: string): string {
  return `${what} matches ${found} only when case is ignored, as Windows does; this file system tells case apart, so fltsim uses the file but the spelling should be made to agree`;
}

/**
 * `files` with each folder listed once: for one compile, where every #include the project misses in
 * a folder walks the same folders again (filecontrol's missing headers cost a minute of listings).
 */
export function withListingCache(files: ProjectFiles): ProjectFiles {
  const listDir = files.listDir;
  if (!listDir) return files;
  const listings = new Map<string, DirEntry[] | undefined>();
  const cached: ProjectFiles = {
    readFile: (p) => files.readFile(p),
    listDir: (p) => {
      if (!listings.has(p)) listings.set(p, listDir.call(files, p));
      return listings.get(p);
    },
    whyUnreadable: (p) => files.whyUnreadable?.(p),
  };
  if (files.paths) return { ...cached, paths: files.paths };
  return cached;
}
