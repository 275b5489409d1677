/**
 * What a rule is: its metadata, and a check over one function (most rules) or over the whole file
 * (registration structures, teardown). Checks report raw findings with anchored locations; the
 * linter adds the rule id and severity, resolves positions, applies suppressions and overrides.
 */
import type { Loc } from './analysis/model';
import type { TextFacts } from './analysis/textScan';
import type { Role } from './analysis/roleTypes';
import type { FileContext, FunctionContext } from './context';
import type { RuleMeta, Severity } from './types';

export interface RawRelated {
  at: Loc;
  message: string;
}

export interface RawEdit {
  at: Loc;
  newText: string;
}

export interface RawFinding {
  at: Loc;
  message: string;
  related?: RawRelated[];
  fixes?: { title: string; edits: RawEdit[] }[];
  /**
   * Findings of one rule in one file with the same `key` share one cause (one wrong annotation,
   * one lock): once suppressions are applied, the linter reports them as one finding at the first
   * of them, the others as related locations (groupFindings.ts). A group of one stays as it is.
   */
  group?: FindingGroup;
}

export interface FindingGroup {
  key: string;
  /** This member as a related location of the group: what is wrong at this call. */
  member: string;
  /** The group's message, given the members in source order (this finding first). */
  summary(members: readonly string[]): string;
}

/** The cheap view of a function a rule sees before deciding to look closer. */
export interface Candidate {
  name: string;
  facts: TextFacts;
  roles: readonly Role[];
  /** File-level facts (roles, IRQL entry estimates) that need no IR of this function. */
  file: FileContext;
}

interface RuleBase {
  id: string;
  severity: Severity;
  title: string;
  why: string;
  sources: string[];
  /** Relative path of the rule's page: `docs/rules/<id>.md`. */
  docUrl: string;
}

type WithoutDoc<T> = Omit<T, 'docUrl'>;

/** Declares a function-scope rule; its doc page is `docs/rules/<id>.md`. */
export function functionRule(r: WithoutDoc<FunctionRule>): FunctionRule {
  return { ...r, docUrl: `docs/rules/${r.id}.md` };
}

/** Declares a file-scope rule; its doc page is `docs/rules/<id>.md`. */
export function fileRule(r: WithoutDoc<FileRule>): FileRule {
  return { ...r, docUrl: `docs/rules/${r.id}.md` };
}

export interface FunctionRule extends RuleBase {
  scope: 'function';
  /**
   * The roles the rule's reasoning rests on (a pre-op's return values, a worker's duties): each
   * finding says what gave the function that role (a registration row, a queuing call, or only its
   * declared signature).
   */
  roles?: readonly Role['k'][];
  /** Whether the function is worth a closer look; must be cheap (text facts and roles only). */
  wants(c: Candidate): boolean;
  /**
   * May read anything of the file: what it reads outside the function (other functions, IRQL
   * annotations and estimates) is recorded, and the incremental linter re-checks the function when
   * any of it changes (analysis/reads.ts).
   */
  check(ctx: FunctionContext): RawFinding[];
}

export interface FileRule extends RuleBase {
  scope: 'file';
  check(ctx: FileContext): RawFinding[];
}

export type Rule = FunctionRule | FileRule;

export function ruleMeta(r: Rule): RuleMeta {
  return { id: r.id, severity: r.severity, title: r.title, why: r.why, docUrl: r.docUrl, sources: r.sources };
}

/** Microsoft documentation URLs from the short keys of flt-rules.md. */
export const DOCS = {
  ddi: (page: string) => `https://learn.microsoft.com/windows-hardware/drivers/ddi/fltkernel/${page}`,
  ifs: (page: string) => `https://learn.microsoft.com/windows-hardware/drivers/ifs/${page}`,
  devtest: (page: string) => `https://learn.microsoft.com/windows-hardware/drivers/devtest/${page}`,
  debugger: (page: string) => `https://learn.microsoft.com/windows-hardware/drivers/debugger/${page}`,
};

/** True when the function calls any of the names. */
export function callsAny(c: Candidate, names: Iterable<string>): boolean {
  const called = c.facts.callNames;
  if (names instanceof Set && names.size > called.size) {
    for (const n of called) if (names.has(n)) return true;
    return false;
  }
  for (const n of names) if (called.has(n)) return true;
  return false;
}

/** True when the function mentions any of the words (outside comments and strings). */
export function mentionsAny(c: Candidate, ...words: string[]): boolean {
  return words.some((w) => c.facts.words.has(w));
}

export function hasRole(c: Candidate, ...kinds: Role['k'][]): boolean {
  return c.roles.some((r) => kinds.includes(r.k));
}
