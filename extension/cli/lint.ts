/**
 * `fltsim lint <files or folders> [--format text|json|sarif] [--rule-severity id=off|warning|error …]`
 *
 * Folders are searched recursively for *.c and *.h (hidden folders and node_modules skipped).
 * Exit codes: 0 no error-level finding, 1 at least one, 2 bad usage or unreadable input.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ENGINE_VERSION, formatJson, formatSarif, formatText, initLinter, LINT_RULES, LintDocument, summarize, validateOptions,
  type FileReport, type LintOptions, type SeveritySetting,
} from '../../engine';
import { parseArgs, UsageError, closest } from './args';
import { registerCommand } from './registry';

export const LINT_USAGE = [
  'Usage: fltsim lint <files or folders> [options]',
  '',
  'Checks minifilter C sources for Flt* API misuse (36 rules; see docs/rules/).',
  'Folders are searched recursively for *.c and *.h files.',
  '',
  'Options:',
  '  --format text|json|sarif       output format (default: text)',
  '  --rule-severity ID=LEVEL       override a rule: LEVEL is off, warning or error;',
  '                                 repeat the option or separate pairs with commas',
  '  --doc-base URI                 where rule pages live, for SARIF helpUri (default: the installed docs/rules/)',
  '',
  'Exit codes: 0 no error-level finding, 1 at least one, 2 bad usage or unreadable input.',
  'Silence one line with a comment: // fltsim-disable-next-line <rule-id>[, <rule-id>]',
].join('\n');

const SPEC = {
  format: { takesValue: true, choices: ['text', 'json', 'sarif'] },
  'rule-severity': { takesValue: true },
  'doc-base': { takesValue: true },
} as const;

/** Pulls every `--rule-severity` value out of argv (the option may be repeated). */
function takeSeverities(argv: readonly string[]): { rest: string[]; pairs: string[] } {
  const rest: string[] = [];
  const pairs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--rule-severity') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError("option '--rule-severity' needs a value like wi-bad-queue-type=off");
      pairs.push(v);
      i++;
    } else if (a.startsWith('--rule-severity=')) {
      pairs.push(a.slice('--rule-severity='.length));
    } else {
      rest.push(a);
    }
  }
  return { rest, pairs };
}

function severities(pairs: readonly string[]): LintOptions['severities'] {
  const out: Record<string, SeveritySetting> = {};
  const ids = LINT_RULES.map((r) => r.id);
  for (const item of pairs.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new UsageError(`'--rule-severity ${item}' needs the form ID=off|warning|error`);
    const id = item.slice(0, eq).trim();
    const level = item.slice(eq + 1).trim();
    if (!ids.includes(id)) {
      const containing = ids.filter((x) => x.includes(id));
      const near = closest(id, ids) ?? (containing.length === 1 ? containing[0] : undefined);
      throw new UsageError(`unknown rule id '${id}'${near ? ` — did you mean '${near}'?` : ''}`);
    }
    if (level !== 'off' && level !== 'warning' && level !== 'error') throw new UsageError(`severity for '${id}' must be off, warning or error (got '${level}')`);
    out[id] = level;
  }
  return out;
}

function collect(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      const child = join(path, entry);
      const cst = statSync(child);
      if (cst.isDirectory()) collect(child, out);
      else if (/\.[ch]$/i.test(entry)) out.push(child);
    }
  } else {
    out.push(path);
  }
}

/** The package root (where docs/rules/ lives), from the bundle in dist/ or the sources. */
function packageRoot(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'docs', 'rules'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  return shown.split(sep).join('/');
}

export async function runLint(argv: string[]): Promise<number> {
  const { rest, pairs } = takeSeverities(argv);
  const args = parseArgs(rest, SPEC);
  if (args.positionals.length === 0) throw new UsageError('give at least one file or folder to lint');
  const options: LintOptions = { severities: severities(pairs) };
  const problems = validateOptions(options);
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  const files: string[] = [];
  for (const p of args.positionals) {
    const abs = resolve(p);
    if (!existsSync(abs)) {
      process.stderr.write(`fltsim lint: ${p}: no such file or folder\n`);
      return 2;
    }
    collect(abs, files);
  }

  await initLinter();
  const reports: FileReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`fltsim lint: ${displayPath(file)}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})\n`);
      return 2;
    }
    const doc = new LintDocument(options, false);
    try {
      reports.push({ path: displayPath(file), result: doc.update(text) });
    } finally {
      doc.dispose();
    }
  }

  const format = (args.options.get('format') as string | undefined) ?? 'text';
  const root = packageRoot();
  const docBase = (args.options.get('doc-base') as string | undefined) ?? (root ? pathToFileURL(join(root, 'docs', 'rules')).href : undefined);
  const tool = {
    name: 'fltsim',
    version: ENGINE_VERSION,
    informationUri: root ? pathToFileURL(join(root, 'README.md')).href : 'https://learn.microsoft.com/windows-hardware/drivers/ifs/filter-manager-concepts',
    ruleDocBase: docBase === undefined ? undefined : docBase.endsWith('/') ? docBase : `${docBase}/`,
    srcRoot: pathToFileURL(process.cwd()).href.replace(/\/?$/, '/'),
  };
  if (format === 'json') process.stdout.write(formatJson(reports, tool));
  else if (format === 'sarif') process.stdout.write(formatSarif(reports, LINT_RULES, tool));
  else process.stdout.write(formatText(reports));

  const sum = summarize(reports);
  if (format === 'text') {
    process.stderr.write(`fltsim lint: ${sum.errors} error${sum.errors === 1 ? '' : 's'}, ${sum.warnings} warning${sum.warnings === 1 ? '' : 's'} in ${sum.files} file${sum.files === 1 ? '' : 's'}\n`);
  }
  return sum.errors > 0 ? 1 : 0;
}

registerCommand('lint', {
  summary: 'Check minifilter C sources for Flt* API misuse (text, JSON or SARIF)',
  usage: LINT_USAGE,
  run: runLint,
});
