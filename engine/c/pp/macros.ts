/**
 * Macro definitions and expansion (C11 6.10.3, with hide sets for the no-recursion rule).
 * Expanded tokens keep the origin of the macro's invocation, so a statement produced by a macro maps
 * to the line that invoked it.
 */
import { DEFAULT_LIMITS, formatLimit, limitHint } from '../../limits';
import type { Origin, PpToken } from './tokens';

export interface Macro {
  name: string;
  /** undefined for object-like macros. */
  params?: string[];
  variadic?: boolean;
  body: PpToken[];
  /** Where it was defined, for messages. */
  origin?: Origin;
  /** Built-in macros computed at each use. */
  dynamic?: (at: PpToken) => PpToken[];
}

export class PreprocessError extends Error {
  constructor(message: string, readonly origin: Origin) {
    super(message);
  }
}

/**
 * What macro expansion may still cost. The preprocessor shares one budget across a whole file (a
 * macro that doubles itself 32 times would otherwise build four billion tokens); a single
 * expression gets a fresh one. `tokens` counts every token a macro puts back for rescanning.
 * `maxDepth` bounds both macro calls nested in arguments and macros expanding inside one another
 * (the size of a token's hide set): a chain of thousands of `#define A2 (A1)` would otherwise cost
 * the square of its length in hide sets.
 */
export class ExpansionBudget {
  produced = 0;
  depth = 0;
  /**
   * Hide sets are shared within one budget: the same set plus the same name gives the same set
   * object, so a macro used a million times costs a million references, not a million copies of its
   * hide set. The table lives as long as the budget (one file, one expression), never longer.
   */
  private readonly unions = new Map<ReadonlySet<string>, Map<string, ReadonlySet<string>>>();
  private readonly singletons = new Map<string, ReadonlySet<string>>();

  constructor(
    readonly maxTokens: number = DEFAULT_LIMITS['macro-tokens'],
    readonly maxDepth: number = DEFAULT_LIMITS['macro-depth'],
  ) {}

  spend(n: number, m: Macro, at: Origin): void {
    this.produced += n;
    if (this.produced > this.maxTokens) {
      throw new ExpansionLimitError(
        `macro expansion produced more than ${formatLimit(this.maxTokens)} tokens (expanding '${m.name}' here); a macro that uses itself or another macro more than once grows without bound — ${limitHint('macro-tokens')}`,
        at,
      );
    }
  }

  /** The hide set `a` plus `name`, for the tokens of `name`'s expansion at `at`. */
  hideWith(a: ReadonlySet<string> | undefined, name: string, at: Origin): ReadonlySet<string> {
    if (a === undefined) {
      let s = this.singletons.get(name);
      if (!s) this.singletons.set(name, (s = new Set([name])));
      return s;
    }
    if (a.has(name)) return a;
    let byName = this.unions.get(a);
    if (!byName) this.unions.set(a, (byName = new Map()));
    let s = byName.get(name);
    if (!s) {
      if (a.size >= this.maxDepth) {
        throw new ExpansionLimitError(`macros expand inside one another more than ${formatLimit(this.maxDepth)} deep (expanding '${name}' here) — ${limitHint('macro-depth')}`, at);
      }
      const grown = new Set(a);
      grown.add(name);
      byName.set(name, (s = grown));
    }
    return s;
  }
}

/** A budget ran out: the rest of the file would only run out again, so preprocessing stops. */
export class ExpansionLimitError extends PreprocessError {}

function withHide(tok: PpToken, hide: ReadonlySet<string>, at: Origin, space: boolean): PpToken {
  return { ...tok, file: at.file, line: at.line, col: at.col, hide, space };
}

function stringize(tokens: PpToken[], at: Origin): PpToken {
  let s = '';
  tokens.forEach((t, i) => {
    if (i > 0 && t.space) s += ' ';
    s += t.kind === 'str' || t.kind === 'char' ? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.text;
  });
  return { kind: 'str', text: `"${s}"`, file: at.file, line: at.line, col: at.col, space: false };
}

