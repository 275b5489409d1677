/**
 * The C preprocessor the interpreter runs driver code through: `#include "local.h"` next to the
 * including file and then in the project's include directories, WDK system headers answered by
 * the built-in prelude, object- and function-like
 * macros, conditionals with constant expressions, `#pragma` recorded and otherwise ignored.
 * Annotations (SAL and friends) are blanked first. The output keeps, for every token, the position
 * the user wrote it at, so breakpoints and messages land on the user's lines.
 */
import { macroFromDefine } from './pp/define';
import { caseMismatch, HOST_PATHS, type Located, type PathRules } from '../files';
import { blankAnnotations } from './annotations';
import { evaluateCondition } from './pp/condition';
import { logicalLines } from './pp/logicalLines';
import { tagArguments } from './pp/tagArguments';
import { ExpansionBudget, ExpansionLimitError, MacroTable, PreprocessError } from './pp/macros';

const COMPILER_MACROS: readonly [string, string][] = [
  ['_WIN32', '1'],
  ['_WIN64', '1'],
  ['_M_AMD64', '100'],
  ['_M_X64', '100'],
  ['_MSC_VER', '1940'],
  ['_KERNEL_MODE', '1'],
  // The build's date and time: the virtual clock's start (tick 0 is 2020-01-01 00:00 UTC), so the
  // same sources give the same output on every machine.
  ['__DATE__', '"Jan  1 2020"'],
  ['__TIME__', '"00:00:00"'],
  ['__TIMESTAMP__', '"Wed Jan  1 00:00:00 2020"'],
];
import { tokenizeLine, type Origin, type PpToken } from './pp/tokens';
import { isWppGeneratedHeader, wppStandInHeader, wppTraceFunctions } from './pp/wpp';
import { functionNameLiteral } from './pp/functionName';
import { configureTemplate, templateNames } from './pp/cmakeTemplate';
import { standardIntegerSuffix } from './pp/msvcNumbers';
import { PROJECT_FIRST_CRT_HEADERS, WDK_HEADERS_INCLUDING_STRING_H } from './pp/projectCrtHeaders';

export interface PreprocessOptions {
  /** Returns a file's text, or undefined if it does not exist. */
  readFile(path: string): string | undefined;
  /** Why readFile gave nothing, when the host knows (ProjectFiles.whyUnreadable). */
  whyUnreadable?(path: string): string | undefined;
  /** How an include's name is joined to a folder (either slash, `..`); the host's rules by default. */
  paths?: PathRules;
  /**
   * The file a joined path names, found as Windows would (engine/files/lookup.ts), and whether only
   * by ignoring case; by default a path exists when `readFile` returns text for it.
   */
  locate?(path: string): Located | undefined;
  /** Folders `#include "…"` searches after the including file's own, in order (like /I). */
  includeDirs?: readonly string[];
  /** The project's and the scenario's definitions, like -D (later entries win). */
  defines?: ReadonlyMap<string, string>;
  /** Text of system headers by lower-case name (`fltkernel.h`); the prelude. */
  systemHeaders: ReadonlyMap<string, string>;
  /** System headers that may be included but contribute nothing. */
  ignoredHeaders?: ReadonlySet<string>;
  /**
   * The prelude, already preprocessed: its macros start the table and its headers count as included,
   * so `#include <fltKernel.h>` costs nothing (engine/c/prelude/compiled.ts).
   */
  preloaded?: { macros: MacroTable; headers: ReadonlySet<string> };
  /** Limits on macro expansion for the whole file (`limit macro-tokens`, `limit macro-depth`). */
  expansion?: { tokens: number; depth: number };
}

export interface PreprocessDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  origin: Origin;
}

export interface Pragma {
  text: string;
  origin: Origin;
}

export class SourceMap {
  constructor(private readonly offsets: number[], private readonly origins: Origin[]) {}

  /** The origin of the token covering `offset` in the preprocessed text. */
  originAt(offset: number): Origin {
    const a = this.offsets;
    if (a.length === 0) return { file: '<empty>', line: 1, col: 1 };
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.origins[lo];
  }
}

