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
