/**
 * "fltsim: Create Scenario for Driver": runs `fltsim init` on a driver project (the Explorer's
 * .vcxproj, folder or .c/.cpp file, the active editor's file, or one the user picks) and opens the
 * starter scenario it writes next to the project. An existing scenario is replaced only when the
 * user says so.
 */
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { initInvocation, type CliInvocation } from './cliInvocation';

/** What `fltsim init --json` prints. */
type InitAnswer =
  | { ok: true; scenario: string; driver: string; operations: number; callbacks: number }
  | { ok: false; reason: 'input' | 'no-registration' | 'exists'; message: string; scenario?: string };

function runInit(inv: CliInvocation): Promise<InitAnswer> {
  return new Promise((resolve, reject) => {
    execFile(inv.command, inv.args, { cwd: inv.cwd, env: { ...process.env, ...inv.env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as InitAnswer);
      } catch {
        reject(new Error(stderr.trim() || (err as Error | null)?.message || 'fltsim init printed nothing'));
      }
    });
  });
}

const DRIVER_FILE = /\.(?:vcxproj|c|cpp)$/i;

async function targetOf(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && DRIVER_FILE.test(active.fsPath)) return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Create Scenario',
    title: 'fltsim: the driver project (.vcxproj), its folder or one of its .c/.cpp files',
    filters: { 'Driver projects and sources': ['vcxproj', 'c', 'cpp'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

export async function createScenarioForDriver(context: vscode.ExtensionContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const target = await targetOf(arg);
  if (!target) return undefined;
  const run = (force: boolean) => runInit(initInvocation(process.execPath, context.extensionPath, target.fsPath, force));
  let answer: InitAnswer;
  try {
    answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'fltsim: reading the driver' }, () => run(false));
    if (!answer.ok && answer.reason === 'exists' && answer.scenario) {
      const choice = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(answer.scenario)} exists already.`, 'Open It', 'Replace It');
      if (choice === 'Open It') answer = { ok: true, scenario: answer.scenario, driver: '', operations: 0, callbacks: 0 };
      else if (choice === 'Replace It') answer = await run(true);
      else return undefined;
    }
  } catch (err) {
    void vscode.window.showErrorMessage(`fltsim: could not create a scenario: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  if (!answer.ok) {
    void vscode.window.showErrorMessage(`fltsim: ${answer.message}`);
    return undefined;
  }
  const uri = vscode.Uri.file(answer.scenario);
  await vscode.window.showTextDocument(uri, { preview: false });
  if (answer.driver) void vscode.window.showInformationMessage(`fltsim: a starter scenario for ${answer.driver} (${answer.operations} operations, ${answer.callbacks} callbacks). Run it with the ▷ button.`);
  return uri;
}
