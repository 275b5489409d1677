/**
 * "Used before it was checked for NULL": a value from a routine that may return NULL, followed
 * along paths until a test shows it is not NULL. A dereference, or a hand-off to one of the rule's
 * sink routines, before that point is reported once per place.
 */
import type { CallExpr, Expr, Span } from '../frontend/ir';
import { mentions, pathOf, strip } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import type { FunctionContext } from '../context';

export interface NullSpec {
  /** Routines whose result may be NULL. */
  sources: ReadonlySet<string>;
  /** Whether passing the value as argument `i` of `callee` uses it as if it were valid. */
  sink(callee: string, i: number): boolean;
}

export interface NullUse {
  at: Span;
  what: 'deref' | 'call';
  callee?: string;
  source: { api: string; site: Span; path: string };
}

interface Unchecked {
  path: string;
  /** The local or parameter the path starts from. */
  root: string;
  api: string;
  site: Span;
}

type S = readonly Unchecked[];

function key(s: S): string {
  return s.map((u) => `${u.path}@${u.site.sr}:${u.site.sc}`).join(',');
}

/** Dereferences of `path` in `e`, skipping the arms that a `?:`, `&&` or `||` guards with a test of it. */
function derefs(e: Expr, path: string, aliases: FunctionContext['aliases'], out: Span[]): void {
  switch (e.k) {
    case 'field':
      if (e.arrow && pathOf(e.obj, aliases) === path) out.push(e.r);
      derefs(e.obj, path, aliases, out);
      return;
    case 'unary':
      if (e.op === '*' && pathOf(e.arg, aliases) === path) out.push(e.r);
      if (e.op === '&') { derefsUnderAddress(e.arg, path, aliases, out); return; }
      derefs(e.arg, path, aliases, out);
      return;
    case 'index':
      if (pathOf(e.obj, aliases) === path) out.push(e.r);
      derefs(e.obj, path, aliases, out);
      derefs(e.index, path, aliases, out);
      return;
    case 'cond':
      derefs(e.test, path, aliases, out);
      if (!mentions(e.test, path, aliases)) { derefs(e.then, path, aliases, out); derefs(e.else, path, aliases, out); }
      return;
    case 'binary':
      derefs(e.left, path, aliases, out);
      if ((e.op === '&&' || e.op === '||') && mentions(e.left, path, aliases)) return;
      derefs(e.right, path, aliases, out);
      return;
    case 'call': derefs(e.fn, path, aliases, out); for (const a of e.args) derefs(a, path, aliases, out); return;
    case 'assign': case 'comma': derefs(e.left, path, aliases, out); derefs(e.right, path, aliases, out); return;
    case 'postfix': case 'cast': derefs(e.arg, path, aliases, out); return;
    case 'init': for (const i of e.items) derefs(i, path, aliases, out); return;
    case 'other': if (!/^sizeof/.test(e.text)) for (const s of e.subs) derefs(s, path, aliases, out); return;
    default: return;
  }
}

/** `&v->field` computes an address without reading memory: only the inner parts count. */
function derefsUnderAddress(e: Expr, path: string, aliases: FunctionContext['aliases'], out: Span[]): void {
  if (e.k === 'field') { derefsUnderAddress(e.obj, path, aliases, out); return; }
  if (e.k === 'index') { derefs(e.index, path, aliases, out); derefsUnderAddress(e.obj, path, aliases, out); return; }
  if (e.k === 'id') return;
  derefs(e, path, aliases, out);
}

export function findUncheckedUses(ctx: FunctionContext, spec: NullSpec): NullUse[] {
  if (!ctx.readable) return [];
  const aliases = ctx.aliases;
  const uses = new Map<string, NullUse>();
  const note = (u: NullUse) => {
    const k = `${u.at.sr}:${u.at.sc}`;
    if (!uses.has(k)) uses.set(k, u);
  };
  runFlow<S>(ctx, {
    init: [],
    key,
    before: (e, s) => {
      for (const u of s) {
        const spans: Span[] = [];
        derefs(e, u.path, aliases, spans);
        for (const sp of spans) note({ at: sp, what: 'deref', source: u });
      }
    },
    call: (c: CallExpr, s) => {
      if (!c.callee) return s;
      let next = s;
      for (const u of s) {
        c.args.forEach((a, i) => {
          if (pathOf(a, aliases) === u.path && spec.sink(c.callee!, i)) note({ at: a.r, what: 'call', callee: c.callee, source: u });
        });
        // A field is out of sight once the structure holding it goes to another routine, which
        // may test, replace or free it.
        if (u.path !== u.root && c.args.some((a) => mentions(a, u.root, aliases) && !spec.sink(c.callee!, c.args.indexOf(a)))) next = next.filter((x) => x !== u);
      }
      return next;
    },
    assign: (a, s) => {
      const target = pathOf(a.left, aliases);
      let next = target === undefined ? s : s.filter((u) => u.path !== target && !u.path.startsWith(`${target}->`) && !u.path.startsWith(`${target}.`));
      const rhs = strip(a.right);
      if (rhs.k === 'call' && rhs.callee && spec.sources.has(rhs.callee) && target !== undefined) {
        // A local, or a field of a structure a local or parameter points to (`ctx->WorkItem = ...`).
        const root = /^[A-Za-z_]\w*/.exec(target)?.[0];
        if (root && (ctx.fn.locals.has(root) || ctx.fn.params.some((p) => p.name === root)) && (target === root ? ctx.fn.locals.has(root) : true)) {
          next = [...next, { path: target, root, api: rhs.callee, site: rhs.r }];
        }
      }
      return next.length === s.length && next.every((u, i) => u === s[i]) ? s : next;
    },
    refine: (c, _cond, _truth, s) => {
      if (!c || c.atom.k !== 'nonnull') return s;
      const p = c.atom.path;
      const next = s.filter((u) => u.path !== p);
      return next.length === s.length ? s : next;
    },
  });
  // One report per value: its first unchecked use.
  const first = new Map<string, NullUse>();
  for (const u of uses.values()) {
    const k = `${u.source.site.sr}:${u.source.site.sc}`;
    const cur = first.get(k);
    if (!cur || u.at.sr < cur.at.sr || (u.at.sr === cur.at.sr && u.at.sc < cur.at.sc)) first.set(k, u);
  }
  return [...first.values()];
}
