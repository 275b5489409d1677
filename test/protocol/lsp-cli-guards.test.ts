// The language server and `fltsim lint` give the same findings on a C++ driver whose guard
// classes live in a project header (engine/lint/analysis/raii.ts): the guard that releases in its
// destructor silences the leak, the one that forgets to is reported, by both.
// Needs `npm run build` (the tests start dist/server.js and dist/cli.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileUri, LspClient } from './lspHelpers';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'test', 'fixtures', 'projects', 'guards');
const FILE = join(DIR, 'guards.cpp');

test('server and CLI agree on a C++ driver with RAII guards from a project header', async () => {
  const out = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'lint', DIR, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  const report = JSON.parse(out.stdout) as { files: { path: string; findings: { ruleId: string; range: { start: { line: number; column: number } } }[] }[] };
  const fromCli = report.files.filter((f) => f.path.endsWith('guards.cpp')).flatMap((f) => f.findings.map((x) => `${x.ruleId}@${x.range.start.line - 1}:${x.range.start.column - 1}`));
  // The report counts from 1, the protocol from 0.
  assert.deepEqual(fromCli, ['ctx-ref-leak@20:22'], 'only the guard whose destructor forgets the release leaves a leak');

  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const uri = fileUri(FILE);
    const since = client.mark();
    client.open(uri, 'cpp', readFileSync(FILE, 'utf8'), 1);
    const published = await client.diagnostics(uri, since, (p) => p.version === 1);
    assert.deepEqual(published.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`), fromCli);
  } finally {
    await client.stop();
  }
});
