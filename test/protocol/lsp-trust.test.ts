// Restricted Mode and the workspace boundary, as the language server sees them: untrusted, it reads
// nothing but the open documents (no project files, no scenario drivers from disk); trusted, a
// scenario whose driver is read from outside the workspace folder says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient } from './lspHelpers';

const SPLIT = join(__dirname, '..', 'fixtures', 'projects', 'repo', 'split');

test('untrusted: a file of a driver project is linted alone, without reading its project from disk', async () => {
  const ops = fileUri(join(SPLIT, 'ops.c'));
  const text = readFileSync(join(SPLIT, 'ops.c'), 'utf8');
  const run = async (trusted: boolean) => {
    const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0, trusted } });
    try {
      const since = client.mark();
      client.open(ops, 'c', text, 1);
      return (await client.diagnostics(ops, since, (p) => p.version === 1)).diagnostics;
    } finally {
      await client.stop();
    }
  };
  const trusted = await run(true);
  assert.ok(trusted.some((d) => d.relatedInformation?.some((r) => r.location.uri.endsWith('/reg.c'))), 'trusted: the registration in reg.c is read from disk');
  const untrusted = await run(false);
  assert.ok(!untrusted.some((d) => d.relatedInformation?.some((r) => r.location.uri !== ops)), JSON.stringify(untrusted));
  assert.notDeepEqual(untrusted, trusted);
});

test('untrusted: a scenario is checked as text, its driver files are not looked for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-trust-'));
  const uri = fileUri(join(dir, 's.fltsim'));
  const text = 'driver "absent.c"\nio #1 raed "\\a"\n';
  for (const trusted of [true, false]) {
    const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0, trusted } });
    try {
      const since = client.mark();
      client.open(uri, 'fltsim', text, 1);
      const codes = (await client.diagnostics(uri, since)).diagnostics.map((d) => d.code);
      assert.deepEqual(codes, trusted ? ['missing-file', 'unknown-operation'] : ['unknown-operation'], `trusted: ${trusted}`);
    } finally {
      await client.stop();
    }
  }
});

test('a scenario whose driver is read from outside the workspace folder gets a warning at the path', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fltsim-ws-'));
  mkdirSync(join(root, 'ws'));
  mkdirSync(join(root, 'elsewhere'));
  writeFileSync(join(root, 'elsewhere', 'far.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return STATUS_SUCCESS; }\n');
  writeFileSync(join(root, 'ws', 'near.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return STATUS_SUCCESS; }\n');
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 }, workspaceFolders: [{ uri: fileUri(join(root, 'ws')), name: 'ws' }] });
  try {
    const uri = fileUri(join(root, 'ws', 's.fltsim'));
    let since = client.mark();
    client.open(uri, 'fltsim', 'driver "../elsewhere/far.c"\n', 1);
    const d = (await client.diagnostics(uri, since)).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start.line, x.range.start.character]), [['outside-workspace', 2, 0, 7]]);
    assert.match(d[0].message, /^driver "\.\.\/elsewhere\/far\.c" reads .*elsewhere.far\.c, outside the workspace folder .*ws\n/);
    since = client.mark();
    client.change(uri, 2, [{ text: 'driver "near.c"\n' }]);
    assert.deepEqual((await client.diagnostics(uri, since, (p) => p.version === 2)).diagnostics, []);
  } finally {
    await client.stop();
  }
});
