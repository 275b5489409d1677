/**
 * C++ objects that release what they were given when they go out of scope (RAII guards):
 * `AutoContext guard(ctx);` whose destructor calls FltReleaseContext on the member the constructor
 * stored `ctx` in, or `NameGuard guard(&nameInfo);` whose destructor releases `*m_info`. Read from
 * the class's constructor and destructor bodies, so a class whose destructor forgets the release is
 * no guard at all and the leak is still found.
 */
import type { CallExpr, Expr, FunctionIR } from '../frontend/ir';
import { strip, unqualified, visitExpr } from '../frontend/exprs';
import { forEachExpr } from '../frontend/walk';

/** A call a method makes with one of the object's members (or what a member points to) as an argument. */
export interface MemberCall {
  callee: string;
  arg: number;
  member: string;
  /** The argument is `*member`: the member holds the address of the caller's variable. */
  deref: boolean;
}

/** What the lint knows of a class from its constructor and destructor. */
export interface ClassMembers {
  /** The constructor's parameters: the member each one is stored in. */
  stores: readonly (string | undefined)[];
  /** The destructor's calls on members. */
  releases: readonly MemberCall[];
}

/** Constructor and destructor facts read from one definition (whichever of the two it is). */
export interface MethodMembers {
  stores?: readonly (string | undefined)[];
  calls?: readonly MemberCall[];
}

/** The member an expression names inside a method: `m_x` (not a local or parameter) or `this->m_x`. */
function memberOf(e: Expr, ir: FunctionIR): string | undefined {
  const s = strip(e);
  if (s.k === 'id') return ir.locals.has(s.name) || ir.params.some((p) => p.name === s.name) ? undefined : s.name;
  if (s.k === 'field' && s.arrow && strip(s.obj).k === 'id' && (strip(s.obj) as { name: string }).name === 'this') return s.field;
  return undefined;
}

function paramIndex(e: Expr, ir: FunctionIR): number {
  const s = strip(e);
  return s.k === 'id' && !ir.locals.has(s.name) ? ir.params.findIndex((p) => p.name === s.name) : -1;
}

/** Which member each constructor parameter ends up in: `: m(p)` or `m = p;` in the body. */
export function constructorStores(ir: FunctionIR): (string | undefined)[] {
  const out: (string | undefined)[] = ir.params.map(() => undefined);
  for (const init of ir.memberInits ?? []) {
    if (init.args.length !== 1) continue;
    const i = paramIndex(init.args[0], ir);
    if (i >= 0) out[i] = init.member;
  }
  forEachExpr(ir.body, (top) => visitExpr(top, (x) => {
    if (x.k !== 'assign' || x.op !== '=') return;
    const m = memberOf(x.left, ir);
    const i = paramIndex(x.right, ir);
    if (m !== undefined && i >= 0) out[i] = m;
  }));
  return out;
}

/** Every call of the method that passes a member, or what a member points to. */
export function memberCalls(ir: FunctionIR): MemberCall[] {
  const out: MemberCall[] = [];
  forEachExpr(ir.body, (top) => visitExpr(top, (x) => {
    if (x.k !== 'call' || !x.callee) return;
    x.args.forEach((a, arg) => {
      const s = strip(a);
      const deref = s.k === 'unary' && s.op === '*';
      const member = memberOf(deref ? s.arg : s, ir);
      if (member !== undefined) out.push({ callee: x.callee!, arg, member, deref });
    });
  }));
  return out;
}

/** A constructor (`C::C`) or destructor (`C::~C`) by its qualified name, and its class. */
export function specialMember(qualified: string): { cls: string; kind: 'ctor' | 'dtor' } | undefined {
  const parts = qualified.split('::');
  if (parts.length < 2) return undefined;
  const [cls, last] = [parts[parts.length - 2], parts[parts.length - 1]];
  if (last === cls) return { cls, kind: 'ctor' };
  if (last === `~${cls}`) return { cls, kind: 'dtor' };
  return undefined;
}

/** The facts a constructor or destructor contributes (undefined for any other function, or an unreadable one). */
export function methodMembers(qualified: string, ir: FunctionIR | undefined): MethodMembers | undefined {
  const special = specialMember(qualified);
  if (!special || !ir || ir.hasError) return undefined;
  return special.kind === 'ctor' ? { stores: constructorStores(ir) } : { calls: memberCalls(ir) };
}

/** The class a local is declared with: `AutoContext`, `ns::AutoContext`, `const Guard<T>` → its last name. */
export function declaredClassName(type: string): string | undefined {
  const t = type.replace(/\b(const|volatile|class|struct)\b/g, '').trim();
  if (/[*&[]/.test(t)) return undefined;
  const name = unqualified(t);
  return /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}

/**
 * The arguments of `Class obj(args…)` whose reference the object's destructor releases, as
 * `release` (the rule's own release test) reads a call: `value` when the argument itself is stored
 * and released, `address` when `&var` is stored and `*member` released.
 */
export function releasedByObject(
  cls: ClassMembers, args: readonly Expr[], release: (c: CallExpr) => number | undefined,
): { arg: number; how: 'value' | 'address' }[] {
  const out: { arg: number; how: 'value' | 'address' }[] = [];
  if (cls.stores.length !== args.length) return out;
  args.forEach((_, i) => {
    const member = cls.stores[i];
    if (member === undefined) return;
    for (const mc of cls.releases) {
      if (mc.member !== member) continue;
      const r = { sr: 0, sc: 0, er: 0, ec: 0 };
      const synthetic: CallExpr = { k: 'call', callee: mc.callee, fn: { k: 'id', name: mc.callee, r }, args: Array.from({ length: mc.arg + 1 }, () => ({ k: 'id' as const, name: member, r })), r };
      if (release(synthetic) === mc.arg) { out.push({ arg: i, how: mc.deref ? 'address' : 'value' }); return; }
    }
  });
  return out;
}

/**
 * The classes of one file whose constructor and destructor are both defined in it, by class name
 * (`functions`: each definition's qualified name and its IR). The first definition of each wins.
 */
export function classesOf(functions: Iterable<{ qualified: string; ir: () => FunctionIR | undefined }>): Map<string, ClassMembers> {
  const ctors = new Map<string, readonly (string | undefined)[]>();
  const dtors = new Map<string, readonly MemberCall[]>();
  for (const f of functions) {
    const special = specialMember(f.qualified);
    if (!special || (special.kind === 'ctor' ? ctors : dtors).has(special.cls)) continue;
    const m = methodMembers(f.qualified, f.ir());
    if (m?.stores) ctors.set(special.cls, m.stores);
    if (m?.calls) dtors.set(special.cls, m.calls);
  }
  const out = new Map<string, ClassMembers>();
  for (const [cls, stores] of ctors) {
    const releases = dtors.get(cls);
    if (releases) out.set(cls, { stores, releases });
  }
  return out;
}

/** Whether a text may define a destructor in place (`~Name(`): only such headers are parsed for classes. */
export function mayDefineDestructor(text: string): boolean {
  return /~\s*[A-Za-z_]\w*\s*\(\s*(void\s*)?\)\s*(noexcept\s*)?\{/.test(text);
}
