/**
 * FltGetDeviceObject: the device object of the file system volume a Filter Manager volume sits on.
 * The simulated file system has no driver of its own in the run, so each volume's device is made on
 * first use and owned by a stand-in file system driver object.
 */
import { DeviceObject, type DeviceOwner, type DeviceRoutines } from '../kernel/devices';
import type { Kernel } from '../kernel/kernel';
import { writeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { Volume } from './objects';

const FILE_SYSTEM: DeviceOwner = {
  module: 'file system',
  dispatchRoutine: () => null,
  linkDevice: () => null,
};

export class VolumeDeviceRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly devices: DeviceRoutines,
  ) {}

  /** The volume's device object, with a reference the caller drops with ObDereferenceObject. */
  FltGetDeviceObject(Volume_: unknown, DeviceObject_: unknown): number {
    const k = this.k;
    k.checkIrql('FltGetDeviceObject');
    writeOut(DeviceObject_, null);
    if (!(Volume_ instanceof Volume)) {
      k.violation('bad-object', 'FltGetDeviceObject needs a volume (FltObjects->Volume)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const dev: DeviceObject = this.devices.volumeDevice(FILE_SYSTEM, Volume_.name);
    writeOut(DeviceObject_, dev);
    return STATUS.STATUS_SUCCESS;
  }
}
