// The two path flavors the path, include and breakpoint suites run under: each suite is written once
// and runs with posix rules (a Linux or macOS machine) and with win32 rules (Windows: drive letters,
// backslashes, names without case), whatever machine runs the tests.
import { describe } from 'node:test';
import { pathRules, type PathFlavor, type PathRules, type ProjectFiles } from '../../../engine';
import { memoryFiles } from './memoryFiles';

export interface Flavor {
  name: PathFlavor;
  rules: PathRules;
  /** The folder every test tree sits in: `/work` or `C:\Work`. */
  root: string;
  /** An absolute path under the root, from names (`abs('src', 'a.c')`). */
  abs(...names: string[]): string;
  /** A memory file system of this flavor; keys are paths relative to the root, with `/`. */
  files(texts: Record<string, string>): ProjectFiles & { reads: string[] };
}

function flavor(name: PathFlavor, root: string): Flavor {
  const rules = pathRules(name);
  const abs = (...names: string[]) => rules.join(root, ...names.flatMap((n) => n.split('/')));
  return {
    name,
    rules,
    root,
    abs,
    files: (texts) => memoryFiles(Object.fromEntries(Object.entries(texts).map(([k, v]) => [abs(k), v])), name),
  };
}

export const FLAVORS: readonly Flavor[] = [flavor('posix', '/work'), flavor('win32', 'C:\\Work')];

/** Runs the suite once per flavor, as `<title> (posix paths)` and `<title> (win32 paths)`. */
export function forEachFlavor(title: string, suite: (f: Flavor) => void): void {
  for (const f of FLAVORS) describe(`${title} (${f.name} paths)`, () => suite(f));
}
