// Build step: compiles the C prelude once and writes it as dist/prelude.json for fast startup
// (engine/c/prelude/snapshot.ts). Run by scripts/build.mjs.
import { writeFileSync } from 'node:fs';
import { loadCLanguage } from '../engine/c/treeSitter';
import { compilePrelude, PRELUDE_SNAPSHOT_FILE } from '../engine/c/prelude/compiled';
import { encodePrelude } from '../engine/c/prelude/snapshot';

(async () => {
  await loadCLanguage();
  const prelude = compilePrelude();
  if (prelude.diagnostics.length > 0) {
    for (const d of prelude.diagnostics) console.error(`${d.loc.file}:${d.loc.line}: ${d.message}`);
    process.exit(1);
  }
  writeFileSync(`dist/${PRELUDE_SNAPSHOT_FILE}`, encodePrelude(prelude));
})();
