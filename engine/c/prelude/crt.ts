/**
 * Prelude: the C run-time functions the kernel exports and drivers call (stdio.h, stdlib.h,
 * string.h, wchar.h as far as kernel code may use them). memcpy and friends are in the base types.
 */
export const CRT_H = String.raw`
#ifndef _FLTSIM_CRT_
#define _FLTSIM_CRT_
typedef char *va_list;
/* Variable arguments: va_start lays the extra arguments out in 8-byte slots, as x64 passes them;
   va_arg reads the next slot (a struct that is not 1, 2, 4 or 8 bytes through the address it holds). */
void __fltsim_va_start(va_list *Ap);
void *__fltsim_va_arg(va_list *Ap, SIZE_T Size);
#define va_start(ap, last) ((void)__fltsim_va_start(&(ap)))
#define va_arg(ap, t) (*(t *)__fltsim_va_arg(&(ap), sizeof(t)))
#define va_end(ap) ((void)((ap) = (va_list)0))
#define va_copy(dest, src) ((void)((dest) = (src)))
#define __va_copy(dest, src) va_copy(dest, src)
int vsprintf(char *Buffer, const char *Format, va_list ArgList);
int _snprintf(char *Buffer, SIZE_T Count, const char *Format, ...);
int _snwprintf(WCHAR *Buffer, SIZE_T Count, const WCHAR *Format, ...);
int sprintf(char *Buffer, const char *Format, ...);
int swprintf(WCHAR *Buffer, const WCHAR *Format, ...);
int _vsnprintf(char *Buffer, SIZE_T Count, const char *Format, va_list ArgList);
int _vsnwprintf(WCHAR *Buffer, SIZE_T Count, const WCHAR *Format, va_list ArgList);
char *strcpy(char *Destination, const char *Source);
char *strncpy(char *Destination, const char *Source, SIZE_T Count);
char *strcat(char *Destination, const char *Source);
char *strchr(const char *S, int C);
char *strrchr(const char *S, int C);
typedef int errno_t;
#ifndef _TRUNCATE
#define _TRUNCATE ((SIZE_T)-1)
#endif
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef ERANGE
#define ERANGE 34
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
errno_t strcpy_s(char *Destination, SIZE_T Size, const char *Source);
errno_t strncpy_s(char *Destination, SIZE_T Size, const char *Source, SIZE_T Count);
errno_t strcat_s(char *Destination, SIZE_T Size, const char *Source);
errno_t wcscpy_s(WCHAR *Destination, SIZE_T Size, const WCHAR *Source);
errno_t wcsncpy_s(WCHAR *Destination, SIZE_T Size, const WCHAR *Source, SIZE_T Count);
errno_t wcscat_s(WCHAR *Destination, SIZE_T Size, const WCHAR *Source);
long atol(const char *S);
long labs(long X);
char *strstr(const char *S, const char *Find);
int strncmp(const char *A, const char *B, SIZE_T N);
int _strnicmp(const char *A, const char *B, SIZE_T N);
WCHAR *wcscpy(WCHAR *Destination, const WCHAR *Source);
WCHAR *wcsncpy(WCHAR *Destination, const WCHAR *Source, SIZE_T Count);
WCHAR *wcscat(WCHAR *Destination, const WCHAR *Source);
WCHAR *wcschr(const WCHAR *S, WCHAR C);
WCHAR *wcsrchr(const WCHAR *S, WCHAR C);
WCHAR *wcsstr(const WCHAR *S, const WCHAR *Find);
int wcsncmp(const WCHAR *A, const WCHAR *B, SIZE_T N);
SIZE_T wcsnlen(const WCHAR *S, SIZE_T Max);
SIZE_T strnlen(const char *S, SIZE_T Max);
int toupper(int C);
int tolower(int C);
WCHAR towupper(WCHAR C);
WCHAR towlower(WCHAR C);
char *_strupr(char *S);
char *_strlwr(char *S);
WCHAR *_wcsupr(WCHAR *S);
WCHAR *_wcslwr(WCHAR *S);
int atoi(const char *S);
long strtol(const char *S, char **End, int Base);
unsigned long strtoul(const char *S, char **End, int Base);
int abs(int X);
void qsort(void *Base, SIZE_T Count, SIZE_T Width, int (*Compare)(const void *, const void *));
void *bsearch(const void *Key, const void *Base, SIZE_T Count, SIZE_T Width, int (*Compare)(const void *, const void *));
#endif
`;
