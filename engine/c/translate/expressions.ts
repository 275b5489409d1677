/**
 * Expressions from tree-sitter nodes to AST. The grammar does not know which names are types, so a
 * few shapes are settled here with the scope's typedef table: `(T) - x` is a cast, `sizeof(T)` is a
 * sizeof of a type, and a type name passed to CONTAINING_RECORD/FIELD_OFFSET is a type argument.
 */
import type { AssignOp, BinaryOp, Expr, Initializer, InitItem } from '../ast';
import { charValue } from '../pp/condition';
import type { SyntaxNode } from '../treeSitter';
import { INT, LONGLONG, UINT, ULONGLONG, WCHAR_T, type CType } from '../types';
import type { TranslateContext } from './context';
import { typeFromDescriptor } from './declarators';
import { tagArgument } from '../pp/tagArguments';
import { FUNCTION_NAME_MARK } from '../pp/functionName';

const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&&', '||', '==', '!=', '<', '>', '<=', '>=']);

export function translateExpr(ctx: TranslateContext, node: SyntaxNode): Expr {
  return ctx.nested(node, () => translateExprNode(ctx, node));
}

function translateExprNode(ctx: TranslateContext, node: SyntaxNode): Expr {
  if (ctx.cpp) {
    const e = ctx.cpp.expr(ctx, node);
    if (e) return e;
  }
  const loc = ctx.loc(node);
  switch (node.type) {
    case 'number_literal':
      return numberLiteral(ctx, node);
    case 'char_literal': {
      const wide = node.text.startsWith('L');
      return { k: 'num', value: charValue(node.text), type: wide ? WCHAR_T : INT, loc };
    }
    case 'string_literal':
      return { k: 'str', value: withFunctionName(ctx, node, stringValue(node)), wide: /^[LuU]/.test(node.text), loc };
    case 'concatenated_string': {
      let value = '';
      let wide = false;
      for (const part of node.namedChildren) {
        if (part?.type === 'string_literal') {
          value += stringValue(part);
          wide ||= /^[LuU]/.test(part.text);
        } else if (part?.type === 'identifier' && FUNCTION_NAME_MACROS.has(part.text)) {
          value += enclosingFunctionName(ctx, part);
          wide ||= FUNCTION_NAME_MACROS.get(part.text)!;
        } else if (part) {
          return unsupported(ctx, part, `'${part.text}' between string literals: only string literals and __FUNCTION__ join there; define '${part.text}' as a string literal`);
        }
      }
      return { k: 'str', value: withFunctionName(ctx, node, value), wide, loc };
    }
    case 'true':
      return { k: 'num', value: 1, type: INT, loc };
    case 'false':
      return { k: 'num', value: 0, type: INT, loc };
    case 'null':
      return { k: 'cast', type: { kind: 'ptr', to: { kind: 'void' } }, arg: { k: 'num', value: 0, type: INT, loc }, loc };
    // Only reached for a value name the grammar took for a cast's type (valueReadAsCast).
    case 'type_identifier':
    case 'identifier': {
      const wideName = FUNCTION_NAME_MACROS.get(node.text);
      if (wideName !== undefined) return { k: 'str', value: enclosingFunctionName(ctx, node), wide: wideName, loc };
      if (ctx.scope.isTypeName(node.text)) return { k: 'typeArg', type: ctx.scope.typedef(node.text)!, loc };
      const tagged = tagArgument(node.text);
      if (tagged !== undefined) {
        const type = ctx.scope.tag(tagged.tag);
        if (type === undefined || type.kind !== 'struct') return { k: 'unsupported', what: `${tagged.kind} ${tagged.tag}: no such ${tagged.kind} is declared before this line`, text: `${tagged.kind} ${tagged.tag}`, loc };
        return { k: 'typeArg', type, loc };
      }
      const ec = ctx.scope.enumConstant(node.text);
      if (ec !== undefined) return { k: 'num', value: ec, type: INT, loc };
      return { k: 'id', name: node.text, loc };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (!inner) return unsupported(ctx, node, 'empty parentheses');
      return translateExpr(ctx, inner);
    }
    case 'binary_expression':
      return translateBinary(ctx, node);
    case 'assignment_expression': {
      const op = node.childForFieldName('operator')?.type ?? '=';
      return { k: 'assign', op: op as AssignOp, left: translateExpr(ctx, node.childForFieldName('left')!), right: translateExpr(ctx, node.childForFieldName('right')!), loc };
    }
    case 'unary_expression': {
      const op = node.childForFieldName('operator')?.type ?? '';
      return { k: 'unary', op: op as '-' | '+' | '!' | '~', arg: translateExpr(ctx, node.childForFieldName('argument')!), loc };
    }
    case 'pointer_expression': {
      const op = node.childForFieldName('operator')?.type === '&' ? '&' : '*';
      return { k: 'unary', op, arg: translateExpr(ctx, node.childForFieldName('argument')!), loc };
    }
    case 'update_expression': {
      const opNode = node.childForFieldName('operator')!;
      const argNode = node.childForFieldName('argument')!;
      const prefix = opNode.startIndex < argNode.startIndex;
      const op = opNode.type === '++' ? (prefix ? '++x' : 'x++') : prefix ? '--x' : 'x--';
      return { k: 'unary', op, arg: translateExpr(ctx, argNode), loc };
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function')!;
      const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
      // `(ULONG)(a - b)` reads as a call of `(ULONG)`, and `(A)(B)(x)` as calls of calls; with the
      // names types, these are casts.
      const casts = castChain(ctx, fn);
      if (casts) {
        if (args.length === 0) return unsupported(ctx, node, 'a cast with nothing to cast');
        let arg = translateExpr(ctx, args[0]);
        for (const more of args.slice(1)) arg = { k: 'comma', left: arg, right: translateExpr(ctx, more), loc: arg.loc };
        for (let i = casts.length - 1; i >= 0; i--) arg = { k: 'cast', type: casts[i], arg, loc };
        return arg;
      }
      return { k: 'call', callee: translateExpr(ctx, fn), args: args.map((a) => translateArgument(ctx, a)), loc };
    }
    case 'field_expression':
    case 'subscript_expression':
      return translatePostfix(ctx, node);
    case 'cast_expression':
      if (valueReadAsCast(ctx, node) !== undefined) return translateBinary(ctx, node);
      return { k: 'cast', type: typeFromDescriptor(ctx, node.childForFieldName('type')!), arg: translateExpr(ctx, node.childForFieldName('value')!), loc };
    case 'sizeof_expression': {
      const typeNode = node.childForFieldName('type');
      if (typeNode) return { k: 'sizeofType', type: typeFromDescriptor(ctx, typeNode), loc };
      const valueNode = node.childForFieldName('value')!;
      const asType = parenthesizedTypeName(ctx, valueNode);
      if (asType) return { k: 'sizeofType', type: asType, loc };
      const arg = translateExpr(ctx, valueNode);
      if (arg.k === 'typeArg') return { k: 'sizeofType', type: arg.type, loc };
      return { k: 'sizeofExpr', arg, loc };
    }
    case 'conditional_expression':
      return {
        k: 'cond',
        test: translateExpr(ctx, node.childForFieldName('condition')!),
        then: translateExpr(ctx, node.childForFieldName('consequence')!),
        else: translateExpr(ctx, node.childForFieldName('alternative')!),
        loc,
      };
    case 'comma_expression':
      return { k: 'comma', left: translateExpr(ctx, node.childForFieldName('left')!), right: translateExpr(ctx, node.childForFieldName('right')!), loc };
    case 'compound_literal_expression': {
      const type = typeFromDescriptor(ctx, node.childForFieldName('type')!);
      return { k: 'compound', type, init: translateInitializer(ctx, node.childForFieldName('value')!), loc };
    }
    case 'offsetof_expression': {
      const type = typeFromDescriptor(ctx, node.childForFieldName('type')!);
      const member = node.childForFieldName('member')!;
      return { k: 'call', callee: { k: 'id', name: 'FIELD_OFFSET', loc }, args: [{ k: 'typeArg', type, loc }, { k: 'id', name: member.text, loc: ctx.loc(member) }], loc };
    }
    case 'ERROR':
      return unsupported(ctx, node, 'code the C parser could not read');
    default:
      return unsupported(ctx, node, `the construct '${node.type.replace(/_/g, ' ')}'`);
  }
}

