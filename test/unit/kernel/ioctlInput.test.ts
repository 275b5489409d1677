/**
 * A control request's input bytes and output length written in the scenario (`input …`, `output N`)
 * reach the driver where Windows puts them for each transfer method (engine/kernel/devices.ts for a
 * control device, engine/fltmgr/structs.ts for the Filter Manager's parameters), on a fixture
 * written for these tests (test/fixtures/devio/ioctlinput.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS } from '../../../engine';
import { oneDriver, runWorld } from '../worldRun';

const files = oneDriver('ioctlinput.c', readFileSync(path.resolve('test/fixtures/devio/ioctlinput.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';
const REQUEST = (command: number, flags: number, name: string) => `ulong ${command} ushort ${flags} zeros 2 wide "${name}"`;

test('input bytes and output lengths reach a control device and a filter as each transfer method places them', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "ioctlinput.c"',
    `file "${V}\\a.txt" content "x"`,
    'io #1 create "\\DosDevices\\InputCdo" at 1',
    `io #2 ioctl "\\DosDevices\\InputCdo" code 0x222000 input ${REQUEST(7, 3, 'abcd')} output 8 at 2`,
    `io #3 ioctl "\\DosDevices\\InputCdo" code 0x222006 input ${REQUEST(8, 1, 'efgh')} output 4 at 3`,
    `io #4 ioctl "\\DosDevices\\InputCdo" code 0x22200B input ${REQUEST(9, 2, 'ijkl')} output 4 at 4`,
    'io #5 ioctl "\\DosDevices\\InputCdo" code 0x222000 input uchar 1 at 5',
    `io #6 fsctl "${V}\\a.txt" code 0x900C0 input hex "44 33 22 11" output 16 at 6`,
    `io #7 ioctl "${V}\\a.txt" code 0x22200B input ulonglong 0x1122334455667788 output 4 at 7`,
    `io #8 ioctl "${V}\\a.txt" code 0x222000 length 8 at 8`,
    'unload at 10',
  ].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    // sizeof(REQUEST) = 4 + 2 + 2 + 8
    'cdo: in 16 out 8',
    'buffered: command 7 flags 3 name abcd',
    'cdo: in 16 out 4',
    'direct: command 8 flags 1 name efgh',
    'cdo: in 16 out 4',
    'neither: command 9 flags 2 name ijkl',
    'cdo: in 1 out 0', // no output buffer unless `output` gives one
    'buffered: 1 bytes, too short',
    // METHOD_BUFFERED: one system buffer holds the input and receives the output.
    'pre 13: code 0x900c0 in 4 out 16 first 0x11223344 system 1 same 1',
    // METHOD_NEITHER from user mode: the program's own buffers, probed; the low ULONG first.
    'pre 14: code 0x22200b in 8 out 4 first 0x55667788 system 0 same 0',
    // `length` alone: both buffers that long, the input zeros.
    'pre 14: code 0x222000 in 8 out 8 first 0x0 system 1 same 1',
  ]);
  for (const id of [2, 3, 4]) assert.equal(w.sim.result(id)?.status, STATUS.STATUS_SUCCESS, `#${id}`);
  assert.deepEqual([2, 3, 4, 5].map((id) => w.sim.result(id)?.information), [4, 4, 4, 0]);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
});
