/**
 * Pool, lookaside lists, allocation failure injection, and the registry a driver reads at load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, makeUnicodeString, poolBlock, Ptr, Ref, STATUS, viewOf, type Co, type StructView } from '../../../engine';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { preludeStruct } from '../../../engine/c/prelude/structs';
import { newSim, violationIds } from '../simHarness';

const TAG = 0x74736554; // 'Test'
const P = 8;

test('pool blocks are allocations of bytes tracked by the engine; freeing twice or freeing a stranger is reported', () => {
  const sim = newSim();
  sim.kernel.spawn('T', 'system', P, function* (): Co<void> {
    const b = sim.api.ExAllocatePoolWithTag(0, 64, TAG)!;
    const info = poolBlock(b)!;
    assert.deepEqual({ size: info.size, pool: info.pool, tag: info.tag, freed: info.freed }, { size: 64, pool: 'NonPagedPool', tag: TAG, freed: false });
    assert.equal(b.alloc.size, 64);
    assert.equal(b.alloc.label, "pool block #1 (tag 'Test')");
    assert.equal(b.alloc.isInitialized(0, 1), false, 'ExAllocatePoolWithTag leaves the bytes uninitialised');
    sim.api.ExFreePoolWithTag(b, TAG);
    assert.equal(poolBlock(b)!.freed, true);
    assert.equal(b.alloc.freed, true);
    sim.api.ExFreePoolWithTag(b, TAG);
    sim.api.ExFreePool({ not: 'pool' });
    const c = sim.api.ExAllocatePool2(0x100, 8, TAG)!;
    assert.equal(poolBlock(c)!.pool, 'PagedPool');
    assert.equal(c.alloc.readInt(0, 8, false), 0, 'ExAllocatePool2 zeroes the block');
    sim.api.ExFreePoolWithTag(c, 0x61626364);
    const d = sim.api.ExAllocatePoolWithTag(0, 16, TAG)!;
    sim.api.ExFreePoolWithTag(d.add(8), TAG);
    sim.api.ExFreePoolWithTag(d, TAG);
    yield 1;
  });
  sim.run();
  assert.deepEqual(violationIds(sim), ['pool-double-free', 'pool-bad-free', 'pool-tag-mismatch', 'pool-bad-free']);
  assert.match(sim.violations[3].message, /a pointer 8 bytes into block 3, not its start/);
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
    assert.equal(poolBlock(e)!.size, 48);
    assert.equal(poolBlock(e)!.pool, 'Lookaside');
    assert.equal(e.alloc.kind, 'lookaside');
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

test('the driver\'s service key and Parameters subkey open; values exist only when the scenario gives them, written as KEY_VALUE_PARTIAL_INFORMATION bytes', async () => {
  await loadCLanguage();
  const sim = newSim({ registry: { DebugLevel: 3, Mode: 'fast' } });
  sim.kernel.marshal.layouts = preludeStruct; // what loading C code installs
  const got: Record<string, unknown> = {};
  const f = defineFilter(sim, {
    init: () => {
      const api = sim.api;
      const h = { v: null as unknown };
      const open = (p: string) => api.ZwOpenKey(new Ref(h, 'v'), 0x20019, { Length: 48, RootDirectory: null, ObjectName: makeUnicodeString(p), Attributes: 0x240 });
      got.service = open('\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\reg');
      api.ZwClose(h.v);
      got.params = open('\\Registry\\Machine\\System\\CurrentControlSet\\Services\\reg\\Parameters');
      const buffer = api.ExAllocatePoolWithTag(0, 64, TAG)!;
      const len = { v: 0 };
      got.dword = api.ZwQueryValueKey(h.v, makeUnicodeString('DebugLevel'), 2, buffer, 64, new Ref(len, 'v'));
      const info = viewOf(buffer, sim.kernel.marshal.struct('_KEY_VALUE_PARTIAL_INFORMATION')) as StructView;
      got.info = { TitleIndex: info.TitleIndex, Type: info.Type, DataLength: info.DataLength, Data: [...buffer.alloc.readBytes(12, 4)] };
      got.len = len.v;
      got.small = api.ZwQueryValueKey(h.v, makeUnicodeString('Mode'), 2, buffer, 14, new Ref(len, 'v'));
      got.needed = len.v;
      got.missing = api.ZwQueryValueKey(h.v, makeUnicodeString('Nope'), 2, buffer, 64, new Ref(len, 'v'));
      got.noBuffer = api.ZwQueryValueKey(h.v, makeUnicodeString('Mode'), 2, null, 64, new Ref(len, 'v'));
      api.ExFreePoolWithTag(buffer, TAG);
      api.ZwClose(h.v);
      got.other = open('\\REGISTRY\\MACHINE\\SOFTWARE\\Elsewhere');
      assert.ok(buffer instanceof Ptr);
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
    noBuffer: STATUS.STATUS_INVALID_PARAMETER,
    other: STATUS.STATUS_OBJECT_NAME_NOT_FOUND,
  });
});