/** C's binary operators by precedence (higher binds tighter). */
const PRECEDENCE: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

/**
 * A chain of binary operators. The grammar cannot tell `(T)` from a parenthesised value, so
 * `(PCHAR)&a - (PCHAR)&b` comes back as `((PCHAR) & (a - (PCHAR))) & b`. The chain is flattened
 * in source order, every `(T)` directly followed by `&`, `*`, `-` or `+` and an operand becomes a
 * cast of that unary expression, and the rest is regrouped by C's precedence.
 */
export function translateBinary(ctx: TranslateContext, node: SyntaxNode): Expr {
  if (node.type !== 'binary_expression') {
    // A lone misread cast (valueReadAsCast): flatten it as a chain of one operator.
    const misread = valueReadAsCast(ctx, node)!;
    return regroup(ctx, node, [misread.name, misread.rest], [misread.op]);
  }
  const operands: SyntaxNode[] = [];
  const ops: string[] = [];
  // Each operator level counts against MAX_NESTING, as a nested expression would: a chain of
  // thousands of terms is an error at its line, not a JavaScript stack overflow.
  const flatten = (n: SyntaxNode): void => {
    if (n.type === 'binary_expression') {
      const inner = () => {
        flatten(n.childForFieldName('left')!);
        ops.push(n.childForFieldName('operator')?.type ?? '');
        flatten(n.childForFieldName('right')!);
      };
      // The chain's own node was counted by translateExpr already.
      if (n === node) inner();
      else ctx.nested(n, inner);
    } else {
      const misread = valueReadAsCast(ctx, n);
      if (misread === undefined) {
        operands.push(n);
        return;
      }
      operands.push(misread.name);
      ops.push(misread.op);
      flatten(misread.rest);
    }
  };
  flatten(node);
  return regroup(ctx, node, operands, ops);
}

