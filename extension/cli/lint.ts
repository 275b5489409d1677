/**
 * `fltsim lint <files, folders or .vcxproj> [--format text|json|sarif] [--rule-severity id=off|warning|error …]`
 *
 * A driver is analysed as a whole: a .vcxproj is one driver; a folder is searched recursively for
 * drivers (each .vcxproj, and each folder of unlisted .c files with one DriverEntry) and the files
 * that belong to none (hidden folders and node_modules skipped); a single .c file is linted in the
 * context of its project when it has one (engine/project/discover.ts). Files are read through
 * SourceReader (extension/shared/sourceFiles.ts): only regular, readable, non-binary files under the
 * size limit; the rest are skipped with a note in every format.
 * Exit codes: 0 no error-level finding, 1 at least one, 2 bad usage or unreadable input.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  discoverProjects, ENGINE_VERSION, isCppSource, lintUnits, formatJson, formatSarif, formatText, initLinter, isKernelMode, LINT_RULES, LintDocument, lintLanguageOf, ProjectLint, projectOfFile, readVcxproj,
  summarize, validateOptions, type DriverProject, type ProjectFiles, type FileReport, type LintNote, type LintOptions, type LintResult, type SeveritySetting,
} from '../../engine';
import { DEFAULT_MAX_SOURCE_BYTES, SourceReader } from '../shared/sourceFiles';
import { jsonSafe, terminalSafe } from '../shared/safeText';
import { parseArgs, UsageError, closest } from './args';
import { registerCommand } from './registry';

export const LINT_USAGE = [
  'Usage: fltsim lint <files, folders or .vcxproj> [options]',
  '',
  `Checks minifilter C and C++ sources for Flt* API misuse (${LINT_RULES.length} rules; see docs/rules/).`,
  'Each driver is analysed as a whole: a .vcxproj is one driver; folders are searched',
  'recursively for .vcxproj files, folders of .c/.cpp files with one DriverEntry, and',
  'C, C++ and header files that belong to no driver. User-mode projects are skipped with',
  'a note, and so are files that are not regular files, cannot be read, look binary or',
  'are too large. Code that cannot be parsed is named in notes (the checks skip it).',
  '',
  'Options:',
  '  --format text|json|sarif       output format (default: text)',
  '  --rule-severity ID=LEVEL       override a rule: LEVEL is off, warning or error;',
  '                                 repeat the option or separate pairs with commas',
  '  --doc-base URI                 where rule pages live, for SARIF helpUri (default: the installed docs/rules/)',
  `  --max-file-size BYTES          skip source files larger than this (default: ${DEFAULT_MAX_SOURCE_BYTES})`,
  '',
  'Exit codes: 0 no error-level finding, 1 at least one, 2 bad usage or unreadable input.',
  'Silence one line with a comment: // fltsim-disable-next-line <rule-id>[, <rule-id>]',
].join('\n');

const SPEC = {
  format: { takesValue: true, choices: ['text', 'json', 'sarif'] },
  'rule-severity': { takesValue: true },
  'doc-base': { takesValue: true },
  'max-file-size': { takesValue: true },
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

/** What to lint: each file once, with the driver project it is analysed in (if any). */
interface Plan {
  files: Map<string, DriverProject | undefined>;
  notes: { file: string; line: number; message: string }[];
}

function addProject(plan: Plan, project: DriverProject): void {
  for (const n of project.notes) plan.notes.push({ file: n.file, line: n.line, message: `${project.name}: ${n.message}` });
  for (const u of lintUnits(project)) if (!plan.files.has(u)) plan.files.set(u, project);
}

/** C and C++ sources and headers (`.inl`/`.inc` hold code too), and projects. */
const LINTABLE = /\.(?:c|h|cpp|cc|cxx|hpp|hh|hxx|inl|inc|ipp|vcxproj)$/i;

/**
 * Why a file named on the command line is not something to lint, with what to do; undefined when it is.
 * Read as C, a scenario, a README or a JSON file gave a list of parse notes and exit 0.
 */
function notLintable(p: string): string | undefined {
  const name = basename(p);
  if (LINTABLE.test(name)) return undefined;
  if (/\.fltsim$/i.test(name)) return `a scenario, not C: run it with 'fltsim run ${p}' (lint reads the driver's .c/.cpp files, folders and .vcxproj files)`;
  if (/^(?:sources|dirs)$/i.test(name)) return `an old-WDK build file: name the folder that holds it, and lint reads the files it lists`;
  return 'not a C or C++ source: lint reads .c, .h, .cpp (and .cc, .cxx, .hpp, .inl…) files, folders and .vcxproj files';
}

