/**
 * The routine table: every modelled kernel and Filter Manager routine under its WDK name, as one
 * flat object (`api.FltQueueGenericWorkItem(…)`). The C interpreter binds a call by name; tests call
 * the same table. Routines that can block or call back into driver code return a generator that
 * the caller must run with `yield*` (`isCoroutineRoutine` tells which); the others return plain
 * values. Either way a caller may pass the result through `invoke()` from coroutine.ts.
 */
import { isCoFunction } from '../kernel/coroutine';
import type { DispatcherRoutines } from '../kernel/dispatcher';
import type { MutexRoutines } from '../kernel/mutexes';
import type { PoolRoutines } from '../kernel/pool';
import type { RegistryRoutines } from '../kernel/registry';
import type { RtlRoutines } from '../kernel/rtl';
import type { SpinLockRoutines } from '../kernel/spinlocks';
import type { ThreadRoutines } from '../kernel/threads';
import type { CancelRoutines } from './cancel';
import type { CbdqRoutines } from './cbdq';
import type { ContextRoutines } from './contexts';
import type { FilterIoRoutines } from './filterio';
import type { MiscRoutines } from './misc';
import type { EnumerationRoutines } from './enumerate';
import type { OplockRoutines } from './oplocks';
import type { VolumeRoutines } from './volumes';
import type { NameRoutines } from './names';
import type { NameProviders } from './nameProviders';
import type { PendingRoutines } from './pending';
import type { PortRoutines } from './ports';
import type { AlignedPoolRoutines } from './alignedPool';
import type { EcpRoutines } from './ecp';
import type { DeviceRoutines } from '../kernel/devices';
import type { VolumeDeviceRoutines } from './volumeDevices';
import type { TransactionRoutines } from './transactions';
import type { FsRtlRoutines } from '../kernel/fsrtl';
import type { GenericTableRoutines } from '../kernel/genericTable';
import type { RegistrationRoutines } from './registration';
import type { UnloadRoutines } from './unload';
import type { WorkItemRoutines } from './workitems';

/** Name prefixes of the routines a driver can call. */
const ROUTINE_NAME = /^(Flt|Ke|Ex|Io|Zw|Rtl|Dbg|Interlocked|Ps|Mm|Ob|FsRtl)[A-Z0-9]/;

type Prefix = 'Flt' | 'Ke' | 'Ex' | 'Io' | 'Zw' | 'Rtl' | 'Dbg' | 'Interlocked' | 'Ps' | 'Mm' | 'Ob' | 'FsRtl';
type Routines<T> = { [K in keyof T as K extends `${Prefix}${string}` ? K : never]: T[K] };

export type Api = Routines<SpinLockRoutines> &
  Routines<MutexRoutines> &
  Routines<DispatcherRoutines> &
  Routines<PoolRoutines> &
  Routines<ThreadRoutines> &
  Routines<RegistryRoutines> &
  Routines<RtlRoutines> &
  Routines<RegistrationRoutines> &
  Routines<UnloadRoutines> &
  Routines<PendingRoutines> &
  Routines<WorkItemRoutines> &
  Routines<CbdqRoutines> &
  Routines<CancelRoutines> &
  Routines<ContextRoutines> &
  Routines<NameRoutines> &
  Routines<NameProviders> &
  Routines<VolumeRoutines> &
  Routines<FilterIoRoutines> &
  Routines<MiscRoutines> &
  Routines<EnumerationRoutines> &
  Routines<OplockRoutines> &
  Routines<PortRoutines> &
  Routines<AlignedPoolRoutines> &
  Routines<EcpRoutines> &
  Routines<DeviceRoutines> &
  Routines<VolumeDeviceRoutines> &
  Routines<TransactionRoutines> &
  Routines<FsRtlRoutines> &
  Routines<GenericTableRoutines>;

export interface RoutineTable {
  api: Api;
  /** Names of routines that return a generator. */
  coroutines: ReadonlySet<string>;
}

/** The WDK-named methods of each routine family's class, found once per class. */
const ROUTINES_OF = new WeakMap<object, { name: string; coroutine: boolean }[]>();

function routinesOf(proto: object): { name: string; coroutine: boolean }[] {
  let list = ROUTINES_OF.get(proto);
  if (list === undefined) {
    list = [];
    for (const name of Object.getOwnPropertyNames(proto)) {
      const fn = (proto as Record<string, unknown>)[name];
      if (ROUTINE_NAME.test(name) && typeof fn === 'function') list.push({ name, coroutine: isCoFunction(fn) });
    }
    ROUTINES_OF.set(proto, list);
  }
  return list;
}

/**
 * Collects the WDK-named methods of each part, bound to it. A later part never hides an earlier
 * one. With `observe`, every call first tells it the routine's name and arguments.
 */
export function buildRoutineTable(parts: readonly object[], observe?: (name: string, args: unknown[]) => void): RoutineTable {
  const api: Record<string, unknown> = {};
  const coroutines = new Set<string>();
  for (const part of parts) {
    for (const { name, coroutine } of routinesOf(Object.getPrototypeOf(part) as object)) {
      if (name in api) continue;
      const fn = (part as Record<string, (...args: unknown[]) => unknown>)[name]!;
      if (coroutine) coroutines.add(name);
      api[name] = observe === undefined ? fn.bind(part) : (...args: unknown[]) => {
        observe(name, args);
        return fn.apply(part, args);
      };
    }
  }
  return { api: api as Api, coroutines };
}