export interface PreprocessResult {
  text: string;
  map: SourceMap;
  diagnostics: PreprocessDiagnostic[];
  pragmas: Pragma[];
  /** Every user file read, in order (the main file first). */
  files: string[];
  macros: MacroTable;
  /** The built-in headers the files named (lower case), even those the preloaded prelude made no-ops. */
  systemIncludes: ReadonlySet<string>;
}

interface Cond {
  /** This branch is being emitted. */
  active: boolean;
  /** Some branch of this #if chain was taken already. */
  taken: boolean;
  sawElse: boolean;
  /** The enclosing region is active. */
  outer: boolean;
}

const MAX_INCLUDE_DEPTH = 64;

/** Each WDK header's include guard, with those of the headers it includes (fltKernel.h → ntifs.h → ntddk.h → wdm.h). */
export const WDK_HEADER_GUARDS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['fltkernel.h', ['__FLTKERNEL__', '_NTIFS_', '_NTDDK_', '_WDMDDK_']],
  ['ntifs.h', ['_NTIFS_', '_NTDDK_', '_WDMDDK_']],
  ['ntddk.h', ['_NTDDK_', '_WDMDDK_']],
  ['wdm.h', ['_WDMDDK_']],
]);

export function preprocess(mainFile: string, options: PreprocessOptions): PreprocessResult {
  return new Preprocessor(options).run(mainFile);
}

class Preprocessor {
  private readonly macros: MacroTable;
  private readonly diagnostics: PreprocessDiagnostic[] = [];
  private readonly pragmas: Pragma[] = [];
  private readonly files: string[] = [];
  /** The user files open right now, outermost first: MSVC searches their folders for a quoted include. */
  private readonly opened: string[] = [];
  private readonly once = new Set<string>();
  private readonly includedSystem = new Set<string>();
  private readonly namedSystem = new Set<string>();
  private readonly out: string[] = [];
  private outLength = 0;
  private readonly offsets: number[] = [];
  private readonly origins: Origin[] = [];
  private lastFile = '';
  private lastLine = 0;
  private counter = 0;
  private readonly budget: ExpansionBudget;
  /** An expansion limit ran out: the rest of the file is not read (it would only run out again). */
  private exhausted = false;

  /**
   * NOMINMAX defined before the first kernel header: ntdef.h then defines no min/max macros. The
   * preloaded prelude defined them already, so they are taken back (a driver's own min/max templates
   * are then called by name).
   */
  private withoutMinMax(): void {
    if (!this.options.preloaded) return;
    this.macros.undefine('min');
    this.macros.undefine('max');
  }

  constructor(private readonly options: PreprocessOptions) {
    this.macros = options.preloaded ? options.preloaded.macros.clone() : new MacroTable();
    this.budget = new ExpansionBudget(options.expansion?.tokens, options.expansion?.depth);
    if (options.preloaded) for (const h of options.preloaded.headers) this.includedSystem.add(h);
    this.definePredefined();
  }

  run(mainFile: string): PreprocessResult {
    const text = this.options.readFile(mainFile);
    if (text === undefined) {
      const why = this.options.whyUnreadable?.(mainFile);
      this.diagnostics.push({ severity: 'error', message: `cannot read '${mainFile}'${why ? `: it ${why}` : ''}`, origin: { file: mainFile, line: 1, col: 1 } });
    } else {
      for (const [name, value] of this.options.defines ?? []) this.defineFromText(name, value, { file: '<scenario>', line: 1, col: 1 });
      if (this.options.defines?.has('NOMINMAX')) this.withoutMinMax();
      this.opened.push(mainFile);
      this.processFile(mainFile, text, 0, false);
      this.opened.pop();
    }
    return {
      text: this.out.join(''),
      map: new SourceMap(this.offsets, this.origins),
      diagnostics: this.diagnostics,
      pragmas: this.pragmas,
      files: this.files,
      macros: this.macros,
      systemIncludes: this.namedSystem,
    };
  }

