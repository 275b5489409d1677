// Code nested past the bound, end to end: `fltsim lint` keeps the file's other findings and says at
// the line what it did not read, in text, JSON and SARIF; the language server publishes the same note
// as an information diagnostic. (3,000 parentheses alone are read: the linter unwraps them.) (Before, "Maximum call stack size exceeded" lost the whole file:
// no line, an empty SARIF log, no diagnostics in the editor.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MAX_NESTING } from '../../engine/limits';
import { fileUri, LspClient } from './lspHelpers';

const TEXT = `#include <fltKernel.h>
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_READ, 0, PreRead, NULL }, { IRP_MJ_OPERATION_END } };
VOID Worker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context)
{
    FltQueueGenericWorkItem(WorkItem, FltObject, Worker, HyperCriticalWorkQueue, Context);
}
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    int x = 0;
    x = ${'('.repeat(3000)}1${')'.repeat(3000)};
    ${'{'.repeat(10_000)}x++;${'}'.repeat(10_000)}
    FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
    return FLT_PREOP_PENDING;
}
`;
const NOTE = new RegExp(`^not analysed past this point: the code is nested more than ${MAX_NESTING} levels deep`);

const dir = mkdtempSync(join(tmpdir(), 'fltsim-nesting-'));
const file = join(dir, 'deep.c');
writeFileSync(file, TEXT);

function lint(...args: string[]) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', resolve('dist/cli.js'), 'lint', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'it ended by itself');
  return r;
}

test('fltsim lint: 3,000 parentheses and 10,000 nested blocks give a note at the line in text, JSON and SARIF, and the other findings', () => {
  const text = lint('deep.c');
  assert.equal(text.status, 1, text.stderr);
  assert.doesNotMatch(text.stdout + text.stderr, /Maximum call stack|internal error/i);
  assert.match(text.stdout, /^deep\.c:11:\d+: note: not analysed past this point/m);
  assert.match(text.stdout, /^deep\.c:6:\d+: error \[wi-bad-queue-type\]/m);

  const json = JSON.parse(lint('deep.c', '--format', 'json').stdout);
  const notes = json.files[0].notes;
  assert.equal(notes.length, 1, JSON.stringify(notes));
  assert.equal(notes[0].range.start.line, 11);
  assert.match(notes[0].message, NOTE);
  assert.ok(json.files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'wi-bad-queue-type'));

  const sarif = JSON.parse(lint('deep.c', '--format', 'sarif').stdout);
  const run = sarif.runs[0];
  assert.ok(run.results.some((r: { ruleId: string }) => r.ruleId === 'wi-bad-queue-type'), 'the SARIF log is not empty');
  const notifications = run.invocations[0].toolExecutionNotifications;
  assert.equal(notifications.length, 1);
  assert.match(notifications[0].message.text, NOTE);
  assert.equal(notifications[0].locations[0].physicalLocation.region.startLine, 11);
});

test('the language server publishes the note as an information diagnostic beside the findings', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const uri = fileUri(file);
    const since = client.mark();
    client.open(uri, 'c', TEXT, 1);
    const published = await client.diagnostics(uri, since, (p) => p.version === 1, 30_000);
    const notes = published.diagnostics.filter((d) => d.code === 'parse');
    assert.equal(notes.length, 1, JSON.stringify(published.diagnostics));
    assert.equal(notes[0].severity, 3 /* Information */);
    assert.equal(notes[0].range.start.line, 10);
    assert.match(notes[0].message, NOTE);
    assert.ok(published.diagnostics.some((d) => d.code === 'wi-bad-queue-type'));
  } finally {
    await client.stop();
  }
});
