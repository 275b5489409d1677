/**
 * A project's own statement macros: `CHECK_STATUS_AND_BREAK(s)`, `DSR_LEAVE()`,
 * `SAFE_RELEASE(ctx)`. The linter reads the user's text unpreprocessed (positions must stay the
 * user's), so such a macro looked like a plain call, and the `return`, `goto` or `break` inside it,
 * or the release it makes under a NULL test, was invisible to every path-sensitive rule. Here the
 * project's `#define`s are read (the file's own and those of the project headers it includes), and
 * the lowering (lower.ts) replaces a statement that invokes one of its function-like macros (or an
 * object-like one that jumps) by the statements it expands to, every one of them placed at the
 * invocation. An object-like macro that names one variable (`#define DSR_STATUS __status`) is read
 * as that variable wherever it is written, so the expansions and the code around them agree.
 * WDK macros are not the project's: the rules know them by name.
 */
import { macroFromDefine } from '../../c/pp/define';
import { logicalLines } from '../../c/pp/logicalLines';
import { ExpansionBudget, MacroTable, type Macro } from '../../c/pp/macros';
import { tokenizeLine, type PpToken } from '../../c/pp/tokens';
import { hashText } from '../analysis/hash';
import type { Stmt, VarDecl } from './ir';

const JUMPS = new Set(['return', 'goto', 'break', 'continue', '__leave']);
const DEFINES = /^[ \t]*#[ \t]*define[ \t]/gm;
const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/gm;

/** The `#define`s of a text in order, with the text of each (for digests). */
export interface Defines {
  macros: Macro[];
  /** Where each directive starts in its file. */
  offsets: number[];
  digest: string;
}

const NO_DEFINES: Defines = { macros: [], offsets: [], digest: '' };

/** Reads the `#define` directives of a file (all branches of its conditionals: first one wins later). */
export function readDefines(text: string, file = '<lint>'): Defines {
  if (!text.includes('define')) return NO_DEFINES;
  const macros: Macro[] = [];
  const offsets: number[] = [];
  const texts: string[] = [];
  for (const d of text.matchAll(DEFINES)) {
    // The directive runs to the first line end not escaped by a backslash.
    let end = d.index;
    for (;;) {
      const nl = text.indexOf('\n', end);
      if (nl < 0) { end = text.length; break; }
      const before = text[nl - 1] === '\r' ? nl - 2 : nl - 1;
      end = nl + 1;
      if (text[before] !== '\\') break;
    }
    const line = logicalLines(text.slice(d.index, end))[0];
    if (!line) continue;
    const toks = tokenizeLine(line.text, file, line.lines, line.cols);
    // `#`, `define`, then the definition.
    const m = macroFromDefine(toks.slice(2));
    if ('error' in m) continue;
    macros.push(m);
    offsets.push(d.index);
    texts.push(line.text.trim());
  }
  return macros.length === 0 ? NO_DEFINES : { macros, offsets, digest: hashText(texts.join('\n')) };
}

/** The headers a file includes by name, as written (`dsr.h`, `inc/util.h`). */
export function includedNames(text: string): string[] {
  if (!text.includes('include')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(INCLUDE)) out.push(m[1] ?? m[2]);
  return out;
}

/** A statement macro's expansion lowered once, its spans to be replaced by each invocation's. */
export interface LoweredExpansion {
  stmt: Stmt;
  locals: VarDecl[];
  hasError: boolean;
}

/** What an object-like macro is to the lowering: a jump, another name, or neither (null). */
type MacroKind = { jump?: true; alias?: string } | null;

/** The macros one file sees: which are statement macros to expand, which names are aliases. */
export class StatementMacros {
  private readonly all = new MacroTable();
  /** Function-like macros with a name in their body: each invocation as a statement is expanded. */
  private readonly statements = new Set<string>();
  /**
   * Object-like macros with a name in their body: whether one jumps or names one variable is told
   * by expanding it, on the first use of its name only (a header may define thousands the code
   * never writes).
   */
  private readonly objectLike = new Set<string>();
  private readonly kinds = new Map<string, MacroKind>();
  /** Where the file itself defines a macro: code above that point does not see it. */
  private readonly ownOffsets = new Map<string, number>();
  readonly digest: string;
  /** Lowered expansions by their text (a macro is invoked the same way many times). */
  readonly lowered = new Map<string, LoweredExpansion | null>();

