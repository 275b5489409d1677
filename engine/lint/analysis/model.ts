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
import type { CallExpr, Expr, FunctionIR, Span } from '../frontend/ir';
import { lowerFunction, lowerInitializer, declaratorShape, type MacroLowering } from '../frontend/lower';
import { calledName, isNullExpr, unqualified } from '../frontend/exprs';
import { namesSameFunction, normalQualified, resolveAmong } from './qualifiedNames';
import { callTarget } from './callTargets';
import { lineStarts, positionAt, scanText, type TextCall, type TextFacts } from './textScan';
import { irqlAnnotations, type IrqlAnnotation } from './irqlAnnotations';
import { ReadLog } from './reads';
import {
  readContextTable, readFilterRegistration, readOperationTable,
  type ContextTable, type FilterRegistration, type OperationTable,
} from './registration';

export interface Loc {
  anchor: string;
  span: Span;
  /** Set when the location is in another file of the project (its absolute path). */
  file?: string;
}

export interface TopFunction {
  /** The key it goes by: its last name, or its qualified name when another definition shares the last (qualifiedNames.ts). */
  name: string;
  /** C++: enclosing namespaces and classes and the written qualification (`N::Class::Method`); the name in C. */
  qualified: string;
  /** Valid only for the tree it came from; absent when the cache entry already has the IR. */
  node?: SyntaxNode;
  /** The text-keyed cache entry (IR, memoised analyses). */
  entry: FunctionEntry;
  startIndex: number;
  startRow: number;
  startColumn: number;
  text: string;
  facts: TextFacts;
}

/** One declarator of a registration declaration, its initializer lowered relative to the declaration. */
export interface DeclaredTable {
  name: string;
  typeText: string;
  init: Expr;
}

/**
 * A second definition of a name the file already defines (a C redefinition, the other branch of an
 * `#if`, a C++ overload or a method of another class). The first definition is the one analysed:
 * every lookup by name and every pass over the functions sees that one only, so what the second
 * holds cannot leak into findings anchored to the first (found by npm run fuzz).
 */
export interface Redefinition {
  kind: 'function' | 'declaration';
  name: string;
  /** Where the second definition starts, and the first row of the one analysed. */
  row: number;
  column: number;
  endColumn: number;
  firstRow: number;
  text: string;
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
  /** Identifies this exact text within the cache (a serial number, not a digest). */
  hash: string;
  /** The defined name, read from the tree on first use (null: none could be read). */
  name?: string | null;
  /** C++: the name as written when it is qualified (`FastMutex::Init`); the functions go by `name`. */
  qualified?: string;
}

let entrySerial = 0;

export class FunctionCache {
  private entries = new Map<string, FunctionEntry>();
  private used = new Set<string>();
  /** Registration declarations, read once per declaration text (and first column). */
  readonly declarations = new Map<string, DeclaredTable[]>();
  private usedDeclarations = new Set<string>();
  /** The statement macros the cached IR was lowered with: other macros make other IR. */
  private macrosDigest = '';

  /** Drops every entry when the project's jumping macros changed since the last run. */
  useMacros(digest: string): void {
    if (digest === this.macrosDigest) return;
    this.macrosDigest = digest;
    this.entries.clear();
    this.used.clear();
  }

  declaration(key: string, read: () => DeclaredTable[]): DeclaredTable[] {
    let e = this.declarations.get(key);
    if (!e) {
      e = read();
      this.declarations.set(key, e);
    }
    this.usedDeclarations.add(key);
    return e;
  }

  get(text: string): FunctionEntry {
    let e = this.entries.get(text);
    if (!e) {
      // The entry lives as long as this exact text does, so a serial number is as good as a digest.
      e = { text, facts: scanText(text), memo: new Map(), hash: `f${++entrySerial}` };
      this.entries.set(text, e);
    }
    this.used.add(text);
    return e;
  }

  /** Drops entries no function of the latest run used. */
  sweep(): void {
    for (const k of this.entries.keys()) if (!this.used.has(k)) this.entries.delete(k);
    this.used.clear();
    for (const k of this.declarations.keys()) if (!this.usedDeclarations.has(k)) this.declarations.delete(k);
    this.usedDeclarations.clear();
  }
}

export { hashText } from './hash';

/** Code as a note names it: its first line, spaces collapsed, shortened to 48 characters. */
export function constructText(text: string): string {
  const first = text.trim().split('\n')[0]!.trim().replace(/\s+/g, ' ');
  return first.length > 48 ? `${first.slice(0, 45)}...` : first;
}

