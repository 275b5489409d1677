/**
 * The transition breakpoints offered as exception filters. The ids are part of the contract with
 * users' launch configurations and must not change.
 */
export interface TransitionFilter {
  id: 'pend' | 'complete' | 'workitem-queue' | 'workitem-start' | 'cbdq-insert' | 'cbdq-remove' | 'cancel' | 'unload' | 'violation';
  label: string;
  description: string;
  default: boolean;
}

export const TRANSITION_FILTERS: readonly TransitionFilter[] = [
  { id: 'pend', label: 'Operation pended', description: 'Stop when a pre-operation returns FLT_PREOP_PENDING or a post-operation returns FLT_POSTOP_MORE_PROCESSING_REQUIRED.', default: false },
  { id: 'complete', label: 'Pended operation completed', description: 'Stop when FltCompletePendedPreOperation or FltCompletePendedPostOperation resumes an operation.', default: false },
  { id: 'workitem-queue', label: 'Work item queued', description: 'Stop when a generic or deferred-I/O work item is queued.', default: false },
  { id: 'workitem-start', label: 'Worker routine starts', description: 'Stop when a system worker thread begins a work item.', default: false },
  { id: 'cbdq-insert', label: 'Inserted into a cancel-safe queue', description: 'Stop when FltCbdqInsertIo queues callback data.', default: false },
  { id: 'cbdq-remove', label: 'Removed from a cancel-safe queue', description: 'Stop when FltCbdqRemoveIo or FltCbdqRemoveNextIo hands callback data back.', default: false },
  { id: 'cancel', label: 'Operation cancelled', description: 'Stop when an operation is cancelled.', default: false },
  { id: 'unload', label: 'Filter unload', description: 'Stop when a filter starts to unload.', default: false },
  { id: 'violation', label: 'Rule violation', description: 'Stop when the runtime verifier records a violation.', default: true },
];
