// The language server on `.fltsim` scenarios: parse errors, driver files missing next to the
// scenario, unknown rule ids in `expect violation`, and hover on the rule ids it does know.
// Needs `npm run build` (the tests start dist/server.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient, range } from './lspHelpers';

const FIXTURE = join(__dirname, '..', 'fixtures', 'server', 'scenario', 'broken.fltsim');
const URI = fileUri(FIXTURE);

test('a scenario with a typo, a missing driver file and an unknown rule id gets three diagnostics', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const since = client.mark();
    client.open(URI, 'fltsim', readFileSync(FIXTURE, 'utf8'));
    const { diagnostics } = await client.diagnostics(URI, since, (p) => p.version === 1);
    assert.deepEqual(
      diagnostics.map((d) => ({ code: d.code, range: d.range, severity: d.severity, source: d.source })),
      [
        // driver "absent.c": filter.c beside the scenario exists, absent.c does not.
        { code: 'missing-file', range: range(2, 7, 2, 17), severity: 1, source: 'fltsim' },
        { code: 'unknown-operation', range: range(3, 6, 3, 10), severity: 1, source: 'fltsim' },
        // `deadlock` on the next line is a runtime rule id, so it is known.
        { code: 'unknown-rule', range: range(4, 17, 4, 34), severity: 1, source: 'fltsim' },
      ],
    );
    assert.match(diagnostics[0].message, /absent\.c/);
    assert.match(diagnostics[1].message, /did you mean 'read'\?\n/);
    assert.match(diagnostics[2].message, /did you mean 'wi-bad-queue-type'\?/);

    // Fixing the typo leaves the other two.
    const next = client.mark();
    client.change(URI, 2, [{ range: range(3, 6, 3, 10), text: 'read' }]);
    const fixed = await client.diagnostics(URI, next, (p) => p.version === 2);
    assert.deepEqual(fixed.diagnostics.map((d) => d.code), ['missing-file', 'unknown-rule']);
  } finally {
    await client.stop();
  }
});

test('a scenario that is not a file on disk is checked without looking for its drivers', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const uri = 'untitled:Untitled-1';
    const since = client.mark();
    client.open(uri, 'fltsim', 'driver "nowhere.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt"\n');
    const { diagnostics } = await client.diagnostics(uri, since);
    assert.deepEqual(diagnostics, []);
  } finally {
    await client.stop();
  }
});

test('hover on a rule id in expect violation explains the rule, lint or runtime', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const since = client.mark();
    client.open(URI, 'fltsim', 'driver "filter.c"\nexpect violation deadlock\nexpect no violation cpp-bad-status\n');
    await client.diagnostics(URI, since);
    const runtime = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 20 } });
    assert.match(runtime.contents.value, /^\*\*deadlock\*\* · runtime rule · error/);
    assert.deepEqual(runtime.range, range(1, 17, 1, 25));
    const lint = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 2, character: 22 } });
    assert.match(lint.contents.value, /^\*\*cpp-bad-status\*\* · lint rule · error/);
    assert.match(lint.contents.value, /The simulator also records it at run time/);
    const keyword = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 2 } });
    assert.equal(keyword, null);
  } finally {
    await client.stop();
  }
});

test('a driver file created later clears the missing-file diagnostic once the client reports it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lsp-'));
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 }, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } });
  try {
    const uri = fileUri(join(dir, 'later.fltsim'));
    let since = client.mark();
    client.open(uri, 'fltsim', 'driver "later.c"\n');
    const before = await client.diagnostics(uri, since);
    assert.deepEqual(before.diagnostics.map((d) => d.code), ['missing-file']);
    writeFileSync(join(dir, 'later.c'), '/* empty driver */\n');
    since = client.mark();
    client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(join(dir, 'later.c')), type: 1 }] });
    const after = await client.diagnostics(uri, since);
    assert.deepEqual(after.diagnostics, []);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a misspelt rule id in expect no violation is an error on the id, with the id it resembles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lsp-'));
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    writeFileSync(join(dir, 'lockedcomplete.c'), readFileSync('samples/irql-bug/lockedcomplete.c', 'utf8'));
    const uri = fileUri(join(dir, 'typo.fltsim'));
    const since = client.mark();
    client.open(uri, 'fltsim', 'driver "lockedcomplete.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect no violation cpp-irqll\n');
    const { diagnostics } = await client.diagnostics(uri, since);
    assert.deepEqual(diagnostics.map((d) => ({ code: d.code, range: d.range, severity: d.severity })), [
      { code: 'unknown-rule', range: range(2, 20, 2, 29), severity: 1 },
    ]);
    assert.match(diagnostics[0].message, /unknown rule id 'cpp-irqll' — did you mean 'cpp-irql'\?/);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