/** The column where the first line of `text` (starting at `column`) ends. */
function firstLineEnd(text: string, column: number): number {
  const nl = text.indexOf('\n');
  return column + (nl < 0 ? text.length : nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl);
}

export interface PagedInfo {
  /** Where the function was placed in a pageable section: the pragma's line. */
  row: number;
  how: 'alloc_text' | 'code_seg';
}

/** The file's functions by name; every lookup and every pass over them is noted in the read log. */
class FunctionTable extends Map<string, TopFunction> {
  /** Definitions by last name, where two or more share it (each then keyed by its qualified name). */
  readonly shared = new Map<string, TopFunction[]>();

  constructor(private readonly log: ReadLog) {
    super();
  }

  override get(name: string): TopFunction | undefined {
    this.log.note(`fn:${name}`);
    return this.peek(name);
  }

  override has(name: string): boolean {
    this.log.note(`fn:${name}`);
    return this.peek(name) !== undefined;
  }

  /** The definition keyed exactly `name`, without resolving a qualified reference. */
  exact(name: string): TopFunction | undefined {
    return super.get(name);
  }

  /**
   * A lookup that is not a dependency (the model's own bookkeeping, the values of reads). A
   * qualified reference finds the definition keyed by its last name when they name the same
   * function, or the one of several sharing the last name it picks out.
   */
  peek(name: string): TopFunction | undefined {
    const hit = super.get(name);
    if (hit || this.shared.size === 0 && !name.includes('::')) return hit;
    const last = unqualified(name);
    const among = this.shared.get(last);
    if (among) return resolveAmong(name, among, (f) => f.qualified);
    const one = name === last ? undefined : super.get(last);
    return one && namesSameFunction(one.qualified, name) ? one : undefined;
  }

  override get size(): number {
    this.log.note('*');
    return super.size;
  }

  override keys(): ReturnType<Map<string, TopFunction>['keys']> {
    this.log.note('*');
    return super.keys();
  }

  override values(): ReturnType<Map<string, TopFunction>['values']> {
    this.log.note('*');
    return super.values();
  }

  override entries(): ReturnType<Map<string, TopFunction>['entries']> {
    this.log.note('*');
    return super.entries();
  }

  override [Symbol.iterator](): ReturnType<Map<string, TopFunction>['entries']> {
    this.log.note('*');
    return super.entries();
  }

  override forEach(fn: (value: TopFunction, key: string, map: Map<string, TopFunction>) => void, thisArg?: unknown): void {
    this.log.note('*');
    super.forEach(fn, thisArg);
  }
}

/** Line starts of a definition's text (to place an IR call in it). */
const TEXT_LINES = new WeakMap<TopFunction, number[]>();

export class FileModel {
  /** What the rule checks read outside their own function (engine/lint/analysis/reads.ts). */
  readonly reads = new ReadLog();
  readonly functions: Map<string, TopFunction> & { peek(name: string): TopFunction | undefined; readonly shared: ReadonlyMap<string, TopFunction[]> } = new FunctionTable(this.reads);
  private readonly defs: TopFunction[] = [];

  /**
   * The key of the definition a call in `caller`'s body names: its called name, or, when methods of
   * several classes share that name, the one the C++ picks out (`this->`, `obj.`, `Class::`, a call
   * inside its own class; callTargets.ts). Unresolved, the called name (which then finds none).
   */
  callTarget(caller: TopFunction, call: TextCall): string {
    const among = this.functions.shared.get(call.name);
    return among ? callTarget(caller, call, among) : call.name;
  }
  /**
   * The key of the definition a call of `caller`'s IR names: the same choice `callTarget` makes for
   * the call written at that place of the text (`Class::Run()`, `this->Run()`, `obj.Run()`). Every
   * lookup of a callee's facts from a rule goes through here; a name no two definitions share is
   * its own key.
   */
  callTargetOf(caller: string, c: CallExpr): string | undefined {
    const name = calledName(c);
    if (!name || !this.functions.shared.has(name)) return name;
    const f = this.functions.peek(caller);
    if (!f) return name;
    let starts = TEXT_LINES.get(f);
    if (!starts) TEXT_LINES.set(f, (starts = lineStarts(f.text)));
    const row = c.fn.r.er;
    if (row >= starts.length) return name;
    const end = starts[row] + c.fn.r.ec - (row === 0 ? f.startColumn : 0);
    const call = f.facts.calls.find((t) => t.name === name && t.offset === end - name.length);
    return call ? this.callTarget(f, call) : name;
  }
  /**
   * What `callTargetOf` answers for the calls of `caller` whose name two definitions share ('' when
   * none does): part of the memo key of an analysis that follows them, so that a definition added
   * elsewhere in the file is not answered from before it.
   */
  sharedTargetsKey(caller: string): string {
    if (this.functions.shared.size === 0) return '';
    const f = this.functions.peek(caller);
    if (!f) return '';
    let key = '';
    for (const c of f.facts.calls) if (this.functions.shared.has(c.name)) key += `${c.offset}=${this.callTarget(f, c)};`;
    return key;
  }
  readonly declarations = new Map<string, TopDeclaration>();
  readonly operationTables = new Map<string, OperationTable>();
  readonly contextTables = new Map<string, ContextTable>();
  readonly registrations: FilterRegistration[] = [];
  readonly paged = new Map<string, PagedInfo>();
  /** Later definitions of names defined earlier in the file; never analysed. */
  readonly redefinitions: Redefinition[] = [];

