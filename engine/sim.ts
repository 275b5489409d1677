/**
 * `Simulation`: one run of drivers and a workload on the simulated kernel and Filter Manager. It
 * is the composition root: it builds the kernel's and the Filter Manager's routine families and
 * hands each the state and the siblings it calls. It holds the workload until every DriverEntry
 * has returned, steps threads one trap at a time, and runs the end-of-run checks when nothing is
 * left to do.
 *
 *   const sim = new Simulation({ seed: 7 });
 *   sim.loadDriver('counting', DriverEntry, { altitude: 370000 });
 *   sim.io({ id: 1, major: 'read', path: '\\Device\\HarddiskVolume1\\a.txt', at: 0 });
 *   sim.run();
 *   sim.result(1)  // { status: STATUS_SUCCESS, information: 4096, … }
 */
import { ProcessNotifyRoutines } from './kernel/processNotify';
import { ProcessIdentityRoutines } from './kernel/processIdentity';
import { SystemInformationRoutines } from './kernel/systemInformation';
import { FileSizeRoutines } from './fltmgr/fileSize';
import { PagingFileRoutines } from './fltmgr/pagingFiles';
import { ZwFileRoutines } from './fltmgr/zwFiles';
import { MultiWaitRoutines } from './kernel/multiWait';
import { IrpNameRoutines } from './fltmgr/irpNames';
import { RundownRoutines } from './kernel/rundown';
import { OsVersionRoutines } from './kernel/osVersion';
import { ProcessControlRoutines } from './kernel/processControl';
import { RegistryCallbackRoutines } from './kernel/registryCallbacks';
import { TokenRoutines } from './kernel/tokens';
import { SidRoutines } from './kernel/sids';
import { SListRoutines } from './kernel/slist';
import { CacheManagerRoutines } from './fltmgr/cacheManager';
import { ContainerNotifyRoutines } from './kernel/containerNotify';
import { ObjectQueryRoutines } from './fltmgr/objectQuery';
import { VirtualMemoryRoutines } from './kernel/virtualMemory';
import { AccessCheckRoutines } from './kernel/accessCheck';
import { ObCallbackRoutines, type ProcessOpenResult } from './kernel/obCallbacks';
import type { KProcess, ProcessSpec, ProcessTable } from './kernel/processes';
import { ProcessCallbackChecks } from './fltmgr/processCallbacks';
import type { Co } from './kernel/coroutine';
import { DispatcherRoutines } from './kernel/dispatcher';
import type { DriverFn } from './kernel/driverFn';
import type { SimEvent } from './kernel/events';
import { kernelFrame, Kernel, type Violation } from './kernel/kernel';
import type { Timer } from './kernel/heap';
import { LockTable } from './kernel/locks';
import { MutexRoutines } from './kernel/mutexes';
import { PoolRoutines } from './kernel/pool';
import { RegistryRoutines } from './kernel/registry';
import { RegistryRtlRoutines } from './kernel/registryRtl';
import { RegistryWorkload, type RegistryOperation, type RegistryOpResult } from './kernel/registryWorkload';
import { RtlRoutines } from './kernel/rtl';
import { NarrowInterlockedRoutines } from './kernel/interlockedNarrow';
import { DosErrorRoutines } from './kernel/dosErrors';
import { SpinLockRoutines } from './kernel/spinlocks';
import { PRIORITY, type KThread } from './kernel/thread';
import { ThreadRoutines } from './kernel/threads';
import { DpcRoutines } from './kernel/dpcs';
import { TimerRoutines } from './kernel/timers';
import { IoWorkItemRoutines } from './kernel/ioWorkItems';
import { SymbolicLinkRoutines } from './fltmgr/symbolicLinks';
import { CompletionContext, WorkQueues } from './kernel/workqueue';
import type { IoRequest } from './fltmgr/callbackData';
import { CancelRoutines } from './fltmgr/cancel';
import { CbdqRoutines } from './fltmgr/cbdq';
import { ContextRoutines } from './fltmgr/contexts';
import { Dispatcher } from './fltmgr/dispatch';
import { FilterManager, type IoResult } from './fltmgr/fltmgr';
import { FilterIoRoutines } from './fltmgr/filterio';
import { MiscRoutines } from './fltmgr/misc';
import { EnumerationRoutines } from './fltmgr/enumerate';
import { OplockRoutines } from './fltmgr/oplocks';
import { VolumeRoutines } from './fltmgr/volumes';
import { NameRoutines } from './fltmgr/names';
import { NameProviders } from './fltmgr/nameProviders';
import { PendingRoutines } from './fltmgr/pending';
import { AlignedPoolRoutines } from './fltmgr/alignedPool';
import { EcpRoutines } from './fltmgr/ecp';
import { TransactionRoutines } from './fltmgr/transactions';
import { DeviceRoutines, type DeviceRequest } from './kernel/devices';
import { IrpRoutines } from './kernel/irp';
import { IrpCancelRoutines } from './kernel/irpCancel';
import { CsqRoutines } from './kernel/csq';
import { MdlRoutines } from './kernel/mdl';
import { ObjectManagerRoutines } from './kernel/objectManager';
import { SectionRoutines } from './kernel/sections';
import { HandleLeakChecks } from './kernel/handleLeaks';
import { BitmapRoutines } from './kernel/bitmap';
import { UuidRoutines } from './kernel/uuid';
import { RandomRoutines } from './kernel/rtlRandom';
import { HandleWaitRoutines } from './kernel/handleWaits';
import { ZwSectionRoutines } from './fltmgr/zwSections';
import { ThreadInfoRoutines } from './kernel/threadInfo';
import { AddressValidityRoutines } from './kernel/addressValidity';
import { DataScanRoutines } from './fltmgr/dataScan';
import { VolumeDeviceRoutines } from './fltmgr/volumeDevices';
import { majorName } from './fltmgr/constants';
import { FsRtlRoutines } from './kernel/fsrtl';
import { GenericTableRoutines } from './kernel/genericTable';
import { CngRoutines } from './kernel/cng';
import { PortRoutines } from './fltmgr/ports';
import type { ClientAction, ClientRecord, ClientStep, ReplyRule } from './fltmgr/portProgram';
import { SecurityDescriptorRoutines } from './fltmgr/securityDescriptors';
import { EnumerationInfoRoutines } from './fltmgr/enumerateInfo';
import { driverRecord, RegistrationRoutines } from './fltmgr/registration';
import { normalizeRequest, Requests, type IoRequestInput } from './fltmgr/requests';
import { buildRoutineTable, type Api } from './fltmgr/routines';
import { takeSnapshot, type Snapshot } from './fltmgr/snapshot';
import { UnloadRoutines } from './fltmgr/unload';
import { isIdleDriverThread, Verifier } from './fltmgr/verifier';
import { leftHanging, requestWaiters, type HangingWork } from './fltmgr/hanging';
import { NotifyListRoutines } from './fltmgr/notifyLists';
import { WorkItemRoutines } from './fltmgr/workitems';
import { SystemBufferRoutines } from './fltmgr/systemBuffers';
import { OperationStatusRoutines } from './fltmgr/operationStatus';

