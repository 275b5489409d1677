/**
 * The file-level picture the rules share: the function definitions (found from the top level of the
 * syntax tree, their IR lowered only on demand), the registration tables, the pageable functions,
 * and anchored locations.
 *
 * A location is anchored to the function or declaration it lies in (`fn:Name`, `decl:Name`) with
 * rows relative to that anchor's first line. Findings computed for one function can then be cached
 * by the function's text and reused after an edit elsewhere moved the function up or down.
 */
import type { SyntaxNode, Tree } from '../../c/treeSitter';
import type { Expr, FunctionIR, Span } from '../frontend/ir';
import { lowerFunction, lowerInitializer, declaratorShape } from '../frontend/lower';
import { scanText, type TextFacts } from './textScan';
import {
  readContextTable, readFilterRegistration, readOperationTable,
  type ContextTable, type FilterRegistration, type OperationTable,
} from './registration';

export interface Loc {
  anchor: string;
  span: Span;
}

export interface TopFunction {
  name: string;
  /** Valid only for the tree it came from. */
  node: SyntaxNode;
  startIndex: number;
  startRow: number;
  startColumn: number;
  text: string;
  facts: TextFacts;
}

export interface TopDeclaration {
  name: string;
  typeText: string;
  startRow: number;
  text: string;
  init: Expr;
}

/** Per-function data that depends only on the function's text, cached across edits. */
export interface FunctionEntry {
  text: string;
  facts: TextFacts;
  /** Lowered on first use; spans are relative to the function's first line. */
  ir?: FunctionIR | null;
  /** Text-only analyses (CFG, aliases, return values), computed on first use. */
  memo: Map<string, unknown>;
  hash: string;
}

export class FunctionCache {
  private entries = new Map<string, FunctionEntry>();
  private used = new Set<string>();

  get(text: string): FunctionEntry {
    let e = this.entries.get(text);
    if (!e) {
      e = { text, facts: scanText(text), memo: new Map(), hash: hashText(text) };
      this.entries.set(text, e);
    }
    this.used.add(text);
    return e;
  }

  /** Drops entries no function of the latest run used. */
  sweep(): void {
    for (const k of this.entries.keys()) if (!this.used.has(k)) this.entries.delete(k);
    this.used.clear();
  }
}

/** FNV-1a, 32 bits, as hex: a cheap fingerprint for cache keys (never for security). */
export function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + text.length.toString(36);
}

export interface PagedInfo {
  /** Where the function was placed in a pageable section: the pragma's line. */
  row: number;
  how: 'alloc_text' | 'code_seg';
}

export class FileModel {
  readonly functions = new Map<string, TopFunction>();
  readonly functionList: TopFunction[] = [];
  readonly declarations = new Map<string, TopDeclaration>();
  readonly operationTables = new Map<string, OperationTable>();
  readonly contextTables = new Map<string, ContextTable>();
  readonly registrations: FilterRegistration[] = [];
  readonly paged = new Map<string, PagedInfo>();

  constructor(readonly text: string, readonly tree: Tree, private readonly cache: FunctionCache) {
    this.scanTop(tree.rootNode);
    this.scanPragmas();
  }

  entry(name: string): FunctionEntry | undefined {
    const f = this.functions.get(name);
    return f ? this.cache.get(f.text) : undefined;
  }

  /** The IR of a function defined in this file, lowered on first use (null when it cannot be read). */
  ir(name: string): FunctionIR | undefined {
    const f = this.functions.get(name);
    if (!f) return undefined;
    const e = this.cache.get(f.text);
    if (e.ir === undefined) e.ir = lowerFunction(f.node) ?? null;
    if (!e.ir) return undefined;
    return e.ir.baseRow === f.startRow ? e.ir : { ...e.ir, baseRow: f.startRow };
  }

