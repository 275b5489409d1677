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
