/*
 * scanport: a scanner-style minifilter whose verdicts come from a user-mode program.
 *
 * Every open of a file with a watched extension is described to the program connected to
 * \ScanPortSample: the message carries the requester's process id and the file's name. The program
 * answers with one byte; 0 means "do not open this file", and the filter fails the create with
 * STATUS_ACCESS_DENIED. When no program is connected, or it does not answer within the timeout,
 * the open goes ahead. The program can also ask for the counters with a message of its own.
 *
 * In the fltsim scenario next to this file, the `client` lines play the program.
 */
#include <fltKernel.h>

#define SCANPORT_NAME       L"\\ScanPortSample"
#define SCANPORT_TAG        'pScS'
#define SCANPORT_MAX_NAME   260

/* Messages from the filter. */
#define SCAN_KIND_OPEN      1

typedef struct _SCAN_NOTICE {
    ULONG Kind;
    ULONG ProcessId;
    USHORT NameBytes;
    USHORT Reserved;
    WCHAR Name[SCANPORT_MAX_NAME];
} SCAN_NOTICE, *PSCAN_NOTICE;

typedef struct _SCAN_ANSWER {
    UCHAR MayOpen;
} SCAN_ANSWER;

/* Messages from the program. */
#define SCAN_COMMAND_COUNTERS 7

typedef struct _SCAN_COUNTERS {
    ULONG Asked;
    ULONG Denied;
    ULONG Unanswered;
} SCAN_COUNTERS;

static struct {
    PFLT_FILTER Filter;
    PFLT_PORT ServerPort;
    PFLT_PORT ClientPort;
    PEPROCESS Program;
    SCAN_COUNTERS Counters;
} Scan;

static const UNICODE_STRING Watched[] = {
    RTL_CONSTANT_STRING(L"txt"),
    RTL_CONSTANT_STRING(L"exe"),
    RTL_CONSTANT_STRING(L"bat"),
};

/* TRUE when the name ends in one of the watched extensions. */
static BOOLEAN ScanIsWatched(PCUNICODE_STRING Name)
{
    USHORT chars = Name->Length / sizeof(WCHAR);
    USHORT dot = chars;
    UNICODE_STRING extension;
    ULONG i;

    while (dot > 0 && Name->Buffer[dot - 1] != L'.' && Name->Buffer[dot - 1] != L'\\') dot--;
    if (dot == 0 || Name->Buffer[dot - 1] != L'.') return FALSE;
    extension.Buffer = Name->Buffer + dot;
    extension.Length = (USHORT)((chars - dot) * sizeof(WCHAR));
    extension.MaximumLength = extension.Length;
    for (i = 0; i < ARRAYSIZE(Watched); i++) {
        if (RtlEqualUnicodeString(&extension, &Watched[i], TRUE)) return TRUE;
    }
    return FALSE;
}

NTSTATUS ScanConnect(PFLT_PORT ClientPort, PVOID ServerPortCookie, PVOID ConnectionContext, ULONG SizeOfContext, PVOID *ConnectionCookie)
{
    UNREFERENCED_PARAMETER(ServerPortCookie);
    UNREFERENCED_PARAMETER(ConnectionContext);
    UNREFERENCED_PARAMETER(SizeOfContext);
    UNREFERENCED_PARAMETER(ConnectionCookie);
    PAGED_CODE();

    /* The program's own opens are never sent back to it (it would wait for itself). */
    Scan.Program = PsGetCurrentProcess();
    Scan.ClientPort = ClientPort;
    DbgPrint("scanport: program connected\n");
    return STATUS_SUCCESS;
}

VOID ScanDisconnect(PVOID ConnectionCookie)
{
    UNREFERENCED_PARAMETER(ConnectionCookie);
    PAGED_CODE();

    FltCloseClientPort(Scan.Filter, &Scan.ClientPort);
    Scan.Program = NULL;
    DbgPrint("scanport: program disconnected\n");
}

