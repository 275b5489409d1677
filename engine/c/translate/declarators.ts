/**
 * Type specifiers and declarators to CTypes. A declarator wraps the type it is given and then hands
 * the result to its inner declarator, which is exactly C's inside-out reading of `int *(*p)[3]`.
 */
import type { SyntaxNode } from '../treeSitter';
import {
  BOOL, CHAR, DOUBLE, FLOAT, INT, LONG, LONGLONG, SCHAR, SHORT, UCHAR, UINT, ULONG, ULONGLONG, USHORT, VOID, WCHAR_T,
  type CType, type Field, type FunctionType, type IntType, type StructType, alignOf, pointerTo, withAlias,
} from '../types';
import type { TranslateContext } from './context';
import { constantValue } from './constant';
import { unmodelledFamily } from '../../api/unmodelled';

const PRIMITIVES: Record<string, CType> = {
  void: VOID, char: CHAR, short: SHORT, int: INT, long: LONG, float: FLOAT, double: DOUBLE, bool: BOOL, _Bool: BOOL,
  signed: INT, unsigned: UINT,
  int8_t: SCHAR, uint8_t: UCHAR, int16_t: SHORT, uint16_t: USHORT, int32_t: INT, uint32_t: UINT, int64_t: LONGLONG,
  uint64_t: ULONGLONG, size_t: { ...ULONGLONG, alias: 'size_t' }, ssize_t: { ...LONGLONG, alias: 'ssize_t' },
  intptr_t: { ...LONGLONG, alias: 'intptr_t' }, uintptr_t: { ...ULONGLONG, alias: 'uintptr_t' },
  ptrdiff_t: { ...LONGLONG, alias: 'ptrdiff_t' }, wchar_t: WCHAR_T, char16_t: WCHAR_T, char32_t: UINT,
  __int8: SCHAR, __int16: SHORT, __int32: INT, __int64: LONGLONG,
};

export interface Declared {
  name?: string;
  type: CType;
  node: SyntaxNode;
}

/** The base type of a declaration: `unsigned long`, `struct _X { … }`, `PFLT_FILTER`. */
export function typeFromSpecifier(ctx: TranslateContext, node: SyntaxNode | null): CType {
  if (!node) return INT; // implicit int, as old C allowed
  return ctx.nested(node, () => typeFromSpecifierNode(ctx, node));
}

function typeFromSpecifierNode(ctx: TranslateContext, node: SyntaxNode): CType {
  if (ctx.cpp) {
    const t = ctx.cpp.typeSpecifier(ctx, node);
    if (t) return t;
  }
  switch (node.type) {
    case 'primitive_type': {
      const t = PRIMITIVES[node.text];
      if (!t) {
        ctx.error(node, `unsupported type '${node.text}'`);
        return INT;
      }
      return t;
    }
    case 'sized_type_specifier':
      return sizedType(ctx, node);
    case 'type_identifier': {
      const t = ctx.scope.typedef(node.text) ?? PRIMITIVES[node.text];
      if (t) return t;
      const family = unmodelledFamily(node.text);
      ctx.error(node, `unknown type name '${node.text}': ${family ?? 'declare it, include the header that does, or check the spelling'}`);
      return INT;
    }
    case 'struct_specifier':
    case 'union_specifier':
      return structType(ctx, node, node.type === 'union_specifier');
    case 'enum_specifier':
      return enumType(ctx, node);
    default:
      ctx.error(node, `unsupported type specifier '${ctx.snippet(node)}'`);
      return INT;
  }
}

function sizedType(ctx: TranslateContext, node: SyntaxNode): CType {
  let unsigned = false;
  let longs = 0;
  let short = false;
  let base: string | undefined;
  for (const c of node.children) {
    if (!c) continue;
    switch (c.text) {
      case 'unsigned': unsigned = true; break;
      case 'signed': break;
      case 'long': longs++; break;
      case 'short': short = true; break;
      default:
        if (c.type === 'primitive_type' || c.type === 'type_identifier') base = c.text;
    }
  }
  if (base === 'char') return unsigned ? UCHAR : (node.text.includes('signed') ? SCHAR : CHAR);
  if (base === 'double') return DOUBLE;
  if (base === '__int64') return unsigned ? ULONGLONG : LONGLONG;
  if (base === '__int32') return unsigned ? UINT : INT;
  if (base === '__int16') return unsigned ? USHORT : SHORT;
  if (base === '__int8') return unsigned ? UCHAR : SCHAR;
  if (base !== undefined && base !== 'int') {
    ctx.error(node, `unsupported type '${node.text}'`);
    return INT;
  }
  let t: IntType;
  if (short) t = unsigned ? USHORT : SHORT;
  else if (longs >= 2) t = unsigned ? ULONGLONG : LONGLONG;
  else if (longs === 1) t = unsigned ? ULONG : LONG;
  else t = unsigned ? UINT : INT;
  return t;
}

