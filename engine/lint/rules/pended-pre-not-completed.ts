import { DOCS, type RawFinding, functionRule } from '../rule';
import { pendedFindings, wantsPended } from './pendedFindings';

const rule = functionRule({
  id: 'pended-pre-not-completed',
  severity: 'error',
  scope: 'function',
  roles: ['worker'],
  title: 'Pended pre-operation not completed on every path',
  why: 'An operation a pre-operation callback pended (FLT_PREOP_PENDING) stays with the filter until it calls FltCompletePendedPreOperation for it, exactly once. The worker or queue consumer that owns it must do so on every path: an early return, a `default:` case, or an `__except` handler entered because a call raised, that leaves it pending hangs the I/O and, at teardown, the volume detach and the filter unload.',
  sources: [DOCS.ddi('nf-fltkernel-fltcompletependedpreoperation'), DOCS.ifs('pending-an-i-o-operation-in-a-preoperation-callback-routine')],
  wants: wantsPended,
  check(ctx): RawFinding[] {
    return pendedFindings(ctx, 'pre');
  },
});
export default rule;
