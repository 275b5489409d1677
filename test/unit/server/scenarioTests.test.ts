// What the language server tells the Test Explorer about a scenario file: the scenario, one child per expect line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { discoverScenario } from '../../../extension/server/scenarioTests';

test('a sample scenario: its title, and one child per expect line at that line', () => {
  const text = readFileSync('samples/cbdq-cancel/cancel.fltsim', 'utf8');
  const found = discoverScenario(text, 'cancel.fltsim');
  assert.equal(found.label, 'Cancel a read while it waits in a cancel-safe queue');
  assert.deepEqual(found.span, { line: 1, column: 1, endColumn: 'scenario "Cancel a read while it waits in a cancel-safe queue"'.length + 1 });
  const lines = text.split('\n');
  const expectLines = lines.map((l, i) => (l.startsWith('expect') ? i + 1 : 0)).filter((n) => n > 0);
  assert.deepEqual(found.expectations.map((e) => e.line), expectLines);
  assert.deepEqual(found.expectations.map((e) => e.label), [
    'expect #1 status STATUS_CANCELLED',
    'expect #2 status STATUS_SUCCESS',
    'expect calls CsqCompleteCanceledIo 1',
    'expect calls QueueWorker 1',
    'expect no violations',
  ]);
  // The comment after an expect line is not part of its label or its range.
  const irql = discoverScenario(readFileSync('samples/irql-bug/bug.fltsim', 'utf8'), 'bug.fltsim');
  assert.deepEqual(irql.expectations[0], { id: 'expect violation cpp-irql', label: 'expect violation cpp-irql', line: 7, column: 1, endColumn: 26 });
  assert.equal(found.errors, 0);
});

test('ids follow the text, not the line, and a repeated line gets its own id', () => {
  const a = discoverScenario('driver "x.c"\nexpect no violations\nexpect calls W 1\nexpect calls W 1\n', 'x.fltsim');
  assert.deepEqual(a.expectations.map((e) => e.id), ['expect no violations', 'expect calls W 1', 'expect calls W 1 #2']);
  const moved = discoverScenario('// a comment added above\n\ndriver "x.c"\nexpect no violations\nexpect calls W 1\nexpect calls W 1\n', 'x.fltsim');
  assert.deepEqual(moved.expectations.map((e) => e.id), a.expectations.map((e) => e.id));
  assert.deepEqual(moved.expectations.map((e) => e.line), [4, 5, 6]);
});

test('without a title the file name is the label and the first statement the place; parse errors are counted, not fatal', () => {
  const found = discoverScenario('\n  driver "x.c"\nexpect bogus thing\nexpect #1 status STATUS_SUCCESS\n', 'plain.fltsim');
  assert.equal(found.label, 'plain.fltsim');
  assert.equal(found.span.line, 2);
  assert.equal(found.span.column, 3);
  assert.equal(found.errors, 2); // the unknown expectation, and #1 that no io line declares
  assert.deepEqual(found.expectations.map((e) => [e.line, e.label]), [[4, 'expect #1 status STATUS_SUCCESS']]);
  const empty = discoverScenario('', 'empty.fltsim');
  // An empty file lacks its driver line: one error, and nothing to list.
  assert.deepEqual(empty, { label: 'empty.fltsim', span: { line: 1, column: 1, endColumn: 1 }, expectations: [], errors: 1 });
});