function planTarget(plan: Plan, files: ProjectFiles, abs: string, folder: boolean): void {
  if (folder) {
    const found = discoverProjects(files, abs);
    for (const n of found.notes) plan.notes.push(n);
    const here: Plan = { files: new Map(), notes: plan.notes };
    for (const p of found.projects) addProject(here, p);
    for (const f of found.loose) if (!here.files.has(f)) here.files.set(f, undefined);
    for (const h of found.headers) if (!here.files.has(h)) here.files.set(h, undefined);
    // In path order, as a recursive listing would give them.
    for (const f of [...here.files.keys()].sort()) if (!plan.files.has(f)) plan.files.set(f, here.files.get(f));
    return;
  }
  if (/\.vcxproj$/i.test(abs)) {
    const project = readVcxproj(abs, files);
    if (lintUnits(project).length > 0 && !isKernelMode(files, project)) {
      plan.notes.push({ file: abs, line: 1, message: `${project.name} is skipped: none of its files includes a kernel header (fltKernel.h, ntifs.h, wdm.h, ntddk.h), so it is a user-mode program` });
      return;
    }
    addProject(plan, project);
    return;
  }
  if (plan.files.has(abs)) return;
  const project = /\.c$/i.test(abs) || isCppSource(abs) ? projectOfFile(files, abs) : undefined;
  plan.files.set(abs, project && lintUnits(project).includes(abs) ? project : undefined);
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

  const maxText = args.options.get('max-file-size');
  let maxBytes = DEFAULT_MAX_SOURCE_BYTES;
  if (typeof maxText === 'string') {
    maxBytes = Number(maxText);
    if (!/^[0-9]+$/.test(maxText) || !Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new UsageError(`--max-file-size needs a whole number of bytes (got '${maxText}')`);
  }
  const reader = new SourceReader(maxBytes, '--max-file-size BYTES');
  const files = reader.hostFiles();

  const plan: Plan = { files: new Map(), notes: [] };
  for (const p of args.positionals) {
    const abs = resolve(p);
    const folder = reader.folderId(abs) !== undefined;
    if (!folder) {
      // A path named on the command line must be lintable: say exactly why it is not.
      const r = reader.read(abs);
      if (!r.ok) {
        process.stderr.write(terminalSafe(`fltsim lint: ${p}: ${r.reason === 'missing' ? 'no such file or folder' : r.message}\n`));
        return 2;
      }
    }
    // Readable, but not source: a scenario or a README read as C gave parse notes and exit 0.
    const notSource = folder ? undefined : notLintable(p);
    if (notSource !== undefined) {
      process.stderr.write(terminalSafe(`fltsim lint: ${p}: ${notSource}\n`));
      return 2;
    }
    planTarget(plan, files, abs, folder);
  }

  await initLinter();
  const reports: FileReport[] = [];
  const projects = new Map<DriverProject, ProjectLint>();
  const texts = new Map<string, string | undefined>();
  const read = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, files.readFile(file));
    return texts.get(file);
  };
  try {
    for (const [file, project] of plan.files) {
      const text = read(file);
      // Found by a walk but not lintable: the reader noted why, and the report says so below.
      if (text === undefined) continue;
      let result: LintResult;
      if (project) {
        let pl = projects.get(project);
        if (!pl) projects.set(project, (pl = new ProjectLint({ read }, lintUnits(project), { includeDirs: project.includeDirs, paths: files.paths })));
        result = pl.lint(file, text, options);
      } else {
        const doc = new LintDocument(options, false, lintLanguageOf(file, text));
        try {
          result = doc.update(text);
        } finally {
          doc.dispose();
        }
      }
      // Related locations in other files of the driver are shown with the same relative paths.
      for (const f of result.findings) for (const r of f.related) if (r.file !== undefined) r.file = displayPath(r.file);
      reports.push({ path: displayPath(file), result });
    }
  } finally {
    for (const pl of projects.values()) pl.dispose();
  }
  const notes: LintNote[] = plan.notes.map((n) => ({ path: displayPath(n.file), line: n.line, message: n.message }));
  for (const s of reader.skipped) notes.push({ path: displayPath(s.path), line: 1, message: `skipped: it ${s.message}` });

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
  if (format === 'json') process.stdout.write(jsonSafe(formatJson(reports, tool, notes)));
  else if (format === 'sarif') process.stdout.write(jsonSafe(formatSarif(reports, LINT_RULES, tool, notes)));
  else process.stdout.write(terminalSafe(formatText(reports, notes)));

  const sum = summarize(reports);
  if (format === 'text') {
    const skipped = reader.skipped.length > 0 ? ` (${reader.skipped.length} skipped)` : '';
    process.stderr.write(`fltsim lint: ${sum.errors} error${sum.errors === 1 ? '' : 's'}, ${sum.warnings} warning${sum.warnings === 1 ? '' : 's'} in ${sum.files} file${sum.files === 1 ? '' : 's'}${skipped}\n`);
  }
  return sum.errors > 0 ? 1 : 0;
}

registerCommand('lint', {
  summary: 'Check minifilter C sources for Flt* API misuse (text, JSON or SARIF)',
  usage: LINT_USAGE,
  run: runLint,
});
