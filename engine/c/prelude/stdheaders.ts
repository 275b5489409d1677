/**
 * Prelude: the C standard headers a kernel driver may include for their macros — <stdint.h>'s
 * limits (its types are the compiler's own names here) and <stdbool.h>'s true/false for C.
 * <intrin.h> and the like add nothing beyond the base types: the intrinsics drivers use are
 * declared with the interlocked routines.
 */
export const STDINT_H = String.raw`
#ifndef _FLTSIM_STDINT_
#define _FLTSIM_STDINT_
#define INT8_MIN (-127 - 1)
#define INT16_MIN (-32767 - 1)
#define INT32_MIN (-2147483647 - 1)
#define INT64_MIN (-9223372036854775807LL - 1)
#define INT8_MAX 127
#define INT16_MAX 32767
#define INT32_MAX 2147483647
#define INT64_MAX 9223372036854775807LL
#define UINT8_MAX 0xff
#define UINT16_MAX 0xffff
#define UINT32_MAX 0xffffffffU
#define UINT64_MAX 0xffffffffffffffffULL
#define INTPTR_MIN INT64_MIN
#define INTPTR_MAX INT64_MAX
#define UINTPTR_MAX UINT64_MAX
#define SIZE_MAX UINT64_MAX
#define INT8_C(x) (x)
#define INT16_C(x) (x)
#define INT32_C(x) (x)
#define INT64_C(x) (x ## LL)
#define UINT8_C(x) (x)
#define UINT16_C(x) (x)
#define UINT32_C(x) (x ## U)
#define UINT64_C(x) (x ## ULL)
#endif
`;

export const STDBOOL_H = String.raw`
#ifndef _FLTSIM_STDBOOL_
#define _FLTSIM_STDBOOL_
#ifndef __cplusplus
#define true 1
#define false 0
#endif
#define __bool_true_false_are_defined 1
#endif
`;

/**
 * <math.h>: the double functions kernel code calls between KeSaveFloatingPointState and
 * KeRestoreFloatingPointState (engine/interp/builtins/mathFunctions.ts), and MSVC's M_ constants
 * when _USE_MATH_DEFINES is set before the include.
 */
export const MATH_H = String.raw`
#ifndef _FLTSIM_MATH_
#define _FLTSIM_MATH_
double fabs(double X);
double sqrt(double X);
double pow(double X, double Y);
double log(double X);
double log2(double X);
double log10(double X);
double exp(double X);
double floor(double X);
double ceil(double X);
double fmod(double X, double Y);
double sin(double X);
double cos(double X);
double tan(double X);
double atan(double X);
double atan2(double Y, double X);
#ifdef _USE_MATH_DEFINES
#define M_E 2.71828182845904523536
#define M_LOG2E 1.44269504088896340736
#define M_LOG10E 0.434294481903251827651
#define M_LN2 0.693147180559945309417
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_SQRT2 1.41421356237309504880
#endif
#endif
`;
