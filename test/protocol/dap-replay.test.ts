// The debug adapter with a `replay` launch attribute: the session follows the schedule a replay
// file holds and pauses where it first leaves the default one; continuing reaches the failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchToStop, startClient, topFrame } from './dapHelpers';

function explored(): { dir: string; replay: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-replay-'));
  cpSync(path.resolve('test/fixtures/explore/cancel-race'), dir, { recursive: true });
  const r = spawnSync(process.execPath, [path.resolve('dist/cli.js'), 'explore', 'race.fltsim'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  return { dir, replay: path.join(dir, 'race.replay.json') };
}

test('launch with "replay" pauses where the schedule leaves the default; continuing stops on the double completion', async () => {
  const { dir, replay } = explored();
  const dc = await startClient();
  try {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const stop = await launchToStop(dc, path.join(dir, 'race.fltsim'), { replay });
    assert.equal(stop.body.reason, 'schedule');
    assert.match(stop.body.description ?? '', /The schedule leaves the default one here \(decision \d+\): time passes to 1 ms while Delayed worker 1 is held back/);
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.find((t) => t.id === stop.body.threadId)?.name, 'Delayed worker 1');
    const frame = await topFrame(dc, stop.body.threadId);
    assert.equal(frame.source?.name, 'pendlist.c');
    assert.ok(threads.body.threads.some((t) => t.name === 'Cancel I/O #1'), 'the cancellation has started');
    assert.ok(output.some((o) => /following the schedule of race\.replay\.json \(\d+ recorded choices, first change from the default at decision \d+\); it failed with: line 8: expect no violations/.test(o)), output.join(''));
    const next = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: stop.body.threadId! });
    const violation = await next;
    assert.equal(violation.body.reason, 'exception');
    assert.match(violation.body.text ?? '', /complete-twice/);
  } finally {
    await dc.stop();
  }
});

test('a replay file that cannot be used fails the launch with the reason', async () => {
  const { dir } = explored();
  const bad = path.join(dir, 'bad.replay.json');
  writeFileSync(bad, '{"format":"fltsim-replay","version":7}');
  const dc = await startClient();
  try {
    await assert.rejects(
      Promise.all([dc.launch({ scenario: path.join(dir, 'race.fltsim'), replay: bad } as DebugProtocol.LaunchRequestArguments), dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest())]),
      /cannot be used: it has version 7; this fltsim reads version 1/,
    );
    await assert.rejects(
      dc.launch({ scenario: path.join(dir, 'race.fltsim'), replay: path.join(dir, 'race.replay.json'), seed: 4 } as DebugProtocol.LaunchRequestArguments),
      /"seed" and "replay" do not go together/,
    );
  } finally {
    await dc.stop();
  }
});
