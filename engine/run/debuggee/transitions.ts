/**
 * Transition breakpoints: the engine events a debugger can stop at, by the filter ids users put in
 * their launch configurations. The ids are a contract and must not change; the labels users read
 * belong to the front end that offers them.
 */
import type { EventKind } from '../../kernel/events';

export const TRANSITION_FILTER_IDS = [
  'pend', 'complete', 'workitem-queue', 'workitem-start', 'cbdq-insert', 'cbdq-remove', 'cancel', 'unload', 'violation', 'timer-expire', 'dpc-start',
] as const;

export type TransitionFilterId = (typeof TRANSITION_FILTER_IDS)[number];

/** The filter a debugger stops on by default: a broken rule is rarely what the user wants to run past. */
export const DEFAULT_TRANSITION_FILTERS: readonly TransitionFilterId[] = ['violation'];

const FILTER_OF_EVENT: Partial<Record<EventKind, TransitionFilterId>> = {
  pend: 'pend',
  'post-pend': 'pend',
  complete: 'complete',
  'workitem-queue': 'workitem-queue',
  'workitem-start': 'workitem-start',
  'cbdq-insert': 'cbdq-insert',
  'cbdq-remove': 'cbdq-remove',
  cancel: 'cancel',
  unload: 'unload',
  violation: 'violation',
  'timer-expire': 'timer-expire',
  'dpc-start': 'dpc-start',
};

export function transitionFilterOf(kind: EventKind): TransitionFilterId | undefined {
  return FILTER_OF_EVENT[kind];
}

export function isTransitionFilterId(id: string): id is TransitionFilterId {
  return (TRANSITION_FILTER_IDS as readonly string[]).includes(id);
}
