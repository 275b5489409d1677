/**
 * A small, plain-object form of one C function body. The rules read this instead of tree-sitter
 * nodes: it is built once per function (and cached by the function's text), it is cheap to walk
 * many times (tree-sitter node access crosses into wasm on every step), and it survives reparses.
 *
 * Positions are relative to the function's first line so that a cached body can be reused when an
 * edit above the function moves it down: `row` 0 is the line of the function's first character.
 */

/** A half-open range: rows relative to the owning function, columns absolute (UTF-16 units). */
export interface Span {
  sr: number;
  sc: number;
  er: number;
  ec: number;
}

export type Expr =
  | { k: 'id'; name: string; r: Span }
  | { k: 'num'; text: string; value: number | undefined; r: Span }
  | { k: 'str'; r: Span }
  | { k: 'call'; callee: string | undefined; fn: Expr; args: Expr[]; r: Span }
  | { k: 'field'; obj: Expr; field: string; arrow: boolean; r: Span }
  | { k: 'index'; obj: Expr; index: Expr; r: Span }
  | { k: 'unary'; op: string; arg: Expr; r: Span }
  | { k: 'postfix'; op: string; arg: Expr; r: Span }
  | { k: 'binary'; op: string; left: Expr; right: Expr; r: Span }
  | { k: 'assign'; op: string; left: Expr; right: Expr; r: Span }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; r: Span }
  | { k: 'cast'; type: string; arg: Expr; r: Span }
  | { k: 'comma'; left: Expr; right: Expr; r: Span }
  /** Initializer list; `designators[i]` is the field name of a `.Field = value` item. */
  | { k: 'init'; items: Expr[]; designators: (string | undefined)[]; r: Span }
  | { k: 'other'; text: string; subs: Expr[]; r: Span };

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type AssignExpr = Extract<Expr, { k: 'assign' }>;

export interface VarDecl {
  name: string;
  /** The declared type as written, declarator stars included (`PFLT_CONTEXT`, `KSPIN_LOCK`, `PVOID *`). */
  type: string;
  pointer: boolean;
  array: boolean;
  init?: Expr;
  r: Span;
}

export type Stmt =
  | { k: 'expr'; e: Expr; r: Span }
  | { k: 'decl'; vars: VarDecl[]; isStatic: boolean; r: Span }
  | { k: 'if'; cond: Expr; then: Stmt; else?: Stmt; r: Span }
  | { k: 'while'; cond: Expr; body: Stmt; r: Span }
  | { k: 'do'; body: Stmt; cond: Expr; r: Span }
  | { k: 'for'; init?: Stmt; cond?: Expr; update?: Expr; body: Stmt; r: Span }
  | { k: 'switch'; disc: Expr; body: Stmt; r: Span }
  /** `value` undefined means `default:`; `body` holds the statements that follow up to the next label. */
  | { k: 'case'; value?: Expr; body: Stmt[]; r: Span }
  | { k: 'block'; body: Stmt[]; r: Span }
  | { k: 'return'; e?: Expr; r: Span }
  | { k: 'break'; r: Span }
  | { k: 'continue'; r: Span }
  | { k: 'goto'; label: string; r: Span }
  | { k: 'label'; name: string; body?: Stmt; r: Span }
  | { k: 'try'; body: Stmt; finally?: Stmt; except?: { filter: Expr; body: Stmt }; r: Span }
  | { k: 'leave'; r: Span }
  | { k: 'empty'; r: Span };

export interface Param {
  name: string;
  type: string;
  pointer: boolean;
}

/** Everything the rules need about one function definition. */
export interface FunctionIR {
  name: string;
  /** Absolute row of the function's first character; all spans inside are relative to it. */
  baseRow: number;
  /** The name's range (relative rows). */
  nameSpan: Span;
  /** The whole definition's range (relative rows). */
  span: Span;
  returnType: string;
  params: Param[];
  body: Stmt;
  /** tree-sitter could not parse part of the body: path-sensitive rules stay silent. */
  hasError: boolean;
  /** Where the body nests past MAX_NESTING: what lies deeper is left out of the IR (and hasError is set). */
  tooDeep?: Span;
  /** Local variable names with their declarations (the last one wins when shadowed). */
  locals: Map<string, VarDecl>;
  /** Static storage: `static` locals are not stack memory. */
  staticLocals: Set<string>;
  /** C++ constructor: its member initializers (`: m_ctx(ctx)`), in the order written. */
  memberInits?: { member: string; args: Expr[] }[];
}

/** A finding's position once rebased to absolute rows. */
export interface AbsRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export function absRange(fn: { baseRow: number }, s: Span): AbsRange {
  return { startLine: s.sr + fn.baseRow, startColumn: s.sc, endLine: s.er + fn.baseRow, endColumn: s.ec };
}