  private annotations?: Map<string, IrqlAnnotation>;

  /** Every function definition, in text order (a pass over all of them: read `*`). */
  get functionList(): readonly TopFunction[] {
    this.reads.note('*');
    return this.defs;
  }

  /**
   * The current value of a read (reads.ts), compared with the one a cached result was computed
   * with. `irql:` ids are the file context's (they need the IRQL model).
   */
  readValue(id: string): string {
    if (id === '*') return this.defs.map((f) => `${f.name}=${f.entry.hash}`).join(',');
    if (id.startsWith('fn:')) return this.functions.peek(id.slice(3))?.entry.hash ?? '-';
    this.annotations ??= irqlAnnotations(this.original);
    if (id === 'ann:*') return JSON.stringify([...this.annotations]);
    if (id.startsWith('ann:')) return JSON.stringify(this.annotationOf(id.slice(4)) ?? null);
    throw new Error(`fltsim: unknown read id '${id}'`);
  }

  /**
   * @param text the prepared text the tree was parsed from (same positions as the user's)
   * @param original the user's text, for what the preparation blanks (IRQL annotations)
   * @param macros the project's jumping statement macros, expanded where they are invoked
   */
  constructor(readonly text: string, readonly tree: Tree, private readonly cache: FunctionCache, readonly original: string = text, private readonly macros?: MacroLowering) {
    cache.useMacros(macros?.macros.digest ?? '');
    this.scanTop(tree.rootNode);
    this.scanPragmas();
  }

  /**
   * Where the tree holds syntax tree-sitter could not read: the first ERROR or MISSING node of each
   * function, and each one outside functions. Empty for a clean tree (the common case costs one test).
   */
  parseProblems(): { span: Span; construct: string; fn?: string }[] {
    const out: { span: Span; construct: string; fn?: string }[] = [];
    if (!this.tree.rootNode.hasError) return out;
    const seenFn = new Set<string>();
    const fnAt = (index: number) => {
      for (const f of this.defs) if (index >= f.startIndex && index < f.startIndex + f.text.length) return f.name;
      return undefined;
    };
    const visit = (n: SyntaxNode, depth: number): void => {
      if (n.type === 'ERROR' || n.isMissing) {
        const fn = fnAt(n.startIndex);
        if (fn !== undefined) { if (seenFn.has(fn)) return; seenFn.add(fn); }
        const s = n.startPosition;
        const e = n.endPosition;
        const construct = n.isMissing ? `missing '${n.type}'` : constructText(this.original.slice(n.startIndex, n.endIndex)) || n.type;
        out.push({ span: { sr: s.row, sc: s.column, er: e.row, ec: e.column }, construct, ...(fn !== undefined ? { fn } : {}) });
        return;
      }
      if (depth > 200) return;
      for (const c of n.children) if (c && (c.hasError || c.isMissing)) visit(c, depth + 1);
    };
    visit(this.tree.rootNode, 0);
    return out;
  }

  /** The IRQL annotation of a function of this file (on its definition or a prototype here). */
  irqlAnnotation(name: string): IrqlAnnotation | undefined {
    this.reads.note(`ann:${name}`);
    return this.annotationOf(name);
  }

  /** A method defined as `Class::Name` takes its own class's annotation, or one written without a class. */
  private annotationOf(name: string): IrqlAnnotation | undefined {
    this.annotations ??= irqlAnnotations(this.original);
    const qualified = this.functions.peek(name)?.entry.qualified;
    return (qualified !== undefined ? this.annotations.get(qualified) : undefined) ?? this.annotations.get(name);
  }

  /** The names (without their C++ class) the file annotates with an IRQL bound. */
  annotatedNames(): Iterable<string> {
    this.reads.note('ann:*');
    this.annotations ??= irqlAnnotations(this.original);
    return [...this.annotations.keys()].map(unqualified);
  }

