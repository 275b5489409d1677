/**
 * The language client: starts the bundled server (`dist/server.js`, see serverProcess.ts) over IPC
 * for driver C/C++ and scenario files, and forwards the `fltsim.*` settings to it whenever they
 * change. The client library also honours `fltsim.trace.server` because the client id is `fltsim`.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverLaunch } from './serverProcess';

export const LINTED_LANGUAGES = ['c', 'cpp', 'fltsim'] as const;

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const launch = serverLaunch(context.extensionUri.fsPath);
  const serverOptions: ServerOptions = {
    run: { module: launch.module, runtime: launch.runtime, transport: TransportKind.ipc, options: { execArgv: launch.execArgv } },
    debug: { module: launch.module, runtime: launch.runtime, transport: TransportKind.ipc, options: { execArgv: launch.debugExecArgv } },
  };
  const clientOptions: LanguageClientOptions = {
    // Only files on disk: the server reads the includes next to a driver, which an untitled or
    // virtual document does not have.
    documentSelector: LINTED_LANGUAGES.map((language) => ({ scheme: 'file', language })),
    synchronize: { configurationSection: 'fltsim' },
    // Read at every (re)start: in Restricted Mode the server reads only the open documents.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    diagnosticCollectionName: 'fltsim',
  };
  const client = new LanguageClient('fltsim', 'fltsim Lint', serverOptions, clientOptions);
  context.subscriptions.push(client);
  // Trusting the folder lets the server read the driver projects and scenario files on disk.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client.restart()));
  try {
    await client.start();
  } catch (err) {
    // A server that fails to start must not take the debugger and commands down with it.
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showWarningMessage(`fltsim: the lint server did not start (${message}). Debugging and commands still work; see the "fltsim Lint" output for details.`);
  }
  return client;
}