  /** The absolute first row of an anchor. */
  anchorRow(anchor: string): number | undefined {
    if (anchor === '') return 0;
    if (anchor.startsWith('fn:')) return this.functions.get(anchor.slice(3))?.startRow;
    if (anchor.startsWith('decl:')) return this.declarations.get(anchor.slice(5))?.startRow;
    return undefined;
  }

  private scanTop(root: SyntaxNode): void {
    for (const n of root.namedChildren) {
      if (!n) continue;
      switch (n.type) {
        case 'function_definition': this.addFunction(n); break;
        case 'declaration': this.addDeclaration(n); break;
        case 'linkage_specification': {
          const body = n.childForFieldName('body');
          if (body) this.scanTop(body);
          break;
        }
        case 'declaration_list': case 'preproc_if': case 'preproc_ifdef': case 'preproc_else': case 'preproc_elif':
          this.scanTop(n);
          break;
        default: break;
      }
    }
  }

  private addFunction(n: SyntaxNode): void {
    let d = n.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const nameNode = d?.childForFieldName('declarator');
    if (!nameNode || nameNode.type !== 'identifier') return;
    const text = this.text.slice(n.startIndex, n.endIndex);
    const fn: TopFunction = { name: nameNode.text, node: n, startIndex: n.startIndex, startRow: n.startPosition.row, startColumn: n.startPosition.column, text, facts: this.cache.get(text).facts };
    this.functions.set(fn.name, fn);
    this.functionList.push(fn);
  }

  private addDeclaration(n: SyntaxNode): void {
    const typeText = n.childForFieldName('type')?.text ?? '';
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d || d.type !== 'init_declarator') continue;
      const value = d.childForFieldName('value');
      const name = declaratorShape(d.childForFieldName('declarator')).name;
      if (!value || !name || value.type !== 'initializer_list') continue;
      if (!/FLT_(OPERATION_|CONTEXT_)?REGISTRATION\b/.test(typeText)) continue;
      const startRow = n.startPosition.row;
      const init = lowerInitializer(value, startRow);
      this.declarations.set(name, { name, typeText, startRow, text: this.text.slice(n.startIndex, n.endIndex), init });
      if (/FLT_OPERATION_REGISTRATION\b/.test(typeText)) this.operationTables.set(name, readOperationTable(name, init));
      else if (/FLT_CONTEXT_REGISTRATION\b/.test(typeText)) this.contextTables.set(name, readContextTable(name, init));
      else this.registrations.push(readFilterRegistration(name, init));
    }
  }

  private scanPragmas(): void {
    const text = this.text;
    if (text.indexOf('pragma') < 0) return;
    const lineOf = (offset: number) => {
      let row = 0;
      for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) row++;
      return row;
    };
    const alloc = /#\s*pragma\s+alloc_text\s*\(\s*"?([A-Za-z0-9_$]+)"?\s*,([^)]*)\)/g;
    for (let m = alloc.exec(text); m; m = alloc.exec(text)) {
      if (!/^PAGE/i.test(m[1])) continue;
      const row = lineOf(m.index);
      for (const name of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!this.paged.has(name)) this.paged.set(name, { row, how: 'alloc_text' });
      }
    }
    const seg = /#\s*pragma\s+code_seg\s*\(([^)]*)\)/g;
    const regions: { from: number; to: number; row: number }[] = [];
    let open: { from: number; row: number } | undefined;
    for (let m = seg.exec(text); m; m = seg.exec(text)) {
      const arg = m[1].trim();
      if (open) { regions.push({ from: open.from, to: m.index, row: open.row }); open = undefined; }
      if (/^"PAGE/i.test(arg) || /^PAGE/i.test(arg)) open = { from: m.index, row: lineOf(m.index) };
    }
    if (open) regions.push({ from: open.from, to: text.length, row: open.row });
    for (const r of regions) {
      for (const f of this.functionList) {
        if (f.startIndex > r.from && f.startIndex < r.to && !this.paged.has(f.name)) this.paged.set(f.name, { row: r.row, how: 'code_seg' });
      }
    }
  }
}
