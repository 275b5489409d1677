/**
 * Loads web-tree-sitter and the C grammar once per process. The wasm files sit next to the bundle in
 * dist/ (the build copies them there) or, when running from sources, in node_modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;
let language: Language | undefined;

function findWasm(file: string, resolveFrom: () => string): string {
  const candidates: string[] = [];
  // Bundled: dist/<bundle>.js sits beside dist/<file>.
  if (typeof __dirname === 'string') candidates.push(join(__dirname, file));
  try {
    candidates.push(resolveFrom());
  } catch {
    // Not resolvable from a bundle: the dist/ copy is the answer.
  }
  const hit = candidates.find((c) => existsSync(c));
  if (!hit) throw new Error(`fltsim: cannot find ${file} (looked in ${candidates.join(', ')}); run 'npm run build' or reinstall.`);
  return hit;
}

/** Resolves the C language once; later calls return the same instance. */
export function loadCLanguage(): Promise<Language> {
  if (!loading) {
    loading = (async () => {
      const runtime = findWasm('tree-sitter.wasm', () => require.resolve('web-tree-sitter/tree-sitter.wasm'));
      await Parser.init({ locateFile: () => runtime });
      const lang = await Language.load(findWasm('tree-sitter-c.wasm', () => join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm')));
      language = lang;
      return lang;
    })();
  }
  return loading;
}

/** A fresh parser for the C grammar. Call `loadCLanguage()` first (once, at startup). */
export function createCParser(): Parser {
  if (!language) throw new Error('fltsim: createCParser() called before loadCLanguage() finished');
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
