// The language server reads fltsim.lint.* from the workspace: asked with workspace/configuration
// when the client supports it (these tests answer those requests), pushed with
// didChangeConfiguration otherwise. Needs `npm run build` (the tests start dist/server.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileUri, LspClient } from './lspHelpers';

const FIXTURE = join(__dirname, '..', 'fixtures', 'server', 'buggy.c');
const TEXT = readFileSync(FIXTURE, 'utf8');
const URI = fileUri(FIXTURE);
const PULL = { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } };

const summary = (ds: { code?: unknown; severity?: number }[]) => ds.map((d) => `${String(d.code)}:${d.severity}`);

test('severity overrides and lint.enable come from workspace/configuration and follow its changes', async () => {
  let section: unknown = { lint: { enable: true, severity: { 'wi-bad-queue-type': 'off', 'wi-alloc-null-unchecked': 'info' } } };
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 }, capabilities: PULL, configuration: () => section });
  try {
    let since = client.mark();
    client.open(URI, 'c', TEXT);
    const first = await client.diagnostics(URI, since, (p) => p.version === 1);
    assert.deepEqual(summary(first.diagnostics), ['wi-alloc-null-unchecked:3']);
    assert.deepEqual(client.configurationRequests[0], { items: [{ scopeUri: URI, section: 'fltsim' }] });

    section = { lint: { enable: false, severity: {} } };
    since = client.mark();
    client.changeConfiguration(null);
    const cleared = await client.diagnostics(URI, since);
    assert.deepEqual(cleared.diagnostics, []);

    section = { lint: { enable: true, severity: { 'wi-alloc-null-unchecked': 'warning' } } };
    since = client.mark();
    client.changeConfiguration(null);
    const back = await client.diagnostics(URI, since);
    assert.deepEqual(summary(back.diagnostics), ['wi-alloc-null-unchecked:2', 'wi-bad-queue-type:1']);
  } finally {
    await client.stop();
  }
});

test('bad setting values are logged and ignored, not fatal', async () => {
  const section = { lint: { enable: 'yes', severity: { 'no-such-rule': 'off', 'wi-bad-queue-type': 'loud' } } };
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 }, capabilities: PULL, configuration: () => section });
  try {
    const since = client.mark();
    client.open(URI, 'c', TEXT);
    const first = await client.diagnostics(URI, since);
    assert.deepEqual(summary(first.diagnostics), ['wi-alloc-null-unchecked:1', 'wi-bad-queue-type:1']);
    const logged = client.logs.map((l) => l.message).join('\n');
    assert.match(logged, /'no-such-rule' is not a lint rule id/);
    assert.match(logged, /value for 'wi-bad-queue-type' must be off, info, warning or error/);
    assert.match(logged, /fltsim\.lint\.enable must be true or false/);
  } finally {
    await client.stop();
  }
});

test('a client without workspace/configuration gets the defaults, or what it pushes', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    let since = client.mark();
    client.open(URI, 'c', TEXT);
    const first = await client.diagnostics(URI, since);
    assert.deepEqual(summary(first.diagnostics), ['wi-alloc-null-unchecked:1', 'wi-bad-queue-type:1']);
    assert.equal(client.configurationRequests.length, 0);

    since = client.mark();
    client.changeConfiguration({ fltsim: { lint: { severity: { 'wi-alloc-null-unchecked': 'off' } } } });
    const pushed = await client.diagnostics(URI, since);
    assert.deepEqual(summary(pushed.diagnostics), ['wi-bad-queue-type:1']);
  } finally {
    await client.stop();
  }
});
