/**
 * The shared engine of the "obtained but not released on every path" rules (context references,
 * file-name information): an out-parameter or return value obtained from an API becomes a held
 * reference when the call succeeds; the matching release frees it; storing, returning or handing it
 * to another routine moves it out of sight; a path that reaches the end still holding it leaks.
 */
import type { AssignExpr, CallExpr, Span } from '../frontend/ir';
import { addressOf, callKey, isNullExpr, pathOf, strip, type Aliases } from '../frontend/exprs';
import { declaredClassName, methodMembers, releasedByObject, type ClassMembers } from '../analysis/raii';
import type { CfgNode } from '../analysis/cfg';
import { runFlow } from '../analysis/flow';
import { keepOutcomes, NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import {
  addRes, dropRes, escapesThroughAssign, escapesThroughCall, escapesThroughReturn, findRes, overwrites, resKey, updateRes,
  type Res, type Resources,
} from '../analysis/resources';
import type { FunctionContext } from '../context';
import { paramOnlyRead } from '../analysis/paramReads';

export interface RefSpec {
  /** For an acquiring call: which argument receives the reference and whether success is reported by status or by a non-NULL out value. */
  acquire(c: CallExpr): { arg: number; by: 'status' | 'nonnull' } | undefined;
  /** For a releasing call: the argument released. */
  release(c: CallExpr): number | undefined;
  /**
   * What a released argument's path names, when that is not the tracked path itself: a buffer the
   * acquiring call put in a structure is tracked as the structure, and freed through its field.
   */
  releasedPath?(path: string): string;
  /** Routines that only borrow the reference. */
  borrows(callee: string, arg: number): boolean;
  /** Called for each call with the reference states before it (for rule-specific checks). */
  onCall?(c: CallExpr, res: Resources): void;
  /** Called for each assignment with the reference states before it. */
  onAssign?(a: AssignExpr, res: Resources): void;
  /** A release of a reference already released on this path. */
  onDoubleRelease?(c: CallExpr, r: Res): void;
  /** References held on entry (a worker's own work item). */
  initial?: Res[];
}

export interface Leak {
  res: Res;
  ret?: CfgNode;
}

interface S {
  res: Resources;
  out: Outcomes;
}

/**
 * Drops what can no longer matter: released or escaped references (unless double releases are
 * being looked for), and outcomes of calls no remaining reference depends on. Paths that differ
 * only in such leftovers then merge.
 */
function tidy(s: S, keepFreed: boolean): S {
  let res = s.res;
  if (res.some((r) => r.state === 'escaped' || (!keepFreed && r.state === 'freed'))) {
    res = res.filter((r) => r.state !== 'escaped' && (keepFreed || r.state !== 'freed'));
  }
  const out = keepOutcomes(s.out, (k) => res.some((r) => r.cond === k));
  return res === s.res && out === s.out ? s : { res, out };
}

/**
 * What the lint knows of class `cls` from its constructor and destructor, defined in this file or
 * another of the driver (undefined when either is not seen: the class is then an unknown routine).
 */
function classMembers(ctx: FunctionContext, cls: string): ClassMembers | undefined {
  const model = ctx.file.model;
  const local = (name: string) => {
    const f = model.functions.get(`${cls}::${name}`);
    return f ? methodMembers(f.qualified, model.ir(f.name)) : undefined;
  };
  const foreign = (name: string) => ctx.file.foreign.functions.get(name)?.members;
  const fromHeader = ctx.file.foreign.classes?.get(cls);
  if (fromHeader) return fromHeader;
  const ctor = local(cls) ?? foreign(cls);
  const dtor = local(`~${cls}`) ?? foreign(`~${cls}`);
  if (!ctor?.stores || !dtor?.calls) return undefined;
  return { stores: ctor.stores, releases: dtor.calls };
}

/**
 * C++ locals constructed with what the rule tracks (`AutoContext guard(ctx);`,
 * `NameGuard guard(&nameInfo);`): the destructor runs on every way out of the scope. By local
 * name, the references each one takes over: `value` arguments move into the object at the
 * construction; `address` ones stay guarded from then on, whatever the variable later receives.
 * A class whose constructor and destructor are not seen is an unknown routine: it may take the
 * reference, as an unknown call may.
 */
interface Guard {
  /** Argument paths the object releases (or, unknown class, may release) by value. */
  values: Set<string>;
}

function guardsOf(ctx: FunctionContext, spec: RefSpec, aliases: Aliases | undefined): { addressed: Set<string>; objects: Map<string, Guard> } {
  const addressed = new Set<string>();
  const objects = new Map<string, Guard>();
  for (const v of ctx.fn.locals.values()) {
    if (v.init?.k !== 'other' || v.init.text !== 'argument_list') continue;
    const args = v.init.subs;
    const clsName = declaredClassName(v.type);
    const cls = clsName ? classMembers(ctx, clsName) : undefined;
    const released = cls ? releasedByObject(cls, args, (c) => spec.release(c)) : undefined;
    const values = new Set<string>();
    args.forEach((a, i) => {
      const takes = (how: 'value' | 'address') => !released || released.some((r) => r.arg === i && r.how === how);
      if (a.k === 'unary' && a.op === '&' && a.arg.k === 'id') {
        if (takes('address')) addressed.add(a.arg.name);
        return;
      }
      const p = pathOf(a, aliases);
      if (p !== undefined && takes('value')) values.add(p);
    });
    if (values.size > 0) objects.set(v.name, { values });
  }
  return { addressed, objects };
}

/**
 * Whether a helper of the driver only reads through parameter `index` (paramReads.ts): the caller
 * still holds the reference after the call. A helper of another file answers from its summary;
 * routines the driver does not define, or used otherwise, count as taking it (the conservative reading).
 */
function onlyReadsParam(ctx: FunctionContext, callee: string, index: number): boolean {
  const model = ctx.file.model;
  if (!model.functions.has(callee)) return ctx.file.foreign.functions.get(callee)?.readsOnly?.includes(index) ?? false;
  const ir = model.ir(callee);
  return !!ir && paramOnlyRead(ir, index);
}

/** Runs the tracker; returns one leak per obtaining call (the first path found). */
export function findLeaks(ctx: FunctionContext, spec: RefSpec): Leak[] {
  if (!ctx.readable) return [];
  const aliases = ctx.aliases;
  const locals = ctx.fn.locals;
  const leaks = new Map<string, Leak>();
  const keepFreed = spec.onDoubleRelease !== undefined;
  const { addressed: guarded, objects } = guardsOf(ctx, spec, aliases);
  const readers = new Map<string, boolean>();
  const readsOnly = (callee: string, i: number) => {
    const k = `${callee}#${i}`;
    let v = readers.get(k);
    if (v === undefined) readers.set(k, (v = onlyReadsParam(ctx, callee, i)));
    return v;
  };
  const tracked = (path: string | undefined): path is string =>
    path !== undefined && locals.has(path) && !ctx.fn.staticLocals.has(path) && !guarded.has(path);

  const complete = runFlow<S>(ctx, {
    init: { res: spec.initial ?? [], out: NO_OUTCOMES },
    key: (s) => `${resKey(s.res)}|${outcomesKey(s.out)}`,
    call: (c, s) => {
      spec.onCall?.(c, s.res);
      let res = s.res;
      let out = s.out;
      const rel = spec.release(c);
      const relPath = rel !== undefined && c.args[rel] ? pathOf(c.args[rel], aliases) : undefined;
      const released = relPath !== undefined && spec.releasedPath ? spec.releasedPath(relPath) : relPath;
      if (rel !== undefined) {
        const p = released;
        const r = findRes(res, p, ['held', 'freed']);
        if (r && r.state === 'held') res = updateRes(res, r, { state: 'freed', at: c.r });
        else if (r && r.state === 'freed') spec.onDoubleRelease?.(c, r);
      }
      const acq = spec.acquire(c);
      for (const r of res) {
        if (r.state !== 'held') continue;
        if (acq && c.args[acq.arg] && pathOf(addressOf(c.args[acq.arg]) ?? c.args[acq.arg], aliases) === r.path) continue;
        if (released !== undefined && released === r.path) continue;
        if (escapesThroughCall(c, r.path, aliases, (callee, i) => spec.borrows(callee, i) || (pathOf(c.args[i], aliases) === r.path && readsOnly(ctx.callTarget(c) ?? callee, i)))) res = updateRes(res, r, { state: 'escaped' });
      }
      if (acq) {
        const target = addressOf(c.args[acq.arg]);
        const p = target ? pathOf(target, aliases) : undefined;
        if (tracked(p) && !isNullExpr(c.args[acq.arg])) {
          const id = callKey(c);
          if (acq.by === 'status') out = track(out, c, 'status');
          res = addRes(res, { id, path: p, state: 'held', kind: c.callee ?? '', site: c.r, cond: acq.by === 'status' ? id : 'nonnull?' });
        }
      }
      return res === s.res && out === s.out ? s : tidy({ res, out }, keepFreed);
    },
    assign: (a, s) => {
      spec.onAssign?.(a, s.res);
      let res = s.res;
      const built = a.left.k === 'id' && strip(a.right).k === 'other' ? objects.get(a.left.name) : undefined;
      for (const r of s.res) {
        if (overwrites(a, r.path, aliases)) res = dropRes(res, r);
        else if (r.state === 'held' && (escapesThroughAssign(a, r.path, aliases) || built?.values.has(r.path))) res = updateRes(res, r, { state: 'escaped' });
      }
      const out = noteAssign(s.out, a);
      return res === s.res && out === s.out ? s : tidy({ res, out }, keepFreed);
    },
    refine: (c, _cond, truth, s) => {
      const out = refineOutcomes(s.out, c, truth);
      if (out === null) return null;
      let res = s.res;
      if (c && c.atom.k === 'nonnull') {
        const holds = c.pos === truth;
        // A NULL test of the field a buffer lives in tests the buffer (`if (Name.Buffer)`).
        const r = findRes(res, spec.releasedPath ? spec.releasedPath(c.atom.path) : c.atom.path);
        if (r && !holds) res = dropRes(res, r);
        else if (r && holds && r.cond === 'nonnull?') res = updateRes(res, r, { cond: undefined });
      }
      return res === s.res && out === s.out ? s : tidy({ res, out }, keepFreed);
    },
    ret: (n, _v, s) => {
      let res = s.res;
      for (const r of s.res) if (r.state === 'held' && escapesThroughReturn(n.expr, r.path, aliases)) res = updateRes(res, r, { state: 'escaped' });
      return res === s.res ? s : { ...s, res };
    },
    exit: (s, _env, ret) => {
      for (const r of s.res) {
        if (r.state !== 'held' || r.cond === 'nonnull?') continue;
        if (r.cond && (s.out.of[r.cond] === 'fail' || s.out.of[r.cond] === 'deleting')) continue;
        if (!leaks.has(r.id)) leaks.set(r.id, { res: r, ret });
      }
    },
  }, { constants: 'conditions' });
  // A search cut short may have missed the release on some path: stay silent then.
  return complete ? [...leaks.values()] : [];
}

/** Where a leak's path ends, for the related location. */
export function leakEnd(ctx: FunctionContext, leak: Leak, verb = 'releasing'): { at: ReturnType<FunctionContext['loc']>; message: string } {
  const span: Span = leak.ret ? leak.ret.r : { sr: ctx.fn.span.er, sc: Math.max(0, ctx.fn.span.ec - 1), er: ctx.fn.span.er, ec: ctx.fn.span.ec };
  return { at: ctx.loc(span), message: leak.ret ? `returns here without ${verb} it` : `reaches the end of the function without ${verb} it` };
}
