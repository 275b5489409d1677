/**
 * A driver's own system thread that waits for work on an event is idle while the driver stays
 * loaded (never unloaded, or its unload refused): the run ends without a deadlock. Once the driver
 * is gone the same wait can never end, and that is a deadlock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = String.raw`
#include <fltKernel.h>

PFLT_FILTER Filter;
KEVENT Wake;
HANDLE Worker;

VOID WorkerRoutine(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    DbgPrint("worker waits");
    KeWaitForSingleObject(&Wake, Executive, KernelMode, FALSE, NULL);
    DbgPrint("worker woke");
    PsTerminateSystemThread(STATUS_SUCCESS);
}

NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
#if REFUSE
    return STATUS_FLT_DO_NOT_DETACH;
#else
    FltUnregisterFilter(Filter);
    return STATUS_SUCCESS;
#endif
}

const FLT_REGISTRATION Reg = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeEvent(&Wake, NotificationEvent, FALSE);
    status = FltRegisterFilter(DriverObject, &Reg, &Filter);
    if (!NT_SUCCESS(status)) return status;
    status = PsCreateSystemThread(&Worker, THREAD_ALL_ACCESS, NULL, NULL, NULL, WorkerRoutine, NULL);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;

async function run(refuse: boolean, unload: boolean) {
  const lines = ['driver "w.c"', `define REFUSE ${refuse ? 1 : 0}`, 'volume "\\Device\\HarddiskVolume1"', ...(unload ? ['unload at 5'] : []), ''];
  return runWorld('/t/s.fltsim', lines.join('\n'), oneDriver('w.c', DRIVER));
}

test('a loaded driver\'s worker thread waiting on its event at the end is idle, not a deadlock', async () => {
  for (const [refuse, unload] of [[false, false], [true, true]] as const) {
    const w = await run(refuse, unload);
    assert.equal(w.fault, undefined);
    assert.deepEqual(w.sim.kernel.output, ['worker waits']);
    assert.deepEqual(w.sim.violations.map((v) => v.rule), [], `refuse=${refuse} unload=${unload}`);
    assert.deepEqual(w.end(), { kind: 'finished' });
  }
});

test('the same wait after its driver unloaded is a deadlock', async () => {
  const w = await run(false, true);
  // The driver also never closes the thread's handle: a true handle-leak at unload.
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['deadlock', 'handle-leak']);
  assert.match(w.sim.violations[0]!.message, /^System thread 1 \(WorkerRoutine\) is blocked forever waiting for notification event/);
  assert.equal(w.end().kind, 'deadlock');
});
