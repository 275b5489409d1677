import { pathOf, strip } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { IO_ALLOCATORS } from './workItems';

/** Routines that return a device object of another driver (the file system's, the volume's, the disk's). */
const FOREIGN_DEVICE_SOURCES = new Set(['IoGetRelatedDeviceObject', 'IoGetAttachedDevice', 'IoGetAttachedDeviceReference', 'IoGetDeviceAttachmentBaseRef', 'IoGetLowerDeviceObject', 'FltGetDeviceObject', 'FltGetDiskDeviceObject', 'IoGetBaseFileSystemDeviceObject']);

const rule = functionRule({
  id: 'io-wi-foreign-device',
  severity: 'error',
  scope: 'function',
  title: 'IoAllocateWorkItem given a device object the driver does not own',
  why: 'IoAllocateWorkItem ties the work item to a device object and holds a reference on it until the work routine returns; that reference is what keeps the driver that owns the object, and so the routine\'s code, loaded. It must be a device object the calling driver created (IoCreateDevice). A minifilter that passes the file object\'s device, the volume\'s or the disk\'s pins another driver instead and can be unloaded while its work routine is still queued. A minifilter should use FltAllocateGenericWorkItem, which is tied to the filter.',
  sources: ['https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-ioallocateworkitem', DOCS.ddi('nf-fltkernel-fltallocategenericworkitem')],
  wants: (c) => callsAny(c, IO_ALLOCATORS),
  check(ctx) {
    const out: RawFinding[] = [];
    const aliases = ctx.aliases;
    for (const c of allCalls(ctx.fn.body)) {
      if (!c.callee || !IO_ALLOCATORS.has(c.callee) || !c.args[0]) continue;
      const arg = strip(c.args[0]);
      const p = pathOf(arg, aliases);
      let what: string | undefined;
      if (arg.k === 'call' && arg.callee && FOREIGN_DEVICE_SOURCES.has(arg.callee)) what = `the device object ${arg.callee} returns`;
      else if (p && /(?:FileObject|TargetFileObject|FileObj)(?:->|\.)DeviceObject$|(?:->|\.)Vpb(?:->|\.)(?:Real)?DeviceObject$/.test(p)) what = `'${p}', the device object of the file system or volume`;
      if (!what) continue;
      out.push({
        at: ctx.loc(c.args[0].r),
        message: `IoAllocateWorkItem is given ${what}, which belongs to another driver; use a device object this driver created, or FltAllocateGenericWorkItem.`,
      });
    }
    return out;
  },
});
export default rule;
