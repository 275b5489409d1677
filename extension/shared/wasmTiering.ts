/**
 * Imported first by fltsim's own processes (CLI, standalone debug adapter, language server; never
 * the extension host, which other extensions share). V8 normally recompiles hot WebAssembly with its
 * optimizing tier while it runs; tree-sitter's C lexer is one huge function, so that recompilation
 * makes the first parse several times slower than the rest — the time between "start debugging"
 * and the first stop. Baseline code is fast enough for parsing, so stay there.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
