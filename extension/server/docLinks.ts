/**
 * Where a diagnostic's "rule id" link points (`codeDescription.href`).
 *
 * The rule pages ship inside the extension (`docs/rules/<id>.md`, kept in the vsix by
 * .vscodeignore), so the best link is a `file:` URI into the installed extension: it works offline
 * and always matches the installed rules. In order of preference:
 *   1. `initializationOptions.extensionRoot`, when the client passes it (the client knows where it
 *      is installed; the link is used as given);
 *   2. the folder above this bundle (`dist/server.js` → the extension or repository root), when it
 *      holds `docs/rules/`;
 *   3. the pages in the source repository on the web (`REPOSITORY_DOCS_URL`).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The repository's rule pages on the web: the last resort when no installed copy is found. The
 * manifest names no repository yet; this is the address the project expects to publish under, so
 * change it here (one place) if it publishes elsewhere.
 */
export const REPOSITORY_DOCS_URL = 'https://github.com/fltsim/fltsim/blob/main/';

export interface DocLinkInputs {
  /** From `initializationOptions.extensionRoot`. */
  extensionRoot?: string;
  /** The folder of the running bundle (`__dirname` of dist/server.js). */
  bundleDir?: string;
  exists?: (p: string) => boolean;
}

/** Links the hover text and diagnostics use. */
export interface DocLinks {
  /** `<base>docs/rules/<id>.md`. */
  rule(ruleId: string): string;
  /** The table of runtime rules (ids the simulator records that the linter does not have). */
  runtimeRules: string;
}

export function docLinks(inputs: DocLinkInputs): DocLinks {
  const exists = inputs.exists ?? existsSync;
  const root = installedRoot(inputs, exists);
  const base = root ? withSlash(pathToFileURL(root).href) : REPOSITORY_DOCS_URL;
  // docs/runtime-rules.md is not in the vsix (only docs/rules/ is), so look before linking to it.
  const localRuntime = root && exists(path.join(root, 'docs', 'runtime-rules.md'));
  return {
    rule: (ruleId) => new URL(`docs/rules/${encodeURIComponent(ruleId)}.md`, base).href,
    runtimeRules: new URL('docs/runtime-rules.md', localRuntime ? base : REPOSITORY_DOCS_URL).href,
  };
}

function installedRoot(inputs: DocLinkInputs, exists: (p: string) => boolean): string | undefined {
  if (inputs.extensionRoot) return inputs.extensionRoot;
  if (inputs.bundleDir) {
    const root = path.resolve(inputs.bundleDir, '..');
    if (exists(path.join(root, 'docs', 'rules'))) return root;
  }
  return undefined;
}

function withSlash(s: string): string {
  return s.endsWith('/') ? s : `${s}/`;
}
