/**
 * The text of a starter scenario for one driver: a volume with files (some where the driver's own
 * literals point), I/O that reaches each major function the driver registers, a user-mode program
 * on each port it creates, an open of each device, and an unload, with comments that say what each
 * part is for and what to change. Deterministic: the same facts give the same bytes.
 */
import { IO_OPS } from '../scenario/vocabulary';
import type { DriverFacts, OperationCallbacks } from './facts';

export const STARTER_VOLUME = '\\Device\\HarddiskVolume1';

/** Major functions an `io` line can issue; the others a filter registers are named in the header as not reached. */
const ISSUED: ReadonlySet<string> = new Set(Object.values(IO_OPS));

/** FSCTL_IS_VOLUME_MOUNTED and IOCTL_DISK_GET_DRIVE_GEOMETRY: requests without input that any volume may get. */
const FSCTL_CODE = '0x90028';
const IOCTL_CODE = '0x70000';

export interface ComposeOptions {
  /** The `driver` line's paths, relative to the scenario's folder, with forward slashes. */
  driverPaths: readonly string[];
  /** How the project was named on the command line, for the header (`filter/scanner.vcxproj`). */
  projectLabel: string;
}

/** A scenario string: backslashes are kept as written, except a pair or one before a quote (docs/scenario-format.md). */
function str(s: string): string {
  return `"${s.replace(/\\(?=\\|"|$)/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function describe(op: OperationCallbacks): string {
  const parts = [op.pre ? `pre ${op.pre}` : '', op.post ? `post ${op.post}` : ''].filter(Boolean);
  return `${op.major} (${parts.join(', ')})`;
}

/** Wraps `items` after `prefix` into comment lines no longer than about 100 columns. */
function wrapped(prefix: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = `// ${prefix}`;
  const indent = `//${' '.repeat(prefix.length + 1)}`;
  items.forEach((item, i) => {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + piece.length + 1 > 100 && line.trim() !== `// ${prefix}`.trim()) {
      lines.push(line);
      line = `${indent}${piece}`;
    } else {
      line += `${line.endsWith(' ') ? '' : ' '}${piece}`;
    }
  });
  lines.push(line);
  return lines;
}

class Workload {
  readonly lines: string[] = [];
  private id = 0;
  private tick = 0;

  comment(...text: string[]): void {
    this.lines.push('', ...text.map((t) => `// ${t}`));
  }

  io(rest: string): number {
    this.id++;
    this.tick++;
    this.lines.push(`io #${this.id} ${rest} at ${this.tick}`);
    return this.id;
  }

  /** Ticks used so far: the next free one is `now + 1`. */
  get now(): number {
    return this.tick;
  }

  wait(ticks: number): void {
    this.tick += ticks;
  }
}

