/**
 * Prelude: the run-time library — counted strings, integer overflow checks (ntintsafe.h), generic
 * tables, GUID text, and the FsRtl name helpers. The safe string routines (ntstrsafe.h) are
 * strsafe.ts's alone: every WDK header reaches both areas, and one prototype has one home
 * (test/unit/c/preludeOwnership.test.ts).
 */
export const RTL_H = String.raw`
#ifndef _FLTSIM_RTL_
#define _FLTSIM_RTL_

void RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
void RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
NTSTATUS RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source);
NTSTATUS RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source);
LONG RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
BOOLEAN RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
BOOLEAN RtlSuffixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
NTSTATUS RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString);
WCHAR RtlUpcaseUnicodeChar(WCHAR SourceCharacter);
NTSTATUS RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString);
void RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);
BOOLEAN RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
NTSTATUS RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String);
NTSTATUS RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value);
SIZE_T RtlCompareMemory(const void *Source1, const void *Source2, SIZE_T Length);
LONG RtlCompareString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive);
BOOLEAN RtlEqualString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive);
NTSTATUS RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString, BOOLEAN AllocateDestinationString);
NTSTATUS RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString);
void RtlFreeAnsiString(PANSI_STRING AnsiString);
/* The sizes a conversion needs, terminator included (single-byte code page, as the engine converts). */
#define RtlAnsiStringToUnicodeSize(STRING) ((ULONG)(((STRING)->Length + sizeof(CHAR)) * sizeof(WCHAR)))
#define RtlUnicodeStringToAnsiSize(STRING) ((ULONG)(((STRING)->Length + sizeof(WCHAR)) / sizeof(WCHAR)))
#define RtlOemStringToUnicodeSize(STRING) RtlAnsiStringToUnicodeSize(STRING)
#define RtlUnicodeStringToOemSize(STRING) RtlUnicodeStringToAnsiSize(STRING)
NTSTATUS RtlUpcaseUnicodeStringToCountedOemString(POEM_STRING DestinationString, PCUNICODE_STRING SourceString, BOOLEAN AllocateDestinationString);
void RtlFreeOemString(POEM_STRING OemString);
BOOLEAN RtlIsNameLegalDOS8Dot3(PCUNICODE_STRING Name, POEM_STRING OemName, PBOOLEAN NameContainsSpaces);
typedef const GUID *REFGUID;
NTSTATUS RtlStringFromGUID(REFGUID Guid, PUNICODE_STRING GuidString);
NTSTATUS RtlGUIDFromString(PCUNICODE_STRING GuidString, GUID *Guid);
#define UNICODE_STRING_MAX_BYTES ((USHORT)65534)
#define UNICODE_STRING_MAX_CHARS (32767)

/* An empty counted string over a caller's buffer: inline in the WDK, plain C here. */
void RtlInitEmptyUnicodeString(PUNICODE_STRING UnicodeString, PWCHAR Buffer, USHORT BufferSize) {
    UnicodeString->Length = 0;
    UnicodeString->MaximumLength = BufferSize;
    UnicodeString->Buffer = Buffer;
}

/* The counted string takes the caller's characters as they are: no copy, the terminator not counted. */
void RtlInitString(PSTRING DestinationString, PCSTR SourceString) {
    SIZE_T Length = SourceString != NULL ? strlen(SourceString) : 0;
    if (Length > 0xfffe) Length = 0xfffe;
    DestinationString->Length = (USHORT)Length;
    DestinationString->MaximumLength = SourceString != NULL ? (USHORT)(Length + 1) : 0;
    DestinationString->Buffer = (PCHAR)SourceString;
}

void RtlInitAnsiString(PANSI_STRING DestinationString, PCSTR SourceString) {
    RtlInitString(DestinationString, SourceString);
}

void RtlInitEmptyAnsiString(PANSI_STRING AnsiString, PCHAR Buffer, USHORT BufferSize) {
    AnsiString->Length = 0;
    AnsiString->MaximumLength = BufferSize;
    AnsiString->Buffer = Buffer;
}

/* ntintsafe.h: inline in the WDK, so defined here; on overflow the result is the type's error value. */
#define ULONG_ERROR 0xffffffffUL
#define USHORT_ERROR 0xffff
#define SIZE_T_ERROR ((SIZE_T)-1)
NTSTATUS RtlULongAdd(ULONG ulAugend, ULONG ulAddend, ULONG *pulResult) {
    if ((ULONG)(ulAugend + ulAddend) < ulAugend) { *pulResult = ULONG_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pulResult = ulAugend + ulAddend;
    return STATUS_SUCCESS;
}
NTSTATUS RtlULongSub(ULONG ulMinuend, ULONG ulSubtrahend, ULONG *pulResult) {
    if (ulSubtrahend > ulMinuend) { *pulResult = ULONG_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pulResult = ulMinuend - ulSubtrahend;
    return STATUS_SUCCESS;
}
NTSTATUS RtlULongMult(ULONG ulMultiplicand, ULONG ulMultiplier, ULONG *pulResult) {
    ULONGLONG product = (ULONGLONG)ulMultiplicand * (ULONGLONG)ulMultiplier;
    if (product > 0xffffffffULL) { *pulResult = ULONG_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pulResult = (ULONG)product;
    return STATUS_SUCCESS;
}
NTSTATUS RtlUShortAdd(USHORT usAugend, USHORT usAddend, USHORT *pusResult) {
    ULONG sum = (ULONG)usAugend + (ULONG)usAddend;
    if (sum > 0xffff) { *pusResult = USHORT_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pusResult = (USHORT)sum;
    return STATUS_SUCCESS;
}
NTSTATUS RtlUShortSub(USHORT usMinuend, USHORT usSubtrahend, USHORT *pusResult) {
    if (usSubtrahend > usMinuend) { *pusResult = USHORT_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pusResult = (USHORT)(usMinuend - usSubtrahend);
    return STATUS_SUCCESS;
}
NTSTATUS RtlSizeTAdd(SIZE_T Augend, SIZE_T Addend, SIZE_T *pResult) {
    if ((SIZE_T)(Augend + Addend) < Augend) { *pResult = SIZE_T_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pResult = Augend + Addend;
    return STATUS_SUCCESS;
}
NTSTATUS RtlSizeTMult(SIZE_T Multiplicand, SIZE_T Multiplier, SIZE_T *pResult) {
    if (Multiplicand != 0 && Multiplier > SIZE_T_ERROR / Multiplicand) { *pResult = SIZE_T_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pResult = Multiplicand * Multiplier;
    return STATUS_SUCCESS;
}
NTSTATUS RtlULongLongToULong(ULONGLONG ullOperand, ULONG *pulResult) {
    if (ullOperand > 0xffffffffULL) { *pulResult = ULONG_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pulResult = (ULONG)ullOperand;
    return STATUS_SUCCESS;
}
NTSTATUS RtlULongToUShort(ULONG ulOperand, USHORT *pusResult) {
    if (ulOperand > 0xffff) { *pusResult = USHORT_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pusResult = (USHORT)ulOperand;
    return STATUS_SUCCESS;
}
NTSTATUS RtlSizeTToULong(SIZE_T Operand, ULONG *pulResult) {
    if (Operand > 0xffffffffULL) { *pulResult = ULONG_ERROR; return STATUS_INTEGER_OVERFLOW; }
    *pulResult = (ULONG)Operand;
    return STATUS_SUCCESS;
}

#define RtlInterlockedClearBits(Flags, Flag) InterlockedAnd((PLONG)(Flags), ~(Flag))
#define RtlInterlockedSetBits(Flags, Flag) InterlockedOr((PLONG)(Flags), (Flag))
#define RtlInterlockedClearBitsDiscardReturn(Flags, Flag) (void)RtlInterlockedClearBits((Flags), (Flag))
#define RtlInterlockedSetBitsDiscardReturn(Flags, Flag) (void)RtlInterlockedSetBits((Flags), (Flag))

typedef struct _RTL_SPLAY_LINKS { struct _RTL_SPLAY_LINKS *Parent; struct _RTL_SPLAY_LINKS *LeftChild; struct _RTL_SPLAY_LINKS *RightChild; } RTL_SPLAY_LINKS, *PRTL_SPLAY_LINKS;
/* The red-black / AVL tree node of wdm.h (RTL_RB_TREE and the kernel's own trees). */
typedef struct _RTL_BALANCED_NODE {
    union { struct _RTL_BALANCED_NODE *Children[2]; struct { struct _RTL_BALANCED_NODE *Left; struct _RTL_BALANCED_NODE *Right; }; };
    union { UCHAR Red : 1; UCHAR Balance : 2; ULONG_PTR ParentValue; };
} RTL_BALANCED_NODE, *PRTL_BALANCED_NODE;
typedef struct _RTL_RB_TREE { PRTL_BALANCED_NODE Root; PRTL_BALANCED_NODE Min; } RTL_RB_TREE, *PRTL_RB_TREE;
/* A Windows Notification Facility state name (wdm.h). */
typedef struct _WNF_STATE_NAME { ULONG Data[2]; } WNF_STATE_NAME, *PWNF_STATE_NAME;
typedef const WNF_STATE_NAME *PCWNF_STATE_NAME;
typedef enum _TABLE_SEARCH_RESULT { TableEmptyTree, TableFoundNode, TableInsertAsLeft, TableInsertAsRight } TABLE_SEARCH_RESULT;
typedef enum _RTL_GENERIC_COMPARE_RESULTS { GenericLessThan, GenericGreaterThan, GenericEqual } RTL_GENERIC_COMPARE_RESULTS;
struct _RTL_GENERIC_TABLE;
typedef RTL_GENERIC_COMPARE_RESULTS RTL_GENERIC_COMPARE_ROUTINE(struct _RTL_GENERIC_TABLE *Table, PVOID FirstStruct, PVOID SecondStruct);
typedef RTL_GENERIC_COMPARE_ROUTINE *PRTL_GENERIC_COMPARE_ROUTINE;
typedef PVOID RTL_GENERIC_ALLOCATE_ROUTINE(struct _RTL_GENERIC_TABLE *Table, CLONG ByteSize);
typedef RTL_GENERIC_ALLOCATE_ROUTINE *PRTL_GENERIC_ALLOCATE_ROUTINE;
typedef void RTL_GENERIC_FREE_ROUTINE(struct _RTL_GENERIC_TABLE *Table, PVOID Buffer);
typedef RTL_GENERIC_FREE_ROUTINE *PRTL_GENERIC_FREE_ROUTINE;
typedef struct _RTL_GENERIC_TABLE {
    PRTL_SPLAY_LINKS TableRoot;
    LIST_ENTRY InsertOrderList;
    PLIST_ENTRY OrderedPointer;
    ULONG WhichOrderedElement;
    ULONG NumberGenericTableElements;
    PRTL_GENERIC_COMPARE_ROUTINE CompareRoutine;
    PRTL_GENERIC_ALLOCATE_ROUTINE AllocateRoutine;
    PRTL_GENERIC_FREE_ROUTINE FreeRoutine;
    PVOID TableContext;
} RTL_GENERIC_TABLE, *PRTL_GENERIC_TABLE;
void RtlInitializeGenericTable(PRTL_GENERIC_TABLE Table, PRTL_GENERIC_COMPARE_ROUTINE CompareRoutine, PRTL_GENERIC_ALLOCATE_ROUTINE AllocateRoutine, PRTL_GENERIC_FREE_ROUTINE FreeRoutine, PVOID TableContext);
PVOID RtlInsertElementGenericTable(PRTL_GENERIC_TABLE Table, PVOID Buffer, CLONG BufferSize, PBOOLEAN NewElement);
PVOID RtlLookupElementGenericTable(PRTL_GENERIC_TABLE Table, PVOID Buffer);
BOOLEAN RtlDeleteElementGenericTable(PRTL_GENERIC_TABLE Table, PVOID Buffer);
PVOID RtlGetElementGenericTable(PRTL_GENERIC_TABLE Table, ULONG I);
BOOLEAN RtlIsGenericTableEmpty(PRTL_GENERIC_TABLE Table);
ULONG RtlNumberGenericTableElements(PRTL_GENERIC_TABLE Table);
ULONG RtlNtStatusToDosError(NTSTATUS Status);
ULONG RtlNtStatusToDosErrorNoTeb(NTSTATUS Status);
PVOID RtlEnumerateGenericTable(PRTL_GENERIC_TABLE Table, BOOLEAN Restart);
PVOID RtlEnumerateGenericTableWithoutSplaying(PRTL_GENERIC_TABLE Table, PVOID *RestartKey);

/* The AVL flavour of the generic tables (RTL_USE_AVL_TABLES). */
struct _RTL_AVL_TABLE;
typedef RTL_GENERIC_COMPARE_RESULTS RTL_AVL_COMPARE_ROUTINE(struct _RTL_AVL_TABLE *Table, PVOID FirstStruct, PVOID SecondStruct);
typedef RTL_AVL_COMPARE_ROUTINE *PRTL_AVL_COMPARE_ROUTINE;
typedef PVOID RTL_AVL_ALLOCATE_ROUTINE(struct _RTL_AVL_TABLE *Table, CLONG ByteSize);
typedef RTL_AVL_ALLOCATE_ROUTINE *PRTL_AVL_ALLOCATE_ROUTINE;
typedef void RTL_AVL_FREE_ROUTINE(struct _RTL_AVL_TABLE *Table, PVOID Buffer);
typedef RTL_AVL_FREE_ROUTINE *PRTL_AVL_FREE_ROUTINE;
typedef struct _RTL_BALANCED_LINKS {
    struct _RTL_BALANCED_LINKS *Parent;
    struct _RTL_BALANCED_LINKS *LeftChild;
    struct _RTL_BALANCED_LINKS *RightChild;
    CHAR Balance;
    UCHAR Reserved[3];
} RTL_BALANCED_LINKS, *PRTL_BALANCED_LINKS;
typedef struct _RTL_AVL_TABLE {
    RTL_BALANCED_LINKS BalancedRoot;
    PVOID OrderedPointer;
    ULONG WhichOrderedElement;
    ULONG NumberGenericTableElements;
    ULONG DepthOfTree;
    PRTL_BALANCED_LINKS RestartKey;
    ULONG DeleteCount;
    PRTL_AVL_COMPARE_ROUTINE CompareRoutine;
    PRTL_AVL_ALLOCATE_ROUTINE AllocateRoutine;
    PRTL_AVL_FREE_ROUTINE FreeRoutine;
    PVOID TableContext;
} RTL_AVL_TABLE, *PRTL_AVL_TABLE;
void RtlInitializeGenericTableAvl(PRTL_AVL_TABLE Table, PRTL_AVL_COMPARE_ROUTINE CompareRoutine, PRTL_AVL_ALLOCATE_ROUTINE AllocateRoutine, PRTL_AVL_FREE_ROUTINE FreeRoutine, PVOID TableContext);
PVOID RtlInsertElementGenericTableAvl(PRTL_AVL_TABLE Table, PVOID Buffer, CLONG BufferSize, PBOOLEAN NewElement);
PVOID RtlLookupElementGenericTableAvl(PRTL_AVL_TABLE Table, PVOID Buffer);
BOOLEAN RtlDeleteElementGenericTableAvl(PRTL_AVL_TABLE Table, PVOID Buffer);
PVOID RtlEnumerateGenericTableAvl(PRTL_AVL_TABLE Table, BOOLEAN Restart);
PVOID RtlEnumerateGenericTableWithoutSplayingAvl(PRTL_AVL_TABLE Table, PVOID *RestartKey);
ULONG RtlNumberGenericTableElementsAvl(PRTL_AVL_TABLE Table);
BOOLEAN RtlIsGenericTableEmptyAvl(PRTL_AVL_TABLE Table);
PVOID RtlGetElementGenericTableAvl(PRTL_AVL_TABLE Table, ULONG I);

BOOLEAN FsRtlIsNameInExpression(PUNICODE_STRING Expression, PUNICODE_STRING Name, BOOLEAN IgnoreCase, PWCH UpcaseTable);
BOOLEAN FsRtlDoesNameContainWildCards(PUNICODE_STRING Name);
void FsRtlDissectName(UNICODE_STRING Path, PUNICODE_STRING FirstName, PUNICODE_STRING RemainingName);
BOOLEAN FsRtlIsNtstatusExpected(NTSTATUS Exception);
LOGICAL FsRtlIsPagingFile(PFILE_OBJECT FileObject);
LOGICAL FsRtlIsSystemPagingFile(PFILE_OBJECT FileObject);
typedef struct _REAL_NOTIFY_SYNC *PNOTIFY_SYNC;
typedef BOOLEAN (*PCHECK_FOR_TRAVERSE_ACCESS)(PVOID NotifyContext, PVOID TargetContext, PSECURITY_SUBJECT_CONTEXT SubjectContext);
typedef BOOLEAN (*PFILTER_REPORT_CHANGE)(PVOID NotifyContext, PVOID FilterContext);
void FsRtlNotifyInitializeSync(PNOTIFY_SYNC *NotifySync);
void FsRtlNotifyUninitializeSync(PNOTIFY_SYNC *NotifySync);
void FsRtlNotifyFilterReportChange(PNOTIFY_SYNC NotifySync, PLIST_ENTRY NotifyList, PSTRING FullTargetName, USHORT TargetNameOffset, PSTRING StreamName, PSTRING NormalizedParentName, ULONG FilterMatch, ULONG Action, PVOID TargetContext, PVOID FilterContext);
void FsRtlNotifyFullReportChange(PNOTIFY_SYNC NotifySync, PLIST_ENTRY NotifyList, PSTRING FullTargetName, USHORT TargetNameOffset, PSTRING StreamName, PSTRING NormalizedParentName, ULONG FilterMatch, ULONG Action, PVOID TargetContext);
void FsRtlNotifyCleanup(PNOTIFY_SYNC NotifySync, PLIST_ENTRY NotifyList, PVOID FsContext);
void FsRtlNotifyCleanupAll(PNOTIFY_SYNC NotifySync, PLIST_ENTRY NotifyList);
#define FsRtlEnterFileSystem() KeEnterCriticalRegion()
#define FsRtlExitFileSystem() KeLeaveCriticalRegion()
#endif
`;
