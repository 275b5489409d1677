/**
 * "Show Timeline" (for the fltsim debug session in view, else for the open scenario) and "Explain
 * a Callback Data" (its life as a Markdown preview with a Mermaid diagram), from the palette, the
 * debug toolbar, the editor title, and the timeline view itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainInvocation } from '../cliInvocation';
import { Commands, DEBUG_TYPE } from '../commandIds';
import { isScenarioPath } from '../launchConfig';
import { runCli, TimelinePanel } from './panel';

function fltsimSession(): vscode.DebugSession | undefined {
  const s = vscode.debug.activeDebugSession;
  return s?.type === DEBUG_TYPE ? s : undefined;
}

function scenarioOf(arg: unknown): string | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  return uri && uri.scheme === 'file' && isScenarioPath(uri.fsPath) ? uri.fsPath : undefined;
}

/** `#2`, `2` → 2. */
function dataId(v: unknown): number | undefined {
  const m = typeof v === 'number' ? [String(v), String(v)] : typeof v === 'string' ? /^\s*#?(\d+)\s*$/.exec(v) : null;
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function registerTimeline(context: vscode.ExtensionContext): TimelinePanel {
  const panel = new TimelinePanel(context);
  const reg = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  // `replay`: a replay file of `fltsim explore` (Explore Schedules passes the failing schedule's).
  reg(Commands.showTimeline, async (arg?: unknown, replay?: unknown) => {
    const scenario = arg instanceof vscode.Uri ? scenarioOf(arg) : undefined;
    if (scenario && typeof replay === 'string') return panel.showRun(scenario, replay);
    const session = scenario ? undefined : fltsimSession();
    if (session) return panel.showSession(session);
    const target = scenario ?? scenarioOf(undefined);
    if (!target) {
      void vscode.window.showErrorMessage('fltsim: start a fltsim debug session or open a .fltsim scenario to see its timeline.');
      return;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === target);
    if (doc?.isDirty) await doc.save();
    return panel.showRun(target);
  });

  reg(Commands.explainCallbackData, async (arg?: unknown) => {
    let data = dataId(arg);
    if (data === undefined) {
      const text = await vscode.window.showInputBox({ prompt: 'Callback data to explain', placeHolder: '#1', validateInput: (v) => (dataId(v) ? undefined : 'a callback data id such as #2') });
      data = dataId(text);
      if (data === undefined) return;
    }
    const bound = panel.bound;
    const session = bound?.kind === 'session' && !bound.ended ? bound.session : fltsimSession();
    let markdown: string;
    let name: string;
    try {
      if (session) {
        markdown = ((await session.customRequest('fltsimExplain', { data })) as { markdown: string }).markdown;
        name = session.name;
      } else {
        const run = bound?.kind === 'run' ? bound : undefined;
        const scenario = run ? run.scenario : scenarioOf(undefined);
        if (!scenario) {
          void vscode.window.showErrorMessage('fltsim: open a .fltsim scenario (or debug one) to explain its callback data.');
          return;
        }
        markdown = await runCli(explainInvocation(process.execPath, context.extensionPath, scenario, data, run?.replay));
        name = path.basename(scenario, '.fltsim');
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`fltsim: cannot explain #${data}: ${(e as Error).message}`);
      return;
    }
    const dir = path.join(tmpdir(), 'fltsim-explain');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}-${data}.md`);
    writeFileSync(file, markdown);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
  });

  return panel;
}
