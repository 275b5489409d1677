/**
 * Parsers for the statements that describe the run: title, drivers, defines, the workload (io,
 * cancel, unload) and the environment (seed, processors, workers, files); registry lines are
 * registryStatement.ts's.
 * `expect` lines live in expectStatement.ts. Each parser reads one line after its keyword.
 */
import type {
  AttachStatement,
  CancelStatement,
  DefineStatement,
  DriverPath,
  DriverSourceKind,
  DriverStatement,
  FileStatement,
  IoStatement,
  LimitStatement,
  ProcessorsStatement,
  SeedStatement,
  Span,
  TitleStatement,
  UnloadStatement,
  VolumeStatement,
  WorkersStatement,
} from './ast';
import { LIMIT_INFO, LIMIT_NAMES, isLimitName } from '../limits';
import { LIMITS, LineCursor, readInteger, readIoRef, readString, readTime, spanOf } from './cursor';
import type { Token } from './lexer';
import { readBytes } from './payload';
import { didYouMean } from './suggest';
import {
  C_IDENTIFIER,
  CREATE_DISPOSITIONS,
  CREATE_DISPOSITION_NAMES,
  FILE_OPTION_NAMES,
  FILE_SYSTEM_WORDS,
  VOLUME_OPTION_NAMES,
  type CreateDisposition,
  CREATE_ACCESS_NAMES,
  SHARE_MODE_NAMES,
  type CreateAccess,
  type ShareMode,
  type FileSystemWord,
  IO_FLAGS,
  IO_FLAG_NAMES,
  IO_OPS,
  IO_OPTIONS,
  IO_OPTION_NAMES,
  IO_OP_NAMES,
  MODULE_NAME,
  NOTIFY_CHANGES,
  NOTIFY_CHANGE_NAMES,
  PAYLOAD_WORDS,
  WORKER_QUEUES,
  appliesTo,
  type IoFlag,
  type IoOp,
  type IoOption,
  type NotifyChange,
} from './vocabulary';

/** The word after option `t` that must be one of `names` (`share read`), or undefined after reporting why not. */
function readWord(cur: LineCursor, t: Token, what: string, names: readonly string[]): string | undefined {
  const v = cur.next();
  if (v && v.kind === 'word' && names.includes(v.value)) return v.value;
  const example = `io #1 create "\\Device\\HarddiskVolume1\\a.txt" ${t.value} ${names[0]}`;
  if (!v) cur.error(t, 'missing-value', `missing ${what} after '${t.raw}'`, `Write one of ${names.join(', ')}: ${example}`);
  else cur.error(v, 'bad-name', `unknown ${what} '${v.raw}'${v.kind === 'word' ? didYouMean(v.value, names) : ''}`, `Write one of ${names.join(', ')}: ${example}`);
  return undefined;
}

function base(cur: LineCursor): Span & { text: string } {
  return { ...cur.statementSpan(), text: cur.codeText() };
}

