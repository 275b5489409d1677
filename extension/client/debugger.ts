/**
 * Debugger registration: each session's adapter is dist/debugAdapter.js in its own process
 * (adapterProcess.ts), and configuration providers fill in launch configurations from the open
 * scenario or the workspace.
 */
import * as vscode from 'vscode';
import { adapterLaunch } from './adapterProcess';
import { DEBUG_TYPE } from './commandIds';
import { dynamicLaunchConfigs, finalizeLaunchConfig, isScenarioPath, resolveLaunchConfig, type FltsimLaunchConfig } from './launchConfig';
import { refusedWhileUntrusted } from './trust';

export function registerDebugger(context: vscode.ExtensionContext): void {
  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor: () => {
      // The configuration providers refuse first; this catches a session started some other way.
      if (!vscode.workspace.isTrusted) throw new Error('fltsim does not debug scenarios in Restricted Mode; trust this folder first.');
      const { command, args, env } = adapterLaunch(context.extensionPath);
      return new vscode.DebugAdapterExecutable(command, args, { env });
    },
  };
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ResolvingProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new WorkspaceScenarioProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
}

function activeDocumentPath(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
}

class ResolvingProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (refusedWhileUntrusted('Debugging a scenario')) return undefined;
    const result = resolveLaunchConfig(config, activeDocumentPath());
    if (!result.ok) {
      void vscode.window.showErrorMessage(`fltsim: ${result.message}`);
      return undefined; // undefined cancels the launch quietly; the message says why
    }
    return result.config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const result = finalizeLaunchConfig(config as FltsimLaunchConfig, folder?.uri.fsPath);
    if (!result.ok) {
      void vscode.window.showErrorMessage(`fltsim: ${result.message}`);
      return undefined;
    }
    return result.config;
  }
}

/** Feeds the Run view's dropdown: one entry per `.fltsim` file in the folder. */
class WorkspaceScenarioProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    if (!folder || folder.uri.scheme !== 'file') return [];
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.fltsim'), '**/node_modules/**', 200);
    return dynamicLaunchConfigs(files.map((f) => f.fsPath).filter(isScenarioPath), folder.uri.fsPath);
  }
}

/**
 * Starts the `fltsim` debugger on a scenario, as the launch configuration `Debug <file>` would; with
 * `seed`, under that seed (to replay a run the Test Explorer reported). Resolves to whether it started.
 */
/** Starts the debugger on a schedule `fltsim explore` recorded; it pauses where the schedule first leaves the default one. */
export async function startReplayDebugging(scenario: vscode.Uri, replay: string): Promise<boolean> {
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(scenario), {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Replay the failing schedule of ${scenario.path.split('/').pop()}`,
    scenario: scenario.fsPath,
    replay,
  });
}

export async function startScenarioDebugging(uri: vscode.Uri, seed?: number): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const name = `Debug ${uri.path.split('/').pop()}${seed === undefined ? '' : ` (seed ${seed})`}`;
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), {
    type: DEBUG_TYPE, request: 'launch', name, scenario: uri.fsPath, stopOnEntry: false, ...(seed === undefined ? {} : { seed }),
  });
}
