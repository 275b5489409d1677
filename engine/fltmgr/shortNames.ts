/**
 * The short (8.3) names of the files in the simulated file system. A folder's names are given in
 * the order its entries were made, each avoiding the short and long names its siblings already
 * have (so `LONGNA~1.TXT`, `LONGNA~2.TXT`… for long names that begin alike); a file renamed or
 * moved gets a new one in its new folder, unless the file system tunnels it an old one (tunnel.ts).
 */
import { generateShortName } from '../kernel/dos83';

/**
 * What short names need of a node of the volume tree (fsTree.ts's FsNode, which looks entries up by
 * short name through this module, so this one does not import it).
 */
export interface ShortNamed {
  readonly name: string;
  readonly parent: ShortNamed | null;
  readonly children: ReadonlyMap<string, ShortNamed> | null;
}

interface Given {
  parent: ShortNamed;
  name: string;
  short: string | undefined;
}

const given = new WeakMap<ShortNamed, Given>();

function current(node: ShortNamed): Given | undefined {
  const g = given.get(node);
  return g !== undefined && g.parent === node.parent && g.name === node.name ? g : undefined;
}

/** The short name of `node`, or undefined when its long name is 8.3 already (or it is the root). */
export function shortNameOf(node: ShortNamed): string | undefined {
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

/** Gives `node` the short name the file system tunnelled to it (tunnel.ts), instead of a generated one. */
export function assignShortName(node: ShortNamed, short: string | undefined): void {
  if (node.parent !== null) given.set(node, { parent: node.parent, name: node.name, short });
}

/** The entry of `folder` whose short name is `name` (compared without case), if any: Windows opens a file by either name. */
export function childByShortName<N extends ShortNamed>(folder: { readonly children: ReadonlyMap<string, N> | null }, name: string): N | undefined {
  if (folder.children === null || !name.includes('~')) return undefined;
  const upper = name.toUpperCase();
  for (const child of folder.children.values()) if (shortNameOf(child) === upper) return child;
  return undefined;
}
