/**
 * One driver source file, preprocessed, parsed and translated: its functions, globals, types and
 * the problems found on the way. This is what the interpreter loads as a module.
 */
import type { FunctionDef, Loc, VarDecl } from './ast';
import { preprocess, type PreprocessOptions, type Pragma } from './preprocess';
import { Scope } from './scope';
import { createCParser, createCppParser, type SyntaxNode } from './treeSitter';
import { unparenthesizedMinMax } from './cpp/minMax';
import { CppFrontEnd } from './cpp/frontEnd';
import { preludeTagStanding } from './prelude/origins';
import { NestingError, TranslateContext } from './translate/context';
import { checkStaticAssertion } from './translate/staticAssert';
import { nestingMessage } from '../limits';
import { applyDeclarator, decayParameter, typeFromSpecifier } from './translate/declarators';
import { translateExpr } from './translate/expressions';
import { storageOf, translateBlock, translateDeclaration, translateTypedef } from './translate/statements';
import type { CType, FunctionType, StructType } from './types';
import type { MacroTable } from './pp/macros';

/**
 * What a C++ file sees beyond C's: MSVC's `__cplusplus` (199711L without /Zc:__cplusplus), and the
 * WDK's C++-only enum flag operators, which the lowering does not need (enums are integers there).
 */
const CPP_DEFINES: readonly (readonly [string, string])[] = [['__cplusplus', '199711L'], ['DEFINE_ENUM_FLAG_OPERATORS(ENUMTYPE)', '']];

/** The WDK spells `__try` as `try` (and except/finally/leave) for C only: in C++ `try` is C++'s own. */
const C_ONLY_MACROS = ['try', 'except', 'finally', 'leave'];

function cppMacros(macros: MacroTable): MacroTable {
  const own = macros.clone();
  for (const name of C_ONLY_MACROS) own.undefine(name);
  return own;
}

export interface CDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  loc: Loc;
}

export interface Prototype {
  name: string;
  type: FunctionType;
  loc: Loc;
  /** Declared `static`: the definition has internal linkage even if it omits the keyword (C11 6.2.2). */
  static?: boolean;
}

export interface TranslationUnit {
  file: string;
  functions: Map<string, FunctionDef>;
  /** Declared but maybe not defined here: the kernel routines and forward declarations. */
  prototypes: Map<string, Prototype>;
  /** Globals in declaration order (a later definition replaces an earlier tentative one). */
  globals: VarDecl[];
  typedefs: Map<string, CType>;
  structs: Map<string, StructType>;
  enumConstants: Map<string, number>;
  /** Enumerator names per enum (by the enum's tag or generated name), for display. */
  enumNames: Map<string, Map<number, string>>;
  /** The names visible at the end of the file, for evaluating expressions later (watch, conditions). */
  scope: Scope;
  /** Macros defined at the end of the file, likewise. */
  macros: MacroTable;
  pragmas: Pragma[];
  /** User files read (the main file and its local includes). */
  files: string[];
  diagnostics: CDiagnostic[];
  /** Sizes of the stages, for benchmarks and `--verbose`. */
  stats: { preprocessedChars: number };
}

/**
 * The prelude as compiled once (engine/c/prelude/compiled.ts): what every driver starts from instead
 * of preprocessing and translating the WDK declarations again.
 */
export interface CompiledPrelude {
  macros: MacroTable;
  /** Every prelude header name: including one is a no-op once the prelude is loaded. */
  headers: ReadonlySet<string>;
  scope: Scope;
  functions: ReadonlyMap<string, FunctionDef>;
  prototypes: ReadonlyMap<string, Prototype>;
  structs: ReadonlyMap<string, StructType>;
  enumNames: ReadonlyMap<string, Map<number, string>>;
  diagnostics: readonly CDiagnostic[];
}

export interface CompileOptions extends PreprocessOptions {
  /** Start from the compiled prelude (engine/c/prelude/compiled.ts) instead of including it. */
  prelude?: CompiledPrelude;
  /** A C++ file (engine/c/cpp/): parsed with the C++ grammar and lowered to the same tree. */
  cpp?: boolean;
}

