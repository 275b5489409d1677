/**
 * Transactions (issue 12, item 7) on a fixture written for these tests
 * (test/fixtures/transactions/txwatch.c): a transacted create carries its transaction to the
 * operations on the file, a filter enlists once (twice is STATUS_FLT_ALREADY_ENLISTED), the
 * scenario's commit or rollback calls the notification callback for the notifications asked for,
 * a pended commit finishes with FltCommitComplete, and the transaction's context goes at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/transactions');
const driver = readFileSync(path.join(dir, 'txwatch.c'), 'utf8');

async function run(text: string): Promise<World> {
  const files = oneDriver('txwatch.c', driver);
  const world = await runWorld('/t/t.fltsim', `driver "txwatch.c"\n${text}`, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

const WORKLOAD = 'io #1 create "\\Device\\HarddiskVolume1\\t\\a.txt" transaction "T1" at 1\nio #2 write "\\Device\\HarddiskVolume1\\t\\a.txt" at 2\nio #3 create "\\Device\\HarddiskVolume1\\t\\plain.txt" at 3\n';

test('a commit notifies pre-prepare, prepare, commit and finalize, with the operations the transaction saw; its context is cleaned up', async () => {
  const world = await run(`${WORKLOAD}transaction "T1" commit at 5\nunload at 10\n`);
  assert.deepEqual(world.sim.violations, []);
  assert.deepEqual(world.sim.output, [
    'enlist status=00000000',
    'enlist again status=c01c001b',
    // The create and the write on the transacted file; the plain create is in no transaction.
    'notify mask=1 operations=2 has-tx=1',
    'notify mask=2 operations=2 has-tx=1',
    'notify mask=4 operations=2 has-tx=1',
    'notify mask=40000000 operations=2 has-tx=1',
    'cleanup type=32 operations=2',
  ]);
});

test('a rollback sends only the rollback notification; a second outcome for the same transaction does nothing', async () => {
  const world = await run(`${WORKLOAD}transaction "T1" rollback at 5\ntransaction "T1" commit at 6\n`);
  assert.deepEqual(world.sim.output.slice(2), ['notify mask=8 operations=2 has-tx=1', 'cleanup type=32 operations=2']);
  assert.deepEqual(world.sim.violations, []);
});

test('a commit notification pended with STATUS_PENDING waits for FltCommitComplete from a work item', async () => {
  const world = await run(`define PEND_COMMIT\n${WORKLOAD}transaction "T1" commit at 5\nunload at 10\n`);
  assert.deepEqual(world.sim.violations, []);
  const out = world.sim.output;
  // Finalize comes only after the worker completed the commit.
  assert.ok(out.indexOf('complete status=00000000') < out.indexOf('notify mask=40000000 operations=2 has-tx=1'), out.join(' | '));
  assert.ok(out.includes('finishing commit'));
});

test('without a commit or rollback the transaction stays active: no notification, and its context lives on', async () => {
  const world = await run(WORKLOAD);
  assert.deepEqual(world.sim.output, ['enlist status=00000000', 'enlist again status=c01c001b']);
});

test('transaction lines and the io option: what parses, and errors at their place', () => {
  const ok = parseScenario('driver "a.c"\nio #1 create "\\a" transaction "T1" at 0\ntransaction "T1" commit at 3\n');
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(ok.scenario.ios[0]!.transaction, 'T1');
  assert.deepEqual(ok.scenario.transactions.map((t) => [t.name, t.outcome, t.time, t.line]), [['T1', 'commit', 3, 3]]);
  const bad = parseScenario('driver "a.c"\ntransaction "T1" comit at 3\ntransaction "T1" commit\nio #1 read "\\a" transaction "T1" at 0\n');
  assert.deepEqual(
    bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.column, d.code]),
    [[2, 18, 'unknown-operation'], [3, 18, 'missing-value'], [4, 17, 'option-not-applicable']],
  );
});

test('warnings: an outcome for a transaction no create joins, a transaction ended twice, a program that sends without connecting', () => {
  const r = parseScenario('driver "a.c"\nio #1 create "\\a" transaction "T1" at 0\ntransaction "T1" commit at 3\ntransaction "T1" rollback at 4\ntransaction "T2" commit at 5\nclient "\\P" send "x" at 1\n');
  assert.deepEqual(
    r.diagnostics.map((d) => [d.line, d.severity, d.code]),
    [[4, 'warning', 'duplicate'], [5, 'warning', 'contradiction'], [6, 'warning', 'contradiction']],
  );
});

const outcome = readFileSync(path.join(dir, 'txoutcome.c'), 'utf8');

async function runOutcome(caseNo: number): Promise<World> {
  const files = oneDriver('txoutcome.c', outcome);
  const text = [
    `driver "txoutcome.c"`,
    `define CASE ${caseNo}`,
    'io #1 create "\\Device\\HarddiskVolume1\\a.txt" transaction "T1" at 1',
    'io #2 create "\\Device\\HarddiskVolume1\\b.txt" transaction "T2" at 1',
    'transaction "T1" commit at 2',
    'transaction "T2" rollback at 2',
    'io #3 cleanup "\\Device\\HarddiskVolume1\\a.txt" at 3',
    'io #4 cleanup "\\Device\\HarddiskVolume1\\b.txt" at 4',
    '',
  ].join('\n');
  const world = await runWorld('/t/o.fltsim', text, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

test('ZwQueryInformationTransaction through a handle from ObOpenObjectByPointer: undetermined while active, then committed or aborted', async () => {
  const world = await runOutcome(0);
  assert.deepEqual(world.sim.output, [
    // TransactionStateNormal, TransactionOutcomeUndetermined; the handle closes once (then STATUS_INVALID_HANDLE).
    'major 0: 00000000 length 24 state 1 outcome 1',
    'close 00000000 again c0000008',
    'major 0: 00000000 length 24 state 1 outcome 1',
    'close 00000000 again c0000008',
    // After the commit: TransactionStateCommittedNotify, TransactionOutcomeCommitted; after the rollback: Aborted.
    'major 18: 00000000 length 24 state 3 outcome 2',
    'close 00000000 again c0000008',
    'major 18: 00000000 length 24 state 1 outcome 3',
    'close 00000000 again c0000008',
  ]);
  assert.deepEqual(world.sim.violations, []);
});

test('ZwQueryInformationTransaction with a short buffer is STATUS_INFO_LENGTH_MISMATCH; another class is not modelled', async () => {
  const short = await runOutcome(1);
  assert.equal(short.sim.output[0], 'major 0: c0000004 length 24 state 0 outcome 0');
  assert.deepEqual(short.sim.violations, []);
  const other = await runOutcome(2);
  assert.equal(other.sim.output[0], 'major 0: c0000003 length 0 state 0 outcome 0');
  assert.deepEqual([...new Set(other.sim.violations.map((v) => v.rule))], ['invalid-parameter']);
});
