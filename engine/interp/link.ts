/**
 * Linking the translation units of one driver with C's rules, as a symbol table: for each unit and
 * each name, which definition the name refers to. Storage is not this module's business; the
 * module (engine/interp/module.ts) gives each global definition here one storage, keyed by `key`.
 *
 * - A function or global without `static` has external linkage: one definition in the whole driver,
 *   shared by every file. Two definitions are a link error naming both places.
 * - `static` ones are private to their file; two files may each have their own of the same name.
 * - `extern` declarations resolve to the definition in another file.
 * - Tentative definitions (`int x;` with no initialiser) of the same name merge into one object,
 *   the way the Microsoft linker treats them; at most one of them may have an initialiser.
 * - The prelude's own C helpers (file `<…>`) are shared by every unit.
 * - A function defined in a header that several units include (the same file and line) is each
 *   unit's own copy, as FORCEINLINE and `__inline` helpers are; the preprocessor removes those
 *   keywords before parsing, so every such header definition is taken as inline.
 */
import { fileName } from '../files';
import type { FunctionDef, Loc, VarDecl } from '../c/ast';
import type { TranslationUnit } from '../c/program';
import type { FunctionType } from '../c/types';

export type Linkage = 'external' | 'internal' | 'system';

export interface LinkedFunction {
  /** Index in `LinkedProgram.functions`. */
  id: number;
  name: string;
  def: FunctionDef;
  /** The unit that defines it (for system helpers: the first unit). */
  unit: number;
  linkage: Linkage;
}

export interface LinkedGlobal {
  id: number;
  name: string;
  /** Unique across the driver: the name, or `name (file.c)` for a static that shares it. */
  key: string;
  /** The declaration that gives the object its type and initialiser. */
  decl: VarDecl;
  unit: number;
  linkage: Exclude<Linkage, 'system'>;
}

export interface LinkProblem {
  message: string;
  loc: Loc;
  hint: string;
}

function where(loc: Loc): string {
  return `${fileName(loc.file)}:${loc.line}`;
}

const isSystem = (def: FunctionDef) => def.loc.file.startsWith('<');

export class LinkedProgram {
  readonly functions: LinkedFunction[] = [];
  readonly globals: LinkedGlobal[] = [];
  readonly problems: LinkProblem[] = [];
  private readonly externalFunctions = new Map<string, LinkedFunction>();
  private readonly systemFunctions = new Map<string, LinkedFunction>();
  private readonly staticFunctions: Map<string, LinkedFunction>[];
  private readonly externalGlobals = new Map<string, LinkedGlobal>();
  private readonly staticGlobals: Map<string, LinkedGlobal>[];

  constructor(readonly units: readonly TranslationUnit[]) {
    this.staticFunctions = units.map(() => new Map());
    this.staticGlobals = units.map(() => new Map());
    this.linkFunctions();
    this.linkGlobals();
  }

  /** The function `name` means in unit `unit`: its own static, else the driver's, else a prelude helper. */
  function(unit: number, name: string): LinkedFunction | undefined {
    return this.staticFunctions[unit]?.get(name) ?? this.externalFunctions.get(name) ?? this.systemFunctions.get(name);
  }

  /** The global object `name` means in unit `unit`, if some file defines it. */
  global(unit: number, name: string): LinkedGlobal | undefined {
    return this.staticGlobals[unit]?.get(name) ?? this.externalGlobals.get(name);
  }

  /** An `extern` declaration in `unit` that no file of the driver defines. */
  unresolvedExtern(unit: number, name: string): VarDecl | undefined {
    if (this.global(unit, name)) return undefined;
    return this.units[unit]?.globals.find((g) => g.name === name && g.storage === 'extern');
  }

  /** The type of `name` as `unit` declares it, else as its definition elsewhere has it. */
  functionType(unit: number, name: string): FunctionType | undefined {
    const u = this.units[unit];
    return u?.functions.get(name)?.type ?? u?.prototypes.get(name)?.type ?? this.function(unit, name)?.def.type;
  }

  /** The externally visible function of that name (what the engine calls: DriverEntry, callbacks by name). */
  exported(name: string): LinkedFunction | undefined {
    return this.externalFunctions.get(name) ?? this.systemFunctions.get(name);
  }

