import { DOCS, type RawFinding, functionRule } from '../rule';
import { pendedFindings, wantsPended } from './pendedFindings';

const rule = functionRule({
  id: 'pended-post-not-completed',
  severity: 'error',
  scope: 'function',
  roles: ['worker'],
  title: 'Pended post-operation not resumed on every path',
  why: 'An operation whose post-operation callback returned FLT_POSTOP_MORE_PROCESSING_REQUIRED waits until the filter calls FltCompletePendedPostOperation for it, even if the filter failed it by setting an error status. The worker or queue consumer that owns it must call it on every path; a path that returns early, falls into a `default:` case or an `__except` handler without it strands the I/O.',
  sources: [DOCS.ddi('nf-fltkernel-fltcompletependedpostoperation'), DOCS.ifs('pending-an-i-o-operation-in-a-postoperation-callback-routine')],
  wants: wantsPended,
  check(ctx): RawFinding[] {
    return pendedFindings(ctx, 'post');
  },
});
export default rule;