import type { SimulationOptions, LoadOptions, StepResult, RunResult, WorkloadItem } from './simTypes';
export type { SimulationOptions, LoadOptions, StepResult, RunResult } from './simTypes';

export class Simulation {
  readonly kernel: Kernel;
  readonly fltmgr: FilterManager;
  readonly api: Api;
  /** Every routine of `api` by name (its properties are bound on first use, so Object.keys does not list them). */
  readonly routineNames: readonly string[];
  /** Names of `api` routines that return a generator (run them with `yield*`). */
  readonly coroutineRoutines: ReadonlySet<string>;
  /** `api[name]`, bound afresh without adding it to `api` (the C bindings take each routine once per run). */
  readonly routine: (name: string) => ((...args: unknown[]) => unknown) | undefined;
  readonly locks: LockTable;
  readonly registry: RegistryRoutines;
  private readonly verifier: Verifier;
  private readonly notifyLists: NotifyListRoutines;
  // The Filter Manager families the workload and the snapshot reach.
  private readonly dispatcher: Dispatcher;
  private readonly registration: RegistrationRoutines;
  private readonly unloading: UnloadRoutines;
  private readonly cancelling: CancelRoutines;
  private readonly cbdq: CbdqRoutines;
  private readonly contexts: ContextRoutines;
  private readonly ports: PortRoutines;
  private readonly devices: DeviceRoutines;
  /** Sections and their views (the user program maps data-scan sections through them). */
  readonly sections: SectionRoutines;
  readonly dataScan: DataScanRoutines;
  private readonly transactions: TransactionRoutines;
  private readonly processNotify: ProcessNotifyRoutines;
  private readonly obCallbacks: ObCallbackRoutines;
  private readonly registryWorkload: RegistryWorkload;
  /** Workload events not fired yet, by time (stable); `next` is the first one not fired. */
  private workload: WorkloadItem[] = [];
  private next = 0;
  /** The one timer armed for the earliest pending workload event, and its tick. */
  private armed: Timer | null = null;
  private armedTick = 0;
  private readonly fireDueBound = (): void => this.fireDue();
  private started = false;
  private booted = false;
  private readonly options: SimulationOptions;
  private nextIoId = 1;