  /** `tables` in priority order: the file's own defines first (`own`), then its headers'. */
  constructor(tables: readonly Defines[], own = false) {
    // A macro defined twice (the two branches of an `#ifdef`) keeps its first definition.
    for (const t of [...tables].reverse()) for (const m of [...t.macros].reverse()) this.all.define(m);
    if (own && tables[0]) tables[0].macros.forEach((m, i) => { if (!this.ownOffsets.has(m.name)) this.ownOffsets.set(m.name, tables[0].offsets[i]); });
    for (const m of this.all.entries()) {
      if (!m.body.some((b) => b.kind === 'id')) continue;
      (m.params ? this.statements : this.objectLike).add(m.name);
    }
    this.digest = this.any ? hashText(tables.map((t) => t.digest).join('|')) : '';
  }

  /** An object-like macro's kind: it jumps, stands for one other name, or neither (null). */
  private kindOf(name: string): MacroKind {
    let k = this.kinds.get(name);
    if (k !== undefined) return k;
    k = null;
    const expanded = this.expandTokens([{ kind: 'id', text: name, file: '<macro>', line: 1, col: 1, space: false }]);
    if (expanded?.some((t) => t.kind === 'id' && JUMPS.has(t.text))) k = { jump: true };
    else if (expanded && expanded.length === 1 && expanded[0].kind === 'id' && expanded[0].text !== name) k = { alias: expanded[0].text };
    this.kinds.set(name, k);
    return k;
  }

  /**
   * Whether an invocation of `name` as a statement is expanded: the project's function-like macros
   * (`SAFE_RELEASE(ctx)`, `CHECK_AND_BREAK(s)`) and object-like ones that jump (`LEAVE_NOW`).
   */
  isStatement(name: string, at: number): boolean {
    const is = this.statements.has(name) || (this.objectLike.has(name) && !!this.kindOf(name)?.jump);
    return is && this.visible(name, at);
  }

  /** The variable an object-like macro stands for (`DSR_STATUS` → `__status`), if it is one name. */
  alias(name: string, at: number): string | undefined {
    if (!this.objectLike.has(name)) return undefined;
    const a = this.kindOf(name)?.alias;
    return a !== undefined && this.visible(name, at) ? a : undefined;
  }

  /** A macro the file defines itself applies below its `#define` only. */
  private visible(name: string, at: number): boolean {
    const from = this.ownOffsets.get(name);
    return from === undefined || at > from;
  }

  /** Whether any macro may expand or stand for a name (object-like ones are told on use). */
  get any(): boolean {
    return this.statements.size > 0 || this.objectLike.size > 0;
  }

  private tokens(text: string): PpToken[] {
    const out: PpToken[] = [];
    for (const line of logicalLines(text)) out.push(...tokenizeLine(line.text, '<macro>', line.lines, line.cols));
    return out;
  }

  private expandTokens(toks: PpToken[]): PpToken[] | undefined {
    try {
      return this.all.expand(toks, new ExpansionBudget(20_000, 64));
    } catch {
      return undefined;
    }
  }

  /**
   * The C an invocation expands to (`invocation` is its text as written: `NAME(args)` or `NAME`),
   * or undefined when it cannot be expanded (wrong argument count, runaway expansion).
   */
  expand(invocation: string): string | undefined {
    const toks = this.expandTokens(this.tokens(invocation));
    if (!toks) return undefined;
    let s = '';
    for (const t of toks) s += (s && (t.space || needsBlank(s, t.text)) ? ' ' : '') + t.text;
    return s;
  }
}

function needsBlank(before: string, next: string): boolean {
  return /[A-Za-z0-9_]$/.test(before) && /^[A-Za-z0-9_]/.test(next);
}

export const NO_STATEMENT_MACROS = new StatementMacros([]);
