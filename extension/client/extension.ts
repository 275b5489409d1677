/**
 * Extension entry point. activate() wires the parts and does nothing else; each part lives in its
 * own module: the language client, the debugger (adapter process + configuration providers), the
 * CLI tasks, the commands, and the timeline panel.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerDebugger } from './debugger';
import { startLanguageClient } from './languageClient';
import { registerTaskProvider } from './tasks';
import { registerTimeline } from './timeline/commands';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  registerDebugger(context);
  registerTaskProvider(context);
  registerCommands(context);
  registerTimeline(context);
  // Last, and not awaited by the others: a slow or failing server must not delay debugging.
  client = await startLanguageClient(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
