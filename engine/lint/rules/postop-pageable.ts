import { DOCS, callsAny, hasRole, type RawFinding, functionRule } from '../rule';
import { callsTo } from './support';

const PAGED_CODE = new Set(['PAGED_CODE', 'PAGED_CODE_LOCKED']);

const rule = functionRule({
  id: 'postop-pageable',
  severity: 'error',
  scope: 'function',
  roles: ['postop'],
  title: 'Pageable post-operation callback',
  why: 'Post-operation callbacks may be called at DISPATCH_LEVEL, where a page fault cannot be serviced, so they must not be pageable. Placing one in a PAGE section (#pragma alloc_text or code_seg) or asserting PAGED_CODE() in it is a latent crash.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_post_operation_callback'), DOCS.devtest('28170-pageable-code-macro-not-found')],
  wants: (c) => hasRole(c, 'postop') && (c.file.model.paged.has(c.name) || callsAny(c, PAGED_CODE)) && c.file.postopSafety(c.name) === 'unsafe',
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.role('postop');
    // A post-op registered in another file may be one that provably runs at PASSIVE_LEVEL: say nothing.
    if (!role || ctx.file.postopSafety(ctx.name) !== 'unsafe') return out;
    const paged = ctx.file.model.paged.get(ctx.name);
    if (paged) {
      out.push({
        at: ctx.loc(ctx.fn.nameSpan),
        message: `Post-operation callback ${ctx.name} is placed in a pageable section; keep it in nonpaged code (remove it from the ${paged.how === 'alloc_text' ? '#pragma alloc_text(PAGE, …)' : 'code_seg("PAGE")'} list).`,
        related: [{ at: { anchor: '', span: { sr: paged.row, sc: 0, er: paged.row, ec: 0 } }, message: 'made pageable here' }],
      });
    }
    for (const c of callsTo(ctx, PAGED_CODE)) {
      out.push({ at: ctx.loc(c.r), message: `${c.callee}() in post-operation callback ${ctx.name} asserts pageable code, but the callback may run at DISPATCH_LEVEL; remove it and keep the callback nonpaged.` });
    }
    return out;
  },
});
export default rule;