function structType(ctx: TranslateContext, node: SyntaxNode, union: boolean): StructType {
  const nameNode = node.childForFieldName('name');
  const body = node.childForFieldName('body');
  let type: StructType | undefined;
  if (nameNode) {
    const existing = ctx.scope.tag(nameNode.text);
    // A tag an outer scope (the built-in headers) only declares is defined here as this file's own
    // type: completing the shared one would leak the definition into every other file.
    const outerIncomplete = body !== null && existing?.kind === 'struct' && !existing.fields && ctx.scope.ownTag(nameNode.text) === undefined;
    // Likewise a structure the prelude defines in a header this file never includes: the driver
    // declares it itself because its real headers do not.
    const preludeExtra = body !== null && existing?.kind === 'struct' && existing.fields !== undefined && ctx.scope.ownTag(nameNode.text) === undefined && ctx.preludeTag?.(nameNode.text).kind === 'extra';
    if (existing && existing.kind === 'struct' && !outerIncomplete && !preludeExtra) type = existing;
  }
  if (!type) {
    type = { kind: 'struct', union, tag: nameNode?.text ?? ctx.anonymousTag() };
    if (nameNode) ctx.scope.defineTag(nameNode.text, type);
  }
  if (body) {
    if (type.fields) {
      const standing = ctx.scope.ownTag(type.tag) === undefined ? ctx.preludeTag?.(type.tag) : undefined;
      const where = standing?.kind === 'included' ? `: <${standing.via}>, which this file includes, defines it already — delete this copy (and if the real <${standing.via}> does not declare it, fltsim's prelude is wrong: report it)` : '';
      ctx.error(node, `redefinition of ${union ? 'union' : 'struct'} ${type.tag}${where}`);
      return type;
    }
    type.fields = fieldsOf(ctx, body);
    if (ctx.pack !== undefined) type.pack = ctx.pack;
  }
  return type;
}

function fieldsOf(ctx: TranslateContext, body: SyntaxNode): Field[] {
  const fields: Field[] = [];
  for (const decl of body.namedChildren) {
    if (!decl || decl.type !== 'field_declaration') continue;
    const base = typeFromSpecifier(ctx, decl.childForFieldName('type'));
    const declarators = decl.childrenForFieldName('declarator').filter((d): d is SyntaxNode => d !== null);
    const bitClause = decl.namedChildren.find((c) => c?.type === 'bitfield_clause');
    const align = explicitAlignment(ctx, decl);
    if (declarators.length === 0) {
      if (base.kind === 'struct' && bitClause === undefined) {
        // Anonymous struct or union member: its fields are reachable from the outer struct.
        const field: Field = { name: base.tag.startsWith('<anonymous') ? base.tag : ctx.anonymousTag(), type: base };
        if (align !== undefined) field.align = align;
        fields.push(field);
      }
      continue;
    }
    for (const d of declarators) {
      const r = applyDeclarator(ctx, d, base);
      const field: Field = { name: r.name ?? ctx.anonymousTag(), type: r.type };
      if (align !== undefined) field.align = align;
      if (bitClause) {
        const width = constantValue(ctx, ctx.expr(bitClause.namedChildren[0]!));
        if (width !== undefined) field.bits = width;
      }
      fields.push(field);
    }
  }
  return fields;
}

/** `_Alignas(8)` / `_Alignas(T)` on a member (what DECLSPEC_ALIGN and POINTER_ALIGNMENT become). */
function explicitAlignment(ctx: TranslateContext, decl: SyntaxNode): number | undefined {
  let align: number | undefined;
  for (const q of decl.namedChildren) {
    const a = q?.type === 'type_qualifier' ? q.namedChildren.find((c) => c?.type === 'alignas_qualifier') : undefined;
    const arg = a?.namedChildren[0];
    if (!a || !arg) continue;
    const v = arg.type === 'type_descriptor' ? alignOf(typeFromDescriptor(ctx, arg)) : constantValue(ctx, ctx.expr(arg));
    if (v === undefined || v <= 0 || (v & (v - 1)) !== 0) ctx.error(a, `alignment '${ctx.snippet(arg)}' is not a power of two fltsim can compute`);
    else align = Math.max(align ?? 1, v);
  }
  return align;
}

