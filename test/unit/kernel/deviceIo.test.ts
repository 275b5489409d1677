/**
 * Device I/O a filter builds itself (issue 12): the storage stack under a volume, IRPs from
 * IoBuildDeviceIoControlRequest sent with IoCallDriver, the disk's answers, the event and
 * IO_STATUS_BLOCK the I/O manager fills at completion, and the references the device routines hand
 * out. Fixture written for these tests: test/fixtures/devio/diskquery.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/devio/diskquery.c'), 'utf8');

async function run(caseNo: number, volume = 'volume "\\Device\\HarddiskVolume1"'): Promise<World> {
  const files = oneDriver('diskquery.c', driver);
  const world = await runWorld('/t/d.fltsim', `driver "diskquery.c"\ndefine CASE ${caseNo}\n${volume}\nunload at 5\n`, files);
  return world;
}

test('the disk answers IOCTL_DISK_GET_CLUSTER_INFO and IS_WRITABLE through an IRP the filter builds; unknown codes get STATUS_INVALID_DEVICE_REQUEST', async () => {
  const world = await run(0);
  assert.equal(world.fault, undefined, world.fault?.message);
  const out = world.sim.output;
  // FILE_DEVICE_DISK, the volume's sector size, and nothing attached over the disk.
  assert.equal(out[0], 'disk type 7 sector 512 top is disk 1');
  // Completed synchronously: the IRP's status comes back from IoCallDriver, and the I/O manager
  // still copies it into the IO_STATUS_BLOCK, signals the event and copies the output buffer back.
  assert.equal(out[1], 'ioctl 70214: returned 00000000, iosb 00000000/32, event 1');
  assert.equal(out[2], 'cluster info: version 32 flags 0 csv 0 bytes 32');
  assert.equal(out[3], 'ioctl 70214: returned c0000023, iosb c0000023/0, event 1');
  assert.equal(out[4], 'ioctl 70024: returned 00000000, iosb 00000000/0, event 1');
  assert.equal(out[5], 'ioctl 71ddc: returned c0000010, iosb c0000010/0, event 1');
  // The Filter Manager's volume device sits over the file system's (FILE_DEVICE_DISK_FILE_SYSTEM),
  // which is mounted on the disk: three stack locations, and a device control reaches the disk.
  assert.equal(out[6], 'vdo type 8 stack 3, base type 8 stack 2, base is vdo 0');
  assert.equal(out[7], 'ioctl 70214: returned 00000000, iosb 00000000/32, event 1');
  assert.deepEqual(world.sim.violations, []);
});

test('a readonly volume\'s disk says STATUS_MEDIA_WRITE_PROTECTED to IOCTL_DISK_IS_WRITABLE', async () => {
  const world = await run(0, 'volume "\\Device\\HarddiskVolume1" readonly');
  assert.equal(world.sim.output[4], 'ioctl 70024: returned c00000a2, iosb c00000a2/0, event 1');
});

test('dropping a device reference twice is ob-over-release at the second ObDereferenceObject', async () => {
  const world = await run(1);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['ob-over-release']);
  assert.match(v[0]!.message, /ObDereferenceObject on device \\Device\\HarddiskVolume1 of disk/);
  assert.equal(v[0]!.location?.line, driver.split('\n').findIndex((l) => l.includes('#if CASE == 1')) + 2);
});

test('a reference from IoGetAttachedDeviceReference never dropped is ob-ref-leak at the line that took it', async () => {
  const world = await run(2);
  const v = world.sim.violations;
  assert.deepEqual(v.map((x) => x.rule), ['ob-ref-leak']);
  // Nothing is attached over the disk, so both references are on the same device and the one
  // ObDereferenceObject gives back is the newest: the leak is reported at FltGetDiskDeviceObject's line.
  assert.match(v[0]!.message, /reference to device \\Device\\HarddiskVolume1 of disk from FltGetDiskDeviceObject in Setup is never given back/);
  assert.equal(v[0]!.location?.line, driver.split('\n').findIndex((l) => l.includes('status = FltGetDiskDeviceObject(FltObjects->Volume, &disk)')) + 1);
});

test('reading the IRP after IoCallDriver returned is a use after free: the I/O manager freed it at completion', async () => {
  const world = await run(3);
  assert.ok(world.fault, 'the run should stop at the read of the freed IRP');
  assert.match(world.fault!.message, /freed/);
  assert.equal(world.fault!.kind, 'use-after-free');
  assert.equal(world.fault!.line, driver.split('\n').findIndex((l) => l.includes('after the call the IRP says')) + 1);
});

const own = readFileSync(path.resolve('test/fixtures/devio/owndevice.c'), 'utf8');

async function runOwn(caseNo: number): Promise<World> {
  const files = oneDriver('owndevice.c', own);
  const world = await runWorld('/t/o.fltsim', `driver "owndevice.c"\ndefine CASE ${caseNo}\nunload at 5\n`, files);
  return world;
}

test('IoCallDriver to the filter\'s own device runs its C dispatch routine: METHOD_BUFFERED copies in and back, METHOD_NEITHER passes the caller\'s buffers', async () => {
  const world = await runOwn(0);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, [
    'dispatch major 14 code 222004 in 4 out 4 mine 1',
    'code 222004: 00000000 out 42 in 21 info 4',
    'dispatch major 14 code 22200b in 4 out 4 mine 1',
    'code 22200b: 00000000 out 42 in 41 info 4',
    'dispatch major 14 code 22200c in 4 out 4 mine 1',
    'code 22200c: c0000010 out 0 in 1 info 0',
  ]);
  assert.deepEqual(world.sim.violations, []);
});

test('completing the same IRP twice is complete-twice at the second IoCompleteRequest', async () => {
  const world = await runOwn(1);
  const v = world.sim.violations;
  assert.deepEqual([...new Set(v.map((x) => x.rule))], ['complete-twice']);
  assert.equal(v[0]!.location?.line, own.split('\n').findIndex((l) => l.includes('#if CASE == 1')) + 2);
});
