/**
 * The Debuggee following a recorded schedule: it stops once where the schedule first leaves the
 * default one, with the change described; going back and forth keeps following it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Debuggee, exploreScenario, prepareScenario } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

test('a replayed schedule stops where it leaves the default, and step back and continue keep to it', async () => {
  const p = await prepareScenario(path.join(__dirname, '..', '..', 'fixtures', 'explore', 'flag-race', 'race.fltsim'), nodeFiles);
  assert.ok(p.ok);
  const { report } = exploreScenario(p.prepared, { strategy: 'dfs', estimateProbes: 0 });
  const schedule = report.failure!.schedule;
  const out: string[] = [];
  const d = new Debuggee(p.prepared, { schedule, output: (text) => out.push(text) });
  d.setTransitionFilters(['violation']);
  d.start(false);
  const first = d.runToStop();
  assert.equal(first.kind, 'stopped');
  if (first.kind !== 'stopped') return;
  assert.equal(first.stop.reason, 'schedule');
  assert.match(first.stop.text ?? '', new RegExp(`^The schedule leaves the default one here \\(decision ${report.failure!.firstChange}\\): `));
  assert.equal(d.scheduleChange?.decision, report.failure!.firstChange);
  // Back one statement and forward again: the stop at the change comes again.
  const thread = first.stop.threadId;
  d.stepBack(thread);
  assert.equal(d.runToStop().kind, 'stopped');
  d.continue();
  const again = d.runToStop();
  assert.ok(again.kind === 'stopped' && again.stop.reason === 'schedule', JSON.stringify(again));
  // On to the end: the stranded read is reported when the run ends.
  d.continue();
  assert.equal(d.runToStop().kind, 'terminated');
  assert.ok(out.some((o) => /violation pended-pre-not-completed: #2 was pended by flagrace and never passed to FltCompletePendedPreOperation/.test(o)), out.join(''));
  assert.ok(out.some((o) => /✗ expect no violations/.test(o)), out.join(''));
  // Without the schedule the same session has no such stop and ends clean.
  const plain = new Debuggee(p.prepared, { output: () => undefined });
  plain.setTransitionFilters(['violation']);
  plain.start(false);
  assert.equal(plain.runToStop().kind, 'terminated');
});
