/**
 * What a handle refers to (ZwQueryObject, engine/fltmgr/objectQuery.ts) and a process's own
 * virtual memory (Zw{Allocate,Query,Free}VirtualMemory, engine/kernel/virtualMemory.ts), on a
 * driver written for these tests (test/fixtures/routines/objects.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('objects.c', readFileSync(path.resolve('test/fixtures/routines/objects.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

test('ZwQueryObject and ObQueryNameString name a file, ZwQueryObject types handles; virtual memory is allocated, described, protected and freed in the process; the caller mode and the performance counter', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "objects.c"', `file "${V}\\docs\\a.txt" content "abc"`, `io #1 create "${V}\\trigger.txt" disposition open-if at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const name = `${V}\\docs\\a.txt`;
  const trigger = `${V}\\trigger.txt`;
  assert.deepEqual(w.sim.kernel.output, [
    'entry previous mode 0', // DriverEntry: KernelMode
    // The workload's thread came from user mode; tick 1 is 10,000 counts of a 10 MHz counter.
    'previous mode 1 counter 10000 frequency 10000000 wow64 0000000000000000',
    'suffix 1 0',
    `object name probe 0xC0000004, then 0x00000000`,
    `object name ${trigger}`,
    // UNICODE_STRING (16 bytes) then the characters and a terminator.
    `name probe 0xC0000004 needs ${16 + 2 * name.length + 2}`,
    `name 0x00000000 ${name}`,
    // The type information (104 bytes on x64) then "File" and a terminator.
    `file type File needs ${104 + 10}`,
    'basic 0x00000000 attributes 0x200 handles 1', // OBJ_KERNEL_HANDLE
    `process type Process needs ${104 + 16}`,
    'process name 0x00000000 length 0', // a process has no name
    `token type Token needs ${104 + 12}`,
    'closed 0xC0000008', // STATUS_INVALID_HANDLE
    'copy-on-write 0xC0000045', // STATUS_INVALID_PAGE_PROTECTION for private memory
    'allocate 0x00000000 size 8192 user 1 aligned 1',
    'query 0x00000000 page +4096 allocation base 1 region 4096 state 0x1000 protect 0x4 type 0x20000 returned 48',
    'short 0xC0000004',
    'commit 0x00000000 at +8192 size 4096',
    'protect 0x00000000 old 0x4 at +4096 size 4096', // the page holding the address
    'now protect 0x2',
    'not at base 0xC000009F', // STATUS_FREE_VM_NOT_AT_BASE
    'both types 0xC000000D',
    'free 0x00000000 size 8192',
    'again 0xC00000A0', // STATUS_MEMORY_NOT_ALLOCATED
    'after free 0x00000000 state 0x10000', // MEM_FREE
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
});
