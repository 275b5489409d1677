/**
 * The short (8.3) names of the files in the simulated file system. A folder's names are given in
 * the order its entries were made, each avoiding the short and long names its siblings already
 * have (so `LONGNA~1.TXT`, `LONGNA~2.TXT`… for long names that begin alike); a file renamed or
 * moved gets a new one in its new folder, as NTFS does without tunneling.
 */
import { generateShortName } from '../kernel/dos83';
import type { FsNode } from './fsTree';

interface Given {
  parent: FsNode;
  name: string;
  short: string | undefined;
}

const given = new WeakMap<FsNode, Given>();

function current(node: FsNode): Given | undefined {
  const g = given.get(node);
  return g !== undefined && g.parent === node.parent && g.name === node.name ? g : undefined;
}

/** The short name of `node`, or undefined when its long name is 8.3 already (or it is the root). */
export function shortNameOf(node: FsNode): string | undefined {
  const parent = node.parent;
  if (parent === null || parent.children === null) return undefined;
  const have = current(node);
  if (have !== undefined) return have.short;
  const siblings = [...parent.children.values()];
  for (const sibling of siblings) {
    if (current(sibling) !== undefined) continue;
    const taken = (upper: string) => siblings.some((s) => s !== sibling && (s.name.toUpperCase() === upper || current(s)?.short === upper));
    given.set(sibling, { parent, name: sibling.name, short: generateShortName(sibling.name, taken) });
  }
  return current(node)?.short;
}

/** The entry of `folder` whose short name is `name` (compared without case), if any: Windows opens a file by either name. */
export function childByShortName(folder: FsNode, name: string): FsNode | undefined {
  if (folder.children === null || !name.includes('~')) return undefined;
  const upper = name.toUpperCase();
  for (const child of folder.children.values()) if (shortNameOf(child) === upper) return child;
  return undefined;
}
