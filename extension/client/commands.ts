/**
 * The palette and title-bar commands. Each handler resolves its target (argument, active editor,
 * or a pick), then hands off to the debugger, the CLI task or the samples module.
 */
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, WALKTHROUGH_IDS } from './commandIds';
import { startReplayDebugging, startScenarioDebugging } from './debugger';
import { createScenarioForDriver } from './createScenario';
import { exploreSchedules } from './explore';
import { isScenarioPath } from './launchConfig';
import { ruleDocPath, ruleIdsFromFileNames, ruleTitle } from './ruleDocs';
import { Samples } from './samples';
import { runCliTask } from './tasks';
import { debugTargetOfTestMessage, replayTargetOfTestMessage } from './testing/messageActions';
import { refusedWhileUntrusted } from './trust';


function scenarioTarget(arg: unknown): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri && isScenarioPath(uri.fsPath)) return uri;
  void vscode.window.showErrorMessage('fltsim: open a .fltsim scenario first (or right-click one in the Explorer).');
  return undefined;
}

async function saveIfDirty(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
}

export function registerCommands(context: vscode.ExtensionContext): void {
  const samples = new Samples(context);
  const reg = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg(Commands.runScenario, async (arg?: unknown) => {
    const uri = scenarioTarget(arg);
    if (!uri) return;
    await saveIfDirty(uri);
    await runCliTask(context, 'run', uri);
  });

  reg(Commands.debugScenario, async (arg?: unknown) => {
    if (refusedWhileUntrusted('Debugging a scenario')) return false;
    // A string names a bundled sample (walkthrough links); otherwise the clicked or active file.
    const uri = typeof arg === 'string' ? (await samples.open(arg))?.document.uri : scenarioTarget(arg);
    if (!uri) return false;
    return startScenarioDebugging(uri);
  });

  // The "Debug This Run" button of a Test Explorer message: the run's scenario under the run's seed.
  reg(Commands.debugTestRun, async (arg?: unknown) => {
    const target = debugTargetOfTestMessage(arg);
    if (!target) {
      void vscode.window.showErrorMessage('fltsim: this test message names no run to debug.');
      return false;
    }
    if (refusedWhileUntrusted('Debugging a scenario')) return false;
    return startScenarioDebugging(vscode.Uri.file(target.scenario), target.seed);
  });

  // The "Debug the Failing Schedule" button of an Explore result: the scenario under the recorded schedule.
  reg(Commands.debugFailingSchedule, async (arg?: unknown) => {
    const target = replayTargetOfTestMessage(arg);
    if (!target) {
      void vscode.window.showErrorMessage('fltsim: this test message names no schedule to debug.');
      return false;
    }
    if (refusedWhileUntrusted('Debugging a scenario')) return false;
    return startReplayDebugging(vscode.Uri.file(target.scenario), target.replay);
  });

  reg(Commands.exploreSchedules, async (arg?: unknown) => {
    if (refusedWhileUntrusted('Exploring schedules')) return;
    const uri = scenarioTarget(arg);
    if (!uri) return;
    await saveIfDirty(uri);
    await exploreSchedules(context, uri);
  });

  reg(Commands.lintWorkspace, async () => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (folders.length === 0) {
      void vscode.window.showErrorMessage('fltsim: open a folder with driver sources to lint it.');
      return;
    }
    const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to lint' });
    if (folder) await runCliTask(context, 'lint', folder.uri);
  });

  reg(Commands.createScenario, async (arg?: unknown) => {
    if (refusedWhileUntrusted('Creating a scenario from a driver')) return undefined;
    return createScenarioForDriver(context, arg);
  });

  reg(Commands.openSamples, async () => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    type Choice = vscode.QuickPickItem & { folder?: vscode.WorkspaceFolder };
    const choices: Choice[] = [
      ...folders.map((folder) => ({ label: `$(copy) Copy into ${folder.name}`, description: `${folder.name}/fltsim-samples — existing files are kept`, folder })),
      { label: '$(lock) Open read-only', description: 'browse the samples bundled with the extension' },
    ];
    const choice = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { placeHolder: 'Where should the fltsim samples go?' });
    if (!choice) return;
    if (choice.folder) {
      const { target, copied, kept } = await samples.copyInto(choice.folder);
      await vscode.commands.executeCommand('revealInExplorer', target);
      void vscode.window.showInformationMessage(`fltsim: copied ${copied} sample file(s) into ${choice.folder.name}/fltsim-samples${kept ? ` (${kept} already there, left unchanged)` : ''}.`);
      return;
    }
    const name = await vscode.window.showQuickPick(await samples.names(), { placeHolder: 'Sample to open' });
    if (name) await samples.open(name);
  });

  reg(Commands.openSample, async (name?: string) => {
    const sample = name ?? (await vscode.window.showQuickPick(await samples.names(), { placeHolder: 'Sample to open' }));
    if (sample) await samples.open(sample);
  });

  reg(Commands.breakInSample, async (sample?: string, fn?: string) => {
    if (!sample || !fn) {
      void vscode.window.showErrorMessage('fltsim: breakInSample needs a sample name and a function name.');
      return false;
    }
    return samples.breakIn(sample, fn);
  });

  reg(Commands.showRuleDocs, async (id?: string) => {
    const dir = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
    let names: string[] = [];
    try {
      names = (await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n);
    } catch {
      /* no rule pages bundled: said below */
    }
    const ids = ruleIdsFromFileNames(names);
    if (ids.length === 0) {
      void vscode.window.showErrorMessage('fltsim: this build has no rule pages (docs/rules/ is empty).');
      return;
    }
    let pick = typeof id === 'string' ? id : undefined;
    if (!pick) {
      const items = await Promise.all(ids.map(async (rule) => {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `${rule}.md`)));
        return { label: rule, description: ruleTitle(text) };
      }));
      pick = (await vscode.window.showQuickPick(items, { placeHolder: 'Lint rule to read about', matchOnDescription: true }))?.label;
    }
    if (!pick) return;
    const file = ruleDocPath(context.extensionUri.fsPath, pick);
    if (!file || !ids.includes(pick)) {
      void vscode.window.showErrorMessage(`fltsim: no rule page for "${pick}".`);
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
  });

  reg(Commands.openWalkthrough, async (id?: string) => {
    const walkthrough = id && (WALKTHROUGH_IDS as readonly string[]).includes(id) ? id : WALKTHROUGH_IDS[0];
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthrough}`, false);
  });
}
