/**
 * The device stacks under each Filter Manager volume, made from the one DEVICE_OBJECT model
 * (kernel/deviceObject.ts), and the routines that hand them to filters.
 *
 *   Filter Manager's volume device (FltGetDeviceObject)      \FileSystem\FltMgr, attached over
 *   the file system's volume device (unnamed)                 \FileSystem\Ntfs (or the volume's file system),
 *                 mounted on
 *   the storage device `\Device\HarddiskVolume1` (FltGetDiskDeviceObject)   \Driver\disk
 *
 * The engine plays all three drivers. The Filter Manager's device passes every IRP down to the
 * file system's; the file system passes device controls on to the storage device (as NTFS does for
 * IOCTLs it does not handle itself) and refuses other requests that come without a file; the
 * storage device answers the IOCTLs below and refuses everything else with
 * STATUS_INVALID_DEVICE_REQUEST, as a real disk refuses a code it does not know:
 *
 *   IOCTL_DISK_GET_CLUSTER_INFO   DISK_CLUSTER_INFO: not a cluster disk (Flags 0)
 *   IOCTL_DISK_IS_WRITABLE        STATUS_SUCCESS, or STATUS_MEDIA_WRITE_PROTECTED for a readonly volume
 *   IOCTL_STORAGE_QUERY_PROPERTY, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS   storageQueries.ts
 *
 * IRP_MJ_CREATE, CLEANUP and CLOSE on the storage device succeed. Reads and writes of raw sectors
 * are not modelled (STATUS_INVALID_DEVICE_REQUEST).
 */
