// The language server as the extension starts it (extension/client/serverProcess.ts): no runtime of
// its own, so vscode-languageclient forks the editor's executable with ELECTRON_RUN_AS_NODE=1 and
// talks over IPC. Here that fork is made the way the library makes it (node/main.js: cp.fork(module,
// [...args, '--node-ipc', '--clientProcessId=<pid>'], { execArgv, env: {...process.env,
// ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1'}, cwd: the workspace folder, silent: true })),
// from an installed copy under folders with spaces, with no Node on PATH, on a driver project whose
// folder has spaces too. Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { HOST_PATHS } from '../../engine';
import { serverLaunch } from '../../extension/client/serverProcess';
import { envWithoutNode, installedCopy } from './installedCopy';
import type { Published } from './lspHelpers';

const SPLIT = path.join(__dirname, '..', 'fixtures', 'projects', 'repo', 'split');

test('the server the extension launches starts from C:\\Program Files-like folders with no Node on PATH, and reads a project in a folder with spaces', async () => {
  const extension = installedCopy();
  const launch = serverLaunch(extension);
  assert.equal(launch.runtime, undefined, 'no runtime: the language client forks the editor\'s own');
  assert.equal(launch.module, path.join(extension, 'dist', 'server.js'));
  const workspace = path.join(mkdtempSync(path.join(tmpdir(), 'fltsim-')), 'My Drivers');
  cpSync(SPLIT, path.join(workspace, 'split filter'), { recursive: true });

  const proc = fork(launch.module, ['--node-ipc', `--clientProcessId=${process.pid}`], {
    execArgv: launch.execArgv,
    env: envWithoutNode({ ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1' }),
    cwd: workspace,
    silent: true,
  });
  const conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
  const published: Published[] = [];
  let got: () => void = () => undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.push(p);
    got();
  });
  conn.listen();
  try {
    const init = await conn.sendRequest('initialize', { processId: process.pid, rootUri: HOST_PATHS.toUri(workspace), capabilities: {}, initializationOptions: { lintDelayMs: 0 } }) as { serverInfo?: { name: string } };
    assert.equal(init.serverInfo?.name, 'fltsim');
    conn.sendNotification('initialized', {});
    const ops = path.join(workspace, 'split filter', 'ops.c');
    const uri = HOST_PATHS.toUri(ops);
    assert.match(uri, /\/My%20Drivers\/split%20filter\/ops\.c$/);
    const arrived = new Promise<void>((resolve) => (got = () => published.some((p) => p.uri === uri) && resolve()));
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: readFileSync(ops, 'utf8') } });
    await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error('no diagnostics within 15 s')), 15_000))]);
    const diags = published.find((p) => p.uri === uri)!.diagnostics;
    // The finding needs reg.c, which the server read from disk next to ops.c.
    assert.deepEqual(diags.map((d) => [d.code, d.range.start.line]), [['preop-callback-without-postop', 16]]);
    assert.equal(diags[0]!.relatedInformation?.[0]?.location.uri, HOST_PATHS.toUri(path.join(workspace, 'split filter', 'reg.c')));
  } finally {
    conn.dispose();
    proc.kill();
  }
});
