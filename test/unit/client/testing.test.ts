// The Test Explorer's pieces that run in the extension host: the message button's target and the
// verdict of a Debug run read from the debugger's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debugVerdict } from '../../../extension/client/testing/debugVerdict';
import { debugTargetOfTestMessage, replayTargetOfTestMessage, runMessageContext, scheduleMessageContext } from '../../../extension/client/testing/messageActions';
import { open, tallyScenario } from '../run/debuggeeFixture';

test('a message button gets the scenario and seed back from the message; anything else names nothing', () => {
  const arg = { test: { uri: { fsPath: '/w/a.fltsim' } }, message: { contextValue: runMessageContext(17) } };
  assert.deepEqual(debugTargetOfTestMessage(arg), { scenario: '/w/a.fltsim', seed: 17 });
  assert.equal(debugTargetOfTestMessage({ test: { uri: { fsPath: '/w/a.fltsim' } }, message: { contextValue: 'other' } }), undefined);
  assert.equal(debugTargetOfTestMessage({ test: { uri: { fsPath: '/w/a.fltsim' } }, message: { contextValue: 'fltsim.run.x' } }), undefined);
  assert.equal(debugTargetOfTestMessage({ message: { contextValue: runMessageContext(1) } }), undefined);
  assert.equal(debugTargetOfTestMessage(undefined), undefined);
});

test('a failing schedule\'s message gives its button the scenario and the replay file; a run\'s message does not', () => {
  const test = { uri: { fsPath: '/w/race.fltsim' } };
  assert.deepEqual(replayTargetOfTestMessage({ test, message: { contextValue: scheduleMessageContext('/w/race.replay.json') } }), { scenario: '/w/race.fltsim', replay: '/w/race.replay.json' });
  assert.equal(replayTargetOfTestMessage({ test, message: { contextValue: runMessageContext(3) } }), undefined);
  assert.equal(debugTargetOfTestMessage({ test, message: { contextValue: scheduleMessageContext('/w/race.replay.json') } }), undefined);
  assert.equal(replayTargetOfTestMessage({ test, message: { contextValue: scheduleMessageContext('') } }), undefined);
  assert.equal(replayTargetOfTestMessage({ message: { contextValue: scheduleMessageContext('/w/r.json') } }), undefined);
});

test('the debugger\'s end-of-run line gives a Debug run its verdict', async () => {
  const { debuggee: d, output } = await open(tallyScenario());
  d.start(false);
  assert.deepEqual(d.runToStop(), { kind: 'terminated' });
  const verdicts = output.map((o) => debugVerdict(o.text)).filter((v) => v !== undefined);
  assert.deepEqual(verdicts, [{ passed: true, summary: 'PASS  3 expectations hold' }]);
  assert.deepEqual(debugVerdict('Run stopped at 4 ms after 2000000 steps: FAIL  the run did not end as expected, 1 not checked\n'),
    { passed: false, summary: 'FAIL  the run did not end as expected, 1 not checked' });
  assert.equal(debugVerdict('PASS  3 expectations hold'), undefined);
});
