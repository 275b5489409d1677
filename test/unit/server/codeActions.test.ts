import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../../../engine';
import { codeActionsFor, disableEdit, type CodeActionInput } from '../../../extension/server/codeActions';

const URI = 'file:///drv/filter.c';

function lines(...text: string[]) {
  return (n: number) => text[n] ?? '';
}

const FINDING: Finding = {
  ruleId: 'wi-bad-queue-type',
  severity: 'error',
  range: { start: { line: 2, column: 10 }, end: { line: 2, column: 32 } },
  message: 'bad queue',
  related: [],
  fixes: [{ title: 'Use DelayedWorkQueue', edits: [{ range: { start: { line: 2, column: 10 }, end: { line: 2, column: 32 } }, newText: 'DelayedWorkQueue' }] }],
};
const DIAG: Diagnostic = { range: { start: { line: 2, character: 10 }, end: { line: 2, character: 32 } }, code: 'wi-bad-queue-type', source: 'fltsim', message: 'bad queue' };

function input(over: Partial<CodeActionInput> = {}): CodeActionInput {
  return {
    uri: URI,
    version: 3,
    diagnostics: [DIAG],
    published: { version: 3, findings: [FINDING] },
    lineText: lines('void f(void)', '{', '\tQueue(item, HyperCriticalWorkQueue);'),
    eol: '\n',
    documentChanges: false,
    ...over,
  };
}

test('the disable comment goes above the line with its indentation', () => {
  assert.deepEqual(disableEdit({ lineText: lines('{', '\t  call();'), eol: '\n' }, 1, 'cpp-irql'), {
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
    newText: '\t  // fltsim-disable-next-line cpp-irql\n',
  });
  assert.equal(disableEdit({ lineText: lines('call();'), eol: '\r\n' }, 0, 'cpp-irql')!.newText, '// fltsim-disable-next-line cpp-irql\r\n');
});

test('an existing disable comment above gets the id added, before any reason', () => {
  const plain = disableEdit({ lineText: lines('    // fltsim-disable-next-line name-info  ', '    call();'), eol: '\n' }, 1, 'cpp-irql')!;
  const end = '    // fltsim-disable-next-line name-info'.length;
  assert.deepEqual(plain, { range: { start: { line: 0, character: end }, end: { line: 0, character: end } }, newText: ', cpp-irql' });
  const reasoned = disableEdit({ lineText: lines('// fltsim-disable-next-line name-info -- known', 'call();'), eol: '\n' }, 1, 'cpp-irql')!;
  assert.equal(reasoned.range.start.character, '// fltsim-disable-next-line name-info'.length);
  // A bare comment silences every rule already, so a new comment is written instead.
  const bare = disableEdit({ lineText: lines('// fltsim-disable-next-line', 'call();'), eol: '\n' }, 1, 'cpp-irql')!;
  assert.equal(bare.range.start.line, 1);
});

test('no disable comment inside a multi-line macro', () => {
  assert.equal(disableEdit({ lineText: lines('#define QUEUE(i) \\', '    Queue(i, HyperCriticalWorkQueue)'), eol: '\n' }, 1, 'wi-bad-queue-type'), undefined);
});

test('a matching finding gives its fix (preferred: it only rewrites the flagged text), then disable, then docs', () => {
  const actions = codeActionsFor(input());
  assert.deepEqual(actions.map((a) => a.title), ['Use DelayedWorkQueue', 'Disable wi-bad-queue-type for this line', 'Show documentation for wi-bad-queue-type']);
  assert.equal(actions[0].isPreferred, true);
  assert.deepEqual(actions[0].edit, { changes: { [URI]: [{ range: DIAG.range, newText: 'DelayedWorkQueue' }] } });
  assert.deepEqual(actions[1].edit, { changes: { [URI]: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '\t// fltsim-disable-next-line wi-bad-queue-type\n' }] } });
  assert.deepEqual(actions[2].command, { title: 'Show documentation for wi-bad-queue-type', command: 'fltsim.showRuleDocs', arguments: ['wi-bad-queue-type'] });
});

test('two fixes for one finding: neither is preferred', () => {
  const two: Finding = { ...FINDING, fixes: [FINDING.fixes[0], { title: 'Use CriticalWorkQueue', edits: [{ range: FINDING.range, newText: 'CriticalWorkQueue' }] }] };
  const actions = codeActionsFor(input({ published: { version: 3, findings: [two] } }));
  assert.deepEqual(actions.slice(0, 2).map((a) => [a.title, a.isPreferred]), [['Use DelayedWorkQueue', false], ['Use CriticalWorkQueue', false]]);
});

test('versioned edits when the client takes documentChanges', () => {
  const [fix] = codeActionsFor(input({ documentChanges: true }));
  assert.deepEqual(fix.edit, { documentChanges: [{ textDocument: { uri: URI, version: 3 }, edits: [{ range: DIAG.range, newText: 'DelayedWorkQueue' }] }] });
});

test('findings of an older version give no fix, only the disable and docs actions', () => {
  const actions = codeActionsFor(input({ version: 4 }));
  assert.deepEqual(actions.map((a) => a.title), ['Disable wi-bad-queue-type for this line', 'Show documentation for wi-bad-queue-type']);
});

test('diagnostics of other sources, scenario codes and repeats are skipped', () => {
  const other: Diagnostic = { ...DIAG, source: 'cpptools' };
  const scenario: Diagnostic = { ...DIAG, code: 'unknown-operation' };
  const twin: Diagnostic = { ...DIAG, range: { start: { line: 2, character: 1 }, end: { line: 2, character: 5 } }, message: 'another' };
  const actions = codeActionsFor(input({ diagnostics: [other, scenario, DIAG, twin] }));
  assert.deepEqual(actions.map((a) => a.title), ['Use DelayedWorkQueue', 'Disable wi-bad-queue-type for this line', 'Show documentation for wi-bad-queue-type']);
});

test('context.only filters by kind', () => {
  assert.equal(codeActionsFor(input({ only: ['refactor'] })).length, 0);
  assert.equal(codeActionsFor(input({ only: ['quickfix'] })).length, 3);
  assert.equal(codeActionsFor(input({ only: [''] })).length, 3);
});

test('a diagnostic without a usable range is skipped, not a crash', () => {
  const broken = { ...DIAG, range: undefined } as unknown as Diagnostic;
  const negative: Diagnostic = { ...DIAG, range: { start: { line: -1, character: 0 }, end: { line: -1, character: 1 } } };
  assert.deepEqual(codeActionsFor(input({ diagnostics: [broken, negative] })), []);
});
