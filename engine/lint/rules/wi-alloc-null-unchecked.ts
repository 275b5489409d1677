import { DOCS, callsAny, type FunctionRule, type RawFinding, functionRule } from '../rule';
import { findUncheckedUses } from './nullTracking';
import { ALLOCATORS, QUEUES, FREES, IO_ALLOCATORS, IO_FREES, IO_QUEUES } from './workItems';

const SOURCES = new Set([...Object.keys(ALLOCATORS), ...IO_ALLOCATORS]);

const rule = functionRule({
  id: 'wi-alloc-null-unchecked',
  severity: 'error',
  scope: 'function',
  title: 'Work-item allocation failure ignored',
  why: 'FltAllocateGenericWorkItem, FltAllocateDeferredIoWorkItem and the legacy IoAllocateWorkItem return NULL when nonpaged pool is short. Queuing or dereferencing the result without testing it crashes the system exactly when memory is tight.',
  sources: [DOCS.ddi('nf-fltkernel-fltallocategenericworkitem'), DOCS.ddi('nf-fltkernel-fltallocatedeferredioworkitem'), 'https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioallocateworkitem'],
  wants: (c) => callsAny(c, SOURCES),
  check(ctx) {
    const out: RawFinding[] = [];
    const uses = findUncheckedUses(ctx, {
      sources: SOURCES,
      sink: (callee, i) => i === 0 && (QUEUES[callee] !== undefined || FREES[callee] !== undefined || IO_QUEUES[callee] !== undefined || IO_FREES.has(callee)),
    });
    for (const u of uses) {
      const how = u.what === 'deref' ? 'is dereferenced' : `is passed to ${u.callee}`;
      const fixes = nullCheckFix(ctx, u.source.path, u.source.site);
      out.push({
        at: ctx.loc(u.at),
        message: `'${u.source.path}' from ${u.source.api} ${how} without a NULL test; test it first and fail the operation when allocation fails.`,
        related: [{ at: ctx.loc(u.source.site), message: 'allocated here' }],
        fixes,
      });
    }
    return out;
  },
});

/** A NULL-check skeleton on the line after the allocation statement. */
export function nullCheckFix(ctx: Parameters<FunctionRule['check']>[0], path: string, site: { sr: number; sc: number; er: number; ec: number }) {
  const fnText = ctx.file.model.functions.get(ctx.name)?.text;
  if (!fnText) return [];
  // Without the \r of a CRLF file: the insertion goes before the line break, not between its halves.
  const lines = fnText.split(/\r?\n/);
  const line = lines[site.er];
  if (line === undefined) return [];
  // Only when the allocation statement ends on its own line with a semicolon.
  if (!/;\s*(\/\/.*)?$/.test(line)) return [];
  const indent = /^\s*/.exec(lines[site.sr] ?? '')?.[0] ?? '';
  const failure = /^\s*(NTSTATUS)\b/.test(ctx.fn.returnType) ? 'return STATUS_INSUFFICIENT_RESOURCES;'
    : /FLT_PREOP_CALLBACK_STATUS/.test(ctx.fn.returnType) ? 'return FLT_PREOP_SUCCESS_NO_CALLBACK;'
      : /FLT_POSTOP_CALLBACK_STATUS/.test(ctx.fn.returnType) ? 'return FLT_POSTOP_FINISHED_PROCESSING;'
        : /^\s*VOID\b|^\s*void\b/.test(ctx.fn.returnType) ? 'return;' : '/* handle the allocation failure */';
  const at = { sr: site.er, sc: line.length, er: site.er, ec: line.length };
  return [{ title: `Add a NULL check for '${path}'`, edits: [{ at: ctx.loc(at), newText: `\n${indent}if (${path} == NULL) {\n${indent}    ${failure}\n${indent}}` }] }];
}
export default rule;
