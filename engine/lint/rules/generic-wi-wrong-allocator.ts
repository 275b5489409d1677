import { DOCS, callsAny, functionRule } from '../rule';
import { checkAllocator } from './wrongAllocator';

const rule = functionRule({
  id: 'generic-wi-wrong-allocator',
  severity: 'error',
  scope: 'function',
  title: 'Generic work item not allocated by FltAllocateGenericWorkItem',
  why: 'FltQueueGenericWorkItem only accepts an item that FltAllocateGenericWorkItem returned. A deferred-I/O work item, pool memory, an IoAllocateWorkItem item or a stack variable is a different object, and queuing it corrupts memory.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem')],
  wants: (c) => callsAny(c, ['FltQueueGenericWorkItem']),
  check: (ctx) => checkAllocator(ctx, 'FltQueueGenericWorkItem', 'generic'),
});
export default rule;
