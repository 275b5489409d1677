/**
 * The newest surfaces a user writes by hand or a driver reaches with garbage:
 *   - scenarios of registry declarations, program registry operations and `expect registry` lines
 *     (one part in five wrong: a bad type, data of another type, a number too big, a key outside
 *     \REGISTRY, a cut-short string) over a driver with registry callbacks
 *     (test/fixtures/registry/regguard.c);
 *   - IOCTL and FSCTL lines whose `input` is random byte parts (some malformed: a value too big for
 *     its size, odd hex, a missing string, a negative or huge `zeros`) over a driver that reads
 *     them by each transfer method (test/fixtures/devio/ioctlinput.c);
 *   - drivers whose DriverEntry calls the virtual-memory routines, MmProbeAndLockPages and
 *     SeAccessCheck with garbage handles, addresses, sizes, protections and descriptors;
 *   - old-WDK `sources` projects (continuations, `$(…)` macros, `!if`, odd TARGETTYPEs, missing
 *     or outside files, odd C_DEFINES) given to `fltsim init`, whose scenario is then run.
 * Each run must end in a verdict, a diagnostic at a line, or a stop with a message (checkRun,
 * initOnce).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkRun } from './engineTargets';
import { C_CORPUS } from './inputs';
import { initOnce } from './newSurfaces';

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const ROOT = path.resolve(__dirname, '../..');
const fixture = (p: string) => readFileSync(path.join(ROOT, 'test/fixtures', p), 'utf8');

// --- registry workload and expectations ---

/** Mostly well-formed, one pick in ten from what a careless hand writes, so most scenarios run. */
const mostly = <T>(good: readonly T[], bad: readonly T[]) => fc.oneof({ weight: 9, arbitrary: pick(good) }, { weight: 1, arbitrary: pick(bad) });

const KEYS = mostly([
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\\Guarded',
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\\Open',
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\\Open\\Sub',
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso',
  '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\regguard\\Parameters',
  '\\REGISTRY\\USER\\.DEFAULT\\x',
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\\Guarded\\Deep\\Er',
], [
  '\\REGISTRY', '\\REGISTRY\\', '\\REGISTRY\\MACHINE\\\\double', 'SOFTWARE\\Contoso', '', `\\REGISTRY\\MACHINE\\SOFTWARE\\${'k'.repeat(300)}`,
]);
const VALUE_NAMES = mostly(['Mode', 'Default', 'Count', 'a b', 'Ünï'], ['', 'x'.repeat(300)]);
const DATA = mostly([
  'dword 1', 'dword 0xFFFFFFFF', 'qword 0xFFFFFFFFFFFFFFFF', 'string "safe"', 'string ""', 'expand-string "%SystemRoot%\\x"',
  'multi-string "one" "two"', 'binary "01 02 ff"', 'binary ""', 'none',
], [
  'dword 4294967296', 'dword -1', 'dword', 'qword 18446744073709551616', 'string "unterminated', 'binary "0g"', 'binary "1"', 'multi-string', 'dwrd 1', 'string 5', 'dword "1"',
]);
const OPS = mostly(['create-key', 'open-key', 'set-value', 'query-value', 'delete-value', 'delete-key'], ['frobnicate']);

const registryLine = (id: number) => fc.record({
  kind: fc.nat(6), key: KEYS, name: VALUE_NAMES, data: DATA, op: OPS,
  at: fc.integer({ min: -1, max: 12 }), volatile: fc.boolean(), state: mostly(['exists', 'absent', ''], ['maybe']),
}).map(({ kind, key, name, data, op, at, volatile, state }) => {
  const when = at < 0 ? '' : ` at ${at}`;
  switch (kind) {
    case 0: return `registry "${key}"${volatile ? ' volatile' : ''}`;
    case 1: return `registry "${key}" "${name}" ${data}`;
    case 2: return `registry "${name}" ${data}`;
    case 3: case 4: {
      const rest = op === 'set-value' ? ` "${name}" ${data}` : op.endsWith('-value') ? ` "${name}"` : op === 'create-key' && volatile ? ' volatile' : '';
      return `registry #${id} ${op} "${key}"${rest}${id % 2 === 0 ? ' process "reg.exe"' : ''}${when}`;
    }
    case 5: return state === '' ? `expect registry "${key}" "${name}" ${data}` : `expect registry "${key}" ${state}`;
    // The line before: an operation, now and then.
    default: return `expect #${Math.max(1, id - 1)} status ${volatile ? 'STATUS_SUCCESS' : 'STATUS_ACCESS_DENIED'}`;
  }
});

