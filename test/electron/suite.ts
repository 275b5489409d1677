/**
 * Runs inside VS Code's extension host (see runElectron.ts). A tiny sequential runner instead of
 * mocha: each check throws on failure, run() rejects if any failed or none ran, and the closing
 * line reads "N passed, N failed".
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const workspace = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

const checks: [string, () => Promise<void>][] = [
  ['the extension activates when a scenario opens, with the fltsim language', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(workspace(), 'sample.fltsim'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'fltsim');
    const ext = vscode.extensions.getExtension('fltsim.fltsim');
    assert.ok(ext, 'extension fltsim.fltsim is not installed in the dev host');
    await ext.activate();
    assert.equal(ext.isActive, true);
  }],
  ['every contributed command is registered', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const pkg = vscode.extensions.getExtension('fltsim.fltsim')!.packageJSON;
    const missing = pkg.contributes.commands.map((c: { command: string }) => c.command).filter((c: string) => !all.has(c));
    assert.deepEqual(missing, []);
  }],
  ['a fltsim debug session starts from a launch configuration (adapter process)', async () => {
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => { sub.dispose(); resolve(s); });
    });
    const ok = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'fltsim', request: 'launch', name: 'electron', scenario: path.join(workspace(), 'sample.fltsim'),
    });
    assert.equal(ok, true);
    const session = await started;
    assert.equal(session.type, 'fltsim');
    await vscode.debug.stopDebugging(session);
  }],
];

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of checks) {
    try {
      await fn();
      passed++;
      console.log(`  ok    ${name}`);
    } catch (err) {
      failed++;
      console.log(`  FAIL  ${name}: ${(err as Error).message}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0 || passed === 0) throw new Error(`${failed} electron check(s) failed`);
}
