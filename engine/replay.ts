/**
 * Record and replay. A run is a pure function of its inputs and seed, and generators cannot be
 * copied, so going back means running a fresh simulation again to the wanted step count. The
 * factory must build the simulation the same way every time (same drivers, workload, options).
 */
import type { Simulation } from './sim';

/** A fresh simulation from `factory`, advanced to exactly `step` steps (or to its end, if earlier). */
export function replayTo(factory: () => Simulation, step: number): Simulation {
  const sim = factory();
  sim.runTo(step);
  return sim;
}

/**
 * Keeps a live simulation and brings it back to earlier steps on request: `back(n)` and `goTo(step)`
 * rebuild and replay; stepping forward continues the live one.
 */
export class Replayer {
  private sim: Simulation;

  constructor(private readonly factory: () => Simulation) {
    this.sim = factory();
  }

  get current(): Simulation {
    return this.sim;
  }

  /** Moves to `step`: forward by stepping the live run, backward by replaying from the start. */
  goTo(step: number): Simulation {
    if (step < this.sim.stepCount) this.sim = replayTo(this.factory, step);
    else this.sim.runTo(step);
    return this.sim;
  }

  back(steps = 1): Simulation {
    return this.goTo(Math.max(0, this.sim.stepCount - steps));
  }
}
