/**
 * The run-time helpers a name-changing filter calls: RtlIsNameLegalDOS8Dot3, RtlUpcaseUnicodeString,
 * the ntintsafe additions and subtractions, and the cancel spin lock (fixture
 * test/fixtures/names/rtl.c); and the 8.3 rules themselves (engine/kernel/dos83.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { World } from '../../../engine/run/world';
import { checkDos83, generateShortName } from '../../../engine/kernel/dos83';
import { oneDriver, runWorld } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/names/rtl.c'), 'utf8');
const files = oneDriver('rtl.c', source);

async function run(extra: string[] = []): Promise<World> {
  const world = await runWorld('/t/s.fltsim', ['driver "rtl.c"', ...extra].join('\n'), files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

test('RtlIsNameLegalDOS8Dot3, RtlUpcaseUnicodeString, ntintsafe and the cancel spin lock answer as documented', async () => {
  const w = await run();
  assert.deepEqual(w.sim.kernel.output, [
    '8.3 "README.TXT" legal=1 spaces=0',
    '8.3 "readme.txt" legal=1 spaces=0',
    '8.3 "A B.C" legal=1 spaces=1',
    '8.3 "LONGNAME1.TXT" legal=0 spaces=0',
    '8.3 "A.B.C" legal=0 spaces=0',
    '8.3 "NAME.TEXT" legal=0 spaces=0',
    '8.3 "BAD+CHAR" legal=0 spaces=0',
    '8.3 "TRAIL." legal=0 spaces=0',
    '8.3 ".." legal=1 spaces=0',
    'upcase small 0x80000005',
    'upcase 0x00000000 MIXED.TXT 18',
    'freed 0 1',
    'add overflow 0xC0000095 0xFFFFFFFF',
    'add 0x00000000 0xFFFFFFF0',
    'sub overflow 0xC0000095 0xFFFFFFFF',
    'sub 0x00000000 2',
    'ushort 0xC0000095 0xFFFF',
    'size_t 0x00000000 1',
    'size_t overflow 0xC0000095',
    'cancel lock at 2 from 0',
    'after release 0',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('releasing the cancel spin lock with another IRQL than it saved is spinlock-release-irql', async () => {
  const w = await run(['define CASE 2']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['spinlock-release-irql']);
  assert.match(w.sim.violations[0]!.message, /IoReleaseCancelSpinLock restores DISPATCH_LEVEL, but IoAcquireCancelSpinLock saved PASSIVE_LEVEL/);
});

test('short names: 8.3 names keep their own, long ones get ~1 to ~4, then a hashed form, never colliding in the folder', () => {
  assert.deepEqual(checkDos83('My File.txt'), { legal: true, spaces: true });
  assert.deepEqual(checkDos83('My Long File.txt'), { legal: false, spaces: true });
  const folder: string[] = [];
  const give = (long: string) => {
    const short = generateShortName(long, (upper) => folder.some((n) => n.toUpperCase() === upper));
    folder.push(long, ...(short ? [short] : []));
    return short;
  };
  assert.equal(give('notes.txt'), undefined);
  assert.deepEqual(['Quarterly Report.docx', 'Quarterly Review.docx', 'Quarterly Results.docx', 'Quarterly Rates.docx'].map(give), ['QUARTE~1.DOC', 'QUARTE~2.DOC', 'QUARTE~3.DOC', 'QUARTE~4.DOC']);
  const fifth = give('Quarterly Risks.docx');
  assert.match(fifth ?? '', /^QU[0-9A-F]{4}~1\.DOC$/);
  assert.equal(give('.hidden'), 'HIDDEN~1');
  // a long name may not take a short name another file already has as its long name
  const taken = ['LETTER~1.TXT'];
  assert.equal(generateShortName('Letter to Bob.txt', (u) => taken.includes(u)), 'LETTER~2.TXT');
});

const CREATE = String.raw`
#include <fltKernel.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING made;
    UNICODE_STRING expected = RTL_CONSTANT_STRING(L"\\Device\\HarddiskVolume1\\1.txt");
    WCHAR buffer[64] = L"\\Device\\HarddiskVolume1";
    BOOLEAN ok;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    RtlStringCchCatW(buffer, 64, L"\\1.txt");
    ok = RtlCreateUnicodeString(&made, buffer);
    buffer[0] = L'X';
    DbgPrint("created %d %u %u equal=%d last=%d", ok, made.Length, made.MaximumLength,
             RtlEqualUnicodeString(&made, &expected, FALSE), made.Buffer[made.Length / sizeof(WCHAR)]);
    RtlFreeUnicodeString(&made);
    DbgPrint("freed %u %d", made.Length, made.Buffer == NULL);
    return STATUS_UNSUCCESSFUL;
}
`;

test('RtlCreateUnicodeString copies a NUL-terminated string into a buffer of its own that RtlFreeUnicodeString frees', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "c.c"\n', oneDriver('c.c', CREATE));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  // 29 characters: Length 58, MaximumLength 60 with the terminator; the copy does not follow the source.
  assert.deepEqual(w.sim.kernel.output, ['created 1 58 60 equal=1 last=0', 'freed 0 1']);
});

const OWN_BUFFER = `#include <fltKernel.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {
    UNICODE_STRING own;
    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);
    own.MaximumLength = 16;
    own.Length = 0;
    own.Buffer = (PWCH)ExAllocatePoolWithTag(NonPagedPool, own.MaximumLength, 'nwoX');
    RtlAppendUnicodeToString(&own, L"abc");
    RtlFreeUnicodeString(&own);
    DbgPrint("after %u %d", own.Length, own.Buffer == NULL);
    return STATUS_UNSUCCESSFUL;
}
`;

test('RtlFreeUnicodeString of the driver\'s own pool buffer breaks its contract once, and frees the block as Windows does (no leak after)', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "o.c"\n', oneDriver('o.c', OWN_BUFFER));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['bad-object']);
  assert.deepEqual(w.sim.kernel.output, ['after 0 1']);
});
