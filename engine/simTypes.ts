/**
 * The shapes a Simulation is built from and answers with (its options, a step's and a run's result)
 * and the workload items it schedules, apart from the composition root (sim.ts) that wires them up.
 */
import type { KProcess } from './kernel/processes';
import type { KernelOptions } from './kernel/kernel';
import type { RegistryValue } from './kernel/registry';
import type { RegistryOperation } from './kernel/registryWorkload';
import type { StepKind } from './kernel/scheduler';
import type { IoRequest } from './fltmgr/callbackData';
import type { FltmgrOptions } from './fltmgr/fltmgr';
import type { ClientAction } from './fltmgr/portProgram';

export interface SimulationOptions extends KernelOptions, FltmgrOptions {
  /** System worker threads per queue; default 1 each. */
  workersPerQueue?: number | { critical?: number; delayed?: number };
  /** Registry values every driver can read from its service key and Parameters subkey. */
  registry?: Readonly<Record<string, RegistryValue | number | string>>;
  /** Default step limit of `run()`; default 10,000,000. */
  stepBudget?: number;
}

export interface LoadOptions {
  /** Default: 370000, less 1000 for each driver loaded before. */
  altitude?: number | string;
}

export interface StepResult {
  kind: StepKind;
  /** Thread that took the step (0 when done). */
  thread: number;
  time: number;
  step: number;
}

export interface RunResult {
  /** `done`: nothing left to run (end-of-run checks ran); `budget`: step limit hit; `fault`: driver code failed. */
  reason: 'done' | 'budget' | 'fault';
  steps: number;
}

export type WorkloadItem =
  | { kind: 'io'; at: number; request: IoRequest }
  | { kind: 'cancel'; at: number; io: number }
  | { kind: 'unload'; at: number; module?: string }
  | { kind: 'attach'; at: number; module: string; volume: string }
  | { kind: 'client'; at: number; action: ClientAction }
  | { kind: 'transaction'; at: number; name: string; outcome: 'commit' | 'rollback' }
  | { kind: 'process-start' | 'process-exit'; at: number; process: KProcess }
  | { kind: 'open-process'; at: number; id: number; opener: KProcess; target: KProcess; access: number; kernelHandle: boolean }
  | { kind: 'registry'; at: number; id: number; process: KProcess; op: RegistryOperation };
