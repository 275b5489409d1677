/**
 * Control codes along the paths of a pre- or post-operation callback. A filter that handles several
 * FSCTLs (or IOCTLs, or minor functions) with one pair of callbacks usually switches on the code
 * in both: the pre-op returns FLT_PREOP_SYNCHRONIZE for some codes and FLT_PREOP_SUCCESS_WITH_CALLBACK
 * for others, and the post-op's case for a synchronized code runs at PASSIVE_LEVEL. This module
 * tracks which codes a path can have (a `switch` or `==` on the code narrows them) and what the
 * pre-op returns for each code.
 */
import type { Expr } from '../frontend/ir';
import { constName, pathOf, strip, type Aliases } from '../frontend/exprs';
import type { Condition } from './conditions';
import { runFlow } from './flow';
import type { FunctionFacts, ReturnsByCode } from './functionFacts';

/** Where a driver reads the code: `Data->Iopb->Parameters.FileSystemControl.Common.FsControlCode`, `Data->Iopb->MinorFunction`. */
const CODE_FIELD = /^->Iopb->(?:Parameters\.[A-Za-z]+\.[A-Za-z]+\.(?:FsControlCode|IoControlCode)|MinorFunction)$/;

export function isCodePath(path: string | undefined, data: string): boolean {
  return path !== undefined && path.startsWith(data) && CODE_FIELD.test(path.slice(data.length));
}

/** The codes a path may have: `only` when a test named them, and codes ruled out (a `default:`). */
export interface CodeState {
  only: readonly string[] | null;
  not: readonly string[];
}

export const ANY_CODE: CodeState = { only: null, not: [] };

export function codeKey(c: CodeState): string {
  return `${c.only?.join(',') ?? '*'}!${c.not.join(',')}`;
}

export function refineCode(c: CodeState, cond: Condition | undefined, truth: boolean, data: string): CodeState | null {
  if (!cond || cond.atom.k !== 'eq' || !isCodePath(cond.atom.path, data)) return c;
  const value = cond.atom.value;
  if (cond.pos === truth) {
    if (c.only && !c.only.includes(value)) return null;
    if (c.not.includes(value)) return null;
    return { only: [value], not: [] };
  }
  if (c.only) {
    const only = c.only.filter((v) => v !== value);
    return only.length === 0 ? null : { only, not: [] };
  }
  return c.not.includes(value) ? c : { only: null, not: [...c.not, value] };
}

export function casesCode(c: CodeState, disc: Expr, values: Expr[], isDefault: boolean, data: string, aliases?: Aliases): CodeState | null {
  if (!isCodePath(pathOf(disc, aliases), data)) return c;
  const names = values.map((v) => constName(v)).filter((v): v is string => !!v);
  if (names.length !== values.length) return c;
  if (isDefault) {
    if (c.only) {
      const only = c.only.filter((v) => !names.includes(v));
      return only.length === 0 ? null : { only, not: [] };
    }
    return { only: null, not: [...new Set([...c.not, ...names])] };
  }
  const only = c.only ? c.only.filter((v) => names.includes(v)) : names.filter((v) => !c.not.includes(v));
  return only.length === 0 ? null : { only, not: [] };
}

/** The pre-op's returns by code; undefined when the walk could not finish. `?` marks a value not known. */
export function preopReturnsByCode(ctx: FunctionFacts): ReturnsByCode | undefined {
  const data = ctx.param(0);
  if (!data || !ctx.readable) return undefined;
  const out: ReturnsByCode = { byCode: new Map(), other: [] };
  const complete = runFlow<CodeState>(ctx, {
    init: ANY_CODE,
    key: codeKey,
    refine: (cond, _e, truth, s) => refineCode(s, cond, truth, data),
    cases: (disc, values, isDefault, s) => casesCode(s, disc, values, isDefault, data, ctx.aliases),
    ret: (node, value, s) => {
      const values = new Set<string>();
      const e = node.expr ? strip(node.expr) : undefined;
      if (value) values.add(value);
      else if (e?.k === 'call' && e.callee) for (const v of ctx.file.returnsOf(ctx.callTarget(e) ?? e.callee) ?? ['?']) values.add(v);
      else values.add('?');
      if (s.only) {
        for (const code of s.only) {
          const set = out.byCode.get(code) ?? new Set<string>();
          for (const v of values) set.add(v);
          out.byCode.set(code, set);
        }
      } else {
        out.other.push({ not: s.not, values });
      }
      return s;
    },
  });
  return complete ? out : undefined;
}

/** What the pre-op may return for an operation with one of `codes`. */
export function returnsFor(r: ReturnsByCode, codes: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const o of r.other) if (codes.some((c) => !o.not.includes(c))) for (const v of o.values) out.add(v);
  for (const c of codes) for (const v of r.byCode.get(c) ?? []) out.add(v);
  return out;
}