NTSTATUS ScanMessage(PVOID PortCookie, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength, PULONG ReturnOutputBufferLength)
{
    ULONG command;
    UNREFERENCED_PARAMETER(PortCookie);
    PAGED_CODE();

    *ReturnOutputBufferLength = 0;
    if (InputBuffer == NULL || InputBufferLength < sizeof(ULONG)) return STATUS_INVALID_PARAMETER;
    command = *(PULONG)InputBuffer;
    if (command != SCAN_COMMAND_COUNTERS) return STATUS_INVALID_PARAMETER;
    if (OutputBuffer == NULL || OutputBufferLength < sizeof(SCAN_COUNTERS)) return STATUS_BUFFER_TOO_SMALL;
    RtlCopyMemory(OutputBuffer, &Scan.Counters, sizeof(SCAN_COUNTERS));
    *ReturnOutputBufferLength = sizeof(SCAN_COUNTERS);
    return STATUS_SUCCESS;
}

FLT_PREOP_CALLBACK_STATUS ScanPreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    PUNICODE_STRING name = &Data->Iopb->TargetFileObject->FileName;
    PSCAN_NOTICE notice;
    SCAN_ANSWER answer;
    ULONG answerLength = sizeof(answer);
    LARGE_INTEGER timeout;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    PAGED_CODE();

    if (Scan.ClientPort == NULL || IoThreadToProcess(Data->Thread) == Scan.Program || !ScanIsWatched(name)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    notice = ExAllocatePool2(POOL_FLAG_PAGED, sizeof(SCAN_NOTICE), SCANPORT_TAG);
    if (notice == NULL) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    notice->Kind = SCAN_KIND_OPEN;
    notice->ProcessId = HandleToULong(PsGetCurrentProcessId());
    notice->NameBytes = min(name->Length, (USHORT)sizeof(notice->Name));
    RtlCopyMemory(notice->Name, name->Buffer, notice->NameBytes);

    /* Half a second, in 100 ns units; negative means "from now". */
    timeout.QuadPart = -5 * 1000 * 1000;
    answer.MayOpen = TRUE;
    status = FltSendMessage(Scan.Filter, &Scan.ClientPort, notice, FIELD_OFFSET(SCAN_NOTICE, Name) + notice->NameBytes, &answer, &answerLength, &timeout);
    ExFreePoolWithTag(notice, SCANPORT_TAG);
    Scan.Counters.Asked++;

    /* STATUS_TIMEOUT is a success code: only STATUS_SUCCESS means the answer arrived. */
    if (status != STATUS_SUCCESS) {
        Scan.Counters.Unanswered++;
        DbgPrint("scanport: %wZ: no answer (0x%08X), letting it open\n", name, status);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!answer.MayOpen) {
        Scan.Counters.Denied++;
        DbgPrint("scanport: %wZ: denied by the program\n", name);
        Data->IoStatus.Status = STATUS_ACCESS_DENIED;
        Data->IoStatus.Information = 0;
        return FLT_PREOP_COMPLETE;
    }
    DbgPrint("scanport: %wZ: allowed\n", name);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

NTSTATUS ScanUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    PAGED_CODE();

    /* The server port first: FltUnregisterFilter must not find it open. */
    FltCloseCommunicationPort(Scan.ServerPort);
    FltUnregisterFilter(Scan.Filter);
    return STATUS_SUCCESS;
}

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, ScanPreCreate, NULL },
    { IRP_MJ_OPERATION_END }
};

CONST FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION),
    FLT_REGISTRATION_VERSION,
    0,
    NULL,
    Callbacks,
    ScanUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PSECURITY_DESCRIPTOR sd;
    OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING portName = RTL_CONSTANT_STRING(SCANPORT_NAME);
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    status = FltRegisterFilter(DriverObject, &FilterRegistration, &Scan.Filter);
    if (!NT_SUCCESS(status)) return status;

    /* Only SYSTEM and administrators may connect. The port keeps its own copy of the descriptor. */
    status = FltBuildDefaultSecurityDescriptor(&sd, FLT_PORT_ALL_ACCESS);
    if (NT_SUCCESS(status)) {
        InitializeObjectAttributes(&attributes, &portName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, sd);
        status = FltCreateCommunicationPort(Scan.Filter, &Scan.ServerPort, &attributes, NULL, ScanConnect, ScanDisconnect, ScanMessage, 1);
        FltFreeSecurityDescriptor(sd);
    }
    if (NT_SUCCESS(status)) {
        status = FltStartFiltering(Scan.Filter);
        if (!NT_SUCCESS(status)) FltCloseCommunicationPort(Scan.ServerPort);
    }
    if (!NT_SUCCESS(status)) FltUnregisterFilter(Scan.Filter);
    return status;
}
