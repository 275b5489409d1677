/**
 * Families fltsim leaves out on purpose (engine/api/unmodelled.ts): a driver using Winsock Kernel
 * hears that networking is not modelled and what to do, at the type or the call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareScenarioText } from '../../../engine/run/prepare';
import { oneDriver, runWorld } from '../worldRun';

const TYPES = `#include <fltKernel.h>
#include <wsk.h>
static PWSK_SOCKET Socket;
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r); return Socket == NULL ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL; }
`;

const CALL = `#include <fltKernel.h>
NTSTATUS WskRegister(PVOID Client, PVOID Registration);
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {
    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);
    return WskRegister(NULL, NULL);
}
`;

test('a WSK type is reported as networking fltsim does not model, at its line', async () => {
  const p = await prepareScenarioText('/t/s.fltsim', 'driver "wsk.c"', oneDriver('wsk.c', TYPES));
  assert.equal(p.ok, false);
  const d = p.ok ? undefined : p.diagnostics.find((x) => x.message.includes('PWSK_SOCKET'));
  assert.ok(d, p.ok ? '' : p.diagnostics.map((x) => x.message).join('\n'));
  assert.match(d.message, /unknown type name 'PWSK_SOCKET': it belongs to Winsock Kernel \(WSK\) networking, which fltsim does not model/);
});

test('a WSK call stops the run at its line with the same reason', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "call.c"', oneDriver('call.c', CALL));
  assert.equal(w.fault?.kind, 'not-modelled');
  assert.match(w.fault!.message, /'WskRegister' is not modelled: it belongs to Winsock Kernel \(WSK\) networking/);
  assert.equal(w.fault?.line, 5);
});
