/**
 * The one way fltsim's processes read the user's source files and folders: `fltsim lint` (its
 * folder walk and the project discovery), `fltsim run`, the debug adapter and the language server (through ProjectFiles).
 *
 * A path named `*.c` can be anything: a FIFO (reading it blocks forever), a device (/dev/zero never
 * ends), a symlink loop, a folder, a file without read permission, a 3 GB log, a binary. Each is
 * refused here with a reason, before any byte is read, and recorded so a front end can say what it
 * skipped instead of hanging, crashing, or calling a binary "clean".
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync, constants, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { decodeSource, HOST_PATHS, type DirEntry, type ProjectFiles } from '../../engine';

/** The largest source file read by default: Microsoft's biggest minifilter sample file is under 200 KB. */
export const DEFAULT_MAX_SOURCE_BYTES = 8 * 1024 * 1024;

export type SkipReason = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'binary' | 'no-permission' | 'link-loop' | 'unreadable';

export interface Skipped {
  path: string;
  reason: SkipReason;
  /** A sentence for the user: `is a FIFO, not a regular file`. */
  message: string;
}

export type ReadResult = { ok: true; text: string } | ({ ok: false } & Skipped);

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function errnoReason(err: unknown): { reason: SkipReason; message: string } {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'missing', message: 'does not exist' };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'no-permission', message: 'cannot be read: permission denied' };
    case 'ELOOP':
      return { reason: 'link-loop', message: 'is a symbolic link that loops back on itself' };
    case 'EISDIR':
      return { reason: 'directory', message: 'is a directory, not a file' };
    default:
      return { reason: 'unreadable', message: `cannot be read (${code ?? String(err)})` };
  }
}

/**
 * Whether bytes are something other than C source: decoded (engine/files/text.ts, which knows
 * UTF-16 with and without a mark), source never holds a NUL character.
 */
function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

export class SourceReader {
  /** Everything refused so far, in the order met (a path once). */
  readonly skipped: Skipped[] = [];
  private readonly noted = new Set<string>();
  /** The reason of the last refused read of each path, for messages about it (ProjectFiles.whyUnreadable). */
  private readonly reasons = new Map<string, string>();

  /**
   * @param maxBytes larger files are refused
   * @param sizeKnob how the user raises `maxBytes` here (`--max-file-size`), named in the message
   */
  constructor(readonly maxBytes: number = DEFAULT_MAX_SOURCE_BYTES, private readonly sizeKnob?: string) {}

  private tooLarge(p: string, size: string): ReadResult {
    const limit = this.maxBytes.toLocaleString('en-US');
    return this.skip(p, 'too-large', `is ${size}over the ${limit}-byte limit for a source file${this.sizeKnob ? ` (raise it with ${this.sizeKnob})` : ''}`);
  }

  private skip(p: string, reason: SkipReason, message: string): ReadResult {
    const s: Skipped = { path: p, reason, message };
    // Paths are probed by the thousand in a long session (include lookups): keep the table small.
    if (this.reasons.size >= 10_000) this.reasons.clear();
    this.reasons.set(p, message);
    // Looking for a file that is not there, or finding a folder, is how paths are probed: not news.
    if (reason !== 'missing' && reason !== 'directory' && !this.noted.has(p)) {
      this.noted.add(p);
      this.skipped.push(s);
    }
    return { ok: false, ...s };
  }

  /** A regular, readable, not too large, not binary file's text; otherwise why not. */
  read(p: string): ReadResult {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      const { reason, message } = errnoReason(err);
      return this.skip(p, reason, message);
    }
    if (st.isDirectory()) return this.skip(p, 'directory', 'is a directory, not a file');
    if (!st.isFile()) return this.skip(p, 'not-regular', `is ${kindOf(st)}, not a regular file`);
    if (st.size > this.maxBytes) return this.tooLarge(p, `${st.size.toLocaleString('en-US')} bytes, `);
    let fd: number;
    try {
      // O_NONBLOCK: should the path have been swapped for a FIFO since the stat, opening it does not wait for a writer.
      fd = openSync(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      const { reason, message } = errnoReason(err);
      return this.skip(p, reason, message);
    }
    try {
      const now = fstatSync(fd);
      if (!now.isFile()) return this.skip(p, 'not-regular', `is ${kindOf(now)}, not a regular file`);
      // Read at most one byte more than allowed: a file that grew past the limit is refused too.
      const buf = Buffer.alloc(Math.min(now.size, this.maxBytes) + 1);
      let n = 0;
      for (;;) {
        const got = readSync(fd, buf, n, buf.length - n, null);
        if (got === 0) break;
        n += got;
        if (n === buf.length) break;
      }
      if (n > this.maxBytes) return this.tooLarge(p, '');
      const text = decodeSource(buf.subarray(0, n)).text;
      if (looksBinary(text)) return this.skip(p, 'binary', 'looks like a binary file (it contains NUL bytes), not C source');
      return { ok: true, text };
    } catch (err) {
      const { reason, message } = errnoReason(err);
      return this.skip(p, reason, message);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A folder's entries, or undefined when it is not a readable folder (an unreadable one is
   * recorded). Each folder entry carries its device and inode, so a walk can see a symlink that
   * leads back to a folder it is already in.
   */
  list(p: string): DirEntry[] | undefined {
    let dirents: Dirent[];
    try {
      if (!statSync(p).isDirectory()) return undefined;
      dirents = readdirSync(p, { withFileTypes: true });
    } catch (err) {
      const { reason, message } = errnoReason(err);
      if (reason !== 'missing') this.skip(p, reason, reason === 'no-permission' ? 'is a folder that cannot be listed: permission denied' : message);
      return undefined;
    }
    const out: DirEntry[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      // The listing says what a plain file is; a folder needs its identity and a link its target.
      if (dirent.isFile()) {
        out.push({ name, folder: false });
        continue;
      }
      const child = path.join(p, name);
      if (dirent.isDirectory()) {
        // Its identity only when asked (discovery follows folders once): a stat per folder of a
        // large listing is most of the time a missed #include costs.
        const folderId = () => this.folderId(child);
        out.push({ name, folder: true, get id() { return folderId(); } });
        continue;
      }
      try {
        const st = statSync(child);
        out.push(st.isDirectory() ? { name, folder: true, id: `${st.dev}:${st.ino}` } : { name, folder: false });
      } catch (err) {
        // A dangling or looping link, a file gone since the listing: reading it later says which.
        const { reason, message } = errnoReason(err);
        if (reason !== 'missing') this.skip(child, reason, message);
        out.push({ name, folder: false });
      }
    }
    return out;
  }

  /** The identity of a folder (device and inode), to tell two paths to one folder apart. */
  folderId(p: string): string | undefined {
    try {
      const st = statSync(p);
      return st.isDirectory() ? `${st.dev}:${st.ino}` : undefined;
    } catch {
      return undefined;
    }
  }

  /** ProjectFiles over this reader, with the host's path rules: what the engine reads through. */
  hostFiles(): ProjectFiles {
    return {
      readFile: (p) => {
        const r = this.read(p);
        return r.ok ? r.text : undefined;
      },
      readBytes: readFileBytes,
      listDir: (p) => this.list(p),
      whyUnreadable: (p) => this.reasons.get(p),
      paths: HOST_PATHS,
    };
  }
}

/** A regular file's bytes as they are (a scenario's `file … from`), or undefined. */
export function readFileBytes(p: string): Uint8Array | undefined {
  try {
    return statSync(p).isFile() ? new Uint8Array(readFileSync(p)) : undefined;
  } catch {
    return undefined;
  }
}