  private definePredefined(): void {
    const at: Origin = { file: '<built-in>', line: 1, col: 1 };
    this.macros.define({ name: '__LINE__', body: [], dynamic: (t) => [{ ...t, kind: 'num', text: String(t.line) }] });
    this.macros.define({ name: '__FILE__', body: [], dynamic: (t) => [{ ...t, kind: 'str', text: JSON.stringify(t.file) }] });
    this.macros.define({ name: '__FILEW__', body: [], dynamic: (t) => [{ ...t, kind: 'str', text: `L${JSON.stringify(t.file)}` }] });
    for (const [name, wide] of [['__FUNCTION__', false], ['__FUNCTIONW__', true]] as const) {
      this.macros.define({ name, body: [], dynamic: (t) => [{ ...t, kind: 'str', text: functionNameLiteral(wide) }] });
    }
    this.macros.define({ name: '__COUNTER__', body: [], dynamic: (t) => [{ ...t, kind: 'num', text: String(this.counter++) }] });
    for (const name of ['__pragma', '_Pragma']) {
      this.macros.define({ name, params: ['x'], body: [], origin: at });
    }
    // What MSVC targeting x64 with /kernel defines before the first line of every file, so a
    // header that tests the compiler before it includes any WDK header (Zydis, zlib…) sees it.
    for (const [name, value] of COMPILER_MACROS) this.defineFromText(name, value, at);
  }

  private defineFromText(name: string, value: string, at: Origin): void {
    const toks = tokenizeLine(`${name} ${value}`, at.file, [], []).map((t) => ({ ...t, line: at.line, col: at.col }));
    this.define(toks, at);
  }

  private error(message: string, origin: Origin): void {
    this.diagnostics.push({ severity: 'error', message, origin });
  }

  /** Records a PreprocessError as a diagnostic (and rethrows anything else: that is fltsim's bug). */
  private failed(e: unknown): void {
    if (!(e instanceof PreprocessError)) throw e;
    this.error(e.message, e.origin);
    if (e instanceof ExpansionLimitError) this.exhausted = true;
  }

  /** A file of the project read by an #include at `depth`: on the stack of open files while it is read. */
  private includeProjectFile(real: string, text: string, depth: number): void {
    this.opened.push(real);
    try {
      this.processFile(real, text, depth + 1, false);
    } finally {
      this.opened.pop();
    }
  }

