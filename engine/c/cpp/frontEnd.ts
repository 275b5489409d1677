/**
 * The C++ front end: lowers the subset of C++ kernel drivers use onto the C syntax tree the
 * interpreter already runs (docs/interpreter.md, "C++"). Classes become structs and their member
 * functions plain functions taking `this` first; references become pointers read through at every
 * use; constructors and destructors become calls, a destructor in a `__finally` around the rest of
 * its block so that every way out of the scope runs it; `new`/`delete` call the driver's own
 * `operator new`/`operator delete`. The C translator (engine/c/translate) asks these hooks first for
 * every node of a C++ file; anything they do not answer is C and goes the C way.
 */
import type { Expr, FunctionDef, Initializer, Loc, Stmt, VarDecl } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, SIZE_T, VOID, pointee, pointerTo, sameType, typeName, type CType, type Field, type FunctionType, type StructType } from '../types';
import type { CppHooks, TranslateContext } from '../translate/context';
import { applyDeclarator, decayParameter, typeFromSpecifier } from '../translate/declarators';
import { translateExpr, translateInitializer } from '../translate/expressions';
import { storageOf, translateStmt, translateTypedef } from '../translate/statements';
import { constantValue } from '../translate/constant';
import type { ClassTemplate, CppClass, CppFunction, CppVariable } from './model';
import { typeOfExpr, type TypeEnvironment } from './typer';

/** The tables of the translation unit being built (engine/c/program.ts's TranslationUnit). */
export interface UnitTables {
  functions: Map<string, FunctionDef>;
  prototypes: Map<string, { name: string; type: FunctionType; loc: Loc; static?: boolean }>;
  globals: VarDecl[];
}

/** What the compiled prelude declares (its kernel routines), for typing calls of them. */
export interface PreludeTables {
  functions: ReadonlyMap<string, FunctionDef>;
  prototypes: ReadonlyMap<string, { type: FunctionType }>;
}

/** What the current function body needs while it is lowered. */
interface FunctionState {
  cls?: CppClass;
  refReturn: boolean;
  /** Temporaries `new`/`delete` need: declared at the top of the function. */
  hidden: VarDecl[];
  locals: Map<string, CppVariable>[];
}

const UNSUPPORTED_EXPR: Record<string, string> = {
  lambda_expression: 'lambda expressions',
  throw_expression: 'C++ exceptions (kernel code has none)',
  co_await_expression: 'coroutines',
  fold_expression: 'fold expressions',
  user_defined_literal: 'user-defined literals',
};

const UNSUPPORTED_STMT: Record<string, string> = {
  for_range_loop: 'range-based for loops',
  try_statement: 'C++ exceptions (try/catch; kernel code has none, use __try/__except)',
  throw_statement: 'C++ exceptions (throw; kernel code has none)',
  co_return_statement: 'coroutines',
};

export class CppFrontEnd implements CppHooks {
  private readonly namespaces: string[] = [];
  private readonly usings: string[] = [];
  private externC = 0;
  private readonly functions = new Map<string, CppFunction[]>();
  private readonly classes = new Map<string, CppClass>();
  private readonly templates = new Map<string, ClassTemplate>();
  private readonly globals = new Map<string, CppVariable>();
  /** `const int Max = 32;`: in C++ a constant expression (array sizes, case labels), held as an enumerator. */
  private readonly constants = new Set<string>();
  private fn: FunctionState | undefined;
  private newCount = 0;
  /** Pointer types that stand for C++ references (`T &`): made by this front end only. */
  private readonly refTypes = new WeakSet<CType>();
  private readonly types: TypeEnvironment;

  constructor(
    private readonly unit: UnitTables,
    private readonly prelude: PreludeTables | undefined,
  ) {
    this.types = {
      variable: (name) => this.variable(name),
      functionType: (name) => this.functionTypeOf(name),
    };
  }

  // ---- top level ---------------------------------------------------------------------------------

