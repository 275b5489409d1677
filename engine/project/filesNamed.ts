/**
 * Files of one name below a folder, for a project item whose path fltsim could not expand (a property
 * function, or a property an import it cannot read defines): the name survives even when the folder
 * part is lost, and one file of that name in the project's tree is almost always the one meant.
 * Bounded, so a project at the top of a large tree costs little.
 */
import { rulesOf, type ProjectFiles } from '../files';

const MAX_DEPTH = 4;
const MAX_ENTRIES = 5_000;

/** Every file named `name` (case ignored, as Windows compares) below `root`, hidden and node_modules folders skipped. */
export function filesNamed(files: ProjectFiles, root: string, name: string): string[] {
  const rules = rulesOf(files);
  const wanted = name.toLowerCase();
  const out: string[] = [];
  const seen = new Set<string>();
  let budget = MAX_ENTRIES;
  const walk = (dir: string, depth: number) => {
    for (const e of files.listDir?.(dir) ?? []) {
      if (--budget < 0) return;
      const p = rules.join(dir, e.name);
      if (!e.folder) {
        if (e.name.toLowerCase() === wanted) out.push(p);
        continue;
      }
      if (depth >= MAX_DEPTH || e.name.startsWith('.') || e.name.toLowerCase() === 'node_modules') continue;
      if (e.id !== undefined) {
        if (seen.has(e.id)) continue;
        seen.add(e.id);
      }
      walk(p, depth + 1);
    }
  };
  walk(root, 0);
  return out.sort();
}
