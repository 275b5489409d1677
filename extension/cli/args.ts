/**
 * A small, strict argument parser: every option is declared, unknown ones are a usage error with a
 * hint, so a CI typo fails loudly instead of being ignored.
 */
export interface OptionSpec {
  /** `--seed N` takes a value; `--json` is a flag. */
  takesValue: boolean;
  /** May be given more than once (`--limit steps=1 --limit depth=2`); every value is kept in `lists`. */
  repeatable?: boolean;
  /** Allowed values, checked when given. */
  choices?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
  /** Every value of a repeatable option, in order. */
  lists: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      // `-j`, `-seed 3`: fltsim has no one-dash options; taken as a file name it would only give a
      // misleading "no such file" or "give exactly one scenario file".
      if (/^-[^\d]/.test(arg)) throw new UsageError(singleDash(arg, spec));
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const opt = spec[name];
    if (!opt) {
      const near = closest(name, Object.keys(spec));
      throw new UsageError(`unknown option '--${name}'${near ? ` — did you mean '--${near}'?` : ''}`);
    }
    if (!opt.takesValue) {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    if (opt.choices && !opt.choices.includes(value)) {
      throw new UsageError(`option '--${name}' must be one of ${opt.choices.join(', ')} (got '${value}')`);
    }
    if (options.has(name) && !opt.repeatable) throw new UsageError(`option '--${name}' is given twice`);
    options.set(name, value);
    if (opt.repeatable) lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { positionals, options, lists };
}

function singleDash(arg: string, spec: Record<string, OptionSpec>): string {
  const word = arg.replace(/^-/, '').split('=')[0];
  const names = Object.keys(spec);
  const near = names.includes(word) ? word : word.length === 1 ? names.find((n) => n.startsWith(word)) : closest(word, names);
  return `unknown option '${arg}': options start with two dashes${near ? ` — did you mean '--${near}'?` : ''} (a file name starting with '-' goes after '--')`;
}

/** The candidate within edit distance 2, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
