/**
 * The path rules of a platform, in one place: separators, drive letters, UNC shares, `..`, whether
 * names compare with or without case, paths written in projects and scenarios resolved against a
 * folder, and `file:` URIs. Everything in fltsim that turns a written path into a file, compares two
 * paths or converts a URI asks a `PathRules`, so the same code (and the same tests) runs with the
 * rules of Windows (`win32`) or of Linux and macOS (`posix`) on any host.
 *
 * Paths written by people (a scenario's `driver` line, a .vcxproj item, an `#include`) may use
 * either slash under both flavors: driver projects come from Windows, where both separate folders.
 */
import * as path from 'node:path';

export type PathFlavor = 'posix' | 'win32';

export interface PathRules {
  readonly flavor: PathFlavor;
  /** The separator paths are written back with. */
  readonly sep: '/' | '\\';
  /** File names compare without case (Windows); posix file systems tell `A.c` from `a.c`. */
  readonly ignoresCase: boolean;
  /** Absolute: `/x` (posix); `C:\x`, `\\server\share\x` or `\x` (win32). */
  isAbsolute(p: string): boolean;
  normalize(p: string): string;
  join(dir: string, ...names: string[]): string;
  dirname(p: string): string;
  /** The last name of a path (`x.c` of `C:\d\x.c`). */
  basename(p: string): string;
  relative(from: string, to: string): string;
  /**
   * A path as a person wrote it (either slash, `..`, absolute or not) against the folder `base`,
   * normalised. Absolute paths are kept; on posix a Windows drive or share path stays as written
   * (with forward slashes): no file has that name, and the caller's "not found" shows it.
   */
  resolve(base: string, written: string): string;
  /** The root (`/`, `C:\`, `\\server\share\`, or '' for a relative path) and the names below it. */
  split(p: string): { root: string; names: string[] };
  /** What two paths are compared by: normalised, without a trailing separator, case-folded on win32. */
  key(p: string): string;
  same(a: string, b: string): boolean;
  /** The `file:` URI of an absolute path, spelled as VS Code spells it (`file:///c%3A/Drivers/x.c`). */
  toUri(p: string): string;
  /** The path of a `file:` URI; undefined for another scheme or a URI no path of this flavor has. */
  fromUri(uri: string): string | undefined;
}

/** `C:\`, `C:/`, `\\server\share`: a path only Windows can open. */
const WINDOWS_ROOTED = /^(?:[A-Za-z]:[\\/]|\\\\[^\\/])/;

class Rules implements PathRules {
  readonly sep: '/' | '\\';
  readonly ignoresCase: boolean;
  private readonly p: path.PlatformPath;

  constructor(readonly flavor: PathFlavor) {
    this.p = flavor === 'win32' ? path.win32 : path.posix;
    this.sep = flavor === 'win32' ? '\\' : '/';
    this.ignoresCase = flavor === 'win32';
  }

  /** A written path with this flavor's separators (win32 already takes both). */
  private written(p: string): string {
    return this.flavor === 'posix' ? p.replace(/\\/g, '/') : p;
  }

  isAbsolute(p: string): boolean {
    return this.p.isAbsolute(p);
  }

  normalize(p: string): string {
    return this.p.normalize(p);
  }

  join(dir: string, ...names: string[]): string {
    return this.p.join(dir, ...names);
  }

  dirname(p: string): string {
    return this.p.dirname(p);
  }

  basename(p: string): string {
    return this.p.basename(p);
  }

  relative(from: string, to: string): string {
    return this.p.relative(from, to);
  }

  resolve(base: string, written: string): string {
    if (this.flavor === 'posix' && WINDOWS_ROOTED.test(written)) return written.replace(/\\/g, '/');
    const w = this.written(written);
    return this.p.isAbsolute(w) ? this.p.normalize(w) : this.p.join(base, w);
  }

  split(p: string): { root: string; names: string[] } {
    const normal = this.p.normalize(p);
    const root = this.p.parse(normal).root;
    return { root, names: normal.slice(root.length).split(this.sep).filter((s) => s !== '' && s !== '.') };
  }