  entry(name: string): FunctionEntry | undefined {
    return this.functions.get(name)?.entry;
  }

  /** The IR of a function defined in this file, lowered on first use (null when it cannot be read). */
  ir(name: string): FunctionIR | undefined {
    const f = this.functions.get(name);
    if (!f) return undefined;
    const e = f.entry;
    if (e.ir === undefined) e.ir = f.node ? lowerFunction(f.node, this.text, this.macros) ?? null : null;
    if (!e.ir) return undefined;
    // The IR is shared by every definition with the same text; its name is the one it goes by here.
    return e.ir.baseRow === f.startRow && e.ir.name === f.name ? e.ir : { ...e.ir, baseRow: f.startRow, name: f.name };
  }

  /** The absolute first row of an anchor. */
  anchorRow(anchor: string): number | undefined {
    if (anchor === '') return 0;
    if (anchor.startsWith('fn:')) return this.functions.peek(anchor.slice(3))?.startRow;
    if (anchor.startsWith('decl:')) return this.declarations.get(anchor.slice(5))?.startRow;
    return undefined;
  }

  /** Walks the top level with a cursor: no node objects except one per function definition. */
  private scanTop(root: SyntaxNode, scope = ''): void {
    const cursor = root.walk();
    try {
      if (!cursor.gotoFirstChild()) return;
      do {
        switch (cursor.nodeType) {
          case 'function_definition': this.addFunction(cursor, scope); break;
          case 'declaration': {
            const text = this.text.slice(cursor.startIndex, cursor.endIndex);
            if (text.includes('REGISTRATION') && text.includes('=')) this.addDeclaration(cursor, text);
            break;
          }
          // `extern "C" { … }` holds a declaration_list; `extern "C" NTSTATUS DriverEntry(…) { … }`
          // holds the function itself: walking the linkage's own children reaches both.
          case 'linkage_specification':
            this.scanTop(cursor.currentNode, scope);
            break;
          case 'declaration_list': case 'preproc_if': case 'preproc_ifdef': case 'preproc_else': case 'preproc_elif':
          case 'template_declaration':
            this.scanTop(cursor.currentNode, scope);
            break;
          // C++: functions inside namespaces and class bodies.
          case 'namespace_definition': case 'class_specifier': case 'struct_specifier': {
            const node = cursor.currentNode;
            const body = node.childForFieldName('body');
            const named = node.childForFieldName('name');
            const inner = named ? normalQualified(this.text.slice(named.startIndex, named.endIndex)) : '';
            if (body && (body.type === 'declaration_list' || body.type === 'field_declaration_list')) this.scanTop(body, inner && scope ? `${scope}::${inner}` : inner || scope);
            break;
          }
          default: break;
        }
      } while (cursor.gotoNextSibling());
    } finally {
      cursor.delete();
    }
  }

  /**
   * The function's name: follow the `declarator` fields down to the identifier. The name depends
   * only on the text, so after an edit the cache entry of an unchanged function already has it (and
   * its IR), and the walk down the declarators (and the node object) are skipped.
   */
  private addFunction(cursor: ReturnType<SyntaxNode['walk']>, scope: string): void {
    const startIndex = cursor.startIndex;
    const endIndex = cursor.endIndex;
    const start = cursor.startPosition;
    const text = this.text.slice(startIndex, endIndex);
    const entry = this.cache.get(text);
    if (entry.name === undefined) {
      const written = this.functionName(cursor);
      entry.name = written === undefined ? null : unqualified(written);
      if (written !== undefined && written !== entry.name) entry.qualified = written.replace(/\s+/g, '');
    }
    const name = entry.name;
    if (!name) return;
    const written = entry.qualified ?? name;
    const qualified = scope ? `${scope}::${written}` : written;
    const table = this.functions as FunctionTable;
    const alone = table.shared.has(name) ? undefined : table.exact(name);
    const sharing = table.shared.get(name) ?? (alone ? [alone] : []);
    const first = sharing.find((f) => f.qualified === qualified);
    if (first) {
      this.redefinitions.push({ kind: 'function', name, row: start.row, column: start.column, endColumn: firstLineEnd(text, start.column), firstRow: first.startRow, text });
      return;
    }
    // The node is only needed to lower the IR, which the entry keeps once made.
    const node = entry.ir === undefined ? cursor.currentNode : undefined;
    const fn: TopFunction = { name, qualified, node, entry, startIndex, startRow: start.row, startColumn: start.column, text, facts: entry.facts };
    if (sharing.length > 0) {
      // Another class's method of the same name: each goes by its qualified name from now on.
      for (const f of sharing) {
        if (f.name === f.qualified) continue;
        table.delete(f.name);
        f.name = f.qualified;
        table.set(f.name, f);
      }
      fn.name = qualified;
      table.shared.set(name, [...sharing, fn]);
    }
    table.set(fn.name, fn);
    this.defs.push(fn);
    // Registration tables declared inside a function (`FLT_REGISTRATION const reg = {…};` in
    // DriverEntry, a common C++ style) are what FltRegisterFilter gets as much as global ones.
    if (text.includes('REGISTRATION') && text.includes('=')) {
      for (const d of cursor.currentNode.descendantsOfType('declaration')) {
        if (!d) continue;
        const declText = this.text.slice(d.startIndex, d.endIndex);
        if (declText.includes('REGISTRATION') && declText.includes('=')) this.addDeclaration(d, declText, true);
      }
    }
  }