import { dosNameOfVolume } from './dosNames';
import { sizeOf } from '../c/types';
import type { Co } from '../kernel/coroutine';
import type { UnicodeString } from '../kernel/cvalues';
import { DeviceObject, EngineDriver } from '../kernel/deviceObject';
import type { Irp, IrpRoutines } from '../kernel/irp';
import { EngineStruct, writeFields, type Marshal } from '../kernel/marshal';
import type { ObjectManagerRoutines } from '../kernel/objectManager';
import { writeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { readBuffer, writeBuffer } from '../kernel/buffers';
import { IOCTL_STORAGE_QUERY_PROPERTY, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, storageQuery } from './storageQueries';
import type { KThread } from '../kernel/thread';
import { writeChars } from '../memory/strings';
import { viewAt, type StructView } from '../memory/view';
import { FILE_DEVICE_CD_ROM_FILE_SYSTEM, FILE_DEVICE_DISK, FILE_DEVICE_DISK_FILE_SYSTEM, FILE_READ_ONLY_DEVICE, FILE_REMOVABLE_MEDIA, IRP_MJ } from './constants';
import { FS_DRIVER_NAME, type FsVolume } from './fsTree';
import type { FilterManager } from './fltmgr';
import { FileObject } from './structs';
import { Volume } from './objects';

const FILE_DEVICE_CD_ROM = 0x2;
/** CTL_CODE(IOCTL_DISK_BASE, 0x0085, METHOD_BUFFERED, FILE_ANY_ACCESS) */
const IOCTL_DISK_GET_CLUSTER_INFO = 0x70214;
/** CTL_CODE(IOCTL_DISK_BASE, 0x0009, METHOD_BUFFERED, FILE_ANY_ACCESS) */
const IOCTL_DISK_IS_WRITABLE = 0x70024;

/** The three devices of one volume, and the VPB that ties the storage device to the mounted file system's. */
export interface VolumeStack {
  storage: DeviceObject;
  fileSystem: DeviceObject;
  filterManager: DeviceObject;
  vpb: Vpb;
}

const IO_TYPE_VPB = 10;
const VPB_MOUNTED = 0x1;

/** VPB: the mount of a file system on a storage device (DeviceObject = the file system's, RealDevice = the storage). */
export class Vpb extends EngineStruct {
  protected get cTag(): string {
    return '_VPB';
  }

  readonly js: Record<string, unknown>;

  constructor(fileSystem: DeviceObject, storage: DeviceObject, serial: number) {
    super();
    this.js = { Type: IO_TYPE_VPB, Size: 0x60, Flags: VPB_MOUNTED, DeviceObject: fileSystem, RealDevice: storage, SerialNumber: serial >>> 0, ReferenceCount: 1 };
  }

  protected override cLabel(): string {
    return 'VPB';
  }

  protected override cFill(v: StructView, _m: Marshal): void {
    writeFields(v, this.js, true);
  }
}

export class VolumeDeviceRoutines {
  private readonly stacks = new Map<Volume, VolumeStack>();
  private readonly volumeOf = new Map<DeviceObject, FsVolume>();
  private readonly disk: EngineDriver;
  private readonly fileSystems = new Map<string, EngineDriver>();
  private readonly filterManager: EngineDriver;

  constructor(
    private readonly fm: FilterManager,
    private readonly ob: ObjectManagerRoutines,
    private readonly irps: IrpRoutines,
  ) {
    this.disk = new EngineDriver('disk', (major) => (major === IRP_MJ.DEVICE_CONTROL || major === IRP_MJ.INTERNAL_DEVICE_CONTROL ? this.diskControl : major === IRP_MJ.CREATE || major === IRP_MJ.CLEANUP || major === IRP_MJ.CLOSE ? this.succeed : null));
    this.filterManager = new EngineDriver('FltMgr', () => this.passDown);
    // An object, not a closure: see "Hooks are objects" in docs/architecture.md.
    fm.fs.devices = this;
  }

  /** A volume's storage device and VPB, which a FILE_OBJECT made on it points at. */
  devicesOf(volumeName: string): { DeviceObject: unknown; Vpb: unknown } | undefined {
    const v = this.fm.volumes.find((x) => x.name === volumeName);
    if (v === undefined) return undefined;
    const st = this.stackOf(v);
    return { DeviceObject: st.storage, Vpb: st.vpb };
  }

  /**
   * The device I/O on the file object goes to: the top of the stack over the file system's volume
   * device its VPB names (the Filter Manager's device, or a legacy filter attached above it).
   */
  IoGetRelatedDeviceObject(FileObject_: unknown): DeviceObject | null {
    const k = this.fm.k;
    k.checkIrql('IoGetRelatedDeviceObject');
    if (!(FileObject_ instanceof FileObject)) {
      k.violation(FileObject_ === null || FileObject_ === undefined ? 'null-param' : 'bad-object', 'IoGetRelatedDeviceObject needs a FILE_OBJECT (FltObjects->FileObject, or one from ObReferenceObjectByHandle)');
      return null;
    }
    const vpb = FileObject_.Vpb;
    const dev = vpb instanceof Vpb ? (vpb.js.DeviceObject as DeviceObject) : FileObject_.DeviceObject instanceof DeviceObject ? FileObject_.DeviceObject : null;
    return dev === null ? null : dev.top();
  }

  /** The devices under `v`, made the first time anyone asks. */
  stackOf(v: Volume): VolumeStack {
    let s = this.stacks.get(v);
    if (s !== undefined) return s;
    const fsv = this.fm.fs.volume(v.name);
    const cd = fsv.fileSystem === 'cdfs' || fsv.fileSystem === 'udfs';
    const characteristics = (fsv.removable ? FILE_REMOVABLE_MEDIA : 0) | (fsv.writable ? 0 : FILE_READ_ONLY_DEVICE);
    const storage = new DeviceObject({ name: v.name, owner: this.disk, role: 'storage', deviceType: cd ? FILE_DEVICE_CD_ROM : FILE_DEVICE_DISK, characteristics, sectorSize: fsv.sectorSize });
    const fileSystem = new DeviceObject({ name: '', owner: this.fileSystemDriver(fsv), role: 'file-system-volume', deviceType: cd ? FILE_DEVICE_CD_ROM_FILE_SYSTEM : FILE_DEVICE_DISK_FILE_SYSTEM, characteristics, sectorSize: fsv.sectorSize });
    // Mounted, not attached: the file system's device needs one more stack location than the storage stack.
    fileSystem.setField('StackSize', storage.stackSize + 1);
    const filterManager = new DeviceObject({ name: '', owner: this.filterManager, role: 'filter-manager-volume', deviceType: fileSystem.deviceType, characteristics, sectorSize: fsv.sectorSize });
    fileSystem.attach(filterManager);
    const vpb = new Vpb(fileSystem, storage, fsv.serial);
    storage.setField('Vpb', vpb);
    fileSystem.setField('Vpb', vpb);
    s = { storage, fileSystem, filterManager, vpb };
    for (const d of [storage, fileSystem, filterManager]) this.volumeOf.set(d, fsv);
    this.stacks.set(v, s);
    return s;
  }

  /** The Filter Manager's volume device, with a reference the caller drops with ObDereferenceObject. */
  FltGetDeviceObject(Volume_: unknown, DeviceObject_: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetDeviceObject');
    writeOut(DeviceObject_, null);
    if (!(Volume_ instanceof Volume)) {
      k.violation(Volume_ === null || Volume_ === undefined ? 'null-param' : 'bad-object', 'FltGetDeviceObject needs a volume (FltObjects->Volume)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const dev = this.stackOf(Volume_).filterManager;
    this.ob.take(dev, 'FltGetDeviceObject');
    writeOut(DeviceObject_, dev);
    return STATUS.STATUS_SUCCESS;
  }

  /** The volume's storage device, with a reference the caller drops with ObDereferenceObject. */
  FltGetDiskDeviceObject(Volume_: unknown, DiskDeviceObject: unknown): number {
    const k = this.fm.k;
    k.checkIrql('FltGetDiskDeviceObject');
    writeOut(DiskDeviceObject, null);
    if (!(Volume_ instanceof Volume)) {
      k.violation(Volume_ === null || Volume_ === undefined ? 'null-param' : 'bad-object', 'FltGetDiskDeviceObject needs a PFLT_VOLUME (FltObjects->Volume, FltGetVolumeFromInstance…)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const dev = this.stackOf(Volume_).storage;
    this.ob.take(dev, 'FltGetDiskDeviceObject');
    writeOut(DiskDeviceObject, dev);
    return STATUS.STATUS_SUCCESS;
  }

  /** The DOS name (`C:`) of a volume's storage device; the caller frees the buffer with ExFreePool. */
  IoVolumeDeviceToDosName(VolumeDeviceObject: unknown, DosName: unknown): number {
    const k = this.fm.k;
    k.checkIrql('IoVolumeDeviceToDosName');
    if (!(VolumeDeviceObject instanceof DeviceObject) || VolumeDeviceObject.role !== 'storage') {
      k.violation('bad-object', 'IoVolumeDeviceToDosName needs a volume\'s storage device object (from FltGetDiskDeviceObject)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const index = this.fm.volumes.findIndex((v) => v.name === VolumeDeviceObject.name);
    const text = dosNameOfVolume(index);
    const us = DosName as UnicodeString;
    if (k.allocationFails('IoVolumeDeviceToDosName')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const buffer = this.fm.pool.allocate('IoVolumeDeviceToDosName', 2 * text.length + 2, 'NonPagedPool', 0);
    us.Buffer = buffer;
    us.MaximumLength = 2 * text.length + 2;
    writeChars(buffer, text, 2, true);
    us.Length = 2 * text.length;
    return STATUS.STATUS_SUCCESS;
  }

  private fileSystemDriver(fsv: FsVolume): EngineDriver {
    const name = FS_DRIVER_NAME[fsv.fileSystem];
    let d = this.fileSystems.get(name);
    if (d === undefined) {
      d = new EngineDriver(name, (major) => (major === IRP_MJ.DEVICE_CONTROL || major === IRP_MJ.INTERNAL_DEVICE_CONTROL ? this.toStorage : null));
      this.fileSystems.set(name, d);
    }
    return d;
  }

  private readonly succeed = (_t: KThread, _dev: DeviceObject, irp: Irp): Co<number> => this.irps.complete(irp, STATUS.STATUS_SUCCESS, 0);

  /** The Filter Manager's device: every IRP goes on to the file system's volume device below. */
  private readonly passDown = (t: KThread, dev: DeviceObject, irp: Irp): Co<number> => this.irps.passDown(t, dev.lowerDevice!, irp);

  /** The file system's volume device: device controls go on to the storage device it is mounted on. */
  private readonly toStorage = (t: KThread, dev: DeviceObject, irp: Irp): Co<number> => {
    const storage = [...this.stacks.values()].find((s) => s.fileSystem === dev)!.storage;
    return this.irps.passDown(t, storage, irp);
  };

  /** The storage device's answers to device controls. */
  private readonly diskControl = (_t: KThread, dev: DeviceObject, irp: Irp): Co<number> => {
    const k = this.fm.k;
    const stack = irp.currentStack(k.marshal.struct('_IO_STACK_LOCATION'));
    const p = (stack.Parameters as StructView).DeviceIoControl as StructView;
    const code = Number(p.IoControlCode) >>> 0;
    const outLen = Number(p.OutputBufferLength) >>> 0;
    const fsv = this.volumeOf.get(dev)!;
    switch (code) {
      case IOCTL_DISK_GET_CLUSTER_INFO: {
        const st = k.marshal.struct('_DISK_CLUSTER_INFO');
        const size = sizeOf(st);
        if (outLen < size || irp.systemBuffer === null) return this.irps.complete(irp, STATUS.STATUS_BUFFER_TOO_SMALL, 0);
        const info = viewAt(irp.systemBuffer.alloc, irp.systemBuffer.offset, st);
        info.Version = size;
        // A disk of no failover cluster: neither CSV nor in maintenance.
        info.Flags = 0;
        info.FlagsMask = 0;
        info.Notify = 0;
        return this.irps.complete(irp, STATUS.STATUS_SUCCESS, size);
      }
      case IOCTL_DISK_IS_WRITABLE:
        return this.irps.complete(irp, fsv.writable ? STATUS.STATUS_SUCCESS : STATUS.STATUS_MEDIA_WRITE_PROTECTED, 0);
      case IOCTL_STORAGE_QUERY_PROPERTY:
      case IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS: {
        const inLen = Number(p.InputBufferLength) >>> 0;
        const input = irp.systemBuffer === null ? new Uint8Array(0) : readBuffer(k.marshal, irp.systemBuffer, inLen);
        const r = storageQuery(k.marshal, code, input, irp.systemBuffer === null ? 0 : outLen, fsv, this.fm.fs.diskNumber(fsv));
        if (r.bytes.length > 0) writeBuffer(k.marshal, irp.systemBuffer, 0, r.bytes);
        return this.irps.complete(irp, r.status, r.bytes.length);
      }
      default:
        k.emit('io-done', 0, `${dev.label} does not answer IOCTL 0x${code.toString(16)} (STATUS_INVALID_DEVICE_REQUEST)`);
        return this.irps.complete(irp, STATUS.STATUS_INVALID_DEVICE_REQUEST, 0);
    }
  };
}
