/**
 * Where `goToEvent` stops for each event (by seq): the step at which the driver statement that led
 * to it began (the thread paused on that line, before running it), else the step before the one
 * that recorded it. Noted as each event is recorded, while the frames that made it still exist.
 */
import type { CFrame } from '../../interp/frame';
import type { SimEvent } from '../../kernel/events';
import type { World } from '../world';
import { driverFrameAt } from './threadFrames';

export class EventTargets {
  private targets: number[] = [];
  /** The step at which each driver frame's current statement began. */
  private statementStart = new WeakMap<CFrame, number>();

  /** The driver frame `frame` begins a statement at `step`. */
  statementBegins(frame: CFrame, step: number): void {
    this.statementStart.set(frame, step);
  }

  /** Notes where event `e`, just recorded in `world`, is reached from. */
  note(world: World, e: SimEvent): void {
    let target = world.sim.stepCount;
    const t = world.sim.kernel.threads.get(e.thread);
    if (t) {
      for (let i = t.frames.length - 1; i >= 0; i--) {
        const f = driverFrameAt(t, i);
        const start = f && this.statementStart.get(f);
        if (start !== undefined) {
          target = start;
          break;
        }
      }
    }
    this.targets[e.seq] = target;
  }

  targetOf(seq: number): number {
    return this.targets[seq] ?? 0;
  }

  /** Forgets the events after `lastSeq`: a value set now starts a new future. */
  forgetAfter(lastSeq: number): void {
    this.targets.length = lastSeq + 1;
  }
}
