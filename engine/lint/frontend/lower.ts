/**
 * tree-sitter-c nodes → the plain IR of ir.ts, for one function definition at a time. Anything the
 * grammar could not parse (ERROR or MISSING nodes) marks the function `hasError`, and constructs the
 * IR does not model become `other` expressions that keep their sub-expressions, so calls inside them
 * are still seen.
 */
import { MAX_NESTING } from '../../limits';
import type { SyntaxNode, Tree } from '../../c/treeSitter';
import type { Expr, FunctionIR, Param, Span, Stmt, VarDecl } from './ir';
import { SEH_MARKER } from './prepare';
import { unqualified } from './exprs';
import { normalQualified } from '../analysis/qualifiedNames';
import type { LoweredExpansion, StatementMacros } from './macros';

/** What the lowering needs to replace a project's jumping macro by its statements (macros.ts). */
export interface MacroLowering {
  macros: StatementMacros;
  /** The user's text (the prepared one rewrites macro arguments that hold statements). */
  original: string;
  /** Parses a stand-alone C (or C++) text with the file's grammar; the caller deletes the tree. */
  parse(text: string): Tree | undefined;
}

interface LowererOptions {
  /** Every span is this one: the statements of a macro expansion sit at its invocation. */
  fixed?: Span;
  locals?: Map<string, VarDecl>;
  staticLocals?: Set<string>;
  macros?: MacroLowering;
}

const PLACEHOLDER: Span = { sr: 0, sc: 0, er: 0, ec: 0 };

/** A copy of lowered IR with every span (`r`) replaced by `r`. */
function respan<T>(v: T, r: Span): T {
  if (Array.isArray(v)) return v.map((x) => respan(x, r)) as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'r' ? r : respan(x, r);
  return out as T;
}

/** Wraps an expansion so that it parses as a function body; the `;` ends a trailing label. */
const EXPANSION_HEAD = 'void __fltsim_expansion(void) {\n';

class Lowerer {
  hasError = false;
  /** The first place the body nests past MAX_NESTING; lowering stops going deeper there. */
  tooDeep: Span | undefined;
  private depth = 0;
  readonly locals: Map<string, VarDecl>;
  readonly staticLocals: Set<string>;
  private readonly fixed: Span | undefined;
  private readonly macros: MacroLowering | undefined;
  /** Qualified names stay qualified (registration initializers). */
  keepQualified = false;
  /** The function's parameter names (a C++ construction from a parameter reads like a declaration). */
  params = new Set<string>();

  constructor(private readonly baseRow: number, private readonly src: string, options: LowererOptions = {}) {
    this.locals = options.locals ?? new Map();
    this.staticLocals = options.staticLocals ?? new Set();
    this.fixed = options.fixed;
    this.macros = options.macros?.macros.any ? options.macros : undefined;
  }

  /** A node's text from the source string: `node.text` would ask web-tree-sitter to re-slice the input. */
  t(n: SyntaxNode | null | undefined): string {
    return n ? this.src.slice(n.startIndex, n.endIndex) : '';
  }

  span(n: SyntaxNode): Span {
    if (this.fixed) return this.fixed;
    const s = n.startPosition;
    const e = n.endPosition;
    return { sr: s.row - this.baseRow, sc: s.column, er: e.row - this.baseRow, ec: e.column };
  }

  /** Statements and expressions below MAX_NESTING become `empty` and `other`: the walk stays bounded. */
  private tooDeepAt(n: SyntaxNode): Span | undefined {
    if (this.depth < MAX_NESTING) return undefined;
    const r = this.span(n);
    this.tooDeep ??= r;
    this.hasError = true;
    return r;
  }

  stmt(n: SyntaxNode): Stmt {
    const deep = this.tooDeepAt(n);
    if (deep) return { k: 'empty', r: deep };
    this.depth++;
    try {
      return this.stmtNode(n);
    } finally {
      this.depth--;
    }
  }

  expr(n: SyntaxNode): Expr {
    const deep = this.tooDeepAt(n);
    if (deep) return { k: 'other', text: '', subs: [], r: deep };
    this.depth++;
    try {
      return this.exprNode(n);
    } finally {
      this.depth--;
    }
  }

