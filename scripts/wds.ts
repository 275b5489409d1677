/**
 * `npm run wds -- <Windows-driver-samples checkout, or its filesys/miniFilter folder> [--out DIR] [--only NAME[,NAME…]]`
 *
 * Runs Microsoft's minifilter samples as a driver developer would try them: for each sample, one
 * scenario that loads its kernel-mode .vcxproj and gives it an ordinary workload on a volume with
 * real files (opens, writes and reads of content, a size query, a folder listing, a file created and
 * renamed, one deleted, cleanup and close, an open the mapping samples redirect, a cancel where the
 * sample pends, an unload at the end; a user-mode program on each communication port; an open and
 * close of each control device object). The scenarios are written into DIR (default: a new temporary folder, outside
 * the repository), each is run, and a table says how far each sample gets — compiles, links, loads
 * (DriverEntry succeeds), runs the workload — and what stops it, with file:line.
 *
 * The samples are read where they are and never copied; nothing here is committed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverProjects, prepareScenario, runScenario, type DriverProject, type RunDiagnostic } from '../engine';
import { nodeFiles } from '../extension/shared/nodeFiles';

const REPO = path.resolve(__dirname, '..');

interface Row {
  sample: string;
  project: string;
  compiles: boolean | undefined;
  links: boolean | undefined;
  loads: boolean | undefined;
  runs: boolean | undefined;
  stop: string;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`wds: ${message}\n`);
  process.stderr.write('usage: npm run wds -- <Windows-driver-samples checkout, or its filesys/miniFilter folder> [--out DIR] [--only NAME[,NAME…]]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): { root: string; out?: string; only?: Set<string> } {
  let root: string | undefined;
  let out: string | undefined;
  let only: Set<string> | undefined;
  const names = (v: string) => new Set(v.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== ''));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i] ?? usage('--out needs a folder');
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a === '--only') only = names(argv[++i] ?? usage('--only needs sample names (avscan,scanner)'));
    else if (a.startsWith('--only=')) only = names(a.slice(7));
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (root === undefined) root = a;
    else usage('give one samples folder');
  }
  if (!root) usage();
  return { root: path.resolve(root), out: out === undefined ? undefined : path.resolve(out), ...(only === undefined ? {} : { only }) };
}

/** The folder that holds one folder per minifilter sample. */
function miniFilterFolder(root: string): string {
  for (const candidate of [path.join(root, 'filesys', 'miniFilter'), path.join(root, 'miniFilter'), root]) {
    if (existsSync(candidate) && statSync(candidate).isDirectory() && readdirSync(candidate).some((n) => existsSync(path.join(candidate, n, 'README.md')))) return candidate;
  }
  usage(`${root} holds neither filesys/miniFilter nor sample folders`);
}

const VOLUME = '\\Device\\HarddiskVolume1';

/** Whether the driver queues or pends operations, so a cancel has something to find. */
function pends(project: DriverProject): boolean {
  return project.units.some((u) => /FLT_PREOP_PENDING|FltCbdqInsertIo/.test(nodeFiles.readFile(u) ?? ''));
}

/** Every file under `dir` whose name ends in one of `exts`. */
function filesUnder(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, exts));
    else if (exts.some((e) => name.toLowerCase().endsWith(e))) out.push(p);
  }
  return out;
}

/**
 * The communication ports a sample creates, by the names its sources spell (`L"\\ScannerPort"`),
 * when it calls FltCreateCommunicationPort: its user-mode program connects to each.
 */
function portNames(sampleDir: string, project: DriverProject): string[] {
  if (!project.units.some((u) => /FltCreateCommunicationPort/.test(nodeFiles.readFile(u) ?? ''))) return [];
  const names = new Set<string>();
  for (const f of filesUnder(sampleDir, ['.c', '.h'])) {
    for (const m of (nodeFiles.readFile(f) ?? '').matchAll(/L"\\\\([A-Za-z0-9_]*Port)"/g)) names.add(`\\${m[1]}`);
  }
  return [...names].sort();
}

/**
 * The devices a sample creates with IoCreateDevice (a control device object), by the names its
 * sources spell (`L"\\FileSystem\\Filters\\CdoSample"`): its user-mode side opens and closes each.
 */
