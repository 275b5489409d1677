// An in-memory file system for project tests: absolute POSIX paths to texts; folders are implied.
import { posix } from 'node:path';
import type { HostFiles } from '../../../engine';

export function memoryFiles(texts: Record<string, string>): HostFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile: (p) => {
      reads.push(p);
      return texts[posix.normalize(p)];
    },
    listDir: (p) => {
      const dir = posix.normalize(p).replace(/\/$/, '');
      const prefix = dir === '' ? '/' : `${dir}/`;
      const names = new Map<string, boolean>();
      for (const f of Object.keys(texts)) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        const slash = rest.indexOf('/');
        names.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
      }
      if (names.size === 0) return undefined;
      return [...names].map(([name, folder]) => ({ name, folder }));
    },
    dirname: posix.dirname,
    join: posix.join,
  };
}