  key(p: string): string {
    let k = this.p.normalize(p);
    const root = this.p.parse(k).root;
    while (k.length > root.length && k.endsWith(this.sep)) k = k.slice(0, -1);
    return this.ignoresCase ? k.toLowerCase() : k;
  }

  same(a: string, b: string): boolean {
    return this.key(a) === this.key(b);
  }

  toUri(p: string): string {
    const normal = this.p.normalize(p);
    if (this.flavor === 'win32') {
      const unc = /^\\\\([^\\]+)(\\.*)?$/.exec(normal);
      if (unc) return `file://${encodePath(unc[1].toLowerCase())}${encodePath((unc[2] ?? '\\').replace(/\\/g, '/'))}`;
      const slashed = normal.replace(/\\/g, '/');
      const drive = /^([A-Za-z]):(.*)$/.exec(slashed);
      // VS Code writes the drive letter in lower case with the colon encoded.
      if (drive) return `file:///${drive[1].toLowerCase()}%3A${encodePath(drive[2] || '/')}`;
      return `file://${encodePath(slashed.startsWith('/') ? slashed : `/${slashed}`)}`;
    }
    return `file://${encodePath(normal.startsWith('/') ? normal : `/${normal}`)}`;
  }

  fromUri(uri: string): string | undefined {
    const m = /^file:(?:\/\/([^/?#]*))?(\/[^?#]*)?(?:[?#].*)?$/i.exec(uri);
    if (!m) return undefined;
    const authority = (m[1] ?? '').toLowerCase() === 'localhost' ? '' : m[1] ?? '';
    const raw = m[2] ?? '/';
    // An encoded separator would make one name of two; no file has such a name.
    if (/%2f/i.test(raw) || (this.flavor === 'win32' && /%5c/i.test(raw))) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    if (this.flavor === 'posix') return authority === '' ? decoded : undefined;
    if (authority !== '') return `\\\\${authority}${decoded.replace(/\//g, '\\')}`;
    const drive = /^\/([A-Za-z]:)(\/.*)?$/.exec(decoded);
    if (drive) return `${drive[1]}${(drive[2] ?? '/').replace(/\//g, '\\')}`;
    return decoded.replace(/\//g, '\\');
  }
}

/** Percent-encodes all but letters, digits, `-._~` and `/`, byte by byte in UTF-8 (as VS Code's URIs do). */
function encodePath(p: string): string {
  return p.replace(/[^A-Za-z0-9\-._~/]+/g, (run) => encodeURIComponent(run).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

const POSIX = new Rules('posix');
const WIN32 = new Rules('win32');

export function pathRules(flavor: PathFlavor): PathRules {
  return flavor === 'win32' ? WIN32 : POSIX;
}

/** The flavor of the machine fltsim runs on. */
export const HOST_FLAVOR: PathFlavor = path.sep === '\\' ? 'win32' : 'posix';

/** The rules of the machine fltsim runs on: what the shipped processes use. */
export const HOST_PATHS: PathRules = pathRules(HOST_FLAVOR);

/** Whether a written path names a Windows drive or share (`C:\x`, `\\server\share`). */
export function isWindowsRooted(p: string): boolean {
  return WINDOWS_ROOTED.test(p);
}

/** The last name of a path of either flavor: `x.c` for `C:\d\x.c` and for `/d/x.c`. */
export function fileName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** The file name without folder and extension: `counting` for `sub\counting.c` (either slash). */
export function baseName(p: string): string {
  const file = fileName(p);
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** The extension in lower case, with its dot (`.vcxproj`), or '' (either slash). */
export function extensionOf(p: string): string {
  const file = fileName(p);
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot).toLowerCase() : '';
}

/**
 * How two paths written in a scenario or a project compare before any file is looked up: either
 * slash, `.` and `..` folded, without case — as Windows, where they were written, compares them.
 */
export function writtenPathKey(p: string): string {
  return WIN32.key(p);
}

/** Whether `p` is `folder` or lies somewhere under it, by the rules' idea of paths (case, separators). */
export function isWithin(rules: PathRules, folder: string, p: string): boolean {
  if (rules.same(folder, p)) return true;
  const rel = rules.relative(folder, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${rules.sep}`) && !rel.startsWith('../') && !rules.isAbsolute(rel);
}