  constructor(options: SimulationOptions = {}) {
    this.options = options;
    const k = new Kernel(options);
    this.kernel = k;
    this.locks = new LockTable(k);
    const pool = new PoolRoutines(k);
    this.registry = new RegistryRoutines(k);
    for (const [name, v] of Object.entries(options.registry ?? {})) {
      this.registry.setValue(name, typeof v === 'number' ? { type: 'dword', value: v } : typeof v === 'string' ? { type: 'string', value: v } : v);
    }
    const queues = new WorkQueues(k);
    const fm = new FilterManager(k, pool, queues, new CompletionContext(k), options);
    this.fltmgr = fm;
    // Each family gets what it works on and the siblings it calls, nothing more.
    const dispatcher = new Dispatcher(fm, new Requests(fm));
    const pending = new PendingRoutines(k, queues, dispatcher);
    const workItems = new WorkItemRoutines(k, queues);
    const cbdq = new CbdqRoutines(k);
    const dispatcherRoutines = new DispatcherRoutines(k);
    const cancel = new CancelRoutines(fm, cbdq, dispatcherRoutines);
    const contexts = new ContextRoutines(k, pool, queues);
    const nameProviders = new NameProviders(fm);
    const names = new NameRoutines(fm, nameProviders);
    const filterIo = new FilterIoRoutines(fm, dispatcher);
    const registration = new RegistrationRoutines(fm);
    const objects = new ObjectManagerRoutines(k);
    const sections = new SectionRoutines(k, objects);
    this.sections = sections;
    const ports = new PortRoutines(k, sections);
    const irps = new IrpRoutines(k, dispatcherRoutines);
    const spinLocks = new SpinLockRoutines(k, this.locks);
    const irpCancel = new IrpCancelRoutines(k, spinLocks);
    const devices = new DeviceRoutines(k, pool, objects, irps, irpCancel);
    const dataScan = new DataScanRoutines(fm, contexts, sections);
    this.dataScan = dataScan;
    fm.beforeFileSystem = dataScan;
    this.devices = devices;
    const transactions = new TransactionRoutines(k, contexts);
    this.transactions = transactions;
    const dpcs = new DpcRoutines(k, fm.completion);
    const timers = new TimerRoutines(k, dispatcherRoutines, dpcs);
    const ioWorkItems = new IoWorkItemRoutines(k, queues);
    const unload = new UnloadRoutines(fm, dispatcher, contexts, ports, { drain: (t, module) => ioWorkItems.drain(t, module), unloaded: () => { timers.driverUnloaded(); ioWorkItems.driverUnloaded(); } });
    const volumeDevices = new VolumeDeviceRoutines(fm, objects, irps);
    const mdls = new MdlRoutines(k);
    const misc = new MiscRoutines(k, fm.objectRefs, mdls);
    const notifyLists = new NotifyListRoutines(fm, pending);
    const processNotify = new ProcessNotifyRoutines(k);
    const threadRoutines = new ThreadRoutines(k);
    const multiWait = new MultiWaitRoutines(k, dispatcherRoutines);
    const handleWaits = new HandleWaitRoutines(k, dispatcherRoutines, multiWait);
    processNotify.exitWatcher = handleWaits;
    const obCallbacks = new ObCallbackRoutines(k);
    const registryCallbacks = new RegistryCallbackRoutines(k);
    this.registry.callbacks = registryCallbacks;
    const sessions = new ContainerNotifyRoutines(k);
    this.registryWorkload = new RegistryWorkload(k, this.registry, registryCallbacks);
    const rtl = new RtlRoutines(k);
    rtl.pool = pool;
    this.processNotify = processNotify;
    this.obCallbacks = obCallbacks;
    this.notifyLists = notifyLists;
    this.dispatcher = dispatcher;
    this.registration = registration;
    this.unloading = unload;
    this.cancelling = cancel;
    this.cbdq = cbdq;
    this.contexts = contexts;
    this.ports = ports;
    const table = buildRoutineTable([
      spinLocks,
      new MutexRoutines(k, this.locks),
      new BitmapRoutines(k), new UuidRoutines(k), new RandomRoutines(k), new AddressValidityRoutines(k),
      dispatcherRoutines,
      pool,
      threadRoutines, new ThreadInfoRoutines(k, threadRoutines),
      this.registry,
      new RegistryRtlRoutines(k, this.registry, pool, rtl),
      rtl,
      new NarrowInterlockedRoutines(),
      new DosErrorRoutines(),
      registration,
      unload,
      pending,
      workItems,
      cbdq,
      cancel,
      contexts,
      names,
      nameProviders,
      new VolumeRoutines(fm),
      filterIo,
      ports,
      new SecurityDescriptorRoutines(k, pool),
      new AlignedPoolRoutines(k, pool),
      new EcpRoutines(k, pool),
      devices,
      irps,
      irpCancel,
      new CsqRoutines(k, spinLocks),
      mdls,
      objects,
      sections,
      dataScan,
      volumeDevices,
      transactions,
      new FsRtlRoutines(k),
      notifyLists,
      new GenericTableRoutines(k),
      new CngRoutines(k),
      misc,
      new EnumerationRoutines(fm, misc),
      new EnumerationInfoRoutines(fm, volumeDevices),
      new OplockRoutines(k, pending),
      new SystemBufferRoutines(k),
      new OperationStatusRoutines(k),
      processNotify,
      new ProcessIdentityRoutines(k, pool, objects),
      obCallbacks,
      dpcs,
      timers,
      ioWorkItems,
      new SymbolicLinkRoutines(fm, devices),
      new SystemInformationRoutines(k),
      new FileSizeRoutines(fm, filterIo),
      new PagingFileRoutines(this.kernel),
      new ZwFileRoutines(fm, filterIo),
      multiWait, handleWaits, new ZwSectionRoutines(fm, sections),
      new IrpNameRoutines(k),
      new RundownRoutines(k),
      new OsVersionRoutines(k),
      new ProcessControlRoutines(k, processNotify),
      registryCallbacks,
      new TokenRoutines(k, pool, objects),
      new SidRoutines(k, rtl),
      new SListRoutines(k),
      new CacheManagerRoutines(k),
      sessions,
      new ObjectQueryRoutines(k),
      new VirtualMemoryRoutines(k),
      new AccessCheckRoutines(k),
    ], k.observer === null ? undefined : (name, args) => k.touchCall(name, args));
    // Observed runs (schedule exploration): each call also touches what its arguments point at.
    this.api = table.api;
    this.routineNames = table.names;
    this.routine = table.routine;
    this.coroutineRoutines = table.coroutines;
    this.verifier = new Verifier(fm, this.locks, [workItems, ioWorkItems, names, contexts, filterIo, ports, dataScan, objects, new ProcessCallbackChecks(fm, processNotify, obCallbacks, registryCallbacks, sessions)], (d) => notifyLists.holds(d) !== undefined, [irps, mdls, new HandleLeakChecks(k)]);
  }

