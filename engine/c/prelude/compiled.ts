/**
 * The prelude compiled once per process. Every driver starts from its macros and names instead of
 * preprocessing, parsing and translating ~1,000 lines of declarations again: that work dominated
 * the time from "start debugging" to the first stop.
 */
import { WDK_HEADER_GUARDS } from '../preprocess';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTranslationUnit, type CompiledPrelude } from '../program';
import { IGNORED_HEADERS, preludeHeaders } from './index';
import { decodePrelude } from './snapshot';

/** Written by the build next to the bundles (scripts/write-prelude-snapshot.ts). */
export const PRELUDE_SNAPSHOT_FILE = 'prelude.json';

function fromSnapshot(): CompiledPrelude | undefined {
  if (typeof __dirname !== 'string') return undefined;
  const file = join(__dirname, PRELUDE_SNAPSHOT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return decodePrelude(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // a damaged snapshot only costs time: compile instead
  }
}

const MAIN = '<prelude>';
let cached: CompiledPrelude | undefined;

/** Needs the C language loaded (loadCLanguage) first, like every compile. */
export function compiledPrelude(): CompiledPrelude {
  if (cached) return cached;
  cached = fromSnapshot();
  if (cached) return cached;
  return (cached = compilePrelude());
}

/** Compiles the prelude from its header texts (what the snapshot stores). */
export function compilePrelude(): CompiledPrelude {
  const headers = preludeHeaders();
  const main = [...headers.keys()].filter((h) => !h.startsWith('fltsim_')).map((h) => `#include <${h}>`).join('\n');
  const unit = compileTranslationUnit(MAIN, {
    readFile: (p) => (p === MAIN ? main : undefined),
    systemHeaders: headers,
    ignoredHeaders: IGNORED_HEADERS,
  });
  // The headers' include guards belong to the files that name the headers (engine/c/preprocess.ts), not to every driver.
  for (const guards of WDK_HEADER_GUARDS.values()) for (const g of guards) unit.macros.undefine(g);
  return {
    macros: unit.macros,
    headers: new Set(headers.keys()),
    scope: unit.scope,
    functions: unit.functions,
    prototypes: unit.prototypes,
    structs: unit.structs,
    enumNames: unit.enumNames,
    diagnostics: unit.diagnostics,
  };
}