/** `pendfilter` for `pendfilter.c`, `sub/counting.c`, `sub\counting.c` or a folder `sub/pendfilter/`. */
export function moduleNameOf(driverPath: string): string {
  const file = driverPath.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? driverPath;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

export function parseTitle(cur: LineCursor): TitleStatement | undefined {
  const title = readString(cur, 'scenario title', 'scenario "Pend reads and complete them from a worker"');
  if (!title || !cur.expectEnd('the scenario title')) return undefined;
  return { kind: 'scenario', ...base(cur), title: title.value };
}

/** How a driver path is read: by its extension, without looking at the disk. */
function driverPathKind(p: string): DriverSourceKind | 'header' | 'other-source' {
  const ext = /\.([A-Za-z0-9]+)$/.exec(p.replace(/[\\/]+$/, ''))?.[1]?.toLowerCase();
  if (ext === 'c' || ext === 'cpp' || ext === 'cc' || ext === 'cxx') return 'files';
  if (ext === 'vcxproj') return 'vcxproj';
  if (ext === 'h') return 'header';
  if (ext === 'sln') return 'other-source';
  return 'folder';
}

export function parseDriver(cur: LineCursor): DriverStatement | undefined {
  const first = readString(cur, 'driver path', 'driver "pendfilter.c"');
  if (!first) return undefined;
  const paths: DriverPath[] = [{ path: first.value, span: first.span }];
  while (cur.peek()?.kind === 'string') {
    const t = cur.next()!;
    paths.push({ path: t.value, span: spanOf(t) });
  }
  let source: DriverSourceKind | undefined;
  for (const p of paths) {
    if (p.path.trim() === '') {
      return cur.error(p.span, 'missing-string', 'the driver path is empty', 'Name the driver\'s C file, project or folder, relative to this scenario: driver "pendfilter.c"');
    }
    const kind = driverPathKind(p.path);
    if (kind === 'header') return cur.error(p.span, 'bad-driver', `"${p.path}" is a header; a driver is built from .c files`, 'List the .c files (driver "a.c" "b.c"), or name the .vcxproj or the folder; headers are found through #include.');
    if (kind === 'other-source') return cur.error(p.span, 'bad-driver', `"${p.path}" is a solution; a driver line names source files, a .vcxproj or a folder`, 'Name the driver\'s .c/.cpp files, its .vcxproj, or its folder.');
    if (paths.length > 1 && kind !== 'files') {
      return cur.error(p.span, 'bad-driver', `"${p.path}" cannot share a driver line with other paths`, 'A driver line names one .vcxproj, one folder, or one or more .c files: driver "a.c" "b.c".');
    }
    source = kind;
  }
  // Windows names one file however it is spelled: a second spelling would be compiled twice and
  // collide with itself at link time, so it is named here, at its own column.
  const seen = new Set<string>();
  for (const p of paths) {
    const key = p.path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').toLowerCase();
    if (seen.has(key)) return cur.error(p.span, 'bad-driver', `"${p.path}" is listed twice on this driver line`, 'Name each source file once: driver "a.c" "b.c".');
    seen.add(key);
  }
  let altitude: number | undefined;
  const word = cur.peek();
  if (word && word.kind === 'word' && word.value === 'altitude') {
    cur.next();
    const value = cur.next();
    if (!value) return cur.error(word, 'missing-value', "missing number after 'altitude'", 'Give the filter\'s altitude: driver "counting.c" altitude 320000');
    if (value.kind !== 'word' || !/^[0-9]+(\.[0-9]+)?$/.test(value.value) || Number(value.value) <= 0) {
      return cur.error(value, 'bad-number', `bad altitude '${value.raw}'`, 'Altitudes are positive decimal numbers such as 320000 or 385100.5.');
    }
    altitude = Number(value.value);
  }
  if (!cur.expectEnd('the driver')) return undefined;
  const moduleCandidates = source === 'files' ? paths.map((p) => moduleNameOf(p.path)) : [moduleNameOf(first.value)];
  const stmt: DriverStatement = {
    kind: 'driver', ...base(cur), source: source ?? 'files', paths, path: first.value, pathSpan: first.span, module: moduleCandidates[0], moduleCandidates,
  };
  if (altitude !== undefined) stmt.altitude = altitude;
  return stmt;
}

export function parseDefine(cur: LineCursor): DefineStatement | undefined {
  const name = cur.next();
  if (!name) return cur.error(cur.whereMissing(), 'missing-value', 'missing macro name', 'Write the name and an optional value: define COMPLETE_MODE 2');
  if (name.kind !== 'word' || !C_IDENTIFIER.test(name.value)) {
    return cur.error(name, 'bad-name', `'${name.raw}' is not a macro name`, 'Macro names are C identifiers (letters, digits, _; not starting with a digit): define COMPLETE_MODE 2');
  }
  // The value is the rest of the code as written, like the text after '=' in -DNAME=value.
  const rest = cur.lexed.text.slice(name.endColumn - 1, cur.lexed.codeEnd).trim();
  while (!cur.atEnd()) cur.next();
  return { kind: 'define', ...base(cur), name: name.value, nameSpan: spanOf(name), value: rest === '' ? '1' : rest };
}

const IO_EXAMPLE = 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 4096 at 0';

export function parseIo(cur: LineCursor): IoStatement | undefined {
  const id = readIoRef(cur, IO_EXAMPLE);
  if (!id) return undefined;
  const opToken = cur.next();
  if (!opToken) return cur.error(cur.whereMissing(), 'missing-value', 'missing operation', `Name the operation (${IO_OP_NAMES.join(', ')}): ${IO_EXAMPLE}`);
  if (opToken.kind !== 'word' || !(opToken.value in IO_OPS)) {
    return cur.error(
      opToken,
      'unknown-operation',
      `unknown operation '${opToken.raw}'${didYouMean(opToken.value, IO_OP_NAMES)}`,
      `Operations: ${IO_OP_NAMES.join(', ')}.`,
    );
  }
  const op = opToken.value as IoOp;
  const path = readString(cur, 'file path', IO_EXAMPLE);
  if (!path) return undefined;
  if (path.value.trim() === '') return cur.error(path.span, 'missing-string', 'the file path is empty', `Name the file the request is for: ${IO_EXAMPLE}`);
  const stmt: IoStatement = {
    kind: 'io',
    ...base(cur),
    id: id.id,
    idSpan: id.span,
    op,
    major: IO_OPS[op],
    path: path.value,
    pathSpan: path.span,
    time: 0,
    flags: [],
  };
  const seen = new Map<string, Token>();
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word') {
      return cur.error(t, 'unexpected-token', `unexpected ${t.raw} in an io line`, `After the path come options (${IO_OPTION_NAMES.join(', ')}) and flags (${IO_FLAG_NAMES.join(', ')}).`);
    }
    const word = t.value;
    const isOption = (IO_OPTION_NAMES as readonly string[]).includes(word);
    const isFlag = (IO_FLAG_NAMES as readonly string[]).includes(word);
    if (!isOption && !isFlag) {
      return cur.error(
        t,
        'unknown-option',
        `unknown io option '${word}'${didYouMean(word, [...IO_OPTION_NAMES, ...IO_FLAG_NAMES])}`,
        `Options: ${IO_OPTION_NAMES.join(', ')}. Flags: ${IO_FLAG_NAMES.join(', ')}.`,
      );
    }
    const previous = seen.get(word);
    if (previous) {
      return cur.error(t, 'duplicate', `'${word}' is given twice in this io line`, `Keep one '${word}' (the first is at column ${previous.column}).`);
    }
    seen.set(word, t);
    const allowed = isOption ? IO_OPTIONS[word as IoOption].ops : IO_FLAGS[word as IoFlag].ops;
    if (!appliesTo(allowed, op)) {
      const ops = allowed === 'all' ? '' : (allowed as readonly string[]).join(', ');
      return cur.error(
        t,
        isOption ? 'option-not-applicable' : 'flag-not-applicable',
        `'${word}' does not apply to ${op}`,
        `'${word}' is only meaningful for: ${ops}.`,
      );
    }
    if (isFlag) {
      const flag = word as IoFlag;
      const clash = stmt.flags.find((f) => IO_FLAGS[flag].excludes.includes(f) || IO_FLAGS[f].excludes.includes(flag));
      if (clash) {
        return cur.error(t, 'conflicting-flags', `'${flag}' cannot be combined with '${clash}'`, `Keep one of '${clash}' and '${flag}'.`);
      }
      stmt.flags.push(flag);
      continue;
    }
    if (!readIoOption(cur, t, word as IoOption, stmt)) return undefined;
  }
  // `length` sizes both buffers of a control request; with its own input bytes or output size it would mean neither.
  const length = seen.get('length');
  const sized = seen.get('input') ?? seen.get('output');
  if (length !== undefined && sized !== undefined) {
    return cur.error(length, 'contradiction', `'length' cannot be combined with '${sized.value}'`, "The input's length is its bytes' length; give the output buffer's size with 'output N': io #1 ioctl \"\\??\\MyDevice\" code 0x222003 input ulong 1 output 64");
  }
  return { ...stmt, ...base(cur) };
}

