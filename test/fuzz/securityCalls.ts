/**
 * Drivers whose DriverEntry calls the newest routine families with odd arguments, in random order:
 * SIDs, tokens, ACLs and security descriptors with garbage buffers and lengths; SList heads used
 * before initialisation, with NULL entries or popped empty; CmRegisterCallback(Ex) with NULL
 * routines, cookies, odd altitudes and unregistering cookies never handed out; and the Zw file
 * routines on named streams (`::$DATA`, a stream of a folder, a stream deleted while the file is
 * open, stream listings into short buffers). Each run must end in a result or a stop with a message
 * at a line (checkRun): never an internal error, a hang or a loop in the model.
 */
import fc from 'fast-check';
import { checkRun } from './engineTargets';

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** Buffers a routine may be handed as a SID, an ACL or a descriptor: real ones and garbage. */
const SID_PTRS = ['(PSID)sidBuf', '(PSID)junk', 'NULL', '(PSID)1', '(PSID)&junk[3]', '(PSID)tiny'];
const LENGTHS = ['0', '1', '8', 'sizeof(sidBuf)', 'sizeof(junk)', '(ULONG)-1', '0x10000'];
const TOKEN_CLASSES = ['TokenUser', 'TokenGroups', 'TokenPrivileges', 'TokenOwner', 'TokenPrimaryGroup', 'TokenStatistics', 'TokenIntegrityLevel', 'TokenElevation', 'TokenSessionId', '(TOKEN_INFORMATION_CLASS)0', '(TOKEN_INFORMATION_CLASS)999'];
const TOKEN_HANDLES = ['tok', 'NULL', '(HANDLE)-1', '(HANDLE)(ULONG_PTR)0x4444', 'closedTok'];
const STREAM_PATHS = [
  'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt::$DATA"', 'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt:s"',
  'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt:s:$DATA"', 'L"\\\\Device\\\\HarddiskVolume1\\\\docs:s"',
  'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt:"', 'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt:s:$INDEX_ALLOCATION"',
  'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt::"', 'L"\\\\Device\\\\HarddiskVolume1\\\\:s"', 'L"\\\\Device\\\\HarddiskVolume1\\\\a.txt:\\u00e4\\u20ac"',
];
const STREAM_DISPOSITIONS = ['FILE_OPEN', 'FILE_CREATE', 'FILE_OPEN_IF', 'FILE_OVERWRITE_IF', 'FILE_SUPERSEDE'];
const STREAM_OPTIONS = ['FILE_SYNCHRONOUS_IO_NONALERT', 'FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE', 'FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE', 'FILE_SYNCHRONOUS_IO_NONALERT | FILE_DELETE_ON_CLOSE'];
const INFO_LENGTHS = ['0', '1', '8', '24', 'sizeof(info)'];
const SLIST_HEADS = ['&head', '&rawHead', 'NULL'];
const SLIST_ENTRIES = ['&entries[0]', '&entries[1]', 'NULL', '(PSLIST_ENTRY)junk', '&entries[0]'];
const ALTITUDES = ['&alt', 'NULL', '&emptyAlt', '&oddAlt'];
const COOKIES = ['&cookie', 'NULL', '&cookie2'];

const sidCall = fc.record({ op: fc.nat(7), a: pick(SID_PTRS), b: pick(SID_PTRS), len: pick(LENGTHS), junk: fc.uint8Array({ minLength: 0, maxLength: 8 }) })
  .map(({ op, a, b, len, junk }) => [
    junk.length > 0 ? `RtlCopyMemory(junk, "${[...junk].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join('')}", ${junk.length});` : '',
    [
      `ok = RtlValidSid(${a});`,
      `if (${a} != NULL && RtlValidSid(${a})) n = RtlLengthSid(${a});`,
      `st = RtlCopySid(${len}, ${a}, ${b});`,
      `if (${a} != NULL && ${b} != NULL) ok = RtlEqualSid(${a}, ${b});`,
      `st = RtlConvertSidToUnicodeString(&text, ${a}, TRUE); if (NT_SUCCESS(st)) RtlFreeUnicodeString(&text);`,
      `st = RtlCreateSecurityDescriptor(${a === 'NULL' ? 'NULL' : '&sd'}, ${len === '1' ? 'SECURITY_DESCRIPTOR_REVISION' : len});`,
      `st = RtlCreateAcl((PACL)aclBuf, ${len}, ACL_REVISION); if (NT_SUCCESS(st)) st = RtlAddAccessAllowedAce((PACL)aclBuf, ACL_REVISION, GENERIC_READ, ${a});`,
      `st = RtlSetDaclSecurityDescriptor(&sd, TRUE, ${a === 'NULL' ? 'NULL' : '(PACL)aclBuf'}, FALSE);`,
    ][op]!,
  ].join(' '));
