/**
 * The C syntax tree the interpreter runs: plain objects built once from tree-sitter's tree (walking
 * wasm-backed nodes at run time would be slow), with every type already resolved to a CType and
 * every node carrying the position the user wrote it at.
 */
import type { CType, FunctionType } from './types';

export interface Loc {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '&&' | '||' | '==' | '!=' | '<' | '>' | '<=' | '>=';
export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '<<=' | '>>=' | '&=' | '|=' | '^=';
export type UnaryOp = '-' | '+' | '!' | '~' | '*' | '&' | '++x' | '--x' | 'x++' | 'x--';

export type Expr =
  /** An integer literal: a number, or a bigint beyond 2^53. */
  | { k: 'num'; value: number | bigint; type: CType; loc: Loc }
  | { k: 'float'; value: number; loc: Loc }
  | { k: 'str'; value: string; wide: boolean; loc: Loc }
  | { k: 'id'; name: string; loc: Loc }
  | { k: 'binary'; op: BinaryOp; left: Expr; right: Expr; loc: Loc }
  | { k: 'assign'; op: AssignOp; left: Expr; right: Expr; loc: Loc }
  | { k: 'unary'; op: UnaryOp; arg: Expr; loc: Loc }
  | { k: 'call'; callee: Expr; args: Expr[]; loc: Loc }
  | { k: 'member'; object: Expr; field: string; arrow: boolean; loc: Loc }
  | { k: 'index'; array: Expr; index: Expr; loc: Loc }
  | { k: 'cast'; type: CType; arg: Expr; loc: Loc }
  | { k: 'sizeofType'; type: CType; loc: Loc }
  | { k: 'sizeofExpr'; arg: Expr; loc: Loc }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; loc: Loc }
  | { k: 'comma'; left: Expr; right: Expr; loc: Loc }
  | { k: 'compound'; type: CType; init: Initializer; loc: Loc }
  /** A type written where a macro-like builtin expects one: CONTAINING_RECORD(p, T, F). */
  | { k: 'typeArg'; type: CType; loc: Loc }
  /** Text the front end could not turn into an expression; running it is an error. */
  | { k: 'unsupported'; what: string; text: string; loc: Loc };

export type Initializer =
  | { k: 'expr'; expr: Expr; loc: Loc }
  | { k: 'list'; items: InitItem[]; loc: Loc };

export interface InitItem {
  /** `.Field = ` / `[3] = ` designators, outermost first. */
  designators: ({ field: string } | { index: Expr })[];
  value: Initializer;
}

export interface VarDecl {
  name: string;
  type: CType;
  init?: Initializer;
  storage?: 'static' | 'extern' | 'typedef' | 'register' | 'auto';
  /** A C++ inline variable (`inline T x = …;`, a static member initialised in its class): every file that includes it defines it, and the linker keeps one. */
  inline?: boolean;
  loc: Loc;
}

export type Stmt =
  | { k: 'expr'; expr: Expr; loc: Loc }
  | { k: 'decl'; decls: VarDecl[]; loc: Loc }
  | { k: 'block'; body: Stmt[]; loc: Loc; endLoc: Loc }
  | { k: 'if'; test: Expr; then: Stmt; else?: Stmt; loc: Loc }
  | { k: 'while'; test: Expr; body: Stmt; loc: Loc }
  | { k: 'do'; body: Stmt; test: Expr; loc: Loc }
  | { k: 'for'; init?: Stmt; test?: Expr; update?: Expr; body: Stmt; loc: Loc }
  | { k: 'switch'; test: Expr; body: Stmt; loc: Loc }
  /** `case v:` / `default:` (value undefined) followed by the statements written after it. */
  | { k: 'case'; value?: Expr; body: Stmt[]; loc: Loc }
  | { k: 'break'; loc: Loc }
  | { k: 'continue'; loc: Loc }
  | { k: 'return'; value?: Expr; loc: Loc }
  | { k: 'goto'; label: string; loc: Loc }
  | { k: 'label'; name: string; body?: Stmt; loc: Loc }
  /** `__try { } __except (f) { }` / `__try { } __finally { }`; fltsim raises no exceptions. */
  | { k: 'try'; body: Stmt; handler?: { filter: Expr; body: Stmt }; finally?: Stmt; loc: Loc }
  | { k: 'leave'; loc: Loc }
  | { k: 'empty'; loc: Loc }
  | { k: 'unsupported'; what: string; text: string; loc: Loc };

export interface FunctionDef {
  name: string;
  type: FunctionType;
  params: { name: string; type: CType; loc: Loc }[];
  body: Stmt & { k: 'block' };
  static: boolean;
  loc: Loc;
  /** Line of the closing brace: where "step out" and the implicit return stop. */
  endLoc: Loc;
}