/** Folds casts in a flattened chain (operands in source order, ops between them) and applies C's precedence. */
function regroup(ctx: TranslateContext, node: SyntaxNode, operands: SyntaxNode[], ops: string[]): Expr {
  for (const op of ops) if (!BINARY_OPS.has(op)) return unsupported(ctx, node, `operator '${op}'`);
  // Fold casts from the right, so `(T1)&(T2)&x` works inside out. Each operand is pushed with the
  // operator on its left; a fold consumes the operand to its right and the operator between them.
  const items: Expr[] = [];
  const itemOps: string[] = [];
  for (let i = operands.length - 1; i >= 0; i--) {
    // `(T)` or a chain `(T1)(T2)` (which the grammar reads as a call).
    const castTypes = i < operands.length - 1 ? castChain(ctx, operands[i]) : undefined;
    const op = ops[i];
    if (castTypes && (op === '-' || op === '+' || op === '*' || op === '&')) {
      const arg = items.pop()!;
      itemOps.pop();
      const loc = ctx.loc(operands[i]);
      let e: Expr = { k: 'unary', op: op as '-' | '+' | '*' | '&', arg, loc: arg.loc };
      for (let t = castTypes.length - 1; t >= 0; t--) e = { k: 'cast', type: castTypes[t], arg: e, loc };
      items.push(e);
    } else {
      items.push(translateExpr(ctx, operands[i]));
    }
    if (i > 0) itemOps.push(ops[i - 1]);
  }
  items.reverse();
  itemOps.reverse();
  // Precedence climbing: itemOps[j] sits between items[j] and items[j + 1]; all are left-associative.
  let pos = 0;
  const parse = (min: number): Expr => {
    let left = items[pos];
    while (pos < itemOps.length && PRECEDENCE[itemOps[pos]] >= min) {
      const op = itemOps[pos];
      pos++;
      const right = parse(PRECEDENCE[op] + 1);
      left = { k: 'binary', op: op as BinaryOp, left, right, loc: left.loc };
    }
    return left;
  };
  return parse(1);
}

/**
 * A chain of member accesses and subscripts. `(ULONG)(*Data)->IoStatus.Information` reads, to the
 * grammar, as the call `(ULONG)(*Data)` with `->IoStatus.Information` applied to it; in C the
 * postfix operators bind tighter than the cast, so the chain applies to `(*Data)` and the cast to
 * the result.
 */
function translatePostfix(ctx: TranslateContext, node: SyntaxNode): Expr {
  const chain: SyntaxNode[] = [];
  let base = node;
  while (base.type === 'field_expression' || base.type === 'subscript_expression') {
    chain.push(base);
    base = base.childForFieldName('argument')!;
  }
  let casts: CType[] | undefined;
  if (base.type === 'call_expression') {
    const args = base.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
    casts = args.length === 1 ? castChain(ctx, base.childForFieldName('function')!) : undefined;
    if (casts) base = args[0]!;
  }
  let e = translateExpr(ctx, base);
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i]!;
    const loc = ctx.loc(n);
    e = n.type === 'field_expression'
      ? { k: 'member', object: e, field: n.childForFieldName('field')!.text, arrow: n.childForFieldName('operator')?.type === '->', loc }
      : { k: 'index', array: e, index: translateExpr(ctx, n.childForFieldName('index')!), loc };
  }
  if (casts) for (let i = casts.length - 1; i >= 0; i--) e = { k: 'cast', type: casts[i]!, arg: e, loc: ctx.loc(node) };
  return e;
}