const tokenCall = fc.record({ op: fc.nat(4), handle: pick(TOKEN_HANDLES), cls: pick(TOKEN_CLASSES), len: pick(LENGTHS), nullOut: fc.boolean() })
  .map(({ op, handle, cls, len, nullOut }) => [
    'st = ZwOpenProcessTokenEx(NtCurrentProcess(), TOKEN_QUERY, OBJ_KERNEL_HANDLE, &tok); if (!NT_SUCCESS(st)) tok = NULL;',
    `st = ZwQueryInformationToken(${handle}, ${cls}, ${nullOut ? 'NULL' : 'tokBuf'}, ${len}, &n);`,
    `st = ZwOpenThreadTokenEx(NtCurrentThread(), TOKEN_QUERY, TRUE, OBJ_KERNEL_HANDLE, &tok2); if (NT_SUCCESS(st)) ZwClose(tok2);`,
    `SeCaptureSubjectContext(&subject); primary = SeQuerySubjectContextToken(&subject); if (primary != NULL) { st = SeQueryInformationToken(primary, ${cls}, &out); if (NT_SUCCESS(st) && out != NULL) ExFreePool(out); ok = SeTokenIsAdmin(primary); } SeReleaseSubjectContext(&subject);`,
    `if (tok != NULL) { ZwClose(tok); closedTok = tok; tok = NULL; }`,
  ][op]!);
const slistCall = fc.record({ op: fc.nat(5), head: pick(SLIST_HEADS), entry: pick(SLIST_ENTRIES) })
  .map(({ op, head, entry }) => [
    `InitializeSListHead(${head === 'NULL' ? '&head' : head});`,
    `prev = InterlockedPushEntrySList(${head}, ${entry});`,
    `prev = InterlockedPopEntrySList(${head});`,
    `prev = ExInterlockedPushEntrySList(${head}, ${entry}, &slistLock);`,
    `depth = ExQueryDepthSList(${head});`,
    `prev = InterlockedFlushSList(${head});`,
  ][op]!);
const cmCall = fc.record({ op: fc.nat(3), routine: pick(['RegCallback', 'NULL']), altitude: pick(ALTITUDES), cookie: pick(COOKIES) })
  .map(({ op, routine, altitude, cookie }) => [
    `st = CmRegisterCallbackEx(${routine}, ${altitude}, DriverObject, NULL, ${cookie}, NULL);`,
    `st = CmRegisterCallback(${routine}, NULL, ${cookie});`,
    `st = CmUnRegisterCallback(cookie);`,
    `st = CmUnRegisterCallback(cookie2);`,
  ][op]!);
const streamCall = fc.record({ path: pick(STREAM_PATHS), disposition: pick(STREAM_DISPOSITIONS), options: pick(STREAM_OPTIONS), op: fc.nat(4), len: pick(INFO_LENGTHS) })
  .map(({ path, disposition, options, op, len }) => [
    `RtlInitUnicodeString(&name, ${path}); InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);`,
    `st = ZwCreateFile(&h, GENERIC_READ | GENERIC_WRITE | DELETE | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, ${disposition}, ${options}, NULL, 0);`,
    'if (!NT_SUCCESS(st)) h = NULL;',
    [
      `st = ZwWriteFile(h, NULL, NULL, NULL, &iosb, "stream", 6, &offset, NULL);`,
      `st = ZwQueryInformationFile(h, &iosb, info, ${len}, FileStreamInformation);`,
      `disp.DeleteFile = TRUE; st = ZwSetInformationFile(h, &iosb, &disp, sizeof(disp), FileDispositionInformation);`,
      `st = ZwQueryInformationFile(h, &iosb, info, ${len}, FileNameInformation);`,
      `st = ZwReadFile(h, NULL, NULL, NULL, &iosb, info, ${len}, &offset, NULL);`,
    ][op]!,
    // Every other call keeps the handle open, so later calls meet a stream open while its file goes.
    op % 2 === 0 ? 'if (h != NULL) { ZwClose(h); h = NULL; }' : '',
  ].join(' '));