function readIoOption(cur: LineCursor, t: Token, option: IoOption, stmt: IoStatement): boolean {
  switch (option) {
    case 'at': {
      const n = readInteger(cur, t, 'time');
      if (n === undefined) return false;
      stmt.time = n;
      return true;
    }
    case 'length': {
      const n = readInteger(cur, t, 'length', LIMITS.ulong);
      if (n === undefined) return false;
      stmt.length = n;
      return true;
    }
    case 'offset': {
      const n = readInteger(cur, t, 'offset');
      if (n === undefined) return false;
      stmt.offset = n;
      return true;
    }
    case 'code': {
      const n = readInteger(cur, t, 'control code', LIMITS.ulong);
      if (n === undefined) return false;
      stmt.code = n;
      return true;
    }
    case 'class': {
      const v = cur.next();
      if (!v) {
        cur.error(t, 'missing-value', "missing information class after 'class'", 'Name a FILE_INFORMATION_CLASS value: class FileBasicInformation');
        return false;
      }
      if (v.kind !== 'word' || !/^File[A-Za-z]*Information(Ex)?$/.test(v.value)) {
        cur.error(v, 'bad-name', `'${v.raw}' is not a file information class`, 'Name a FILE_INFORMATION_CLASS value such as FileBasicInformation or FileStandardInformation.');
        return false;
      }
      stmt.infoClass = v.value;
      return true;
    }
    case 'disposition': {
      const v = cur.next();
      if (!v || v.kind !== 'word' || !(v.value in CREATE_DISPOSITIONS)) {
        cur.error(v ?? t, v ? 'bad-name' : 'missing-value', v ? `unknown create disposition '${v.raw}'${v.kind === 'word' ? didYouMean(v.value, CREATE_DISPOSITION_NAMES) : ''}` : "missing disposition after 'disposition'", `Dispositions: ${CREATE_DISPOSITION_NAMES.join(', ')}.`);
        return false;
      }
      stmt.disposition = v.value as CreateDisposition;
      return true;
    }
    case 'access': {
      const v = readWord(cur, t, 'access', CREATE_ACCESS_NAMES);
      if (v === undefined) return false;
      stmt.access = v as CreateAccess;
      return true;
    }
    case 'share': {
      const v = readWord(cur, t, 'share mode', SHARE_MODE_NAMES);
      if (v === undefined) return false;
      stmt.share = v as ShareMode;
      return true;
    }
    case 'data':
      // One quoted string is the text as written (UTF-8); byte parts are taken as they are.
      if (cur.peek()?.kind === 'string' && !startsBytePart(cur.peek(1))) break;
      return readIoBytes(cur, t, (b) => (stmt.dataBytes = b));
    case 'input':
      return readIoBytes(cur, t, (b) => (stmt.input = b));
    case 'output': {
      const n = readInteger(cur, t, 'output buffer length', LIMITS.ulong);
      if (n === undefined) return false;
      stmt.output = n;
      return true;
    }
    default:
      break;
  }
  switch (option) {
    case 'data':
    case 'to':
    case 'pattern': {
      const what = { data: 'the data to write', to: 'the target path', pattern: 'the file name pattern' }[option];
      const example = { data: 'io #2 write "\\Device\\HarddiskVolume1\\a.txt" data "hello"', to: 'io #3 set-info "\\Device\\HarddiskVolume1\\a.txt" class FileRenameInformation to "\\Device\\HarddiskVolume1\\b.txt"', pattern: 'io #4 query-dir "\\Device\\HarddiskVolume1\\docs" pattern "*.txt"' }[option];
      const v = readString(cur, what, example);
      if (!v) return false;
      if (option === 'data') stmt.data = v.value;
      else if (option === 'to') stmt.target = v.value;
      else stmt.pattern = v.value;
      return true;
    }
    case 'changes': {
      const changes: NotifyChange[] = [];
      for (let v = cur.peek(); v !== undefined && v.kind === 'word' && !isIoWord(v.value); v = cur.peek()) {
        cur.next();
        if (!(v.value in NOTIFY_CHANGES)) {
          cur.error(v, 'bad-name', `unknown change '${v.raw}'${didYouMean(v.value, NOTIFY_CHANGE_NAMES)}`, `Changes: ${NOTIFY_CHANGE_NAMES.join(', ')}.`);
          return false;
        }
        if (!changes.includes(v.value as NotifyChange)) changes.push(v.value as NotifyChange);
      }
      if (changes.length === 0) {
        cur.error(t, 'missing-value', "missing change after 'changes'", `Name what to watch for (${NOTIFY_CHANGE_NAMES.join(', ')}): io #2 notify-dir "\\Device\\HarddiskVolume1\\docs" changes file-name size`);
        return false;
      }
      stmt.changes = changes;
      return true;
    }
    case 'process': {
      const v = readString(cur, 'process name', 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" process "notepad.exe"');
      if (!v) return false;
      stmt.process = v.value;
      stmt.processSpan = v.span;
      return true;
    }
    case 'transaction': {
      const v = readString(cur, 'transaction name', 'io #1 create "\\Device\\HarddiskVolume1\\a.txt" transaction "T1" at 0');
      if (!v) return false;
      if (v.value.trim() === '') {
        cur.error(v.span, 'missing-string', 'the transaction name is empty', 'Name the transaction: transaction "T1"');
        return false;
      }
      stmt.transaction = v.value;
      return true;
    }
  }
}

/** Whether `t` begins a byte part (payload.ts): a quoted string or one of its words. */
function startsBytePart(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'string' || (t.kind === 'word' && (PAYLOAD_WORDS as readonly string[]).includes(t.value)));
}