/** Lines numbered by position, so ids collide only when a line is a duplicate on purpose. */
const numberedLines = (line: (id: number) => fc.Arbitrary<string>, maxLength: number) =>
  fc.integer({ min: 0, max: maxLength }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(i + 1))));

export interface LinesScenario {
  lines: string[];
}

export const registryScenario: fc.Arbitrary<LinesScenario> = numberedLines(registryLine, 12).map((lines) => ({ lines }));

const REGGUARD = fixture('registry/regguard.c');

export function checkRegistryScenario(s: LinesScenario): Promise<void> {
  const text = ['driver "regguard.c"', 'process "reg.exe" pid 1200', ...s.lines, 'unload at 14'].join('\n');
  return checkRun(text, { 'regguard.c': REGGUARD });
}

// --- control requests' input bytes ---

const BYTE_PARTS = mostly(
  ['ulong 7', 'ushort 3', 'uchar 255', 'ulonglong 0x1122334455667788', 'zeros 2', 'zeros 0', 'wide "abcd"', '"text"', 'hex "01 00 ff"', 'wide ""', 'zeros 4096'],
  ['uchar 256', 'ushort 70000', 'ulong -1', 'ulong', 'zeros -1', 'zeros 2000000', 'hex "0"', 'hex "zz"', 'hex ""', 'wide', 'ulonglong 18446744073709551616', 'message 0 4', 'verdict'],
);
const CODES = mostly(['0x222000', '0x222006', '0x22200B', '0x222003', '0x900C0', '0', '0xFFFFFFFF'], ['0x100000000', 'IOCTL_X', '-1']);
const TARGETS = mostly(['\\DosDevices\\InputCdo', '\\Device\\InputCdo', '\\Device\\HarddiskVolume1\\a.txt', '\\Device\\HarddiskVolume1'], ['\\??\\Nothing', '']);
const OUTPUTS = mostly(['', 'output 0', 'output 4', 'output 64'], ['output 4294967296', 'output', 'length 8']);

const controlLine = (id: number) => fc.record({
  fsctl: fc.boolean(), target: TARGETS, code: CODES, input: fc.array(BYTE_PARTS, { maxLength: 5 }), output: OUTPUTS, at: fc.integer({ min: 1, max: 9 }),
}).map(({ fsctl, target, code, input, output, at }) =>
  `io #${id} ${fsctl ? 'fsctl' : 'ioctl'} "${target}" code ${code}${input.length > 0 ? ` input ${input.join(' ')}` : ''}${output ? ` ${output}` : ''} at ${at}`);

export const controlScenario: fc.Arbitrary<LinesScenario> = numberedLines(controlLine, 6).map((lines) => ({ lines }));

const IOCTLINPUT = fixture('devio/ioctlinput.c');

export function checkControlScenario(s: LinesScenario): Promise<void> {
  const text = [
    'driver "ioctlinput.c"',
    'file "\\Device\\HarddiskVolume1\\a.txt" content "x"',
    'io #20 create "\\DosDevices\\InputCdo" at 0',
    ...s.lines,
    'unload at 12',
  ].join('\n');
  return checkRun(text, { 'ioctlinput.c': IOCTLINPUT });
}

// --- virtual memory, probing and access checks with garbage arguments ---

const PROCESSES = ['ZwCurrentProcess()', 'NULL', '(HANDLE)-2', '(HANDLE)(ULONG_PTR)0x4444', 'closed'];
const BASES = ['&base', '&zero', '&odd', '&high', 'NULL'];
const SIZES = ['&size', '&zeroSize', '&hugeSize', 'NULL'];
const ALLOC_TYPES = ['MEM_COMMIT', 'MEM_RESERVE', 'MEM_COMMIT | MEM_RESERVE', '0', 'MEM_RELEASE', '0xFFFFFFFF', 'MEM_DECOMMIT'];
const PROTECTIONS = ['PAGE_READWRITE', 'PAGE_READONLY', 'PAGE_NOACCESS', 'PAGE_WRITECOPY', '0', '0x12345', 'PAGE_EXECUTE_READWRITE | PAGE_GUARD'];
const ADDRESSES = ['base', 'NULL', '(PVOID)1', '(PUCHAR)base + 4095', '(PUCHAR)base + 0x100000', '(PVOID)-1', '(PVOID)local'];
const LENGTHS = ['0', '1', '8', 'sizeof(mbi)', '(SIZE_T)-1', '4096', '0x10000000'];
const DESCRIPTORS = ['&sd', '&openSd', 'NULL', '(PSECURITY_DESCRIPTOR)local', '(PSECURITY_DESCRIPTOR)1'];
const MASKS = ['FILE_READ_DATA', 'GENERIC_ALL', '0', 'MAXIMUM_ALLOWED', '0xFFFFFFFF', 'DELETE | WRITE_DAC'];
const MODES = ['KernelMode', 'UserMode', '(KPROCESSOR_MODE)7'];

