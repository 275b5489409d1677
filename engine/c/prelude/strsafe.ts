/**
 * Prelude: the safe string routines as one family (engine/interp/builtins/safeStrings.ts runs them):
 * ntstrsafe.h's RtlStringCb/Cch routines for char and wide strings and its RtlUnicodeString ones,
 * and strsafe.h's StringCb/Cch twins, which a driver may include too and which answer with an
 * HRESULT instead of an NTSTATUS.
 */
export const NTSTRSAFE_H = String.raw`
#ifndef _FLTSIM_NTSTRSAFE_
#define _FLTSIM_NTSTRSAFE_
typedef char *NTSTRSAFE_PSTR;
typedef const char *NTSTRSAFE_PCSTR;
typedef WCHAR *NTSTRSAFE_PWSTR;
typedef const WCHAR *NTSTRSAFE_PCWSTR;
typedef const WCHAR *NTSTRSAFE_PCUWSTR;
#define NTSTRSAFE_MAX_CCH 2147483647
#define NTSTRSAFE_UNICODE_STRING_MAX_CCH 32767
NTSTATUS RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS RtlStringCbCopyNA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc, SIZE_T cbToCopy);
NTSTATUS RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS RtlStringCbCatNA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc, SIZE_T cbToAppend);
NTSTATUS RtlStringCbLengthA(NTSTRSAFE_PCSTR psz, SIZE_T cbMax, SIZE_T *pcbLength);
NTSTATUS RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszFormat, ...);
NTSTATUS RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlStringCbCopyNW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszSrc, SIZE_T cbToCopy);
NTSTATUS RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlStringCbCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, PCUNICODE_STRING SourceString);
NTSTATUS RtlStringCchCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, PCUNICODE_STRING SourceString);
NTSTATUS RtlStringCbCatUnicodeString(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, PCUNICODE_STRING SourceString);
NTSTATUS RtlStringCchCatUnicodeString(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, PCUNICODE_STRING SourceString);
NTSTATUS RtlStringCbCatNW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszSrc, SIZE_T cbToAppend);
NTSTATUS RtlStringCbLengthW(NTSTRSAFE_PCWSTR psz, SIZE_T cbMax, SIZE_T *pcbLength);
NTSTATUS RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTATUS RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc, SIZE_T cchToCopy);
NTSTATUS RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS RtlStringCchCatNA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc, SIZE_T cchToAppend);
NTSTATUS RtlStringCchLengthA(NTSTRSAFE_PCSTR psz, SIZE_T cchMax, SIZE_T *pcchLength);
NTSTATUS RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszFormat, ...);
NTSTATUS RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlStringCchCopyNW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszSrc, SIZE_T cchToCopy);
NTSTATUS RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlStringCchCatNW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszSrc, SIZE_T cchToAppend);
NTSTATUS RtlStringCchLengthW(NTSTRSAFE_PCWSTR psz, SIZE_T cchMax, SIZE_T *pcchLength);
NTSTATUS RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTATUS RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlUnicodeStringCopy(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
NTSTATUS RtlUnicodeStringCat(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
NTSTATUS RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlUnicodeStringCatString(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlUnicodeStringCbCopyStringN(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, SIZE_T cbToCopy);
NTSTATUS RtlUnicodeStringCbCatStringN(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc, SIZE_T cbToAppend);
NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, ...);
#define STRSAFE_IGNORE_NULLS 0x00000100
#define STRSAFE_FILL_BEHIND_NULL 0x00000200
#define STRSAFE_FILL_ON_FAILURE 0x00000400
#define STRSAFE_NULL_ON_FAILURE 0x00000800
#define STRSAFE_NO_TRUNCATION 0x00001000
NTSTATUS RtlUnicodeStringValidate(PCUNICODE_STRING SourceString);
NTSTATUS RtlUnicodeStringValidateEx(PCUNICODE_STRING SourceString, ULONG dwFlags);
NTSTATUS RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTATUS RtlStringCbVPrintfW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTATUS RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTATUS RtlStringCchVPrintfW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTATUS RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, va_list argList);
#endif
`;

