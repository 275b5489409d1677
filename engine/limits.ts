/**
 * The limits that keep a run bounded, in one table: how a scenario's `limit` statement and the
 * command line's `--limit` name them, their defaults and ranges, and the sentence every message about
 * a limit ends with, so the knob a message names is always one that exists.
 *
 * Driver code is untrusted input: without these, `for (;;) {}` or a macro that doubles itself 32
 * times would hang or exhaust the process that hosts the editor's debugger.
 */

export const LIMIT_NAMES = ['steps', 'depth', 'macro-tokens', 'macro-depth', 'pool', 'memory'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export interface LimitInfo {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** What is counted, in words: the end of "at most N …". */
  readonly counts: string;
}

export const LIMIT_INFO: Readonly<Record<LimitName, LimitInfo>> = {
  // A loop that does not end is the most common runaway; two million statements take about a second.
  steps: { default: 2_000_000, min: 1, max: 1_000_000_000_000, counts: 'statements of driver code in one run' },
  // Real kernel stacks (12–24 KB) hold far fewer frames. Each C call costs the interpreter several
  // JavaScript frames, so JavaScript's stack may run out first; that is reported the same way.
  depth: { default: 256, min: 1, max: 1000, counts: 'nested C calls on one thread' },
  // Memory, not time, is what a macro that doubles itself exhausts (a token costs about 100 bytes).
  // Microsoft's minifilter samples stay under 20,000 per file.
  'macro-tokens': { default: 500_000, min: 1, max: 20_000_000, counts: 'tokens produced by macro expansion in one driver file' },
  // Each macro call nested in another's argument is expanded by a nested call of the expander.
  'macro-depth': { default: 200, min: 1, max: 2000, counts: 'macro calls nested inside macro arguments' },
  // A 64-bit Windows grants pool up to what the machine has; a filter holding more than 1 GiB at once
  // is broken or testing its failure paths. Past the limit an allocation fails (NULL,
  // STATUS_INSUFFICIENT_RESOURCES) as Windows fails one it cannot satisfy: the driver's own failure
  // path runs. Allocating costs nothing: memory is paid for when written (see `memory`).
  pool: { default: 1024 * 1024 * 1024, min: 0, max: 2 ** 44, counts: 'bytes of pool (pool, lookaside and context blocks) allocated and not yet freed' },
  // What a run really costs the editor's machine: each simulated byte written takes about 2.4 bytes
  // (the byte, its initialisation state, the page around it). 512 MiB written is about 1.2 GB.
  memory: { default: 512 * 1024 * 1024, min: 4096, max: 2 ** 40, counts: 'bytes of simulated memory written (in 4 KiB pages) and not yet freed' },
};

export type Limits = Readonly<Record<LimitName, number>>;

export const DEFAULT_LIMITS: Limits = Object.freeze(Object.fromEntries(LIMIT_NAMES.map((n) => [n, LIMIT_INFO[n].default])) as Record<LimitName, number>);

export function isLimitName(name: string): name is LimitName {
  return (LIMIT_NAMES as readonly string[]).includes(name);
}

/** Defaults, overridden by the scenario's `limit` lines, overridden by the caller's (the CLI's). */
export function resolveLimits(...layers: (Partial<Record<LimitName, number>> | undefined)[]): Limits {
  const out: Record<LimitName, number> = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const n of LIMIT_NAMES) {
      const v = layer[n];
      if (v !== undefined) out[n] = v;
    }
  }
  return out;
}

/** The end of every message about a limit: where to raise it. */
export function limitHint(name: LimitName): string {
  return `raise it with \`limit ${name} N\` in the scenario or \`--limit ${name}=N\` on the fltsim run command line`;
}

/** `2,000,000`: limits are shown with separators, as users read them. */
export function formatLimit(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * How deeply blocks, statements, parentheses and operator chains may nest in driver C. Fixed, not a
 * knob: the C front end and the linter walk syntax trees recursively, and this keeps them far inside
 * JavaScript's stack. MSVC stops at 128 nested blocks, so real drivers never come near it.
 */
export const MAX_NESTING = 256;

/** The message for code nested past MAX_NESTING, the same from the run and the linter. */
export function nestingMessage(): string {
  return `nested more than ${MAX_NESTING} levels deep (blocks, statements, parentheses or operators); fltsim reads at most ${MAX_NESTING} levels, a fixed bound — split the expression or the function`;
}
