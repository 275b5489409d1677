import { DOCS, callsAny, hasRole, functionRule } from '../rule';
import { nonIrpHandoffs } from './callbackPaths';

const rule = functionRule({
  id: 'deferred-wi-non-irp',
  severity: 'error',
  scope: 'function',
  roles: ['preop', 'postop'],
  title: 'Deferred I/O posted for an operation that may not be IRP-based',
  why: 'FltQueueDeferredIoWorkItem can post only IRP-based operations; fast I/O and FsFilter operations cannot be handed to a worker thread. A callback registered for a major that can arrive as fast I/O must test FLT_IS_IRP_OPERATION(Data) before posting.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem')],
  wants: (c) => hasRole(c, 'preop', 'postop') && callsAny(c, ['FltQueueDeferredIoWorkItem']),
  check: (ctx) => nonIrpHandoffs(ctx, 'FltQueueDeferredIoWorkItem'),
});
export default rule;
