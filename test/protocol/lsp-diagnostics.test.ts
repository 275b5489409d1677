// The language server as a process: diagnostics for a buggy driver, updates after edits, code
// actions (the rule's fix, the disable comment, the docs command) and hover.
// Needs `npm run build` (the tests start dist/server.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileUri, LspClient, range, type Diagnostic } from './lspHelpers';

const FIXTURE = join(__dirname, '..', 'fixtures', 'server', 'buggy.c');
const TEXT = readFileSync(FIXTURE, 'utf8');
const URI = fileUri(FIXTURE);
// Need not exist: the client vouches for the folder it passes.
const EXTENSION_ROOT = join(__dirname, 'installed-extension');
const docHref = (id: string) => new URL(`docs/rules/${id}.md`, `${pathToFileURL(EXTENSION_ROOT).href}/`).href;

async function startWithBuggyFile(capabilities: Record<string, unknown> = {}) {
  const client = await LspClient.start({ initializationOptions: { extensionRoot: EXTENSION_ROOT, lintDelayMs: 0 }, capabilities });
  const since = client.mark();
  client.open(URI, 'c', TEXT, 1);
  const first = await client.diagnostics(URI, since, (p) => p.version === 1);
  return { client, first };
}

const byCode = (ds: Diagnostic[], code: string) => ds.find((d) => d.code === code);

test('a buggy driver gets diagnostics with rule id, source, doc link, exact range and related location', async () => {
  const { client, first } = await startWithBuggyFile();
  try {
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['wi-alloc-null-unchecked', 'wi-bad-queue-type']);
    const nullCheck = byCode(first.diagnostics, 'wi-alloc-null-unchecked')!;
    assert.deepEqual(nullCheck.range, range(17, 37, 17, 41));
    assert.equal(nullCheck.source, 'fltsim');
    assert.equal(nullCheck.severity, 1);
    assert.deepEqual(nullCheck.codeDescription, { href: docHref('wi-alloc-null-unchecked') });
    assert.match(nullCheck.message, /without a NULL test/);
    assert.deepEqual(nullCheck.relatedInformation, [{ location: { uri: URI, range: range(15, 33, 15, 61) }, message: 'allocated here' }]);

    const queue = byCode(first.diagnostics, 'wi-bad-queue-type')!;
    assert.deepEqual(queue.range, range(34, 66, 34, 88));
    assert.deepEqual(queue.codeDescription, { href: docHref('wi-bad-queue-type') });
    assert.equal(queue.relatedInformation, undefined);
  } finally {
    await client.stop();
  }
});

test('editing one line updates the diagnostics of the new version only', async () => {
  const { client } = await startWithBuggyFile();
  try {
    // Fix the queue type in place.
    let since = client.mark();
    client.change(URI, 2, [{ range: range(34, 66, 34, 88), text: 'DelayedWorkQueue' }]);
    const second = await client.diagnostics(URI, since, (p) => p.version === 2);
    assert.deepEqual(second.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`), ['wi-alloc-null-unchecked@17:37']);

    // Two edits in a row: the diagnostics of the last one arrive, shifted by the inserted lines.
    since = client.mark();
    client.change(URI, 3, [{ range: range(0, 0, 0, 0), text: '// first\n' }]);
    client.change(URI, 4, [{ range: range(0, 0, 0, 0), text: '// second\n' }]);
    const fourth = await client.diagnostics(URI, since, (p) => p.version === 4);
    assert.deepEqual(fourth.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`), ['wi-alloc-null-unchecked@19:37']);
    assert.deepEqual(fourth.diagnostics[0].relatedInformation?.[0].location.range, range(17, 33, 17, 61));
  } finally {
    await client.stop();
  }
});

