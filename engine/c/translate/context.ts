/**
 * State shared by the translation passes over one translation unit.
 */
import type { Loc } from '../ast';
import type { SourceMap } from '../preprocess';
import type { Scope } from '../scope';
import type { SyntaxNode } from '../treeSitter';

export interface TranslateDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  loc: Loc;
}

export class TranslateContext {
  readonly diagnostics: TranslateDiagnostic[] = [];
  /** Enumerator names by enum, so a debugger can print `FLT_PREOP_PENDING` instead of 2. */
  readonly enumNames = new Map<string, Map<number, string>>();
  private anonymous = 0;

  constructor(
    readonly text: string,
    readonly map: SourceMap,
    public scope: Scope,
  ) {}

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

  anonymousTag(): string {
    return `<anonymous ${++this.anonymous}>`;
  }

  /** Short source text for messages. */
  snippet(node: SyntaxNode): string {
    const t = node.text.replace(/\s+/g, ' ').trim();
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  }
}
