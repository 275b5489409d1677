/**
 * Values the user set (Set Value, an assignment in the Debug Console, bytes written in the memory
 * view), kept with the step they were set at. Going back replays a fresh World, so each edit is made
 * again when the replay passes its step, and the past stays the one the user saw.
 */
import { evaluateInFrame } from '../evaluate';
import type { World } from '../world';
import type { CFrame } from '../../interp/frame';
import type { MemoryIndex } from './memoryIndex';
import type { Edit } from './modes';

export class UserEdits {
  private list: Edit[] = [];
  /** The first edit a replay of the current World has not made yet. */
  private next = 0;

  /**
   * A change made in the past starts a new future: changes recorded after it no longer apply. It is
   * made now, so a replay of this World counts it as made.
   */
  add(edit: Edit): void {
    this.list = this.list.filter((e) => e.step <= edit.step);
    this.list.push(edit);
    this.next = this.list.length;
  }

  /** A new run: nothing the user set in the old one applies. */
  clear(): void {
    this.list = [];
    this.next = 0;
  }

  /** A fresh World replays the same run: every edit is to be made again. */
  rewind(): void {
    this.next = 0;
  }

  get pending(): boolean {
    return this.next < this.list.length;
  }

  /** The edits set at `step`, each once; edits of earlier steps the replay skipped over are passed. */
  *due(step: number): Generator<Edit> {
    while (this.next < this.list.length && this.list[this.next]!.step <= step) {
      const e = this.list[this.next++]!;
      if (e.step === step) yield e;
    }
  }
}

export interface EditTarget {
  world: World;
  memory: MemoryIndex;
  frame(threadId: number, index: number): CFrame | undefined;
  /** Says on stderr why an edit could not be made again. */
  warn(text: string): void;
}

/** Makes an edit again in a replayed World. */
export function applyEdit(e: Edit, t: EditTarget): void {
  if ('memory' in e) {
    const { allocation, offset, bytes } = e.memory;
    const at = t.memory.byId(allocation);
    const w = at ? t.memory.writable(at.base + offset, bytes.length) : { ok: false as const, message: 'its memory is gone' };
    if (w.ok) w.allocation.writeBytes(w.offset, bytes);
    else t.warn(`The bytes written in the memory view at step ${e.step} could not be written again: ${w.message}\n`);
    return;
  }
  const frame = t.frame(e.frame.threadId, e.frame.index);
  const r = frame ? evaluateInFrame(t.world, frame, e.text, true) : { ok: false as const, message: 'its frame is gone' };
  if (!r.ok) t.warn(`The value set with '${e.text}' at step ${e.step} could not be set again: ${r.message}\n`);
}
