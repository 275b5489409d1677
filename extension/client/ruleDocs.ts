/**
 * The rule documentation shipped in `docs/rules/<id>.md`: which ids exist and where their page is.
 * No `vscode` here; the command layer reads the folder and shows the pick list.
 */
import * as path from 'node:path';

/** Rule ids are lowercase words joined by dashes, like `wi-bad-queue-type`. */
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isRuleId(id: string): boolean {
  return RULE_ID.test(id);
}

/** Rule ids from the file names of `docs/rules/`; index pages and other files are ignored. */
export function ruleIdsFromFileNames(names: readonly string[]): string[] {
  return names
    .filter((n) => n.endsWith('.md'))
    .map((n) => n.slice(0, -3))
    .filter((id) => isRuleId(id) && id !== 'readme' && id !== 'index')
    .sort();
}

/** Absolute path of a rule's page inside the installed extension, or undefined for a malformed id. */
export function ruleDocPath(extensionRoot: string, id: string): string | undefined {
  return isRuleId(id) ? path.join(extensionRoot, 'docs', 'rules', `${id}.md`) : undefined;
}

/**
 * The first `# heading` of a rule page, for the quick pick's description. Pages head themselves
 * "`id` — Title"; the id is already the pick's label, so only the title is kept.
 */
export function ruleTitle(markdown: string): string | undefined {
  const m = /^#\s+(.+)$/m.exec(markdown);
  if (!m) return undefined;
  const heading = m[1].replace(/`/g, '').trim();
  const dash = /^[a-z0-9]+(?:-[a-z0-9]+)*\s*(?:—|–|:|\s-)\s*(.+)$/.exec(heading);
  return dash ? dash[1].trim() : heading;
}