  /** Every function of the driver's own files named `name` (statics of several files included). */
  named(name: string): LinkedFunction[] {
    return this.functions.filter((f) => f.name === name && f.linkage !== 'system');
  }

  private linkFunctions(): void {
    const copies = new Map<string, number>();
    const site = (def: FunctionDef) => `${def.name}@${def.loc.file}:${def.loc.line}`;
    this.units.forEach((u) => {
      for (const def of u.functions.values()) if (!isSystem(def) && def.loc.file !== u.file) copies.set(site(def), (copies.get(site(def)) ?? 0) + 1);
    });
    this.units.forEach((u, unit) => {
      for (const def of u.functions.values()) {
        if (isSystem(def)) {
          if (!this.systemFunctions.has(def.name)) this.systemFunctions.set(def.name, this.addFunction(def, unit, 'system'));
          continue;
        }
        const inlineCopy = def.loc.file !== u.file && (copies.get(site(def)) ?? 0) > 1;
        const internal = def.static || inlineCopy || u.prototypes.get(def.name)?.static === true;
        if (internal) {
          this.staticFunctions[unit].set(def.name, this.addFunction(def, unit, 'internal'));
          continue;
        }
        const prior = this.externalFunctions.get(def.name);
        if (prior) {
          this.problems.push({
            message: `function '${def.name}' is defined in two files: ${where(prior.def.loc)} and ${where(def.loc)}`,
            loc: def.loc,
            hint: 'a function without static may have one definition in the whole driver; make one of them static or remove it',
          });
          continue;
        }
        this.externalFunctions.set(def.name, this.addFunction(def, unit, 'external'));
      }
    });
  }

  private addFunction(def: FunctionDef, unit: number, linkage: Linkage): LinkedFunction {
    const f: LinkedFunction = { id: this.functions.length, name: def.name, def, unit, linkage };
    this.functions.push(f);
    return f;
  }

  private linkGlobals(): void {
    const staticNames = new Map<string, number>();
    const externalNames = new Set<string>();
    for (const u of this.units) {
      for (const g of u.globals) {
        if (g.storage === 'static') staticNames.set(g.name, (staticNames.get(g.name) ?? 0) + 1);
        else if (g.storage !== 'extern' || g.init) externalNames.add(g.name);
      }
    }
    // Definitions with external linkage: tentative ones merge, initialised ones must be unique.
    const chosen = new Map<string, { decl: VarDecl; unit: number }>();
    this.units.forEach((u, unit) => {
      for (const g of u.globals) {
        if (g.storage === 'static') {
          const shared = (staticNames.get(g.name) ?? 0) > 1 || externalNames.has(g.name);
          const key = shared ? `${g.name} (${fileName(u.file)})` : g.name;
          this.staticGlobals[unit].set(g.name, this.addGlobal(g, key, unit, 'internal'));
          continue;
        }
        if (g.storage === 'extern' && !g.init) continue;
        const prior = chosen.get(g.name);
        if (!prior) {
          chosen.set(g.name, { decl: g, unit });
          continue;
        }
        // A C++ inline variable is defined in every file that includes its header: one object.
        if (prior.decl.inline && g.inline) continue;
        if (prior.decl.init && g.init) {
          this.problems.push({
            message: `global '${g.name}' is defined with an initial value in two files: ${where(prior.decl.loc)} and ${where(g.loc)}`,
            loc: g.loc,
            hint: 'initialise it in one file and declare it extern in the others (usually in a shared header)',
          });
          continue;
        }
        if (g.init && !prior.decl.init) chosen.set(g.name, { decl: g, unit });
      }
    });
    for (const [name, c] of chosen) this.externalGlobals.set(name, this.addGlobal(c.decl, name, c.unit, 'external'));
  }

  private addGlobal(decl: VarDecl, key: string, unit: number, linkage: LinkedGlobal['linkage']): LinkedGlobal {
    const g: LinkedGlobal = { id: this.globals.length, name: decl.name, key, decl, unit, linkage };
    this.globals.push(g);
    return g;
  }
}

export function link(units: readonly TranslationUnit[]): LinkedProgram {
  return new LinkedProgram(units);
}
