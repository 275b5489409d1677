/**
 * Runs `fltsim explore --json --progress` on one scenario as a child process, for "Explore
 * Schedules" and the Test Explorer's Explore profile: progress lines as they come, the report at
 * the end. Cancelling sends SIGTERM, on which the CLI stops after the schedule under way and still
 * prints the report so far; a process that says nothing for the idle timeout, or does not end soon
 * after SIGTERM, is killed. Free of `vscode`, so it is tested against the real CLI.
 */
import { spawn } from 'node:child_process';
import type { CliInvocation } from './cliInvocation';
import { parseExploreReport, parseProgressLine, type ExploreProgress, type ExploreReportView } from './exploreReport';

export type ExploreEnd =
  /** The CLI printed a report (exit 0 or 1; or 2 when the failure is an input problem). `cancelled`: it was asked to stop. */
  | { kind: 'report'; report: ExploreReportView; code: number | null; cancelled: boolean; stderr: string }
  /** No report: bad input (exit 2, stderr says why), a crash, or a process that could not start. */
  | { kind: 'failed'; code: number | null; detail: string; cancelled: boolean }
  /** Nothing came from the process for the idle timeout: it was killed. */
  | { kind: 'timeout'; seconds: number };

export interface ExploreRunOptions {
  signal?: AbortSignal;
  onProgress?(p: ExploreProgress): void;
  /** Kill the process when it writes nothing (progress comes every quarter second) for this long. */
  idleTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL (default 5 s). */
  graceMs?: number;
}

export function runExplore(inv: Omit<CliInvocation, 'label'>, o: ExploreRunOptions = {}): Promise<ExploreEnd> {
  return new Promise((resolve) => {
    const child = spawn(inv.command, inv.args, { cwd: inv.cwd, env: { ...process.env, ...inv.env }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let cancelled = false;
    let timedOut = false;
    let idle: NodeJS.Timeout | undefined;
    let kill: NodeJS.Timeout | undefined;
    let startError: string | undefined;
    const arm = (): void => {
      if (o.idleTimeoutMs === undefined) return;
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, o.idleTimeoutMs);
    };
    const onAbort = (): void => {
      cancelled = true;
      child.kill('SIGTERM');
      kill = setTimeout(() => child.kill('SIGKILL'), o.graceMs ?? 5000);
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    arm();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      arm();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      arm();
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const p = parseProgressLine(line);
        if (p) o.onProgress?.(p);
        else stderr += `${line}\n`;
      }
    });
    child.on('error', (e) => {
      startError = `could not start ${inv.command}: ${e.message}`;
    });
    child.on('close', (code, sig) => {
      if (idle) clearTimeout(idle);
      if (kill) clearTimeout(kill);
      o.signal?.removeEventListener('abort', onAbort);
      stderr += pending;
      if (timedOut) return resolve({ kind: 'timeout', seconds: (o.idleTimeoutMs ?? 0) / 1000 });
      const report = parseExploreReport(stdout);
      if (report) return resolve({ kind: 'report', report, code, cancelled, stderr });
      const detail = startError ?? (stderr.trim() || `fltsim explore ended (${sig ? `signal ${sig}` : `exit code ${code}`}) without a report`);
      resolve({ kind: 'failed', code, detail, cancelled });
    });
  });
}