/** Byte parts up to the next option or flag of the io line, handed to `store`. */
function readIoBytes(cur: LineCursor, label: Token, store: (bytes: number[]) => void): boolean {
  const bytes = readBytes(cur, label, isIoWord);
  if (bytes === undefined) return false;
  store([...bytes]);
  return true;
}

/** An option or flag word of an io line (where a list of change words ends). */
function isIoWord(word: string): boolean {
  return (IO_OPTION_NAMES as readonly string[]).includes(word) || (IO_FLAG_NAMES as readonly string[]).includes(word);
}

export function parseCancel(cur: LineCursor): CancelStatement | undefined {
  const id = readIoRef(cur, 'cancel #1 at 2');
  if (!id) return undefined;
  const time = readTime(cur, 'cancel #1 at 2');
  if (time === undefined || !cur.expectEnd('the cancel time')) return undefined;
  return { kind: 'cancel', ...base(cur), io: id.id, ioSpan: id.span, time };
}

export function parseUnload(cur: LineCursor): UnloadStatement | undefined {
  let module: { name: string; span: Span } | undefined;
  const first = cur.peek();
  if (first && first.kind === 'word' && first.value !== 'at') {
    cur.next();
    if (!MODULE_NAME.test(first.value)) {
      return cur.error(first, 'bad-name', `'${first.raw}' is not a module name`, 'Name the driver by its file name without extension (unload counting at 10), or leave it out to unload every driver.');
    }
    module = { name: first.value, span: spanOf(first) };
  } else if (first && first.kind === 'string') {
    cur.next();
    module = { name: moduleNameOf(first.value), span: spanOf(first) };
  }
  const time = readTime(cur, 'unload at 10');
  if (time === undefined || !cur.expectEnd('the unload time')) return undefined;
  const stmt: UnloadStatement = { kind: 'unload', ...base(cur), time };
  if (module) {
    stmt.module = module.name;
    stmt.moduleSpan = module.span;
  }
  return stmt;
}

