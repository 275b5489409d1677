/**
 * Scenarios in TypeScript: `defineFilter` turns a description of a minifilter (its operation
 * callbacks, context types and instance callbacks, written as TS functions) into a DriverEntry that
 * registers it, starts filtering, and an unload callback that unregisters it — what a C minifilter
 * does in its DriverEntry and FilterUnload. Tests use it to prove the engine before any C runs.
 *
 *   const f = defineFilter(sim, {
 *     name: 'pender',
 *     operations: [{ major: IRP_MJ.READ, pre: PreRead, post: PostRead }],
 *   });
 *   sim.loadDriver('pender', f.driverEntry);
 *
 * Callbacks are plain or generator functions with the WDK signatures; generator callbacks can call
 * the routines that block or call back (`yield* sim.api.FltCompletePendedPreOperation(…)`).
 */
import { Ref } from '../kernel/cvalues';
import type { Co } from '../kernel/coroutine';
import type { DriverFn } from '../kernel/driverFn';
import { ntSuccess, STATUS } from '../kernel/status';
import { FLT_CONTEXT, FLT_REGISTRATION_SIZE, FLT_REGISTRATION_VERSION, IRP_MJ, majorName } from './constants';
import type { Filter } from './objects';
import type { Api } from './routines';
import type { FltContextRegistration, FltOperationRegistration, FltRegistration } from './structs';

export interface OperationSpec {
  major: number;
  flags?: number;
  pre?: DriverFn | null;
  post?: DriverFn | null;
}

export interface FilterSpec {
  /** Shown in frames for callbacks that have no name of their own. */
  name?: string;
  operations?: OperationSpec[];
  contexts?: FltContextRegistration[];
  instanceSetup?: DriverFn | null;
  instanceQueryTeardown?: DriverFn | null;
  teardownStart?: DriverFn | null;
  teardownComplete?: DriverFn | null;
  /** The FilterUnloadCallback. Default: unregister and return STATUS_SUCCESS. `null`: no callback. */
  unload?: DriverFn | null;
  /** Runs in DriverEntry after FltRegisterFilter succeeds, before FltStartFiltering. */
  init?: (filter: Filter) => unknown;
  /** Default true. */
  startFiltering?: boolean;
  /** Overrides applied to the FLT_REGISTRATION (to test registration checks). */
  registration?: Partial<FltRegistration>;
}

export interface DefinedFilter {
  driverEntry: (DriverObject: unknown, RegistryPath: unknown) => Co<number>;
  /** The registration DriverEntry passes to FltRegisterFilter. */
  readonly registration: FltRegistration;
  /** The handle FltRegisterFilter returned, once DriverEntry has run. */
  readonly filter: Filter | null;
  /** The default unload callback (also usable inside a custom one). */
  unregister(): Co<number>;
}

/** What defineFilter needs of a simulation: the routines its DriverEntry and unload call. */
export interface FilterHost {
  readonly api: Pick<Api, 'FltRegisterFilter' | 'FltStartFiltering' | 'FltUnregisterFilter'>;
}

/** Gives anonymous callbacks (`pre: (d) => …`) a name that tells what they are. */
function named(fn: DriverFn | null | undefined, name: string): DriverFn | null {
  if (!fn) return null;
  if (typeof fn === 'function' && (!fn.name || ['pre', 'post', 'anonymous', 'unload', 'init'].includes(fn.name))) {
    Object.defineProperty(fn, 'name', { value: name, configurable: true });
  }
  return fn;
}

export function defineFilter(sim: FilterHost, spec: FilterSpec): DefinedFilter {
  const api = sim.api;
  const label = spec.name ?? 'Filter';
  const ops: FltOperationRegistration[] = (spec.operations ?? []).map((o) => {
    const short = majorName(o.major).replace(/^IRP_MJ_/, '');
    const word = short.charAt(0) + short.slice(1).toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    return {
      MajorFunction: o.major,
      Flags: o.flags ?? 0,
      PreOperation: named(o.pre, `${label}Pre${word}`),
      PostOperation: named(o.post, `${label}Post${word}`),
      Reserved1: null,
    };
  });
  ops.push({ MajorFunction: IRP_MJ.OPERATION_END });
  const contexts = spec.contexts ? [...spec.contexts, { ContextType: FLT_CONTEXT.END }] : null;
  const state: { filter: Filter | null } = { filter: null };

  function* unregister(): Co<number> {
    if (state.filter) yield* api.FltUnregisterFilter(state.filter);
    return STATUS.STATUS_SUCCESS;
  }
  const defaultUnload = function* FilterUnload(_flags: number): Co<number> {
    return yield* unregister();
  };

  const registration: FltRegistration = {
    Size: FLT_REGISTRATION_SIZE,
    Version: FLT_REGISTRATION_VERSION,
    Flags: 0,
    ContextRegistration: contexts,
    OperationRegistration: ops,
    FilterUnloadCallback: spec.unload === undefined ? defaultUnload : named(spec.unload, `${label}Unload`),
    InstanceSetupCallback: named(spec.instanceSetup, `${label}InstanceSetup`),
    InstanceQueryTeardownCallback: named(spec.instanceQueryTeardown, `${label}InstanceQueryTeardown`),
    InstanceTeardownStartCallback: named(spec.teardownStart, `${label}InstanceTeardownStart`),
    InstanceTeardownCompleteCallback: named(spec.teardownComplete, `${label}InstanceTeardownComplete`),
    GenerateFileNameCallback: null,
    NormalizeNameComponentCallback: null,
    NormalizeContextCleanupCallback: null,
    TransactionNotificationCallback: null,
    NormalizeNameComponentExCallback: null,
    SectionNotificationCallback: null,
    ...spec.registration,
  };

  const driverEntry = function* DriverEntry(DriverObject: unknown, _RegistryPath: unknown): Co<number> {
    const cell = { Filter: null as Filter | null };
    const status = api.FltRegisterFilter(DriverObject, registration, new Ref(cell, 'Filter'));
    if (!ntSuccess(status)) return status;
    state.filter = cell.Filter;
    if (spec.init) spec.init(cell.Filter!);
    if (spec.startFiltering === false) return STATUS.STATUS_SUCCESS;
    const started = yield* api.FltStartFiltering(cell.Filter);
    if (!ntSuccess(started)) {
      yield* api.FltUnregisterFilter(cell.Filter);
      state.filter = null;
      return started;
    }
    return STATUS.STATUS_SUCCESS;
  };

  return {
    driverEntry,
    registration,
    get filter() {
      return state.filter;
    },
    unregister,
  };
}
