/**
 * The engine reaches files through HostFiles; in the processes fltsim ships (the command line, the
 * debug adapter) that is the local file system.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { HostFiles } from '../../engine';

export const nodeFiles: HostFiles = {
  readFile: (p) => {
    try {
      return existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  listDir: (p) => {
    try {
      return readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory() || (e.isSymbolicLink() && isFolder(path.join(p, e.name))) }));
    } catch {
      return undefined;
    }
  },
  dirname: path.dirname,
  join: path.join,
};

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