  private stmtNode(n: SyntaxNode): Stmt {
    const r = this.span(n);
    switch (n.type) {
      case 'compound_statement':
        return { k: 'block', body: this.stmtList(n), r };
      case 'expression_statement': {
        const e = n.namedChild(0);
        const expanded = e && this.macros ? this.expansion(e, r) : undefined;
        if (expanded) return expanded;
        if (e && !this.isComment(e)) return { k: 'expr', e: this.expr(e), r };
        // The leave marker and its `;`: a `leave;` the preparation had no room to spell `__leave;`.
        const before = e ?? n.previousSibling;
        return before && this.isComment(before) && this.sehMarker(before) === 'leave' ? { k: 'leave', r } : { k: 'empty', r };
      }
      case 'declaration':
        return this.decl(n);
      case 'if_statement': {
        const cond = this.expr(n.childForFieldName('condition')!);
        const then = this.stmtOrEmpty(n.childForFieldName('consequence'), r);
        const alt = n.childForFieldName('alternative');
        const elseStmt = alt ? this.stmtOrEmpty(alt.type === 'else_clause' ? alt.namedChild(0) : alt, r) : undefined;
        return { k: 'if', cond, then, else: elseStmt, r };
      }
      case 'while_statement':
        return { k: 'while', cond: this.expr(n.childForFieldName('condition')!), body: this.stmtOrEmpty(n.childForFieldName('body'), r), r };
      case 'do_statement':
        return { k: 'do', body: this.stmtOrEmpty(n.childForFieldName('body'), r), cond: this.expr(n.childForFieldName('condition')!), r };
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        const cond = n.childForFieldName('condition');
        const update = n.childForFieldName('update');
        return {
          k: 'for',
          init: init ? (init.type === 'declaration' ? this.decl(init) : { k: 'expr', e: this.expr(init), r: this.span(init) }) : undefined,
          cond: cond ? this.expr(cond) : undefined,
          update: update ? this.expr(update) : undefined,
          body: this.stmtOrEmpty(n.childForFieldName('body'), r),
          r,
        };
      }
      case 'switch_statement':
        return { k: 'switch', disc: this.expr(n.childForFieldName('condition')!), body: this.stmtOrEmpty(n.childForFieldName('body'), r), r };
      case 'case_statement': {
        const value = n.childForFieldName('value');
        return { k: 'case', value: value ? this.expr(value) : undefined, body: this.stmtList(n, value?.id), r };
      }
      case 'return_statement': {
        const e = n.namedChild(0);
        return e && !isComment(e) ? { k: 'return', e: this.expr(e), r } : { k: 'return', r };
      }
      case 'break_statement':
        return { k: 'break', r };
      case 'continue_statement':
        return { k: 'continue', r };
      case 'goto_statement':
        return { k: 'goto', label: this.t(n.childForFieldName('label')), r };
      case 'labeled_statement': {
        const label = this.t(n.childForFieldName('label'));
        const inner = n.namedChildren.filter((c) => c && c.type !== 'statement_identifier' && !isComment(c));
        return { k: 'label', name: label, body: inner[0] ? this.stmt(inner[0]) : undefined, r };
      }
      case 'seh_try_statement': {
        const body = this.stmtOrEmpty(n.childForFieldName('body'), r);
        let fin: Stmt | undefined;
        let exc: { filter: Expr; body: Stmt } | undefined;
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'seh_finally_clause') fin = this.stmtOrEmpty(c.childForFieldName('body'), r);
          if (c.type === 'seh_except_clause') {
            const f = c.childForFieldName('filter');
            exc = { filter: f ? this.expr(f) : { k: 'other', text: '', subs: [], r }, body: this.stmtOrEmpty(c.childForFieldName('body'), r) };
          }
        }
        return { k: 'try', body, finally: fin, except: exc, r };
      }
      case 'seh_leave_statement':
        return { k: 'leave', r };
      // C++: a range loop runs its body zero or more times; kernel code has no C++ exceptions, so a
      // `try` block reads as its body.
      case 'for_range_loop': {
        const right = n.childForFieldName('right');
        return { k: 'while', cond: { k: 'other', text: 'range', subs: right ? [this.expr(right)] : [], r }, body: this.stmtOrEmpty(n.childForFieldName('body'), r), r };
      }
      case 'try_statement':
        return this.stmtOrEmpty(n.childForFieldName('body'), r);
      case 'throw_statement': {
        const e = n.namedChild(0);
        return e ? { k: 'expr', e: this.expr(e), r } : { k: 'empty', r };
      }
      case 'using_declaration': case 'alias_declaration': case 'namespace_alias_definition': case 'static_assert_declaration':
      case 'class_specifier': case 'struct_specifier': case 'enum_specifier': case 'union_specifier': case 'template_declaration':
        return { k: 'empty', r };
      case 'attributed_statement': {
        const inner = n.namedChildren.filter((c) => c && c.type !== 'attribute_declaration');
        return inner[0] ? this.stmt(inner[0]) : { k: 'empty', r };
      }
      case 'preproc_if': case 'preproc_ifdef': case 'preproc_else': case 'preproc_elif':
        // Conditionals are resolved before parsing; a leftover one is read as its statements in order.
        return { k: 'block', body: this.stmtList(n), r };
      case 'comment': case 'preproc_call': case 'preproc_def': case 'preproc_function_def': case 'preproc_include':
      case 'type_definition': case 'function_definition': case ';':
        return { k: 'empty', r };
      default: {
        // An expression the grammar put in statement position (macro statements without `;`).
        const type = n.type;
        if (type === 'ERROR') { this.hasError = true; return { k: 'empty', r }; }
        if (n.isNamed && !type.endsWith('_statement')) return { k: 'expr', e: this.expr(n), r };
        this.hasError = true;
        return { k: 'empty', r };
      }
    }
  }

  /**
   * A statement that invokes one of the project's jumping macros, as the block of statements it
   * expands to (all placed at the invocation), or undefined to read it as written: not such a
   * macro, an expansion that fails, or one the grammar cannot parse.
   */
  private expansion(e: SyntaxNode, r: Span): Stmt | undefined {
    const ml = this.macros!;
    const callee = e.type === 'call_expression' ? e.childForFieldName('function') : e;
    if (!callee || callee.type !== 'identifier' || !ml.macros.isStatement(this.t(callee), callee.startIndex)) return undefined;
    const end = e.type === 'call_expression' ? closingParen(ml.original, callee.endIndex) : callee.endIndex;
    if (end === undefined) return undefined;
    const text = ml.macros.expand(ml.original.slice(callee.startIndex, end));
    if (text === undefined) return undefined;
    let lowered = ml.macros.lowered.get(text);
    if (lowered === undefined) {
      lowered = this.lowerExpansion(ml, text) ?? null;
      ml.macros.lowered.set(text, lowered);
    }
    if (!lowered) return undefined;
    for (const v of lowered.locals) this.locals.set(v.name, respan(v, r));
    if (lowered.hasError) this.hasError = true;
    return respan(lowered.stmt, r);
  }

  /** An expansion's statements, lowered with placeholder spans; undefined when it does not parse. */
  private lowerExpansion(ml: MacroLowering, text: string): LoweredExpansion | undefined {
    const wrapped = `${EXPANSION_HEAD}${text}\n;}\n`;
    const tree = ml.parse(wrapped);
    if (!tree) return undefined;
    try {
      const def = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition');
      const body = def?.childForFieldName('body');
      if (!body || tree.rootNode.hasError) return undefined;
      const sub = new Lowerer(0, wrapped, { fixed: PLACEHOLDER });
      const stmt = sub.stmt(body);
      return { stmt, locals: [...sub.locals.values()], hasError: sub.hasError };
    } finally {
      tree.delete();
    }
  }

  private stmtOrEmpty(n: SyntaxNode | null, r: Span): Stmt {
    return n ? this.stmt(n) : { k: 'empty', r };
  }

  /**
   * The statements of a block (or a case), reading the SEH markers the preparation left where it had
   * no room for the keywords: block, `finally`/`except` marker, block is one `__try` statement.
   */
  private stmtList(n: SyntaxNode, skipId?: number): Stmt[] {
    const out: Stmt[] = [];
    let lastNode: SyntaxNode | undefined;
    let handler: 'finally' | 'except' | undefined;
    let handlerSpan: Span | undefined;
    for (const c of n.namedChildren) {
      if (!c || c.id === skipId) continue;
      if (this.isComment(c)) {
        const marker = this.sehMarker(c);
        if ((marker === 'finally' || marker === 'except') && lastNode?.type === 'compound_statement') { handler = marker; handlerSpan = this.span(c); }
        continue;
      }
      const s = this.stmt(c);
      const body = out[out.length - 1];
      if (handler && c.type === 'compound_statement' && body && body.k === 'block') {
        const r: Span = { sr: body.r.sr, sc: body.r.sc, er: s.r.er, ec: s.r.ec };
        out[out.length - 1] = handler === 'finally'
          ? { k: 'try', body, finally: s, r }
          : { k: 'try', body, except: { filter: { k: 'other', text: '', subs: [], r: handlerSpan! }, body: s }, r };
        lastNode = undefined;
      } else {
        out.push(s);
        lastNode = c;
      }
      handler = undefined;
    }
    return out;
  }

  /** Which SEH marker a comment node is, if any. */
  private sehMarker(c: SyntaxNode): 'finally' | 'except' | 'leave' | undefined {
    const text = this.src.slice(c.startIndex, c.endIndex);
    return text === SEH_MARKER.finally ? 'finally' : text === SEH_MARKER.except ? 'except' : text === SEH_MARKER.leave ? 'leave' : undefined;
  }

  /**
   * A comment node, told from the source text: nothing else starts with `//` or `/*`. Asking the
   * node for its type would be a trip into wasm for every child.
   */
  isComment(n: SyntaxNode): boolean {
    const src = this.src;
    const i = n.startIndex;
    return src.charCodeAt(i) === 47 && (src.charCodeAt(i + 1) === 47 || src.charCodeAt(i + 1) === 42);
  }

  decl(n: SyntaxNode): Stmt {
    const r = this.span(n);
    const typeNode = n.childForFieldName('type');
    const baseType = this.t(typeNode);
    let isStatic = false;
    for (const c of n.namedChildren) if (c?.type === 'storage_class_specifier' && this.t(c) === 'static') isStatic = true;
    const vars: VarDecl[] = [];
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d) continue;
      let init: Expr | undefined;
      let target = d;
      if (d.type === 'init_declarator') {
        const v = d.childForFieldName('value');
        if (v) init = v.type === 'initializer_list' ? this.initList(v) : this.expr(v);
        target = d.childForFieldName('declarator') ?? d;
      }
      const shape = declaratorShape(target, this.src);
      if (shape.isFunction && shape.name && !init) init = this.vexingConstruction(target);
      if (!shape.name || (shape.isFunction && !init)) continue;
      const decl: VarDecl = { name: shape.name, type: baseType + '*'.repeat(shape.stars), pointer: shape.stars > 0, array: shape.array, init, r: this.span(d) };
      vars.push(decl);
      this.locals.set(shape.name, decl);
      if (isStatic) this.staticLocals.add(shape.name);
    }
    return { k: 'decl', vars, isStatic, r };
  }

  /**
   * C++ `Guard guard(ctx);` parses as the declaration of a function `guard` taking a `ctx`; inside a
   * body, when every "parameter" is a bare name of a variable in scope, it is an object constructed
   * with those variables (`argument_list`, as `Guard guard(&ctx)` lowers).
   */
  private vexingConstruction(d: SyntaxNode): Expr | undefined {
    const list = d.type === 'function_declarator' ? d.childForFieldName('parameters') : undefined;
    if (!list || list.namedChildCount === 0) return undefined;
    const subs: Expr[] = [];
    for (const p of list.namedChildren) {
      if (!p || p.type !== 'parameter_declaration' || p.childForFieldName('declarator') || p.namedChildCount !== 1) return undefined;
      const name = this.t(p);
      if (!/^[A-Za-z_]\w*$/.test(name) || !(this.locals.has(name) || this.params.has(name))) return undefined;
      subs.push({ k: 'id', name, r: this.span(p) });
    }
    return { k: 'other', text: 'argument_list', subs, r: this.span(list) };
  }

  private initList(n: SyntaxNode): Expr {
    const items: Expr[] = [];
    const designators: (string | undefined)[] = [];
    for (const c of n.namedChildren) {
      if (!c || this.isComment(c)) continue;
      if (c.type === 'initializer_pair') {
        const v = c.childForFieldName('value');
        const d = c.childForFieldName('designator');
        if (!v) continue;
        items.push(v.type === 'initializer_list' ? this.initList(v) : this.expr(v));
        designators.push(d ? this.t(d).replace(/^\./, '').trim() : undefined);
      } else {
        items.push(c.type === 'initializer_list' ? this.initList(c) : this.expr(c));
        designators.push(undefined);
      }
    }
    return { k: 'init', items, designators, r: this.span(n) };
  }

  private exprNode(n: SyntaxNode): Expr {
    const r = this.span(n);
    const type = n.type;
    switch (type) {
      case 'identifier': {
        const name = this.t(n);
        return { k: 'id', name: this.macros?.macros.alias(name, n.startIndex) ?? name, r };
      }
      // C++ names: `ns::Func` and `Class::Method` go by their last name in function bodies. A
      // registration initializer keeps the qualification: it picks one of same-named methods.
      case 'qualified_identifier':
        return { k: 'id', name: this.keepQualified ? normalQualified(this.t(n)) : unqualified(this.t(n)), r };
      case 'template_function': case 'destructor_name': case 'operator_name':
        return { k: 'id', name: unqualified(this.t(n)), r };
      case 'this':
        return { k: 'id', name: 'this', r };
      case 'condition_clause': {
        const v = n.childForFieldName('value');
        return v ? this.expr(v) : { k: 'other', text: type, subs: this.subExprs(n), r };
      }
      case 'null': case 'nullptr':
        return { k: 'id', name: 'NULL', r };
      case 'true': case 'false':
        // tree-sitter reads TRUE and true alike: the constant's name is what the analysis needs.
        return { k: 'id', name: n.type === 'true' ? 'TRUE' : 'FALSE', r };
      case 'number_literal':
        {
        const text = this.t(n);
        return { k: 'num', text, value: parseCNumber(text), r };
      }
      case 'string_literal': case 'concatenated_string': case 'char_literal':
        return { k: 'str', r };
      case 'parenthesized_expression': {
        const inner = firstNonComment(n);
        return inner ? this.expr(inner) : { k: 'other', text: this.t(n), subs: [], r };
      }
      case 'call_expression': {
        const fnNode = n.childForFieldName('function')!;
        // `(ULONG)(a + b)`: tree-sitter reads a cast to a typedef name followed by parentheses as a call.
        if (fnNode.type === 'parenthesized_expression') {
          const inner = firstNonComment(fnNode);
          const args = n.childForFieldName('arguments');
          const only = args ? args.namedChildren.filter((a) => a && !this.isComment(a)) : [];
          if (inner && inner.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(this.t(inner)) && only.length === 1) {
            return { k: 'cast', type: this.t(inner), arg: this.expr(only[0]!), r };
          }
        }
        const fn = this.expr(fnNode);
        const argList = n.childForFieldName('arguments');
        const args: Expr[] = [];
        const callee = fn.k === 'id' ? fn.name : undefined;
        // C++ casts read like calls of a template: `static_cast<PVOID>(x)` is a cast of x.
        if (callee && CPP_CASTS.has(callee) && argList) {
          const arg = argList.namedChildren.find((a) => a && !this.isComment(a));
          const targs = fnNode.childForFieldName('arguments');
          if (arg) return { k: 'cast', type: this.t(targs).replace(/^<|>$/g, ''), arg: this.expr(arg), r };
        }
        // Debug output (`DbgPrint`, `DebugTrace(level, ("fmt", …))`) carries no operation on driver
        // state the rules follow, and is often the bulk of a function's nodes: keep it as a bare call.
        if (argList && !(callee && DEBUG_OUTPUT.test(callee) && this.t(argList).includes('"'))) {
          for (const a of argList.namedChildren) if (a && !this.isComment(a)) args.push(this.expr(a));
        }
        return { k: 'call', callee, fn, args, r };
      }
      case 'field_expression': {
        // Operators are read from the text between the operands: cheaper than asking for the token.
        const argNode = n.childForFieldName('argument')!;
        const fieldNode = n.childForFieldName('field');
        const between = fieldNode ? this.src.slice(argNode.endIndex, fieldNode.startIndex) : '.';
        return { k: 'field', obj: this.expr(argNode), field: this.t(fieldNode), arrow: between.includes('->'), r };
      }
      case 'subscript_expression':
        return { k: 'index', obj: this.expr(n.childForFieldName('argument')!), index: this.expr(n.childForFieldName('index') ?? n.namedChild(1)!), r };
      case 'pointer_expression': case 'unary_expression': {
        const op = this.src[n.startIndex];
        return { k: 'unary', op, arg: this.expr(n.childForFieldName('argument')!), r };
      }
      case 'update_expression': {
        const arg = n.childForFieldName('argument')!;
        const op = n.childForFieldName('operator')?.type ?? '++';
        const prefix = n.child(0)?.type === '++' || n.child(0)?.type === '--';
        return prefix ? { k: 'unary', op, arg: this.expr(arg), r } : { k: 'postfix', op, arg: this.expr(arg), r };
      }
      case 'binary_expression': case 'assignment_expression': {
        const left = n.childForFieldName('left')!;
        const right = n.childForFieldName('right')!;
        const op = operatorBetween(this.src, left.endIndex, right.startIndex);
        return type === 'binary_expression'
          ? { k: 'binary', op, left: this.expr(left), right: this.expr(right), r }
          : { k: 'assign', op, left: this.expr(left), right: this.expr(right), r };
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('condition')!;
        const t = n.childForFieldName('consequence');
        const f = n.childForFieldName('alternative')!;
        return { k: 'cond', test: this.expr(c), then: t ? this.expr(t) : this.expr(c), else: this.expr(f), r };
      }
      case 'cast_expression':
        return { k: 'cast', type: this.t(n.childForFieldName('type')), arg: this.expr(n.childForFieldName('value')!), r };
      case 'comma_expression':
        return { k: 'comma', left: this.expr(n.childForFieldName('left')!), right: this.expr(n.childForFieldName('right')!), r };
      case 'initializer_list':
        return this.initList(n);
      case 'ERROR':
        this.hasError = true;
        return { k: 'other', text: '', subs: this.subExprs(n), r };
      default:
        return { k: 'other', text: type === 'sizeof_expression' ? this.t(n) : type, subs: this.subExprs(n), r };
    }
  }

  private subExprs(n: SyntaxNode): Expr[] {
    const out: Expr[] = [];
    for (const c of n.namedChildren) {
      if (!c || this.isComment(c)) continue;
      const type = c.type;
      if (type === 'type_descriptor' || type === 'primitive_type' || type === 'type_identifier') continue;
      out.push(this.expr(c));
    }
    return out;
  }
}

