/**
 * "fltsim: Explore Schedules": runs the bundled CLI's `explore` on a scenario as a process (the
 * client never loads the engine), shows its progress in a notification that can be cancelled, and
 * offers to open a failing schedule in the debugger or in the timeline.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exploreInvocation, replayPathFor } from './cliInvocation';
import { Commands, DEBUG_TYPE } from './commandIds';
import { exploreDetails, exploreSummary, parseExploreReport, parseProgressLine, type ExploreReportView } from './exploreReport';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

let channel: vscode.OutputChannel | undefined;

function output(): vscode.OutputChannel {
  return (channel ??= vscode.window.createOutputChannel('fltsim Explore'));
}

export async function exploreSchedules(context: vscode.ExtensionContext, scenario: vscode.Uri): Promise<void> {
  const inv = exploreInvocation(process.execPath, context.extensionUri.fsPath, scenario.fsPath);
  const name = path.basename(scenario.fsPath);
  const done = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `fltsim: exploring ${name}`, cancellable: true },
    (progress, token) => new Promise<Finished>((resolve) => {
      const child = spawn(inv.command, inv.args, { cwd: inv.cwd, env: { ...process.env, ...inv.env } });
      let stdout = '';
      let stderr = '';
      let pending = '';
      let cancelled = false;
      token.onCancellationRequested(() => {
        cancelled = true;
        child.kill('SIGTERM');
      });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const p = parseProgressLine(line);
          if (p) progress.report({ message: `${p.schedules.toLocaleString('en-US')} schedules, ${p.failing} failing` });
          else stderr += `${line}\n`;
        }
      });
      child.on('error', (e) => resolve({ code: null, stdout, stderr: `${stderr}${e.message}\n`, cancelled }));
      child.on('close', (code) => resolve({ code, stdout, stderr: stderr + pending, cancelled }));
    }),
  );
  const report = parseExploreReport(done.stdout);
  if (report === undefined) {
    const why = done.stderr.trim().split('\n').slice(0, 3).join(' ') || `the explorer exited with code ${done.code}`;
    void vscode.window.showErrorMessage(done.cancelled ? `fltsim: exploring ${name} was cancelled.` : `fltsim: ${name} cannot be explored: ${why}`);
    return;
  }
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
  if (pick === 'Debug the Failing Schedule') {
    await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(scenario), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Replay the failing schedule of ${name}`,
      scenario: scenario.fsPath,
      replay: replayPathFor(scenario.fsPath),
    });
  }
}
