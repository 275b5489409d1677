/**
 * State shared by the translation passes over one translation unit.
 */
import { MAX_NESTING } from '../../limits';
import type { Expr, Loc, Stmt } from '../ast';
import type { CType } from '../types';
import type { SourceMap } from '../preprocess';
import type { Scope } from '../scope';
import type { PreludeTagStanding } from '../prelude/origins';
import type { SyntaxNode } from '../treeSitter';

export interface TranslateDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  loc: Loc;
}

/** Thrown by `enter` past MAX_NESTING; the translation of the enclosing top-level item is dropped with an error at `node`. */
export class NestingError extends Error {
  constructor(readonly node: SyntaxNode) {
    super('nested too deeply');
  }
}

/**
 * The C++ front end's entry points (engine/c/cpp/): consulted first for every node of a C++ file,
 * they answer the C++ constructs and return undefined for the C ones. C files never set them.
 */
export interface CppHooks {
  expr(ctx: TranslateContext, node: SyntaxNode): Expr | undefined;
  stmt(ctx: TranslateContext, node: SyntaxNode): Stmt | undefined;
  typeSpecifier(ctx: TranslateContext, node: SyntaxNode): CType | undefined;
  /** A declarator C does not have (`T &x`, `N::f`, `~T`, `operator new`): the type it makes and the name. */
  declarator(ctx: TranslateContext, node: SyntaxNode, type: CType): { name?: string; type: CType; next: SyntaxNode | null } | undefined;
}

/** Translates an expression node (translate/expressions.ts's translateExpr). */
export type ExprTranslator = (ctx: TranslateContext, node: SyntaxNode) => Expr;

export class TranslateContext {
  readonly diagnostics: TranslateDiagnostic[] = [];
  /** Enumerator names by enum, so a debugger can print `FLT_PREOP_PENDING` instead of 2. */
  readonly enumNames = new Map<string, Map<number, string>>();
  private anonymous = 0;
  /** `#pragma pack` in effect: the cap on member alignment of structs defined from here on. */
  pack: number | undefined;
  private readonly packStack: (number | undefined)[] = [];
  /** Set for a C++ file only (engine/c/cpp/). */
  cpp: CppHooks | undefined = undefined;
  /** Set when the file starts from the compiled prelude (engine/c/prelude/origins.ts). */
  preludeTag: ((tag: string) => PreludeTagStanding) | undefined = undefined;
  /** Nesting of the recursive translation functions right now. */
  private depth = 0;

  constructor(
    readonly text: string,
    readonly map: SourceMap,
    public scope: Scope,
    /**
     * Handed in rather than imported: C's type names hold constant expressions (array sizes, bit
     * widths, enumerator values) and its expressions hold type names (casts, sizeof), so the
     * declarator pass reaches the expression pass through the context and the two do not import
     * each other.
     */
    private readonly exprTranslator: ExprTranslator,
  ) {}

  /** An expression inside a declaration (an array size, a bit width, an enumerator's value). */
  expr(node: SyntaxNode): Expr {
    return this.exprTranslator(this, node);
  }

  /** Runs one recursive step of translation, refusing to go past MAX_NESTING (NestingError). */
  nested<T>(node: SyntaxNode, translate: () => T): T {
    if (this.depth >= MAX_NESTING) throw new NestingError(node);
    this.depth++;
    try {
      return translate();
    } finally {
      this.depth--;
    }
  }

  loc(node: SyntaxNode): Loc {
    const o = this.map.originAt(node.startIndex);
    return { file: o.file, line: o.line, col: o.col };
  }

  endLoc(node: SyntaxNode): Loc {
    const o = this.map.originAt(Math.max(node.startIndex, node.endIndex - 1));
    return { file: o.file, line: o.line, col: o.col };
  }

  error(node: SyntaxNode, message: string): void {
    this.diagnostics.push({ severity: 'error', message, loc: this.loc(node) });
  }

  warn(node: SyntaxNode, message: string): void {
    this.diagnostics.push({ severity: 'warning', message, loc: this.loc(node) });
  }

  /** Applies `#pragma pack(…)`'s argument text: `(n)`, `()`, `(push[, id][, n])`, `(pop[, id | n])`. */
  pragmaPack(args: string): void {
    const parts = args.replace(/^\s*\(|\)\s*$/g, '').split(',').map((p) => p.trim()).filter((p) => p !== '');
    const number = parts.map(Number).find((n) => Number.isInteger(n) && n > 0);
    if (parts[0] === 'push') {
      this.packStack.push(this.pack);
      if (number !== undefined) this.pack = number;
    } else if (parts[0] === 'pop') {
      this.pack = this.packStack.length > 0 ? this.packStack.pop() : undefined;
      if (number !== undefined) this.pack = number;
    } else if (parts[0] !== 'show') {
      this.pack = number;
    }
  }

  anonymousTag(): string {
    return `<anonymous ${++this.anonymous}>`;
  }

  /** Short source text for messages. */
  snippet(node: SyntaxNode): string {
    const t = node.text.replace(/\s+/g, ' ').trim();
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  }
}
