/**
 * Drivers whose DriverEntry calls the newest routines with odd arguments, in random order: variadic
 * functions of the driver's own read with va_arg as another type than was passed (or more of them),
 * the Zw file routines on odd paths and handles, KeWaitForMultipleObjects with odd counts and
 * arrays, qsort and bsearch with comparators that misbehave. Each run must end in a result or a
 * stop with a message at a line (checkRun): never an internal error, a hang or a loop in the model.
 */
import fc from 'fast-check';
import { checkRun } from './engineTargets';
import { GENERIC_WORKLOAD } from './inputs';

const VA_TYPES = ['int', 'LONGLONG', 'double', 'char', 'PVOID', 'USHORT', 'struct Pair'] as const;
const VA_ARGS = ['1', '-7', '2.5', "'x'", 'NULL', '&pair', 'pair', '0x7FFFFFFFFFFFFFFFLL', 'L"w"', '(USHORT)65535'];

const PATHS = [
  'L""', 'L"\\\\"', 'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt"', 'L"\\\\Device\\\\HarddiskVolume1\\\\..\\\\a.txt"',
  'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt:s:$DATA"', 'L"\\\\Device\\\\Nowhere\\\\x"', 'L"\\\\??\\\\C:\\\\a.txt"',
  'L"\\\\Device\\\\HarddiskVolume1\\\\dir\\\\"', 'L"\\\\Device\\\\HarddiskVolume1\\\\*"', 'L"relative.txt"',
];
const HANDLES = ['h', 'NULL', '(HANDLE)-1', '(HANDLE)(ULONG_PTR)0x1234', 'closed', 'NtCurrentProcess()'];
const DISPOSITIONS = ['FILE_OPEN', 'FILE_CREATE', 'FILE_OPEN_IF', 'FILE_OVERWRITE_IF', 'FILE_SUPERSEDE', '99'];
const COUNTS = ['0', '1', '2', '3', '64', '65', '(ULONG)-1'];
const WAIT_TYPES = ['WaitAll', 'WaitAny', '(WAIT_TYPE)7'];
const TIMEOUTS = ['&zero', 'NULL', '&tick'];
const COMPARATORS = ['CmpAscending', 'CmpAlwaysOne', 'CmpFlipFlop', 'CmpZero', 'CmpBadDeref'];
const SORT_COUNTS = ['0', '1', '5', '8', '(SIZE_T)-1'];
const SORT_SIZES = ['sizeof(int)', '0', '1', '3', '64'];
const SORT_BASES = ['values', 'NULL', '(int *)1'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

const vaCall = fc.record({ type: pick(VA_TYPES), n: fc.integer({ min: -1, max: 4 }), args: fc.array(pick(VA_ARGS), { maxLength: 3 }) })
  .map(({ type, n, args }) => `Take_${type.replace(' ', '_')}(${[String(n), ...args].join(', ')});`);
const zwCall = fc.record({ path: pick(PATHS), disposition: pick(DISPOSITIONS), handle: pick(HANDLES), op: fc.nat(4), noName: fc.boolean() })
  .map(({ path, disposition, handle, op, noName }) => [
    noName ? 'InitializeObjectAttributes(&oa, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);' : `RtlInitUnicodeString(&name, ${path}); InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);`,
    `st = ZwCreateFile(&h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ, ${disposition}, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);`,
    'if (!NT_SUCCESS(st)) h = NULL;',
    [
      `st = ZwReadFile(${handle}, NULL, NULL, NULL, &iosb, buffer, sizeof(buffer), NULL, NULL);`,
      `st = ZwWriteFile(${handle}, NULL, NULL, NULL, &iosb, buffer, 7, &offset, NULL);`,
      `st = ZwQueryInformationFile(${handle}, &iosb, &std, sizeof(std), FileStandardInformation);`,
      `st = ZwQueryInformationFile(${handle}, &iosb, &std, 1, FileStandardInformation);`,
      `st = ZwClose(${handle});`,
    ][op]!,
    'if (h != NULL) { ZwClose(h); closed = h; h = NULL; }',
  ].join(' '));
const waitCall = fc.record({ count: pick(COUNTS), type: pick(WAIT_TYPES), timeout: pick(TIMEOUTS), nullEntry: fc.boolean(), noBlock: fc.boolean() })
  .map(({ count, type, timeout, nullEntry, noBlock }) =>
    `${nullEntry ? 'objs[1] = NULL;' : 'objs[1] = &ev[1];'} st = KeWaitForMultipleObjects(${count}, objs, ${type}, Executive, KernelMode, FALSE, ${timeout}, ${noBlock ? 'NULL' : 'blocks'});`);
const sortCall = fc.record({ base: pick(SORT_BASES), count: pick(SORT_COUNTS), size: pick(SORT_SIZES), cmp: pick(COMPARATORS), search: fc.boolean() })
  .map(({ base, count, size, cmp, search }) => (search
    ? `found = bsearch(&key, ${base}, ${count}, ${size}, ${cmp});`
    : `qsort(${base}, ${count}, ${size}, ${cmp});`));

export interface OddCallDriver {
  text: string;
}

const PRELUDE = `#include <fltKernel.h>
struct Pair { int a; double b; };
${VA_TYPES.map((t) => `static LONGLONG Take_${t.replace(' ', '_')}(int n, ...)
{
    va_list ap;
    LONGLONG sum = 0;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        ${t} v = va_arg(ap, ${t});
        sum += (LONGLONG)sizeof(v);
    }
    va_end(ap);
    return sum;
}`).join('\n')}
static int __cdecl CmpAscending(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static int __cdecl CmpAlwaysOne(const void *a, const void *b) { UNREFERENCED_PARAMETER(a); UNREFERENCED_PARAMETER(b); return 1; }
static int flip;
static int __cdecl CmpFlipFlop(const void *a, const void *b) { UNREFERENCED_PARAMETER(a); UNREFERENCED_PARAMETER(b); flip = -flip + 1; return flip ? -1 : 1; }
static int __cdecl CmpZero(const void *a, const void *b) { UNREFERENCED_PARAMETER(a); UNREFERENCED_PARAMETER(b); return 0; }
static int __cdecl CmpBadDeref(const void *a, const void *b) { return **(const int **)a - **(const int **)b; }
PFLT_FILTER Filter;
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS f) { UNREFERENCED_PARAMETER(f); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
CONST FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    struct Pair pair = { 1, 2.0 };
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h = NULL, closed = NULL;
    NTSTATUS st = STATUS_SUCCESS;
    UCHAR buffer[64] = { 0 };
    LARGE_INTEGER offset, zero, tick;
    FILE_STANDARD_INFORMATION std;
    KEVENT ev[3];
    PVOID objs[3];
    KWAIT_BLOCK blocks[3];
    int values[8] = { 5, 3, 8, 1, 9, 2, 7, 4 };
    int key = 7;
    void *found = NULL;
    UNREFERENCED_PARAMETER(RegistryPath);
    offset.QuadPart = 0; zero.QuadPart = 0; tick.QuadPart = -10000;
    KeInitializeEvent(&ev[0], NotificationEvent, TRUE);
    KeInitializeEvent(&ev[1], SynchronizationEvent, FALSE);
    KeInitializeEvent(&ev[2], NotificationEvent, FALSE);
    objs[0] = &ev[0]; objs[1] = &ev[1]; objs[2] = &ev[2];
`;
const EPILOGUE = `
    UNREFERENCED_PARAMETER(found); UNREFERENCED_PARAMETER(closed); UNREFERENCED_PARAMETER(pair); UNREFERENCED_PARAMETER(st);
    st = FltRegisterFilter(DriverObject, &Registration, &Filter);
    if (NT_SUCCESS(st)) st = FltStartFiltering(Filter);
    return st;
}
`;

export const oddCallDriver: fc.Arbitrary<OddCallDriver> = fc
  .array(fc.oneof(vaCall, zwCall, waitCall, sortCall), { minLength: 1, maxLength: 6 })
  .map((calls) => ({ text: `${PRELUDE}    ${calls.join('\n    ')}${EPILOGUE}` }));

export function checkOddCallDriver(d: OddCallDriver): Promise<void> {
  return checkRun(`driver "d.c"\n${GENERIC_WORKLOAD}\n`, { 'd.c': d.text });
}
