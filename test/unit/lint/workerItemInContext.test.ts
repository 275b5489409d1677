// A work item the queuing code keeps in the context it queues is freed through that context:
// the worker that hands its context to a helper which frees `Item->WorkItem` leaks nothing.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText } from '../../../engine';

before(() => initLinter());

const driver = (helperBody: string, queueItem: string) => `#include <fltKernel.h>
typedef struct _JOB { PFLT_GENERIC_WORKITEM WorkItem; ULONG Value; } JOB, *PJOB;
PFLT_FILTER Filter;
static VOID FinishJob(PJOB Job)
{
${helperBody}
    ExFreePoolWithTag(Job, 'bojJ');
}
static VOID JobWorker(PFLT_GENERIC_WORKITEM FltWorkItem, PVOID FltObject, PVOID Context)
{
    PJOB Job = (PJOB)Context;
    UNREFERENCED_PARAMETER(FltWorkItem);
    UNREFERENCED_PARAMETER(FltObject);
    Job->Value++;
    FinishJob(Job);
}
NTSTATUS StartJob(VOID)
{
    PJOB Job = ExAllocatePoolZero(NonPagedPoolNx, sizeof(JOB), 'bojJ');
    PFLT_GENERIC_WORKITEM Item;
    NTSTATUS Status;
    if (Job == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    Item = FltAllocateGenericWorkItem();
    if (Item == NULL) { ExFreePoolWithTag(Job, 'bojJ'); return STATUS_INSUFFICIENT_RESOURCES; }
    Job->WorkItem = Item;
    Status = FltQueueGenericWorkItem(${queueItem}, Filter, JobWorker, DelayedWorkQueue, Job);
    if (!NT_SUCCESS(Status)) { FltFreeGenericWorkItem(Item); ExFreePoolWithTag(Job, 'bojJ'); }
    return Status;
}
`;

const rules = (text: string) => lintText(text).findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`);

test('queued as Job->WorkItem with Job as its context: freed by the helper the worker hands Job to', () => {
  assert.deepEqual(rules(driver('    FltFreeGenericWorkItem(Job->WorkItem);', 'Job->WorkItem')), []);
});

test('queued as a local that is not reachable from the context: the worker must free its parameter', () => {
  assert.deepEqual(rules(driver('    FltFreeGenericWorkItem(Job->WorkItem);', 'Item')), ['9 wi-not-freed-by-worker']);
});
