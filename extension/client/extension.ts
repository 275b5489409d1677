/**
 * Extension entry point. activate() wires the parts and does nothing else; each part lives in its
 * own module: the language client, the debugger (adapter process + configuration providers), the
 * CLI tasks, the commands, the timeline panel, and the Test Explorer (testing/).
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerDebugger } from './debugger';
import { startLanguageClient } from './languageClient';
import { registerTaskProvider } from './tasks';
import { registerTestController } from './testing/controller';
import { registerTimeline } from './timeline/commands';
import { SCENARIO_TESTS_REQUEST, type ScenarioTests, type ScenarioTestsParams } from '../shared/testRunProtocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  registerDebugger(context);
  registerTaskProvider(context);
  registerCommands(context);
  registerTimeline(context);
  // Last, and not awaited by the others: a slow or failing server must not delay debugging. The
  // Test Explorer asks the server for each scenario's items once it runs.
  const started = startLanguageClient(context);
  registerTestController(context, async (text, name) => {
    const c = await started;
    return c.isRunning() ? c.sendRequest<ScenarioTests>(SCENARIO_TESTS_REQUEST, { text, name } satisfies ScenarioTestsParams) : undefined;
  });
  client = await started;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
