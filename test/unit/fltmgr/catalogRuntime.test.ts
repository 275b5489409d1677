// Runtime checks of catalog rules (flt-rules.md) that had no test: each one triggered by a small
// driver of our own run under a scenario, and a near miss that must stay quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

/** A minifilter whose registration names `ops` and, optionally, a context table and an unload routine. */
function driver(body: string, ops: string, opts: { contexts?: string; unload?: string; setup?: string; teardown?: string } = {}): string {
  return `#include <fltKernel.h>
PFLT_FILTER gFilter;
${body}
CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
${ops}
    { IRP_MJ_OPERATION_END }
};
${opts.contexts ? `CONST FLT_CONTEXT_REGISTRATION Contexts[] = {\n${opts.contexts}\n    { FLT_CONTEXT_END }\n};` : ''}
NTSTATUS DefaultUnload(FLT_FILTER_UNLOAD_FLAGS Flags) {
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}
CONST FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, ${opts.contexts ? 'Contexts' : 'NULL'}, Callbacks, ${opts.unload ?? 'DefaultUnload'},
    ${opts.setup ?? 'NULL'}, NULL, ${opts.teardown ?? 'NULL'}, NULL, NULL, NULL, NULL
};
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &Registration, &gFilter);
    if (!NT_SUCCESS(status)) return status;
    status = FltStartFiltering(gFilter);
    if (!NT_SUCCESS(status)) FltUnregisterFilter(gFilter);
    return status;
}
`;
}

async function run(c: string, scenario: string) {
  const world = await runWorld('/t/f.fltsim', `driver "f.c"\n${scenario}`, oneDriver('f.c', c));
  assert.equal(world.fault, undefined, world.fault?.message);
  return world.sim.violations;
}

const ids = (vs: readonly { rule: string }[]) => vs.map((v) => v.rule);

// ---- unload-refuse-mandatory -------------------------------------------------------------

const REFUSING_UNLOAD = (unregisterFirst: boolean) => `
NTSTATUS RefusingUnload(FLT_FILTER_UNLOAD_FLAGS Flags) {
    UNREFERENCED_PARAMETER(Flags);
    ${unregisterFirst ? 'FltUnregisterFilter(gFilter);' : ''}
    return STATUS_FLT_DO_NOT_DETACH;
}`;

test('an unload routine that unregisters and then refuses is reported (unload-refuse-mandatory)', async () => {
  const vs = await run(driver(REFUSING_UNLOAD(true), '', { unload: 'RefusingUnload' }), 'unload at 1\n');
  assert.deepEqual(ids(vs), ['unload-refuse-mandatory']);
  assert.match(vs[0].message, /RefusingUnload returned STATUS_FLT_DO_NOT_DETACH .*after calling FltUnregisterFilter/);
});

test('refusing an unload before unregistering is allowed: the filter stays loaded', async () => {
  const vs = await run(driver(REFUSING_UNLOAD(false), '', { unload: 'RefusingUnload' }), 'unload at 1\n');
  assert.deepEqual(ids(vs), []);
});

// ---- ctx-delete-rules, ctx-release-paged-dispatch ------------------------------------------

const STREAM_CTX = `
typedef struct _SCTX { ULONG Opens; } SCTX, *PSCTX;
KSPIN_LOCK gLock;
FLT_POSTOP_CALLBACK_STATUS PostCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags) {
    PSCTX ctx = NULL;
    PSCTX found = NULL;
    KIRQL old = PASSIVE_LEVEL;
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    UNREFERENCED_PARAMETER(old);
    UNREFERENCED_PARAMETER(found);
    if (!NT_SUCCESS(Data->IoStatus.Status)) return FLT_POSTOP_FINISHED_PROCESSING;
    KeInitializeSpinLock(&gLock);
    if (!NT_SUCCESS(FltAllocateContext(gFilter, FLT_STREAM_CONTEXT, sizeof(SCTX), POOL, (PFLT_CONTEXT *)&ctx))) return FLT_POSTOP_FINISHED_PROCESSING;
    ctx->Opens = 1;
    (VOID)FltSetStreamContext(FltObjects->Instance, FltObjects->FileObject, FLT_SET_CONTEXT_KEEP_IF_EXISTS, ctx, NULL);
    BODY
    return FLT_POSTOP_FINISHED_PROCESSING;
}`;

