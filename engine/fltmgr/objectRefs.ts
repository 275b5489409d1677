/**
 * The references drivers hold on filters, instances and volumes (FltObjectReference, the
 * enumerations, FltGetFilterFromName, FltGetFilterFromInstance, FltGetVolumeFrom*), each with the
 * routine and C line that took it, so a reference never dropped is reported where it was taken and
 * FltObjectDereference without one is caught. A filter or instance reference left keeps the
 * filter's unload waiting (the verifier reports that hang, rundown-leak, at the first such line); a
 * volume reference left once every driver has unloaded is rundown-leak at its line too.
 */
import { callSite, type Kernel } from '../kernel/kernel';
import type { SourceLocation } from '../kernel/events';
import { Filter, Instance, type Volume } from './objects';

export interface HeldReference {
  routine: string;
  site: { location: SourceLocation; function: string } | undefined;
}

export class FltObjectReferences {
  private readonly held = new Map<Filter | Instance | Volume, HeldReference[]>();

  constructor(private readonly k: Kernel) {}

  take(obj: Filter | Instance | Volume, routine: string): void {
    let list = this.held.get(obj);
    if (list === undefined) this.held.set(obj, (list = []));
    list.push({ routine, site: callSite(this.k.current) });
  }

  /** Gives back the newest reference taken in the calling function (else the newest); false when none is held. */
  give(obj: Filter | Instance | Volume): boolean {
    const list = this.held.get(obj);
    if (list === undefined || list.length === 0) return false;
    const fn = callSite(this.k.current)?.function;
    let i = list.length - 1;
    for (let j = i; j >= 0; j--) {
      if (list[j]!.site?.function === fn) {
        i = j;
        break;
      }
    }
    list.splice(i, 1);
    return true;
  }

  /** References still held on `f` and its instances, oldest first. */
  heldOn(f: Filter): HeldReference[] {
    const out: HeldReference[] = [];
    for (const [obj, list] of this.held) if (obj === f || (obj instanceof Instance && obj.filter === f)) out.push(...list);
    return out;
  }

  /** Volume references still held when no driver is loaded any more. */
  volumeLeaks(): { volume: Volume; ref: HeldReference }[] {
    const out: { volume: Volume; ref: HeldReference }[] = [];
    for (const [obj, list] of this.held) {
      if (obj instanceof Filter || obj instanceof Instance) continue;
      for (const ref of list) out.push({ volume: obj, ref });
    }
    return out;
  }
}

/** `FltEnumerateVolumes in ScanVolumes (a.c:12)`: where a reference came from, for messages. */
export function describeReference(r: HeldReference): string {
  const at = r.site ? ` in ${r.site.function} (${r.site.location.file}:${r.site.location.line})` : '';
  return `${r.routine}${at}`;
}