/**
 * Written before a parameter in a built-in macro's body: the argument is a name the macro declares,
 * put in unexpanded (`DEFINE_GUID(GUID_ECP_SRV_OPEN, …)` in a driver whose headers already define
 * GUID_ECP_SRV_OPEN as a value).
 */
export const DECLARED_NAME = '__fltsim_declared_name';

export class MacroTable {
  private readonly macros = new Map<string, Macro>();

  define(m: Macro): void {
    this.macros.set(m.name, m);
  }

  /** Every macro that is plain data (not computed at each use, like __LINE__). */
  entries(): Macro[] {
    return [...this.macros.values()].filter((m) => !m.dynamic);
  }

  /** A copy that can be extended without changing this table (the cached prelude's macros). */
  clone(): MacroTable {
    const t = new MacroTable();
    for (const [k, v] of this.macros) t.macros.set(k, v);
    return t;
  }

  undefine(name: string): void {
    this.macros.delete(name);
  }

  has(name: string): boolean {
    return this.macros.has(name);
  }

  get(name: string): Macro | undefined {
    return this.macros.get(name);
  }

  /** Fully expands a token list, within `budget` (by default a fresh one with the default limits). */
  expand(input: PpToken[], budget: ExpansionBudget = new ExpansionBudget()): PpToken[] {
    if (budget.depth >= budget.maxDepth) {
      const at = input[0] ?? { file: '<macro>', line: 1, col: 1 };
      throw new ExpansionLimitError(`macro calls nested more than ${formatLimit(budget.maxDepth)} deep inside macro arguments — ${limitHint('macro-depth')}`, at);
    }
    budget.depth++;
    try {
      return this.expandWithin(input, budget);
    } finally {
      budget.depth--;
    }
  }

