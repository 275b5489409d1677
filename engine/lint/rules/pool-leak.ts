import type { CallExpr } from '../frontend/ir';
import { callsAny, type RawFinding, functionRule } from '../rule';
import { findLeaks, leakEnd } from './refTracking';

/**
 * Routines that allocate pool for the caller and hand it back through an out-parameter (its
 * index), each documented as the caller's to free with ExFreePool. IoVolumeDeviceToDosName fills a
 * UNICODE_STRING whose Buffer is the allocation: the string is tracked, and freed through its Buffer.
 */
const ALLOCATORS: Record<string, number> = {
  IoVolumeDeviceToDosName: 1,
  RtlVolumeDeviceToDosName: 1,
  SeLocateProcessImageName: 1,
  IoQueryFileDosDeviceName: 1,
};
const ALLOCATOR_NAMES = new Set(Object.keys(ALLOCATORS));
const FREES = new Set(['ExFreePool', 'ExFreePoolWithTag', 'ExFreePool2', 'RtlFreeUnicodeString']);
/** Routines that read or print a string without taking its buffer. */
const BORROWERS = new Set([
  'RtlCopyUnicodeString', 'RtlAppendUnicodeStringToString', 'RtlCompareUnicodeString', 'RtlEqualUnicodeString', 'RtlPrefixUnicodeString',
  'RtlSuffixUnicodeString', 'RtlUnicodeStringToAnsiString', 'RtlUpcaseUnicodeString', 'RtlDowncaseUnicodeString', 'RtlDuplicateUnicodeString',
  'RtlStringCbPrintfW', 'RtlStringCchPrintfW', 'RtlStringCbCopyUnicodeString', 'RtlStringCchCopyUnicodeString', 'RtlUnicodeStringPrintf',
  'RtlUnicodeStringCopy', 'RtlUnicodeStringCat', 'RtlHashUnicodeString', 'FsRtlIsNameInExpression', 'RtlInitUnicodeString',
]);

const rule = functionRule({
  id: 'pool-leak',
  severity: 'error',
  scope: 'function',
  title: 'Buffer a routine allocated for the driver never freed',
  why: 'IoVolumeDeviceToDosName, SeLocateProcessImageName and IoQueryFileDosDeviceName allocate the name they return from pool, and their pages leave freeing it to the caller (ExFreePool). A path that returns without freeing it loses the memory for good; in a callback that runs for every file operation the leak grows until pool runs out.',
  sources: [
    'https://learn.microsoft.com/windows-hardware/drivers/ddi/ntifs/nf-ntifs-iovolumedevicetodosname',
    'https://learn.microsoft.com/windows-hardware/drivers/ddi/ntifs/nf-ntifs-selocateprocessimagename',
    'https://learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/nf-ntddk-ioqueryfiledosdevicename',
  ],
  wants: (c) => callsAny(c, ALLOCATOR_NAMES),
  check(ctx) {
    const out: RawFinding[] = [];
    const leaks = findLeaks(ctx, {
      acquire: (c: CallExpr) => (c.callee && ALLOCATORS[c.callee] !== undefined ? { arg: ALLOCATORS[c.callee], by: 'status' } : undefined),
      release: (c) => (c.callee && FREES.has(c.callee) ? 0 : undefined),
      // `ExFreePool(DosName.Buffer)` and `RtlFreeUnicodeString(&DosName)` free the string's buffer.
      releasedPath: (p) => p.replace(/^&/, '').replace(/(\.|->)Buffer$/, ''),
      borrows: (callee) => BORROWERS.has(callee),
    });
    for (const leak of leaks) {
      const freed = leak.res.kind === 'IoVolumeDeviceToDosName' || leak.res.kind === 'RtlVolumeDeviceToDosName' ? `${leak.res.path}.Buffer` : leak.res.path;
      out.push({
        at: ctx.loc(leak.res.site),
        message: `${leak.res.kind} allocates '${freed}' for the caller, and it is not freed on every path; call ExFreePool(${freed}) once the name is no longer needed.`,
        related: [leakEnd(ctx, leak, 'freeing')],
      });
    }
    return out;
  },
});
export default rule;