/** strsafe.h: only for drivers that include it. */
export const STRSAFE_H = String.raw`
#ifndef _FLTSIM_STRSAFE_
#define _FLTSIM_STRSAFE_
typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef WCHAR *STRSAFE_LPWSTR;
typedef const WCHAR *STRSAFE_LPCWSTR;
#define STRSAFE_MAX_CCH 2147483647
#define S_OK ((HRESULT)0L)
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026L)
#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif
HRESULT StringCbCopyA(STRSAFE_LPSTR pszDest, SIZE_T cbDest, STRSAFE_LPCSTR pszSrc);
HRESULT StringCbCopyNA(STRSAFE_LPSTR pszDest, SIZE_T cbDest, STRSAFE_LPCSTR pszSrc, SIZE_T cbToCopy);
HRESULT StringCbCatA(STRSAFE_LPSTR pszDest, SIZE_T cbDest, STRSAFE_LPCSTR pszSrc);
HRESULT StringCbCatNA(STRSAFE_LPSTR pszDest, SIZE_T cbDest, STRSAFE_LPCSTR pszSrc, SIZE_T cbToAppend);
HRESULT StringCbLengthA(STRSAFE_LPCSTR psz, SIZE_T cbMax, SIZE_T *pcbLength);
HRESULT StringCbPrintfA(STRSAFE_LPSTR pszDest, SIZE_T cbDest, STRSAFE_LPCSTR pszFormat, ...);
HRESULT StringCbCopyW(STRSAFE_LPWSTR pszDest, SIZE_T cbDest, STRSAFE_LPCWSTR pszSrc);
HRESULT StringCbCopyNW(STRSAFE_LPWSTR pszDest, SIZE_T cbDest, STRSAFE_LPCWSTR pszSrc, SIZE_T cbToCopy);
HRESULT StringCbCatW(STRSAFE_LPWSTR pszDest, SIZE_T cbDest, STRSAFE_LPCWSTR pszSrc);
HRESULT StringCbCatNW(STRSAFE_LPWSTR pszDest, SIZE_T cbDest, STRSAFE_LPCWSTR pszSrc, SIZE_T cbToAppend);
HRESULT StringCbLengthW(STRSAFE_LPCWSTR psz, SIZE_T cbMax, SIZE_T *pcbLength);
HRESULT StringCbPrintfW(STRSAFE_LPWSTR pszDest, SIZE_T cbDest, STRSAFE_LPCWSTR pszFormat, ...);
HRESULT StringCchCopyA(STRSAFE_LPSTR pszDest, SIZE_T cchDest, STRSAFE_LPCSTR pszSrc);
HRESULT StringCchCopyNA(STRSAFE_LPSTR pszDest, SIZE_T cchDest, STRSAFE_LPCSTR pszSrc, SIZE_T cchToCopy);
HRESULT StringCchCatA(STRSAFE_LPSTR pszDest, SIZE_T cchDest, STRSAFE_LPCSTR pszSrc);
HRESULT StringCchCatNA(STRSAFE_LPSTR pszDest, SIZE_T cchDest, STRSAFE_LPCSTR pszSrc, SIZE_T cchToAppend);
HRESULT StringCchLengthA(STRSAFE_LPCSTR psz, SIZE_T cchMax, SIZE_T *pcchLength);
HRESULT StringCchPrintfA(STRSAFE_LPSTR pszDest, SIZE_T cchDest, STRSAFE_LPCSTR pszFormat, ...);
HRESULT StringCchCopyW(STRSAFE_LPWSTR pszDest, SIZE_T cchDest, STRSAFE_LPCWSTR pszSrc);
HRESULT StringCchCopyNW(STRSAFE_LPWSTR pszDest, SIZE_T cchDest, STRSAFE_LPCWSTR pszSrc, SIZE_T cchToCopy);
HRESULT StringCchCatW(STRSAFE_LPWSTR pszDest, SIZE_T cchDest, STRSAFE_LPCWSTR pszSrc);
HRESULT StringCchCatNW(STRSAFE_LPWSTR pszDest, SIZE_T cchDest, STRSAFE_LPCWSTR pszSrc, SIZE_T cchToAppend);
HRESULT StringCchLengthW(STRSAFE_LPCWSTR psz, SIZE_T cchMax, SIZE_T *pcchLength);
HRESULT StringCchPrintfW(STRSAFE_LPWSTR pszDest, SIZE_T cchDest, STRSAFE_LPCWSTR pszFormat, ...);
#ifdef UNICODE
#define StringCbCat StringCbCatW
#define StringCbCatN StringCbCatNW
#define StringCbCopy StringCbCopyW
#define StringCbCopyN StringCbCopyNW
#define StringCbLength StringCbLengthW
#define StringCbPrintf StringCbPrintfW
#define StringCchCat StringCchCatW
#define StringCchCatN StringCchCatNW
#define StringCchCopy StringCchCopyW
#define StringCchCopyN StringCchCopyNW
#define StringCchLength StringCchLengthW
#define StringCchPrintf StringCchPrintfW
#else
#define StringCbCat StringCbCatA
#define StringCbCatN StringCbCatNA
#define StringCbCopy StringCbCopyA
#define StringCbCopyN StringCbCopyNA
#define StringCbLength StringCbLengthA
#define StringCbPrintf StringCbPrintfA
#define StringCchCat StringCchCatA
#define StringCchCatN StringCchCatNA
#define StringCchCopy StringCchCopyA
#define StringCchCopyN StringCchCopyNA
#define StringCchLength StringCchLengthA
#define StringCchPrintf StringCchPrintfA
#endif
#endif
`;
