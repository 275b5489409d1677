/**
 * What the C++ front end knows while it lowers one translation unit, shared by its pieces: where the
 * declarations being read sit (namespaces, `using`, `extern "C"`), the C++ entities declared so far
 * (functions with their overloads, classes, class templates, globals, constants), which pointer types
 * stand for references, and the function whose body is being lowered. The pieces read and extend
 * these tables; none of them keeps state of its own.
 */
import type { Expr, FunctionDef, Loc, Stmt, VarDecl } from '../ast';
import { pointerTo, type CType, type FunctionType } from '../types';
import type { AliasTemplate, ClassTemplate, CppClass, CppFunction, CppVariable, FunctionTemplate } from './model';
import type { TypeEnvironment } from './typer';

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
export interface FunctionState {
  cls?: CppClass;
  refReturn: boolean;
  /** The function's return type as C sees it (a reference's is a pointer). */
  ret: CType;
  /** Destructor calls of the class temporaries made in the full expression being lowered (engine/c/cpp/temporaries.ts). */
  temps: Expr[];
  /** Temporaries `new`/`delete` need: declared at the top of the function. */
  hidden: VarDecl[];
  locals: Map<string, CppVariable>[];
  /** Statements the function's outermost block starts with (a constructor's member initializers); taken by that block. */
  prologue?: Stmt[];
  /** A lambda without `-> T`: its first `return` with a value sets `ret` (until then `auto`'s stand-in). */
  deduceReturn?: boolean;
}

export class CppState {
  /** The namespaces around the declaration being read, outermost first. */
  readonly namespaces: string[] = [];
  /** Namespaces made visible by `using namespace N;` / `using N::x;`. */
  readonly usings: string[] = [];
  /** Inline namespaces by qualified name: their functions are found without their name too (`lib::F` for `lib::v2::F`). */
  readonly inlineNamespaces = new Set<string>();
  /** Depth of `extern "C"` blocks: inside one, names are not qualified. */
  externC = 0;
  /** By qualified name; several for an overloaded name. */
  readonly functions = new Map<string, CppFunction[]>();
  readonly classes = new Map<string, CppClass>();
  readonly templates = new Map<string, ClassTemplate>();
  /** Alias templates (`template<class T> using P = T*;`) by qualified name. */
  readonly aliasTemplates = new Map<string, AliasTemplate>();
  /** Function templates by qualified name. */
  readonly functionTemplates = new Map<string, FunctionTemplate>();
  /** While a function template is instantiated: the name its instance is declared under (`util::Max<int>`; a member template's without its class). */
  instanceName: string | undefined;
  readonly globals = new Map<string, CppVariable>();
  /** `const int Max = 32;`: in C++ a constant expression (array sizes, case labels), held as an enumerator. */
  readonly constants = new Set<string>();
  /** Pointer types that stand for C++ references (`T &`): made by this front end only. */
  readonly refTypes = new WeakSet<CType>();
  /** Those of them written `T &&` (rvalue references: a move constructor's or move assignment's parameter). */
  readonly rvalueTypes = new WeakSet<CType>();
  /** While a class's members are read: that class, whose static constants its member declarations may name. */
  readingClass: CppClass | undefined;
  /** While a class body is read: that class's name, so a class declared in it is named `Outer::Inner`. */
  enclosingClass: string | undefined;
  /** The function whose body is being lowered; undefined at file scope. */
  fn: FunctionState | undefined;
  /** Numbers the hidden temporaries of `new`/`delete`. */
  hiddenCount = 0;
  /** Numbers the closures of the unit's lambdas (`<lambda_1>`, as MSVC names them). */
  lambdaCount = 0;
  readonly types: TypeEnvironment;

  constructor(
    readonly unit: UnitTables,
    readonly prelude: PreludeTables | undefined,
  ) {
    this.types = {
      variable: (name) => this.variable(name),
      functionType: (name) => this.functionTypeOf(name),
    };
  }

  /** `lib::v2::F` as the enclosing namespace also names it, when v2 is inline (undefined when no inline namespace is in the way). */
  withoutInline(qualified: string): string | undefined {
    const parts = qualified.split('::');
    const kept = parts.filter((_, i) => i === parts.length - 1 || !this.inlineNamespaces.has(parts.slice(0, i + 1).join('::')));
    return kept.length < parts.length ? kept.join('::') : undefined;
  }

  qualify(name: string): string {
    return [...this.namespaces, name].join('::');
  }

  /** Where an unqualified name is looked up, innermost first: the enclosing namespaces, then the used ones. */
  visibleNamespaces(): string[] {
    const out: string[] = [];
    for (let i = this.namespaces.length; i > 0; i--) out.push(this.namespaces.slice(0, i).join('::'));
    return [...out, ...this.usings];
  }

  classOf(t: CType | undefined): CppClass | undefined {
    return t?.kind === 'struct' ? this.classes.get(t.tag) : undefined;
  }

  /** A class named as written where the declaration being read sits (`C`, `ns::C`). */
  classNamed(name: string): CppClass | undefined {
    return this.classes.get(name) ?? this.classes.get(this.qualify(name));
  }

  variable(name: string): CppVariable | undefined {
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

  functionTypeOf(name: string): CType | undefined {
    for (const list of this.functions.values()) for (const f of list) if (f.linkName === name) return f.type;
    return this.unit.prototypes.get(name)?.type ?? this.prelude?.prototypes.get(name)?.type ?? this.unit.functions.get(name)?.type ?? this.prelude?.functions.get(name)?.type;
  }
}