const CPP_CASTS = new Set(['static_cast', 'reinterpret_cast', 'const_cast', 'dynamic_cast']);

/** Names of debug-output routines and macros (their arguments are not lowered). */
const DEBUG_OUTPUT = /^(?:Dbg|Kd)Print|Debug(?:Print|Trace)|_DBG_PRINT$|^DBG_PRINT|^LOG_PRINT|^TRACE_|^DebugTrace/;

/** The operator written between two operands, skipping blanks and comments. */
function operatorBetween(src: string, from: number, to: number): string {
  const between = src.slice(from, to);
  return (between.includes('/') ? between.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '') : between).trim();
}

function isComment(n: SyntaxNode): boolean {
  return n.type === 'comment';
}

function firstNonComment(n: SyntaxNode): SyntaxNode | null {
  for (const c of n.namedChildren) if (c && !isComment(c)) return c;
  return null;
}

interface DeclaratorShape {
  name?: string;
  stars: number;
  array: boolean;
  isFunction: boolean;
}

/** Unwraps pointer/array/parenthesized declarators down to the identifier. */
export function declaratorShape(d: SyntaxNode | null, src: string): DeclaratorShape {
  const shape: DeclaratorShape = { stars: 0, array: false, isFunction: false };
  let cur = d;
  for (let guard = 0; cur && guard < 16; guard++) {
    switch (cur.type) {
      case 'identifier': case 'field_identifier': case 'type_identifier':
        shape.name = src.slice(cur.startIndex, cur.endIndex);
        return shape;
      case 'qualified_identifier': case 'destructor_name': case 'operator_name':
        shape.name = unqualified(src.slice(cur.startIndex, cur.endIndex));
        return shape;
      case 'reference_declarator': break;
      case 'pointer_declarator': shape.stars++; break;
      case 'array_declarator': shape.array = true; break;
      case 'function_declarator': shape.isFunction = true; break;
      case 'parenthesized_declarator': case 'attributed_declarator': case 'init_declarator': break;
      default: return shape;
    }
    cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c && c.type !== 'comment' && c.type !== 'ms_pointer_modifier' && c.type !== 'type_qualifier') ?? null;
  }
  return shape;
}