  // --- setting up ---

  /**
   * Adds a driver. DriverEntry(DriverObject, RegistryPath) runs on the loader thread when the run
   * starts, drivers in the order added, before any workload event.
   */
  loadDriver(module: string, driverEntry: DriverFn, opts: LoadOptions = {}): void {
    if (this.started) throw new Error(`loadDriver(${module}): drivers must be added before the run starts`);
    if (!driverEntry) throw new Error(`loadDriver(${module}): a DriverEntry is required`);
    const fm = this.fltmgr;
    if (fm.drivers.some((d) => d.module.toLowerCase() === module.toLowerCase())) throw new Error(`loadDriver(${module}): a driver with this name is already loaded`);
    const altitude = String(opts.altitude ?? 370000 - 1000 * fm.drivers.length);
    if (!/^\d+(\.\d+)?$/.test(altitude)) throw new Error(`loadDriver(${module}): altitude '${altitude}' is not a number`);
    const d = driverRecord(module, altitude, driverEntry);
    fm.drivers.push(d);
    fm.driverByObject.set(d.driverObject, d);
    this.registry.addService(module);
  }

  /** Queues a workload request; returns its id (`#N`). */
  io(input: IoRequestInput): number {
    const id = input.id ?? this.freeIoId();
    if (!Number.isInteger(id) || id <= 0) throw new Error(`io: id ${String(id)} must be a positive integer`);
    if (!this.fltmgr.reserveId(id)) throw new Error(`io #${id}: this id is already used by another request`);
    // Validated (and defaulted) now, so a bad request fails where it is written.
    const transaction = typeof input.transaction === 'string' ? this.transactions.transaction(input.transaction) : input.transaction;
    const process = typeof input.process === 'string' ? this.kernel.processes.named(input.process) : input.process;
    if (typeof input.process === 'string' && process === undefined) throw new Error(`io #${id}: no process is named "${input.process}"; declare it with a process line`);
    const request = normalizeRequest(input, id, transaction, process);
    this.schedule({ kind: 'io', at: request.at, request });
    return id;
  }

