import type { Span } from '../frontend/ir';
import { pathOf, rootOf, strip } from '../frontend/exprs';
import { allAssignments, allCalls } from '../frontend/walk';
import { canonicalType } from '../analysis/roles';
import { DOCS, type Candidate, type RawFinding, functionRule } from '../rule';
import type { FunctionContext } from '../context';
import { QUEUE_ARGS } from './workItems';

/** Routines that keep a context pointer for later: queuing work, asynchronous I/O, cbdq inserts. */
const KEEPERS: Record<string, number> = {
  ...Object.fromEntries(Object.entries(QUEUE_ARGS).filter(([, a]) => a.context >= 0).map(([n, a]) => [n, a.context])),
  FltPerformAsynchronousIo: 2,
  FltCbdqInsertIo: 3,
};

/** Other functions of the file that read field `field` through a pointer (`x->field`, not as a target). */
function readers(ctx: FunctionContext, field: string): string[] {
  const read = new RegExp(`->\\s*${field}\\b(?!\\s*=[^=])`);
  return ctx.file.model.functionList.filter((f) => f.name !== ctx.name && f.facts.words.has(field) && read.test(f.text)).map((f) => f.name);
}

const PARAM = /\bP?C?FLT_RELATED_OBJECTS\s+([A-Za-z_]\w*)/;
const KEEPER_NAMES = Object.keys(KEEPERS);

/** Whether `text` assigns `name` whole somewhere (`x = name;`, `x = (T)name;`), by plain string search. */
function assignsWhole(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    let j = at + name.length;
    while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
    if (text.charCodeAt(j) !== 59 /* ; */) continue;
    let k = at - 1;
    while (k >= 0 && /\s/.test(text[k])) k--;
    if (text[k] === ')') { const open = text.lastIndexOf('(', k); k = open - 1; while (k >= 0 && /\s/.test(text[k])) k--; }
    if (text[k] === '=' && text[k - 1] !== '=' && text[k - 1] !== '!' && text[k - 1] !== '<' && text[k - 1] !== '>') return true;
  }
  return false;
}

/** Cheap test on the text: the parameter's name assigned whole somewhere, or given to a routine that keeps a context. */
function keepsObjects(c: Candidate): boolean {
  if (!c.facts.test(PARAM)) return false;
  const f = c.file.model.functions.get(c.name);
  const body = f ? f.text.indexOf('{') : -1;
  const m = f && body > 0 ? PARAM.exec(f.text.slice(0, body)) : null;
  if (!m) return false;
  const text = f!.text.slice(body);
  // Every keeping routine takes the context as its last argument: `…, FltObjects)`.
  if (KEEPER_NAMES.some((n) => c.facts.callNames.has(n)) && new RegExp(`,\\s*(?:\\([^()]*\\)\\s*)?${m[1]}\\s*\\)`).test(text)) return true;
  return assignsWhole(text, m[1]);
}

const rule = functionRule({
  id: 'related-objects-kept',
  severity: 'error',
  scope: 'function',
  title: 'FLT_RELATED_OBJECTS kept beyond the callback',
  why: 'The FLT_RELATED_OBJECTS structure a callback receives (FltObjects) belongs to the Filter Manager and is only valid while that callback runs. Keeping the pointer — in a context, a global, a work item\'s context or an I/O context — and reading it later, from a worker, a completion routine or another operation, reads memory that may already hold something else. Copy the fields that are needed (Filter, Instance, Volume, FileObject) while the callback runs, and take references where their lifetime must be extended.',
  sources: [DOCS.ddi('ns-fltkernel-_flt_related_objects'), DOCS.ddi('nc-fltkernel-pflt_pre_operation_callback')],
  wants: keepsObjects,
  check(ctx) {
    const out: RawFinding[] = [];
    const objects = ctx.fn.params.find((p) => canonicalType(p.type) === 'FLT_RELATED_OBJECTS*')?.name;
    if (!objects) return out;
    const aliases = ctx.aliases;
    const kept: { at: Span; where: string; field?: string }[] = [];
    for (const a of allAssignments(ctx.fn.body)) {
      if (a.op !== '=' || pathOf(strip(a.right), aliases) !== objects) continue;
      const target = pathOf(a.left, aliases);
      if (!target) continue;
      const root = rootOf(target);
      // A local copy of the pointer lives no longer than the callback.
      if (target === root && (ctx.fn.locals.has(root) || ctx.fn.params.some((p) => p.name === root))) continue;
      const field = /->([A-Za-z_][A-Za-z0-9_]*)$/.exec(target)?.[1];
      kept.push({ at: a.r, where: `'${target}'`, field });
    }
    for (const c of allCalls(ctx.fn.body)) {
      const i = c.callee ? KEEPERS[c.callee] : undefined;
      if (i === undefined || !c.args[i] || pathOf(strip(c.args[i]), aliases) !== objects) continue;
      kept.push({ at: c.r, where: `the context of ${c.callee}` });
    }
    for (const k of kept) {
      // Stored in a field: only when some other function reads that field back.
      const later = k.field ? readers(ctx, k.field) : [];
      if (k.field && later.length === 0) continue;
      out.push({
        at: ctx.loc(k.at),
        message: `${objects} is only valid while ${ctx.name} runs, but ${k.where} keeps it${later.length > 0 ? ` and ${later.slice(0, 2).join(', ')} read${later.length === 1 ? 's' : ''} it later` : ' for code that runs later'}; keep copies of the fields you need (Instance, FileObject, Volume) instead.`,
      });
    }
    return out;
  },
});
export default rule;
