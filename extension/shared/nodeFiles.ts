/**
 * The engine reaches files through `ProjectFiles`; in the processes fltsim ships (the command line,
 * the debug adapter, the language server) that is the local file system, with the host's path
 * rules, read through SourceReader's guards (only regular files, under the size limit, not binary;
 * folders with their identity for loop-free walks) and decoded by the engine's one decoder (UTF-8
 * with or without a byte order mark, UTF-16).
 */
import type { DirEntry, ProjectFiles } from '../../engine';
import { SourceReader } from './sourceFiles';

const reader = new SourceReader();

/** A regular file's text, decoded; undefined when it is missing, a folder, not a regular file, binary or too large. */
export function readSourceFile(p: string): string | undefined {
  const r = reader.read(p);
  return r.ok ? r.text : undefined;
}

/** A folder's entries (symbolic links to folders count as folders), or undefined. */
export function listFolder(p: string): DirEntry[] | undefined {
  return reader.list(p);
}

export const nodeFiles: ProjectFiles = reader.hostFiles();
