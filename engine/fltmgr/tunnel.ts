/**
 * File name tunneling, as NTFS and FAT do it: when a file leaves a folder (deleted, or renamed away)
 * its long and short names and its creation time are kept for a while; a file that appears in the
 * same folder under either of those names within that time gets the other name and the creation
 * time back. A program that saves by "delete, then create under the short name" thus keeps the long
 * name. The window is 15 seconds (Windows' MaximumTunnelEntryAgeInSeconds default).
 *
 * The Filter Manager side is FltGetTunneledName: a normalized name a filter built in a pre-create or
 * pre-rename from the name the caller gave is wrong when the file system tunnelled; in the post-op the
 * routine returns the name the file really got (names.ts).
 */
import type { FsNode } from './fsTree';

/** How long a departed name can come back, in virtual milliseconds. */
export const TUNNEL_WINDOW_MS = 15_000;

interface Departed {
  folder: FsNode;
  long: string;
  /** Undefined when the long name was 8.3 already. */
  short: string | undefined;
  created: bigint;
  at: number;
}

/** What a new entry inherits: its long name (it came by the short one), its short name, its creation time. */
export interface Tunnelled {
  long: string;
  short: string | undefined;
  created: bigint;
}

export class TunnelCache {
  private entries: Departed[] = [];
  /** The tunnelled entries by the operation (callback data id) that created or renamed them. */
  private readonly byOperation = new Map<number, FsNode>();

  /** `node` leaves `folder` under `long`/`short` at `now`. */
  departed(node: FsNode, short: string | undefined, now: number): void {
    if (node.parent === null) return;
    this.expire(now);
    this.entries.push({ folder: node.parent, long: node.name, short, created: node.created, at: now });
  }

  /**
   * A new entry named `name` appears in `folder`: what it inherits, if a departed entry of that
   * folder had that long or short name within the window (the entry is used up).
   */
  arriving(folder: FsNode, name: string, now: number): Tunnelled | undefined {
    this.expire(now);
    const upper = name.toUpperCase();
    // The newest departure wins, as the file system keeps one entry per name.
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.folder !== folder || (e.long.toUpperCase() !== upper && e.short !== upper)) continue;
      this.entries.splice(i, 1);
      return { long: e.long, short: e.short, created: e.created };
    }
    return undefined;
  }

  /** Operation `data` made or renamed `node` and the file system tunnelled its names. */
  noteTunnelled(data: number, node: FsNode): void {
    this.byOperation.set(data, node);
  }

  /** The node operation `data` tunnelled, if it did. */
  tunnelledBy(data: number): FsNode | undefined {
    return this.byOperation.get(data);
  }

  private expire(now: number): void {
    if (this.entries.length > 0) this.entries = this.entries.filter((e) => now - e.at <= TUNNEL_WINDOW_MS);
  }
}
