/**
 * The end-of-run check for the process-related callbacks a driver registers outside the Filter
 * Manager (notify routines, object-manager callbacks, registry callbacks): a driver that has unloaded (or whose
 * DriverEntry failed, which unloads its image) with one still registered leaves the kernel calling
 * into code that is gone; reported at the line that registered it.
 */
import type { ContainerNotifyRoutines } from '../kernel/containerNotify';
import type { ObCallbackRoutines } from '../kernel/obCallbacks';
import type { ProcessNotifyRoutines } from '../kernel/processNotify';
import type { RegistryCallbackRoutines } from '../kernel/registryCallbacks';
import type { FilterManager } from './fltmgr';
import type { EndOfRunChecks } from './verifier';

const REMOVAL: Record<string, string> = {
  PsSetCreateProcessNotifyRoutine: 'PsSetCreateProcessNotifyRoutine(…, TRUE)',
  PsSetCreateProcessNotifyRoutineEx: 'PsSetCreateProcessNotifyRoutineEx(…, TRUE)',
  PsSetCreateProcessNotifyRoutineEx2: 'PsSetCreateProcessNotifyRoutineEx2(…, TRUE)',
  PsSetCreateThreadNotifyRoutine: 'PsRemoveCreateThreadNotifyRoutine',
  PsSetCreateThreadNotifyRoutineEx: 'PsRemoveCreateThreadNotifyRoutine',
  PsSetLoadImageNotifyRoutine: 'PsRemoveLoadImageNotifyRoutine',
  PsSetLoadImageNotifyRoutineEx: 'PsRemoveLoadImageNotifyRoutine',
  ObRegisterCallbacks: 'ObUnRegisterCallbacks',
  CmRegisterCallbackEx: 'CmUnRegisterCallback',
  CmRegisterCallback: 'CmUnRegisterCallback',
  IoRegisterContainerNotification: 'IoUnregisterContainerNotification',
};

export class ProcessCallbackChecks implements EndOfRunChecks {
  constructor(
    private readonly fm: FilterManager,
    private readonly notify: ProcessNotifyRoutines,
    private readonly ob: ObCallbackRoutines,
    private readonly registry: RegistryCallbackRoutines,
    private readonly sessions: ContainerNotifyRoutines,
  ) {}

  endChecks(): void {
    const k = this.fm.k;
    for (const d of this.fm.drivers) {
      if (d.state !== 'unloaded' && d.state !== 'failed') continue;
      for (const r of [...this.notify.heldBy(d.module), ...this.ob.heldBy(d.module), ...this.registry.heldBy(d.module), ...this.sessions.heldBy(d.module)]) {
        const where = r.site ? ` in ${r.site.function}` : '';
        const gone = d.state === 'failed' ? 'its DriverEntry failed (the image is unloaded)' : 'it unloaded';
        k.violation('callback-not-unregistered', `${d.module}: ${r.routine}${where} registered a callback that is still registered after ${gone}; remove it with ${REMOVAL[r.routine] ?? 'its removal routine'} in the unload routine`, 0, k.outside, r.site?.location);
      }
    }
  }
}
