/**
 * Runs scenarios through `fltsim test` in a child process and hands back each scenario's result as
 * it arrives. The process, not the extension host, does the simulating: cancelling ends it at once
 * (even inside a driver's endless loop), and a scenario that sends nothing for `idleTimeoutMs` is
 * ended the same way and reported, after which the scenarios after it run in a fresh process.
 * Free of `vscode`, so it is tested against the real CLI.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseTestRunRecord, type ScenarioOutcome, type TestRunResult } from '../../shared/testRunProtocol';

export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export type ScenarioResult =
  /** The scenario's outcome, with its runs (one per seed) or, when it did not compile, the errors as text. */
  | { kind: 'outcome'; outcome: ScenarioOutcome; runs: TestRunResult[]; unprepared?: string }
  /** Nothing came from the process for the idle timeout while this scenario ran: it was ended. */
  | { kind: 'timeout'; runs: TestRunResult[]; seconds: number }
  /** The process ended without finishing this scenario (a crash, or killed from outside). */
  | { kind: 'crashed'; runs: TestRunResult[]; detail: string };

export interface QueueOptions {
  scenarios: readonly string[];
  /** The command line for the scenarios still to run (a fresh process gets only those). */
  launch(scenarios: readonly string[]): Launch;
  idleTimeoutMs: number;
  signal?: AbortSignal;
  /** A scenario's work begins (its item can show as running). */
  onStart?(scenario: string): void;
  onResult(scenario: string, result: ScenarioResult): void;
  /** Text the process wrote to stderr (warnings, a crash's message). */
  onStderr?(text: string): void;
}

/** How the queue ended: everything reported, or cancelled with these scenarios never reported. */
export type QueueEnd = { kind: 'finished' } | { kind: 'cancelled'; unreported: string[] };

type ProcessEnd = { kind: 'done' } | { kind: 'cancelled' } | { kind: 'timeout' } | { kind: 'exited'; detail: string };

export async function runScenarioQueue(o: QueueOptions): Promise<QueueEnd> {
  let remaining = [...o.scenarios];
  while (remaining.length > 0) {
    if (o.signal?.aborted) return { kind: 'cancelled', unreported: remaining };
    let current: string | undefined;
    let runs: TestRunResult[] = [];
    let unprepared: string | undefined;
    const reported = new Set<string>();
    const report = (scenario: string, result: ScenarioResult) => {
      reported.add(scenario);
      o.onResult(scenario, result);
    };
    const end = await runProcess(o.launch(remaining), o.idleTimeoutMs, o.signal, (line) => {
      const record = parseTestRunRecord(line);
      if (!record) return;
      switch (record.event) {
        case 'scenario':
          current = record.scenario;
          runs = [];
          unprepared = undefined;
          o.onStart?.(record.scenario);
          break;
        case 'run':
          if (record.scenario === current) runs.push(record);
          break;
        case 'unprepared':
          if (record.scenario === current) unprepared = record.text;
          break;
        case 'outcome':
          report(record.scenario, { kind: 'outcome', outcome: record.outcome, runs: record.scenario === current ? runs : [], ...(unprepared !== undefined ? { unprepared } : {}) });
          current = undefined;
          break;
        case 'done':
          break;
      }
    }, o.onStderr);
    const left = remaining.filter((s) => !reported.has(s));
    if (end.kind === 'cancelled') {
      return { kind: 'cancelled', unreported: left };
    }
    if (end.kind === 'done') {
      // A scenario the process never mentioned (should not happen) is not silently dropped.
      for (const s of remaining.filter((x) => !reported.has(x))) report(s, { kind: 'crashed', runs: [], detail: 'fltsim test ended without running it' });
      return { kind: 'finished' };
    }
    const stuck = current !== undefined && !reported.has(current) ? current : left[0];
    if (stuck === undefined) return { kind: 'finished' };
    report(stuck, end.kind === 'timeout'
      ? { kind: 'timeout', runs: stuck === current ? runs : [], seconds: o.idleTimeoutMs / 1000 }
      : { kind: 'crashed', runs: stuck === current ? runs : [], detail: end.detail });
    remaining = remaining.filter((s) => !reported.has(s));
  }
  return { kind: 'finished' };
}

function runProcess(launch: Launch, idleTimeoutMs: number, signal: AbortSignal | undefined, onLine: (line: string) => void, onStderr?: (text: string) => void): Promise<ProcessEnd> {
  return new Promise((resolve) => {
    const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: { ...process.env, ...launch.env }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let settled: ProcessEnd | undefined;
    let sawDone = false;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const stop = (why: ProcessEnd) => {
      if (!settled) settled = why;
      // SIGKILL: the simulation is synchronous between records, so only a signal that needs no
      // cooperation from the process ends it promptly.
      child.kill('SIGKILL');
    };
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => stop({ kind: 'timeout' }), idleTimeoutMs);
    };
    const onAbort = () => stop({ kind: 'cancelled' });
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (settled) return;
      arm();
      if (/^\s*\{"event":"done"/.test(line)) sawDone = true;
      onLine(line);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
      onStderr?.(chunk);
    });
    child.on('error', (err) => {
      if (!settled) settled = { kind: 'exited', detail: `could not start ${launch.command}: ${err.message}` };
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!settled) {
        settled = sawDone ? { kind: 'done' } : { kind: 'exited', detail: `fltsim test ended (${sig ? `signal ${sig}` : `exit code ${code}`}) before finishing${stderr.trim() ? `: ${stderr.trim()}` : ''}` };
      }
      resolve(settled);
    });
  });
}