export function compileTranslationUnit(file: string, options: CompileOptions): TranslationUnit {
  const prelude = options.prelude;
  const ppOptions = options.cpp ? { ...options, defines: new Map([...CPP_DEFINES, ...(options.defines ?? [])]) } : options;
  const pp = preprocess(file, prelude ? { ...ppOptions, preloaded: { macros: options.cpp ? cppMacros(prelude.macros) : prelude.macros, headers: prelude.headers } } : ppOptions);
  const diagnostics: CDiagnostic[] = pp.diagnostics.map((d) => ({ severity: d.severity, message: d.message, loc: { ...d.origin } }));
  const tree = options.cpp ? createCppParser().parse(unparenthesizedMinMax(pp.text)) : createCParser().parse(pp.text);
  if (!tree) throw new Error('fltsim: tree-sitter returned no tree');
  const scope = new Scope(prelude?.scope);
  const ctx = new TranslateContext(pp.text, pp.map, scope, translateExpr);
  const unit: TranslationUnit = {
    file,
    functions: new Map(),
    prototypes: new Map(),
    globals: [],
    typedefs: new Map(),
    structs: new Map(),
    enumConstants: new Map(),
    enumNames: ctx.enumNames,
    scope,
    macros: pp.macros,
    pragmas: pp.pragmas,
    files: pp.files,
    diagnostics,
    stats: { preprocessedChars: pp.text.length },
  };
  const cpp = options.cpp ? new CppFrontEnd(unit, prelude) : undefined;
  ctx.cpp = cpp;
  if (prelude) ctx.preludeTag = preludeTagStanding(pp.systemIncludes);
  const cTopLevel = (n: SyntaxNode) => topLevel(ctx, unit, n);
  try {
    for (const node of tree.rootNode.namedChildren) {
      if (!node) continue;
      const scope = ctx.scope;
      try {
        if (!cpp?.topLevel(ctx, node, cTopLevel)) topLevel(ctx, unit, node);
      } catch (e) {
        // Too deep to translate: this definition is left out, with an error at the line.
        if (!(e instanceof NestingError)) throw e;
        ctx.scope = scope;
        ctx.error(e.node, nestingMessage());
      }
    }
    if (tree.rootNode.hasError) reportSyntaxErrors(ctx, tree.rootNode);
  } finally {
    tree.delete();
  }
  const own = scope.own();
  unit.typedefs = own.typedefs;
  unit.enumConstants = own.enumConstants;
  if (prelude) {
    // The prelude's definitions belong to every driver, as if its headers had been included.
    for (const [k, v] of prelude.structs) unit.structs.set(k, v);
    for (const [k, v] of prelude.enumNames) if (!unit.enumNames.has(k)) unit.enumNames.set(k, v);
    for (const [k, v] of prelude.prototypes) if (!unit.prototypes.has(k)) unit.prototypes.set(k, v);
    for (const [k, v] of prelude.functions) if (!unit.functions.has(k)) unit.functions.set(k, v);
  }
  for (const [tag, t] of own.tags) if (t.kind === 'struct') unit.structs.set(tag, t);
  for (const d of ctx.diagnostics) diagnostics.push(d);
  return unit;
}

/** What a skipped piece of text is: the C++ grammar cannot read an operator function called by name (`it.operator->()`). */
function syntaxErrorMessage(ctx: TranslateContext, n: SyntaxNode): string {
  if (ctx.cpp && n.namedChildren.some((c) => c?.type === 'operator_name')) return `fltsim's C++ parser cannot read an operator function called by its name ('${ctx.snippet(n)}'): write the operator itself (\`it->m\`, \`*it\`, \`a == b\`)`;
  const snippet = ctx.snippet(n);
  if (INLINE_ASSEMBLY.test(snippet)) return `inline assembly ('${snippet}') cannot run: MSVC accepts __asm in 32-bit x86 drivers only, and fltsim runs the x64 build; put it behind #ifdef _X86_ (with a C fallback) or leave its file out of the driver`;
  return `the ${ctx.cpp ? 'C++' : 'C'} parser could not read '${snippet}' (a typo, or a macro or type fltsim does not know?)`;
}

/** MSVC's x86 inline assembler keywords, where the skipped text starts. */
const INLINE_ASSEMBLY = /^(?:__asm|_asm)\b|[;{}\s](?:__asm|_asm)\s*\{/;

/** Every place the parser had to skip or invent text: a compile error at that line. */
function reportSyntaxErrors(ctx: TranslateContext, root: SyntaxNode): void {
  const reported = new Set<number>();
  // Iterative: the tree of a file with an error can be as deep as its nesting.
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.isMissing && qualifiesNothing(n)) {
      ctx.warn(n.parent!, `'${ctx.snippet(n.parent!.children.find((c) => c?.type === 'type_qualifier') ?? n)}' is ignored here: the declaration declares no object (MSVC warns C4091); remove it`);
      continue;
    }
    if (n.isMissing && n.type === 'type_identifier' && n.parent?.type === 'type_definition') {
      // `typedef enum E { … };` names no type: MSVC ignores the typedef (warning C4091) and keeps the tag.
      ctx.warn(n, "this typedef names no type (nothing after the '}'): MSVC ignores the 'typedef' (warning C4091), and so does fltsim; the tag is still defined");
      continue;
    }
    if (n.type === 'ERROR' || n.isMissing) {
      const line = ctx.loc(n).line;
      if (!reported.has(line)) {
        reported.add(line);
        ctx.error(n, n.isMissing ? `'${n.type}' expected here` : syntaxErrorMessage(ctx, n));
      }
      if (n.type === 'ERROR') continue;
    }
    if (!n.hasError) continue;
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i]) stack.push(children[i]!);
  }
}

