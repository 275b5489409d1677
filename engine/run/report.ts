/**
 * The result of a finished run as plain data: what `fltsim run --json` prints and what the text
 * report is made from. Same scenario and seed give the same report, byte for byte, so nothing here
 * may depend on the clock, absolute paths outside the scenario, or object identity.
 */
import { irqlName } from '../kernel/irql';
import { formatStatus } from '../kernel/status';
import type { SimEvent } from '../kernel/events';
import type { BlockedThread, ExpectationResult, RunEnd, UnaskedViolations } from '../scenario';
import type { HangingWork } from '../fltmgr/hanging';
import type { RunFault, World } from './world';

export interface ReportIo {
  id: number;
  major: string;
  /** The final status; null unless the request completed (state `done`). */
  status: string | null;
  /**
   * IoStatus.Information; a value past 2^53 (driver code may store a pointer there) as a decimal
   * string. Null unless the request completed (state `done`): `state` says where it stands.
   */
  information: number | string | null;
  state: string;
  /** Every event about the operation: `12 ms pend PreRead pended #1 (FLT_PREOP_PENDING)`. */
  history: string[];
}

export interface ReportViolation {
  rule: string;
  severity: string;
  message: string;
  file: string | null;
  line: number | null;
  thread: string;
  irql: string;
  time: number;
}

/** How the run ended and what that means for the verdict (engine/scenario/expectations.ts). */
export interface ReportOutcome {
  end: RunEnd['kind'];
  /** For a deadlock: the threads that can never run again. */
  blocked: BlockedThread[];
  /** Work nothing finished by the end: requests never completed, filter I/O, queued work items (engine/fltmgr/hanging.ts). */
  hanging: HangingWork[];
  /** DriverEntry's status per driver, in load order; null when it never returned. */
  loads: { module: string; status: string | null }[];
  /**
   * Why the run fails apart from its expect lines: a failed DriverEntry, a deadlock, work left
   * hanging or an early stop nobody expected, or violations of error severity when no expect line
   * is about violations.
   */
  problems: string[];
  /** Violations when no expect line is about violations (all zero when one is): errors fail the run. */
  unasked: UnaskedViolations;
}

export interface RunReport {
  scenario: string;
  title: string | null;
  seed: number;
  passed: boolean;
  /** Set when driver code stopped the run (a C error or something fltsim does not model). */
  error: RunFault | null;
  outcome: ReportOutcome;
  expectations: ExpectationResult[];
  ios: ReportIo[];
  violations: ReportViolation[];
  calls: Record<string, number>;
  output: string[];
  /** Virtual time at the end, in ticks (ms). */
  time: number;
  steps: number;
  /**
   * Set when the run followed a recorded schedule (`fltsim run --replay`): it is then judged as
   * exploration judges a schedule, and `passed` says whether none of `failures` happened.
   */
  schedule?: {
    /** Choices the schedule holds (decisions after them take the default). */
    choices: number;
    /** 1-based decision where the schedule first differs from the default (0: never). */
    firstChange: number;
    failures: string[];
    interleaving: string[];
  };
}

/**
 * IoStatus.Information as JSON can carry it: it is a ULONG_PTR driver code may set to anything, and
 * past 2^53 a JSON number would lose it (and a bigint cannot be written at all).
 */
function informationOf(v: unknown): number | string {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return String(v);
}

export function buildRunReport(world: World, scenarioLabel: string, relativize: (file: string) => string = (f) => f): RunReport {
  const sim = world.sim;
  const facts = world.facts();
  const verdict = world.verdict(relativize);
  const byData = new Map<number, SimEvent[]>();
  for (const e of sim.events) {
    if (e.data === 0) continue;
    let list = byData.get(e.data);
    if (!list) byData.set(e.data, (list = []));
    list.push(e);
  }
  const ios: ReportIo[] = world.prepared.scenario.ios.map((io) => {
    const r = sim.result(io.id);
    const events = r ? byData.get(r.data) ?? [] : [];
    return {
      id: io.id,
      major: io.major,
      status: r && r.state === 'done' ? formatStatus(r.status) : null,
      information: r && r.state === 'done' ? informationOf(r.information) : null,
      state: r ? r.state : 'not issued',
      history: events.map((e) => `${e.time} ms ${e.kind} ${e.detail}`),
    };
  });
  const violations: ReportViolation[] = sim.violations.map((v) => ({
    rule: v.rule,
    severity: v.severity,
    message: v.message,
    file: v.location ? relativize(v.location.file) : null,
    line: v.location ? v.location.line : null,
    thread: v.threadName,
    irql: irqlName(v.irql),
    time: v.time,
  }));
  const error = world.fault ? { ...world.fault, file: world.fault.file ? relativize(world.fault.file) : undefined } : null;
  const calls: Record<string, number> = {};
  for (const [k, n] of [...world.calls()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) calls[k] = n;
  return {
    scenario: scenarioLabel,
    title: world.prepared.scenario.title ?? null,
    seed: world.seed,
    passed: verdict.passed,
    error,
    outcome: {
      end: facts.end.kind,
      blocked: facts.end.kind === 'deadlock' ? [...facts.end.blocked] : [],
      hanging: [...(facts.hanging ?? [])],
      loads: facts.loads.map((l) => ({ module: l.module, status: l.status === null ? null : formatStatus(l.status) })),
      problems: verdict.problems,
      unasked: verdict.unasked,
    },
    expectations: verdict.expectations,
    ios,
    violations,
    calls,
    output: [...sim.output],
    time: sim.now,
    steps: sim.stepCount,
  };
}