export function parseSeed(cur: LineCursor, keyword: Token): SeedStatement | undefined {
  const seed = readInteger(cur, keyword, 'seed', LIMITS.ulong);
  if (seed === undefined || !cur.expectEnd('the seed')) return undefined;
  return { kind: 'seed', ...base(cur), seed };
}

export function parseProcessors(cur: LineCursor, keyword: Token): ProcessorsStatement | undefined {
  const count = readInteger(cur, keyword, 'processor count', 64, 1);
  if (count === undefined || !cur.expectEnd('the processor count')) return undefined;
  return { kind: 'processors', ...base(cur), count };
}

export function parseWorkers(cur: LineCursor): WorkersStatement | undefined {
  const stmt: WorkersStatement = { kind: 'workers', ...base(cur) };
  const example = 'workers delayed 2 critical 1';
  if (cur.atEnd()) return cur.error(cur.whereMissing(), 'missing-value', 'missing worker counts', `Size one or both queues: ${example}`);
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word' || !(WORKER_QUEUES as readonly string[]).includes(t.value)) {
      return cur.error(t, 'unknown-option', `unknown work queue '${t.raw}'${didYouMean(t.value, WORKER_QUEUES)}`, `Size one or both queues: ${example}`);
    }
    const queue = t.value as 'delayed' | 'critical';
    if (stmt[queue] !== undefined) return cur.error(t, 'duplicate', `'${queue}' is given twice`, 'Give each queue once.');
    const n = readInteger(cur, t, 'worker count', 64, 1);
    if (n === undefined) return undefined;
    stmt[queue] = n;
  }
  return { ...stmt, ...base(cur) };
}