const memoryCall = fc.record({
  op: fc.nat(7), process: pick(PROCESSES), base: pick(BASES), size: pick(SIZES), type: pick(ALLOC_TYPES), protect: pick(PROTECTIONS),
  address: pick(ADDRESSES), length: pick(LENGTHS), sd: pick(DESCRIPTORS), mask: pick(MASKS), mode: pick(MODES), nullOut: fc.boolean(),
}).map(({ op, process, base, size, type, protect, address, length, sd, mask, mode, nullOut }) => [
  `st = ZwAllocateVirtualMemory(${process}, ${base}, 0, ${size}, ${type}, ${protect});`,
  `st = ZwFreeVirtualMemory(${process}, ${base}, ${size}, ${type});`,
  `st = ZwProtectVirtualMemory(${process}, ${base}, ${size}, ${protect}, ${nullOut ? 'NULL' : '&oldProtect'});`,
  `st = ZwQueryVirtualMemory(${process}, ${address}, MemoryBasicInformation, ${nullOut ? 'NULL' : '&mbi'}, ${length}, ${nullOut ? 'NULL' : '&returned'});`,
  `mdl = IoAllocateMdl(${address}, (ULONG)${length}, FALSE, FALSE, NULL); if (mdl != NULL) { __try { MmProbeAndLockPages(mdl, ${mode}, IoReadAccess); locked = TRUE; } __except (EXCEPTION_EXECUTE_HANDLER) { locked = FALSE; } if (locked) { p = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority); if (p != NULL) seen = *(volatile UCHAR *)p; MmUnlockPages(mdl); } IoFreeMdl(mdl); }`,
  `SeCaptureSubjectContext(&subject); ok = SeAccessCheck(${sd}, &subject, FALSE, ${mask}, 0, ${nullOut ? 'NULL' : '&privileges'}, &mapping, ${mode}, &granted, &st); SeReleaseSubjectContext(&subject);`,
  `SeCaptureSubjectContext(&subject); SeLockSubjectContext(&subject); ok = SeAccessCheck(${sd}, &subject, TRUE, ${mask}, granted, NULL, &mapping, ${mode}, &granted, &st); SeUnlockSubjectContext(&subject); SeReleaseSubjectContext(&subject);`,
  `if (${process} == closed) { ZwClose(closed); } else { st = ZwOpenProcess(&closed, PROCESS_ALL_ACCESS, &oa, &cid); if (NT_SUCCESS(st)) ZwClose(closed); }`,
][op]!);

export interface CallDriver {
  text: string;
}

const MEMORY_PRELUDE = `#include <fltKernel.h>
PFLT_FILTER Filter;
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS f) { UNREFERENCED_PARAMETER(f); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
CONST FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PVOID base = NULL, zero = NULL, odd = (PVOID)0x1001, high = (PVOID)(ULONG_PTR)0x7FFFFFFF0000, p = NULL;
    SIZE_T size = 8192, zeroSize = 0, hugeSize = (SIZE_T)-1, returned = 0;
    ULONG oldProtect = 0;
    MEMORY_BASIC_INFORMATION mbi;
    UCHAR local[64] = { 0 };
    volatile UCHAR seen = 0;
    PMDL mdl = NULL;
    BOOLEAN locked = FALSE, ok = FALSE;
    HANDLE closed = NULL;
    OBJECT_ATTRIBUTES oa;
    CLIENT_ID cid = { 0 };
    SECURITY_DESCRIPTOR sd, openSd;
    SECURITY_SUBJECT_CONTEXT subject;
    PPRIVILEGE_SET privileges = NULL;
    GENERIC_MAPPING mapping = { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
    ACCESS_MASK granted = 0;
    NTSTATUS st = STATUS_SUCCESS;
    UNREFERENCED_PARAMETER(RegistryPath);
    InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    RtlCreateSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
    RtlCreateSecurityDescriptor(&openSd, SECURITY_DESCRIPTOR_REVISION);
    RtlSetDaclSecurityDescriptor(&openSd, TRUE, NULL, FALSE);
`;

