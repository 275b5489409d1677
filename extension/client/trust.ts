/**
 * Workspace trust. A scenario names files for fltsim to read and C for it to interpret, and a task
 * runs the CLI on the folder, so in a Restricted Mode window none of them start: the user is told
 * why. The language server is told too (initializationOptions.trusted) and then reads only the
 * documents that are open; it restarts with full reading when the folder is trusted.
 */
import * as vscode from 'vscode';

/** True (and the user told why) when the window is in Restricted Mode and `what` must not run. */
export function refusedWhileUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(`fltsim: ${what} is not available in Restricted Mode. Trust this folder first: a scenario makes fltsim read and interpret the files it names.`, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return true;
}
