/**
 * "fltsim: Explore Schedules": runs the bundled CLI's `explore` on a scenario as a process (the
 * client never loads the engine; exploreProcess.ts), shows its progress in a notification that can
 * be cancelled, and offers to open a failing schedule in the debugger or in the timeline. Also the
 * `fltsim.explore.*` settings, which the Test Explorer's Explore profile reads too.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exploreInvocation, replayPathFor, type ExploreSettings, type ExploreStrategy } from './cliInvocation';
import { Commands } from './commandIds';
import { startReplayDebugging } from './debugger';
import { runExplore } from './exploreProcess';
import { exploreDetails, exploreSummary, type ExploreReportView } from './exploreReport';

let channel: vscode.OutputChannel | undefined;

function output(): vscode.OutputChannel {
  return (channel ??= vscode.window.createOutputChannel('fltsim Explore'));
}

const STRATEGIES: readonly ExploreStrategy[] = ['dfs', 'random', 'pct'];

/** The `fltsim.explore.*` settings for a scenario (resource scope), out-of-range values clamped. */
export function readExploreSettings(scenario: vscode.Uri): ExploreSettings {
  const c = vscode.workspace.getConfiguration('fltsim.explore', scenario);
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = c.get<number | null>(name);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : undefined;
  };
  const strategy = c.get<string>('strategy');
  const seconds = int('timeLimitSeconds', 0, 86_400);
  return {
    strategy: STRATEGIES.find((s) => s === strategy) ?? 'dfs',
    maxSchedules: int('maxSchedules', 1, 10_000_000),
    timeLimitSeconds: seconds === 0 ? undefined : seconds,
    preemptions: int('preemptions', 0, 100),
  };
}

export async function exploreSchedules(context: vscode.ExtensionContext, scenario: vscode.Uri): Promise<void> {
  const inv = exploreInvocation(process.execPath, context.extensionUri.fsPath, scenario.fsPath, readExploreSettings(scenario));
  const name = path.basename(scenario.fsPath);
  const done = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `fltsim: exploring ${name}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return runExplore(inv, {
        signal: abort.signal,
        onProgress: (p) => progress.report({ message: `${p.schedules.toLocaleString('en-US')} schedules, ${p.failing} failing` }),
      });
    },
  );
  if (done.kind !== 'report') {
    const why = done.kind === 'timeout' ? `no answer for ${done.seconds} s` : done.detail.split('\n').slice(0, 3).join(' ');
    void vscode.window.showErrorMessage(done.kind === 'failed' && done.cancelled ? `fltsim: exploring ${name} was cancelled.` : `fltsim: ${name} cannot be explored: ${why}`);
    return;
  }
  const { report } = done;
  const ch = output();
  ch.clear();
  for (const line of exploreDetails(report)) ch.appendLine(line);
  await offer(report, scenario, name, ch);
}

async function offer(report: ExploreReportView, scenario: vscode.Uri, name: string, ch: vscode.OutputChannel): Promise<void> {
  const summary = exploreSummary(report, name);
  if (report.failure === null) {
    const pick = await vscode.window.showInformationMessage(summary, 'Show Details');
    if (pick) ch.show(true);
    return;
  }
  const pick = await vscode.window.showWarningMessage(summary, 'Debug the Failing Schedule', 'Show Timeline', 'Show Details');
  if (pick === 'Show Details') ch.show(true);
  if (pick === 'Show Timeline') await vscode.commands.executeCommand(Commands.showTimeline, scenario, replayPathFor(scenario.fsPath));
  if (pick === 'Debug the Failing Schedule') await startReplayDebugging(scenario, replayPathFor(scenario.fsPath));
}
