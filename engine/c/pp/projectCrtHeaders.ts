/**
 * Project headers named like the C library's. MSVC searches the include directories (/I) before its
 * own for `#include <x.h>`, so a project module called memory.h or string.h (datashred's src/) is
 * what `<memory.h>` opens — also for the WDK headers themselves, which include <string.h>: a driver
 * that names a module string.h gets it with every <fltKernel.h>, and some rely on that.
 */

/** C library headers that a project header of the same name replaces for `#include <…>`. */
export const PROJECT_FIRST_CRT_HEADERS: ReadonlySet<string> = new Set(['string.h', 'memory.h']);

/** The WDK headers whose real versions include <string.h>. */
export const WDK_HEADERS_INCLUDING_STRING_H: ReadonlySet<string> = new Set(['wdm.h', 'ntddk.h', 'ntifs.h', 'fltkernel.h']);
