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
import type { RegistryRtlRoutines } from '../kernel/registryRtl';
import type { RtlRoutines } from '../kernel/rtl';
import type { SpinLockRoutines } from '../kernel/spinlocks';
import type { ThreadRoutines } from '../kernel/threads';
import type { DpcRoutines } from '../kernel/dpcs';
import type { TimerRoutines } from '../kernel/timers';
import type { IoWorkItemRoutines } from '../kernel/ioWorkItems';
import type { SymbolicLinkRoutines } from './symbolicLinks';
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
import type { SecurityDescriptorRoutines } from './securityDescriptors';
import type { EnumerationInfoRoutines } from './enumerateInfo';
import type { AlignedPoolRoutines } from './alignedPool';
import type { EcpRoutines } from './ecp';
import type { DeviceRoutines } from '../kernel/devices';
import type { IrpRoutines } from '../kernel/irp';
import type { IrpCancelRoutines } from '../kernel/irpCancel';
import type { CsqRoutines } from '../kernel/csq';
import type { MdlRoutines } from '../kernel/mdl';
import type { ObjectManagerRoutines } from '../kernel/objectManager';
import type { SectionRoutines } from '../kernel/sections';
import type { DataScanRoutines } from './dataScan';
import type { VolumeDeviceRoutines } from './volumeDevices';
import type { TransactionRoutines } from './transactions';
import type { FsRtlRoutines } from '../kernel/fsrtl';
import type { GenericTableRoutines } from '../kernel/genericTable';
import type { CngRoutines } from '../kernel/cng';
import type { RegistrationRoutines } from './registration';
import type { UnloadRoutines } from './unload';
import type { WorkItemRoutines } from './workitems';
import type { SystemBufferRoutines } from './systemBuffers';
import type { OperationStatusRoutines } from './operationStatus';
import type { ProcessNotifyRoutines } from '../kernel/processNotify';
import type { ProcessIdentityRoutines } from '../kernel/processIdentity';
import type { ObCallbackRoutines } from '../kernel/obCallbacks';
import type { SystemInformationRoutines } from '../kernel/systemInformation';
import type { FileSizeRoutines } from './fileSize';
import type { PagingFileRoutines } from './pagingFiles';
import type { ZwFileRoutines } from './zwFiles';
import type { MultiWaitRoutines } from '../kernel/multiWait';
import type { IrpNameRoutines } from './irpNames';
import type { RundownRoutines } from '../kernel/rundown';
import type { OsVersionRoutines } from '../kernel/osVersion';
import type { ProcessControlRoutines } from '../kernel/processControl';
import type { RegistryCallbackRoutines } from '../kernel/registryCallbacks';
import type { TokenRoutines } from '../kernel/tokens';
import type { SidRoutines } from '../kernel/sids';
import type { SListRoutines } from '../kernel/slist';
import type { CacheManagerRoutines } from './cacheManager';
import type { ContainerNotifyRoutines } from '../kernel/containerNotify';
import type { ObjectQueryRoutines } from './objectQuery';
import type { VirtualMemoryRoutines } from '../kernel/virtualMemory';
import type { AccessCheckRoutines } from '../kernel/accessCheck';

/** Name prefixes of the routines a driver can call. */
const ROUTINE_NAME = /^(Flt|Ke|Ex|Io|Iof|Zw|Nt|Rtl|Dbg|Interlocked|Ps|Mm|Ob|FsRtl|BCrypt|Se|Sec|Cm|Cc)[A-Z0-9]|^(InitializeSListHead|QueryDepthSList)$/;

type Prefix = 'Flt' | 'Ke' | 'Ex' | 'Io' | 'Iof' | 'Zw' | 'Nt' | 'Rtl' | 'Dbg' | 'Interlocked' | 'Ps' | 'Mm' | 'Ob' | 'FsRtl' | 'BCrypt' | 'Se' | 'Sec';
type Routines<T> = { [K in keyof T as K extends `${Prefix}${string}` ? K : never]: T[K] };

