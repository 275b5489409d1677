/**
 * "Run Scenario" and "Lint Workspace" run the bundled CLI as tasks, so the output lands in a
 * terminal panel and the exit code (0 pass, 1 a check failed, 2 bad input) is shown by VS Code.
 * The `fltsim` task type is also usable from tasks.json: { "type": "fltsim", "action": "run", "target": "x.fltsim" }.
 */
import * as vscode from 'vscode';
import { lintInvocation, runScenarioInvocation, type CliInvocation } from './cliInvocation';
import { refusedWhileUntrusted } from './trust';

export const TASK_TYPE = 'fltsim';

interface FltsimTaskDefinition extends vscode.TaskDefinition {
  action: 'run' | 'lint';
  /** Scenario file for `run`, folder for `lint`; relative paths count from the workspace folder. */
  target: string;
  seed?: number;
}

function toTask(def: FltsimTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, inv: CliInvocation): vscode.Task {
  const task = new vscode.Task(def, scope, inv.label, 'fltsim', new vscode.ProcessExecution(inv.command, inv.args, { cwd: inv.cwd, env: inv.env }));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true, panel: vscode.TaskPanelKind.Dedicated };
  return task;
}

function invocationFor(def: FltsimTaskDefinition, extensionRoot: string, base: string | undefined): CliInvocation | undefined {
  if (def.action !== 'run' && def.action !== 'lint') return undefined;
  const target = base && !isAbsolute(def.target) ? vscode.Uri.joinPath(vscode.Uri.file(base), def.target).fsPath : def.target;
  return def.action === 'run'
    ? runScenarioInvocation(process.execPath, extensionRoot, target, def.seed)
    : lintInvocation(process.execPath, extensionRoot, target);
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

export function registerTaskProvider(context: vscode.ExtensionContext): void {
  const root = context.extensionUri.fsPath;
  context.subscriptions.push(vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: () => [],
    resolveTask(task) {
      // A tasks.json entry in an untrusted folder would run the CLI on it: refused.
      if (refusedWhileUntrusted('The fltsim task')) return undefined;
      const def = task.definition as FltsimTaskDefinition;
      const folder = typeof task.scope === 'object' ? task.scope.uri.fsPath : undefined;
      const inv = invocationFor(def, root, folder);
      return inv ? toTask(def, task.scope ?? vscode.TaskScope.Workspace, inv) : undefined;
    },
  }));
}

export async function runCliTask(context: vscode.ExtensionContext, action: 'run' | 'lint', target: vscode.Uri, seed?: number): Promise<void> {
  if (refusedWhileUntrusted(action === 'run' ? 'Running a scenario' : 'Linting the workspace')) return;
  const def: FltsimTaskDefinition = { type: TASK_TYPE, action, target: target.fsPath, ...(seed !== undefined ? { seed } : {}) };
  const inv = invocationFor(def, context.extensionUri.fsPath, undefined);
  if (!inv) return;
  const scope = vscode.workspace.getWorkspaceFolder(target) ?? vscode.TaskScope.Workspace;
  await vscode.tasks.executeTask(toTask(def, scope, inv));
}