/** Arguments may be type names (CONTAINING_RECORD(p, T, F)), including `struct X` spelled out. */
function translateArgument(ctx: TranslateContext, node: SyntaxNode): Expr {
  if (node.type === 'type_descriptor') return { k: 'typeArg', type: typeFromDescriptor(ctx, node), loc: ctx.loc(node) };
  return translateExpr(ctx, node);
}

/**
 * The reverse misreading: `x == (v) && (n) == 4` (uthash's macros are full of it) comes back with
 * `(v) && (n)` as a cast of `&&(n)` to a type named `v`. When the "type" is a bare name that is not
 * a type but the value `v`, and the cast's operand starts with `&`, `&&`, `*`, `-` or `+`, the
 * parentheses held a value and that operator is binary: the name, the operator, and the rest.
 */
function valueReadAsCast(ctx: TranslateContext, node: SyntaxNode): { name: SyntaxNode; op: string; rest: SyntaxNode } | undefined {
  if (node.type !== 'cast_expression') return undefined;
  const desc = node.childForFieldName('type');
  const value = node.childForFieldName('value');
  if (!desc || !value || desc.namedChildCount !== 1) return undefined;
  const name = desc.namedChildren[0]!;
  if (name.type !== 'type_identifier' || ctx.scope.isTypeName(name.text)) return undefined;
  if (value.type !== 'pointer_expression' && value.type !== 'unary_expression') return undefined;
  const opNode = value.childForFieldName('operator');
  const arg = value.childForFieldName('argument');
  if (!opNode || !arg) return undefined;
  const op = opNode.type;
  if (op === '&' && arg.type === 'pointer_expression' && arg.childForFieldName('operator')?.type === '&' && arg.startIndex === opNode.endIndex) {
    // `&&` lexed as two address-of operators.
    return { name, op: '&&', rest: arg.childForFieldName('argument')! };
  }
  if (op === '&' || op === '*' || op === '-' || op === '+') return { name, op, rest: arg };
  return undefined;
}

/**
 * `(T)`, `(T1)(T2)`, …: the outermost cast first. A keyword type before a typedef one,
 * `(int)(ULONG_PTR)`, is a real cast of a misread `(T)` to the grammar.
 */
function castChain(ctx: TranslateContext, node: SyntaxNode): CType[] | undefined {
  const single = parenthesizedTypeName(ctx, node);
  if (single) return [single];
  if (node.type === 'cast_expression') {
    const inner = castChain(ctx, node.childForFieldName('value')!);
    return inner ? [typeFromDescriptor(ctx, node.childForFieldName('type')!), ...inner] : undefined;
  }
  if (node.type !== 'call_expression') return undefined;
  const inner = castChain(ctx, node.childForFieldName('function')!);
  const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
  if (!inner || args.length !== 1 || args[0].type !== 'identifier') return undefined;
  const t = ctx.scope.typedef(args[0].text);
  return t ? [...inner, t] : undefined;
}

/** `(T)` where T is a known type name: the cast spelling the grammar cannot see. */
function parenthesizedTypeName(ctx: TranslateContext, node: SyntaxNode): CType | undefined {
  if (node.type !== 'parenthesized_expression') return undefined;
  const inner = node.namedChildren.filter((c) => c !== null && c.type !== 'comment');
  if (inner.length !== 1 || inner[0]!.type !== 'identifier') return undefined;
  return ctx.scope.typedef(inner[0]!.text);
}

export function translateInitializer(ctx: TranslateContext, node: SyntaxNode): Initializer {
  if (node.type !== 'initializer_list') return { k: 'expr', expr: translateExpr(ctx, node), loc: ctx.loc(node) };
  const items: InitItem[] = [];
  for (const c of node.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'initializer_pair') {
      const designators: InitItem['designators'] = [];
      for (const d of c.childrenForFieldName('designator')) {
        if (!d) continue;
        if (d.type === 'field_designator') designators.push({ field: d.namedChildren[0]!.text });
        else if (d.type === 'field_identifier') designators.push({ field: d.text });
        else if (d.type === 'subscript_designator') designators.push({ index: translateExpr(ctx, d.namedChildren[0]!) });
        else ctx.error(d, `unsupported designator '${ctx.snippet(d)}'`);
      }
      items.push({ designators, value: translateInitializer(ctx, c.childForFieldName('value')!) });
    } else {
      items.push({ designators: [], value: translateInitializer(ctx, c) });
    }
  }
  return { k: 'list', items, loc: ctx.loc(node) };
}

