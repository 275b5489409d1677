/**
 * The transition breakpoints as VS Code offers them (exception filters in the Breakpoints view):
 * the engine's filter ids, in the engine's order, with the words users read. Which are on by
 * default is the engine's call.
 */
import { DEFAULT_TRANSITION_FILTERS, TRANSITION_FILTER_IDS, type TransitionFilterId } from '../../engine';

export interface TransitionFilter {
  id: TransitionFilterId;
  label: string;
  description: string;
  default: boolean;
}

const WORDS: Record<TransitionFilterId, { label: string; description: string }> = {
  pend: { label: 'Operation pended', description: 'Stop when a pre-operation returns FLT_PREOP_PENDING or a post-operation returns FLT_POSTOP_MORE_PROCESSING_REQUIRED.' },
  complete: { label: 'Pended operation completed', description: 'Stop when FltCompletePendedPreOperation or FltCompletePendedPostOperation resumes an operation.' },
  'workitem-queue': { label: 'Work item queued', description: 'Stop when a work item is queued (Filter Manager, I/O or executive).' },
  'workitem-start': { label: 'Worker routine starts', description: 'Stop when a system worker thread begins a work item.' },
  'cbdq-insert': { label: 'Inserted into a cancel-safe queue', description: 'Stop when FltCbdqInsertIo queues callback data.' },
  'cbdq-remove': { label: 'Removed from a cancel-safe queue', description: 'Stop when FltCbdqRemoveIo or FltCbdqRemoveNextIo hands callback data back.' },
  cancel: { label: 'Operation cancelled', description: 'Stop when an operation is cancelled.' },
  unload: { label: 'Filter unload', description: 'Stop when a filter starts to unload.' },
  violation: { label: 'Rule violation', description: 'Stop when the runtime verifier records a violation.' },
  'timer-expire': { label: 'Kernel timer expires', description: 'Stop when a timer set with KeSetTimer or KeSetTimerEx reaches its due time.' },
  'dpc-start': { label: 'DPC runs', description: 'Stop when a deferred procedure call starts at DISPATCH_LEVEL.' },
};

export const TRANSITION_FILTERS: readonly TransitionFilter[] = TRANSITION_FILTER_IDS.map((id) => ({ id, ...WORDS[id], default: DEFAULT_TRANSITION_FILTERS.includes(id) }));
