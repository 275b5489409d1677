/**
 * The engine reaches files through `ProjectFiles`; in the processes fltsim ships (the command line,
 * the debug adapter, the language server) that is the local file system, with the host's path
 * rules, every source decoded by the engine's one decoder (UTF-8 with or without a byte order mark,
 * UTF-16).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { decodeSource, HOST_PATHS, type DirEntry, type ProjectFiles } from '../../engine';

/** A regular file's text, decoded; undefined when it is missing, a folder or unreadable. */
export function readSourceFile(p: string): string | undefined {
  try {
    return statSync(p).isFile() ? decodeSource(readFileSync(p)).text : undefined;
  } catch {
    return undefined;
  }
}

/** A folder's entries (symbolic links to folders count as folders), or undefined. */
export function listFolder(p: string): DirEntry[] | undefined {
  try {
    return readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory() || (e.isSymbolicLink() && isFolder(path.join(p, e.name))) }));
  } catch {
    return undefined;
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

export const nodeFiles: ProjectFiles = {
  readFile: readSourceFile,
  readBytes: readFileBytes,
  listDir: listFolder,
  paths: HOST_PATHS,
};

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
