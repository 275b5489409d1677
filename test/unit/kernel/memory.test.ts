/**
 * Pool, lookaside lists, allocation failure injection, and the registry a driver reads at load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, makeUnicodeString, rawInfo, Ref, STATUS, type Co } from '../../../engine';
import { newSim, violationIds } from '../simHarness';

const TAG = 0x74736554; // 'Test'
const P = 8;

test('pool blocks are raw blocks tracked by the engine; freeing twice or freeing a stranger is reported', () => {
  const sim = newSim();
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const b = sim.api.ExAllocatePoolWithTag(0, 64, TAG)!;
    assert.deepEqual({ ...rawInfo(b)!, id: 0 }, { size: 64, pool: 'NonPagedPool', tag: TAG, id: 0, freed: false });
    sim.api.ExFreePoolWithTag(b, TAG);
    assert.equal(rawInfo(b)!.freed, true);
    sim.api.ExFreePoolWithTag(b, TAG);
    sim.api.ExFreePool({ not: 'pool' });
    const c = sim.api.ExAllocatePool2(0x100, 8, TAG)!;
    assert.equal(rawInfo(c)!.pool, 'PagedPool');
    sim.api.ExFreePoolWithTag(c, 0x61626364);
    yield 1;
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['pool-double-free', 'pool-bad-free', 'pool-tag-mismatch']);
});

test('paged pool at DISPATCH_LEVEL is reported (pool-paged-at-dispatch); nonpaged is fine', () => {
  const sim = newSim();
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const old = sim.api.KeRaiseIrql(2);
    sim.api.ExFreePoolWithTag(sim.api.ExAllocatePoolWithTag(512, 8, TAG), TAG);
    sim.api.ExFreePoolWithTag(sim.api.ExAllocatePoolWithTag(1, 8, TAG), TAG);
    sim.api.KeLowerIrql(old);
    yield 1;
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['pool-paged-at-dispatch']);
});

test('pool never freed is a leak once every driver has unloaded (pool-leak), and only then', () => {
  const run = (unload: boolean) => {
    const sim = newSim();
    const f = defineFilter(sim, {
      init: () => {
        sim.api.ExAllocatePoolWithTag(0, 100, TAG);
      },
    });
    sim.loadDriver('leaky', f.driverEntry);
    if (unload) sim.unload(1);
    sim.run();
    return violationIds(sim);
  };
  assert.deepEqual(run(false), []);
  assert.deepEqual(run(true), ['pool-leak']);
});

test('lookaside lists hand out blocks of their size, and a block returned to the wrong list is reported', () => {
  const sim = newSim();
  const a = {};
  const b = {};
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    sim.api.ExInitializeNPagedLookasideList(a, null, null, 0, 48, TAG, 0);
    sim.api.ExInitializeNPagedLookasideList(b, null, null, 0, 16, TAG, 0);
    const e = sim.api.ExAllocateFromNPagedLookasideList(a)!;
    assert.equal(rawInfo(e)!.size, 48);
    assert.equal(rawInfo(e)!.pool, 'Lookaside');
    sim.api.ExFreeToNPagedLookasideList(b, e);
    sim.api.ExFreeToNPagedLookasideList(a, e);
    sim.api.ExDeleteNPagedLookasideList(a);
    sim.api.ExDeleteNPagedLookasideList(b);
    yield 1;
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['pool-bad-free']);
});

test('failAllocation makes chosen allocations return NULL, deterministically', () => {
  const sim = newSim({ failAllocation: (routine, n) => routine === 'FltAllocateGenericWorkItem' && n === 2 });
  const got: boolean[] = [];
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    for (let i = 0; i < 3; i++) {
      const wi = sim.api.FltAllocateGenericWorkItem();
      got.push(wi !== null);
      if (wi) sim.api.FltFreeGenericWorkItem(wi);
    }
    yield 1;
  });
  sim.run();
  assert.deepEqual(got, [true, false, true]);
});

test('the driver\'s service key and Parameters subkey open; values exist only when the scenario gives them', () => {
  const sim = newSim({ registry: { DebugLevel: 3, Mode: 'fast' } });
  const got: Record<string, unknown> = {};
  const f = defineFilter(sim, {
    init: () => {
      const api = sim.api;
      const h = { v: null as unknown };
      const open = (p: string) => api.ZwOpenKey(new Ref(h, 'v'), 0x20019, { Length: 48, RootDirectory: null, ObjectName: makeUnicodeString(p), Attributes: 0x240 });
      got.service = open('\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\reg');
      api.ZwClose(h.v);
      got.params = open('\\Registry\\Machine\\System\\CurrentControlSet\\Services\\reg\\Parameters');
      const info: Record<string, unknown> = {};
      const len = { v: 0 };
      got.dword = api.ZwQueryValueKey(h.v, makeUnicodeString('DebugLevel'), 2, info, 64, new Ref(len, 'v'));
      got.info = { ...info };
      got.len = len.v;
      got.small = api.ZwQueryValueKey(h.v, makeUnicodeString('Mode'), 2, {}, 14, new Ref(len, 'v'));
      got.needed = len.v;
      got.missing = api.ZwQueryValueKey(h.v, makeUnicodeString('Nope'), 2, {}, 64, new Ref(len, 'v'));
      api.ZwClose(h.v);
      got.other = open('\\REGISTRY\\MACHINE\\SOFTWARE\\Elsewhere');
    },
  });
  sim.loadDriver('reg', f.driverEntry);
  sim.run();
  assert.deepEqual(got, {
    service: STATUS.STATUS_SUCCESS,
    params: STATUS.STATUS_SUCCESS,
    dword: STATUS.STATUS_SUCCESS,
    info: { TitleIndex: 0, Type: 4, DataLength: 4, Data: [3, 0, 0, 0] },
    len: 16,
    small: STATUS.STATUS_BUFFER_OVERFLOW,
    needed: 12 + 10,
    missing: STATUS.STATUS_OBJECT_NAME_NOT_FOUND,
    other: STATUS.STATUS_OBJECT_NAME_NOT_FOUND,
  });
});
