import type { CallExpr } from '../frontend/ir';
import { callsAny, type RawFinding, functionRule } from '../rule';
import { findLeaks, leakEnd } from './refTracking';

/**
 * Routines that hand the caller a referenced object through an out-parameter (its index), each
 * documented as needing ObDereferenceObject once the caller is done with the object.
 */
const GETTERS: Record<string, number> = {
  PsLookupProcessByProcessId: 1,
  PsLookupThreadByThreadId: 1,
  FltGetDiskDeviceObject: 1,
};
const GETTER_NAMES = new Set(Object.keys(GETTERS));
const RELEASES = new Set(['ObDereferenceObject', 'ObfDereferenceObject', 'ObDereferenceObjectDeferDelete', 'ObDereferenceObjectWithTag', 'ObDereferenceObjectDeferDeleteWithTag']);
/**
 * Routines that only look at the object they are given (the caller's reference stays the caller's).
 * Any other routine the object is passed to may keep it, and the path is then not reported.
 */
const BORROWERS = new Set([
  'PsGetProcessId', 'PsGetThreadId', 'PsGetThreadProcessId', 'PsGetProcessImageFileName', 'PsGetProcessExitStatus', 'PsGetProcessSessionId',
  'PsGetProcessCreateTimeQuadPart', 'PsGetProcessInheritedFromUniqueProcessId', 'PsIsProtectedProcess', 'PsIsSystemProcess', 'PsGetProcessWow64Process',
  'PsGetProcessPeb', 'SeLocateProcessImageName', 'KeStackAttachProcess', 'KeAttachProcess', 'ObOpenObjectByPointer', 'PsReferencePrimaryToken',
  'IoVolumeDeviceToDosName', 'RtlVolumeDeviceToDosName', 'IoGetDeviceAttachmentBaseRef', 'ObReferenceObject', 'ObfReferenceObject',
]);

const rule = functionRule({
  id: 'ob-ref-leak',
  severity: 'warning',
  scope: 'function',
  title: 'Object reference never dropped',
  why: 'PsLookupProcessByProcessId, PsLookupThreadByThreadId and FltGetDiskDeviceObject return the object with a reference taken for the caller, which must give it back with ObDereferenceObject once it is done with the object. A path that returns still holding it keeps the process, thread or device object alive for good: a leak that grows with every call.',
  sources: [
    'https://learn.microsoft.com/windows-hardware/drivers/ddi/ntifs/nf-ntifs-pslookupprocessbyprocessid',
    'https://learn.microsoft.com/windows-hardware/drivers/ddi/ntifs/nf-ntifs-pslookupthreadbythreadid',
    'https://learn.microsoft.com/windows-hardware/drivers/ddi/fltkernel/nf-fltkernel-fltgetdiskdeviceobject',
  ],
  wants: (c) => callsAny(c, GETTER_NAMES),
  check(ctx) {
    const out: RawFinding[] = [];
    const leaks = findLeaks(ctx, {
      acquire: (c: CallExpr) => (c.callee && GETTERS[c.callee] !== undefined ? { arg: GETTERS[c.callee], by: 'status' } : undefined),
      release: (c) => (c.callee && RELEASES.has(c.callee) ? 0 : undefined),
      borrows: (callee) => BORROWERS.has(callee),
    });
    for (const leak of leaks) {
      out.push({
        at: ctx.loc(leak.res.site),
        message: `The reference to '${leak.res.path}' taken by ${leak.res.kind} is not dropped on every path; call ObDereferenceObject(${leak.res.path}) once the object is no longer needed.`,
        related: [leakEnd(ctx, leak, 'dropping')],
      });
    }
    return out;
  },
});
export default rule;