  /** Cancels request `io` at tick `at`, as IoCancelIrp would. */
  cancel(io: number, at = 0): void {
    this.schedule({ kind: 'cancel', at, io });
  }

  /** Attaches driver `module`'s filter to `volume` at tick `at`, as `fltmc attach` does. */
  attach(at: number, module: string, volume: string): void {
    this.schedule({ kind: 'attach', at, module, volume });
  }

  /** Unloads `module` (every driver when absent) at tick `at`. */
  unload(at = 0, module?: string): void {
    this.schedule({ kind: 'unload', at, module });
  }

  /** The scenario's user-mode program does `action` on a communication port at its time. */
  client(action: ClientAction): void {
    this.schedule({ kind: 'client', at: action.at, action });
  }

  /** How the user-mode program answers messages on `port` (rules tried in order). */
  clientReplies(port: string, rule: ReplyRule): void {
    this.ports.program.addReplyRule(port, rule);
  }

  /** The user-mode program on `port` never picks up messages. */
  clientIgnoresMessages(port: string): void {
    this.ports.program.ignoreMessages(port);
  }

  /** The scenario's transaction `name` commits or rolls back at tick `at` (KTM notifies the enlisted filters). */
  endTransaction(name: string, outcome: 'commit' | 'rollback', at: number): void {
    this.schedule({ kind: 'transaction', at, name, outcome });
  }

  /** The run's processes (System, the two default user processes, the scenario's). */
  get processes(): ProcessTable {
    return this.kernel.processes;
  }

