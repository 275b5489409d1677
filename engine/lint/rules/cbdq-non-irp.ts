import { DOCS, callsAny, hasRole, functionRule } from '../rule';
import { nonIrpHandoffs } from './callbackPaths';

const rule = functionRule({
  id: 'cbdq-non-irp',
  severity: 'error',
  scope: 'function',
  roles: ['preop', 'postop'],
  title: 'Operation that may not be IRP-based inserted into a cancel-safe queue',
  why: 'A cancel-safe callback data queue holds only IRP-based operations: cancellation is built on the IRP. Fast I/O and FsFilter operations cannot be queued; test FLT_IS_IRP_OPERATION(Data) before FltCbdqInsertIo.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinsertio'), DOCS.ddi('nf-fltkernel-fltcbdqinitialize')],
  wants: (c) => hasRole(c, 'preop', 'postop') && callsAny(c, ['FltCbdqInsertIo']),
  check: (ctx) => nonIrpHandoffs(ctx, 'FltCbdqInsertIo'),
});
export default rule;