export function composeStarter(facts: DriverFacts, options: ComposeOptions): string {
  const v = STARTER_VOLUME;
  const at = (p: string) => `${v}${p}`;
  const majors = new Set(facts.operations.map((o) => o.major));
  const has = (m: string) => majors.has(m);
  const lit = facts.literals;
  const unreached = facts.operations.filter((o) => !ISSUED.has(o.major));

  const head: string[] = [
    `// A starter scenario for the minifilter "${facts.name}", written by \`fltsim init\` from ${options.projectLabel}.`,
    '// It loads the driver, gives it a volume with a few files, sends I/O that reaches each operation',
    '// the driver registers, plays the user-mode side of its ports and devices, and unloads it.',
    '// Everything below is yours to change: docs/scenario-format.md describes every line.',
    '//   run it:    fltsim run <this file>         (or "fltsim: Run Scenario" in VS Code)',
    '//   debug it:  "fltsim: Debug Scenario", with breakpoints in the driver\'s .c files',
    '//',
    '// What fltsim read from the driver:',
  ];
  if (facts.registration) head.push(`//   FLT_REGISTRATION ${facts.registration.name}`);
  head.push(...wrapped('  operations: ', facts.operations.length > 0 ? facts.operations.map(describe) : ['none registered']));
  if (facts.callbacks.length > 0) head.push(...wrapped('  callbacks: ', facts.callbacks.map((c) => `${c.field} ${c.fn}`)));
  if (facts.contexts.length > 0) head.push(...wrapped('  contexts: ', facts.contexts));
  if (lit.ports.length > 0) head.push(...wrapped('  ports: ', lit.ports));
  if (lit.devices.length > 0) head.push(...wrapped('  devices: ', lit.devices));
  if (lit.paths.length + lit.fileNames.length > 0) head.push(...wrapped('  paths and names in its strings: ', [...lit.paths, ...lit.fileNames]));
  if (lit.extensions.length > 0) head.push(...wrapped('  extensions in its strings: ', lit.extensions));
  if (unreached.length > 0) {
    head.push(...wrapped('  not reached here (a scenario cannot issue these yet): ', unreached.map((o) => o.major)));
  }

  if (facts.cppOnly) {
    head.push('//', '// Its sources are C++: fltsim runs the subset kernel drivers use (docs/interpreter.md, "C++");', '// a construct outside it stops the run at its line, naming it.');
  }
  const out: string[] = [...head, '', `scenario ${str(`${facts.name}: starter workload`)}`, `driver ${options.driverPaths.map(str).join(' ')}`];

  if (facts.registryValues.length > 0) {
    // Commented out: a made-up value can break a driver that trusts its .inf (a REG_SZ where it
    // walks a REG_MULTI_SZ), while a missing one takes the path the driver has for it.
    out.push(
      '',
      '// The driver reads these values under its service key (found where it reads the registry). Each',
      '// reads as "not found" until you give it: uncomment a line and set what your .inf installs.',
      ...facts.registryValues.map((r) => {
        if (r.type === 'dword') return `// registry ${str(r.name)} dword 1`;
        if (r.type === 'string') return `// registry ${str(r.name)} string ${str(`\\docs\\${r.name.toLowerCase()}`)}`;
        return `// ${str(r.name)} is read as REG_MULTI_SZ, which a registry line cannot give yet`;
      }),
    );
  } else if (facts.readsRegistry) {
    out.push(
      '',
      '// The driver reads its service key. Give it the values its .inf installs, for example:',
      '//   registry "SomeValue" dword 1',
      '//   registry "SomeName" string "text"',
      '// A value no line gives reads as "not found", as on a machine where the .inf did not set it.',
    );
  }

  // Files: a few ordinary ones, then one where each of the driver's literals points.
  const files: string[] = [
    '',
    '// The volume below the filter and the files on it. Folders on the way to a file exist.',
    `volume ${str(v)}`,
    `file ${str(at('\\docs\\report.txt'))} content "Quarterly report: the numbers went up."`,
    `file ${str(at('\\docs\\notes.txt'))} content "notes"`,
    `file ${str(at('\\docs\\old.log'))} content "yesterday"`,
    ...(facts.usesTransactions ? [`file ${str(at('\\docs\\draft.txt'))} content "a draft deleted in a transaction"`] : []),
  ];
  const literalFiles: string[] = [];
  const exts = lit.extensions;
  for (const e of exts) literalFiles.push(`\\docs\\sample.${e}`);
  for (const n of lit.fileNames) literalFiles.push(`\\docs\\${n}`);
  for (const p of lit.paths) {
    const last = p.slice(p.lastIndexOf('\\') + 1);
    literalFiles.push(/\.[A-Za-z0-9]{1,6}$/.test(last) ? p : `${p}\\sample.${exts[0] ?? 'txt'}`);
  }
  const declared = new Set(['\\docs\\report.txt', '\\docs\\notes.txt', '\\docs\\old.log'].map((p) => p.toLowerCase()));
  const extra = literalFiles.filter((p) => {
    const key = p.toLowerCase();
    if (declared.has(key) || [...declared].some((d) => d.startsWith(`${key}\\`) || key.startsWith(`${d}\\`))) return false;
    declared.add(key);
    return true;
  });
  if (extra.length > 0) {
    files.push('// Files where the strings in the driver point: the names, folders and extensions it compares with.');
    for (const p of extra) files.push(`file ${str(at(p))} content "content of ${p.slice(p.lastIndexOf('\\') + 1).replace(/"/g, '')}"`);
  }
  // A driver that treats removable media apart gets a USB stick too, or it may never attach at all.
  const usb = '\\Device\\HarddiskVolume2';
  const usbFile = `${usb}\\docs\\usb.txt`;
  if (facts.looksAtRemovable) {
    files.push(
      '// A removable FAT volume (a USB stick): the driver tells removable media apart, and may attach',
      '// to it only, or to everything else only.',
      `volume ${str(usb)} fs fat removable`,
      `file ${str(usbFile)} content "on the stick"`,
    );
  }
  out.push(...files);

  // A driver with process notify routines sees programs start and exit, so even one that names none gets one.
  const images = facts.watchesProcesses && lit.images.length === 0 ? ['sample.exe'] : lit.images;
  /** Where the process lines go: they are written after the workload, which gives their start and exit ticks. */
  const processAt = out.length;
  const lifetimes = new Map<string, { start: number; exit: number }>();

  if (lit.ports.length > 0) {
    out.push(
      '',
      '// The user-mode program on each communication port: it connects before any I/O and answers every',
      '// message the driver sends with one byte, 1 (many scanners read a BOOLEAN "allow" there). Make the',
      '// reply what your program answers; "when kind N" picks messages by their first ULONG. To call the',
      '// driver\'s MessageNotify, add a send with your command\'s bytes, e.g.',
      `//   client ${str(lit.ports[0]!)} send ulong 0 output 1024 at 30`,
    );
    for (const p of lit.ports) out.push(`client ${str(p)} connect at 0`, `client ${str(p)} reply hex "01"`);
  }

  if (facts.asksManualAttach) {
    out.push(
      '',
      '// The instance setup tells manual attachments from automatic ones; attach the filter by hand',
      '// (as "fltmc attach" does) so it sees the volume either way.',
      `attach ${facts.name} ${str(v)} at 0`,
    );
  }

  const w = new Workload();
  const report = at('\\docs\\report.txt');
  w.comment('An existing file: open, write, read and query it, then close the handle.');
  w.io(`create ${str(report)}`);
  w.io(`write ${str(report)} data "Revised. " offset 0`);
  w.io(`read ${str(report)} length 4096 offset 0`);
  w.io(`query-info ${str(report)} class FileStandardInformation`);
  if (has('IRP_MJ_FLUSH_BUFFERS')) w.io(`flush ${str(report)}`);
  if (has('IRP_MJ_FILE_SYSTEM_CONTROL')) w.io(`fsctl ${str(report)} code ${FSCTL_CODE} length 0`);
  if (has('IRP_MJ_DEVICE_CONTROL')) w.io(`ioctl ${str(report)} code ${IOCTL_CODE} length 24`);
  w.io(`cleanup ${str(report)}`);
  w.io(`close ${str(report)}`);

  for (const img of images) {
    w.comment(facts.watchesProcesses ? `${img} starts (the process notify routines run), opens the same file, and exits.` : `The same file opened by ${img}.`);
    const start = w.now + 1;
    if (facts.watchesProcesses) w.wait(1);
    w.io(`create ${str(report)} process ${str(img)}`);
    w.io(`read ${str(report)} length 4096 offset 0 process ${str(img)}`);
    w.io(`cleanup ${str(report)} process ${str(img)}`);
    w.io(`close ${str(report)} process ${str(img)}`);
    if (facts.watchesProcesses) {
      w.wait(1);
      lifetimes.set(img, { start, exit: w.now });
    }
  }

  const docs = at('\\docs');
  w.comment('A folder listing (IRP_MJ_DIRECTORY_CONTROL).');
  w.io(`create ${str(docs)} directory`);
  w.io(`query-dir ${str(docs)} class FileBothDirectoryInformation`);
  if (facts.watchesDirectories) {
    w.comment('A program waits for changes in the folder; the file created next completes its wait.');
    w.io(`notify-dir ${str(docs)} changes name size async`);
  }

  const created = at('\\docs\\new.txt');
  w.comment('A new file, written and renamed (IRP_MJ_SET_INFORMATION, FileRenameInformation).');
  w.io(`create ${str(created)} disposition create`);
  w.io(`write ${str(created)} data "fresh"`);
  w.io(`set-info ${str(created)} class FileRenameInformation to ${str(at('\\docs\\renamed.txt'))}`);
  const renamed = at('\\docs\\renamed.txt');
  w.io(`cleanup ${str(renamed)}`);
  w.io(`close ${str(renamed)}`);
  w.io(`cleanup ${str(docs)}`);
  w.io(`close ${str(docs)}`);

  const old = at('\\docs\\old.log');
  w.comment('A file deleted (FileDispositionInformation): it goes at its last cleanup.');
  w.io(`create ${str(old)}`);
  w.io(`set-info ${str(old)} class FileDispositionInformation delete`);
  w.io(`cleanup ${str(old)}`);
  w.io(`close ${str(old)}`);
  const temp = at('\\docs\\scratch.tmp');
  w.comment('A temporary file opened with FILE_DELETE_ON_CLOSE: it goes when its handle is closed.');
  w.io(`create ${str(temp)} disposition create delete-on-close`);
  w.io(`cleanup ${str(temp)}`);
  w.io(`close ${str(temp)}`);

  w.comment('The volume itself opened, as chkdsk or a backup program does (a DASD open: the only kind of', 'create a callback registered with FLTFL_OPERATION_REGISTRATION_SKIP_NON_DASD_IO sees).');
  w.io(`create ${str(v)} share read`);
  if (has('IRP_MJ_FILE_SYSTEM_CONTROL')) w.io(`fsctl ${str(v)} code ${FSCTL_CODE} length 0`);
  if (has('IRP_MJ_DEVICE_CONTROL')) w.io(`ioctl ${str(v)} code ${IOCTL_CODE} length 24`);
  w.io(`cleanup ${str(v)}`);
  w.io(`close ${str(v)}`);

  if (facts.usesTransactions) {
    const tx = at('\\docs\\tx.txt');
    w.comment('The driver enlists in transactions: a file written in transaction T1, which then commits', '(its TransactionNotificationCallback hears of it). Write "rollback" to see the other ending.');
    w.io(`create ${str(tx)} disposition create transaction "T1"`);
    w.io(`write ${str(tx)} data "written in T1"`);
    w.io(`cleanup ${str(tx)}`);
    w.io(`close ${str(tx)}`);
    const draft = at('\\docs\\draft.txt');
    w.io(`create ${str(draft)} transaction "T1"`);
    w.io(`set-info ${str(draft)} class FileDispositionInformation delete`);
    w.io(`cleanup ${str(draft)}`);
    w.io(`close ${str(draft)}`);
    w.lines.push(`transaction "T1" commit at ${w.now + 1}`);
    w.wait(1);
  }

  if (extra.length > 0) {
    w.comment('The files the driver\'s strings point at: open, read, write, close.');
    for (const p of extra) {
      const f = at(p);
      w.io(`create ${str(f)}`);
      w.io(`read ${str(f)} length 512 offset 0`);
      w.io(`write ${str(f)} data "changed" offset 0`);
      w.io(`cleanup ${str(f)}`);
      w.io(`close ${str(f)}`);
    }
  }

  if (facts.looksAtRemovable) {
    w.comment('A file on the USB stick: open, write, read, close.');
    w.io(`create ${str(usbFile)}`);
    w.io(`write ${str(usbFile)} data "copied" offset 0`);
    w.io(`read ${str(usbFile)} length 512 offset 0`);
    w.io(`cleanup ${str(usbFile)}`);
    w.io(`close ${str(usbFile)}`);
  }

  if (lit.devices.length > 0) {
    w.comment('A program opens and closes each device the driver creates (IoCreateDevice): the driver\'s', 'dispatch routines get these as IRPs. Add "ioctl" lines with your control codes to go further.');
    for (const d of lit.devices) {
      w.io(`create ${str(d)}`);
      w.io(`cleanup ${str(d)}`);
      w.io(`close ${str(d)}`);
    }
  }

  if (facts.pends) {
    const notes = at('\\docs\\notes.txt');
    w.comment('The driver pends or queues operations: a read that a program cancels one tick later.');
    const id = w.io(`read ${str(notes)} length 512 offset 0 async`);
    w.lines.push(`cancel #${id} at ${w.now + 1}`);
    w.wait(1);
  }

  if (images.length > 0) {
    const life = (img: string) => {
      const l = lifetimes.get(img);
      return l ? ` start at ${l.start} exit at ${l.exit}` : '';
    };
    out.splice(processAt, 0, '', facts.watchesProcesses
      ? '// Programs the driver names: it registers process notify routines, so each one starts and exits during the workload (a routine that denies the start leaves its I/O outside its lifetime: a warning).'
      : '// Programs the driver names: it asks which process is calling, so each one opens a file below.',
    ...images.map((img, i) => `process ${str(img)} pid ${1200 + 4 * i}${life(img)}`));
  }
  out.push(...w.lines);
  const end = w.now + 5;
  if (lit.ports.length > 0) {
    out.push('', '// The program closes its connection (DisconnectNotify) before the driver is unloaded.');
    for (const p of lit.ports) out.push(`client ${str(p)} disconnect at ${end - 1}`);
  }
  out.push(
    '',
    '// The unload: FilterUnloadCallback, then each instance\'s teardown.',
    `unload at ${end}`,
    '',
    '// What must hold after the run. Add your own, for example:',
    '//   expect #1 status STATUS_SUCCESS        the open of report.txt succeeds',
    facts.operations[0]?.pre ? `//   expect calls ${facts.operations[0].pre} 1     how often a callback ran` : '//   expect calls SomeCallback 1            how often a function ran',
    '//   expect output "text"                   a DbgPrint line',
    'expect no violations',
    '',
  );
  return out.join('\n');
}