export function parseCNumber(text: string): number | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[0-7]*$/.test(t)) return parseInt(t, 8);
  if (/^[0-9]+$/.test(t)) return parseInt(t, 10);
  return undefined;
}

/**
 * The index just past the `)` that closes the argument list opening after `from` (blanks first),
 * skipping strings, characters and comments; undefined when there is none.
 */
function closingParen(text: string, from: number): number | undefined {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] !== '(') return undefined;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '/' && text[i + 1] === '*') { const close = text.indexOf('*/', i + 2); if (close < 0) return undefined; i = close + 1; continue; }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return undefined;
}

/** Declarators that name a function: C's identifier, C++'s qualified and member names. */
const FUNCTION_NAMES = new Set(['identifier', 'field_identifier', 'qualified_identifier', 'destructor_name', 'operator_name']);

/** Lowers one `function_definition` node. */
export function lowerFunction(def: SyntaxNode, src: string, macros?: MacroLowering): FunctionIR | undefined {
  const baseRow = def.startPosition.row;
  const lw = new Lowerer(baseRow, src, { macros });
  let decl = def.childForFieldName('declarator');
  let stars = 0;
  while (decl && decl.type !== 'function_declarator') {
    if (decl.type === 'pointer_declarator') stars++;
    decl = decl.childForFieldName('declarator');
  }
  if (!decl) return undefined;
  const nameNode = decl.childForFieldName('declarator');
  if (!nameNode || !FUNCTION_NAMES.has(nameNode.type)) return undefined;
  const params: Param[] = [];
  const plist = decl.childForFieldName('parameters');
  if (plist) {
    for (const p of plist.namedChildren) {
      if (!p || p.type !== 'parameter_declaration') continue;
      const shape = declaratorShape(p.childForFieldName('declarator'), src);
      const type = lw.t(p.childForFieldName('type')) + '*'.repeat(shape.stars);
      if (shape.name) params.push({ name: shape.name, type, pointer: shape.stars > 0 });
    }
  }
  const bodyNode = def.childForFieldName('body');
  if (!bodyNode) return undefined;
  lw.params = new Set(params.map((p) => p.name));
  // ERROR and MISSING nodes anywhere inside show up here; no need to ask node by node.
  if (def.hasError) lw.hasError = true;
  const body = lw.stmt(bodyNode);
  const memberInits = lowerMemberInits(def, lw);
  return {
    name: unqualified(lw.t(nameNode)),
    baseRow,
    nameSpan: lw.span(nameNode),
    span: lw.span(def),
    returnType: lw.t(def.childForFieldName('type')) + '*'.repeat(stars),
    params,
    body,
    hasError: lw.hasError,
    ...(lw.tooDeep ? { tooDeep: lw.tooDeep } : {}),
    locals: lw.locals,
    staticLocals: lw.staticLocals,
    ...(memberInits ? { memberInits } : {}),
  };
}

/** A C++ constructor's `: member(args), …` list (the RAII analysis reads what each member is given). */
function lowerMemberInits(def: SyntaxNode, lw: Lowerer): FunctionIR['memberInits'] {
  const list = def.namedChildren.find((c) => c?.type === 'field_initializer_list');
  if (!list) return undefined;
  const out: NonNullable<FunctionIR['memberInits']> = [];
  for (const item of list.namedChildren) {
    if (item?.type !== 'field_initializer') continue;
    const name = item.namedChild(0);
    const args = item.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'initializer_list');
    if (!name || !args) continue;
    out.push({ member: unqualified(lw.t(name)), args: args.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment').map((a) => lw.expr(a)) });
  }
  return out;
}

/** Lowers a top-level initializer (registration tables) with rows relative to `baseRow`. */
export function lowerInitializer(n: SyntaxNode, baseRow: number, src: string): Expr {
  const lw = new Lowerer(baseRow, src);
  lw.keepQualified = true;
  return lw.expr(n);
}
