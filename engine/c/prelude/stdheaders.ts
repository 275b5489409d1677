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
