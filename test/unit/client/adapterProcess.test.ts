// How the extension starts the debug adapter (the process itself is exercised in test/protocol/dap-process.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { adapterLaunch } from '../../../extension/client/adapterProcess';

test('the adapter runs as dist/debugAdapter.js of the extension, under the given runtime, as Node', () => {
  const root = path.join('/home/someone/.vscode/extensions', 'fltsim.fltsim-0.1.0 (copy)');
  const launch = adapterLaunch(root, '/opt/Visual Studio Code/code');
  assert.equal(launch.command, '/opt/Visual Studio Code/code');
  // One argument per path, however many spaces it has: no shell, no quoting.
  assert.deepEqual(launch.args, [path.join(root, 'dist', 'debugAdapter.js')]);
  assert.deepEqual(launch.env, { ELECTRON_RUN_AS_NODE: '1' });
});

test('by default the runtime is the one running the extension host', () => {
  assert.equal(adapterLaunch('/x').command, process.execPath);
});

test('the file it names is what the build writes', () => {
  const [script] = adapterLaunch(path.resolve('.')).args;
  assert.ok(existsSync(script!), `${script} (run npm run build)`);
});