function enumType(ctx: TranslateContext, node: SyntaxNode): CType {
  const nameNode = node.childForFieldName('name');
  const body = node.childForFieldName('body');
  const enumName = nameNode?.text ?? ctx.anonymousTag();
  if (nameNode) ctx.scope.defineTag(nameNode.text, { kind: 'enum' });
  if (body) {
    let next = 0;
    const names = new Map<number, string>();
    ctx.enumNames.set(enumName, names);
    for (const e of body.namedChildren) {
      if (!e || e.type !== 'enumerator') continue;
      const valueNode = e.childForFieldName('value');
      if (valueNode) {
        const v = constantValue(ctx, ctx.expr(valueNode));
        if (v === undefined) ctx.error(valueNode, `the value of enumerator '${e.childForFieldName('name')?.text}' is not a constant`);
        else next = v;
      }
      const constName = e.childForFieldName('name')!.text;
      ctx.scope.defineEnumConstant(constName, next);
      if (!names.has(next)) names.set(next, constName);
      next++;
    }
  }
  return { ...INT, enumName };
}

/** Applies one declarator (possibly nested, possibly abstract) to a base type. */
export function applyDeclarator(ctx: TranslateContext, node: SyntaxNode | null, base: CType): Declared {
  let type = base;
  let cur = node;
  while (cur) {
    switch (cur.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'primitive_type':
        return { name: cur.text, type, node: cur };
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        type = pointerTo(type);
        cur = cur.childForFieldName('declarator');
        continue;
      case 'array_declarator':
      case 'abstract_array_declarator': {
        const sizeNode = cur.childForFieldName('size');
        let length: number | undefined;
        if (sizeNode && sizeNode.type !== '*') {
          length = constantValue(ctx, ctx.expr(sizeNode));
          if (length === undefined) ctx.error(sizeNode, `array size '${ctx.snippet(sizeNode)}' is not a constant fltsim can compute`);
        }
        type = { kind: 'array', of: type, length };
        cur = cur.childForFieldName('declarator');
        continue;
      }
      case 'function_declarator':
      case 'abstract_function_declarator':
        type = functionType(ctx, cur.childForFieldName('parameters'), type);
        cur = cur.childForFieldName('declarator');
        continue;
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
        cur = cur.namedChildren.find((c) => c !== null && !c.type.includes('modifier') && c.type !== 'type_qualifier') ?? null;
        continue;
      case 'init_declarator':
        cur = cur.childForFieldName('declarator');
        continue;
      case 'attributed_declarator':
        cur = cur.namedChildren[0] ?? null;
        continue;
      default: {
        const cpp = ctx.cpp?.declarator(ctx, cur, type);
        if (cpp) {
          if (cpp.name !== undefined) return { name: cpp.name, type: cpp.type, node: cur };
          type = cpp.type;
          cur = cpp.next;
          continue;
        }
        ctx.error(cur, `unsupported declarator '${ctx.snippet(cur)}'`);
        return { type, node: cur };
      }
    }
  }
  return { type, node: node ?? (undefined as unknown as SyntaxNode) };
}

export function functionType(ctx: TranslateContext, params: SyntaxNode | null, ret: CType): FunctionType {
  const out: FunctionType = { kind: 'func', ret, params: [], variadic: false };
  if (!params) return out;
  const items = params.namedChildren.filter((c): c is SyntaxNode => c !== null);
  if (items.length === 0) {
    out.unprototyped = true;
    return out;
  }
  for (const p of items) {
    if (p.type === 'variadic_parameter') {
      out.variadic = true;
      continue;
    }
    if (p.type !== 'parameter_declaration') continue;
    const base = typeFromSpecifier(ctx, p.childForFieldName('type'));
    const d = applyDeclarator(ctx, p.childForFieldName('declarator'), base);
    if (d.type.kind === 'void' && !d.name) continue; // f(void)
    out.params.push({ name: d.name, type: decayParameter(d.type) });
  }
  // `...` is an anonymous token in some grammar versions.
  if (params.children.some((c) => c?.type === '...')) out.variadic = true;
  return out;
}

/** Array and function parameters are pointers, as C adjusts them. */
export function decayParameter(t: CType): CType {
  if (t.kind === 'array') return pointerTo(t.of);
  if (t.kind === 'func') return pointerTo(t);
  return t;
}

/** The type named by a `type_descriptor` (casts, sizeof, compound literals). */
export function typeFromDescriptor(ctx: TranslateContext, node: SyntaxNode): CType {
  const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
  return applyDeclarator(ctx, node.childForFieldName('declarator'), base).type;
}

export { withAlias };
