/**
 * The string literals a driver's sources spell, sorted into what a starter scenario can use: the
 * paths and file extensions a filter compares names against, the names of the communication ports
 * and devices it creates. Read from the text (comments skipped, C escapes decoded), so a name a
 * header `#define`s counts as much as one written inline.
 */

/** One literal as the source spells it, decoded (`L"\\ScannerPort"` → `\ScannerPort`). */
export interface SourceLiteral {
  value: string;
  file: string;
  line: number;
}

// Comments are matched to be skipped; a literal may carry a prefix (L, u, U, u8).
const TOKENS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|(?:\b(?:L|u8|u|U))?"((?:\\.|[^"\\\n])*)"/g;
const INCLUDE_LINE = /^[ \t]*#[ \t]*include\b/;

function decode(body: string): string {
  return body.replace(/\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** Every string literal of `text` outside comments and `#include` lines, in order. */
export function stringLiterals(text: string, file: string): SourceLiteral[] {
  const out: SourceLiteral[] = [];
  let line = 1;
  let last = 0;
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
    if (m[1] === undefined) continue;
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
    if (INCLUDE_LINE.test(text.slice(lineStart, m.index))) continue;
    out.push({ value: decode(m[1]), file, line });
  }
  return out;
}

/** What the literals say a starter scenario should exercise. */
export interface LiteralFacts {
  /** Paths below a volume's root the driver looks for: `\Windows\System32`, `\secret\plan.txt`. */
  paths: string[];
  /** Extensions without the dot, as written: `txt`, `docx`. */
  extensions: string[];
  /** Bare file names: `desktop.ini`. */
  fileNames: string[];
  /** Program image names a driver that asks which process is calling compares with: `notepad.exe`. */
  images: string[];
  /** Communication port names: `\ScannerPort`. */
  ports: string[];
  /** Device object names: `\Device\MyFilterCdo`, `\FileSystem\Filters\Cdo`. */
  devices: string[];
}

const MAX_EACH = 8;
const VOLUME_PREFIX = /^\\Device\\HarddiskVolume\d+(?=\\|$)/i;
const DRIVE_PREFIX = /^(?:\\(?:\?\?|DosDevices|GLOBAL\?\?)\\)?[A-Za-z]:(?=\\|$)/i;
const DEVICE = /^\\(?:Device|FileSystem)\\[^\\]+(?:\\[^\\]+)*$/i;
const NOT_A_FILE = /^\\(?:Registry|BaseNamedObjects|Callback|KernelObjects|ObjectTypes|Driver|Sessions|RPC Control|Windows\\ApiPort)\b/i;
// Characters no file name holds (control characters by their Unicode category).
const BAD_NAME_CHARS = /[<>:"|*?%]|\p{Cc}/u;
const EXTENSION = /^\.?([A-Za-z0-9]{1,6})$/;
const FILE_NAME = /^[^\\/]+\.([A-Za-z0-9]{1,6})$/;

function cleanPath(p: string): string | undefined {
  const names = p.split('\\').filter((n) => n !== '' && n !== '.');
  if (names.length === 0 || names.some((n) => n === '..' || BAD_NAME_CHARS.test(n) || n.length > 64)) return undefined;
  return `\\${names.join('\\')}`;
}

function add(list: string[], value: string): void {
  if (list.length < MAX_EACH && !list.some((v) => v.toLowerCase() === value.toLowerCase())) list.push(value);
}

/**
 * Sorts literals. A single-name literal (`\Name`) is a port when it says "port" or when the driver
 * creates a port and no literal says so; a literal under `\Device` or `\FileSystem` is a device the
 * driver may create; a path on a volume (or a drive: `C:\…`, `\??\C:\…`) is a place it looks at;
 * a short word is an extension when the driver talks about extensions at all; a program name
 * (`notepad.exe`) in a driver that asks which process is calling is a process, not a file.
 */
export function classifyLiterals(literals: readonly SourceLiteral[], driver: { createsPort: boolean; createsDevice: boolean; mentionsExtensions: boolean; asksProcess?: boolean }): LiteralFacts {
  const out: LiteralFacts = { paths: [], extensions: [], fileNames: [], images: [], ports: [], devices: [] };
  const singles: string[] = [];
  for (const { value } of literals) {
    if (value === '' || value.length > 260 || /\s{2}|^\s|\s$/.test(value)) continue;
    if (DEVICE.test(value) && !VOLUME_PREFIX.test(value)) {
      if (driver.createsDevice) add(out.devices, value);
      continue;
    }
    if (NOT_A_FILE.test(value)) continue;
    const single = /^\\([A-Za-z0-9_.-]+)$/.exec(value);
    if (single && driver.createsPort && !/\.[A-Za-z0-9]{1,6}$/.test(single[1])) {
      if (/port/i.test(single[1])) add(out.ports, value);
      else singles.push(value);
      continue;
    }
    // `\\notepad.exe`: the tail a driver compares an image path with, so a program, not a file at the root.
    if (single && driver.asksProcess && /\.exe$/i.test(single[1])) {
      add(out.images, single[1]);
      continue;
    }
    const onVolume = value.replace(VOLUME_PREFIX, '').replace(DRIVE_PREFIX, '');
    if (onVolume.includes('\\') && !value.includes('/')) {
      const p = cleanPath(onVolume);
      if (p) add(out.paths, p);
      continue;
    }
    if (BAD_NAME_CHARS.test(value) || /\s/.test(value)) continue;
    const file = FILE_NAME.exec(value);
    if (file && !/^\d+(\.\d+)+$/.test(value)) {
      if (value.startsWith('.')) add(out.extensions, file[1]);
      else if (driver.asksProcess && /^exe$/i.test(file[1])) add(out.images, value);
      else add(out.fileNames, value);
      continue;
    }
    const ext = EXTENSION.exec(value);
    // A bare word of one letter is a drive letter ("C") or a flag far more often than an extension.
    if (ext && (value.startsWith('.') || (driver.mentionsExtensions && /^[a-z0-9]{2,5}$|^[A-Z0-9]{2,5}$/.test(ext[1]) && /[A-Za-z]/.test(ext[1])))) add(out.extensions, ext[1]);
  }
  if (out.ports.length === 0) for (const s of singles) add(out.ports, s);
  else for (const s of singles) add(out.paths, s);
  return out;
}
