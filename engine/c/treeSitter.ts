/**
 * Loads web-tree-sitter and the C grammar (and, for the linter, the C++ grammar) once per process.
 * The wasm files sit next to the bundle in dist/ (the build copies them there) or, when running from
 * sources, in node_modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

/**
 * Defined (as true) by scripts/build.mjs in every bundle. A bundle ships without node_modules, so
 * it looks for the wasm files only beside itself, and esbuild drops the package lookups below.
 */
declare const FLTSIM_BUNDLED: boolean | undefined;

let loading: Promise<Language> | undefined;
let language: Language | undefined;
let loadingCpp: Promise<Language> | undefined;
let cppLanguage: Language | undefined;

/** Where the wasm files are: beside the bundle, or in their packages when running from sources. */
function wasmFiles(): { runtime: string; grammar: string; cpp: string } {
  return typeof FLTSIM_BUNDLED !== 'undefined'
    ? { runtime: join(__dirname, 'tree-sitter.wasm'), grammar: join(__dirname, 'tree-sitter-c.wasm'), cpp: join(__dirname, 'tree-sitter-cpp.wasm') }
    : {
        runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
        grammar: join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'),
        cpp: join(dirname(require.resolve('tree-sitter-cpp/package.json')), 'tree-sitter-cpp.wasm'),
      };
}

function existing(file: string): string {
  if (!existsSync(file)) throw new Error(`fltsim: cannot find ${file}; run 'npm run build' or reinstall.`);
  return file;
}

/** Resolves the C language once; later calls return the same instance. */
export function loadCLanguage(): Promise<Language> {
  if (!loading) {
    loading = (async () => {
      const { runtime, grammar } = wasmFiles();
      await Parser.init({ locateFile: () => existing(runtime) });
      const lang = await Language.load(existing(grammar));
      language = lang;
      return lang;
    })();
  }
  return loading;
}

/** Resolves the C++ grammar once (after the runtime, which `loadCLanguage` initialises). */
export function loadCppLanguage(): Promise<Language> {
  if (!loadingCpp) {
    loadingCpp = (async () => {
      await loadCLanguage();
      const lang = await Language.load(existing(wasmFiles().cpp));
      cppLanguage = lang;
      return lang;
    })();
  }
  return loadingCpp;
}

/** A fresh parser for the C++ grammar. Call `loadCppLanguage()` first. */
export function createCppParser(): Parser {
  if (!cppLanguage) throw new Error('fltsim: createCppParser() called before loadCppLanguage() finished');
  const parser = new Parser();
  parser.setLanguage(cppLanguage);
  return parser;
}

/** A fresh parser for the C grammar. Call `loadCLanguage()` first (once, at startup). */
export function createCParser(): Parser {
  if (!language) throw new Error('fltsim: createCParser() called before loadCLanguage() finished');
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
