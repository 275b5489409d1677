// Starts the bundled language server as a process and speaks JSON-RPC to it, as VS Code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

test('the language server answers initialize with its name and incremental sync', async () => {
  const proc = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.listen();
  try {
    const result = await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }) as any;
    assert.equal(result.serverInfo.name, 'fltsim');
    assert.equal(result.capabilities.textDocumentSync, 2);
    await conn.sendRequest('shutdown');
    conn.sendNotification('exit');
  } finally {
    conn.dispose();
    proc.kill();
  }
});