function deviceNames(sampleDir: string, project: DriverProject): string[] {
  if (!project.units.some((u) => /\bIoCreateDevice\s*\(/.test(nodeFiles.readFile(u) ?? ''))) return [];
  const names = new Set<string>();
  for (const f of filesUnder(sampleDir, ['.c', '.h'])) {
    for (const m of (nodeFiles.readFile(f) ?? '').matchAll(/L"((?:\\\\(?:FileSystem|Device)(?:\\\\\w+)+))"/g)) names.add(m[1]!.replace(/\\\\/g, '\\'));
  }
  return [...names].sort();
}

/**
 * Registry values a sample's .inf would install (the defaults its README gives), so DriverEntry
 * finds its configuration.
 */
const REGISTRY: Readonly<Record<string, readonly string[]>> = {
  simrep: ['registry "OldMapping" string "\\x\\y"', 'registry "NewMapping" string "\\a\\b"'],
  NameChanger: ['registry "UserMapping" string "\\X\\Y"', 'registry "UserMappingFinalComponentShort" string "Y"', 'registry "RealMapping" string "\\A\\B"'],
};

/**
 * Samples whose user-mode program speaks a protocol of its own: the lines that play it, in place of
 * the program every other sample gets (connect to each port, allow whatever it is asked).
 *
 * avscan's scanner (its user\\userscan.c) connects to the scan and abort ports with an
 * AV_CONNECTION_CONTEXT (Type 1 scan, 2 abort). For each AvMsgStartScanning (kind 0) it replies with
 * its thread id, sends AvCmdCreateSectionForDataScan with the message's ScanId (COMMAND_MESSAGE:
 * Command, ScanId at 8, ScanThreadId at 16, 32 bytes) and gets a section handle back, maps the
 * section and looks for the sample's test pattern, then sends AvCmdCloseSectionForDataScan with the
 * verdict (AvScanResultInfected 1, AvScanResultClean 2). It acknowledges AvMsgFilterUnloading (kind 2)
 * on the abort port.
 */
const PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  avscan: [
    'client "\\MicrosoftAvSampleFilterScanPort" connect context ulong 1 at 0',
    'client "\\MicrosoftAvSampleFilterAbortPort" connect context ulong 2 at 0',
    'client "\\MicrosoftAvSampleFilterScanPort" reply ulong 7 when kind 0',
    'client "\\MicrosoftAvSampleFilterScanPort" then send ulong 1 zeros 4 message 8 8 ulong 7 zeros 12 output 8 when kind 0',
    'client "\\MicrosoftAvSampleFilterScanPort" then scan-section output 0 find "message to be found" infected ulong 1 clean ulong 2 when kind 0',
    'client "\\MicrosoftAvSampleFilterScanPort" then send ulong 2 zeros 4 message 8 8 ulong 7 zeros 4 verdict zeros 4 when kind 0',
    'client "\\MicrosoftAvSampleFilterAbortPort" reply ulong 0 when kind 2',
  ],
};

/**
 * Files and I/O a sample's own workload adds: avscan gets a file its scanner flags and a transaction.
 * Request ids 64 and up: below are the common workload (1–26), device opens (30+) and mappings (40–54).
 */
function extraWorkload(sample: string, v: string): string[] {
  if (sample !== 'avscan') return [];
  return [
    `file "${v}\\docs\\eicar.txt" content "a test file: message to be found, as the scanner knows it"`,
    `io #64 create "${v}\\docs\\eicar.txt" at 24`,
    `io #65 create "${v}\\docs\\report.txt" at 25`,
    `io #66 cleanup "${v}\\docs\\report.txt" at 26`,
    `io #67 close "${v}\\docs\\report.txt" at 27`,
    // A file written in a transaction, opened again outside it before the commit.
    `io #68 create "${v}\\docs\\tx.txt" disposition create transaction "T1" at 28`,
    `io #69 write "${v}\\docs\\tx.txt" data "written in T1" at 29`,
    `io #70 cleanup "${v}\\docs\\tx.txt" at 30`,
    `io #71 close "${v}\\docs\\tx.txt" at 31`,
    `io #72 create "${v}\\docs\\tx.txt" at 32`,
    'transaction "T1" commit at 33',
    `io #73 cleanup "${v}\\docs\\tx.txt" at 34`,
    `io #74 close "${v}\\docs\\tx.txt" at 35`,
  ];
}

