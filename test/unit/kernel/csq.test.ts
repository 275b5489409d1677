/**
 * Cancel-safe IRP queues (IoCsq*): a control device that parks IOCTLs in an IO_CSQ, removes them by
 * peek and by IO_CSQ_IRP_CONTEXT, and has one cancelled by the scenario. Fixture written for these
 * tests: test/fixtures/csq/csqueue.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, STATUS, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const source = readFileSync(path.resolve('test/fixtures/csq/csqueue.c'), 'utf8');
const DEV = '"\\DosDevices\\CsqRequests"';
const WAIT = 'code 0x222080 length 4';
const SIGNAL = 'code 0x222084 length 4';
const WAIT_CTX = 'code 0x222088 length 4';
const SIGNAL_CTX = 'code 0x22208c length 4';

async function run(caseNo: number, workload: string[]): Promise<World> {
  const files: ProjectFiles = { readFile: (p) => (p === '/t/csqueue.c' ? source : undefined), paths: pathRules('posix') };
  const prepared = await prepareScenarioText('/t/d.fltsim', `driver "csqueue.c"\ndefine CASE ${caseNo}\n${workload.join('\n')}\n`, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  return world;
}

function lineOf(needle: string): number {
  const i = source.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

test('IoCsq: queued IOCTLs are pended; a cancelled one goes through CompleteCanceledIrp; RemoveNext and Remove by context take the others; unload drains', async () => {
  const world = await run(0, [
    `io #1 ioctl ${DEV} ${WAIT} at 1`,
    `io #2 ioctl ${DEV} ${WAIT} at 2`,
    `io #3 ioctl ${DEV} ${WAIT_CTX} at 3`,
    'cancel #1 at 4',
    `io #4 ioctl ${DEV} ${SIGNAL} at 5`,
    `io #5 ioctl ${DEV} ${SIGNAL_CTX} at 6`,
    `io #6 ioctl ${DEV} ${WAIT} at 7`,
    'unload at 9',
  ]);
  assert.equal(world.fault, undefined, world.fault?.message);
  const sim = world.sim;
  assert.deepEqual(sim.output, [
    // IoCsqInsertIrp marks the IRP pending (SL_PENDING_RETURNED in its current stack location).
    'queued 1 pending 1',
    'queued 2 pending 1',
    // The queue records the IRP in the driver's IO_CSQ_IRP_CONTEXT.
    'context irp-set 1',
    // The queue's cancel routine released the cancel spin lock and the queue lock before calling it.
    'complete canceled irql 0 cancel 1',
    'by context 1 cleared 1',
    'queued 1 pending 1',
    'unload cancelled 1 parked 0',
  ]);
  assert.equal(sim.result(1)?.status, STATUS.STATUS_CANCELLED);
  // #2 was queued before #3: IoCsqRemoveNextIrp takes the oldest one that is not being cancelled.
  assert.equal(sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(3)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(4)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(5)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(6)?.status, STATUS.STATUS_CANCELLED);
  assert.deepEqual(sim.violations, []);
});

test('IoCsq: a signal with nothing queued finds nothing; a request cancelled after it was removed is not completed twice', async () => {
  const world = await run(0, [
    `io #1 ioctl ${DEV} ${SIGNAL} at 1`,
    `io #2 ioctl ${DEV} ${WAIT} at 2`,
    `io #3 ioctl ${DEV} ${SIGNAL} at 3`,
    'cancel #2 at 4',
    'unload at 6',
  ]);
  const sim = world.sim;
  assert.equal(sim.result(1)?.status, STATUS.STATUS_NOT_FOUND);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.output.at(-1), 'unload cancelled 0 parked 0');
  assert.deepEqual(sim.violations, []);
});

test('completing an IRP that still sits in the queue is csq-complete-queued at the IoCompleteRequest line', async () => {
  const world = await run(1, [`io #1 ioctl ${DEV} ${WAIT} at 1`, `io #2 ioctl ${DEV} ${SIGNAL} at 2`, 'unload at 5']);
  const v = world.sim.violations;
  assert.equal(v[0]?.rule, 'csq-complete-queued');
  assert.match(v[0]!.message, /IoCompleteRequest for I\/O #1 while it still sits in csq#1/);
  assert.equal(v[0]!.location?.line, lineOf('static NTSTATUS Finish') + 4);
});

test('a CompleteCanceledIrp that does not complete the IRP is csq-cancel-cb; the request stays pended', async () => {
  const world = await run(2, [`io #1 ioctl ${DEV} ${WAIT} at 1`, 'cancel #1 at 2', 'unload at 5']);
  const v = world.sim.violations;
  // The request it left pended is still there when the driver deletes its device.
  assert.deepEqual(v.map((x) => x.rule), ['csq-cancel-cb', 'irp-pending-at-delete']);
  assert.match(v[0]!.message, /CsqCompleteCanceled returned without completing I\/O #1/);
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_PENDING);
});

test('IoCsqInitializeEx: an insert callback that refuses leaves the IRP out of the queue and IoCsqInsertIrpEx returns its status', async () => {
  const world = await run(3, [`io #1 ioctl ${DEV} ${WAIT} at 1`, `io #2 ioctl ${DEV} ${WAIT} at 2`, 'unload at 5']);
  const sim = world.sim;
  assert.deepEqual(sim.output, ['insert ex 00000000 pending 1', 'insert ex 80000011 pending 0', 'unload cancelled 0 parked 0']);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_DEVICE_BUSY);
  assert.equal(sim.result(1)?.status, STATUS.STATUS_CANCELLED);
  assert.deepEqual(sim.violations, []);
});
