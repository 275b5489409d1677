// In-memory scenarios for the Debuggee tests: a small filter that counts reads, passes the count
// through a helper, pends each read and completes it from a generic work item; and a driver whose
// DriverEntry never returns.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Debuggee, prepareScenarioText, type DebuggeeOptions, type ProjectFiles, type Progress, type Stop } from '../../../engine';

export const DIR = path.resolve('/fltsim-test/debuggee');
export const TALLY_C = path.join(DIR, 'tally.c');
export const SPIN_C = path.join(DIR, 'spin.c');

export const TALLY = `#include <fltKernel.h>

PFLT_FILTER Filter;
LONG Seen;
KSPIN_LOCK Lock;

FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);
VOID Worker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, 0, PreRead, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, NULL,
};

LONG Twice(LONG value)
{
    LONG doubled = value * 2;

    return doubled;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeSpinLock(&Lock);
    status = FltRegisterFilter(DriverObject, &Registration, &Filter);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    return FltStartFiltering(Filter);
}

FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    LONG n;
    PFLT_GENERIC_WORKITEM item;
    *CompletionContext = NULL;
    n = InterlockedIncrement(&Seen);
    n = Twice(n);
    DbgPrint("tally: read %d\\n", n);
    item = FltAllocateGenericWorkItem();
    if (item == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    FltQueueGenericWorkItem(item, FltObjects->Instance, Worker, DelayedWorkQueue, Data);
    return FLT_PREOP_PENDING;
}

VOID Worker(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context)
{
    PFLT_CALLBACK_DATA data = (PFLT_CALLBACK_DATA)Context;
    UNREFERENCED_PARAMETER(FltObject);
#ifdef LOCKED
    KIRQL old;
    KeAcquireSpinLock(&Lock, &old);
    FltCompletePendedPreOperation(data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
    KeReleaseSpinLock(&Lock, old);
#else
    FltCompletePendedPreOperation(data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
#endif
    FltFreeGenericWorkItem(WorkItem);
}
`;

export const SPIN = `#include <fltKernel.h>

volatile LONG Counter;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    for (;;) {
        Counter++;
    }
    return STATUS_SUCCESS;
}
`;

export const NULL_DEREF = `#include <fltKernel.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PULONG p = NULL;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    *p = 1;
    return STATUS_SUCCESS;
}
`;

const READS = [
  'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 512 at 0',
  'io #2 read "\\Device\\HarddiskVolume1\\b.txt" length 512 at 1',
  'expect #1 status STATUS_SUCCESS',
  'expect #2 status STATUS_SUCCESS',
  'expect calls Worker 2',
].join('\n');

const files: Record<string, string> = {
  [TALLY_C]: TALLY,
  [SPIN_C]: SPIN,
  [path.join(DIR, 'null.c')]: NULL_DEREF,
};

/** The fixture drivers, plus any other files (a scenario, say), as the engine reads files. */
export function memoryFiles(extra: Record<string, string> = {}): ProjectFiles {
  const all = { ...files, ...extra };
  return { readFile: (p) => all[p] };
}

const host = memoryFiles();

export interface Session {
  debuggee: Debuggee;
  output: { text: string; category: string }[];
}

/** A Debuggee for a scenario text whose drivers are the files above. */
export async function open(scenario: string, options: DebuggeeOptions = {}): Promise<Session> {
  const prepared = await prepareScenarioText(path.join(DIR, 'test.fltsim'), scenario, host);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  const output: Session['output'] = [];
  const debuggee = new Debuggee(prepared.prepared, { ...options, output: (text, category) => output.push({ text, category }) });
  return { debuggee, output };
}

export const tallyScenario = (extra = ''): string => `driver "tally.c"\n${extra}\n${READS}\n`;

/** 1-based line of the first line of `source` containing `text` (after the line containing `after`). */
export function lineOf(source: string, text: string, after?: string): number {
  const lines = source.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= from && l.includes(text));
  assert.ok(i >= 0 && from >= 0, `'${text}' in the fixture`);
  return i + 1;
}

export function stopped(p: Progress): Stop {
  assert.equal(p.kind, 'stopped', `expected a stop, got ${JSON.stringify(p)}`);
  return (p as { kind: 'stopped'; stop: Stop }).stop;
}

/** The innermost frame of the stopped thread. */
export function top(d: Debuggee, stop: Stop): { name: string; line: number | undefined; index: number } {
  const [f] = d.frames(stop.threadId);
  assert.ok(f, `thread ${stop.threadId} has frames`);
  return { name: f.name, line: f.source?.line, index: f.index };
}

/** Scope name → row name → value, for the innermost frame of the stopped thread. */
export function scopeRows(d: Debuggee, stop: Stop): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of d.scopes(stop.threadId, top(d, stop).index)) out.set(s.name, new Map(d.variables(s.handle).map((v) => [v.name, v.value])));
  return out;
}

/**
 * A driver split over a C file and a header it includes as `..\Inc\Util.H`, named by its scenario
 * as `..\src\tally.c`: on disk they are `Src/Tally.c` and `Inc/util.h` (path tests, both flavors).
 */
export const PATHS_MAIN = `#include <fltKernel.h>
#include "..\\Inc\\Util.H"

PFLT_FILTER Filter;
LONG Seen;

FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext);

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_READ, 0, PreRead, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, NULL,
};

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &Registration, &Filter);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    return FltStartFiltering(Filter);
}

FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    LONG n;
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    n = Twice(InterlockedIncrement(&Seen));
    DbgPrint("tally: %d\\n", n);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
`;

export const PATHS_UTIL = `static LONG Twice(LONG value)
{
    LONG doubled = value * 2;
    return doubled;
}
`;

export const PATHS_SCENARIO = 'driver "..\\src\\tally.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect #1 status STATUS_SUCCESS\n';
