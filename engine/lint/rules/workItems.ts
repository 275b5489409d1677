/** Work-item routines, grouped the way the work-item rules read them. */
import type { Role } from '../analysis/roleTypes';

export const ALLOCATORS: Record<string, 'generic' | 'deferred'> = {
  FltAllocateGenericWorkItem: 'generic',
  FltAllocateDeferredIoWorkItem: 'deferred',
};
export const FREES: Record<string, 'generic' | 'deferred'> = {
  FltFreeGenericWorkItem: 'generic',
  FltFreeDeferredIoWorkItem: 'deferred',
};
export const QUEUES: Record<string, 'generic' | 'deferred'> = {
  FltQueueGenericWorkItem: 'generic',
  FltQueueDeferredIoWorkItem: 'deferred',
};
export const WORK_ITEM_CALLS = new Set([...Object.keys(ALLOCATORS), ...Object.keys(FREES), ...Object.keys(QUEUES)]);

/** The I/O manager's work items (IoAllocateWorkItem): legacy, but found in minifilters. */
export const IO_ALLOCATORS = new Set(['IoAllocateWorkItem']);
export const IO_QUEUES: Record<string, { routine: number; context: number }> = {
  IoQueueWorkItem: { routine: 1, context: 3 },
  IoQueueWorkItemEx: { routine: 1, context: 3 },
};
export const IO_FREES = new Set(['IoFreeWorkItem']);

/** Every routine that queues work for a system worker thread, with the routine and context arguments. */
export const QUEUE_ARGS: Record<string, { routine: number; context: number }> = {
  FltQueueGenericWorkItem: { routine: 2, context: 4 },
  FltQueueDeferredIoWorkItem: { routine: 2, context: 4 },
  ...IO_QUEUES,
  ExQueueWorkItem: { routine: -1, context: -1 },
};

/** Allocations that are never a Filter Manager work item. */
export const FOREIGN_ALLOCATORS = new Set([
  'ExAllocatePool', 'ExAllocatePoolWithTag', 'ExAllocatePoolZero', 'ExAllocatePool2', 'ExAllocatePool3', 'ExAllocatePoolWithQuotaTag',
  'ExAllocatePoolWithTagPriority', 'ExAllocatePoolUninitialized', 'IoAllocateWorkItem', 'ExAllocateFromNPagedLookasideList',
  'ExAllocateFromPagedLookasideList', 'ExAllocateFromLookasideListEx', 'FltAllocatePoolAlignedWithTag',
]);

/** The work-item kind of a worker's first parameter. */
export function workerKind(roles: readonly Role[]): 'generic' | 'deferred' | undefined {
  const w = roles.find((r) => r.k === 'worker');
  return w && w.k === 'worker' ? w.kind : undefined;
}

export function kindLabel(kind: 'generic' | 'deferred'): string {
  return kind === 'generic' ? 'generic work item' : 'deferred-I/O work item';
}
