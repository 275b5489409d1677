/**
 * What the disk under a volume answers when a filter asks what it is: IOCTL_STORAGE_QUERY_PROPERTY
 * (the device and adapter descriptors: bus type, removable media) and
 * IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS (the disk and the byte range the volume lies on). USB and DLP
 * filters send them from instance setup, to the storage device (IoBuildDeviceIoControlRequest on
 * FltGetDiskDeviceObject) or through a volume handle (FltDeviceIoControlFile on FltOpenVolume's file
 * object, which the file system passes down); both reach this one answer.
 *
 * The disk of a `removable` scenario volume hangs on USB, a fixed one on SATA; CD and DVD file
 * systems sit on a CD-ROM device. A query whose input is shorter than STORAGE_PROPERTY_QUERY is
 * STATUS_INVALID_PARAMETER; a property other than the device and adapter descriptors is
 * STATUS_NOT_SUPPORTED; PropertyExistsQuery answers success with no data; a descriptor larger than
 * the output buffer is cut to it (the caller reads STORAGE_DESCRIPTOR_HEADER.Size and asks again).
 * Disk extents need room for one DISK_EXTENT (else STATUS_BUFFER_TOO_SMALL).
 */
import type { Marshal } from '../kernel/marshal';
import { STATUS } from '../kernel/status';
import { layout, Out } from './fileinfo';
import type { FsVolume } from './fsTree';
import { VOLUME_CAPACITY } from './volumeInfo';

/** CTL_CODE(IOCTL_STORAGE_BASE, 0x0500, METHOD_BUFFERED, FILE_ANY_ACCESS) */
export const IOCTL_STORAGE_QUERY_PROPERTY = 0x2d1400;
/** CTL_CODE(IOCTL_VOLUME_BASE, 0, METHOD_BUFFERED, FILE_ANY_ACCESS) */
export const IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS = 0x560000;

const StorageDeviceProperty = 0;
const StorageAdapterProperty = 1;
const PropertyStandardQuery = 0;
const PropertyExistsQuery = 1;

/** STORAGE_BUS_TYPE values used here. */
const BUS = Object.freeze({ Atapi: 2, Usb: 7, Sata: 11 });
/** SCSI peripheral device types of STORAGE_DEVICE_DESCRIPTOR.DeviceType. */
const DIRECT_ACCESS_DEVICE = 0x00;
const READ_ONLY_DIRECT_ACCESS_DEVICE = 0x05;

/** Where the one partition of each simulated disk starts (1 MiB, as Windows aligns them). */
const PARTITION_OFFSET = 0x100000;

export interface StorageAnswer {
  status: number;
  /** The bytes the caller's output buffer gets (already cut to its length). */
  bytes: Uint8Array;
}

/** Whether a control code is one of the storage queries a disk answers here. */
export function isStorageQuery(code: number): boolean {
  return code === IOCTL_STORAGE_QUERY_PROPERTY || code === IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS;
}

interface DiskIdentity {
  bus: number;
  deviceType: number;
  removable: boolean;
  product: string;
}

function identity(vol: FsVolume): DiskIdentity {
  const optical = vol.fileSystem === 'cdfs' || vol.fileSystem === 'udfs';
  if (optical) return { bus: vol.removable ? BUS.Usb : BUS.Atapi, deviceType: READ_ONLY_DIRECT_ACCESS_DEVICE, removable: true, product: 'Virtual DVD' };
  if (vol.removable) return { bus: BUS.Usb, deviceType: DIRECT_ACCESS_DEVICE, removable: true, product: 'USB Flash Disk' };
  return { bus: BUS.Sata, deviceType: DIRECT_ACCESS_DEVICE, removable: false, product: 'Virtual Disk' };
}

/**
 * The answer to a storage query `code` with `input` (the request's input bytes) and room for
 * `outputLength` bytes, about volume `vol` on disk number `disk`.
 */
export function storageQuery(m: Marshal, code: number, input: Uint8Array, outputLength: number, vol: FsVolume, disk: number): StorageAnswer {
  const none = (status: number): StorageAnswer => ({ status, bytes: new Uint8Array(0) });
  if (code === IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS) {
    const l = layout(m, '_VOLUME_DISK_EXTENTS');
    const e = layout(m, '_DISK_EXTENT');
    if (outputLength < l.size) return none(STATUS.STATUS_BUFFER_TOO_SMALL);
    const o = new Out(l.size);
    const at = l.off('Extents');
    o.u32(l.off('NumberOfDiskExtents'), 1);
    o.u32(at + e.off('DiskNumber'), disk);
    o.i64(at + e.off('StartingOffset'), PARTITION_OFFSET);
    o.i64(at + e.off('ExtentLength'), VOLUME_CAPACITY);
    return { status: STATUS.STATUS_SUCCESS, bytes: o.bytes };
  }
  const q = layout(m, '_STORAGE_PROPERTY_QUERY');
  if (input.length < q.size) return none(STATUS.STATUS_INVALID_PARAMETER);
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const property = dv.getUint32(q.off('PropertyId'), true);
  const queryType = dv.getUint32(q.off('QueryType'), true);
  if (property !== StorageDeviceProperty && property !== StorageAdapterProperty) return none(STATUS.STATUS_NOT_SUPPORTED);
  if (queryType === PropertyExistsQuery) return none(STATUS.STATUS_SUCCESS);
  if (queryType !== PropertyStandardQuery) return none(STATUS.STATUS_INVALID_DEVICE_REQUEST);
  const id = identity(vol);
  const full = property === StorageDeviceProperty ? deviceDescriptor(m, id, disk) : adapterDescriptor(m, id);
  return { status: STATUS.STATUS_SUCCESS, bytes: full.subarray(0, Math.min(outputLength, full.length)) };
}

/** STORAGE_DEVICE_DESCRIPTOR and, after it, the vendor, product, revision and serial strings (ASCII, NUL-terminated). */
function deviceDescriptor(m: Marshal, id: DiskIdentity, disk: number): Uint8Array {
  const l = layout(m, '_STORAGE_DEVICE_DESCRIPTOR');
  const fixed = l.off('RawDeviceProperties');
  const strings = ['FLTSIM', id.product, '1.0', `FS${String(disk).padStart(6, '0')}`];
  const size = fixed + strings.reduce((n, s) => n + s.length + 1, 0);
  const o = new Out(size);
  o.u32(l.off('Version'), l.size);
  o.u32(l.off('Size'), size);
  o.u8(l.off('DeviceType'), id.deviceType);
  o.u8(l.off('RemovableMedia'), id.removable ? 1 : 0);
  o.u32(l.off('BusType'), id.bus);
  let at = fixed;
  for (const [i, field] of ['VendorIdOffset', 'ProductIdOffset', 'ProductRevisionOffset', 'SerialNumberOffset'].entries()) {
    o.u32(l.off(field), at);
    for (const ch of strings[i]!) o.u8(at++, ch.charCodeAt(0));
    o.u8(at++, 0);
  }
  return o.bytes;
}

function adapterDescriptor(m: Marshal, id: DiskIdentity): Uint8Array {
  const l = layout(m, '_STORAGE_ADAPTER_DESCRIPTOR');
  const o = new Out(l.size);
  o.u32(l.off('Version'), l.size);
  o.u32(l.off('Size'), l.size);
  o.u32(l.off('MaximumTransferLength'), 0x20000);
  o.u32(l.off('MaximumPhysicalPages'), 0x21);
  o.u8(l.off('BusType'), id.bus);
  o.u16(l.off('BusMajorVersion'), id.bus === BUS.Usb ? 2 : 1);
  return o.bytes;
}