  /** True when the node was C++ and is handled; false hands it to the C path. */
  topLevel(ctx: TranslateContext, node: SyntaxNode, cTopLevel: (node: SyntaxNode) => void): boolean {
    switch (node.type) {
      case 'linkage_specification': {
        const body = node.childForFieldName('body');
        this.externC++;
        try {
          if (body?.type === 'declaration_list') for (const c of body.namedChildren) { if (c) this.topLevelOrC(ctx, c, cTopLevel); }
          else if (body) this.topLevelOrC(ctx, body, cTopLevel);
        } finally {
          this.externC--;
        }
        return true;
      }
      case 'namespace_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.namespaces.push(...name.split('::'));
        try {
          for (const c of node.childForFieldName('body')?.namedChildren ?? []) if (c) this.topLevelOrC(ctx, c, cTopLevel);
        } finally {
          if (name) this.namespaces.length -= name.split('::').length;
        }
        return true;
      }
      case 'using_declaration': {
        // `using namespace N;` makes N's names visible unqualified; `using N::x;` likewise for x.
        const target = node.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'qualified_identifier' || c?.type === 'namespace_identifier');
        if (target) this.usings.push(node.text.includes('namespace') ? target.text : target.text.split('::').slice(0, -1).join('::'));
        return true;
      }
      case 'alias_declaration': {
        const name = node.childForFieldName('name')?.text;
        const t = node.childForFieldName('type');
        if (name && t) ctx.scope.defineTypedef(name, typeFromSpecifier(ctx, t.childForFieldName('type')) );
        return true;
      }
      case 'template_declaration':
        this.templateDeclaration(ctx, node);
        return true;
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier':
        typeFromSpecifier(ctx, node);
        return true;
      case 'function_definition':
        this.functionDefinition(ctx, node);
        return true;
      case 'declaration':
        this.globalDeclaration(ctx, node);
        return true;
      case 'static_assert_declaration':
        return true;
      default:
        return false;
    }
  }

  private topLevelOrC(ctx: TranslateContext, node: SyntaxNode, cTopLevel: (node: SyntaxNode) => void): void {
    if (!this.topLevel(ctx, node, cTopLevel)) cTopLevel(node);
  }

  private qualify(name: string): string {
    return [...this.namespaces, name].join('::');
  }

  private globalDeclaration(ctx: TranslateContext, node: SyntaxNode): void {
    const typeNode = node.childForFieldName('type');
    const base = typeFromSpecifier(ctx, typeNode);
    const storage = storageOf(node);
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      if (this.isFunctionDeclarator(d)) {
        this.declareFunction(ctx, node, d, base, false);
        continue;
      }
      const declared = applyDeclarator(ctx, d, base);
      if (!declared.name) continue;
      if (declared.type.kind === 'func') {
        // `DRIVER_INITIALIZE DriverEntry;`: a function declared through a function typedef.
        const fname = this.externC > 0 ? declared.name : this.qualify(declared.name);
        if (!this.unit.prototypes.has(fname)) this.unit.prototypes.set(fname, { name: fname, type: declared.type, loc: ctx.loc(declared.node ?? d), ...(storage === 'static' ? { static: true } : {}) });
        continue;
      }
      const valueNode = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      const name = declared.name.includes('::') ? declared.name.replace(/^::/, '') : this.qualify(declared.name);
      const ref = this.refTypes.has(declared.type);
      let init = valueNode && valueNode.type !== 'argument_list' ? translateInitializer(ctx, valueNode) : undefined;
      if (ref && init?.k === 'expr') init = { k: 'expr', expr: this.addressOf(init.expr), loc: init.loc };
      const cls = this.classOf(declared.type);
      if (cls && (cls.ctors.length > 0 || cls.dtor || cls.fieldInits.length > 0) && storage !== 'extern') {
        // A kernel driver has no C runtime to run global constructors (docs/interpreter.md, "C++").
        ctx.warn(d, `the constructor and destructor of global '${name}' (class ${cls.name}) never run: a kernel driver has no C runtime to call them, so '${name}' starts zeroed; initialise it from DriverEntry`);
        init = undefined;
      }
      const type = sizedByInitializer(declared.type, init);
      this.globals.set(name, { type, ref });
      ctx.scope.setObjectType(declared.name, type);
      if (init?.k === 'expr' && this.isConstant(ctx, node, type, init.expr, name)) ctx.scope.defineEnumConstant(declared.name, constantValue(ctx, init.expr)!);
      const decl: VarDecl = { name, type, init, storage, loc: ctx.loc(declared.node ?? d) };
      const i = this.unit.globals.findIndex((g) => g.name === name);
      if (i >= 0) {
        if (storage === 'extern') continue;
        if (this.unit.globals[i].init && init) {
          ctx.error(node, `'${name}' is defined twice`);
          continue;
        }
        this.unit.globals[i] = decl;
      } else {
        this.unit.globals.push(decl);
      }
    }
  }

  /** A `const`/`constexpr` integer with a constant initializer: usable where C wants a constant. */
  private isConstant(ctx: TranslateContext, node: SyntaxNode, t: CType, init: Expr, name: string): boolean {
    if (t.kind !== 'int' || !node.children.some((c) => c?.type === 'type_qualifier' && (c.text === 'const' || c.text === 'constexpr'))) return false;
    if (constantValue(ctx, init) === undefined) return false;
    this.constants.add(name);
    return true;
  }

  private isFunctionDeclarator(d: SyntaxNode): boolean {
    let cur: SyntaxNode | null = d;
    while (cur) {
      if (cur.type === 'function_declarator' || cur.type === 'operator_cast') return true;
      if (cur.type === 'init_declarator' || cur.type === 'parenthesized_declarator') return false;
      cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
    }
    return false;
  }

  // ---- functions ---------------------------------------------------------------------------------

  /** The function_declarator under the pointer/reference declarators of a return type. */
  private functionDeclaratorOf(d: SyntaxNode): SyntaxNode | undefined {
    let cur: SyntaxNode | null = d;
    while (cur && cur.type !== 'function_declarator' && cur.type !== 'operator_cast') cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
    return cur ?? undefined;
  }

  /** Declares (or finds the earlier declaration of) a function; `cls` for a member declared in its class. */
  private declareFunction(ctx: TranslateContext, node: SyntaxNode, d: SyntaxNode, base: CType, defining: boolean, cls?: CppClass, isStatic = false): CppFunction | undefined {
    const found = this.functionDeclaratorOf(d);
    if (!found) return undefined;
    // `operator bool() const`: a conversion operator; its parameters sit in an abstract declarator.
    const cast = found.type === 'operator_cast' ? found : undefined;
    const fd = cast ? cast.childForFieldName('declarator') ?? found : found;
    const nameNode = cast ?? fd.childForFieldName('declarator')!;
    let written = nameNode.text.replace(/\s+/g, '');
    if (cast) written = `${written.replace(/operator.*$/, '')}operator cast`;
    else if (nameNode.type === 'operator_name' || /::operator/.test(written)) written = written.replace(/operator/, 'operator ').replace(/\s*\[\s*\]/, '[]');
    if (/^operator /.test(written.split('::').pop()!) && !/operator (new|delete|->|cast)(\[\])?$/.test(written)) {
      ctx.error(nameNode, `fltsim does not run C++ operator overloading ('${written}'); only operator new, operator delete, operator-> and conversion operators (operator bool) are supported`);
      return undefined;
    }
    const constThis = fd.children.some((c) => c?.type === 'type_qualifier' && c.text === 'const');
    if (node.children.some((c) => c?.type === 'virtual') || d.children.some((c) => c?.type === 'virtual')) {
      ctx.error(node, `fltsim does not run virtual functions ('${written}'): call a plain member function or a function pointer instead`);
      return undefined;
    }
    // Owner: the class being defined, or the class a qualified name names (`void C::M() { … }`).
    const parts = written.split('::').filter((p, i) => p !== '' || i > 0);
    if (written.startsWith('::')) parts.shift();
    let simple = parts[parts.length - 1];
    let owner = cls;
    if (!owner && parts.length > 1) owner = this.classes.get(parts.slice(0, -1).join('::')) ?? this.classes.get(this.qualify(parts.slice(0, -1).join('::')));
    const ownerName = owner?.name;
    const isCtor = owner !== undefined && (simple === owner.name.split('::').pop()!.replace(/<.*$/, '') || simple === ownerName);
    const isDtor = simple.startsWith('~');
    if (isDtor) simple = '~';
    let memberStatic = isStatic;
    if (owner && !cls) {
      // An out-of-class definition: the class said whether it is static.
      const known = isCtor ? owner.ctors : isDtor ? (owner.dtor ? [owner.dtor] : []) : (owner.methods.get(simple) ?? []);
      memberStatic = known.length > 0 && known.every((k) => k.thisClass === undefined);
    }
    const ret = cast ? applyDeclarator(ctx, null, typeFromSpecifier(ctx, cast.childForFieldName('type'))).type : isCtor || isDtor ? VOID : this.returnType(d, found, base);
    const refReturn = this.refTypes.has(ret);
    const { params, refs, defaults } = this.parameters(ctx, fd.childForFieldName('parameters'));
    const variadic = fd.childForFieldName('parameters')?.children.some((c) => c?.type === '...' || c?.type === 'variadic_parameter') ?? false;
    const thisType = owner && !memberStatic ? [{ name: 'this', type: pointerTo(owner.struct) }] : [];
    const type: FunctionType = { kind: 'func', ret, params: [...thisType, ...params], variadic };
    let qualified: string;
    if (owner) qualified = `${owner.name}::${isDtor ? `~${owner.name.split('::').pop()!.replace(/<.*$/, '')}` : isCtor ? owner.name.split('::').pop()! : simple}`;
    else if (parts.length > 1) qualified = parts.join('::');
    else qualified = this.externC > 0 ? simple : this.qualify(simple);
    const list = this.functions.get(qualified) ?? [];
    const same = list.find((f) => f.constThis === constThis && (cast ? sameType(f.type.ret, ret) : f.type.params.length === type.params.length && f.type.params.every((p, i) => sameType(p.type, type.params[i].type))));
    if (same) {
      if (defining) {
        if (same.defined) ctx.error(nameNode, `function '${same.linkName}' is defined twice`);
        same.defined = true;
        same.type = type;
        same.loc = ctx.loc(nameNode);
      }
      for (let i = 0; i < defaults.length; i++) same.defaults[i] ??= defaults[i];
      return same;
    }
    // The first signature keeps the plain name; later overloads are decorated with their parameters.
    const linkName = list.length === 0 ? qualified : cast ? `${qualified} ${typeName(ret)}` : `${qualified}(${params.map((p) => typeName(p.type)).join(', ')})${constThis ? ' const' : ''}`;
    const f: CppFunction = { linkName, type, refParams: refs, refReturn, defaults, thisClass: owner && !memberStatic ? owner : undefined, constThis, defined: defining, loc: ctx.loc(nameNode) };
    list.push(f);
    this.functions.set(qualified, list);
    if (owner) {
      if (isCtor) owner.ctors.push(f);
      else if (isDtor) owner.dtor = f;
      else owner.methods.set(simple, [...(owner.methods.get(simple) ?? []), f]);
    }
    if (!this.unit.prototypes.has(linkName)) {
      const proto: { name: string; type: FunctionType; loc: Loc; static?: boolean } = { name: linkName, type, loc: f.loc };
      if (storageOf(node) === 'static') proto.static = true;
      this.unit.prototypes.set(linkName, proto);
    }
    return f;
  }

  /** The return type: the pointers and references written around the function declarator. */
  private returnType(d: SyntaxNode, fd: SyntaxNode, base: CType): CType {
    let t = base;
    let cur: SyntaxNode | null = d;
    while (cur && cur !== fd) {
      if (cur.type === 'pointer_declarator') t = pointerTo(t);
      else if (cur.type === 'reference_declarator') {
        t = pointerTo(t);
        this.refTypes.add(t);
      }
      cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
    }
    return t;
  }

  private parameters(ctx: TranslateContext, list: SyntaxNode | null): { params: { name?: string; type: CType }[]; refs: boolean[]; defaults: (SyntaxNode | undefined)[] } {
    const params: { name?: string; type: CType }[] = [];
    const refs: boolean[] = [];
    const defaults: (SyntaxNode | undefined)[] = [];
    for (const p of list?.namedChildren ?? []) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration')) continue;
      const base = typeFromSpecifier(ctx, p.childForFieldName('type'));
      const d = applyDeclarator(ctx, p.childForFieldName('declarator'), base);
      if (d.type.kind === 'void' && !d.name) continue;
      const type = decayParameter(d.type);
      params.push({ name: d.name, type });
      refs.push(this.refTypes.has(d.type));
      defaults.push(p.childForFieldName('default_value') ?? undefined);
    }
    return { params, refs, defaults };
  }

  private functionDefinition(ctx: TranslateContext, node: SyntaxNode, cls?: CppClass): void {
    const declarator = node.childForFieldName('declarator');
    if (!declarator) return;
    const isStatic = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    const base = node.childForFieldName('type') ? typeFromSpecifier(ctx, node.childForFieldName('type')) : VOID;
    const f = this.declareFunction(ctx, node, declarator, base, true, cls, isStatic && cls !== undefined);
    if (!f) return;
    const found = this.functionDeclaratorOf(declarator)!;
    const fd = found.type === 'operator_cast' ? found.childForFieldName('declarator') ?? found : found;
    const paramNodes = (fd.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p?.type === 'parameter_declaration' || p?.type === 'optional_parameter_declaration');
    const params = f.type.params.map((p, i) => {
      const at = f.thisClass ? i - 1 : i;
      return { name: p.name ?? `<param ${i + 1}>`, type: p.type, loc: at >= 0 && paramNodes[at] ? ctx.loc(paramNodes[at]) : ctx.loc(node) };
    });
    const saved = { fn: this.fn, scope: ctx.scope };
    const state: FunctionState = { cls: f.thisClass ?? (cls ?? undefined), refReturn: f.refReturn, hidden: [], locals: [new Map()] };
    this.fn = state;
    ctx.scope = ctx.scope.child();
    try {
      f.type.params.forEach((p, i) => {
        const at = f.thisClass ? i - 1 : i;
        if (p.name) {
          ctx.scope.defineObject(p.name);
          state.locals[0].set(p.name, { type: p.type, ref: at >= 0 && f.refParams[at] === true });
        }
      });
      const bodyNode = node.childForFieldName('body');
      if (!bodyNode) return;
      const prologue: Stmt[] = [];
      const owner = f.thisClass;
      if (owner && owner.ctors.includes(f)) prologue.push(...this.memberInitializers(ctx, node, owner));
      const body = this.block(ctx, bodyNode, prologue);
      if (owner && owner.dtor === f) {
        // Members are destroyed after the destructor's body: fltsim runs no member destructors,
        // and a class whose members need one is refused where it is defined.
      }
      if (state.hidden.length > 0) body.body.unshift({ k: 'decl', decls: state.hidden, loc: body.loc });
      const def: FunctionDef = {
        name: f.linkName,
        type: f.type,
        params,
        body,
        // Defined inside its class (or a template's): one copy per file, as C++'s inline linkage.
        static: storageOf(node) === 'static' || cls !== undefined || node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'inline'),
        loc: f.loc,
        endLoc: ctx.endLoc(bodyNode),
      };
      this.unit.functions.set(f.linkName, def);
    } finally {
      this.fn = saved.fn;
      ctx.scope = saved.scope;
    }
  }

  /** `: _lock(lock), count(0)` and default member initializers, as assignments through `this`. */
  private memberInitializers(ctx: TranslateContext, node: SyntaxNode, cls: CppClass): Stmt[] {
    const out: Stmt[] = [];
    const list = node.namedChildren.find((c) => c?.type === 'field_initializer_list');
    const explicit = new Set<string>();
    const assign = (field: string, valueNode: SyntaxNode | undefined, at: SyntaxNode): void => {
      const loc = ctx.loc(at);
      const target: Expr = { k: 'member', object: { k: 'id', name: 'this', loc }, field, arrow: true, loc };
      if (!valueNode) return;
      if (valueNode.type === 'initializer_list') {
        out.push({ k: 'expr', expr: this.braceAssign(ctx, cls, field, target, valueNode), loc });
        return;
      }
      let value = translateExpr(ctx, valueNode);
      if (cls.refFields.has(field)) value = this.addressOf(value);
      out.push({ k: 'expr', expr: { k: 'assign', op: '=', left: target, right: value, loc }, loc });
    };
    for (const fi of list?.namedChildren ?? []) {
      if (fi?.type !== 'field_initializer') continue;
      const name = fi.namedChildren[0]!.text;
      const args = fi.namedChildren[1];
      const values = (args?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
      if (!cls.struct.fields?.some((f) => f.name === name)) {
        const simple = cls.name.split('::').pop()!.replace(/<.*$/, '');
        ctx.error(fi, name === simple ? `fltsim does not run delegating constructors ('${ctx.snippet(fi)}')` : `'${name}' is not a member of ${cls.name}: fltsim runs no base classes`);
        continue;
      }
      explicit.add(name);
      if (values.length > 1) ctx.error(fi, `member '${name}' is initialised with ${values.length} values; fltsim runs no member constructors`);
      assign(name, values[0], fi);
    }
    const defaults = cls.fieldInits.filter((fi) => !explicit.has(fi.field)).map((fi) => {
      const saved = out.length;
      assign(fi.field, fi.value, fi.value);
      return out.splice(saved);
    }).flat();
    return [...defaults, ...out];
  }

  /** `int _byKind[3] = {};` / `_stats{…}`: a member set from a brace list, through a compound literal. */
  private braceAssign(ctx: TranslateContext, cls: CppClass, field: string, target: Expr, list: SyntaxNode): Expr {
    const loc = ctx.loc(list);
    const type = cls.struct.fields?.find((f) => f.name === field)?.type ?? INT;
    const init = translateInitializer(ctx, list);
    if (type.kind === 'array') {
      // Arrays cannot be assigned in C: copy the literal's bytes.
      return { k: 'call', callee: { k: 'id', name: 'memcpy', loc }, args: [{ k: 'unary', op: '&', arg: target, loc }, { k: 'compound', type, init, loc }, { k: 'sizeofType', type, loc }], loc };
    }
    if (type.kind === 'struct') return { k: 'assign', op: '=', left: target, right: { k: 'compound', type, init, loc }, loc };
    const first = init.k === 'list' ? init.items[0]?.value : init;
    const value: Expr = first?.k === 'expr' ? first.expr : { k: 'num', value: 0, type: INT, loc };
    return { k: 'assign', op: '=', left: target, right: value, loc };
  }

  // ---- classes -----------------------------------------------------------------------------------

  typeSpecifier(ctx: TranslateContext, node: SyntaxNode): CType | undefined {
    switch (node.type) {
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier': {
        const body = node.childForFieldName('body');
        const nameNode = node.childForFieldName('name');
        if (nameNode?.type === 'template_type') return this.templateType(ctx, nameNode);
        const isClass = node.type === 'class_specifier' || node.namedChildren.some((c) => c?.type === 'base_class_clause') || (body?.namedChildren.some((c) => c !== null && (c.type === 'function_definition' || c.type === 'access_specifier' || c.type === 'template_declaration' || (c.type === 'field_declaration' && (this.isMethodDeclaration(c) || c.children.some((x) => x?.type === 'storage_class_specifier') || c.childForFieldName('default_value') !== null)))) ?? false);
        if (!isClass || node.type === 'union_specifier') {
          if (!nameNode) return undefined;
          // A C struct: the C path builds it; in C++ its tag is also a type name.
          const hooks = ctx.cpp;
          ctx.cpp = undefined;
          let t: CType;
          try {
            t = typeFromSpecifier(ctx, node);
          } finally {
            ctx.cpp = hooks;
          }
          if (!ctx.scope.isTypeName(nameNode.text)) ctx.scope.defineTypedef(nameNode.text, t);
          return t;
        }
        return this.classType(ctx, node, nameNode ? this.qualify(nameNode.text) : ctx.anonymousTag()).struct;
      }
      case 'template_type':
        return this.templateType(ctx, node);
      case 'enum_specifier': {
        const nameNode = node.childForFieldName('name');
        const hooks = ctx.cpp;
        ctx.cpp = undefined;
        let t: CType;
        try {
          t = typeFromSpecifier(ctx, node);
        } finally {
          ctx.cpp = hooks;
        }
        if (nameNode) {
          const name = nameNode.text;
          if (!ctx.scope.isTypeName(name)) ctx.scope.defineTypedef(name, t);
          // Scoped names (`Options::Normalized`) for `enum class` and plain enums alike.
          for (const e of node.childForFieldName('body')?.namedChildren ?? []) {
            const en = e?.type === 'enumerator' ? e.childForFieldName('name')?.text : undefined;
            const v = en !== undefined ? ctx.scope.enumConstant(en) : undefined;
            if (en !== undefined && v !== undefined) ctx.scope.defineEnumConstant(`${name}::${en}`, v);
          }
        }
        return t;
      }
      case 'placeholder_type_specifier':
        // `auto`: the declaration that uses it replaces this with its initializer's type.
        return AUTO;
      case 'qualified_identifier':
      case 'nested_namespace_specifier': {
        const name = node.text.replace(/\s+/g, '').replace(/^::/, '');
        const t = ctx.scope.typedef(name) ?? ctx.scope.typedef(name.split('::').pop()!);
        if (t) return t;
        ctx.error(node, `unknown type name '${name}'`);
        return INT;
      }
      case 'type_identifier': {
        const name = node.text;
        if (ctx.scope.typedef(name)) return undefined;
        for (const ns of this.visibleNamespaces()) {
          const t = ctx.scope.typedef(`${ns}::${name}`);
          if (t) return t;
        }
        if (this.templates.has(name)) {
          ctx.error(node, `class template '${name}' needs its arguments here (${name}<…>)`);
          return INT;
        }
        return undefined;
      }
      case 'decltype':
        ctx.error(node, 'fltsim does not run decltype: write the type');
        return INT;
      default:
        return undefined;
    }
  }

  private isMethodDeclaration(c: SyntaxNode): boolean {
    const d = c.childForFieldName('declarator');
    return d !== null && this.isFunctionDeclarator(d);
  }

  private classType(ctx: TranslateContext, node: SyntaxNode, name: string, created?: (cls: CppClass) => void): CppClass {
    const existing = this.classes.get(name);
    const body = node.childForFieldName('body');
    const struct: StructType = existing?.struct ?? { kind: 'struct', union: false, tag: name, displayName: name };
    const cls: CppClass = existing ?? { name, struct, methods: new Map(), ctors: [], refFields: new Set(), statics: new Map(), fieldInits: [] };
    if (!existing) {
      this.classes.set(name, cls);
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
    const base = node.namedChildren.find((c) => c?.type === 'base_class_clause');
    if (base) ctx.error(base, `fltsim does not run class inheritance ('${ctx.snippet(base)}'): ${name} stops here`);
    const fields: Field[] = [];
    const deferred: SyntaxNode[] = [];
    for (const m of body.namedChildren) {
      if (!m || m.type === 'comment' || m.type === 'access_specifier') continue;
      if (m.type === 'function_definition') {
        deferred.push(m);
        continue;
      }
      if (m.type === 'declaration' || (m.type === 'field_declaration' && this.isMethodDeclaration(m))) {
        const isStatic = m.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
        const t = m.childForFieldName('type') ? typeFromSpecifier(ctx, m.childForFieldName('type')) : VOID;
        for (const d of m.childrenForFieldName('declarator')) if (d) this.declareFunction(ctx, m, d, t, false, cls, isStatic);
        continue;
      }
      if (m.type === 'type_definition') {
        translateTypedef(ctx, m);
        continue;
      }
      if (m.type === 'template_declaration') {
        ctx.error(m, `fltsim does not run member templates (in ${name})`);
        continue;
      }
      if (m.type === 'friend_declaration' || m.type === 'using_declaration' || m.type === 'alias_declaration' || m.type === 'static_assert_declaration') continue;
      if (m.type !== 'field_declaration') {
        if (m.type.endsWith('_specifier')) typeFromSpecifier(ctx, m);
        continue;
      }
      const t = typeFromSpecifier(ctx, m.childForFieldName('type'));
      const isStatic = m.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
      const declarators = m.childrenForFieldName('declarator').filter((d): d is SyntaxNode => d !== null);
      for (const d of declarators) {
        const r = applyDeclarator(ctx, d, t);
        if (!r.name) continue;
        const valueNode = m.childForFieldName('default_value');
        if (isStatic) {
          const global = `${name}::${r.name}`;
          cls.statics.set(r.name, global);
          this.globals.set(global, { type: r.type, ref: false });
          if (valueNode) this.unit.globals.push({ name: global, type: r.type, init: translateInitializer(ctx, valueNode), loc: ctx.loc(d) });
          continue;
        }
        const memberCls = this.classOf(r.type);
        if (memberCls && (memberCls.ctors.length > 0 || memberCls.dtor)) ctx.error(d, `member '${r.name}' of ${name} has a class type with a constructor or destructor (${memberCls.name}); fltsim runs no member constructors: hold a pointer, or initialise it in the constructor's body`);
        if (this.refTypes.has(r.type)) cls.refFields.add(r.name);
        const field: Field = { name: r.name, type: r.type };
        const bits = m.namedChildren.find((c) => c?.type === 'bitfield_clause');
        if (bits) {
          const width = constantValue(ctx, ctx.expr(bits.namedChildren[0]!));
          if (width !== undefined) field.bits = width;
        }
        if (valueNode) cls.fieldInits.push({ field: r.name, value: valueNode });
        fields.push(field);
      }
      if (declarators.length === 0 && t.kind === 'struct') fields.push({ name: t.tag.startsWith('<anonymous') ? t.tag : ctx.anonymousTag(), type: t });
    }
    // An empty class still has size 1 in C++.
    struct.fields = fields.length > 0 ? fields : [{ name: '<empty>', type: { kind: 'int', size: 1, signed: false, name: 'char' } }];
    if (ctx.pack !== undefined) struct.pack = ctx.pack;
    for (const m of deferred) this.functionDefinition(ctx, m, cls);
    return cls;
  }

  private classOf(t: CType | undefined): CppClass | undefined {
    return t?.kind === 'struct' ? this.classes.get(t.tag) : undefined;
  }

  // ---- templates ---------------------------------------------------------------------------------

  private templateDeclaration(ctx: TranslateContext, node: SyntaxNode): void {
    const inner = node.namedChildren.find((c) => c !== null && c.type !== 'template_parameter_list' && c.type !== 'comment');
    const params = (node.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p !== null);
    if (inner && (inner.type === 'class_specifier' || inner.type === 'struct_specifier') && inner.childForFieldName('body')) {
      const names: string[] = [];
      for (const p of params) {
        if (p.type !== 'type_parameter_declaration' && p.type !== 'optional_type_parameter_declaration') {
          ctx.error(p, `fltsim runs class templates with type parameters only ('${ctx.snippet(p)}')`);
          return;
        }
        names.push(p.namedChildren.find((c) => c?.type === 'type_identifier')?.text ?? '');
      }
      const name = inner.childForFieldName('name')!.text;
      this.templates.set(name, { name, params: names, node: inner, instances: new Map() });
      return;
    }
    if (inner && inner.type === 'struct_specifier' && !inner.childForFieldName('body')) return;
    ctx.error(node, `fltsim does not run function templates or template specialisations ('${ctx.snippet(node)}'); class templates with type parameters run`);
  }

  private templateType(ctx: TranslateContext, node: SyntaxNode): CType {
    const name = node.childForFieldName('name')!.text;
    const tpl = this.templates.get(name);
    if (!tpl) {
      ctx.error(node, `'${name}' is not a class template fltsim knows`);
      return INT;
    }
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => a !== null).map((a) => (a.type === 'type_descriptor' ? typeFromSpecifier(ctx, a.childForFieldName('type')) : undefined));
    if (args.some((a) => a === undefined) || args.length !== tpl.params.length) {
      ctx.error(node, `fltsim instantiates class templates with exactly their type arguments ('${ctx.snippet(node)}')`);
      return INT;
    }
    return this.instantiate(ctx, tpl, args as CType[]).struct;
  }

  private instantiate(ctx: TranslateContext, tpl: ClassTemplate, args: CType[]): CppClass {
    const key = `${tpl.name}<${args.map(typeName).join(', ')}>`;
    const known = tpl.instances.get(key);
    if (known) return known;
    const saved = { scope: ctx.scope, fn: this.fn };
    ctx.scope = ctx.scope.child();
    this.fn = undefined;
    try {
      tpl.params.forEach((p, i) => ctx.scope.defineTypedef(p, args[i]));
      const cls = this.classType(ctx, tpl.node, key, (c) => {
        // Inside its own body the template's name means this instance.
        tpl.instances.set(key, c);
        ctx.scope.defineTypedef(tpl.name, c.struct);
      });
      return cls;
    } finally {
      ctx.scope = saved.scope;
      this.fn = saved.fn;
    }
  }

  /** `AutoLock locker(m);`: the template arguments deduced from the constructor's arguments (C++17). */
  private deduce(ctx: TranslateContext, tpl: ClassTemplate, args: Expr[], at: SyntaxNode): CppClass | undefined {
    const body = tpl.node.childForFieldName('body');
    for (const m of body?.namedChildren ?? []) {
      if (!m || (m.type !== 'function_definition' && m.type !== 'declaration' && m.type !== 'field_declaration')) continue;
      const fd = m.childForFieldName('declarator') ? this.functionDeclaratorOf(m.childForFieldName('declarator')!) : undefined;
      if (!fd || fd.childForFieldName('declarator')?.text !== tpl.name) continue;
      const ps = (fd.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p?.type === 'parameter_declaration' || p?.type === 'optional_parameter_declaration');
      if (ps.length < args.length) continue;
      const bound = new Map<string, CType>();
      args.forEach((a, i) => {
        const pt = ps[i].childForFieldName('type')?.text;
        if (!pt || !tpl.params.includes(pt)) return;
        let t = typeOfExpr(this.types, a);
        if (t && ps[i].childForFieldName('declarator')?.type === 'pointer_declarator') t = pointee(t);
        if (t) bound.set(pt, t);
      });
      if (tpl.params.every((p) => bound.has(p))) return this.instantiate(ctx, tpl, tpl.params.map((p) => bound.get(p)!));
    }
    ctx.error(at, `fltsim cannot deduce the template arguments of '${tpl.name}' here: write them (${tpl.name}<…>)`);
    return undefined;
  }

  // ---- declarators -------------------------------------------------------------------------------

  declarator(ctx: TranslateContext, node: SyntaxNode, type: CType): { name?: string; type: CType; next: SyntaxNode | null } | undefined {
    switch (node.type) {
      case 'reference_declarator': {
        if (node.children.some((c) => c?.type === '&&')) {
          ctx.error(node, 'fltsim does not run rvalue references (&&)');
        }
        const ptr = pointerTo(type);
        this.refTypes.add(ptr);
        return { type: ptr, next: node.namedChildren.find((c) => c !== null && c.type !== 'type_qualifier') ?? null };
      }
      case 'abstract_reference_declarator': {
        const ptr = pointerTo(type);
        this.refTypes.add(ptr);
        return { type: ptr, next: node.namedChildren[0] ?? null };
      }
      case 'qualified_identifier':
      case 'destructor_name':
      case 'operator_name':
        return { name: node.text.replace(/\s+/g, ''), type, next: null };
      case 'structured_binding_declarator':
        ctx.error(node, 'fltsim does not run structured bindings');
        return { name: '<binding>', type, next: null };
      default:
        return undefined;
    }
  }

  // ---- statements --------------------------------------------------------------------------------

  stmt(ctx: TranslateContext, node: SyntaxNode): Stmt | undefined {
    const loc = ctx.loc(node);
    if (UNSUPPORTED_STMT[node.type]) return { k: 'unsupported', what: UNSUPPORTED_STMT[node.type], text: ctx.snippet(node), loc };
    switch (node.type) {
      case 'compound_statement':
        return this.fn ? this.block(ctx, node, []) : undefined;
      case 'declaration': {
        if (!this.fn) return undefined;
        const { stmts, destroy } = this.localDeclaration(ctx, node);
        // Outside a block (a lone `case`/`if` body) a declaration's destructor has nowhere to go.
        if (destroy.length > 0) ctx.error(node, 'an object with a destructor declared outside a block (directly under a case label?): fltsim needs braces around its scope');
        return stmts.length === 1 ? stmts[0] : { k: 'block', body: stmts, loc, endLoc: loc };
      }
      case 'return_statement': {
        if (!this.fn?.refReturn) return undefined;
        const v = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
        return { k: 'return', value: v ? this.addressOf(translateExpr(ctx, v)) : undefined, loc };
      }
      case 'alias_declaration':
      case 'using_declaration':
      case 'static_assert_declaration':
        this.topLevel(ctx, node, () => undefined);
        return { k: 'empty', loc };
      default:
        return undefined;
    }
  }

  /** A block: each object with a destructor guards the rest of the block with a `__finally` calling it. */
  private block(ctx: TranslateContext, node: SyntaxNode, prologue: Stmt[]): Stmt & { k: 'block' } {
    const state = this.fn!;
    const outer = ctx.scope;
    ctx.scope = outer.child();
    state.locals.push(new Map());
    try {
      const body: Stmt[] = [...prologue];
      let current = body;
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type !== 'declaration') {
          current.push(translateStmt(ctx, c));
          continue;
        }
        const { stmts, destroy } = this.localDeclaration(ctx, c);
        current.push(...stmts);
        for (const d of destroy) {
          const inner: Stmt[] = [];
          const loc = d.loc;
          current.push({ k: 'try', body: { k: 'block', body: inner, loc, endLoc: ctx.endLoc(node) }, finally: { k: 'block', body: [d], loc, endLoc: loc }, loc });
          current = inner;
        }
      }
      return { k: 'block', body, loc: ctx.loc(node), endLoc: ctx.endLoc(node) };
    } finally {
      ctx.scope = outer;
      state.locals.pop();
    }
  }

  /** A block-scope declaration: the declared objects, their constructor calls, and destructor calls to run at scope exit (innermost last). */
  private localDeclaration(ctx: TranslateContext, node: SyntaxNode): { stmts: Stmt[]; destroy: Stmt[] } {
    const loc = ctx.loc(node);
    const stmts: Stmt[] = [];
    const destroy: Stmt[] = [];
    const typeNode = node.childForFieldName('type');
    const storage = storageOf(node);
    const tpl = typeNode?.type === 'type_identifier' && !ctx.scope.isTypeName(typeNode.text) ? this.templates.get(typeNode.text) : undefined;
    const base = tpl ? undefined : typeFromSpecifier(ctx, typeNode);
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      // `T x(a, b);` comes back as a function declarator whose "parameters" are the arguments.
      const ctorArgsNode = this.constructorArguments(ctx, d);
      if (!ctorArgsNode && this.isFunctionDeclarator(d)) {
        if (base) this.declareFunction(ctx, node, d, base, false);
        continue;
      }
      const nameNode = ctorArgsNode ? d.childForFieldName('declarator')! : d;
      const valueNode = !ctorArgsNode && d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      let args: Expr[] | undefined = ctorArgsNode ? ctorArgsNode.map((a) => this.argumentExpr(ctx, a)) : undefined;
      if (valueNode?.type === 'argument_list') args = valueNode.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment').map((a) => translateExpr(ctx, a));
      let type: CType;
      if (tpl) {
        const cls = args ? this.deduce(ctx, tpl, args, d) : undefined;
        if (!cls && !args) ctx.error(d, `class template '${tpl.name}' needs its arguments here (${tpl.name}<…>)`);
        type = cls?.struct ?? INT;
      } else {
        type = base!;
      }
      const declared = applyDeclarator(ctx, nameNode.type === 'init_declarator' ? nameNode.childForFieldName('declarator') : nameNode, type);
      if (!declared.name) continue;
      let t = declared.type;
      const ref = this.refTypes.has(t);
      let init = valueNode && valueNode.type !== 'argument_list' ? translateInitializer(ctx, valueNode) : undefined;
      t = sizedByInitializer(t, init);
      if (t === AUTO || (t.kind === 'ptr' && t.to === AUTO)) {
        const inferred = init?.k === 'expr' ? typeOfExpr(this.types, init.expr) : undefined;
        if (!inferred) {
          const callee = init?.k === 'expr' && init.expr.k === 'call' && init.expr.callee.k === 'id' ? init.expr.callee.name : undefined;
          const why = callee && !this.functionTypeOf(callee) ? ` ('${callee}' is not declared, and fltsim does not model it)` : '';
          ctx.error(d, `fltsim cannot tell the type 'auto' stands for in '${ctx.snippet(d)}'${why}: write the type`);
          t = INT;
        } else {
          t = t === AUTO ? (inferred.kind === 'array' ? pointerTo(inferred.of) : inferred) : pointerTo(inferred);
          if (ref) this.refTypes.add(t);
        }
      }
      if (ref && init?.k === 'expr') init = { k: 'expr', expr: this.addressOf(init.expr), loc: init.loc };
      if (init?.k === 'expr' && this.isConstant(ctx, node, t, init.expr, declared.name)) ctx.scope.defineEnumConstant(declared.name, constantValue(ctx, init.expr)!);
      else ctx.scope.defineObject(declared.name);
      this.fn!.locals[this.fn!.locals.length - 1].set(declared.name, { type: t, ref });
      const cls = ref ? undefined : this.classOf(t);
      const self: Expr = { k: 'unary', op: '&', arg: { k: 'id', name: declared.name, loc }, loc };
      if (cls && init?.k === 'list' && cls.ctors.length > 0) {
        args = init.items.map((i) => (i.value.k === 'expr' ? i.value.expr : { k: 'num', value: 0, type: INT, loc }));
        init = undefined;
      }
      if (cls && init?.k === 'expr' && cls.ctors.length > 0 && !sameType(typeOfExpr(this.types, init.expr) ?? INT, t)) {
        args = [init.expr];
        init = undefined;
      }
      if (cls && storage === 'static' && (args || cls.ctors.length > 0 || cls.dtor)) {
        ctx.error(d, `fltsim does not run static local objects with constructors or destructors ('${declared.name}')`);
      }
      stmts.push({ k: 'decl', decls: [{ name: declared.name, type: t, init, storage, loc: ctx.loc(declared.node) }], loc });
      if (cls && storage !== 'static') {
        const ctor = this.constructorCall(ctx, cls, self, args ?? [], d);
        if (ctor) stmts.push({ k: 'expr', expr: ctor, loc });
        if (cls.dtor) destroy.push({ k: 'expr', expr: this.call(cls.dtor, [self], loc), loc: ctx.endLoc(node) });
      } else if (args && args.length > 0) {
        // `int x(5);`: direct initialisation of a scalar.
        stmts.push({ k: 'expr', expr: { k: 'assign', op: '=', left: { k: 'id', name: declared.name, loc }, right: ref ? this.addressOf(args[0]) : args[0], loc }, loc });
      }
    }
    return { stmts, destroy };
  }

  /** The arguments of `T x(a, b);` when the parser read it as a function declaration. */
  private constructorArguments(ctx: TranslateContext, d: SyntaxNode): SyntaxNode[] | undefined {
    if (d.type !== 'function_declarator') return undefined;
    const ps = (d.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p !== null && p.type !== 'comment');
    if (ps.length === 0) return undefined;
    const values = ps.map((p) => (p.type === 'parameter_declaration' && !p.childForFieldName('declarator') ? p.childForFieldName('type') : p));
    if (values.every((v) => v && (v.type === 'type_identifier' ? !ctx.scope.isTypeName(v.text) : !v.type.includes('declaration')))) return values as SyntaxNode[];
    return undefined;
  }

  private argumentExpr(ctx: TranslateContext, n: SyntaxNode): Expr {
    if (n.type === 'type_identifier') return this.identifier(ctx, n.text, n) ?? { k: 'id', name: n.text, loc: ctx.loc(n) };
    return translateExpr(ctx, n);
  }

  private constructorCall(ctx: TranslateContext, cls: CppClass, self: Expr, args: Expr[], at: SyntaxNode): Expr | undefined {
    if (cls.ctors.length === 0) {
      if (args.length > 0) ctx.error(at, `${cls.name} has no constructor taking ${args.length} argument${args.length === 1 ? '' : 's'}`);
      // The implicit constructor runs the default member initializers.
      const loc = ctx.loc(at);
      const sets: Expr[] = cls.fieldInits.map((fi) => {
        if (fi.value.type === 'initializer_list') return this.braceAssign(ctx, cls, fi.field, { k: 'member', object: self, field: fi.field, arrow: true, loc }, fi.value);
        let value = translateExpr(ctx, fi.value);
        if (cls.refFields.has(fi.field)) value = this.addressOf(value);
        return { k: 'assign', op: '=', left: { k: 'member', object: self, field: fi.field, arrow: true, loc }, right: value, loc };
      });
      return sets.length > 0 ? sets.reduce((left, right) => ({ k: 'comma', left, right, loc })) : undefined;
    }
    const ctor = this.choose(cls.ctors, args, true);
    if (!ctor) {
      ctx.error(at, `no constructor of ${cls.name} takes ${args.length} argument${args.length === 1 ? '' : 's'} (${cls.ctors.map((c) => c.linkName).join('; ')})`);
      return undefined;
    }
    return this.call(ctor, [self, ...this.completeArgs(ctx, ctor, args)], ctx.loc(at));
  }

  // ---- expressions -------------------------------------------------------------------------------

  expr(ctx: TranslateContext, node: SyntaxNode): Expr | undefined {
    const loc = ctx.loc(node);
    if (UNSUPPORTED_EXPR[node.type]) return { k: 'unsupported', what: UNSUPPORTED_EXPR[node.type], text: ctx.snippet(node), loc };
    switch (node.type) {
      case 'this':
        return { k: 'id', name: 'this', loc };
      case 'condition_clause': {
        const v = node.childForFieldName('value');
        if (!v || v.type === 'declaration' || node.childForFieldName('initializer')) return { k: 'unsupported', what: 'a declaration inside a condition', text: ctx.snippet(node), loc };
        return this.convert(translateExpr(ctx, v));
      }
      case 'unary_expression': {
        if (node.childForFieldName('operator')?.type !== '!') return undefined;
        return { k: 'unary', op: '!', arg: this.convert(translateExpr(ctx, node.childForFieldName('argument')!)), loc };
      }
      case 'identifier':
        return this.identifier(ctx, node.text, node);
      case 'qualified_identifier':
        return this.qualifiedIdentifier(ctx, node);
      case 'field_expression': {
        const arrow = node.childForFieldName('operator')?.type === '->';
        const object = this.arrowObject(translateExpr(ctx, node.childForFieldName('argument')!), arrow);
        const field = node.childForFieldName('field')!.text;
        const st = this.classOfObject(object, arrow);
        const member: Expr = { k: 'member', object, field, arrow, loc };
        return st?.refFields.has(field) ? { k: 'unary', op: '*', arg: member, loc } : member;
      }
      case 'subscript_expression': {
        // The C++ grammar holds the index in a list (C++23 allows several).
        const indices = node.childForFieldName('indices')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
        if (indices.length !== 1) return { k: 'unsupported', what: 'a subscript with several indices', text: ctx.snippet(node), loc };
        return { k: 'index', array: translateExpr(ctx, node.childForFieldName('argument')!), index: translateExpr(ctx, indices[0]), loc };
      }
      case 'call_expression':
        return this.callExpression(ctx, node);
      case 'new_expression':
        return this.newExpression(ctx, node);
      case 'delete_expression':
        return this.deleteExpression(ctx, node);
      case 'template_function':
        return { k: 'unsupported', what: `a call of function template '${node.childForFieldName('name')?.text}' (fltsim runs class templates only)`, text: ctx.snippet(node), loc };
      default:
        return undefined;
    }
  }

  private visibleNamespaces(): string[] {
    const out: string[] = [];
    for (let i = this.namespaces.length; i > 0; i--) out.push(this.namespaces.slice(0, i).join('::'));
    return [...out, ...this.usings];
  }

  private variable(name: string): CppVariable | undefined {
    const state = this.fn;
    if (state) {
      for (let i = state.locals.length - 1; i >= 0; i--) {
        const v = state.locals[i].get(name);
        if (v) return v;
      }
      if (name === 'this' && state.cls) return { type: pointerTo(state.cls.struct), ref: false };
    }
    const g = this.globals.get(name);
    if (g) return g;
    const ug = this.unit.globals.find((x) => x.name === name);
    return ug ? { type: ug.type, ref: false } : undefined;
  }

  private functionTypeOf(name: string): CType | undefined {
    for (const list of this.functions.values()) for (const f of list) if (f.linkName === name) return f.type;
    return this.unit.prototypes.get(name)?.type ?? this.prelude?.prototypes.get(name)?.type ?? this.unit.functions.get(name)?.type ?? this.prelude?.functions.get(name)?.type;
  }

  /** An unqualified name: a local, a member of the class of the current method, a name of an enclosing or used namespace. */
  private identifier(ctx: TranslateContext, name: string, node: SyntaxNode): Expr | undefined {
    const loc = ctx.loc(node);
    const state = this.fn;
    if (state) {
      for (let i = state.locals.length - 1; i >= 0; i--) {
        const v = state.locals[i].get(name);
        if (v) return v.ref ? { k: 'unary', op: '*', arg: { k: 'id', name, loc }, loc } : undefined;
      }
      const cls = state.cls;
      if (cls) {
        if (cls.struct.fields?.some((f) => f.name === name)) {
          const member: Expr = { k: 'member', object: { k: 'id', name: 'this', loc }, field: name, arrow: true, loc };
          return cls.refFields.has(name) ? { k: 'unary', op: '*', arg: member, loc } : member;
        }
        const s = cls.statics.get(name);
        if (s) return { k: 'id', name: s, loc };
      }
    }
    if (this.constants.has(name) && ctx.scope.enumConstant(name) !== undefined) return undefined;
    if (this.globals.has(name) || this.unit.globals.some((g) => g.name === name)) return this.globalUse(name, loc);
    for (const ns of this.visibleNamespaces()) {
      const q = `${ns}::${name}`;
      if (this.globals.has(q)) return this.globalUse(q, loc);
      const f = this.functions.get(q);
      if (f) return { k: 'id', name: f[0].linkName, loc };
    }
    const f = this.functions.get(name);
    if (f) return { k: 'id', name: f[0].linkName, loc };
    return undefined;
  }

  private globalUse(name: string, loc: Loc): Expr {
    const g = this.globals.get(name);
    return g?.ref ? { k: 'unary', op: '*', arg: { k: 'id', name, loc }, loc } : { k: 'id', name, loc };
  }

  private qualifiedIdentifier(ctx: TranslateContext, node: SyntaxNode): Expr {
    const loc = ctx.loc(node);
    const full = node.text.replace(/\s+/g, '');
    const name = full.replace(/^::/, '');
    if (full.startsWith('::') && !name.includes('::')) return translateExprFallback(ctx, name, node, this.identifierGlobal(ctx, name, node));
    const parts = name.split('::');
    const simple = parts[parts.length - 1];
    const scopeName = parts.slice(0, -1).join('::');
    const cls = this.classes.get(scopeName) ?? this.classes.get(this.qualify(scopeName));
    if (cls) {
      const s = cls.statics.get(simple);
      if (s) return { k: 'id', name: s, loc };
      const m = cls.methods.get(simple);
      if (m) return { k: 'id', name: m[0].linkName, loc };
    }
    for (const candidate of [name, ...this.visibleNamespaces().map((ns) => `${ns}::${name}`)]) {
      if (this.globals.has(candidate)) return this.globalUse(candidate, loc);
      const f = this.functions.get(candidate);
      if (f) return { k: 'id', name: f[0].linkName, loc };
    }
    // `Enum::Value` of a scoped enum.
    const ec = ctx.scope.enumConstant(name) ?? ctx.scope.enumConstant(simple);
    if (ec !== undefined) return { k: 'num', value: ec, type: INT, loc };
    return { k: 'id', name, loc };
  }

  /** `::name`: the global one, skipping locals and members. */
  private identifierGlobal(ctx: TranslateContext, name: string, node: SyntaxNode): Expr | undefined {
    const loc = ctx.loc(node);
    if (this.globals.has(name)) return this.globalUse(name, loc);
    const f = this.functions.get(name);
    if (f) return { k: 'id', name: f[0].linkName, loc };
    return undefined;
  }

  private classOfObject(object: Expr, arrow: boolean): CppClass | undefined {
    const t = typeOfExpr(this.types, object);
    return this.classOf(t && arrow ? pointee(t) : t);
  }

  private callExpression(ctx: TranslateContext, node: SyntaxNode): Expr | undefined {
    const loc = ctx.loc(node);
    const fnNode = node.childForFieldName('function')!;
    const argNodes = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    if (fnNode.type === 'template_function') {
      const which = fnNode.childForFieldName('name')?.text;
      const targ = fnNode.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'type_descriptor');
      if ((which === 'static_cast' || which === 'reinterpret_cast' || which === 'const_cast') && targ && argNodes.length === 1) {
        const base = typeFromSpecifier(ctx, targ.childForFieldName('type'));
        const t = applyDeclarator(ctx, targ.childForFieldName('declarator'), base).type;
        const arg = translateExpr(ctx, argNodes[0]);
        return this.refTypes.has(t) ? { k: 'unary', op: '*', arg: { k: 'cast', type: t, arg: this.addressOf(arg), loc }, loc } : { k: 'cast', type: t, arg, loc };
      }
      if (which === 'dynamic_cast') return { k: 'unsupported', what: 'dynamic_cast (kernel code has no RTTI)', text: ctx.snippet(node), loc };
      return undefined;
    }
    const args = () => argNodes.map((a) => translateExpr(ctx, a));
    if (fnNode.type === 'field_expression') {
      const arrow = fnNode.childForFieldName('operator')?.type === '->';
      const object = this.arrowObject(translateExpr(ctx, fnNode.childForFieldName('argument')!), arrow);
      const cls = this.classOfObject(object, arrow);
      const method = fnNode.childForFieldName('field')!.text.replace(/\s+/g, '');
      const list = cls?.methods.get(method) ?? (method.startsWith('~') && cls?.dtor ? [cls.dtor] : undefined);
      if (!cls || !list) return undefined; // a function pointer member, or C
      const a = args();
      const f = this.choose(list, a, false);
      if (!f) return { k: 'unsupported', what: `a call of ${cls.name}::${method} with ${a.length} arguments (no overload takes them)`, text: ctx.snippet(node), loc };
      const self = arrow ? object : this.addressOf(object);
      return this.call(f, f.thisClass ? [self, ...this.completeArgs(ctx, f, a)] : this.completeArgs(ctx, f, a), loc);
    }
    let candidates: CppFunction[] | undefined;
    let implicitThis = false;
    const name = fnNode.text.replace(/\s+/g, '');
    if (fnNode.type === 'identifier' || fnNode.type === 'qualified_identifier') {
      const state = this.fn;
      const isLocal = state?.locals.some((m) => m.has(name));
      if (!isLocal && state?.cls && fnNode.type === 'identifier') {
        const m = state.cls.methods.get(name);
        if (m) {
          candidates = m;
          implicitThis = true;
        }
      }
      if (!candidates && !isLocal) candidates = this.lookupFunctions(name);
      if (!candidates && !isLocal) {
        const cls = this.classes.get(name) ?? this.classes.get(this.qualify(name));
        if (cls) return { k: 'unsupported', what: `a temporary object of class ${cls.name} (declare a named variable instead)`, text: ctx.snippet(node), loc };
      }
    }
    if (!candidates) {
      // A C function (a kernel routine) given a class object: its conversion operator makes the argument.
      const a = args();
      if (!a.some((x) => this.conversions(x).length > 0)) return undefined;
      const ft = this.functionTypeOf(name);
      const ps = ft?.kind === 'func' ? ft.params : [];
      return { k: 'call', callee: translateExpr(ctx, fnNode), args: a.map((x, i) => this.convert(x, ps[i]?.type)), loc };
    }
    const a = args();
    const f = this.choose(candidates, a, false);
    if (!f) return { k: 'unsupported', what: `a call of '${name}' with ${a.length} arguments (no overload takes them)`, text: ctx.snippet(node), loc };
    const rest = this.completeArgs(ctx, f, a);
    if (f.thisClass) {
      if (!implicitThis) return { k: 'unsupported', what: `a call of member function '${f.linkName}' without an object`, text: ctx.snippet(node), loc };
      return this.call(f, [{ k: 'id', name: 'this', loc }, ...rest], loc);
    }
    return this.call(f, rest, loc);
  }

  private lookupFunctions(name: string): CppFunction[] | undefined {
    const plain = name.replace(/^::/, '');
    if (name.startsWith('::')) return this.functions.get(plain);
    const parts = plain.split('::');
    if (parts.length > 1) {
      const cls = this.classes.get(parts.slice(0, -1).join('::')) ?? this.classes.get(this.qualify(parts.slice(0, -1).join('::')));
      const m = cls?.methods.get(parts[parts.length - 1]);
      if (m) return m;
    }
    for (const ns of this.visibleNamespaces()) {
      const f = this.functions.get(`${ns}::${plain}`);
      if (f) return f;
    }
    return this.functions.get(plain);
  }

  /** Overload resolution, simplified: the arity (defaults counted), then the closest parameter types. */
  private choose(list: CppFunction[], args: Expr[], ctor: boolean): CppFunction | undefined {
    const fits = list.filter((f) => {
      const n = f.type.params.length - (f.thisClass || ctor ? 1 : 0);
      const required = f.defaults.findIndex((d) => d !== undefined);
      const min = required < 0 ? n : required;
      return args.length >= min && (args.length <= n || f.type.variadic);
    });
    if (fits.length <= 1) return fits[0];
    let best = fits[0];
    let bestScore = -1;
    for (const f of fits) {
      const offset = f.thisClass || ctor ? 1 : 0;
      let score = 0;
      args.forEach((a, i) => {
        const at = typeOfExpr(this.types, a);
        const p = f.type.params[i + offset]?.type;
        if (!at || !p) return;
        const pt = f.refParams[i] ? pointee(p)! : p;
        if (sameType(at, pt)) score += 2;
        else if (at.kind === pt.kind) score += 1;
      });
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    return best;
  }

  /** Arguments with references passed as addresses and omitted ones filled from the defaults. */
  private completeArgs(ctx: TranslateContext, f: CppFunction, args: Expr[]): Expr[] {
    const offset = f.thisClass ? 1 : 0;
    const out = args.map((a, i) => {
      if (f.refParams[i]) return this.addressOf(a);
      const p = f.type.params[i + offset]?.type;
      return p && p.kind !== 'struct' ? this.convert(a, p) : a;
    });
    for (let i = args.length; i < f.defaults.length; i++) {
      const d = f.defaults[i];
      if (!d) break;
      const saved = this.fn;
      // A default argument is evaluated in the callee's declaration context, not the caller's locals.
      this.fn = saved ? { ...saved, locals: [] } : undefined;
      try {
        const v = translateExpr(ctx, d);
        out.push(f.refParams[i] ? this.addressOf(v) : v);
      } finally {
        this.fn = saved;
      }
    }
    return out;
  }

  private call(f: CppFunction, args: Expr[], loc: Loc): Expr {
    const e: Expr = { k: 'call', callee: { k: 'id', name: f.linkName, loc }, args, loc };
    return f.refReturn ? { k: 'unary', op: '*', arg: e, loc } : e;
  }

  /** The conversion operators of the class of `e` (none when it is no class object). */
  private conversions(e: Expr): CppFunction[] {
    const cls = this.classOf(typeOfExpr(this.types, e));
    return cls?.methods.get('operator cast') ?? [];
  }

  /** A class object where a scalar is wanted: its operator bool, or the conversion to the wanted kind of type. */
  private convert(e: Expr, want?: CType): Expr {
    const ops = this.conversions(e);
    if (ops.length === 0) return e;
    const op = want
      ? ops.find((o) => sameType(o.type.ret, want)) ?? ops.find((o) => o.type.ret.kind === want.kind) ?? ops[0]
      : ops.find((o) => o.type.ret.kind === 'int' && o.type.ret.boolean === true) ?? ops[0];
    return this.call(op, [this.addressOf(e)], e.loc);
  }

  /** `obj->field` on a class object with an operator->: the pointer that operator returns. */
  private arrowObject(object: Expr, arrow: boolean): Expr {
    if (!arrow) return object;
    const cls = this.classOf(typeOfExpr(this.types, object));
    const op = cls?.methods.get('operator ->')?.[0];
    return op ? this.call(op, [this.addressOf(object)], object.loc) : object;
  }

  private addressOf(e: Expr): Expr {
    if (e.k === 'unary' && e.op === '*') return e.arg;
    return { k: 'unary', op: '&', arg: e, loc: e.loc };
  }

  private hidden(type: CType, loc: Loc): Expr {
    const name = `new$${++this.newCount}`;
    this.fn!.hidden.push({ name, type, loc });
    this.fn!.locals[0].set(name, { type, ref: false });
    return { k: 'id', name, loc };
  }

  private operatorFunction(ctx: TranslateContext, name: string, argCount: number, node: SyntaxNode): CppFunction | Expr {
    const list = this.functions.get(name) ?? [];
    const f = list.find((c) => c.type.params.length === argCount) ?? (argCount === 1 && name.startsWith('operator delete') ? list.find((c) => c.type.params.length === 2) : undefined);
    if (f) return f;
    return {
      k: 'unsupported',
      what: `'${ctx.snippet(node)}': the driver defines no '${name}' taking ${argCount} argument${argCount === 1 ? '' : 's'} (a kernel driver has no C++ runtime: define it, e.g. on ExAllocatePool2/ExFreePool)`,
      text: ctx.snippet(node),
      loc: ctx.loc(node),
    };
  }

  private newExpression(ctx: TranslateContext, node: SyntaxNode): Expr {
    const loc = ctx.loc(node);
    if (!this.fn) return { k: 'unsupported', what: 'new outside a function', text: ctx.snippet(node), loc };
    const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
    const declarator = node.childForFieldName('declarator');
    const placement = (node.childForFieldName('placement')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment').map((a) => translateExpr(ctx, a));
    const argsNode = node.childForFieldName('arguments');
    const args = (argsNode?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment').map((a) => translateExpr(ctx, a));
    const countNode = declarator?.type === 'new_declarator' ? declarator.namedChildren.find((c) => c !== null && c.type !== 'new_declarator') : undefined;
    const count = countNode ? translateExpr(ctx, countNode) : undefined;
    const size: Expr = count ? { k: 'binary', op: '*', left: { k: 'sizeofType', type: base, loc }, right: count, loc } : { k: 'sizeofType', type: base, loc };
    const op = this.operatorFunction(ctx, count ? 'operator new[]' : 'operator new', 1 + placement.length, node);
    if (!('linkName' in op)) return op;
    const ptrType = pointerTo(base);
    const tmp = this.hidden(ptrType, loc);
    const parts: Expr[] = [{ k: 'assign', op: '=', left: tmp, right: { k: 'cast', type: ptrType, arg: this.call(op, [size, ...placement], loc), loc }, loc }];
    const cls = this.classOf(base);
    if (cls && cls.ctors.length > 0) {
      if (count) return { k: 'unsupported', what: `new[] of class ${cls.name}, which has a constructor`, text: ctx.snippet(node), loc };
      const ctor = this.constructorCall(ctx, cls, tmp, args, node);
      if (ctor) parts.push({ k: 'cond', test: tmp, then: { k: 'comma', left: ctor, right: { k: 'num', value: 0, type: INT, loc }, loc }, else: { k: 'num', value: 0, type: INT, loc }, loc });
    } else if (args.length === 1 && !count) {
      parts.push({ k: 'cond', test: tmp, then: { k: 'assign', op: '=', left: { k: 'unary', op: '*', arg: tmp, loc }, right: args[0], loc }, else: { k: 'num', value: 0, type: INT, loc }, loc });
    }
    parts.push(tmp);
    return parts.reduce((left, right) => ({ k: 'comma', left, right, loc }));
  }

  private deleteExpression(ctx: TranslateContext, node: SyntaxNode): Expr {
    const loc = ctx.loc(node);
    if (!this.fn) return { k: 'unsupported', what: 'delete outside a function', text: ctx.snippet(node), loc };
    const isArray = node.children.some((c) => c?.type === '[');
    const argNode = node.namedChildren.find((c) => c !== null && c.type !== 'comment')!;
    const arg = translateExpr(ctx, argNode);
    const t = typeOfExpr(this.types, arg);
    const target = t ? pointee(t) : undefined;
    const cls = this.classOf(target);
    if (cls?.dtor && isArray) return { k: 'unsupported', what: `delete[] of class ${cls.name}, which has a destructor`, text: ctx.snippet(node), loc };
    const name = isArray ? 'operator delete[]' : 'operator delete';
    const op = this.operatorFunction(ctx, name, 1, node);
    if (!('linkName' in op)) return op;
    let p = arg;
    const steps: Expr[] = [];
    if (arg.k !== 'id') {
      p = this.hidden(t ?? pointerTo(VOID), loc);
      steps.push({ k: 'assign', op: '=', left: p, right: arg, loc });
    }
    const opArgs: Expr[] = [{ k: 'cast', type: pointerTo(VOID), arg: p, loc }];
    if (op.type.params.length === 2) opArgs.push(target && target.kind !== 'void' ? { k: 'sizeofType', type: target, loc } : { k: 'num', value: 0, type: SIZE_T, loc });
    let release: Expr = { k: 'cast', type: VOID, arg: this.call(op, opArgs, loc), loc };
    if (cls?.dtor) release = { k: 'comma', left: this.call(cls.dtor, [p], loc), right: release, loc };
    // Deleting a null pointer does nothing.
    steps.push({ k: 'cond', test: p, then: { k: 'comma', left: release, right: { k: 'num', value: 0, type: INT, loc }, loc }, else: { k: 'num', value: 0, type: INT, loc }, loc });
    return steps.reduce((left, right) => ({ k: 'comma', left, right, loc }));
  }
}

/** `T x[] = { … }` and `char s[] = "…"` take their length from the initializer, as in C. */
function sizedByInitializer(type: CType, init: Initializer | undefined): CType {
  if (type.kind !== 'array' || type.length !== undefined || !init) return type;
  if (init.k === 'list') return { ...type, length: init.items.length };
  if (init.expr.k === 'str') return { ...type, length: init.expr.value.length + 1 };
  return type;
}

/** `auto`'s stand-in until the initializer's type replaces it. */
const AUTO: CType = { kind: 'int', size: 4, signed: true, name: 'auto' };

function translateExprFallback(ctx: TranslateContext, name: string, node: SyntaxNode, found: Expr | undefined): Expr {
  return found ?? { k: 'id', name, loc: ctx.loc(node) };
}