export function parseFile(cur: LineCursor): FileStatement | undefined {
  const example = 'file "\\Device\\HarddiskVolume1\\docs\\a.txt" size 8192, or content "hello", or from "data/a.bin", or folder';
  const path = readString(cur, 'file path', example);
  if (!path) return undefined;
  const stmt: FileStatement = { kind: 'file', ...base(cur), path: path.value, pathSpan: path.span };
  if (cur.atEnd()) return cur.error(cur.whereMissing(), 'missing-value', 'missing size, content or folder', `Say what the file holds: ${example}`);
  const seen = new Set<string>();
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word' || !(FILE_OPTION_NAMES as readonly string[]).includes(t.value)) {
      return cur.error(t, 'unexpected-token', `expected ${FILE_OPTION_NAMES.join(', ')}, found '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, FILE_OPTION_NAMES) : ''}`, `Say what the file holds: ${example}`);
    }
    if (seen.has(t.value)) return cur.error(t, 'duplicate', `'${t.value}' is given twice in this file line`, `Keep one '${t.value}'.`);
    seen.add(t.value);
    switch (t.value) {
      case 'size': {
        const n = readInteger(cur, t, 'size');
        if (n === undefined) return undefined;
        stmt.size = n;
        break;
      }
      case 'content': {
        const v = readString(cur, 'file content', 'file "\\Device\\HarddiskVolume1\\a.txt" content "hello"');
        if (!v) return undefined;
        stmt.content = v.value;
        break;
      }
      case 'from': {
        const v = readString(cur, 'local file', 'file "\\Device\\HarddiskVolume1\\a.bin" from "data/a.bin"');
        if (!v) return undefined;
        stmt.from = v.value;
        stmt.fromSpan = v.span;
        break;
      }
      case 'folder':
        stmt.folder = true;
        break;
    }
  }
  if (stmt.content !== undefined && stmt.from !== undefined) return cur.error(cur.statementSpan(), 'conflicting-flags', "a file takes its bytes from 'content' or from 'from', not both", 'Keep one of them.');
  if (stmt.folder && (stmt.content !== undefined || stmt.from !== undefined || stmt.size !== undefined)) {
    return cur.error(cur.statementSpan(), 'conflicting-flags', 'a folder has no size or content', 'Declare the folder alone (file "\\Device\\HarddiskVolume1\\docs" folder) and its files on their own lines.');
  }
  return { ...stmt, ...base(cur) };
}