  private processFile(path: string, rawText: string, depth: number, system: boolean): void {
    if (!system) this.files.push(path);
    // The prelude is written without annotations; only user files need the blanking pass.
    const text = system ? rawText : blankAnnotations(rawText);
    const lines = logicalLines(text);
    const conds: Cond[] = [];
    let pending: PpToken[] = [];
    const active = () => conds.length === 0 || conds[conds.length - 1].active;
    const flush = () => {
      if (pending.length === 0) return;
      try {
        this.emit(tagArguments(this.macros.expand(pending, this.budget)));
      } catch (e) {
        this.failed(e);
      }
      pending = [];
    };
    for (const ll of lines) {
      if (this.exhausted) return;
      const toks = tokenizeLine(ll.text, path, ll.lines, ll.cols);
      if (toks.length === 0) continue;
      if (toks[0].text !== '#' && !(toks[0].text === '%:')) {
        // One by one: a spread of a very long line's tokens would overflow the call stack.
        if (active()) for (const t of toks) pending.push(t);
        continue;
      }
      const name = toks[1]?.text ?? '';
      const rest = toks.slice(2);
      const at: Origin = toks[0];
      // Conditionals are tracked even inside inactive regions.
      switch (name) {
        case 'if':
        case 'ifdef':
        case 'ifndef': {
          const outer = active();
          let cond = false;
          if (outer) {
            flush();
            try {
              if (name === 'if') cond = evaluateCondition(rest, this.macros, at, this.budget);
              else {
                if (rest[0]?.kind !== 'id') throw new PreprocessError(`#${name} needs a macro name`, at);
                cond = this.macros.has(rest[0].text) === (name === 'ifdef');
              }
            } catch (e) {
              this.failed(e);
            }
          }
          conds.push({ active: outer && cond, taken: cond, sawElse: false, outer });
          continue;
        }
        case 'elif':
        case 'else': {
          const top = conds[conds.length - 1];
          if (!top) {
            this.error(`#${name} without #if`, at);
            continue;
          }
          if (top.sawElse) this.error(`#${name} after #else`, at);
          if (top.active) flush();
          if (name === 'else') {
            top.sawElse = true;
            top.active = top.outer && !top.taken;
            top.taken = true;
          } else {
            let cond = false;
            if (top.outer && !top.taken) {
              try {
                cond = evaluateCondition(rest, this.macros, at, this.budget);
              } catch (e) {
                this.failed(e);
              }
            }
            top.active = top.outer && !top.taken && cond;
            top.taken ||= cond;
          }
          continue;
        }
        case 'endif':
          if (conds.length === 0) this.error('#endif without #if', at);
          else {
            if (conds[conds.length - 1].active) flush();
            conds.pop();
          }
          continue;
      }
      if (!active()) continue;
      flush();
      switch (name) {
        case '':
          break; // a lone '#' is allowed
        case 'define':
          this.define(rest, at);
          if (rest[0]?.kind === 'id' && rest[0].text === 'NOMINMAX' && this.namedSystem.size === 0) this.withoutMinMax();
          break;
        case 'undef':
          if (rest[0]?.kind === 'id') this.macros.undefine(rest[0].text);
          else this.error('#undef needs a macro name', at);
          break;
        case 'include':
        case 'include_next':
          try {
            this.include(rest, path, at, depth);
          } catch (e) {
            this.failed(e);
          }
          break;
        case 'pragma':
          if (rest[0]?.text === 'once') this.once.add(path);
          if (rest[0]?.text === 'pack') this.emitLine(`#pragma pack${rest.slice(1).map((t) => t.text).join('')}`, at);
          this.pragmas.push({ text: rest.map((t) => (t.space ? ` ${t.text}` : t.text)).join('').trim(), origin: at });
          break;
        case 'error':
          this.error(`#error ${rest.map((t) => t.text).join(' ')}`, at);
          break;
        case 'warning':
          this.diagnostics.push({ severity: 'warning', message: `#warning ${rest.map((t) => t.text).join(' ')}`, origin: at });
          break;
        case 'line':
        case 'ident':
          break;
        default:
          this.error(`unknown preprocessor directive '#${name}'`, at);
      }
    }
    flush();
    if (conds.length > 0) this.error(`missing #endif (${conds.length} conditional${conds.length === 1 ? '' : 's'} still open at end of file)`, { file: path, line: lines.length ? lines[lines.length - 1].line : 1, col: 1 });
  }

  private define(toks: PpToken[], at: Origin): void {
    const m = macroFromDefine(toks);
    if ('error' in m) {
      this.error(m.error, m.at ?? at);
      return;
    }
    this.macros.define(m);
  }