/**
 * What a user of a mapping sample does with the mapping beyond opening a file through it
 * (NameChanger shows \\A\\B's files as \\X\\Y): list the virtual folder, list the folder that holds
 * it (the sample adds the virtual entry) and the one that holds the real folder (the sample hides
 * it), read a file through its virtual name, ask its name, rename it inside the virtual folder, and
 * watch the folder holding the virtual one for changes while a file is created in it.
 */
function mappingWorkload(sample: string, v: string): string[] {
  if (sample !== 'NameChanger') return [];
  return [
    `io #40 create "${v}\\x\\y" directory at 24`,
    `io #41 query-dir "${v}\\x\\y" class FileBothDirectoryInformation at 25`,
    `io #42 create "${v}\\x" directory at 26`,
    `io #43 query-dir "${v}\\x" class FileBothDirectoryInformation at 27`,
    `io #44 create "${v}\\A" directory at 28`,
    `io #45 query-dir "${v}\\A" class FileIdBothDirectoryInformation at 29`,
    `io #46 read "${v}\\x\\y\\inside.txt" length 64 offset 0 at 30`,
    `io #47 query-info "${v}\\x\\y\\inside.txt" class FileNameInformation at 31`,
    `io #48 set-info "${v}\\x\\y\\inside.txt" class FileRenameInformation to "${v}\\x\\y\\moved.txt" at 32`,
    `io #49 create "${v}\\x\\y\\moved.txt" at 33`,
    `io #50 read "${v}\\x\\y\\moved.txt" length 64 offset 0 at 34`,
    // A program watching the folder that holds the virtual one, and all below it (NameChanger
    // watches the real folder for it): a file created in the virtual folder completes the first
    // change notification, the handle's cleanup the second.
    `io #51 notify-dir "${v}\\x" changes name size watch-tree async at 35`,
    `io #52 create "${v}\\x\\y\\late.txt" disposition create at 36`,
    `io #53 notify-dir "${v}\\x" async at 37`,
    `io #54 cleanup "${v}\\x" at 38`,
  ];
}

/**
 * Samples attached by hand (fltmc attach) before the workload: simrep and NameChanger decline
 * automatic attachment; MetadataManager creates its metadata file only on a manual attachment
 * (automatic ones need the file to exist already).
 */
const MANUAL_ATTACH = new Set(['simrep', 'NameChanger', 'MetadataManager']);

/**
 * An ordinary workload on a volume with real files: opens, a write and reads of content, a size
 * query, a folder listing, a new file created and renamed, a file deleted by disposition, cleanup
 * and close, an open down a path the mapping samples redirect, an open of the volume itself (DASD),
 * a cancel if the sample pends, and an unload at the end; a user-mode program on each communication port, and an open and close of
 * each control device object.
 */