  private functionName(cursor: ReturnType<SyntaxNode['walk']>): string | undefined {
    let name: string | undefined;
    let depth = 0;
    let found = cursor.gotoFirstChild();
    if (found) depth++;
    while (found) {
      if (cursor.currentFieldName === 'declarator') {
        const t = cursor.nodeType;
        if (t === 'identifier' || t === 'field_identifier') { name = this.text.slice(cursor.startIndex, cursor.endIndex); break; }
        // C++ `Class::Method` or `ns::Function`: functions go by their last name, as calls to them do.
        if (t === 'qualified_identifier' || t === 'destructor_name' || t === 'operator_name') { name = this.text.slice(cursor.startIndex, cursor.endIndex); break; }
        if (t !== 'function_declarator' && t !== 'pointer_declarator' && t !== 'parenthesized_declarator' && t !== 'attributed_declarator' && t !== 'reference_declarator') break;
        if (!cursor.gotoFirstChild()) break;
        depth++;
        continue;
      }
      found = cursor.gotoNextSibling();
    }
    while (depth-- > 0) cursor.gotoParent();
    return name;
  }

  /** A registration table's declaration; a local one yields to any table of its name seen before (locals of two functions may share a name). */
  private addDeclaration(at: ReturnType<SyntaxNode['walk']> | SyntaxNode, declText: string, local = false): void {
    const start = at.startPosition;
    const tables = this.cache.declaration(`${start.column}|${declText}`, () => this.readDeclaration('currentNode' in at ? at.currentNode : at));
    for (const t of tables) {
      // `= { 0 }` or `= {}` only zeroes the table: its fields are stored one by one afterwards,
      // which this reading does not follow, so the initializer says nothing about them.
      if (t.init.k === 'init' && t.init.items.every((i) => isNullExpr(i))) continue;
      const first = this.declarations.get(t.name);
      if (first) {
        if (local) continue;
        this.redefinitions.push({ kind: 'declaration', name: t.name, row: start.row, column: start.column, endColumn: firstLineEnd(declText, start.column), firstRow: first.startRow, text: declText });
        continue;
      }
      this.declarations.set(t.name, { name: t.name, typeText: t.typeText, startRow: start.row, text: declText, init: t.init });
      if (/FLT_OPERATION_REGISTRATION\b/.test(t.typeText)) this.operationTables.set(t.name, readOperationTable(t.name, t.init));
      else if (/FLT_CONTEXT_REGISTRATION\b/.test(t.typeText)) this.contextTables.set(t.name, readContextTable(t.name, t.init));
      else this.registrations.push(readFilterRegistration(t.name, t.init));
    }
  }

  private readDeclaration(n: SyntaxNode): DeclaredTable[] {
    const out: DeclaredTable[] = [];
    const typeNode = n.childForFieldName('type');
    const typeText = typeNode ? this.text.slice(typeNode.startIndex, typeNode.endIndex) : '';
    if (!/FLT_(OPERATION_|CONTEXT_)?REGISTRATION\b/.test(typeText)) return out;
    const startRow = n.startPosition.row;
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d || d.type !== 'init_declarator') continue;
      const value = d.childForFieldName('value');
      const name = declaratorShape(d.childForFieldName('declarator'), this.text).name;
      if (!value || !name || value.type !== 'initializer_list') continue;
      out.push({ name, typeText, init: lowerInitializer(value, startRow, this.text) });
    }
    return out;
  }

  private scanPragmas(): void {
    const text = this.text;
    if (text.indexOf('pragma') < 0) return;
    const starts = lineStarts(text);
    const lineOf = (offset: number) => positionAt(starts, offset).row;
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
      for (const f of this.defs) {
        if (f.startIndex > r.from && f.startIndex < r.to && !this.paged.has(f.name)) this.paged.set(f.name, { row: r.row, how: 'code_seg' });
      }
    }
  }
}