  /** Declares a scenario process; with `start`/`exit`, it starts/exits then and the notify routines run. */
  process(spec: ProcessSpec): KProcess {
    const p = this.kernel.processes.add(spec);
    if (spec.start !== undefined) this.schedule({ kind: 'process-start', at: spec.start, process: p });
    if (spec.exit !== undefined) this.schedule({ kind: 'process-exit', at: spec.exit, process: p });
    return p;
  }

  /** Process `opener` opens a handle to `target` asking for `access` at tick `at` (the ObRegisterCallbacks callbacks run). */
  openProcess(input: { id: number; at: number; target: string; access: number; opener?: string; kernelHandle?: boolean }): void {
    const procs = this.kernel.processes;
    const target = procs.named(input.target);
    if (target === undefined) throw new Error(`open-process #${input.id}: no process is named "${input.target}"; declare it with a process line`);
    const opener = input.opener === undefined ? procs.workload : procs.named(input.opener);
    if (opener === undefined) throw new Error(`open-process #${input.id}: no process is named "${input.opener}"; declare it with a process line`);
    this.schedule({ kind: 'open-process', at: input.at, id: input.id, opener, target, access: input.access, kernelHandle: input.kernelHandle ?? false });
  }

  /** The program does registry operation `op` (#id) at tick `at` in `process` (the workload's when absent); the registry callbacks see it. */
  registryOp(input: { id: number; at: number; process?: string; op: RegistryOperation }): void {
    const procs = this.kernel.processes;
    const process = input.process === undefined ? procs.workload : procs.named(input.process);
    if (process === undefined) throw new Error(`registry #${input.id}: no process is named "${input.process}"; declare it with a process line`);
    this.schedule({ kind: 'registry', at: input.at, id: input.id, process, op: input.op });
  }

  /** How each registry operation of the workload ended, by id. */
  get registryOps(): ReadonlyMap<number, RegistryOpResult> {
    return this.registryWorkload.results;
  }

  /** How each `open-process` event ended, by id. */
  get processOpens(): ReadonlyMap<number, ProcessOpenResult> {
    return this.obCallbacks.opens;
  }

  /** Processes whose start a notify routine denied, with the CreationStatus it set. */
  get deniedProcesses(): ReadonlyMap<KProcess, number> {
    return this.processNotify.denied;
  }

  /** What the user-mode program saw on the communication ports, in order. */
  /** A step the user program takes after each reply on `port` (a `client … then` line). */
  clientFollowUp(port: string, step: ClientStep): void {
    this.ports.program.addFollowUp(port, step);
  }

  get clientLog(): readonly ClientRecord[] {
    return this.ports.program.log;
  }

  // --- running ---

  get stepCount(): number {
    return this.kernel.stepCount;
  }

  get now(): number {
    return this.kernel.now;
  }

  /** True once the run has ended and the end-of-run checks have run. */
  get finished(): boolean {
    return this.verifier.finished;
  }

  /** One trap of one thread. After the last one, returns `done` (and runs the end-of-run checks). */
  step(): StepResult {
    this.start();
    const k = this.kernel;
    if (k.fault) return { kind: 'fault', thread: k.fault.thread, time: k.now, step: k.stepCount };
    const kind = k.sched.step();
    const t = k.sched.lastStepped;
    if (kind === 'done') this.finish();
    return { kind, thread: kind === 'done' ? 0 : (t?.id ?? 0), time: k.now, step: k.stepCount };
  }

  /** Runs until nothing is left, the step budget is spent, or driver code fails. */
  run(budget = this.options.stepBudget ?? 10_000_000): RunResult {
    this.start();
    const k = this.kernel;
    const sched = k.sched;
    const startStep = k.stepCount;
    const limit = startStep + budget;
    while (k.stepCount < limit) {
      if (k.fault) return { reason: 'fault', steps: k.stepCount - startStep };
      if (sched.step() === 'done') {
        this.finish();
        return { reason: 'done', steps: k.stepCount - startStep };
      }
    }
    return { reason: k.fault ? 'fault' : 'budget', steps: k.stepCount - startStep };
  }

