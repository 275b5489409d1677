/**
 * What the file system answers to IRP_MJ_QUERY_VOLUME_INFORMATION (FltQueryVolumeInformation,
 * FltQueryVolumeInformationFile), as the bytes of the FILE_FS_*_INFORMATION structures: volume
 * (serial, no label), size and full size (a fixed capacity less what the volume's files allocate),
 * device (disk or CD-ROM, removable, read-only) and attribute (the file system's name and flags).
 */
import type { Marshal } from '../kernel/marshal';
import { FILE_DEVICE_DISK, FILE_READ_ONLY_DEVICE, FILE_REMOVABLE_MEDIA } from './constants';
import { layout, Out, type InfoResult } from './fileinfo';
import { EPOCH, type FileSystemName, type FsNode, type FsVolume } from './fsTree';

/** FS_INFORMATION_CLASS values answered here. */
export const FS_INFORMATION_CLASS = Object.freeze({ FileFsVolumeInformation: 1, FileFsSizeInformation: 3, FileFsDeviceInformation: 4, FileFsAttributeInformation: 5, FileFsFullSizeInformation: 7 });

/** Every simulated volume holds 1 GiB. */
export const VOLUME_CAPACITY = 1 << 30;
const FILE_DEVICE_CD_ROM = 0x2;

/** FILE_FS_ATTRIBUTE_INFORMATION.FileSystemName and FileSystemAttributes of each file system. */
const ATTRIBUTES: Readonly<Record<FileSystemName, { name: string; flags: number }>> = {
  // case-sensitive search and preserved names, Unicode, ACLs, compression, quotas, sparse files, reparse points,
  // object ids, encryption, named streams, transactions, hard links, EAs, open by file id, USN journal
  ntfs: { name: 'NTFS', flags: 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x10000 | 0x20000 | 0x40000 | 0x200000 | 0x400000 | 0x800000 | 0x1000000 | 0x2000000 },
  refs: { name: 'ReFS', flags: 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x1000000 | 0x2000000 },
  fat: { name: 'FAT', flags: 0x2 | 0x4 },
  exfat: { name: 'exFAT', flags: 0x2 | 0x4 },
  cdfs: { name: 'CDFS', flags: 0x4 },
  udfs: { name: 'UDF', flags: 0x2 | 0x4 },
};
const FILE_READ_ONLY_VOLUME = 0x80000;
const FILE_NAMED_STREAMS = 0x40000;

/** Whether a file system keeps named streams (`a.txt:s`): those that say FILE_NAMED_STREAMS. */
export function hasNamedStreams(fileSystem: FileSystemName): boolean {
  return (ATTRIBUTES[fileSystem].flags & FILE_NAMED_STREAMS) !== 0;
}

export function volumeInformation(m: Marshal | undefined, cls: number, vol: FsVolume): InfoResult {
  const tag = TAGS[cls];
  if (tag === undefined) return 'invalid-class';
  if (m === undefined) return 'no-layouts';
  const l = layout(m, tag);
  const sectorsPerUnit = vol.clusterSize / vol.sectorSize;
  const total = Math.floor(VOLUME_CAPACITY / vol.clusterSize);
  const free = Math.max(0, total - Math.ceil(allocated(vol.root) / vol.clusterSize));
  switch (cls) {
    case FS_INFORMATION_CLASS.FileFsVolumeInformation: {
      const fixed = l.off('VolumeLabel');
      const o = new Out(Math.max(fixed, l.size));
      o.i64(l.off('VolumeCreationTime'), EPOCH);
      o.u32(l.off('VolumeSerialNumber'), vol.serial);
      o.u32(l.off('VolumeLabelLength'), 0);
      o.u8(l.off('SupportsObjects'), vol.fileSystem === 'ntfs' ? 1 : 0);
      return { fixed, bytes: o.bytes.subarray(0, fixed) };
    }
    case FS_INFORMATION_CLASS.FileFsSizeInformation:
    case FS_INFORMATION_CLASS.FileFsFullSizeInformation: {
      const o = new Out(l.size);
      o.i64(l.off('TotalAllocationUnits'), total);
      if (cls === FS_INFORMATION_CLASS.FileFsSizeInformation) o.i64(l.off('AvailableAllocationUnits'), free);
      else {
        o.i64(l.off('CallerAvailableAllocationUnits'), free);
        o.i64(l.off('ActualAvailableAllocationUnits'), free);
      }
      o.u32(l.off('SectorsPerAllocationUnit'), sectorsPerUnit);
      o.u32(l.off('BytesPerSector'), vol.sectorSize);
      return { fixed: l.size, bytes: o.bytes };
    }
    case FS_INFORMATION_CLASS.FileFsDeviceInformation: {
      const o = new Out(l.size);
      o.u32(l.off('DeviceType'), vol.fileSystem === 'cdfs' ? FILE_DEVICE_CD_ROM : FILE_DEVICE_DISK);
      o.u32(l.off('Characteristics'), (vol.removable ? FILE_REMOVABLE_MEDIA : 0) | (vol.writable ? 0 : FILE_READ_ONLY_DEVICE));
      return { fixed: l.size, bytes: o.bytes };
    }
    default: {
      const a = ATTRIBUTES[vol.fileSystem];
      const fixed = l.off('FileSystemName');
      const o = new Out(fixed + 2 * a.name.length);
      o.u32(l.off('FileSystemAttributes'), (a.flags | (vol.writable ? 0 : FILE_READ_ONLY_VOLUME)) >>> 0);
      o.u32(l.off('MaximumComponentNameLength'), 255);
      o.u32(l.off('FileSystemNameLength'), 2 * a.name.length);
      o.chars(fixed, a.name);
      return { fixed, bytes: o.bytes };
    }
  }
}

const TAGS: Readonly<Record<number, string>> = {
  [FS_INFORMATION_CLASS.FileFsVolumeInformation]: '_FILE_FS_VOLUME_INFORMATION',
  [FS_INFORMATION_CLASS.FileFsSizeInformation]: '_FILE_FS_SIZE_INFORMATION',
  [FS_INFORMATION_CLASS.FileFsDeviceInformation]: '_FILE_FS_DEVICE_INFORMATION',
  [FS_INFORMATION_CLASS.FileFsAttributeInformation]: '_FILE_FS_ATTRIBUTE_INFORMATION',
  [FS_INFORMATION_CLASS.FileFsFullSizeInformation]: '_FILE_FS_FULL_SIZE_INFORMATION',
};

/** Bytes the files under `node` allocate. */
function allocated(node: FsNode): number {
  let n = node.directory ? 0 : node.allocationSize;
  if (node.children !== null) for (const c of node.children.values()) n += allocated(c);
  return n;
}
