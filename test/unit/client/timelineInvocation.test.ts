// The command lines the timeline panel and the explain command run, run for real against the built
// CLI (dist/cli.js), as the extension host starts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { explainInvocation, timelineInvocation, type CliInvocation } from '../../../extension/client/cliInvocation';

const root = path.resolve('.');
const scenario = path.resolve('samples/pend-generic-workitem/complete.fltsim');

function run(inv: CliInvocation) {
  return spawnSync(inv.command, inv.args, { cwd: inv.cwd, env: { ...process.env, ...inv.env }, encoding: 'utf8' });
}

test('the timeline invocation writes the run as the timeline view reads it', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'fltsim-tl-')), 'timeline.json');
  const inv = timelineInvocation(process.execPath, root, scenario, out);
  assert.equal(inv.cwd, path.dirname(scenario));
  assert.equal(inv.env.ELECTRON_RUN_AS_NODE, '1');
  const r = run(inv);
  assert.equal(r.status, 0, r.stderr);
  const t = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(t.lanes.some((l: { name: string; role: string }) => l.name === 'Delayed worker 1' && l.role === 'worker'));
  assert.ok(t.events.some((e: { marker?: string }) => e.marker === 'pend'));
});

test('the explain invocation prints Markdown with the table and the Mermaid diagram; an unknown #N fails with its reason', () => {
  const r = run(explainInvocation(process.execPath, root, scenario, 1));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# #1 — /);
  assert.match(r.stdout, /\n\| # \| ms \| thread \| IRQL \| what happened \| where \|\n/);
  assert.match(r.stdout, /\n```mermaid\nsequenceDiagram\n/);
  const bad = run(explainInvocation(process.execPath, root, scenario, 99));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no callback data #99 in this run/);
});

test('a failing schedule recorded by fltsim explore: the timeline and the story are of that schedule\'s run, not of the default one', () => {
  const race = path.resolve('test/fixtures/explore/flag-race/race.fltsim');
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-tl-replay-'));
  const replay = path.join(dir, 'race.replay.json');
  const found = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'explore', race, '--replay-out', replay], { encoding: 'utf8' });
  assert.equal(found.status, 1, `explore finds the race: ${found.stderr}`);

  const timelineOf = (schedule?: string) => {
    const out = path.join(dir, `timeline-${schedule ? 'replay' : 'default'}.json`);
    const inv = timelineInvocation(process.execPath, root, race, out, schedule);
    const r = run(inv);
    return { status: r.status, stderr: r.stderr, args: inv.args, t: r.status === 0 || r.status === 1 ? JSON.parse(readFileSync(out, 'utf8')) : undefined };
  };
  const plain = timelineOf();
  assert.equal(plain.status, 0, plain.stderr);
  assert.ok(!plain.args.includes('--replay'));
  assert.equal(plain.t.violations, 0, 'the default schedule passes');
  const replayed = timelineOf(replay);
  assert.deepEqual(replayed.args.slice(3, 5), ['--replay', replay]);
  assert.equal(replayed.status, 1, 'the recorded schedule fails as exploration judged it');
  const violations = replayed.t.events.filter((e: { marker?: string }) => e.marker === 'violation');
  assert.deepEqual(violations.map((e: { detail: string; data: number }) => [e.detail.split(':')[0], e.data]), [['pended-pre-not-completed', 2]]);

  const story = run(explainInvocation(process.execPath, root, race, 2, replay));
  assert.equal(story.status, 1, story.stderr);
  assert.match(story.stdout, /\| \*\*violation\*\* pended-pre-not-completed: #2 was pended by flagrace and never passed to FltCompletePendedPreOperation/);
  assert.doesNotMatch(run(explainInvocation(process.execPath, root, race, 2)).stdout, /violation/, 'in the default schedule #2 is completed');
});
