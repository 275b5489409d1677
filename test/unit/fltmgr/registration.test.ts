/**
 * Loading and registration: FltRegisterFilter's checks of FLT_REGISTRATION (Size, Version, the
 * array terminators, reserved fields), arrays handed over as C pointers, FltStartFiltering and
 * instance setup, altitudes, and a failing DriverEntry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, flt, Ptr, Ref, STATUS, viewAt, type Co, type FunctionValue } from '../../../engine';
import { sizeOf } from '../../../engine/c/types';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { preludeStruct } from '../../../engine/c/prelude/structs';
import { CallLog, IRP_MJ, PRE, newSim, path, violationIds } from '../simHarness';

const registerWith = (override: Record<string, unknown>) => {
  const sim = newSim();
  let status = -1;
  const f = defineFilter(sim, { operations: [{ major: IRP_MJ.CREATE, pre: () => PRE.FLT_PREOP_SUCCESS_NO_CALLBACK }], registration: override as never });
  sim.loadDriver('reg', function* DriverEntry(d: unknown, r: unknown): Co<number> {
    status = yield* f.driverEntry(d, r);
    return status;
  });
  sim.run();
  return { sim, status };
};

test('FLT_REGISTRATION_VERSION is 0x0203 and sizeof(FLT_REGISTRATION) is 112 on x64', () => {
  assert.equal(flt.FLT_REGISTRATION_VERSION, 0x0203);
  assert.equal(flt.FLT_REGISTRATION_SIZE, 112);
  const { sim, status } = registerWith({});
  assert.equal(status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(violationIds(sim), []);
});

test('a wrong Size is refused with STATUS_INVALID_PARAMETER (reg-struct)', () => {
  const { sim, status } = registerWith({ Size: 104 });
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['reg-struct']);
  assert.match(sim.violations[0]!.message, /Size is 104, but sizeof\(FLT_REGISTRATION\) for version 0x0203 is 112/);
});

test('an unknown Version is refused with STATUS_INVALID_PARAMETER (reg-struct)', () => {
  const { sim, status } = registerWith({ Version: 0x0300 });
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['reg-struct']);
});

test('older versions register with their own, shorter layout', () => {
  for (const [version, size] of [[0x0200, 88], [0x0201, 96], [0x0202, 104]]) {
    const { sim, status } = registerWith({ Version: version, Size: size });
    assert.equal(status, STATUS.STATUS_SUCCESS, `version 0x${version!.toString(16)}`);
    assert.deepEqual(violationIds(sim), []);
  }
});

test('an operation array without IRP_MJ_OPERATION_END is refused (reg-struct)', () => {
  const { sim, status } = registerWith({ OperationRegistration: [{ MajorFunction: IRP_MJ.CREATE, PreOperation: () => 1 }] });
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['reg-struct']);
  assert.match(sim.violations[0]!.message, /IRP_MJ_OPERATION_END/);
});

test('a context array without FLT_CONTEXT_END is refused (reg-struct)', () => {
  const { sim, status } = registerWith({ ContextRegistration: [{ ContextType: flt.FLT_CONTEXT.STREAM, Size: 16 }] });
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['reg-struct']);
});

test('rows for IRP_MJ_POWER and non-NULL Reserved1 are reported (reg-struct)', () => {
  const { sim, status } = registerWith({
    OperationRegistration: [
      { MajorFunction: IRP_MJ.POWER, PreOperation: () => 1 },
      { MajorFunction: IRP_MJ.READ, PreOperation: () => 1, Reserved1: {} },
      { MajorFunction: IRP_MJ.OPERATION_END },
    ],
  });
  assert.equal(status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(violationIds(sim), ['reg-struct', 'reg-struct']);
});

test('an operation array in C memory is read through the pointer to its first row, up to the terminator', async () => {
  await loadCLanguage();
  const sim = newSim();
  const log = new CallLog(sim);
  const m = sim.kernel.marshal;
  m.layouts = preludeStruct; // what loading C code installs
  const row = m.struct('_FLT_OPERATION_REGISTRATION');
  const rows = sim.kernel.memory.allocate('global', 2 * sizeOf(row), { label: 'Callbacks', zeroed: true });
  const preCreate: FunctionValue = { kind: 'function', name: 'PreCreate', call: () => { log.add('PreCreate'); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } };
  const first = viewAt(rows, 0, row);
  first.MajorFunction = IRP_MJ.CREATE;
  first.PreOperation = preCreate;
  viewAt(rows, sizeOf(row), row).MajorFunction = IRP_MJ.OPERATION_END;
  const f = defineFilter(sim, { registration: { OperationRegistration: new Ptr(rows, 0) } });
  sim.loadDriver('cptr', f.driverEntry);
  sim.io({ id: 1, major: 'create', path: path('a') });
  sim.run();
  assert.deepEqual(log.names(), ['PreCreate']);
  assert.deepEqual(violationIds(sim), []);
});

test('an operation array that runs off the end of its memory is a malformed registration', async () => {
  await loadCLanguage();
  const sim = newSim();
  sim.kernel.marshal.layouts = preludeStruct; // what loading C code installs
  const row = sim.kernel.marshal.struct('_FLT_OPERATION_REGISTRATION');
  const rows = sim.kernel.memory.allocate('global', sizeOf(row), { label: 'Callbacks', zeroed: true });
  viewAt(rows, 0, row).MajorFunction = IRP_MJ.CREATE;
  const { status } = registerIn(sim, { OperationRegistration: new Ptr(rows, 0) });
  assert.equal(status, STATUS.STATUS_INVALID_PARAMETER);
  assert.deepEqual(violationIds(sim), ['reg-struct']);
  assert.match(sim.violations[0].message, /reads 1 byte at offset 32 of a 32-byte Callbacks: past its end/);
});

function registerIn(sim: ReturnType<typeof newSim>, override: Record<string, unknown>): { status: number } {
  let status = -1;
  const f = defineFilter(sim, { registration: override as never });
  sim.loadDriver('reg', function* DriverEntry(d: unknown, r: unknown): Co<number> {
    status = yield* f.driverEntry(d, r);
    return status;
  });
  sim.run();
  return { status };
}

test('FltStartFiltering sets up an instance on every volume, calling InstanceSetup before it returns', () => {
  const sim = newSim({ volumes: ['\\Device\\HarddiskVolume1', '\\Device\\HarddiskVolume2'] });
  const order: string[] = [];
  const f = defineFilter(sim, {
    instanceSetup: (objs: { Volume: { name: string } }, flags: number, dev: number, fsType: number) => {
      order.push(`setup ${objs.Volume.name} flags ${flags} device ${dev} fs ${fsType}`);
      return objs.Volume.name.endsWith('2') ? STATUS.STATUS_FLT_DO_NOT_ATTACH : STATUS.STATUS_SUCCESS;
    },
    init: () => order.push('registered'),
  });
  sim.loadDriver('vols', function* DriverEntry(d: unknown, r: unknown): Co<number> {
    const st = yield* f.driverEntry(d, r);
    order.push('DriverEntry returns');
    return st;
  });
  sim.run();
  assert.deepEqual(order, [
    'registered',
    'setup \\Device\\HarddiskVolume1 flags 1 device 8 fs 2',
    'setup \\Device\\HarddiskVolume2 flags 1 device 8 fs 2',
    'DriverEntry returns',
  ]);
  const inst = sim.snapshot().filters[0]!.instances;
  assert.deepEqual(inst.map((i) => [i.volume, i.state]), [['\\Device\\HarddiskVolume1', 'attached']]);
});

test('FltStartFiltering a second time fails with STATUS_INVALID_PARAMETER', () => {
  const sim = newSim();
  let second = -1;
  const f = defineFilter(sim, {});
  sim.loadDriver('twice', function* DriverEntry(d: unknown, r: unknown): Co<number> {
    yield* f.driverEntry(d, r);
    second = yield* sim.api.FltStartFiltering(f.filter);
    return 0;
  });
  sim.run();
  assert.equal(second, STATUS.STATUS_INVALID_PARAMETER);
});

test('two filters at the same altitude: the second gets no instance (altitude collision)', () => {
  const sim = newSim();
  const a = defineFilter(sim, {});
  const b = defineFilter(sim, {});
  sim.loadDriver('a', a.driverEntry, { altitude: 320000 });
  sim.loadDriver('b', b.driverEntry, { altitude: 320000 });
  sim.run();
  assert.deepEqual(sim.snapshot().filters.map((f) => f.instances.length), [1, 0]);
  assert.ok(sim.events.some((e) => /STATUS_FLT_INSTANCE_ALTITUDE_COLLISION/.test(e.detail)));
});

test('a DriverEntry that fails but leaves its filter registered is reported (reg-start-errors)', () => {
  const sim = newSim();
  const f = defineFilter(sim, {});
  sim.loadDriver('bad', function* DriverEntry(d: unknown, r: unknown): Co<number> {
    yield* f.driverEntry(d, r);
    return STATUS.STATUS_INSUFFICIENT_RESOURCES;
  });
  sim.io({ id: 1, major: 'create', path: path('a') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['reg-start-errors']);
  assert.equal(sim.fltmgr.drivers[0]!.state, 'failed');
  assert.equal(sim.fltmgr.volumes[0]!.instances.length, 0, 'its instance is gone');
});

test('DriverEntry gets a DRIVER_OBJECT and the service key path; FltRegisterFilter wants that same object', () => {
  const sim = newSim();
  const seen: unknown[] = [];
  sim.loadDriver('drv', function DriverEntry(d: { DriverName: { Length: number } }, r: { Length: number }) {
    seen.push(d.DriverName.Length, r.Length);
    const st = sim.api.FltRegisterFilter({ fake: true }, {}, new Ref({ v: 0 }, 'v'));
    seen.push(st);
    return STATUS.STATUS_SUCCESS;
  });
  sim.run();
  assert.deepEqual(seen, ['\\Driver\\drv'.length * 2, '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\drv'.length * 2, STATUS.STATUS_INVALID_PARAMETER]);
  assert.deepEqual(violationIds(sim), ['bad-object']);
});

test('drivers load before any workload event, in the order added, with default altitudes counting down', () => {
  const sim = newSim();
  const a = defineFilter(sim, {});
  const b = defineFilter(sim, {});
  sim.loadDriver('first', a.driverEntry);
  sim.loadDriver('second', b.driverEntry);
  sim.io({ id: 1, major: 'create', path: path('x'), at: 0 });
  sim.run();
  const loads = sim.events.filter((e) => e.kind === 'driver-load' || e.kind === 'io-issue').map((e) => e.detail.split(' ')[0]);
  assert.deepEqual(loads, ['DriverEntry(first)', 'first', 'DriverEntry(second)', 'second', '#1']);
  assert.deepEqual(sim.snapshot().filters.map((f) => f.altitude), ['370000', '369000']);
  assert.throws(() => sim.loadDriver('late', a.driverEntry), /before the run starts/);
});

test('bad workload input fails where it is written, with a message that says what to write', () => {
  const sim = newSim();
  assert.throws(() => sim.io({ major: 'reed', path: path('a') }), /'reed' is not an operation; use read, write/);
  // A name every object has (its prototype's) is not an operation word either.
  assert.throws(() => sim.io({ major: 'constructor', path: path('a') }), /'constructor' is not an operation; use read, write/);
  assert.throws(() => sim.io({ major: 'read', path: '' }), /a path is required/);
  sim.io({ id: 4, major: 'read', path: path('a') });
  assert.throws(() => sim.io({ id: 4, major: 'read', path: path('b') }), /io #4: this id is already used/);
  assert.throws(() => sim.loadDriver('x', null as never), /a DriverEntry is required/);
  assert.throws(() => sim.loadDriver('x', () => 0, { altitude: 'high' }), /altitude 'high' is not a number/);
});
