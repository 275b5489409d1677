/**
 * One home per prototype in the built-in headers: a routine declared in two area headers is two
 * places to keep in step (last session the safe string routines were in both fltsim_rtl.h and
 * fltsim_ntstrsafe.h). And the header that owns a family is reached from every WDK header a driver
 * may include alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preludeHeaders } from '../../../engine/c/prelude';
import { oneDriver, runWorld } from '../worldRun';

/** Prototypes declared in more than one built-in header on purpose: none today. */
const DELIBERATE = new Set<string>([]);

/** A top-level function prototype on one line (every one in the prelude is): its name. */
const PROTOTYPE = /^(?!typedef\b|return\b|if\b|else\b)[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*;\s*$/;

test('no routine is declared in two built-in headers (or twice in one)', () => {
  const homes = new Map<string, string[]>();
  for (const [header, text] of preludeHeaders()) {
    // The WDK names (wdm.h, fltkernel.h…) only include the fltsim_ area headers, which hold the text.
    if (!header.startsWith('fltsim_')) continue;
    for (const line of text.split('\n')) {
      const m = PROTOTYPE.exec(line);
      if (!m) continue;
      const list = homes.get(m[1]!) ?? [];
      list.push(header);
      homes.set(m[1]!, list);
    }
  }
  // The pattern must see the prelude's prototypes, or the check below proves nothing.
  assert.ok(homes.size > 600, `${homes.size} prototypes found`);
  for (const name of ['RtlStringCbVPrintfW', 'RtlUnicodeStringInit', 'FltRegisterFilter', 'StringCbPrintfW']) assert.ok(homes.has(name), name);
  const twice = [...homes].filter(([name, where]) => where.length > 1 && !DELIBERATE.has(name)).map(([name, where]) => `${name}: ${where.join(', ')}`);
  assert.deepEqual(twice, []);
  assert.deepEqual(homes.get('RtlStringCchVPrintfA'), ['fltsim_ntstrsafe.h']);
});

const driver = (header: string): string => `#include <${header}>
static NTSTATUS Format(PWSTR buffer, SIZE_T bytes, PCWSTR format, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, format);
    status = RtlStringCbVPrintfW(buffer, bytes, format, args);
    va_end(args);
    return status;
}
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    WCHAR text[32];
    UNICODE_STRING name;
    NTSTATUS status = Format(text, sizeof(text), L"%ws-%d", L"abc", 42);
    if (NT_SUCCESS(status)) status = RtlUnicodeStringInit(&name, text);
    DbgPrint("%wZ %d\\n", &name, name.Length);
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return status;
}
`;

for (const header of ['ntstrsafe.h', 'wdm.h', 'ntddk.h', 'ntifs.h', 'fltKernel.h', 'strsafe.h']) {
  test(`a driver that includes only <${header}> calls the safe string routines, the va_list forms too`, async () => {
    const world = await runWorld('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', driver(header)));
    assert.equal(world.fault, undefined, world.fault?.message);
    assert.deepEqual(world.sim.output, ['abc-42 12']);
  });
}
