/**
 * How the extension starts the language server: dist/server.js as a Node module that
 * vscode-languageclient forks over IPC. Without a `runtime` the library forks the editor's own
 * executable with ELECTRON_RUN_AS_NODE=1 (VS Code's Electron acting as Node; in code-server the
 * runtime already is Node), so users need no Node install, and it passes the module path as one
 * argument, so folders with spaces (`C:\Program Files\…`) need no quoting. Kept free of `vscode` so
 * the choice is testable (test/protocol/lsp-process.test.ts forks the server the same way).
 */
import * as path from 'node:path';

export interface ServerLaunch {
  /** The server bundle. */
  module: string;
  /** No runtime: the language client forks the editor's own one. */
  runtime: undefined;
  /** Extra Node flags in normal runs (none) and when the extension itself is debugged. */
  execArgv: string[];
  debugExecArgv: string[];
}

export function serverLaunch(extensionPath: string): ServerLaunch {
  return { module: path.join(extensionPath, 'dist', 'server.js'), runtime: undefined, execArgv: [], debugExecArgv: ['--nolazy', '--inspect=6019'] };
}