  /** Runs until `step` steps have been taken in total (or the run ends first). */
  runTo(step: number): void {
    while (this.kernel.stepCount < step) {
      const r = this.step();
      if (r.kind === 'done' || r.kind === 'fault') return;
    }
  }

  /** The end-of-run checks; `run()` and `step()` call it when the run is over. Idempotent. */
  finish(): void {
    this.verifier.endOfRun();
  }

  // --- observing ---

  /** Every kept event, oldest first: a fresh array each call, so a reader that follows the run
   *  step by step uses `eventCount` and `event(seq)` instead. */
  get events(): readonly SimEvent[] {
    return this.kernel.log.all();
  }

  /** Number of events recorded so far: the seq of the newest one (seqs start at 1). */
  get eventCount(): number {
    return this.kernel.log.total;
  }

  /** The event with this seq, or undefined if it was never recorded or has been dropped. */
  event(seq: number): SimEvent | undefined {
    return this.kernel.log.get(seq);
  }

  get violations(): readonly Violation[] {
    return this.kernel.violations;
  }

  /** DbgPrint output, one entry per line. */
  get output(): readonly string[] {
    return this.kernel.output;
  }

  /** Appends a line of debugger output (the interpreter formats DbgPrint and calls this). */
  print(line: string): void {
    this.kernel.print(line);
  }

  snapshot(): Snapshot {
    return takeSnapshot(this.kernel, this.fltmgr, { cbdqs: this.cbdq.all, contexts: this.contexts.live });
  }

  /**
   * Threads blocked forever at the end, apart from those waiting for their own request (that
   * request is left hanging instead) and a loaded driver's own threads idling on an event.
   */
  blockedForever(): KThread[] {
    const waiters = requestWaiters(this.fltmgr);
    return this.kernel.waitingThreads().filter((t) => !waiters.has(t) && !isIdleDriverThread(this.fltmgr, t));
  }

  /** What the run leaves hanging (requests, filter I/O, work items nothing finished); meaningful once it has ended. */
  leftHanging(): HangingWork[] {
    const devicePended = [...this.devices.results].filter(([, r]) => !r.completed).map(([io]) => io);
    return leftHanging(this.fltmgr, devicePended, (d) => this.notifyLists.holds(d));
  }

  /** How request `io` ended, or where it stands if it has not. */
  result(io: number): IoResult | undefined {
    const done = this.fltmgr.results.get(io);
    if (done) return done;
    const dev = this.devices.results.get(io);
    if (dev) return { io, data: 0, status: dev.status, information: dev.information, state: dev.completed ? 'done' : 'pended' };
    for (const d of this.fltmgr.live.values()) {
      if (d.request.id === io) return { io, data: d.id, status: d.IoStatus.Status >>> 0, information: d.IoStatus.Information, state: d.state };
    }
    return undefined;
  }

  /** Calls `fn` for every event as it is recorded. Returns a function that stops it. */
  onEvent(fn: (e: SimEvent) => void): () => void {
    return this.kernel.log.listen(fn);
  }

  // --- internals ---

  /** The lowest id above the last one handed out that no request uses yet. */
  private freeIoId(): number {
    while (this.fltmgr.isIdTaken(this.nextIoId)) this.nextIoId++;
    return this.nextIoId++;
  }

  /**
   * Adds a workload event in time order. Only the earliest pending event has a timer; when it
   * fires, every event due by then runs in order and the next one is armed. Long workloads thus
   * cost one timer, not one per event.
   */
  private schedule(item: WorkloadItem): void {
    const w = this.workload;
    let i = w.length;
    while (i > this.next && w[i - 1]!.at > item.at) i--;
    w.splice(i, 0, item);
    if (this.booted) this.armNext();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const k = this.kernel;
    const fm = this.fltmgr;
    const w = this.options.workersPerQueue;
    const critical = typeof w === 'number' ? w : (w?.critical ?? 1);
    const delayed = typeof w === 'number' ? w : (w?.delayed ?? 1);
    fm.queues.start(Math.max(1, critical), Math.max(1, delayed));
    fm.completion.start();
    if (fm.drivers.length === 0) {
      this.boot();
      return;
    }
    k.spawn('DriverEntry', 'system', PRIORITY.normal, (t) => this.loader(t));
  }

