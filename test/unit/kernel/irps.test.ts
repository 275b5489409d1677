/**
 * IRPs a driver allocates itself, completion routines, MDLs, and requests a driver parks on its
 * control device (issue 12). Fixtures written for these tests: test/fixtures/irps/ownirp.c (an IRP
 * from IoAllocateIrp with an MDL, sent to the filter's own device) and test/fixtures/irps/queue.c
 * (IOCTLs pended with a cancel routine, completed by a later request or cancelled by the scenario).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, STATUS, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const ownirp = readFileSync(path.resolve('test/fixtures/irps/ownirp.c'), 'utf8');
const queue = readFileSync(path.resolve('test/fixtures/irps/queue.c'), 'utf8');

async function run(file: string, text: string, caseNo: number, workload: string): Promise<World> {
  const files: ProjectFiles = { readFile: (p) => (p === `/t/${file}` ? text : undefined), paths: pathRules('posix') };
  const world = await runWorld('/t/d.fltsim', `driver "${file}"\ndefine CASE ${caseNo}\n${workload}\n`, files);
  return world;
}

const own = (caseNo: number): Promise<World> => run('ownirp.c', ownirp, caseNo, 'unload at 5');

function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

test('an IRP from IoAllocateIrp: the completion routine sees the result, frees MDL and IRP, and STATUS_MORE_PROCESSING_REQUIRED ends completion', async () => {
  const world = await own(0);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, [
    'call 00000000',
    // The routine sits in the IRP's top location (the sender has none of its own): its device is NULL,
    // and it runs in the completer's thread at its IRQL (PASSIVE_LEVEL here).
    'completion 00000000 info 8 pending 0 device-null 1 irql 0',
    // The device wrote through MmGetSystemAddressForMdlSafe; the sender reads its own buffer: one set of bytes.
    'buffer abcdefgh',
    // A paged buffer locked with MmProbeAndLockPages: StartVa + ByteOffset is the buffer again.
    'mdl offset-ok 1 count 32 va-ok 1',
  ]);
  assert.deepEqual(world.sim.violations, []);
});

test('a completion routine run at DISPATCH_LEVEL (the completer holds a spin lock) calling a PASSIVE_LEVEL routine is irql-above-bound at its line', async () => {
  const world = await own(1);
  assert.equal(world.sim.output[1], 'completion 00000000 info 8 pending 0 device-null 1 irql 2');
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['irql-above-bound']);
  assert.match(v[0]!.message, /KeInitializeMutex called at DISPATCH_LEVEL/);
  assert.equal(v[0]!.location?.line, lineOf(ownirp, 'KeInitializeMutex(&Mutex, 0);'));
});

test('a pended IRP: IoCallDriver returns STATUS_PENDING, IoFreeIrp while it is pended is irp-free-in-progress, PendingReturned reaches the completion routine', async () => {
  const world = await own(2);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.equal(world.sim.output[0], 'call 00000103');
  assert.equal(world.sim.output[1], 'completion 00000000 info 8 pending 1 device-null 1 irql 0');
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['irp-free-in-progress']);
  assert.equal(v[0]!.location?.line, lineOf(ownirp, 'IoFreeIrp(irp);', lineOf(ownirp, 'status = IoCallDriver(Device, irp);')));
});

test('an allocated IRP whose completion routine returns STATUS_SUCCESS completes past its top: irp-own-reached-top at the IoCompleteRequest', async () => {
  const world = await own(3);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['irp-own-reached-top']);
  const dispatchStart = lineOf(ownirp, 'NTSTATUS Dispatch(');
  assert.equal(v[0]!.location?.line, lineOf(ownirp, 'IoCompleteRequest(Irp, IO_NO_INCREMENT);', lineOf(ownirp, '#else', dispatchStart)));
});

test('an MDL locked and never unlocked nor freed is mdl-leak at its IoAllocateMdl once the driver unloads', async () => {
  const world = await own(4);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['mdl-leak']);
  assert.match(v[0]!.message, /MDL \(32 bytes\) from IoAllocateMdl in LockPages .* never freed with IoFreeMdl \(and its pages are still locked\)/);
  assert.equal(v[0]!.location?.line, lineOf(ownirp, 'mdl = IoAllocateMdl(buffer, 32, FALSE, FALSE, NULL);'));
});

test('MmProbeAndLockPages over more bytes than the buffer has stops the run at that line', async () => {
  const world = await own(5);
  assert.ok(world.fault, 'the probe should fault');
  assert.equal(world.fault!.kind, 'out-of-bounds');
  assert.match(world.fault!.message, /writes 64 bytes .* 32-byte pool block/);
  assert.equal(world.fault!.line, lineOf(ownirp, 'MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);'));
});

const WAIT = 'code 0x222080 length 4';
const SIGNAL = 'code 0x222084 length 4';
const DEV = '"\\DosDevices\\ParkedRequests"';

test('a control-device request pended with a cancel routine: the scenario cancels one, a later request completes the other', async () => {
  const world = await run('queue.c', queue, 0, [
    `io #1 ioctl ${DEV} ${WAIT} at 1`,
    `io #2 ioctl ${DEV} ${WAIT} at 2`,
    'cancel #1 at 3',
    `io #3 ioctl ${DEV} ${SIGNAL} at 4`,
    'cancel #2 at 5',
    'unload at 8',
  ].join('\n'));
  assert.equal(world.fault, undefined, world.fault?.message);
  const sim = world.sim;
  // The cancel routine runs with the cancel spin lock held (DISPATCH_LEVEL) and Irp->Cancel set.
  assert.deepEqual(sim.output, ['cancel routine irql 2 cancel 1', 'unload cancelled 1 empty 1']);
  assert.equal(sim.result(1)?.status, STATUS.STATUS_CANCELLED);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(3)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(1)?.state, 'done');
  // The second cancel comes after #2 completed: nothing to cancel.
  assert.ok(sim.events.some((e) => e.kind === 'cancel' && /I\/O #2\): it has already completed/.test(e.detail)));
  assert.deepEqual(sim.violations, []);
});

test('a request still parked when the driver deletes its device is irp-pending-at-delete at IoDeleteDevice; until then it is pended', async () => {
  const world = await run('queue.c', queue, 1, [`io #1 ioctl ${DEV} ${WAIT} at 1`, 'unload at 5'].join('\n'));
  const sim = world.sim;
  assert.equal(sim.result(1)?.status, STATUS.STATUS_PENDING);
  assert.equal(sim.result(1)?.state, 'pended');
  assert.deepEqual(sim.violations.map((v) => v.rule), ['irp-pending-at-delete']);
  assert.match(sim.violations[0]!.message, /while request #1 to it is still pended/);
  assert.equal(sim.violations[0]!.location?.line, lineOf(queue, 'IoDeleteDevice(Control);'));
});

test('completing a parked request without clearing its cancel routine is irp-complete-with-cancel-routine', async () => {
  const world = await run('queue.c', queue, 2, [`io #1 ioctl ${DEV} ${WAIT} at 1`, `io #2 ioctl ${DEV} ${SIGNAL} at 2`, 'unload at 5'].join('\n'));
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['irp-complete-with-cancel-routine']);
  assert.match(v[0]!.message, /IoCompleteRequest for I\/O #1 while its cancel routine is still set/);
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_SUCCESS);
});

const related = readFileSync(path.resolve('test/fixtures/irps/related.c'), 'utf8');

for (const readonly of [false, true]) {
  test(`FILE_OBJECT's DeviceObject and Vpb are set as the I/O manager sets them; an IRP sent to IoGetRelatedDeviceObject reaches the disk (${readonly ? 'readonly' : 'writable'} volume)`, async () => {
    const world = await run('related.c', related, 0, [
      `volume "\\Device\\HarddiskVolume1"${readonly ? ' readonly' : ''}`,
      'file "\\Device\\HarddiskVolume1\\a.txt" content "x"',
      'io #1 create "\\Device\\HarddiskVolume1\\a.txt" at 1',
      'unload at 5',
    ].join('\n'));
    assert.equal(world.fault, undefined, world.fault?.message);
    // DeviceObject is the storage device; the VPB's RealDevice is too and its DeviceObject is the file
    // system's volume device (FILE_DEVICE_DISK_FILE_SYSTEM); the related device is the Filter Manager's.
    assert.equal(world.sim.output[0], 'fo device is disk 1, vpb real is disk 1, vpb device type 8, disk vpb same 1, related is fltmgr 1, mounted 1');
    const status = readonly ? 'c00000a2' : '00000000';
    assert.equal(world.sim.output[1], `writable: call ${status} completion ${status}`);
    assert.deepEqual(world.sim.violations, []);
  });
}
