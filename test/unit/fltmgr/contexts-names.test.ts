/**
 * Contexts and file name information: reference counting, attachment, cleanup callbacks, and the
 * leaks and over-releases the verifier reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, flt, invoke, Ref, STATUS, unicodeStringText, type Co, type FltCallbackData } from '../../../engine';
import { CallLog, IRP_MJ, PRE, POST, newSim, path, violationIds } from '../simHarness';


const CTX = flt.FLT_CONTEXT;

function withStreamContexts(body: (sim: ReturnType<typeof newSim>, d: FltCallbackData, objs: { Instance: unknown; Filter: unknown }) => Co<void>, opts: { unload?: boolean } = {}) {
  const sim = newSim();
  const log = new CallLog(sim);
  const f = defineFilter(sim, {
    contexts: [{ ContextType: CTX.STREAM, Size: 32, PoolTag: 0x78747443, ContextCleanupCallback: (ctx: unknown, type: number) => { log.add(`cleanup(${type})`); void ctx; } }],
    operations: [{
      major: IRP_MJ.CREATE,
      post: function* PostCreate(d: FltCallbackData, objs: { Instance: unknown; Filter: unknown }): Co<number> {
        yield* body(sim, d, objs);
        return POST.FLT_POSTOP_FINISHED_PROCESSING;
      },
    }],
  });
  sim.loadDriver('ctx', f.driverEntry);
  sim.io({ id: 1, major: 'create', path: path('a') });
  if (opts.unload) sim.unload(1);
  sim.run();
  return { sim, log };
}

test('a stream context allocated, attached and released lives as long as its attachment; unload runs its cleanup', () => {
  let found: unknown = 'unset';
  let alloc: unknown = null;
  const { sim, log } = withStreamContexts(function* (s, d, objs) {
    const c = { v: null as unknown };
    assert.equal(s.api.FltAllocateContext(objs.Filter, CTX.STREAM, 32, 0, new Ref(c, 'v')), STATUS.STATUS_SUCCESS);
    alloc = c.v;
    assert.equal(yield* s.api.FltSetStreamContext(objs.Instance, d.fileObject, flt.FLT_SET_CONTEXT_KEEP_IF_EXISTS, c.v, null), STATUS.STATUS_SUCCESS);
    yield* s.api.FltReleaseContext(c.v);
    const g = { v: null as unknown };
    assert.equal(s.api.FltGetStreamContext(objs.Instance, d.fileObject, new Ref(g, 'v')), STATUS.STATUS_SUCCESS);
    found = g.v;
    yield* s.api.FltReleaseContext(g.v);
  }, { unload: true });
  assert.equal(found, alloc);
  assert.deepEqual(log.names(), ['cleanup(8)']);
  assert.deepEqual(violationIds(sim), []);
});

test('a reference never released is reported when the filter unloads (ctx-ref-leak)', () => {
  const { sim } = withStreamContexts(function* (s, d, objs) {
    const c = { v: null as unknown };
    s.api.FltAllocateContext(objs.Filter, CTX.STREAM, 32, 0, new Ref(c, 'v'));
    yield* s.api.FltSetStreamContext(objs.Instance, d.fileObject, 0, c.v, null);
  }, { unload: true });
  assert.deepEqual(violationIds(sim), ['ctx-ref-leak']);
});

test('a reference never released is reported at the end of a run without unload (ctx-ref-leak)', () => {
  const { sim } = withStreamContexts(function* (s, _d, objs) {
    const c = { v: null as unknown };
    s.api.FltAllocateContext(objs.Filter, CTX.STREAM, 32, 0, new Ref(c, 'v'));
    yield* [];
  });
  assert.deepEqual(violationIds(sim), ['ctx-ref-leak']);
});

test('releasing more often than referenced is reported (ctx-over-release)', () => {
  const { sim, log } = withStreamContexts(function* (s, _d, objs) {
    const c = { v: null as unknown };
    s.api.FltAllocateContext(objs.Filter, CTX.STREAM, 32, 0, new Ref(c, 'v'));
    yield* s.api.FltReleaseContext(c.v);
    yield* s.api.FltReleaseContext(c.v);
    s.api.FltReferenceContext(c.v);
  });
  assert.deepEqual(log.names(), ['cleanup(8)']);
  assert.deepEqual(violationIds(sim), ['ctx-over-release', 'ctx-over-release']);
  assert.match(sim.violations[0]!.message, /0x6D/);
  assert.match(sim.violations[1]!.message, /0x6E/);
});

test('a context type that is not registered cannot be allocated; a stream context cannot be set in pre-create', () => {
  const sim = newSim();
  const got: number[] = [];
  const f = defineFilter(sim, {
    contexts: [{ ContextType: CTX.STREAM, Size: 8 }],
    operations: [{
      major: IRP_MJ.CREATE,
      *pre(d: FltCallbackData, objs: { Instance: unknown; Filter: unknown }): Co<number> {
        const c = { v: null as unknown };
        got.push(sim.api.FltAllocateContext(objs.Filter, CTX.INSTANCE, 8, 0, new Ref(c, 'v')));
        got.push(sim.api.FltAllocateContext(objs.Filter, CTX.STREAM, 8, 0, new Ref(c, 'v')));
        got.push(yield* sim.api.FltSetStreamContext(objs.Instance, d.fileObject, 0, c.v, null));
        yield* sim.api.FltReleaseContext(c.v);
        return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
      },
    }],
  });
  sim.loadDriver('pc', f.driverEntry);
  sim.io({ id: 1, major: 'create', path: path('a') });
  sim.run();
  assert.deepEqual(got, [STATUS.STATUS_FLT_CONTEXT_ALLOCATION_NOT_FOUND, STATUS.STATUS_SUCCESS, STATUS.STATUS_NOT_SUPPORTED]);
  assert.deepEqual(violationIds(sim), []);
});

test('instance contexts: KEEP_IF_EXISTS keeps the first, REPLACE_IF_EXISTS returns the old one with its reference', () => {
  const sim = newSim();
  const got: unknown[] = [];
  const f = defineFilter(sim, {
    contexts: [{ ContextType: CTX.INSTANCE, Size: 8 }],
    *instanceSetup(objs: { Instance: unknown; Filter: unknown }): Co<number> {
      const api = sim.api;
      const a = { v: null as unknown };
      const b = { v: null as unknown };
      api.FltAllocateContext(objs.Filter, CTX.INSTANCE, 8, 0, new Ref(a, 'v'));
      api.FltAllocateContext(objs.Filter, CTX.INSTANCE, 8, 0, new Ref(b, 'v'));
      got.push(yield* api.FltSetInstanceContext(objs.Instance, flt.FLT_SET_CONTEXT_KEEP_IF_EXISTS, a.v, null));
      const old = { v: null as unknown };
      got.push(yield* api.FltSetInstanceContext(objs.Instance, flt.FLT_SET_CONTEXT_KEEP_IF_EXISTS, b.v, new Ref(old, 'v')));
      got.push(old.v === a.v);
      yield* api.FltReleaseContext(old.v);
      got.push(yield* api.FltSetInstanceContext(objs.Instance, flt.FLT_SET_CONTEXT_REPLACE_IF_EXISTS, b.v, new Ref(old, 'v')));
      got.push(old.v === a.v);
      yield* api.FltReleaseContext(old.v);
      yield* api.FltReleaseContext(a.v);
      yield* api.FltReleaseContext(b.v);
      return 0;
    },
  });
  sim.loadDriver('ic', f.driverEntry);
  sim.unload(1);
  sim.run();
  assert.deepEqual(got, [STATUS.STATUS_SUCCESS, STATUS.STATUS_FLT_CONTEXT_ALREADY_DEFINED, true, STATUS.STATUS_SUCCESS, true]);
  assert.deepEqual(violationIds(sim), []);
});

test('file name information: parsed parts, released once; not released, or released twice, is reported (name-info)', () => {
  const run = (releases: number) => {
    const sim = newSim();
    const parts: string[] = [];
    const f = defineFilter(sim, {
      operations: [{
        major: IRP_MJ.CREATE,
        pre: (d: FltCallbackData) => {
          const n = { v: null as unknown };
          assert.equal(sim.api.FltGetFileNameInformation(d, flt.FLT_FILE_NAME_NORMALIZED, new Ref(n, 'v')), STATUS.STATUS_SUCCESS);
          sim.api.FltParseFileNameInformation(n.v);
          const info = n.v as Record<string, { Length: number }>;
          for (const k of ['Name', 'Volume', 'ParentDir', 'FinalComponent', 'Extension']) parts.push(unicodeStringText(info[k] as never));
          for (let i = 0; i < releases; i++) sim.api.FltReleaseFileNameInformation(n.v);
          return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
        },
      }],
    });
    sim.loadDriver('names', f.driverEntry);
    sim.io({ id: 1, major: 'create', path: path('docs\\report.txt') });
    sim.run();
    return { parts, ids: violationIds(sim) };
  };
  const ok = run(1);
  assert.deepEqual(ok.parts, ['\\Device\\HarddiskVolume1\\docs\\report.txt', '\\Device\\HarddiskVolume1', '\\docs\\', 'report.txt', 'txt']);
  assert.deepEqual(ok.ids, []);
  assert.deepEqual(run(0).ids, ['name-info']);
  assert.deepEqual(run(2).ids, ['name-info']);
});

test('name information is refused for paging I/O (STATUS_FLT_INVALID_NAME_REQUEST) and above APC_LEVEL (name-info)', () => {
  const sim = newSim();
  const got: number[] = [];
  const lock = {};
  const f = defineFilter(sim, {
    operations: [{
      major: IRP_MJ.READ,
      *pre(d: FltCallbackData): Co<number> {
        const n = { v: null as unknown };
        if (d.request.paging) got.push(yield* invoke(sim.api.FltGetFileNameInformation(d, 1, new Ref(n, 'v'))));
        else {
          const old = yield* sim.api.KeAcquireSpinLock(lock);
          got.push(yield* invoke(sim.api.FltGetFileNameInformation(d, 1, new Ref(n, 'v'))));
          sim.api.KeReleaseSpinLock(lock, old);
        }
        if (n.v) sim.api.FltReleaseFileNameInformation(n.v);
        return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK;
      },
    }],
  });
  sim.loadDriver('nm', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a'), flags: { paging: true } });
  sim.io({ id: 2, major: 'read', path: path('a'), at: 1 });
  sim.run();
  assert.equal(got[0], STATUS.STATUS_FLT_INVALID_NAME_REQUEST);
  assert.deepEqual(violationIds(sim), ['name-info']);
  assert.match(sim.violations[0]!.message, /FltGetFileNameInformation called at DISPATCH_LEVEL/);
});
