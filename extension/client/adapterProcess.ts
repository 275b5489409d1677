/**
 * How the extension starts the debug adapter: dist/debugAdapter.js as its own process, run by the
 * editor's own runtime (VS Code's Electron binary acts as Node with ELECTRON_RUN_AS_NODE=1; in
 * code-server the runtime already is Node), so users need no Node install. A separate process keeps
 * a driver loop that never ends away from the extension host. No shell is involved, so paths with
 * spaces need no quoting.
 */
import * as path from 'node:path';

export interface AdapterLaunch {
  command: string;
  args: string[];
  /** Added to the extension host's environment. */
  env: Record<string, string>;
}

export function adapterLaunch(extensionPath: string, runtime: string = process.execPath): AdapterLaunch {
  return { command: runtime, args: [path.join(extensionPath, 'dist', 'debugAdapter.js')], env: { ELECTRON_RUN_AS_NODE: '1' } };
}