function streamCtxDriver(pool: string, body: string): string {
  return driver(STREAM_CTX.replace('POOL', pool).replace('BODY', body), '    { IRP_MJ_CREATE, 0, NULL, PostCreate },', { contexts: "    { FLT_STREAM_CONTEXT, 0, NULL, sizeof(SCTX), 'xtcS' }," });
}

const CREATE = 'io #1 create "\\Device\\HarddiskVolume1\\a.txt" at 0\nunload at 5\n';

test('deleting a context after the last own reference was released is reported (ctx-delete-rules)', async () => {
  const vs = await run(streamCtxDriver('NonPagedPoolNx', 'FltReleaseContext(ctx);\n    FltDeleteContext(ctx);'), CREATE);
  assert.deepEqual(ids(vs), ['ctx-delete-rules']);
  assert.match(vs[0].message, /without holding a reference/);
});

test('deleting a context while holding a reference, then releasing it, is clean', async () => {
  const vs = await run(streamCtxDriver('NonPagedPoolNx', 'FltDeleteContext(ctx);\n    FltReleaseContext(ctx);'), CREATE);
  assert.deepEqual(ids(vs), []);
});

test('FltDeleteContext on a section context is reported (ctx-delete-rules): those go away with FltCloseSectionForDataScan', async () => {
  const c = driver(`
FLT_POSTOP_CALLBACK_STATUS PostCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags) {
    PFLT_CONTEXT section = NULL;
    UNREFERENCED_PARAMETER(FltObjects); UNREFERENCED_PARAMETER(CompletionContext); UNREFERENCED_PARAMETER(Flags);
    if (!NT_SUCCESS(Data->IoStatus.Status)) return FLT_POSTOP_FINISHED_PROCESSING;
    if (!NT_SUCCESS(FltAllocateContext(gFilter, FLT_SECTION_CONTEXT, 16, NonPagedPoolNx, &section))) return FLT_POSTOP_FINISHED_PROCESSING;
    FltDeleteContext(section);
    FltReleaseContext(section);
    return FLT_POSTOP_FINISHED_PROCESSING;
}`, '    { IRP_MJ_CREATE, 0, NULL, PostCreate },', { contexts: "    { FLT_SECTION_CONTEXT, 0, NULL, 16, 'xtcS' }," });
  const vs = await run(c, CREATE);
  assert.deepEqual(ids(vs), ['ctx-delete-rules']);
  assert.match(vs[0].message, /section context/);
});

test('a paged context released under a spin lock is reported; released at PASSIVE_LEVEL it is not (ctx-release-paged-dispatch)', async () => {
  const underLock = 'KeAcquireSpinLock(&gLock, &old);\n    FltReleaseContext(ctx);\n    KeReleaseSpinLock(&gLock, old);';
  const paged = await run(streamCtxDriver('PagedPool', underLock), CREATE);
  assert.deepEqual(ids(paged), ['ctx-release-paged-dispatch']);
  assert.match(paged[0].message, /DISPATCH_LEVEL/);
  assert.deepEqual(ids(await run(streamCtxDriver('NonPagedPoolNx', underLock), CREATE)), []);
  assert.deepEqual(ids(await run(streamCtxDriver('PagedPool', 'FltReleaseContext(ctx);'), CREATE)), []);
});

// ---- lock-user-buffer ----------------------------------------------------------------------

function lockingDriver(major: string, body: string): string {
  return driver(`
KSPIN_LOCK gLock;
FLT_PREOP_CALLBACK_STATUS PreOp(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext) {
    NTSTATUS status = STATUS_SUCCESS;
    KIRQL old = PASSIVE_LEVEL;
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(old);
    *CompletionContext = NULL;
    KeInitializeSpinLock(&gLock);
    ${body}
    UNREFERENCED_PARAMETER(status);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}`, `    { ${major}, 0, PreOp, NULL },`);
}

