/** Replay files (engine/explore/replayFile.ts): what is accepted, and what each refusal says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplayFile, REPLAY_FORMAT, REPLAY_VERSION, textHash } from '../../../engine';

const good = {
  format: REPLAY_FORMAT, version: REPLAY_VERSION, scenario: 'race.fltsim', scenarioHash: textHash('x'),
  schedule: { seed: 3, choices: [5, 5, 0, 6] }, firstChange: 3, preemptions: 1, failure: ['line 9: expect no violations'], interleaving: ['1. x'],
};

test('a replay file round-trips through JSON', () => {
  const r = parseReplayFile(JSON.stringify(good));
  assert.ok(r.ok);
  assert.deepEqual(r.replay, good);
});

test('bad replay files are refused with a reason', () => {
  const cases: [string, RegExp][] = [
    ['not json', /not JSON/],
    [JSON.stringify({ ...good, format: 'other' }), /not an fltsim replay file/],
    [JSON.stringify({ ...good, version: 9 }), /version 9; this fltsim reads version 1/],
    [JSON.stringify({ ...good, schedule: undefined }), /no "schedule" object/],
    [JSON.stringify({ ...good, schedule: { seed: -1, choices: [] } }), /"schedule.seed" must be a non-negative integer/],
    [JSON.stringify({ ...good, schedule: { seed: 1, choices: [1, 'a'] } }), /"schedule.choices" must be a list of thread ids/],
  ];
  for (const [text, why] of cases) {
    const r = parseReplayFile(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.message, why);
  }
});

test('the scenario hash tells a changed scenario from the same one', () => {
  assert.equal(textHash('io #1 read "a" at 0'), textHash('io #1 read "a" at 0'));
  assert.notEqual(textHash('io #1 read "a" at 0'), textHash('io #1 read "a" at 1'));
});