function scenarioText(sample: string, project: DriverProject, sampleDir: string): string {
  const proj = project.source.kind === 'vcxproj' ? project.source.file : project.units[0];
  const v = VOLUME;
  const lines = [
    `scenario "${sample}: open, write, read, query, list, create, rename and delete files, then unload"`,
    `driver "${proj.replace(/\\/g, '/')}"`,
    ...(REGISTRY[sample] ?? []),
    // The sample's user-mode program: it connects to each port and allows whatever it is asked about.
    ...(PROGRAMS[sample] ?? portNames(sampleDir, project).flatMap((port) => [`client "${port}" connect at 0`, `client "${port}" reply hex "01"`])),
    `volume "${v}"`,
    `file "${v}\\docs\\report.txt" content "Quarterly report: the numbers went up."`,
    `file "${v}\\docs\\notes.doc" size 1024`,
    `file "${v}\\docs\\old.log" content "yesterday"`,
    // The mapping samples (simrep, NameChanger) expect their real folder and the parent of the virtual one.
    `file "${v}\\a\\b\\inside.txt" content "real place"`,
    `file "${v}\\A\\B" folder`,
    `file "${v}\\x" folder`,
    // Samples that only attach when asked (fltmc attach) get a manual attachment first.
    ...(MANUAL_ATTACH.has(sample) ? [`attach ${project.name} "${v}" at 0`] : []),
    `io #1 create "${v}\\docs\\report.txt" at 1`,
    `io #2 write "${v}\\docs\\report.txt" data "Revised. " offset 0 at 2`,
    `io #3 read "${v}\\docs\\report.txt" length 4096 offset 0 at 3`,
    `io #4 query-info "${v}\\docs\\report.txt" class FileStandardInformation at 4`,
    `io #5 create "${v}\\docs\\notes.doc" at 5`,
    `io #6 read "${v}\\docs\\notes.doc" length 1024 offset 0 at 6`,
    `io #7 create "${v}\\docs" directory at 7`,
    `io #8 query-dir "${v}\\docs" class FileBothDirectoryInformation at 8`,
    `io #9 create "${v}\\docs\\new.txt" disposition create at 9`,
    `io #10 write "${v}\\docs\\new.txt" data "fresh" at 10`,
    `io #11 set-info "${v}\\docs\\new.txt" class FileRenameInformation to "${v}\\docs\\renamed.txt" at 11`,
    `io #12 create "${v}\\docs\\old.log" at 12`,
    `io #13 set-info "${v}\\docs\\old.log" class FileDispositionInformation delete at 13`,
    `io #14 cleanup "${v}\\docs\\old.log" at 14`,
    `io #15 close "${v}\\docs\\old.log" at 15`,
    `io #16 cleanup "${v}\\docs\\report.txt" at 16`,
    `io #17 close "${v}\\docs\\report.txt" at 17`,
    `io #18 create "${v}\\x\\y\\inside.txt" at 18`,
    // A program opens the volume itself sharing only reads (a DASD open that implies a volume lock,
    // as chkdsk's does): MetadataManager closes its metadata file until the handle's cleanup.
    `io #24 create "${v}" share read at 24`,
    `io #25 cleanup "${v}" at 25`,
    `io #26 close "${v}" at 26`,
  ];
  deviceNames(sampleDir, project).forEach((dev, i) => {
    const n = 30 + 3 * i;
    lines.push(`io #${n} create "${dev}" at 21`, `io #${n + 1} cleanup "${dev}" at 22`, `io #${n + 2} close "${dev}" at 23`);
  });
  lines.push(...extraWorkload(sample, v));
  lines.push(...mappingWorkload(sample, v));
  if (pends(project)) lines.push(`io #19 read "${v}\\docs\\notes.doc" length 512 offset 0 at 19`, 'cancel #19 at 20');
  lines.push('unload at 40', '');
  return lines.join('\n');
}

/** `file:line: ` relative to the samples folder, or '' when the problem has no place. */
function where(d: { file?: string; line?: number }, root: string): string {
  if (!d.file) return '';
  const rel = d.file.startsWith('<') ? d.file : path.relative(root, d.file).split(path.sep).join('/');
  return `${d.line !== undefined ? `${rel}:${d.line}` : rel}: `;
}

function firstError(diags: readonly RunDiagnostic[], stage: RunDiagnostic['stage'], root: string): string | undefined {
  const d = diags.find((x) => x.severity === 'error' && x.stage === stage);
  return d ? `${where(d, root)}${d.message}` : undefined;
}

