/**
 * The Filter Manager's file name cache. Windows keeps the names it has built per stream (opened
 * names per file object, since they depend on how the file was opened) and answers later requests
 * from it; the query method in NameOptions decides whether the cache is read:
 *
 * - FLT_FILE_NAME_QUERY_DEFAULT: the cache first, then the file system (or a name provider);
 * - FLT_FILE_NAME_QUERY_CACHE_ONLY: the cache only; nothing cached is STATUS_FLT_NAME_CACHE_MISS;
 * - FLT_FILE_NAME_QUERY_FILESYSTEM_ONLY: the file system only, never the cache;
 * - FLT_FILE_NAME_QUERY_ALWAYS_ALLOW_CACHE_LOOKUP: like the default, and the cache is read even where
 *   asking the file system is not allowed (paging I/O, a top-level IRP set).
 *
 * A name built during a pre-create is not cached (the file is not open yet), nor one asked with
 * FLT_FILE_NAME_DO_NOT_CACHE. A rename, a hard link's source being replaced or a deletion drops the
 * names of the file and of everything below it; FltPurgeFileNameInformationCache drops them on demand.
 */
import type { FileStream, FsNode } from './fsTree';
import type { Instance } from './objects';
import type { FileObject } from './structs';
import { FLT_FILE_NAME_OPENED } from './constants';

export const FLT_FILE_NAME_QUERY = {
  DEFAULT: 0x0100,
  CACHE_ONLY: 0x0200,
  FILESYSTEM_ONLY: 0x0300,
  ALWAYS_ALLOW_CACHE_LOOKUP: 0x0400,
} as const;
export type NameQueryMethod = 'default' | 'cache-only' | 'filesystem-only' | 'always-allow-cache-lookup';
export const FLT_FILE_NAME_DO_NOT_CACHE = 0x02000000;

/** The query method NameOptions asks for; `undefined` when its bits name none (0 is the default). */
export function queryMethod(options: number): NameQueryMethod | undefined {
  switch (options & 0xff00) {
    case 0:
    case FLT_FILE_NAME_QUERY.DEFAULT:
      return 'default';
    case FLT_FILE_NAME_QUERY.CACHE_ONLY:
      return 'cache-only';
    case FLT_FILE_NAME_QUERY.FILESYSTEM_ONLY:
      return 'filesystem-only';
    case FLT_FILE_NAME_QUERY.ALWAYS_ALLOW_CACHE_LOOKUP:
      return 'always-allow-cache-lookup';
    default:
      return undefined;
  }
}

interface Entry {
  name: string;
  /** Whom the name came from: a name provider instance, or null for the file system. */
  provider: Instance | null;
}

export class NameCache {
  /** Normalized and short names, per stream and format. */
  private readonly byStream = new Map<FileStream, Map<string, Entry>>();
  /** Opened names, per file object. */
  private readonly byFileObject = new Map<FileObject, Map<string, Entry>>();

  lookup(fo: FileObject, format: number, provider: Instance | null): string | undefined {
    const e = this.table(fo, format).get(key(format, provider));
    return e?.name;
  }

  store(fo: FileObject, format: number, provider: Instance | null, name: string): void {
    this.table(fo, format, true).set(key(format, provider), { name, provider });
  }

  /** `node` was renamed or deleted: its names, and those of everything below it, are stale. */
  invalidate(node: FsNode): void {
    for (const stream of [...this.byStream.keys()]) if (stream.node !== null && isAtOrBelow(stream.node, node)) this.byStream.delete(stream);
    for (const fo of [...this.byFileObject.keys()]) if (fo.stream.node !== null && isAtOrBelow(fo.stream.node, node)) this.byFileObject.delete(fo);
  }

  /** FltPurgeFileNameInformationCache: the file object's names, or (null) every name on `volumeName`. */
  purge(fo: FileObject | null, volumeName: string): void {
    if (fo !== null) {
      this.byStream.delete(fo.stream);
      this.byFileObject.delete(fo);
      return;
    }
    const v = volumeName.toLowerCase();
    for (const stream of [...this.byStream.keys()]) if (stream.volumeName.toLowerCase() === v) this.byStream.delete(stream);
    for (const fo2 of [...this.byFileObject.keys()]) if (fo2.stream.volumeName.toLowerCase() === v) this.byFileObject.delete(fo2);
  }

  private table(fo: FileObject, format: number, create = false): Map<string, Entry> {
    const opened = format === FLT_FILE_NAME_OPENED;
    const map: Map<FileObject | FileStream, Map<string, Entry>> = opened ? this.byFileObject : this.byStream;
    const owner = opened ? fo : fo.stream;
    let t = map.get(owner);
    if (t === undefined) {
      t = new Map();
      if (create) map.set(owner, t);
    }
    return t;
  }
}

function key(format: number, provider: Instance | null): string {
  return `${format}:${provider === null ? 0 : provider.id}`;
}

function isAtOrBelow(n: FsNode, top: FsNode): boolean {
  for (let c: FsNode | null = n; c !== null; c = c.parent) if (c === top) return true;
  return false;
}
