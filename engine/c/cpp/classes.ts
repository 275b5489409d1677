/**
 * Classes: a class or struct with members becomes a C struct holding its data members with MSVC's
 * layout; its member functions are declared (and defined, when written in the class) as functions
 * taking `this`; static data members become globals named `Class::member`.
 */
import type { SyntaxNode } from '../treeSitter';
import { VOID, pointerTo, type CType, type Field, type StructType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateInitializer } from '../translate/expressions';
import { translateTypedef } from '../translate/statements';
import { constantValue } from '../translate/constant';
import { isConstant } from './globals';
import { functionDefinition } from './definitions';
import { defaultedKind } from './defaulted';
import { functionTemplateDeclaration } from './functionTemplates';
import { declareFunction, isFunctionDeclarator } from './functions';
import { baseField, emptyClass, VFPTR, type CppClass } from './model';
import { buildVtable, needsConstruction, needsDestructor, pureStub, pureStubName, vtableGlobal } from './inheritance';
import { aliasType, defineMemberType } from './memberTypes';
import type { CppState } from './state';

export function isMethodDeclaration(c: SyntaxNode): boolean {
  const d = c.childForFieldName('declarator');
  return d !== null && isFunctionDeclarator(d);
}

export function classType(s: CppState, ctx: TranslateContext, node: SyntaxNode, name: string, created?: (cls: CppClass) => void): CppClass {
  const existing = s.classes.get(name);
  const body = node.childForFieldName('body');
  const struct: StructType = existing?.struct ?? { kind: 'struct', union: false, tag: name, displayName: name };
  const cls: CppClass = existing ?? emptyClass(name, struct);
  if (!existing) {
    s.classes.set(name, cls);
    ctx.scope.defineTag(name, struct);
    ctx.scope.defineTypedef(name, struct);
    const simple = name.split('::').pop()!;
    if (simple !== name && !name.includes('<')) ctx.scope.defineTypedef(simple, struct);
  }
  created?.(cls);
  if (!body) return cls;
  if (struct.fields) {
    ctx.error(node, `redefinition of class ${name}`);
    return cls;
  }
  const fields: Field[] = [];
  const clause = node.namedChildren.find((c) => c?.type === 'base_class_clause');
  if (clause) cls.bases = baseClasses(s, ctx, clause, name);
  // MSVC's empty base optimisation: an empty first base (a pool-object or tag class) takes no room at offset 0.
  cls.bases.forEach((b, i) => fields.push({ name: baseField(b), type: i === 0 && isEmptyClass(b) ? { kind: 'array', of: b.struct, length: 0 } : b.struct }));
  const deferred: SyntaxNode[] = [];
  // While the members are read, a static constant of the class names a constant (`ULONG items[Count];`).
  const outerClass = s.readingClass;
  s.readingClass = cls;
  for (const m of body.namedChildren) {
    if (!m || m.type === 'comment' || m.type === 'access_specifier') continue;
    if (m.type === 'function_definition') {
      if (defaultedKind(m) !== 'implicit') deferred.push(m);
      continue;
    }
    if (m.type === 'declaration' || (m.type === 'field_declaration' && isMethodDeclaration(m))) {
      const isStatic = m.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
      const t = m.childForFieldName('type') ? typeFromSpecifier(ctx, m.childForFieldName('type')) : VOID;
      for (const d of m.childrenForFieldName('declarator')) if (d) declareFunction(s, ctx, m, d, t, false, cls, isStatic);
      continue;
    }
    if (m.type === 'type_definition') {
      translateTypedef(ctx, m);
      for (const d of m.childrenForFieldName('declarator')) {
        const declared = d ? applyDeclarator(ctx, d, VOID).name : undefined;
        const t = declared ? ctx.scope.typedef(declared) : undefined;
        if (declared && t) defineMemberType(ctx, cls, declared, t);
      }
      continue;
    }
    if (m.type === 'alias_declaration') {
      const alias = aliasType(ctx, m);
      if (alias) defineMemberType(ctx, cls, alias.name, alias.type);
      continue;
    }
    if (m.type === 'template_declaration') {
      const fn = m.namedChildren.find((c) => c?.type === 'function_definition');
      // A member function template only declared here: its definition outside the class is what a use needs.
      if (!fn && m.namedChildren.some((c) => (c?.type === 'declaration' || c?.type === 'field_declaration') && isMethodDeclaration(c))) continue;
      if (!fn || !functionTemplateDeclaration(s, ctx, m, fn, cls)) ctx.error(m, `member templates other than member function templates are not supported yet (in ${name})`);
      continue;
    }
    if (m.type === 'friend_declaration' || m.type === 'using_declaration' || m.type === 'static_assert_declaration') continue;
    if (m.type !== 'field_declaration') {
      if (m.type.endsWith('_specifier')) nestedType(s, ctx, cls, m);
      continue;
    }
    const typeNode = m.childForFieldName('type');
    const t = typeNode && typeNode.type.endsWith('_specifier') ? nestedType(s, ctx, cls, typeNode) : typeFromSpecifier(ctx, typeNode);
    const isStatic = m.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    const declarators = m.childrenForFieldName('declarator').filter((d): d is SyntaxNode => d !== null);
    for (const d of declarators) {
      const r = applyDeclarator(ctx, d, t);
      if (!r.name) continue;
      const valueNode = m.childForFieldName('default_value');
      if (isStatic) {
        const global = `${name}::${r.name}`;
        cls.statics.set(r.name, global);
        s.globals.set(global, { type: r.type, ref: false });
        // Initialised in the class, so in every file that includes it: an inline variable (C++17).
        const init = valueNode ? translateInitializer(ctx, valueNode) : undefined;
        if (init) s.unit.globals.push({ name: global, type: r.type, init, inline: true, loc: ctx.loc(d) });
        // `static constexpr ULONG Count = 4;`: a constant expression wherever the class's names are seen.
        if (init?.k === 'expr') isConstant(s, ctx, m, r.type, init.expr, global);
        continue;
      }
      const memberCls = s.classOf(r.type);
      if (memberCls) cls.members.push({ field: r.name, cls: memberCls });
      const element = r.type.kind === 'array' ? s.classOf(r.type.of) : undefined;
      if (element && (needsConstruction(element) || needsDestructor(element))) ctx.error(d, `member '${r.name}' of ${name} is an array of class ${element.name}, which has a constructor or destructor: fltsim does not construct arrays of objects; hold pointers instead`);
      if (s.refTypes.has(r.type)) cls.refFields.add(r.name);
      const field: Field = { name: r.name, type: r.type };
      const bits = m.namedChildren.find((c) => c?.type === 'bitfield_clause');
      if (bits) {
        const width = constantValue(ctx, ctx.expr(bits.namedChildren[0]!));
        if (width !== undefined) field.bits = width;
      }
      if (valueNode) cls.fieldInits.push({ field: r.name, value: valueNode });
      fields.push(field);
    }
    // An unnamed struct or union member (C11): its members are the class's; a named nested type declares no member.
    if (declarators.length === 0 && t.kind === 'struct' && !typeNode?.childForFieldName('name')) fields.push({ name: t.tag.startsWith('<anonymous') ? t.tag : ctx.anonymousTag(), type: t });
  }
  s.readingClass = outerClass;
  // Every member is declared before any body is lowered: a body may call a member written below it.
  for (const m of deferred) {
    const d = m.childForFieldName('declarator');
    const isStatic = m.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    if (d) declareFunction(s, ctx, m, d, m.childForFieldName('type') ? typeFromSpecifier(ctx, m.childForFieldName('type')) : VOID, false, cls, isStatic);
  }
  buildVtable(cls);
  // The vtable pointer comes first, unless the first base (at offset 0) already holds one.
  if (cls.vtable && !cls.bases[0]?.vtable) fields.unshift({ name: VFPTR, type: pointerTo(pointerTo(VOID)) });
  const secondary = cls.bases.slice(1).find((b) => b.vtable);
  if (secondary) ctx.error(clause ?? node, `${name}: virtual functions in a base class other than the first (${secondary.name}) are not supported yet; make it the first base`);
  // An empty class still has size 1 in C++.
  struct.fields = fields.every(isEmptyBaseField) ? [...fields, { name: EMPTY, type: { kind: 'int', size: 1, signed: false, name: 'char' } }] : fields;
  if (ctx.pack !== undefined) struct.pack = ctx.pack;
  if (cls.vtable) {
    s.unit.globals.push(vtableGlobal(cls, ctx.loc(node)));
    for (const slot of cls.vtable) if (slot.fn.pure && !s.unit.functions.has(pureStubName(slot.fn))) s.unit.functions.set(pureStubName(slot.fn), pureStub(slot.fn, slot.fn.loc));
  }
  for (const m of deferred) functionDefinition(s, ctx, m, cls);
  return cls;
}

