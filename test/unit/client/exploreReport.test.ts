/** "Explore Schedules" without VS Code: the CLI invocation, its progress lines, and the words shown for a report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { exploreInvocation, replayPathFor } from '../../../extension/client/cliInvocation';
import { exploreDetails, exploreSummary, parseExploreReport, parseProgressLine, type ExploreReportView } from '../../../extension/client/exploreReport';

const scenario = path.resolve('/ws/race/race.fltsim');

test('the explore invocation runs the bundled CLI with a JSON report, progress lines and the replay beside the scenario', () => {
  const inv = exploreInvocation('/usr/bin/node', '/ext', scenario);
  assert.equal(inv.command, '/usr/bin/node');
  assert.deepEqual(inv.args, [path.join('/ext', 'dist', 'cli.js'), 'explore', scenario, '--json', '--progress', '--replay-out', path.resolve('/ws/race/race.replay.json')]);
  assert.equal(inv.cwd, path.dirname(scenario));
  assert.equal(inv.env.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(replayPathFor('/a/b.FLTSIM'), '/a/b.replay.json');
  // The fltsim.explore.* settings become the CLI's search options.
  const tuned = exploreInvocation('/usr/bin/node', '/ext', scenario, { strategy: 'pct', maxSchedules: 300, timeLimitSeconds: 20, preemptions: 3 });
  assert.deepEqual(tuned.args.slice(7), ['--strategy', 'pct', '--max-schedules', '300', '--time-limit', '20', '--preemptions', '3']);
});

test('progress lines are read; other stderr lines are not', () => {
  assert.deepEqual(parseProgressLine('{"progress":{"schedules":12,"failing":0}}'), { schedules: 12, failing: 0 });
  assert.equal(parseProgressLine('race.fltsim:3:1: warning: something'), undefined);
  assert.equal(parseProgressLine('{"progress":{"schedules":"x"}}'), undefined);
  assert.equal(parseProgressLine('{"progress":'), undefined);
});

const failing: ExploreReportView = {
  scenario: 'race.fltsim', title: 'The race', strategy: 'dfs', preemptions: 2,
  schedules: { run: 11, failing: 1, pruned: 2, estimated: 1400, exhaustive: false }, stoppedBy: 'failure', passed: false,
  failure: { index: 11, preemptions: 1, firstChange: 15, reasons: ['line 9: expect no violations — got violations: x'], interleaving: ['1. » time passes'], replay: 'race.replay.json' },
};

test('a failing report names up to three reasons, so the violation behind an unmet expectation shows too', () => {
  const reasons = ['line 13: expect #2 status STATUS_SUCCESS — got request #2 never completed', 'pended-pre-not-completed at race.c:40', 'r3', 'r4'];
  const two = { ...failing, failure: { ...failing.failure!, reasons: reasons.slice(0, 2) } };
  assert.equal(exploreSummary(two, 'race.fltsim'), `fltsim: a schedule of race.fltsim fails (1 preemption from the default one): ${reasons[0]}; ${reasons[1]}`);
  const four = { ...failing, failure: { ...failing.failure!, reasons } };
  assert.match(exploreSummary(four, 'race.fltsim'), /pended-pre-not-completed at race\.c:40; r3 \(and 1 more\)$/);
  const none = { ...failing, failure: { ...failing.failure!, reasons: [] } };
  assert.match(exploreSummary(none, 'race.fltsim'), /: see the details$/);
});

test('a failing report reads as a warning with its reason, and its details list the interleaving', () => {
  assert.equal(parseExploreReport(JSON.stringify(failing))?.failure?.index, 11);
  assert.equal(parseExploreReport('fltsim explore: oops'), undefined);
  assert.equal(exploreSummary(failing, 'race.fltsim'), 'fltsim: a schedule of race.fltsim fails (1 preemption from the default one): line 9: expect no violations — got violations: x');
  const details = exploreDetails(failing).join('\n');
  assert.match(details, /11 schedules run, 2 cut short by the reduction; 1 failing; about 1,400 without reduction/);
  assert.match(details, /Schedule 11 fails \(shrunk to 1 preemption; first change at decision 15\)/);
  assert.match(details, / {2}1\. » time passes/);
  assert.match(details, /Replay file: race\.replay\.json/);
});

test('a failure of the default schedule itself is named as such', () => {
  const dflt = { ...failing, failure: { ...failing.failure!, index: 1, preemptions: 0, firstChange: 0 } };
  assert.match(exploreDetails(dflt).join('\n'), /Schedule 1 fails \(the default schedule: fltsim run fails too\)/);
});

test('passing reports say whether the search was exhaustive', () => {
  const pass = { ...failing, passed: true, failure: null, stoppedBy: 'exhausted', schedules: { ...failing.schedules, failing: 0, exhaustive: true } };
  assert.equal(exploreSummary(pass, 'x.fltsim'), 'fltsim: every schedule of x.fltsim within 2 preemptions passes (11 schedules run, the rest pruned as equivalent).');
  const cut = { ...pass, stoppedBy: 'cancelled', schedules: { ...pass.schedules, exhaustive: false } };
  assert.equal(exploreSummary(cut, 'x.fltsim'), 'fltsim: 11 schedules of x.fltsim pass (cancelled; not every schedule was explored).');
});