function unsupported(ctx: TranslateContext, node: SyntaxNode, what: string): Expr {
  return { k: 'unsupported', what, text: ctx.snippet(node), loc: ctx.loc(node) };
}

function numberLiteral(ctx: TranslateContext, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  let text = node.text.replace(/'/g, '');
  // The grammar folds a leading sign into the literal: `-7`.
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    sign = text.startsWith('-') ? -1 : 1;
    text = text.slice(1);
  }
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*|i64|ui64|I64|UI64)$/.exec(text);
  if (!m) {
    const f = Number(text.replace(/[fFlL]$/, ''));
    if (Number.isNaN(f)) ctx.error(node, `cannot read the number '${node.text}'`);
    // MSVC rejects it too (C2177): no double holds it, and storing infinity anywhere is meaningless.
    else if (!Number.isFinite(f)) ctx.error(node, `the floating constant '${node.text}' is too large for a double`);
    return { k: 'float', value: sign * f, loc };
  }
  let digits = m[1];
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const big = BigInt(digits);
  if (big > 0xffffffffffffffffn) {
    // No C type holds it (MSVC: C2177 constant too big); a silently wrapped value would be wrong.
    ctx.error(node, `the integer constant '${node.text}' does not fit in 64 bits`);
    return { k: 'num', value: 0, type: ULONGLONG, loc };
  }
  const suffix = m[2].toLowerCase();
  const unsigned = suffix.includes('u');
  const isLongLong = suffix.includes('ll') || suffix.includes('i64');
  const decimal = /^[0-9]+$/.test(m[1]) && !/^0[0-7]/.test(m[1]);
  let type: CType;
  if (isLongLong) type = unsigned ? ULONGLONG : LONGLONG;
  else if (unsigned) type = big <= 0xffffffffn ? UINT : ULONGLONG;
  else if (big <= 0x7fffffffn) type = INT;
  else if (!decimal && big <= 0xffffffffn) type = UINT;
  else if (big <= 0x7fffffffffffffffn) type = LONGLONG;
  else type = ULONGLONG;
  // Beyond 2^53 a literal stays a bigint, so 0xFFFFFFFFFFFFFFFFull is exact.
  const value = Number.isSafeInteger(Number(big)) ? Number(big) : big;
  if (sign < 0) return { k: 'unary', op: '-', arg: { k: 'num', value, type, loc }, loc };
  return { k: 'num', value, type, loc };
}

/**
 * The compiler's names for the enclosing function, each a string literal (wide for __FUNCTIONW__),
 * so they join adjacent literals as MSVC's do: `"[" __FUNCTION__ "] "`.
 */
const FUNCTION_NAME_MACROS: ReadonlyMap<string, boolean> = new Map([
  ['__FUNCTION__', false],
  ['__func__', false],
  ['__FUNCTIONW__', true],
]);

/** The preprocessor's __FUNCTION__ literals (pp/functionName.ts), given the name of the function they are in. */
function withFunctionName(ctx: TranslateContext, node: SyntaxNode, value: string): string {
  return value.includes(FUNCTION_NAME_MARK) ? value.split(FUNCTION_NAME_MARK).join(enclosingFunctionName(ctx, node, '__FUNCTION__')) : value;
}

/** What a function definition's innermost declarator is named by: `f`, and in C++ `C::f`, `~C`, `operator==`. */
const FUNCTION_NAMES = new Set(['identifier', 'qualified_identifier', 'field_identifier', 'destructor_name', 'operator_name']);

function enclosingFunctionName(ctx: TranslateContext, node: SyntaxNode, spelled = node.text): string {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type !== 'function_definition') continue;
    let d = n.childForFieldName('declarator');
    while (d && !FUNCTION_NAMES.has(d.type)) d = d.childForFieldName('declarator');
    if (d) return d.text.replace(/\s+/g, '');
  }
  ctx.error(node, `${spelled} is used outside a function: it names the function it is written in`);
  return '';
}

function stringValue(node: SyntaxNode): string {
  let s = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_content') s += c.text;
    else if (c.type === 'escape_sequence') s += decodeEscape(c.text);
  }
  return s;
}

function decodeEscape(e: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '?': '?' };
  const body = e.slice(1);
  if (body[0] === 'x') return String.fromCharCode(parseInt(body.slice(1), 16));
  if (body[0] === 'u' || body[0] === 'U') return String.fromCodePoint(parseInt(body.slice(1), 16));
  if (/^[0-7]+$/.test(body)) return String.fromCharCode(parseInt(body, 8));
  return simple[body] ?? body;
}
