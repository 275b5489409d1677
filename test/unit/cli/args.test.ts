import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, closest, parseArgs } from '../../../extension/cli/args';

const spec = { json: { takesValue: false }, seed: { takesValue: true }, format: { takesValue: true, choices: ['text', 'json', 'sarif'] } };

test('options and positionals parse in any order', () => {
  const p = parseArgs(['a.fltsim', '--seed', '7', '--json', '--format=sarif'], spec);
  assert.deepEqual(p.positionals, ['a.fltsim']);
  assert.equal(p.options.get('seed'), '7');
  assert.equal(p.options.get('json'), true);
  assert.equal(p.options.get('format'), 'sarif');
});

test('an unknown option is a usage error with a suggestion', () => {
  assert.throws(() => parseArgs(['--jsno'], spec), (e: unknown) => e instanceof UsageError && /did you mean '--json'/.test(e.message));
  assert.throws(() => parseArgs(['--format', 'xml'], spec), /must be one of text, json, sarif/);
  assert.throws(() => parseArgs(['--seed'], spec), /needs a value/);
  assert.equal(closest('raed', ['read', 'write', 'create']), 'read');
  assert.equal(closest('zzzzzz', ['read']), undefined);
});

test('a one-dash option is a usage error naming the two-dash option, not a file name', () => {
  assert.throws(() => parseArgs(['a.fltsim', '-j'], spec), (e: unknown) => e instanceof UsageError && /unknown option '-j': options start with two dashes — did you mean '--json'\?/.test(e.message));
  assert.throws(() => parseArgs(['-seed', '3'], spec), /did you mean '--seed'\?/);
  assert.throws(() => parseArgs(['-zzzzzz'], spec), (e: unknown) => e instanceof UsageError && !/did you mean/.test(e.message));
  // After `--`, and a negative number, stay positionals.
  assert.deepEqual(parseArgs(['--', '-odd.fltsim'], spec).positionals, ['-odd.fltsim']);
  assert.deepEqual(parseArgs(['-1'], spec).positionals, ['-1']);
});
