/**
 * Which files a shipped process (debug adapter, language server) works with. On every real machine
 * that is the local disk with the host's path rules: on Windows, paths like `C:\Drivers\x.c` whose
 * names compare without case.
 *
 * Tests on Linux also need the Windows side of that, end to end through the real processes. With
 * FLTSIM_TEST_WINDOWS_ROOT=<folder> set (tests only; ignored on a Windows host) the process sees a
 * simulated Windows volume instead: `C:\` is that folder, paths follow win32 rules (either slash,
 * drive letters, `..`), and every name matches without case, as NTFS does.
 */
import * as path from 'node:path';
import { HOST_FLAVOR, pathRules, type DirEntry, type ProjectFiles } from '../../engine';
import { listFolder, nodeFiles, readSourceFile } from './nodeFiles';

/** The environment variable that makes a process see a simulated Windows volume (tests only). */
export const SIMULATED_WINDOWS_ROOT = 'FLTSIM_TEST_WINDOWS_ROOT';

const WIN32 = pathRules('win32');

/** The files of the volume `drive:` whose root is the host folder `root`, with NTFS's rules. */
export function simulatedWindowsVolume(root: string, drive = 'C'): ProjectFiles {
  /** The host path a Windows path names, each name matched without case; undefined off the volume. */
  const hostPath = (p: string): string | undefined => {
    if (!WIN32.isAbsolute(p)) return undefined;
    const { root: volume, names } = WIN32.split(p);
    if (volume.toUpperCase() !== `${drive.toUpperCase()}:\\`) return undefined;
    let cur = root;
    for (const name of names) {
      if (name === '..') {
        cur = cur === root ? root : path.dirname(cur);
        continue;
      }
      const entries = listFolder(cur);
      const lower = name.toLowerCase();
      const hit = entries?.find((e) => e.name === name) ?? entries?.find((e) => e.name.toLowerCase() === lower);
      if (!hit) return undefined;
      cur = path.join(cur, hit.name);
    }
    return cur;
  };
  return {
    readFile: (p) => {
      const h = hostPath(p);
      return h === undefined ? undefined : readSourceFile(h);
    },
    listDir: (p): DirEntry[] | undefined => {
      const h = hostPath(p);
      return h === undefined ? undefined : listFolder(h);
    },
    paths: WIN32,
  };
}

/** The files this process works with: the local disk, or the simulated volume a test asked for. */
export function processFiles(env: NodeJS.ProcessEnv = process.env): ProjectFiles {
  const root = env[SIMULATED_WINDOWS_ROOT];
  return root && HOST_FLAVOR !== 'win32' ? simulatedWindowsVolume(root) : nodeFiles;
}
