/**
 * Prelude part 1: the base types of ntdef.h, in our own declarations. Field names and layouts follow
 * the WDK so that driver code compiles unchanged; contents are fltsim's.
 */
export const BASE_TYPES_H = String.raw`
#ifndef _FLTSIM_BASETYPES_
#define _FLTSIM_BASETYPES_
#define _AMD64_ 1
#define NTDDI_WIN7 0x06010000
#define NTDDI_WIN8 0x06020000
#define NTDDI_WINBLUE 0x06030000
#define NTDDI_WIN10 0x0A000000
#define NTDDI_WIN10_VB 0x0A000008
#define NTDDI_VERSION 0x0A00000C
#define _WIN32_WINNT_WIN7 0x0601
#define _WIN32_WINNT_WIN8 0x0602
#define _WIN32_WINNT_WIN10 0x0A00
#define _WIN32_WINNT 0x0A00
#define WINVER 0x0A00
#define OSVER(v) ((v) & 0xFF000000)
#define DBG 1
#define ALLOC_PRAGMA 1
#define ALLOC_DATA_PRAGMA 1

#define VOID void
#define POINTER_ALIGNMENT _Alignas(8)
#define DECLSPEC_ALIGN(x) _Alignas(x)
#define DECLSPEC_CACHEALIGN _Alignas(64)
#define SYSTEM_CACHE_ALIGNMENT_SIZE 64
#define MEMORY_ALLOCATION_ALIGNMENT 16
#define NULL ((void *)0)
#define UNICODE_NULL ((WCHAR)0)
#define ANSI_NULL ((CHAR)0)
#define NOTHING
#define TRUE 1
#define FALSE 0
#define ANYSIZE_ARRAY 1
// Kernel code builds with Microsoft's extensions, so these name nothing: the struct or union they
// end is anonymous and its members are reached directly (a NONAMELESSUNION build names them itself).
#ifndef DUMMYUNIONNAME
#define DUMMYUNIONNAME
#define DUMMYUNIONNAME2
#define DUMMYUNIONNAME3
#define DUMMYUNIONNAME4
#define DUMMYUNIONNAME5
#endif
#ifndef DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME2
#define DUMMYSTRUCTNAME3
#define DUMMYSTRUCTNAME4
#define DUMMYSTRUCTNAME5
#endif
#define MAXULONG 0xffffffff
#define MAXUSHORT 0xffff
#define MAXLONG 0x7fffffff
#define MAXUCHAR 0xff
#define MAXLONGLONG 0x7fffffffffffffff
#define MAXULONG_PTR 0xffffffffffffffff

typedef void *PVOID;
typedef void *LPVOID;
typedef const void *PCVOID;
typedef char CHAR;
typedef signed char SCHAR;
typedef char CCHAR;
typedef unsigned char UCHAR;
typedef unsigned char BYTE;
typedef unsigned char BOOLEAN;
typedef short SHORT;
typedef short CSHORT;
typedef unsigned short USHORT;
typedef unsigned short WORD;
typedef unsigned short WCHAR;
typedef int INT;
typedef int BOOL;
typedef unsigned int UINT;
typedef long LONG;
typedef unsigned long ULONG;
typedef unsigned long DWORD;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG;
typedef long long LONG64;
typedef unsigned long long ULONG64;
typedef unsigned long long DWORD64;
typedef long long INT_PTR;
typedef unsigned long long UINT_PTR;
typedef long long LONG_PTR;
typedef unsigned long long ULONG_PTR;
typedef unsigned long long SIZE_T;
typedef long long SSIZE_T;
typedef unsigned long long DWORD_PTR;
typedef signed char INT8;
typedef unsigned char UINT8;
typedef short INT16;
typedef unsigned short UINT16;
typedef int INT32;
typedef unsigned int UINT32, *PUINT32;
typedef long long INT64;
typedef unsigned long long UINT64;
typedef int LONG32;
typedef unsigned int ULONG32;
typedef unsigned int DWORD32;
typedef long NTSTATUS;
typedef NTSTATUS *PNTSTATUS;
typedef PVOID HANDLE;
typedef HANDLE *PHANDLE;
typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;
typedef CCHAR KPROCESSOR_MODE;
typedef ULONG ACCESS_MASK;
typedef ACCESS_MASK *PACCESS_MASK;
typedef ULONG LOGICAL;
typedef ULONG DEVICE_TYPE;
typedef ULONG_PTR KAFFINITY;
typedef LONG KPRIORITY;
typedef ULONG CLONG;
typedef BOOLEAN *PBOOLEAN;
typedef CHAR *PCHAR;
typedef CHAR *PSTR;
typedef CHAR *LPSTR;
typedef const CHAR *PCSTR;
typedef const char *PCSZ;
typedef double DOUBLE;
typedef const CHAR *PCCH;
typedef const CHAR *LPCSTR;
typedef UCHAR *PUCHAR;
typedef BYTE *PBYTE;
typedef SHORT *PSHORT;
typedef USHORT *PUSHORT;
typedef WCHAR *PWCHAR;
typedef WCHAR *PWSTR;
typedef WCHAR *LPWSTR;
typedef WCHAR *PWCH;
typedef const WCHAR *PCWSTR;
typedef const WCHAR *PCWCH;
typedef const WCHAR *LPCWSTR;
typedef INT *PINT;
typedef UINT *PUINT;
typedef LONG *PLONG;
typedef ULONG *PULONG;
typedef DWORD *PDWORD;
typedef LONGLONG *PLONGLONG;
typedef ULONGLONG *PULONGLONG;
typedef LONG64 *PLONG64;
typedef ULONG64 *PULONG64;
typedef ULONG_PTR *PULONG_PTR;
/* basetsd.h's conversions between handles, pointers and integers. */
#define HandleToULong(h) ((ULONG)(ULONG_PTR)(h))
#define HandleToUlong(h) HandleToULong(h)
#define HandleToLong(h) ((LONG)(LONG_PTR)(h))
#define ULongToHandle(ul) ((HANDLE)(ULONG_PTR)(ul))
#define UlongToHandle(ul) ULongToHandle(ul)
#define LongToHandle(h) ((HANDLE)(LONG_PTR)(h))
#define PtrToUlong(p) ((ULONG)(ULONG_PTR)(p))
#define PtrToLong(p) ((LONG)(LONG_PTR)(p))
#define UlongToPtr(ul) ((PVOID)(ULONG_PTR)(ul))
#define ULongToPtr(ul) UlongToPtr(ul)
#define PtrToUint(p) ((UINT)(UINT_PTR)(p))
#define PtrToInt(p) ((INT)(INT_PTR)(p))
#define PtrToUshort(p) ((unsigned short)(ULONG_PTR)(p))
#define PtrToShort(p) ((short)(LONG_PTR)(p))
#define UintToPtr(ui) ((PVOID)(UINT_PTR)(ui))
#define UIntToPtr(ui) UintToPtr(ui)
#define IntToPtr(i) ((PVOID)(INT_PTR)(i))
#define LongToPtr(l) ((PVOID)(LONG_PTR)(l))
#define Ptr32ToPtr(p) ((PVOID)(ULONG_PTR)(p))
#define Handle32ToHandle(h) ((HANDLE)(LONG_PTR)(h))
#define PtrToPtr32(p) ((ULONG)(ULONG_PTR)(p))
typedef LONG_PTR *PLONG_PTR;
typedef SIZE_T *PSIZE_T;
typedef PVOID *PPVOID;
typedef CCHAR *PCCHAR;
typedef CSHORT *PCSHORT;
typedef const UCHAR *PCUCHAR;
typedef const USHORT *PCUSHORT;
typedef const ULONG *PCULONG;
typedef ULONG *PULONG32;
/* basetsd.h's pointers to the sized integers. */
typedef INT8 *PINT8;
typedef UINT8 *PUINT8;
typedef INT16 *PINT16;
typedef UINT16 *PUINT16;
typedef INT32 *PINT32;
typedef INT64 *PINT64;
typedef UINT64 *PUINT64;
typedef LONG32 *PLONG32;
typedef DWORD32 *PDWORD32;
typedef DWORD64 *PDWORD64;
typedef INT_PTR *PINT_PTR;
typedef UINT_PTR *PUINT_PTR;
typedef DWORD_PTR *PDWORD_PTR;
typedef SSIZE_T *PSSIZE_T;
typedef LONGLONG USN;
typedef ULONG LCID;
typedef WCHAR TCHAR, *PTCHAR, *PTSTR;
typedef const WCHAR *PCTSTR;
typedef LONG HRESULT;
typedef struct _CONTEXT *PCONTEXT;

typedef struct _LUID { ULONG LowPart; LONG HighPart; } LUID, *PLUID;
typedef struct _CLIENT_ID { HANDLE UniqueProcess; HANDLE UniqueThread; } CLIENT_ID, *PCLIENT_ID;
typedef struct _FILE_ID_128 { BYTE Identifier[16]; } FILE_ID_128, *PFILE_ID_128;

#define EXCEPTION_MAXIMUM_PARAMETERS 15
typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;
typedef struct _EXCEPTION_POINTERS { PEXCEPTION_RECORD ExceptionRecord; PCONTEXT ContextRecord; } EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;
NTSTATUS __fltsim_exception_code(void);
PEXCEPTION_POINTERS __fltsim_exception_information(void);
BOOLEAN __fltsim_abnormal_termination(void);

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
/* wdm.h: a physical memory address. */
typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY, *PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCANSI_STRING;

typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const GUID *LPCGUID;
/* DEFINE_GUID: the WDK makes one selectany definition when INITGUID is set and an extern
   declaration otherwise; each unit having its own constant copy is the same for every reader.
   The name is the driver's even where these headers give a well-known GUID as a value macro. */
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) static const GUID __fltsim_declared_name name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)
#define FlagOn(_F, _SF) ((_F) & (_SF))
#define BooleanFlagOn(F, SF) ((BOOLEAN)(((F) & (SF)) != 0))
#define SetFlag(_F, _SF) ((_F) |= (_SF))
#define ClearFlag(_F, _SF) ((_F) &= ~(_SF))
#define ARGUMENT_PRESENT(ArgumentPointer) ((CHAR *)((ULONG_PTR)(ArgumentPointer)) != (CHAR *)NULL)
#define IS_ALIGNED(Pointer, Alignment) ((((ULONG_PTR)(Pointer)) & ((Alignment) - 1)) == 0)
#define IsEqualGUID(A, B) __fltsim_equal_guid((A), (B))
#define InlineIsEqualGUID(A, B) __fltsim_equal_guid((A), (B))
#define UNICODE 1
#define _UNICODE 1
#define TEXT(s) L##s
#define _T(s) L##s
#define Add2Ptr(P, I) ((PVOID)((PUCHAR)(P) + (I)))
#define PtrOffset(B, O) ((ULONG)((ULONG_PTR)(O) - (ULONG_PTR)(B)))
/* ntdef.h's: a driver that defines NOMINMAX (C++ drivers with their own min/max templates) does without them. */
#ifndef NOMINMAX
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#endif
#define RTL_NUMBER_OF(A) (sizeof(A) / sizeof((A)[0]))
#define ARRAYSIZE(A) RTL_NUMBER_OF(A)
#define _countof(A) RTL_NUMBER_OF(A)
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define ROUND_TO_SIZE(Length, Alignment) ((((ULONG_PTR)(Length)) + ((Alignment) - 1)) & ~((ULONG_PTR)(Alignment) - 1))
#define ALIGN_UP_BY(Length, Alignment) ROUND_TO_SIZE(Length, Alignment)
#define ALIGN_DOWN_BY(Length, Alignment) ((ULONG_PTR)(Length) & ~((ULONG_PTR)(Alignment) - 1))
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define UNUSED_PARAMETER(P) ((void)(P))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
/* wdm.h's byte-copy twin of RtlCopyMemory. */
#define RtlCopyBytes RtlCopyMemory
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlSecureZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlEqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#define RTL_CONSTANT_STRING(s) { sizeof(s) - sizeof((s)[0]), sizeof(s), s }
#define DECLARE_CONST_UNICODE_STRING(_var, _string) const UNICODE_STRING _var = RTL_CONSTANT_STRING(_string)
#define DECLARE_UNICODE_STRING_SIZE(_var, _size) WCHAR _var ## _buffer[_size]; UNICODE_STRING _var = { 0, (_size) * sizeof(WCHAR), _var ## _buffer }
#define C_ASSERT(e) typedef char __C_ASSERT__[(e) ? 1 : -1]
#define KdPrint(_x_) DbgPrint _x_
#define KdPrintEx(_x_) DbgPrintEx _x_
#define KdBreakPoint() DbgBreakPoint()
/* MSVC's breakpoint intrinsic: the same breakpoint as DbgBreakPoint (shown in the output; the run goes on). */
#define __debugbreak() DbgBreakPoint()
#define EXTERN_C
#define try __try
#define except __except
#define finally __finally
#define leave __leave
#define __volatile volatile
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)
#define EXCEPTION_NONCONTINUABLE 0x1
#define GetExceptionCode() __fltsim_exception_code()
#define GetExceptionInformation() __fltsim_exception_information()
#define _exception_code() __fltsim_exception_code()
#define _exception_info() __fltsim_exception_information()
#define AbnormalTermination() __fltsim_abnormal_termination()
#define _abnormal_termination() __fltsim_abnormal_termination()

void *memcpy(void *Destination, const void *Source, SIZE_T Length);
void *memmove(void *Destination, const void *Source, SIZE_T Length);
void *memset(void *Destination, int Fill, SIZE_T Length);
int memcmp(const void *A, const void *B, SIZE_T Length);
SIZE_T strlen(const char *S);
SIZE_T wcslen(const WCHAR *S);
int strcmp(const char *A, const char *B);
int wcscmp(const WCHAR *A, const WCHAR *B);
int _wcsicmp(const WCHAR *A, const WCHAR *B);
int _wcsnicmp(const WCHAR *A, const WCHAR *B, SIZE_T N);
int _stricmp(const char *A, const char *B);

int __fltsim_equal_guid(const GUID *A, const GUID *B) {
    int i;
    if (A->Data1 != B->Data1 || A->Data2 != B->Data2 || A->Data3 != B->Data3) return 0;
    for (i = 0; i < 8; i++) {
        if (A->Data4[i] != B->Data4[i]) return 0;
    }
    return 1;
}
#endif
`;