test('code actions give the rule fix with its exact edit, a disable comment and the docs command', async () => {
  const { client, first } = await startWithBuggyFile();
  try {
    const queue = byCode(first.diagnostics, 'wi-bad-queue-type')!;
    const actions = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: queue.range, context: { diagnostics: [queue] } });
    assert.deepEqual(actions.map((a) => a.title), ['Use DelayedWorkQueue', 'Disable wi-bad-queue-type for this line', 'Show documentation for wi-bad-queue-type']);
    const [fix, disable, docs] = actions;
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [queue]);
    assert.deepEqual(fix.edit, { changes: { [URI]: [{ range: range(34, 66, 34, 88), newText: 'DelayedWorkQueue' }] } });
    assert.deepEqual(disable.edit, { changes: { [URI]: [{ range: range(34, 0, 34, 0), newText: '    // fltsim-disable-next-line wi-bad-queue-type\n' }] } });
    assert.equal(disable.isPreferred, undefined);
    assert.deepEqual(docs.command, { title: 'Show documentation for wi-bad-queue-type', command: 'fltsim.showRuleDocs', arguments: ['wi-bad-queue-type'] });

    // The NULL-check skeleton is inserted away from the flagged text, so it is offered but not preferred.
    const nullCheck = byCode(first.diagnostics, 'wi-alloc-null-unchecked')!;
    const nullActions = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: nullCheck.range, context: { diagnostics: [nullCheck] } });
    assert.equal(nullActions[0].title, "Add a NULL check for 'item'");
    assert.equal(nullActions[0].isPreferred, false);
    assert.deepEqual(nullActions[0].edit.changes[URI][0].range, range(15, 62, 15, 62));

    // Applying the disable comment silences that rule on that line and nothing else.
    const since = client.mark();
    const edit = disable.edit.changes[URI][0];
    client.change(URI, 2, [{ range: edit.range, text: edit.newText }]);
    const after = await client.diagnostics(URI, since, (p) => p.version === 2);
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['wi-alloc-null-unchecked']);
    assert.deepEqual(after.diagnostics[0].range, range(17, 37, 17, 41));

    // The lines are edited; the old diagnostic's fix is stale and withheld, the disable stays.
    const stale = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: queue.range, context: { diagnostics: [queue] } });
    assert.equal(stale.some((a) => a.title === 'Use DelayedWorkQueue'), false);
  } finally {
    await client.stop();
  }
});

test('with documentChanges support the fix is a versioned edit', async () => {
  const { client, first } = await startWithBuggyFile({ workspace: { workspaceEdit: { documentChanges: true } } });
  try {
    const queue = byCode(first.diagnostics, 'wi-bad-queue-type')!;
    const actions = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: queue.range, context: { diagnostics: [queue] } });
    assert.deepEqual(actions[0].edit, { documentChanges: [{ textDocument: { uri: URI, version: 1 }, edits: [{ range: range(34, 66, 34, 88), newText: 'DelayedWorkQueue' }] }] });
    const sourceOnly = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: queue.range, context: { diagnostics: [queue], only: ['source'] } });
    assert.deepEqual(sourceOnly, []);
  } finally {
    await client.stop();
  }
});

test('hover explains a routine with its IRQL bound, and a rule id in a disable comment', async () => {
  const { client } = await startWithBuggyFile();
  try {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 17, character: 20 } });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /^\*\*FltQueueGenericWorkItem\*\*/);
    assert.match(hover.contents.value, /\*\*IRQL:\*\* at most `DISPATCH_LEVEL`/);
    assert.match(hover.contents.value, /HyperCriticalWorkQueue is reserved/);
    assert.match(hover.contents.value, /\[wi-bad-queue-type\]\(file:/);
    assert.deepEqual(hover.range, range(17, 13, 17, 36));

    const plain = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 17, character: 6 } });
    assert.equal(plain, null, '`status` is not a routine');

    const since = client.mark();
    client.change(URI, 2, [{ range: range(34, 0, 34, 0), text: '    // fltsim-disable-next-line wi-bad-queue-type -- reserved queue on purpose\n' }]);
    await client.diagnostics(URI, since, (p) => p.version === 2);
    const rule = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 34, character: 40 } });
    assert.match(rule.contents.value, /^\*\*wi-bad-queue-type\*\* · lint rule · error/);
    assert.match(rule.contents.value, /\[Rule documentation\]\(file:.*wi-bad-queue-type\.md\)/);
    assert.deepEqual(rule.range, range(34, 32, 34, 49));
  } finally {
    await client.stop();
  }
});

test('closing a document clears its diagnostics', async () => {
  const { client } = await startWithBuggyFile();
  try {
    const since = client.mark();
    client.close(URI);
    const cleared = await client.diagnostics(URI, since);
    assert.deepEqual(cleared.diagnostics, []);
  } finally {
    await client.stop();
  }
});

test('text that is not C at all neither crashes the server nor blocks later documents', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const junk = 'file:///junk.c';
    let since = client.mark();
    client.open(junk, 'c', '}}}{ #if\n\u0000\u0001 FltQueueGenericWorkItem(,,,HyperCriticalWorkQueue;; "unterminated\n#define X(a \\\n' + '((('.repeat(2000));
    const published = await client.diagnostics(junk, since);
    assert.ok(Array.isArray(published.diagnostics));
    const hover = await client.request('textDocument/hover', { textDocument: { uri: junk }, position: { line: 999, character: 999 } });
    assert.equal(hover, null);
    since = client.mark();
    client.open(URI, 'c', TEXT, 1);
    const good = await client.diagnostics(URI, since, (p) => p.version === 1);
    assert.equal(good.diagnostics.length, 2);
    assert.equal(client.alive, true);
  } finally {
    await client.stop();
  }
});
