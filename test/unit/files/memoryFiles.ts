// An in-memory file system for tests: absolute paths to texts, folders implied. With the win32
// flavor it behaves as NTFS does for Windows programs: paths with either slash and a drive letter or
// a share, names matched without case, folders listed with the names as stored.
import { pathRules, type DirEntry, type PathFlavor, type ProjectFiles } from '../../../engine';

export function memoryFiles(texts: Record<string, string>, flavor: PathFlavor = 'posix'): ProjectFiles & { reads: string[] } {
  const rules = pathRules(flavor);
  const reads: string[] = [];
  const byKey = new Map<string, string>();
  for (const [p, text] of Object.entries(texts)) byKey.set(rules.key(p), text);
  // Stored paths, split into their names, for listings.
  const stored = Object.keys(texts).map((p) => rules.split(p));
  return {
    reads,
    paths: rules,
    readFile: (p) => {
      reads.push(p);
      return byKey.get(rules.key(p));
    },
    listDir: (p): DirEntry[] | undefined => {
      const dir = rules.split(p);
      const names = new Map<string, boolean>();
      const same = (a: string, b: string) => (rules.ignoresCase ? a.toLowerCase() === b.toLowerCase() : a === b);
      for (const f of stored) {
        if (!same(f.root, dir.root) || f.names.length <= dir.names.length) continue;
        if (!dir.names.every((n, i) => same(n, f.names[i]!))) continue;
        const name = f.names[dir.names.length]!;
        const folder = f.names.length > dir.names.length + 1;
        names.set(name, (names.get(name) ?? false) || folder);
      }
      if (names.size === 0) return undefined;
      return [...names].map(([name, folder]) => ({ name, folder }));
    },
  };
}