  private *loader(t: KThread): Co<void> {
    yield* this.registration.loadDrivers(t);
    this.boot();
  }

  /** Every DriverEntry has returned: the workload's clock starts. */
  private boot(): void {
    this.booted = true;
    this.armNext();
  }

  private armNext(): void {
    const k = this.kernel;
    const item = this.workload[this.next];
    if (item === undefined) return;
    const tick = Math.max(item.at, k.now);
    if (this.armed !== null) {
      if (this.armedTick <= tick) return;
      this.armed.cancelled = true;
    }
    this.armedTick = tick;
    this.armed = k.sched.addTimer(tick, this.fireDueBound);
  }

  private fireDue(): void {
    this.armed = null;
    const now = this.kernel.now;
    const w = this.workload;
    while (this.next < w.length && w[this.next]!.at <= now) {
      const item = w[this.next]!;
      w[this.next++] = undefined as unknown as WorkloadItem;
      this.fire(item);
    }
    if (this.next > 1024 && this.next * 2 > w.length) {
      this.workload = w.slice(this.next);
      this.next = 0;
    }
    this.armNext();
  }

  private fire(item: WorkloadItem): void {
    const k = this.kernel;
    switch (item.kind) {
      case 'io': {
        // A path that names a device the driver created (its control device object) goes to that
        // driver's dispatch routine, not down a volume's filter stack.
        const dev = this.devices.deviceFor(item.request.path);
        if (dev !== undefined) this.devices.spawnIo(dev, item.request.id, item.request.major, majorName(item.request.major), deviceRequest(item.request)).process = item.request.process ?? k.processes.workload;
        else this.dispatcher.spawnIssuer(item.request);
        break;
      }
      case 'cancel':
        k.spawn(`Cancel I/O #${item.io}`, 'system', PRIORITY.normal, (t) => this.cancelBody(t, item.io));
        break;
      case 'unload':
        k.spawn(`Unload ${item.module ?? 'all drivers'}`, 'system', PRIORITY.normal, (t) => this.unloading.unloadRequest(t, item.module));
        break;
      case 'attach':
        k.spawn(`Attach ${item.module}`, 'system', PRIORITY.normal, (t) => this.registration.attachRequest(t, item.module, item.volume));
        break;
      case 'client':
        this.ports.program.spawnClient(item.action);
        break;
      case 'transaction':
        this.transactions.spawnOutcome(item.name, item.outcome);
        break;
      case 'process-start':
        this.processNotify.spawnStart(item.process);
        break;
      case 'process-exit':
        this.processNotify.spawnExit(item.process);
        break;
      case 'open-process':
        this.obCallbacks.spawnOpen(item.id, item.opener, item.target, item.access, item.kernelHandle);
        break;
      case 'registry':
        this.registryWorkload.spawn(item.id, item.process, item.op);
        break;
    }
  }

  private *cancelBody(t: KThread, io: number): Co<void> {
    t.frames.push(kernelFrame('NtCancelIoFileEx', 'nt'));
    if (this.devices.isDeviceRequest(io)) {
      if (!(yield* this.devices.cancelRequest(t, io))) this.kernel.emit('cancel', 0, `IoCancelIrp(I/O #${io}): it has already completed; nothing to cancel`);
      return;
    }
    yield* this.cancelling.cancelRequest(t, io);
  }
}

/** A workload request as a device's dispatch routine receives it (devices.ts places its buffers). */
function deviceRequest(r: IoRequest): DeviceRequest {
  const d: DeviceRequest = { code: r.code, length: r.length };
  if (r.data !== undefined) d.input = r.data;
  if (r.outputLength !== undefined) d.outputLength = r.outputLength;
  return d;
}
