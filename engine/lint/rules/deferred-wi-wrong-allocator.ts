import { DOCS, callsAny, functionRule } from '../rule';
import { checkAllocator } from './wrongAllocator';

const rule = functionRule({
  id: 'deferred-wi-wrong-allocator',
  severity: 'error',
  scope: 'function',
  title: 'Deferred-I/O work item not allocated by FltAllocateDeferredIoWorkItem',
  why: 'FltQueueDeferredIoWorkItem only accepts an item that FltAllocateDeferredIoWorkItem returned. A generic work item, pool memory, an IoAllocateWorkItem item or a stack variable is a different object, and queuing it corrupts memory.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem')],
  wants: (c) => callsAny(c, ['FltQueueDeferredIoWorkItem']),
  check: (ctx) => checkAllocator(ctx, 'FltQueueDeferredIoWorkItem', 'deferred'),
});
export default rule;
