/**
 * Shared fixtures for the tests that run a Simulation (kernel/, fltmgr/, …): paths, a call log for callbacks, and readers of the event
 * stream and violations. Every scenario here is our own.
 */
import { Simulation, Ref, type SimEvent, type SimulationOptions, flt } from '../../engine';

export const { IRP_MJ, FltPreopStatus: PRE, FltPostopStatus: POST, WorkQueueType } = flt;

export const VOL = '\\Device\\HarddiskVolume1';

export function path(name: string): string {
  return `${VOL}\\${name}`;
}

export function newSim(options: SimulationOptions = {}): Simulation {
  return new Simulation({ seed: 1, ...options });
}

/** What a callback saw: its name, thread, IRQL and (optionally) a callback data id. */
export interface Call {
  name: string;
  thread: string;
  role: string;
  irql: number;
  data?: number;
}

export class CallLog {
  readonly calls: Call[] = [];

  constructor(private readonly sim: Simulation) {}

  /** Records a call made on the current thread. */
  add(name: string, data?: { id: number } | null): void {
    const t = this.sim.kernel.current;
    this.calls.push({ name, thread: t.name, role: t.role, irql: t.irql, ...(data ? { data: data.id } : {}) });
  }

  names(): string[] {
    return this.calls.map((c) => c.name);
  }

  find(name: string): Call | undefined {
    return this.calls.find((c) => c.name === name);
  }
}

export function violationIds(sim: Simulation): string[] {
  return sim.violations.map((v) => v.rule);
}

export function eventsOf(sim: Simulation, kind: SimEvent['kind']): SimEvent[] {
  return sim.events.filter((e) => e.kind === kind);
}

/** Events about one callback data, as `kind: detail`. */
export function historyOf(sim: Simulation, data: number): string[] {
  return sim.events.filter((e) => e.data === data).map((e) => `${e.kind}: ${e.detail}`);
}

/** A PVOID out-parameter cell, as C's `&local`. */
export function outCell<T = unknown>(): { cell: { v: T | null }; ref: Ref } {
  const cell = { v: null as T | null };
  return { cell, ref: new Ref(cell, 'v') };
}

export const STATUS_SUCCESS = 0;