test('FltLockUserBuffer for an operation without a lockable buffer, or above APC_LEVEL, is reported (lock-user-buffer)', async () => {
  const create = await run(lockingDriver('IRP_MJ_CREATE', 'status = FltLockUserBuffer(Data);'), 'io #1 create "\\Device\\HarddiskVolume1\\a.txt" at 0\n');
  assert.deepEqual(ids(create), ['lock-user-buffer']);
  assert.match(create[0].message, /no user buffer it can lock/);
  const raised = await run(lockingDriver('IRP_MJ_READ', 'KeAcquireSpinLock(&gLock, &old);\n    status = FltLockUserBuffer(Data);\n    KeReleaseSpinLock(&gLock, old);'), 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 16 at 0\n');
  assert.deepEqual(ids(raised), ['lock-user-buffer']);
  assert.match(raised[0].message, /DISPATCH_LEVEL/);
});

test('freeing the MDL FltLockUserBuffer made is reported; locking a read at PASSIVE_LEVEL is clean', async () => {
  const read = 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 16 at 0\n';
  const freed = await run(lockingDriver('IRP_MJ_READ', 'status = FltLockUserBuffer(Data);\n    if (NT_SUCCESS(status)) IoFreeMdl(Data->Iopb->Parameters.Read.MdlAddress);'), read);
  assert.ok(ids(freed).includes('lock-user-buffer'), ids(freed).join(', '));
  assert.match(freed.find((v) => v.rule === 'lock-user-buffer')!.message, /IoFreeMdl/);
  assert.deepEqual(ids(await run(lockingDriver('IRP_MJ_READ', 'status = FltLockUserBuffer(Data);'), read)), []);
});

// ---- dcpws-safecb-mpr ----------------------------------------------------------------------

function safePostDriver(safeReturns: string): string {
  return driver(`
FLT_POSTOP_CALLBACK_STATUS SafePost(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags) {
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    return ${safeReturns};
}
FLT_POSTOP_CALLBACK_STATUS PostRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags) {
    FLT_POSTOP_CALLBACK_STATUS ret = FLT_POSTOP_FINISHED_PROCESSING;
    if (FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING) || !FLT_IS_IRP_OPERATION(Data)) return FLT_POSTOP_FINISHED_PROCESSING;
    if (!FltDoCompletionProcessingWhenSafe(Data, FltObjects, CompletionContext, Flags, SafePost, &ret)) return FLT_POSTOP_FINISHED_PROCESSING;
    return ret;
}`, '    { IRP_MJ_READ, 0, NULL, PostRead },');
}

test('a SafePostCallback that returns MORE_PROCESSING_REQUIRED and never resumes the operation is reported (dcpws-safecb-mpr)', async () => {
  const read = 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 16 at 0\n';
  const vs = await run(safePostDriver('FLT_POSTOP_MORE_PROCESSING_REQUIRED'), read);
  assert.deepEqual(ids(vs), ['dcpws-safecb-mpr']);
  assert.match(vs[0].message, /SafePostCallback .* never called/);
  assert.deepEqual(ids(await run(safePostDriver('FLT_POSTOP_FINISHED_PROCESSING'), read)), []);
});

// ---- cbdq-set-cancel -----------------------------------------------------------------------

const CBDQ = (preBody: string) => `
FLT_CALLBACK_DATA_QUEUE gQueue;
LIST_ENTRY gList;
KSPIN_LOCK gLock;
FLT_CALLBACK_DATA_QUEUE_IO_CONTEXT gIoContext;
NTSTATUS QInsert(PFLT_CALLBACK_DATA_QUEUE Q, PFLT_CALLBACK_DATA Data, PVOID Ctx) {
    UNREFERENCED_PARAMETER(Q); UNREFERENCED_PARAMETER(Ctx);
    InsertTailList(&gList, &Data->QueueLinks);
    return STATUS_SUCCESS;
}
VOID QRemove(PFLT_CALLBACK_DATA_QUEUE Q, PFLT_CALLBACK_DATA Data) {
    UNREFERENCED_PARAMETER(Q);
    RemoveEntryList(&Data->QueueLinks);
}
PFLT_CALLBACK_DATA QPeek(PFLT_CALLBACK_DATA_QUEUE Q, PFLT_CALLBACK_DATA Data, PVOID PeekContext) {
    PLIST_ENTRY next = Data == NULL ? gList.Flink : Data->QueueLinks.Flink;
    UNREFERENCED_PARAMETER(Q); UNREFERENCED_PARAMETER(PeekContext);
    return next == &gList ? NULL : CONTAINING_RECORD(next, FLT_CALLBACK_DATA, QueueLinks);
}
VOID QAcquire(PFLT_CALLBACK_DATA_QUEUE Q, PKIRQL Irql) { UNREFERENCED_PARAMETER(Q); KeAcquireSpinLock(&gLock, Irql); }
VOID QRelease(PFLT_CALLBACK_DATA_QUEUE Q, KIRQL Irql) { UNREFERENCED_PARAMETER(Q); KeReleaseSpinLock(&gLock, Irql); }
VOID QCancel(PFLT_CALLBACK_DATA_QUEUE Q, PFLT_CALLBACK_DATA Data) {
    UNREFERENCED_PARAMETER(Q);
    Data->IoStatus.Status = STATUS_CANCELLED;
    Data->IoStatus.Information = 0;
    FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);
}
VOID OnCancel(PFLT_CALLBACK_DATA Data) { UNREFERENCED_PARAMETER(Data); }
NTSTATUS Setup(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_SETUP_FLAGS Flags, DEVICE_TYPE DeviceType, FLT_FILESYSTEM_TYPE FsType) {
    UNREFERENCED_PARAMETER(Flags); UNREFERENCED_PARAMETER(DeviceType); UNREFERENCED_PARAMETER(FsType);
    InitializeListHead(&gList);
    KeInitializeSpinLock(&gLock);
    return FltCbdqInitialize(FltObjects->Instance, &gQueue, QInsert, QRemove, QPeek, QAcquire, QRelease, QCancel);
}
VOID TeardownStart(PCFLT_RELATED_OBJECTS FltObjects, FLT_INSTANCE_TEARDOWN_FLAGS Flags) {
    PFLT_CALLBACK_DATA data;
    UNREFERENCED_PARAMETER(FltObjects); UNREFERENCED_PARAMETER(Flags);
    FltCbdqDisable(&gQueue);
    while ((data = FltCbdqRemoveNextIo(&gQueue, NULL)) != NULL) {
        FltCompletePendedPreOperation(data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
    }
}
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext) {
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    if (!FLT_IS_IRP_OPERATION(Data)) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    ${preBody}
}`;

function cbdqDriver(preBody: string): string {
  return driver(CBDQ(preBody), '    { IRP_MJ_READ, 0, PreRead, NULL },', { setup: 'Setup', teardown: 'TeardownStart' });
}

test('FltSetCancelCompletion on an operation that sits in a cancel-safe queue is reported (cbdq-set-cancel)', async () => {
  const scenario = 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 16 at 0\nunload at 5\n';
  const queued = await run(cbdqDriver(`if (!NT_SUCCESS(FltCbdqInsertIo(&gQueue, Data, &gIoContext, NULL))) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    (VOID)FltSetCancelCompletion(Data, OnCancel);
    return FLT_PREOP_PENDING;`), scenario);
  assert.deepEqual(ids(queued), ['cbdq-set-cancel']);
  assert.match(queued[0].message, /sits in .*the queue owns its cancellation/);
  const passed = await run(cbdqDriver(`(VOID)FltSetCancelCompletion(Data, OnCancel);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;`), scenario);
  assert.deepEqual(ids(passed), []);
});
