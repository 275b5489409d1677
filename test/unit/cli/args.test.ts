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
