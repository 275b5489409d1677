// Starts the bundled language server as a process and speaks JSON-RPC to it, as VS Code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspHelpers';

test('the language server answers initialize with its name, incremental sync, hover and quick fixes', async () => {
  const client = await LspClient.start();
  try {
    const result = client.initializeResult as any;
    assert.equal(result.serverInfo.name, 'fltsim');
    assert.equal(result.capabilities.textDocumentSync, 2);
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    // The docs command belongs to the client; a server that claimed it would clash with it.
    assert.equal(result.capabilities.executeCommandProvider, undefined);
  } finally {
    await client.stop();
  }
  assert.equal(client.alive, false, 'the server exits after shutdown and exit');
});