  private include(toks: PpToken[], from: string, at: Origin, depth: number): void {
    let spec = toks;
    if (spec[0] && spec[0].kind !== 'str' && spec[0].text !== '<') spec = this.macros.expand(spec, this.budget);
    let name: string;
    let angled: boolean;
    if (spec[0]?.kind === 'str') {
      name = spec[0].text.slice(1, -1);
      angled = false;
    } else if (spec[0]?.text === '<') {
      const close = spec.findIndex((t) => t.text === '>');
      if (close < 0) {
        this.error("#include <…> is missing its '>'", at);
        return;
      }
      name = spec.slice(1, close).map((t) => t.text).join('');
      angled = true;
    } else {
      this.error('#include expects "file.h" or <file.h>', at);
      return;
    }
    if (depth >= MAX_INCLUDE_DEPTH) {
      this.error(`#include nested more than ${MAX_INCLUDE_DEPTH} deep (an include cycle?) at '${name}'`, at);
      return;
    }
    const key = name.toLowerCase().replace(/\\/g, '/');
    const base = key.slice(key.lastIndexOf('/') + 1);
    // The WDK's packing headers are one pragma each.
    const packing = /^pshpack([1248])\.h$/.exec(base);
    if (packing || base === 'poppack.h') {
      this.emitLine(packing ? `#pragma pack(push,${packing[1]})` : '#pragma pack(pop)', at);
      return;
    }
    const searched: string[] = [];
    const paths = this.options.paths ?? HOST_PATHS;
    const searchUser = (dirs: readonly string[]): boolean => {
      for (const dir of dirs) {
        searched.push(dir);
        const candidate = paths.resolve(dir, name);
        const found = this.options.locate ? this.options.locate(candidate) : this.options.readFile(candidate) !== undefined ? { path: candidate, caseDiffers: false } : undefined;
        if (found === undefined) continue;
        const real = found.path;
        if (found.caseDiffers) this.diagnostics.push({ severity: 'warning', message: caseMismatch(angled ? `#include <${name}>` : `#include "${name}"`, real), origin: at });
        if (this.once.has(real)) return true;
        const text = this.options.readFile(real);
        if (text === undefined) continue;
        this.includeProjectFile(real, text, depth);
        return true;
      }
      return false;
    };
    const includeDirs = this.options.includeDirs ?? [];
    // As MSVC does for "x.h": the including file's folder, then the folders of the files that
    // included it, innermost first (a header reached through ../.. finds its siblings), then /I.
    const opener = paths.dirname(from);
    const up = this.opened.slice(0, -1).reverse().map((f) => paths.dirname(f));
    const quoted = [opener, ...up.filter((d, i) => d !== opener && up.indexOf(d) === i)];
    if (!angled && searchUser([...quoted, ...includeDirs])) return;
    // `<Zycore/String.h>` names a library's header by its folder: the project's include directories
    // come first, as they do for MSVC, so it is not taken for the C library's <string.h>.
    if (angled && key !== base && searchUser(includeDirs)) return;
    // So does a project header named like a C library one (pp/projectCrtHeaders.ts).
    if (angled && PROJECT_FIRST_CRT_HEADERS.has(base) && searchUser(includeDirs)) return;
    const system = this.options.systemHeaders.get(base);
    if (system !== undefined) {
      const first = !this.namedSystem.has(base);
      this.namedSystem.add(base);
      // The WDK headers' include guards, which drivers test (`#ifndef _NTIFS_`, `#ifdef __FLTKERNEL__`): defined once the header is named.
      for (const guard of first ? (WDK_HEADER_GUARDS.get(base) ?? []) : []) if (!this.macros.has(guard)) this.defineFromText(guard, '', at);
      if (!this.includedSystem.has(base)) {
        this.includedSystem.add(base);
        this.processFile(`<${base}>`, system, depth + 1, true);
      }
      if (first && WDK_HEADERS_INCLUDING_STRING_H.has(base)) this.includeProjectStringHeader(name, includeDirs, depth, at);
      return;
    }
    if (angled && searchUser(includeDirs)) return;
    if (this.options.ignoredHeaders?.has(base)) return;
    if (!angled && isWppGeneratedHeader(base)) {
      // Generated by the WPP preprocessor at build time (pp/wpp.ts); the trace functions come from
      // the config blocks of the files read so far, where projects declare them.
      const functions = this.files.flatMap((f) => wppTraceFunctions(this.options.readFile(f) ?? ''));
      this.processFile(`<${base}>`, wppStandInHeader(functions), depth + 1, true);
      return;
    }
    if (!angled && this.includeTemplate(name, [...quoted, ...includeDirs], depth, at)) return;
    if (angled) {
      this.error(`unknown system header <${name}>: fltsim's prelude answers the WDK kernel headers only${includeDirs.length > 0 ? `, and the project's include directories (${includeDirs.join(', ')}) do not hold it` : ''}; declare what you need in a local header`, at);
    } else {
      this.error(`cannot find include file "${name}"; searched ${searched.join(', ')}${includeDirs.length === 0 ? ' (the driver has no include directories: a .vcxproj gives them with AdditionalIncludeDirectories)' : ''}`, at);
    }
  }

  /** The project's string.h, which the real <fltKernel.h> (and wdm.h…) reach through their own <string.h>. */
  private includeProjectStringHeader(wdkHeader: string, includeDirs: readonly string[], depth: number, at: Origin): void {
    const paths = this.options.paths ?? HOST_PATHS;
    for (const dir of includeDirs) {
      const candidate = paths.resolve(dir, 'string.h');
      const real = this.options.locate ? this.options.locate(candidate)?.path : candidate;
      const text = real === undefined ? undefined : this.options.readFile(real);
      if (real === undefined || text === undefined) continue;
      if (this.once.has(real)) return;
      this.diagnostics.push({ severity: 'warning', message: `<${wdkHeader}> includes <string.h>, and the project's include directory ${dir} has a string.h, which MSVC finds before its own: fltsim reads ${real} there too (rename it to keep it out of the WDK headers)`, origin: at });
      this.includeProjectFile(real, text, depth);
      return;
    }
  }

  /** `#include "config.h"` that CMake generates from config.h.in: the template, configured (pp/cmakeTemplate.ts). */
  private includeTemplate(name: string, dirs: readonly string[], depth: number, at: Origin): boolean {
    const paths = this.options.paths ?? HOST_PATHS;
    for (const dir of dirs) {
      for (const templateName of templateNames(name)) {
        const candidate = paths.resolve(dir, templateName);
        const real = this.options.locate ? this.options.locate(candidate)?.path : candidate;
        const template = real === undefined ? undefined : this.options.readFile(real);
        if (real === undefined || template === undefined) continue;
        if (this.once.has(real)) return true;
        const { text, unset } = configureTemplate(template, new Map(this.options.defines ?? []));
        const left = unset.length > 0 ? `; without a value (add a \`define NAME value\` line to the scenario to give one): ${unset.join(', ')}` : '';
        this.diagnostics.push({ severity: 'warning', message: `"${name}" is not in the project: CMake writes it from ${templateName} when it configures the build, so fltsim reads ${real} as CMake would${left}`, origin: at });
        this.includeProjectFile(real, text, depth);
        return true;
      }
    }
    return false;
  }

  /**
   * A directive the parser must see in place (`#pragma pack` changes the layout of the structs after
   * it), on a line of its own.
   */
  private emitLine(text: string, at: Origin): void {
    const sep = this.outLength === 0 ? '' : '\n';
    this.out.push(sep);
    this.outLength += sep.length;
    this.offsets.push(this.outLength);
    this.origins.push({ file: at.file, line: at.line, col: at.col });
    this.out.push(text, '\n');
    this.outLength += text.length + 1;
    this.lastFile = '';
  }

  private emit(tokens: PpToken[]): void {
    for (const t of tokens) {
      if (t.text === '') continue;
      let sep = '';
      if (t.file !== this.lastFile || t.line !== this.lastLine) {
        sep = this.outLength === 0 ? '' : '\n';
        this.lastFile = t.file;
        this.lastLine = t.line;
      } else if (t.space || needsSpace(this.out[this.out.length - 1], t.text)) {
        sep = ' ';
      }
      if (sep) {
        this.out.push(sep);
        this.outLength += sep.length;
      }
      this.offsets.push(this.outLength);
      this.origins.push({ file: t.file, line: t.line, col: t.col });
      const text = t.kind === 'num' ? standardIntegerSuffix(t.text) : t.text;
      this.out.push(text);
      this.outLength += text.length;
    }
  }
}

/** Two tokens that would fuse if printed without a space (`a` `b`, `+` `+`). */
function needsSpace(prev: string | undefined, next: string): boolean {
  if (!prev) return false;
  const a = prev[prev.length - 1];
  const b = next[0];
  const word = /[A-Za-z0-9_$.]/;
  if (word.test(a) && word.test(b)) return true;
  return /[-+&|<>=!*/%^#:.]/.test(a) && /[-+&|<>=!*/%^#:.]/.test(b);
}
