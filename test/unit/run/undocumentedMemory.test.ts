/**
 * Undocumented kernel memory that real drivers read or write: a PEPROCESS points at bytes C can
 * read (engine/kernel/processMemory.ts), so the old idiom of finding the image name's offset in the
 * System process's EPROCESS works (test/fixtures/processes/nameoffset.c, written for this test)
 * while writing an EPROCESS is an error; DriverObject->DriverSection is the driver's own loader
 * entry, zeroed memory it may set flags in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { EPROCESS_IMAGE_FILE_NAME } from '../../../engine/kernel/processMemory';
import { World } from '../../../engine/run/world';

const sources: Record<string, string> = { '/t/nameoffset.c': readFileSync(path.resolve('test/fixtures/processes/nameoffset.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const text = ['driver "nameoffset.c"', `file "${V}\\a.txt" content "x"`, 'process "notepad.exe" pid 1200', 'process "blocked.exe" pid 1300', ...lines].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', text, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  return world;
}

test('the image name found by searching the System EPROCESS is read at that offset for each process', async () => {
  const w = await run([`io #1 create "${V}\\a.txt" process "notepad.exe" at 1`, `io #2 create "${V}\\a.txt" process "blocked.exe" at 2`, 'unload at 10']);
  assert.equal(w.fault, undefined);
  const out = w.sim.kernel.output;
  assert.equal(out[0], `name at ${EPROCESS_IMAGE_FILE_NAME}`);
  assert.ok(out.includes('open by notepad.exe pid 1200'), out.join('\n'));
  assert.ok(out.includes('open by blocked.exe pid 1300'), out.join('\n'));
  assert.deepEqual(w.facts().ios.map((io) => io.status), [0, 0xc0000022]);
});

test('writing into an EPROCESS stops the run at the write, naming the process', async () => {
  const text = ['driver "nameoffset.c"', 'define WRITE_EPROCESS', 'unload at 10'].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', text, files);
  assert.ok(prepared.ok);
  const w = new World(prepared.prepared, {});
  w.run();
  assert.equal(w.fault?.kind, 'read-only');
  assert.match(w.fault?.message ?? '', /EPROCESS of System \(pid 4\).*read-only/);
});

test('DriverObject->DriverSection is the driver\'s own loader entry: a flag set in it reads back', async () => {
  const src = [
    '#include <fltKernel.h>',
    'typedef struct _MY_LDR { LIST_ENTRY InLoadOrderLinks; PVOID ExceptionTable; ULONG ExceptionTableSize; PVOID GpValue; PVOID NonPagedDebugInfo;',
    '  PVOID DllBase; PVOID EntryPoint; ULONG SizeOfImage; UNICODE_STRING FullDllName; UNICODE_STRING BaseDllName; ULONG Flags; } MY_LDR;',
    'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {',
    '  MY_LDR *ldr = (MY_LDR *)DriverObject->DriverSection;',
    '  UNREFERENCED_PARAMETER(RegistryPath);',
    '  ldr->Flags |= 0x20;',
    '  DbgPrint("flags %x", ldr->Flags);',
    '  return STATUS_SUCCESS;',
    '}',
  ].join('\n');
  const own: ProjectFiles = { readFile: (p) => (p === '/t/ldr.c' ? src : undefined), paths: pathRules('posix') };
  const prepared = await prepareScenarioText('/t/s.fltsim', 'driver "ldr.c"\n', own);
  assert.ok(prepared.ok);
  const w = new World(prepared.prepared, {});
  w.run();
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.kernel.output.map((l) => l.trim()), ['flags 20']);
});