export function parseAttach(cur: LineCursor): AttachStatement | undefined {
  const example = 'attach simrep "\\Device\\HarddiskVolume1" at 0';
  const first = cur.next();
  if (!first) return cur.error(cur.whereMissing(), 'missing-value', 'missing driver name', `Name the driver and the volume: ${example}`);
  if (first.kind !== 'word' || !MODULE_NAME.test(first.value)) {
    return cur.error(first, 'bad-name', `'${first.raw}' is not a module name`, `Name the driver by its name (its project or file name): ${example}`);
  }
  const volume = readString(cur, 'volume device name', example);
  if (!volume) return undefined;
  const time = readTime(cur, example);
  if (time === undefined || !cur.expectEnd('the attach time')) return undefined;
  return { kind: 'attach', ...base(cur), module: first.value, moduleSpan: spanOf(first), volume: volume.value, volumeSpan: volume.span, time };
}

export function parseVolume(cur: LineCursor): VolumeStatement | undefined {
  const example = 'volume "\\Device\\HarddiskVolume2" fs fat sector 512 removable';
  const name = readString(cur, 'volume device name', example);
  if (!name) return undefined;
  if (!/^\\Device\\[^\\]+$/i.test(name.value)) {
    return cur.error(name.span, 'bad-name', `"${name.value}" is not a volume device name`, `Name the volume's device: ${example}`);
  }
  const stmt: VolumeStatement = { kind: 'volume', ...base(cur), name: name.value, nameSpan: name.span, readonly: false, removable: false };
  const seen = new Set<string>();
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word' || !(VOLUME_OPTION_NAMES as readonly string[]).includes(t.value)) {
      return cur.error(t, 'unknown-option', `unknown volume option '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, VOLUME_OPTION_NAMES) : ''}`, `Options: ${VOLUME_OPTION_NAMES.join(', ')}. Example: ${example}`);
    }
    if (seen.has(t.value)) return cur.error(t, 'duplicate', `'${t.value}' is given twice in this volume line`, `Keep one '${t.value}'.`);
    seen.add(t.value);
    if (t.value === 'fs') {
      const v = cur.next();
      if (!v || v.kind !== 'word' || !(FILE_SYSTEM_WORDS as readonly string[]).includes(v.value)) {
        return cur.error(v ?? cur.whereMissing(), 'bad-name', v ? `unknown file system '${v.raw}'${v.kind === 'word' ? didYouMean(v.value, FILE_SYSTEM_WORDS) : ''}` : "missing file system after 'fs'", `File systems: ${FILE_SYSTEM_WORDS.join(', ')}.`);
      }
      stmt.fileSystem = v.value as FileSystemWord;
    } else if (t.value === 'sector') {
      const n = readInteger(cur, t, 'sector size', 65536, 512);
      if (n === undefined) return undefined;
      if ((n & (n - 1)) !== 0) return cur.error(t, 'bad-number', `sector size ${n} is not a power of two`, 'Sectors are 512, 4096 … bytes.');
      stmt.sectorSize = n;
    } else if (t.value === 'readonly') {
      stmt.readonly = true;
    } else {
      stmt.removable = true;
    }
  }
  return { ...stmt, ...base(cur) };
}

/** `limit steps 10000000`: raises or lowers one of the run's limits (engine/limits.ts). */
export function parseLimit(cur: LineCursor): LimitStatement | undefined {
  const example = 'limit steps 10000000';
  const name = cur.next();
  if (!name) return cur.error(cur.whereMissing(), 'missing-value', 'missing limit name', `Name the limit and its value: ${example}. Limits: ${LIMIT_NAMES.join(', ')}.`);
  if (name.kind !== 'word' || !isLimitName(name.value)) {
    return cur.error(name, 'unknown-option', `unknown limit '${name.raw}'${name.kind === 'word' ? didYouMean(name.value, LIMIT_NAMES) : ''}`, `Limits: ${LIMIT_NAMES.join(', ')}.`);
  }
  const info = LIMIT_INFO[name.value];
  const value = readInteger(cur, name, `${name.value} limit`, info.max, info.min);
  if (value === undefined || !cur.expectEnd('the limit')) return undefined;
  return { kind: 'limit', ...base(cur), name: name.value, nameSpan: spanOf(name), value };
}
