// The language server lints an open C file in the context of its driver project: findings that
// depend on another file of the project, and how they follow edits to that other file.
// Needs `npm run build` (the tests start dist/server.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileUri, LspClient, range } from './lspHelpers';

const SPLIT = join(__dirname, '..', 'fixtures', 'projects', 'repo', 'split');
const at = (d: { code?: string | number; range: { start: { line: number; character: number } } }) => `${d.code}@${d.range.start.line}:${d.range.start.character}`;

test('a file whose registration is in another file of its .vcxproj gets the finding that needs it, and loses its false positives', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const ops = fileUri(join(SPLIT, 'ops.c'));
    let since = client.mark();
    client.open(ops, 'c', readFileSync(join(SPLIT, 'ops.c'), 'utf8'), 1);
    const first = await client.diagnostics(ops, since, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.map(at), ['preop-callback-without-postop@16:8']);
    assert.deepEqual(first.diagnostics[0].relatedInformation, [{ location: { uri: fileUri(join(SPLIT, 'reg.c')), range: range(14, 4, 14, 42) }, message: 'registered without a post-operation callback here' }]);

    // reg.c's teardown and unregistering live in teardown.c: no cbdq-no-drain, no unload-no-unregister.
    const reg = fileUri(join(SPLIT, 'reg.c'));
    const regText = readFileSync(join(SPLIT, 'reg.c'), 'utf8');
    since = client.mark();
    client.open(reg, 'c', regText, 1);
    assert.deepEqual((await client.diagnostics(reg, since, (p) => p.version === 1)).diagnostics, []);

    // Give the read a post-operation callback in reg.c: ops.c, unchanged, is checked again and its finding goes.
    const line = regText.split('\n').findIndex((l) => l.includes('{ IRP_MJ_READ, 0, SplitPreRead, NULL }'));
    since = client.mark();
    client.change(reg, 2, [{ range: range(line, 4, line, 42), text: '{ IRP_MJ_READ, 0, SplitPreRead, SplitPostRead }' }]);
    const again = await client.diagnostics(ops, since, (p) => p.diagnostics.length === 0);
    assert.deepEqual(again.diagnostics, []);
  } finally {
    await client.stop();
  }
});