async function runSample(sample: string, project: DriverProject, outDir: string, root: string): Promise<Row> {
  const row: Row = { sample, project: project.name, compiles: undefined, links: undefined, loads: undefined, runs: undefined, stop: '' };
  const scenarioPath = path.join(outDir, `${sample}.fltsim`);
  const anchor = project.source.kind === 'vcxproj' ? project.source.file : project.units[0]!;
  const sampleDir = path.join(root, path.relative(root, anchor).split(path.sep)[0]!);
  writeFileSync(scenarioPath, scenarioText(sample, project, sampleDir));
  const prepared = await prepareScenario(scenarioPath, nodeFiles);
  if (!prepared.ok) {
    const d = prepared.diagnostics;
    const compileError = firstError(d, 'compile', root);
    const linkError = firstError(d, 'link', root);
    const other = firstError(d, 'scenario', root) ?? firstError(d, 'project', root);
    row.compiles = other ? undefined : compileError === undefined;
    row.links = other ? undefined : linkError === undefined;
    row.stop = other ?? compileError ?? linkError ?? 'prepare failed';
    const count = d.filter((x) => x.severity === 'error').length;
    if (count > 1) row.stop += ` (+${count - 1} more)`;
    return row;
  }
  row.compiles = true;
  row.links = true;
  const { report, timeline } = runScenario(prepared.prepared, { stepBudget: 5_000_000 });
  const load = timeline.find((e) => e.kind === 'driver-load' && /loaded|failed to load/.test(e.detail));
  const fault = report.error ?? undefined;
  row.loads = load ? /loaded \(/.test(load.detail) : false;
  if (!row.loads) {
    row.runs = false;
    row.stop = fault ? `${where(fault, root)}${brief(fault.message)}` : load ? load.detail : 'DriverEntry did not return';
    return row;
  }
  const unfinished = report.ios.filter((io) => io.state !== 'done' && io.state !== 'completed' && io.state !== 'cancelled');
  row.runs = !fault && unfinished.length === 0;
  if (fault) row.stop = `${where(fault, root)}${brief(fault.message)}`;
  else if (unfinished.length > 0) row.stop = `io ${unfinished.map((io) => `#${io.id} ${io.state}`).join(', ')}`;
  else if (report.violations.length > 0) row.stop = `runs; violations: ${[...new Set(report.violations.map((v) => v.rule))].join(', ')}`;
  return row;
}

/** A run fault's message without its hint (after ' — '): the table says what stops a sample, not how to fix it. */
function brief(message: string): string {
  const dash = message.indexOf(' — ');
  return dash < 0 ? message : message.slice(0, dash);
}

function cell(v: boolean | undefined): string {
  return v === undefined ? '—' : v ? 'yes' : 'no';
}

function table(rows: Row[]): string {
  const head = ['sample', 'compiles', 'links', 'loads', 'runs the workload', 'what stops it'];
  const body = rows.map((r) => [r.project === r.sample ? r.sample : `${r.sample} (${r.project})`, cell(r.compiles), cell(r.links), cell(r.loads), cell(r.runs), r.stop.replace(/\|/g, '\\|').replace(/\s+/g, ' ')]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { root, out, only } = parseArgs(process.argv.slice(2));
  const samples = miniFilterFolder(root);
  const outDir = out ?? mkdtempSync(path.join(tmpdir(), 'fltsim-wds-'));
  const rel = path.relative(REPO, outDir);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) usage(`the output folder ${outDir} is inside the repository; choose one outside it`);
  mkdirSync(outDir, { recursive: true });
  process.stdout.write(`Scenarios are written to ${outDir}\n\n`);
  const rows: Row[] = [];
  for (const sample of readdirSync(samples).sort((a, b) => a.localeCompare(b))) {
    const dir = path.join(samples, sample);
    if (!statSync(dir).isDirectory()) continue;
    if (only !== undefined && !only.has(sample.toLowerCase())) continue;
    const found = discoverProjects(nodeFiles, dir);
    const drivers = found.projects.filter((p) => p.source.kind === 'vcxproj');
    if (drivers.length === 0) {
      rows.push({ sample, project: sample, compiles: undefined, links: undefined, loads: undefined, runs: undefined, stop: 'no kernel-mode .vcxproj found' });
      continue;
    }
    for (const project of drivers) {
      try {
        rows.push(await runSample(drivers.length > 1 ? `${sample}-${project.name}` : sample, project, outDir, samples));
      } catch (err) {
        // A crash of fltsim itself is a finding too: say so in the table rather than stop.
        rows.push({ sample, project: project.name, compiles: undefined, links: undefined, loads: undefined, runs: undefined, stop: `fltsim failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  }
  const text = table(rows);
  writeFileSync(path.join(outDir, 'summary.md'), `${text}\n`);
  process.stdout.write(`${text}\n\n`);
  const all = rows.length;
  const count = (k: keyof Row) => rows.filter((r) => r[k] === true).length;
  process.stdout.write(`${all} samples: ${count('compiles')} compile, ${count('links')} link, ${count('loads')} load, ${count('runs')} run the workload. Summary in ${path.join(outDir, 'summary.md')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`wds: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