/** A class, struct or enum declared inside `cls`: named after it (`Outer::Inner`) and one of its member types. */
function nestedType(s: CppState, ctx: TranslateContext, cls: CppClass, node: SyntaxNode): CType {
  const saved = s.enclosingClass;
  s.enclosingClass = cls.name;
  try {
    const t = typeFromSpecifier(ctx, node);
    const name = node.childForFieldName('name');
    if (name?.type === 'type_identifier') defineMemberType(ctx, cls, name.text, t);
    return t;
  } finally {
    s.enclosingClass = saved;
  }
}

/** `: public Base, private Other`: the classes named, each already defined. */
function baseClasses(s: CppState, ctx: TranslateContext, clause: SyntaxNode, name: string): CppClass[] {
  const out: CppClass[] = [];
  if (clause.children.some((c) => c?.type === 'virtual')) {
    ctx.error(clause, `${name}: virtual base classes are not supported yet`);
    return out;
  }
  for (const c of clause.namedChildren) {
    if (!c || c.type === 'access_specifier' || c.type === 'comment') continue;
    const t = typeFromSpecifier(ctx, c);
    // A plain C struct is a base class too.
    const base = s.classOf(t) ?? (t.kind === 'struct' && t.fields ? plainClass(s, t) : undefined);
    if (!base || !base.struct.fields) {
      ctx.error(c, `${name} derives from '${ctx.snippet(c)}', which is not a class defined before it`);
      continue;
    }
    out.push(base);
  }
  return out;
}

/** The class a plain struct (no member functions, so built the C way) is when something derives from it. */
function plainClass(s: CppState, struct: StructType): CppClass {
  const cls = emptyClass(struct.tag, struct);
  s.classes.set(struct.tag, cls);
  return cls;
}

const EMPTY = '<empty>';

function isEmptyBaseField(f: Field): boolean {
  return f.type.kind === 'array' && f.type.length === 0;
}

/** A class with no data, no vtable and no non-empty base: only the byte C++ gives every object. */
function isEmptyClass(cls: CppClass): boolean {
  return !cls.vtable && (cls.struct.fields ?? []).every((f) => f.name === EMPTY || isEmptyBaseField(f));
}
