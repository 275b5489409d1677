/**
 * Position-preserving parse of driver C for analysis: annotations blanked, macros left as written
 * (a `FLT_IS_IRP_OPERATION(Data)` guard stays a call the rules can recognise), and tree-sitter's
 * error recovery for anything it cannot see (unknown headers, odd macros). The interpreter uses the
 * full preprocessor instead (engine/c/preprocess.ts).
 */
import { blankAnnotations } from './annotations';
import { createCParser, loadCLanguage, type Tree } from './treeSitter';

export interface ParsedSource {
  /** The text tree-sitter saw: same length and line breaks as the original. */
  text: string;
  tree: Tree;
}

export { loadCLanguage };

let parser: ReturnType<typeof createCParser> | undefined;

/** Parses one file's text. `loadCLanguage()` must have resolved first. */
export function parseSource(original: string, previous?: ParsedSource): ParsedSource {
  parser ??= createCParser();
  const text = blankAnnotations(original);
  const tree = parser.parse(text, previous?.tree);
  if (!tree) throw new Error('fltsim: tree-sitter returned no tree');
  return { text, tree };
}