export const memoryCallDriver: fc.Arbitrary<CallDriver> = fc.array(memoryCall, { minLength: 1, maxLength: 10 })
  .map((calls) => ({ text: `${MEMORY_PRELUDE}    ${calls.join('\n    ')}\n    UNREFERENCED_PARAMETER(ok); UNREFERENCED_PARAMETER(seen);\n    st = FltRegisterFilter(DriverObject, &Registration, &Filter);\n    if (!NT_SUCCESS(st)) return st;\n    return FltStartFiltering(Filter);\n}\n` }));

export function checkMemoryCallDriver(d: CallDriver): Promise<void> {
  return checkRun(['driver "mem.c"', 'io #1 create "\\Device\\HarddiskVolume1\\a.txt" at 1', 'unload at 3'].join('\n'), { 'mem.c': d.text });
}

// --- old-WDK `sources` projects ---

const SOURCES_LINES = mostly([
  'TARGETNAME=fzdrv', 'TARGETTYPE=DRIVER', 'SOURCES=drv.c', 'SOURCES=..\\up.c drv.c', 'SOURCES=drv.c \\\n    second.c',
  'INCLUDES=$(INCLUDES);inc;..\\inc', 'C_DEFINES=$(C_DEFINES) /DFZ_FLAG -DFZ_VALUE=3 /D FZ_SPACED', 'TARGETLIBS=$(DDK_LIB_PATH)\\fltMgr.lib',
  'MSC_WARNING_LEVEL=/W4 /WX', '# a comment', '!include ..\\common.inc', '!if $(FREEBUILD)', '!endif', 'SOURCES=drv.c version.rc messages.mc',
], [
  'TARGETTYPE=PROGRAM', 'TARGETTYPE=', 'SOURCES=', 'SOURCES=missing.c', 'TARGETNAME=$(UNDEFINED)', 'SOURCES=$(SOURCES) $(SOURCES)', 'SOURCES=drv.c \\',
  '=broken', 'C_DEFINES=/D', 'C_DEFINES=/D1BAD /D=', 'INCLUDES=C:\\WinDDK\\inc;\\\\server\\share', 'SOURCES=..\\..\\..\\..\\etc\\passwd.c', `TARGETNAME=${'n'.repeat(300)}`, '\u0000\u0001', 'SOURCES=DRV.C',
]);

export interface SourcesFolder {
  lines: string[];
  /** Which driver of the corpus drv.c holds. */
  corpus: number;
  crlf: boolean;
}

export const sourcesFolder: fc.Arbitrary<SourcesFolder> = fc.record({
  lines: fc.array(SOURCES_LINES, { maxLength: 10 }),
  corpus: fc.nat(),
  crlf: fc.boolean(),
});

const SOURCES_DRIVERS = C_CORPUS.filter((c) => /DriverEntry/.test(c.text) && /FLT_REGISTRATION/.test(c.text));

/** A `sources` project written to disk, then `fltsim init` on its folder and the scenario it writes run (initOnce). */
export async function checkSourcesFolder(input: SourcesFolder): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-fuzz-sources-'));
  try {
    const project = path.join(dir, 'drv');
    mkdirSync(project);
    mkdirSync(path.join(project, 'inc'));
    writeFileSync(path.join(project, 'drv.c'), SOURCES_DRIVERS[input.corpus % SOURCES_DRIVERS.length]!.text);
    writeFileSync(path.join(dir, 'up.c'), 'int FzUp(void) { return 1; }\n');
    writeFileSync(path.join(project, 'sources'), input.lines.join(input.crlf ? '\r\n' : '\n'));
    const first = await initOnce(project);
    const second = await initOnce(project);
    if (first !== second) throw new Error(`init gave two results for one sources project:\n${first.slice(0, 300)}\n---\n${second.slice(0, 300)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