function topLevel(ctx: TranslateContext, unit: TranslationUnit, node: SyntaxNode): void {
  switch (node.type) {
    case 'function_definition':
      functionDefinition(ctx, unit, node);
      return;
    case 'declaration': {
      for (const decl of translateDeclaration(ctx, node)) {
        if (decl.type.kind === 'func') {
          if (!unit.prototypes.has(decl.name)) unit.prototypes.set(decl.name, { name: decl.name, type: decl.type, loc: decl.loc, ...(decl.storage === 'static' ? { static: true } : {}) });
          continue;
        }
        // A definition replaces an earlier extern or tentative declaration of the same name.
        const i = unit.globals.findIndex((g) => g.name === decl.name);
        if (i >= 0) {
          if (decl.storage === 'extern') continue;
          if (unit.globals[i].init && decl.init) {
            ctx.error(node, `'${decl.name}' is defined twice`);
            continue;
          }
          unit.globals[i] = decl;
        } else {
          unit.globals.push(decl);
        }
      }
      return;
    }
    case 'type_definition':
      translateTypedef(ctx, node);
      return;
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier':
      typeFromSpecifier(ctx, node);
      return;
    case 'expression_statement':
      // A stray `;` at file scope.
      if (node.namedChildren.length === 0) return;
      if (checkStaticAssertion(ctx, node)) return;
      ctx.error(node, `statement outside a function: '${ctx.snippet(node)}'`);
      return;
    case 'comment':
      return;
    case 'ERROR':
      return; // reported by reportSyntaxErrors
    case 'preproc_call': {
      // The preprocessor keeps only `#pragma pack` lines in its output (see its emitLine).
      const arg = node.childForFieldName('argument')?.text ?? '';
      if (node.childForFieldName('directive')?.text === '#pragma' && /^\s*pack\b/.test(arg)) ctx.pragmaPack(arg.replace(/^\s*pack/, ''));
      return;
    }
    default:
      if (node.type.startsWith('preproc_')) return;
      ctx.error(node, `unsupported top-level construct '${node.type.replace(/_/g, ' ')}'`);
  }
}

function functionDefinition(ctx: TranslateContext, unit: TranslationUnit, node: SyntaxNode): void {
  const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
  const declared = applyDeclarator(ctx, node.childForFieldName('declarator'), base);
  if (!declared.name || declared.type.kind !== 'func') {
    ctx.error(node, 'a function definition without a function declarator');
    return;
  }
  const fnType = declared.type;
  const paramNodes = findParameterNames(node.childForFieldName('declarator'));
  const params = fnType.params.map((p, i) => ({ name: p.name ?? `<param ${i + 1}>`, type: decayParameter(p.type), loc: paramNodes[i] ? ctx.loc(paramNodes[i]!) : ctx.loc(node) }));
  const outer = ctx.scope;
  const bodyNode = node.childForFieldName('body')!;
  // Parameters hide outer typedefs and enum constants of the same name in the body.
  ctx.scope = outer.child();
  for (const p of params) ctx.scope.defineObject(p.name);
  const body = translateBlock(ctx, bodyNode);
  ctx.scope = outer;
  if (unit.functions.has(declared.name)) {
    ctx.error(node, `function '${declared.name}' is defined twice`);
    return;
  }
  unit.functions.set(declared.name, {
    name: declared.name,
    type: fnType,
    params,
    body,
    static: storageOf(node) === 'static',
    loc: ctx.loc(declared.node),
    endLoc: ctx.endLoc(bodyNode),
  });
}

/** The identifier nodes of a function declarator's parameters, for their positions. */
function findParameterNames(declarator: SyntaxNode | null): (SyntaxNode | undefined)[] {
  let cur = declarator;
  while (cur && cur.type !== 'function_declarator') cur = cur.childForFieldName('declarator');
  const list = cur?.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren
    .filter((p): p is SyntaxNode => p?.type === 'parameter_declaration')
    .map((p) => {
      let d = p.childForFieldName('declarator');
      while (d && d.type !== 'identifier') d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c?.type === 'identifier') ?? null;
      return d ?? undefined;
    });
}

/** `const enum class E { … };`, `const struct S { … };`: a qualifier on a type that declares no object, which MSVC ignores. */
function qualifiesNothing(n: SyntaxNode): boolean {
  const decl = n.parent;
  if (n.type !== 'identifier' || decl?.type !== 'declaration' || decl.childForFieldName('declarator')?.id !== n.id) return false;
  const type = decl.childForFieldName('type');
  return type !== null && TYPE_WITH_BODY.has(type.type) && type.childForFieldName('body') !== null && decl.children.some((c) => c?.type === 'type_qualifier');
}

const TYPE_WITH_BODY = new Set(['enum_specifier', 'struct_specifier', 'class_specifier', 'union_specifier']);
