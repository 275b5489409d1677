// The language server lists a scenario's tests for the Test Explorer (`fltsim/scenarioTests`): the
// extension host has no parser of its own. Bad params get InvalidParams, never a JavaScript error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RawProcess, SERVER } from './adapterProcess';
import { discoverScenario } from '../../extension/server/scenarioTests';

test('fltsim/scenarioTests answers with the scenario and its expect lines; bad params are refused by name', async () => {
  const s = new RawProcess(SERVER, ['--stdio']);
  try {
    await s.call('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { lintDelayMs: 0 } });
    s.notify('initialized', {});
    const text = readFileSync('samples/pend-generic-workitem/with-callback.fltsim', 'utf8');
    const r = await s.call('fltsim/scenarioTests', { text, name: 'with-callback.fltsim' });
    assert.deepEqual(r.result, discoverScenario(text, 'with-callback.fltsim'));
    const answer = r.result as { label: string; expectations: { label: string; line: number }[] };
    assert.equal(answer.label, 'Pend a read and resume it with FLT_PREOP_SUCCESS_WITH_CALLBACK');
    const expectLines = text.split('\n').flatMap((l, i) => (l.startsWith('expect ') ? [i + 1] : []));
    assert.equal(expectLines.length, 4);
    assert.deepEqual(answer.expectations.map((e) => e.line), expectLines);
    const bad = await s.call('fltsim/scenarioTests', { text: 3 });
    assert.equal(bad.error?.code, -32602, JSON.stringify(bad));
    assert.match(bad.error!.message, /^fltsim\/scenarioTests: params\.(text must be a string|name is required)/);
  } finally {
    s.kill();
  }
});