export type Api = Routines<SpinLockRoutines> &
  Routines<MutexRoutines> &
  Routines<DispatcherRoutines> &
  Routines<PoolRoutines> &
  Routines<ThreadRoutines> &
  Routines<RegistryRoutines> &
  Routines<RegistryRtlRoutines> &
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
  Routines<EnumerationInfoRoutines> &
  Routines<OplockRoutines> &
  Routines<PortRoutines> &
  Routines<SecurityDescriptorRoutines> &
  Routines<AlignedPoolRoutines> &
  Routines<EcpRoutines> &
  Routines<DeviceRoutines> &
  Routines<IrpRoutines> &
  Routines<IrpCancelRoutines> &
  Routines<CsqRoutines> &
  Routines<MdlRoutines> &
  Routines<ObjectManagerRoutines> &
  Routines<SectionRoutines> &
  Routines<DataScanRoutines> &
  Routines<VolumeDeviceRoutines> &
  Routines<TransactionRoutines> &
  Routines<FsRtlRoutines> &
  Routines<GenericTableRoutines> &
  Routines<CngRoutines> &
  Routines<SystemBufferRoutines> &
  Routines<OperationStatusRoutines> &
  Routines<ProcessNotifyRoutines> &
  Routines<ProcessIdentityRoutines> &
  Routines<ObCallbackRoutines> &
  Routines<DpcRoutines> &
  Routines<TimerRoutines> &
  Routines<IoWorkItemRoutines> &
  Routines<SymbolicLinkRoutines> &
  Routines<SystemInformationRoutines> &
  Routines<FileSizeRoutines> &
  Routines<PagingFileRoutines> &
  Routines<ZwFileRoutines> &
  Routines<MultiWaitRoutines> &
  Routines<IrpNameRoutines> &
  Routines<RundownRoutines> &
  Routines<OsVersionRoutines> &
  Routines<ProcessControlRoutines> &
  Routines<RegistryCallbackRoutines> &
  Routines<TokenRoutines> &
  Routines<SidRoutines> &
  Routines<SListRoutines> &
  Routines<CacheManagerRoutines> &
  Routines<ContainerNotifyRoutines> &
  Routines<ObjectQueryRoutines> &
  Routines<VirtualMemoryRoutines> &
  Routines<AccessCheckRoutines>;

export interface RoutineTable {
  api: Api;
  /** Every routine name of `api`, in the order the parts gave them. */
  names: readonly string[];
  /** Names of routines that return a generator. */
  coroutines: ReadonlySet<string>;
  /**
   * The routine `name` bound to its part (and observer), as `api[name]` gives it, made without
   * touching `api` (the C bindings take each routine once per run this way); undefined when the
   * table has no such routine.
   */
  routine(name: string): ((...args: unknown[]) => unknown) | undefined;
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

const PARTS = Symbol('routine parts');
const OBSERVE = Symbol('routine observer');

interface TableHolder {
  [PARTS]: readonly object[];
  [OBSERVE]: ((name: string, args: unknown[]) => void) | undefined;
}

/**
 * What every table over the same classes (in the same order) shares: the routine names, which
 * ones are coroutines, and a prototype whose getters bind a routine to its part on first use.
 * A Simulation is built per run (schedule exploration builds thousands), and a driver calls a few
 * dozen of the ~270 routines: binding each on first use keeps building the table cheap.
 */
interface TableShape {
  protos: readonly object[];
  proto: object;
  names: readonly string[];
  coroutines: ReadonlySet<string>;
  /** Which part answers each routine. */
  partOf: ReadonlyMap<string, number>;
}

function bindRoutine(holder: TableHolder, name: string, index: number): (...args: unknown[]) => unknown {
  const part = holder[PARTS][index] as Record<string, (...args: unknown[]) => unknown>;
  const fn = part[name]!;
  const observe = holder[OBSERVE];
  return observe === undefined ? fn.bind(part) : (...args: unknown[]) => {
    observe(name, args);
    return fn.apply(part, args);
  };
}

const SHAPES: TableShape[] = [];

function sameProtos(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shapeOf(parts: readonly object[]): TableShape {
  const protos = parts.map((p) => Object.getPrototypeOf(p) as object);
  for (const s of SHAPES) if (sameProtos(s.protos, protos)) return s;
  const proto = Object.create(null) as object;
  const names: string[] = [];
  const coroutines = new Set<string>();
  const partOf = new Map<string, number>();
  protos.forEach((partProto, index) => {
    for (const { name, coroutine } of routinesOf(partProto)) {
      // A later part never hides an earlier one.
      if (partOf.has(name)) continue;
      partOf.set(name, index);
      names.push(name);
      if (coroutine) coroutines.add(name);
      Object.defineProperty(proto, name, {
        configurable: true,
        enumerable: true,
        get(this: TableHolder) {
          const bound = bindRoutine(this, name, index);
          Object.defineProperty(this, name, { value: bound, enumerable: true, writable: true, configurable: true });
          return bound;
        },
      });
    }
  });
  const shape: TableShape = { protos, proto, names, coroutines, partOf };
  SHAPES.push(shape);
  return shape;
}

/**
 * Collects the WDK-named methods of each part, bound to it. A later part never hides an earlier
 * one. With `observe`, every call first tells it the routine's name and arguments.
 */
export function buildRoutineTable(parts: readonly object[], observe?: (name: string, args: unknown[]) => void): RoutineTable {
  const shape = shapeOf(parts);
  const holder = Object.create(shape.proto) as TableHolder;
  holder[PARTS] = parts;
  holder[OBSERVE] = observe;
  const routine = (name: string): ((...args: unknown[]) => unknown) | undefined => {
    const index = shape.partOf.get(name);
    return index === undefined ? undefined : bindRoutine(holder, name, index);
  };
  return { api: holder as unknown as Api, names: shape.names, coroutines: shape.coroutines, routine };
}