export interface SecurityCallDriver {
  text: string;
}

const PRELUDE = `#include <fltKernel.h>
PFLT_FILTER Filter;
LARGE_INTEGER cookie, cookie2;
NTSTATUS RegCallback(PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Context); UNREFERENCED_PARAMETER(Argument1); UNREFERENCED_PARAMETER(Argument2);
    return STATUS_SUCCESS;
}
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS f) { UNREFERENCED_PARAMETER(f); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
CONST FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UCHAR sidBuf[68] = { 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0 };
    UCHAR junk[16] = { 0 };
    UCHAR tiny[2] = { 1, 9 };
    ULONG aclBuf[64];
    UCHAR tokBuf[96];
    UCHAR info[64];
    SECURITY_DESCRIPTOR sd;
    UNICODE_STRING text, name;
    UNICODE_STRING alt = RTL_CONSTANT_STRING(L"385100");
    UNICODE_STRING emptyAlt = { 0, 0, NULL };
    UNICODE_STRING oddAlt = { 7, 2, NULL };
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    FILE_DISPOSITION_INFORMATION disp;
    LARGE_INTEGER offset;
    HANDLE h = NULL, tok = NULL, tok2 = NULL, closedTok = NULL;
    SECURITY_SUBJECT_CONTEXT subject;
    PACCESS_TOKEN primary = NULL;
    PVOID out = NULL;
    SLIST_HEADER head, rawHead;
    SLIST_ENTRY entries[2];
    PSLIST_ENTRY prev = NULL;
    KSPIN_LOCK slistLock;
    USHORT depth = 0;
    BOOLEAN ok = FALSE;
    ULONG n = 0;
    NTSTATUS st = STATUS_SUCCESS;
    UNREFERENCED_PARAMETER(RegistryPath);
    offset.QuadPart = 0;
    KeInitializeSpinLock(&slistLock);
    InitializeSListHead(&head);
    RtlZeroMemory(&rawHead, sizeof(rawHead));
    RtlZeroMemory(entries, sizeof(entries));
`;
const EPILOGUE = `
    UNREFERENCED_PARAMETER(prev); UNREFERENCED_PARAMETER(depth); UNREFERENCED_PARAMETER(ok); UNREFERENCED_PARAMETER(n);
    UNREFERENCED_PARAMETER(closedTok); UNREFERENCED_PARAMETER(out); UNREFERENCED_PARAMETER(tok2);
    if (h != NULL) ZwClose(h);
    if (tok != NULL) ZwClose(tok);
    st = FltRegisterFilter(DriverObject, &Registration, &Filter);
    if (NT_SUCCESS(st)) st = FltStartFiltering(Filter);
    return st;
}
`;

/** Named streams declared, so the Zw calls meet existing ones as well as missing ones. */
const WORKLOAD = `volume "\\Device\\HarddiskVolume1"
file "\\Device\\HarddiskVolume1\\a.txt" content "hello"
file "\\Device\\HarddiskVolume1\\a.txt:s" content "side"
file "\\Device\\HarddiskVolume1\\docs\\b.txt" content "b"
io #1 create "\\Device\\HarddiskVolume1\\a.txt:s" at 1
io #2 read "\\Device\\HarddiskVolume1\\a.txt::$DATA" length 16 at 2
io #3 query-info "\\Device\\HarddiskVolume1\\a.txt" class FileStreamInformation at 3
io #4 set-info "\\Device\\HarddiskVolume1\\a.txt" class FileDispositionInformation delete at 4
io #5 read "\\Device\\HarddiskVolume1\\a.txt:s" length 16 at 5
io #6 cleanup "\\Device\\HarddiskVolume1\\a.txt:s" at 6
io #7 close "\\Device\\HarddiskVolume1\\a.txt:s" at 7
`;

export const securityCallDriver: fc.Arbitrary<SecurityCallDriver> = fc
  .array(fc.oneof(sidCall, tokenCall, slistCall, cmCall, streamCall), { minLength: 1, maxLength: 8 })
  .map((calls) => ({ text: `${PRELUDE}    ${calls.join('\n    ')}${EPILOGUE}` }));

export function checkSecurityCallDriver(d: SecurityCallDriver): Promise<void> {
  return checkRun(`driver "d.c"\n${WORKLOAD}`, { 'd.c': d.text });
}
