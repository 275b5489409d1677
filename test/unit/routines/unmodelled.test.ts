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

test('WFP and TDI types are reported as network stacks fltsim does not model, at their lines', async () => {
  const src = `#include <fltKernel.h>
static FWPS_CALLOUT Callout;
static PTDI_REQUEST_KERNEL Request;
static TRANSPORT_ADDRESS Address;
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r); return STATUS_SUCCESS; }
`;
  const p = await prepareScenarioText('/t/s.fltsim', 'driver "net.c"', oneDriver('net.c', src));
  assert.equal(p.ok, false);
  const found = p.ok ? [] : p.diagnostics.map((x) => `${x.line}: ${x.message}`);
  assert.ok(found.some((m) => /^2: unknown type name 'FWPS_CALLOUT': it belongs to the Windows Filtering Platform/.test(m)), found.join('\n'));
  assert.ok(found.some((m) => /^3: unknown type name 'PTDI_REQUEST_KERNEL': it belongs to the Transport Driver Interface/.test(m)), found.join('\n'));
  assert.ok(found.some((m) => /^4: unknown type name 'TRANSPORT_ADDRESS': it belongs to the Transport Driver Interface/.test(m)), found.join('\n'));
});

test('the WFP and TDI headers are found, so the first WFP name is what stops the driver, with the reason', async () => {
  const src = `#include <ntddk.h>
#include "Fwpsk.h"
#include <fwpmk.h>
#include <tdikrnl.h>
static FWPM_FILTER Filter;
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r); return STATUS_SUCCESS; }
`;
  const p = await prepareScenarioText('/t/s.fltsim', 'driver "wfp.c"', oneDriver('wfp.c', src));
  assert.equal(p.ok, false);
  const found = p.ok ? [] : p.diagnostics.map((x) => `${x.line}: ${x.message}`);
  assert.ok(found.every((m) => !m.includes('cannot find include file')), found.join('\n'));
  assert.ok(found.some((m) => /^5: unknown type name 'FWPM_FILTER': it belongs to the Windows Filtering Platform/.test(m)), found.join('\n'));
});
