/**
 * `process` and `open-process` lines: the user processes a scenario runs, when they start and exit
 * (the process, thread and image notify routines run then), and handle opens to them that
 * ObRegisterCallbacks callbacks see.
 *
 *   process "notepad.exe" pid 1200 image "\Device\HarddiskVolume1\Windows\notepad.exe" start at 5 exit at 30
 *   open-process #1 "notepad.exe" access all by "taskmgr.exe" at 10
 */
import type { OpenProcessStatement, ProcessStatement, Span } from './ast';
import { LIMITS, LineCursor, readInteger, readIoRef, readString, readTime } from './cursor';
import type { Token } from './lexer';
import { didYouMean } from './suggest';

const PROCESS_EXAMPLE = 'process "notepad.exe" pid 1200 start at 5 exit at 30';
const OPEN_EXAMPLE = 'open-process #1 "notepad.exe" access all at 10';

export const PROCESS_OPTION_NAMES = ['pid', 'image', 'parent', 'command-line', 'start', 'exit'] as const;
export const OPEN_PROCESS_OPTION_NAMES = ['access', 'by', 'kernel-handle', 'at'] as const;
/** Access words an `open-process` line takes, as PROCESS_* masks; a number is taken as written. */
export const PROCESS_ACCESS = {
  all: 0x1fffff,
  terminate: 0x0001,
  'vm-read': 0x0010,
  'vm-write': 0x0020,
  'vm-operation': 0x0008,
  'query-limited': 0x1000,
  'query-information': 0x0400,
  'create-thread': 0x0002,
  'dup-handle': 0x0040,
  'suspend-resume': 0x0800,
} as const;
const ACCESS_NAMES = Object.keys(PROCESS_ACCESS);

function base(cur: LineCursor): Span & { text: string } {
  return { ...cur.statementSpan(), text: cur.codeText() };
}

function seenTwice(cur: LineCursor, seen: Map<string, Token>, t: Token, line: string): boolean {
  const previous = seen.get(t.value);
  if (previous) {
    cur.error(t, 'duplicate', `'${t.value}' is given twice in this ${line} line`, `Keep one '${t.value}' (the first is at column ${previous.column}).`);
    return true;
  }
  seen.set(t.value, t);
  return false;
}

export function parseProcess(cur: LineCursor): ProcessStatement | undefined {
  const name = readString(cur, 'image file name', PROCESS_EXAMPLE);
  if (!name) return undefined;
  if (name.value.trim() === '' || /[\\/]/.test(name.value)) {
    return cur.error(name.span, 'missing-string', name.value.trim() === '' ? 'the process name is empty' : `the process name '${name.value}' is a path`, `Name the process by its image file name and give the full path with 'image': ${PROCESS_EXAMPLE}`);
  }
  const stmt: ProcessStatement = { kind: 'process', ...base(cur), name: name.value, nameSpan: name.span, pid: 0 };
  const seen = new Map<string, Token>();
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word' || !(PROCESS_OPTION_NAMES as readonly string[]).includes(t.value)) {
      return cur.error(t, 'unknown-option', `unknown process option '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, PROCESS_OPTION_NAMES) : ''}`, `Options: ${PROCESS_OPTION_NAMES.join(', ')}: ${PROCESS_EXAMPLE}`);
    }
    if (seenTwice(cur, seen, t, 'process')) return undefined;
    switch (t.value) {
      case 'pid': {
        const n = readInteger(cur, t, 'process id', LIMITS.ulong, 8);
        if (n === undefined) return undefined;
        if (n % 4 !== 0) return cur.error(t, 'bad-number', `process id ${n} is not a multiple of 4`, 'Windows gives processes ids that are multiples of 4: pid 1200');
        stmt.pid = n;
        break;
      }
      case 'image': {
        const v = readString(cur, 'image path', 'image "\\Device\\HarddiskVolume1\\Windows\\notepad.exe"');
        if (!v) return undefined;
        stmt.image = v.value;
        break;
      }
      case 'parent': {
        const v = readString(cur, 'parent process name', 'parent "explorer.exe"');
        if (!v) return undefined;
        stmt.parent = v.value;
        stmt.parentSpan = v.span;
        break;
      }
      case 'command-line': {
        const v = readString(cur, 'command line', 'command-line "notepad.exe a.txt"');
        if (!v) return undefined;
        stmt.commandLine = v.value;
        break;
      }
      case 'start':
      case 'exit': {
        const time = readTime(cur, `${t.value} at 5`);
        if (time === undefined) return undefined;
        if (t.value === 'start') stmt.start = time;
        else stmt.exit = time;
        break;
      }
    }
  }
  if (stmt.pid === 0) return cur.error(name.span, 'missing-value', `process "${name.value}" has no pid`, `Give its id: ${PROCESS_EXAMPLE}`);
  if (stmt.start !== undefined && stmt.exit !== undefined && stmt.exit < stmt.start) {
    return cur.error(seen.get('exit')!, 'bad-number', `the process exits (at ${stmt.exit}) before it starts (at ${stmt.start})`, 'Make the exit time later than the start time.');
  }
  return { ...stmt, ...base(cur) };
}

export function parseOpenProcess(cur: LineCursor): OpenProcessStatement | undefined {
  const id = readIoRef(cur, OPEN_EXAMPLE);
  if (!id) return undefined;
  const target = readString(cur, 'process name', OPEN_EXAMPLE);
  if (!target) return undefined;
  const stmt: OpenProcessStatement = { kind: 'open-process', ...base(cur), id: id.id, idSpan: id.span, target: target.value, targetSpan: target.span, access: PROCESS_ACCESS.all, time: 0, kernelHandle: false };
  const seen = new Map<string, Token>();
  while (!cur.atEnd()) {
    const t = cur.next() as Token;
    if (t.kind !== 'word' || !(OPEN_PROCESS_OPTION_NAMES as readonly string[]).includes(t.value)) {
      return cur.error(t, 'unknown-option', `unknown open-process option '${t.raw}'${t.kind === 'word' ? didYouMean(t.value, OPEN_PROCESS_OPTION_NAMES) : ''}`, `Options: ${OPEN_PROCESS_OPTION_NAMES.join(', ')}: ${OPEN_EXAMPLE}`);
    }
    if (seenTwice(cur, seen, t, 'open-process')) return undefined;
    switch (t.value) {
      case 'access': {
        const v = cur.peek();
        if (v?.kind === 'word' && v.value in PROCESS_ACCESS) {
          cur.next();
          stmt.access = PROCESS_ACCESS[v.value as keyof typeof PROCESS_ACCESS];
          break;
        }
        if (v?.kind === 'word' && !/^[0-9]/.test(v.value)) {
          cur.next();
          return cur.error(v, 'bad-name', `unknown access '${v.raw}'${didYouMean(v.value, ACCESS_NAMES)}`, `Write one of ${ACCESS_NAMES.join(', ')} or a PROCESS_* mask in hex (0x1410).`);
        }
        const n = readInteger(cur, t, 'access mask', LIMITS.ulong);
        if (n === undefined) return undefined;
        stmt.access = n;
        break;
      }
      case 'by': {
        const v = readString(cur, 'opening process name', 'by "taskmgr.exe"');
        if (!v) return undefined;
        stmt.opener = v.value;
        stmt.openerSpan = v.span;
        break;
      }
      case 'kernel-handle':
        stmt.kernelHandle = true;
        break;
      case 'at': {
        const n = readInteger(cur, t, 'time');
        if (n === undefined) return undefined;
        stmt.time = n;
        break;
      }
    }
  }
  return { ...stmt, ...base(cur) };
}