  private expandWithin(input: PpToken[], budget: ExpansionBudget): PpToken[] {
    const out: PpToken[] = [];
    // Work on a reversed stack so pushing expansions back in front is cheap.
    const stack = input.slice().reverse();
    while (stack.length > 0) {
      const tok = stack.pop()!;
      if (tok.kind !== 'id') {
        out.push(tok);
        continue;
      }
      const m = this.macros.get(tok.text);
      if (!m || tok.hide?.has(tok.text)) {
        out.push(tok);
        continue;
      }
      if (m.dynamic) {
        out.push(...m.dynamic(tok));
        continue;
      }
      if (!m.params) {
        budget.spend(m.body.length, m, tok);
        const hide = budget.hideWith(tok.hide, m.name, tok);
        const body = m.body.map((b, i) => withHide(b, hide, tok, i === 0 ? tok.space : b.space));
        for (let i = body.length - 1; i >= 0; i--) stack.push(body[i]);
        if (body.length === 0 && stack.length > 0) {
          // Keep the separation the macro name provided.
          const next = stack[stack.length - 1];
          stack[stack.length - 1] = { ...next, space: next.space || tok.space };
        }
        continue;
      }
      // Function-like: only an invocation if '(' follows.
      if (stack.length === 0 || stack[stack.length - 1].text !== '(') {
        out.push(tok);
        continue;
      }
      stack.pop();
      const args: PpToken[][] = [[]];
      let depth = 0;
      let closed = false;
      while (stack.length > 0) {
        const t = stack.pop()!;
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            closed = true;
            break;
          }
          depth--;
        } else if (t.text === ',' && depth === 0 && !(m.variadic && args.length > m.params.length)) {
          args.push([]);
          continue;
        }
        args[args.length - 1].push(t);
      }
      if (!closed) throw new PreprocessError(`unterminated call of macro '${m.name}'`, tok);
      const expected = m.params.length + (m.variadic ? 1 : 0);
      if (args.length === 1 && args[0].length === 0 && expected === 0) args.length = 0;
      if (m.variadic && args.length === m.params.length) args.push([]);
      if (args.length !== expected && !(expected === 1 && args.length === 1)) {
        throw new PreprocessError(`macro '${m.name}' expects ${expected} argument${expected === 1 ? '' : 's'}, got ${args.length}`, tok);
      }
      const body = this.substitute(m, args, tok, budget);
      const hide = budget.hideWith(tok.hide, m.name, tok);
      for (let i = body.length - 1; i >= 0; i--) {
        const b = body[i];
        // A name that hides itself (a declared name, or one already refused expansion) stays so.
        stack.push(withHide(b, b.kind === 'id' && b.hide?.has(b.text) === true ? budget.hideWith(hide, b.text, tok) : hide, tok, i === 0 ? tok.space : b.space));
      }
    }
    return out;
  }

  private substitute(m: Macro, args: PpToken[][], at: PpToken, budget: ExpansionBudget): PpToken[] {
    const params = m.variadic ? [...m.params!, '__VA_ARGS__'] : m.params!;
    const indexOf = (t: PpToken) => (t.kind === 'id' ? params.indexOf(t.text) : -1);
    const expanded = new Map<number, PpToken[]>();
    const result: PpToken[] = [];
    let copied = 0;
    const body = m.body;
    for (let i = 0; i < body.length; i++) {
      const t = body[i];
      if (t.text === DECLARED_NAME && i + 1 < body.length && indexOf(body[i + 1]) >= 0) {
        // The name a declaring macro (DEFINE_GUID) declares is the driver's own: never expanded, even
        // when a header already gives that name a value as a macro.
        for (const a of args[indexOf(body[i + 1])] ?? []) result.push(a.kind === 'id' ? { ...a, hide: budget.hideWith(a.hide, a.text, at) } : a);
        i++;
        continue;
      }
      if (t.text === '#' && i + 1 < body.length && indexOf(body[i + 1]) >= 0) {
        result.push({ ...stringize(args[indexOf(body[i + 1])] ?? [], at), space: t.space });
        i++;
        continue;
      }
      const p = indexOf(t);
      if (p >= 0) {
        const nextIsPaste = body[i + 1]?.text === '##';
        const prevIsPaste = body[i - 1]?.text === '##';
        let arg: PpToken[];
        if (nextIsPaste || prevIsPaste) {
          arg = args[p] ?? [];
        } else {
          if (!expanded.has(p)) expanded.set(p, this.expand(args[p] ?? [], budget));
          arg = expanded.get(p)!;
        }
        if (m.variadic && p === params.length - 1 && arg.length === 0 && dropCommaBeforeEmptyVarArgs(result)) continue;
        // Each use of a parameter copies its argument: count the copies, or `x x x x` doubles unseen.
        budget.spend(arg.length, m, at);
        copied += arg.length;
        arg.forEach((a, k) => result.push(k === 0 ? { ...a, space: t.space } : a));
        if (arg.length === 0 && (nextIsPaste || prevIsPaste)) result.push({ ...t, kind: 'other', text: '', space: t.space });
        continue;
      }
      result.push(t);
    }
    // Token pasting.
    for (let i = 0; i < result.length; i++) {
      if (result[i].text === '##' && i > 0 && i + 1 < result.length) {
        const left = result[i - 1];
        const right = result[i + 1];
        const text = left.text + right.text;
        const kind = /^[A-Za-z_$][\w$]*$/.test(text) ? 'id' : /^[0-9.]/.test(text) ? 'num' : text === '' ? 'other' : left.kind;
        result.splice(i - 1, 3, { ...left, kind, text });
        i--;
      }
    }
    // The argument copies are paid for above; the macro's own tokens here.
    budget.spend(Math.max(0, result.length - copied), m, at);
    return result.filter((t) => !(t.kind === 'other' && t.text === ''));
  }
}

/**
 * An empty `__VA_ARGS__` takes the comma before it along, as MSVC's preprocessor does (and GNU's for
 * `, ## __VA_ARGS__`): `LOG("text")` through `DbgPrint(fmt, __VA_ARGS__)` leaves no trailing comma.
 * True when a comma (and a `##` after it) was removed from the end of `result`.
 */
function dropCommaBeforeEmptyVarArgs(result: PpToken[]): boolean {
  let end = result.length;
  if (result[end - 1]?.text === '##') end--;
  if (result[end - 1]?.text !== ',') return false;
  result.length = end - 1;
  return true;
}
