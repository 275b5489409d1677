/**
 * Pre/post dispatch: the documented meaning of every FLT_PREOP_* and FLT_POSTOP_* result, which
 * thread and IRQL each callback runs at, and the file system model under the filters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFilter, flt, Ref, STATUS, type Co, type FltCallbackData, type KThread, type Simulation } from '../../../engine';
import { CallLog, IRP_MJ, POST, PRE, WorkQueueType, eventsOf, newSim, path, violationIds } from '../simHarness';

type Pre = (d: FltCallbackData, objs: Record<string, unknown>, ctx: Ref) => unknown;
type Post = (d: FltCallbackData, objs: Record<string, unknown>, ctx: unknown, flags: number) => unknown;

/** Loads filters A (380000), B (370000), C (360000) with the given callbacks on `major`; missing ones pass with a callback. */
function three(sim: Simulation, log: CallLog, major: number, over: Partial<Record<'A' | 'B' | 'C', { pre?: Pre; post?: Post | null }>> = {}) {
  for (const [name, alt] of [['A', 380000], ['B', 370000], ['C', 360000]] as const) {
    const o = over[name] ?? {};
    const f = defineFilter(sim, {
      name,
      operations: [{
        major,
        pre: o.pre ?? ((d: FltCallbackData) => { log.add(`${name}.pre`, d); return PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK; }),
        post: o.post === null ? null : o.post ?? ((d: FltCallbackData) => { log.add(`${name}.post`, d); return POST.FLT_POSTOP_FINISHED_PROCESSING; }),
      }],
    });
    sim.loadDriver(name, f.driverEntry, { altitude: alt });
  }
}

test('pre-operation callbacks run from the highest altitude down, post-operation callbacks back up', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE);
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(log.names(), ['A.pre', 'B.pre', 'C.pre', 'C.post', 'B.post', 'A.post']);
  const kinds = sim.events.filter((e) => e.data === 1).map((e) => e.kind);
  // Each callback's return is an event too (the timeline closes its span there).
  assert.deepEqual(kinds, ['io-issue', 'pre-op', 'return', 'pre-op', 'return', 'pre-op', 'return', 'fs', 'fs-complete', 'post-op', 'return', 'post-op', 'return', 'post-op', 'return', 'io-done']);
  const returns = sim.events.filter((e) => e.data === 1 && e.kind === 'return').map((e) => e.detail);
  assert.deepEqual(returns.slice(0, 1), ['APreCreate returns FLT_PREOP_SUCCESS_WITH_CALLBACK for #1']);
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_SUCCESS, information: flt.FILE_OPENED, state: 'done' });
});

test('FLT_PREOP_SUCCESS_WITH_CALLBACK hands the completion context to the same filter\'s post-op', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const mine = { ctx: 'B' };
  let got: unknown;
  three(sim, log, IRP_MJ.CREATE, {
    B: {
      pre: (d, _o, ctx) => { ctx.set(mine); return PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK; },
      post: (_d, _o, ctx) => { got = ctx; return POST.FLT_POSTOP_FINISHED_PROCESSING; },
    },
  });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.equal(got, mine);
});

test('FLT_PREOP_SUCCESS_NO_CALLBACK skips that filter\'s post-op only', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, { B: { pre: (d) => { log.add('B.pre', d); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(log.names(), ['A.pre', 'B.pre', 'C.pre', 'C.post', 'A.post']);
});

test('FLT_PREOP_COMPLETE stops the operation: no filter below and no file system; only post-ops above run', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, {
    B: { pre: (d) => { log.add('B.pre', d); d.IoStatus.Status = STATUS.STATUS_ACCESS_DENIED; return PRE.FLT_PREOP_COMPLETE; } },
  });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(log.names(), ['A.pre', 'B.pre', 'A.post']);
  assert.equal(eventsOf(sim, 'fs').length, 0);
  assert.equal(sim.result(1)!.status, STATUS.STATUS_ACCESS_DENIED);
  assert.deepEqual(violationIds(sim), []);
});

test('completing with STATUS_PENDING is not a final status (preop-complete-status)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, { A: { pre: (d) => { d.IoStatus.Status = STATUS.STATUS_PENDING; return PRE.FLT_PREOP_COMPLETE; } } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['preop-complete-status']);
});

test('FLT_PREOP_PENDING is only for IRP operations (preop-pending-non-irp)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ, { B: { pre: () => PRE.FLT_PREOP_PENDING } });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), flags: { fastio: true } });
  sim.run();
  assert.deepEqual(violationIds(sim), ['preop-pending-non-irp']);
  assert.equal(sim.result(1)!.state, 'done', 'the simulation goes on as if SUCCESS_NO_CALLBACK');
});

test('FLT_PREOP_PENDING without handing the operation to anything is reported (preop-pending-no-owner)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, { B: { pre: () => PRE.FLT_PREOP_PENDING } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  const ids = violationIds(sim);
  assert.ok(ids.includes('preop-pending-no-owner'), ids.join(', '));
  assert.ok(ids.includes('pended-pre-not-completed'));
});

test('FLT_PREOP_PENDING into a queue of the filter\'s own, completed later, is not reported', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const ownQueue: unknown[] = [];
  three(sim, log, IRP_MJ.READ, { B: { pre: (d) => { ownQueue.push(d); return PRE.FLT_PREOP_PENDING; } } });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), at: 0 });
  // Something the engine cannot see (a timer of the filter's own, say) completes it later.
  sim.kernel.sched.addTimer(5, () => {
    sim.kernel.spawn('own worker', 'system', 8, function* () {
      yield* sim.api.FltCompletePendedPreOperation(ownQueue.pop() as never, PRE.FLT_PREOP_SUCCESS_NO_CALLBACK, null);
    });
  });
  sim.run();
  assert.deepEqual(violationIds(sim), []);
  assert.equal(sim.result(1)?.status, 0);
});

test('FLT_PREOP_SYNCHRONIZE: the post-op runs in the pre-op\'s thread at PASSIVE_LEVEL after completion; post-ops below run in the completion context', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ, { B: { pre: (d) => { log.add('B.pre', d); return PRE.FLT_PREOP_SYNCHRONIZE; } } });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), flags: { synchronous: true } });
  sim.run();
  assert.deepEqual(log.names(), ['A.pre', 'B.pre', 'C.pre', 'C.post', 'B.post', 'A.post']);
  const by = (n: string) => log.find(n)!;
  assert.deepEqual([by('C.post').thread, by('C.post').irql], ['Completion (DPC)', 2]);
  assert.deepEqual([by('B.post').thread, by('B.post').irql], ['I/O #1 (read)', 0]);
  assert.deepEqual([by('A.post').thread, by('A.post').irql], ['I/O #1 (read)', 0]);
  assert.deepEqual(violationIds(sim), []);
});

test('FLT_PREOP_SYNCHRONIZE for an asynchronous read is reported (sync-async-rw)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ, { B: { pre: () => PRE.FLT_PREOP_SYNCHRONIZE } });
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['sync-async-rw']);
});

test('FLT_PREOP_DISALLOW_FASTIO fails the fast I/O request, and the I/O manager reissues it as an IRP', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  let seen = -1;
  three(sim, log, IRP_MJ.READ, {
    A: { post: (d) => { if (d.isFastIo) seen = d.IoStatus.Status; log.add('A.post', d); return POST.FLT_POSTOP_FINISHED_PROCESSING; } },
    B: { pre: (d) => { log.add('B.pre', d); return d.isFastIo ? PRE.FLT_PREOP_DISALLOW_FASTIO : PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } },
  });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), length: 100, flags: { fastio: true } });
  sim.run();
  assert.equal(seen, STATUS.STATUS_FLT_DISALLOW_FAST_IO, 'the filter above saw the fast I/O fail');
  assert.deepEqual(log.calls.map((c) => `${c.name}#${c.data}`), ['A.pre#1', 'B.pre#1', 'A.post#1', 'A.pre#2', 'B.pre#2', 'C.pre#2', 'C.post#2', 'A.post#2']);
  assert.deepEqual(sim.result(1), { io: 1, data: 2, status: STATUS.STATUS_SUCCESS, information: 100, state: 'done' });
});

test('FLT_PREOP_DISALLOW_FASTIO for an IRP is reported (disallow-fastio-misuse)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ, { B: { pre: () => PRE.FLT_PREOP_DISALLOW_FASTIO } });
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['disallow-fastio-misuse']);
});

test('fast I/O completes synchronously: post-ops run in the issuing thread at PASSIVE_LEVEL', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ);
  sim.io({ id: 1, major: 'read', path: path('a.txt'), flags: { fastio: true } });
  sim.run();
  assert.ok(log.calls.every((c) => c.thread === 'I/O #1 (read)' && c.irql === 0));
});

test('an asynchronous IRP read completes in the completion context: post-ops at DISPATCH_LEVEL, after the issuer has gone', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ);
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  const posts = log.calls.filter((c) => c.name.endsWith('.post'));
  assert.ok(posts.every((c) => c.thread === 'Completion (DPC)' && c.irql === 2));
  const seqOf = (kind: string, pred: (d: string) => boolean) => sim.events.find((e) => e.kind === kind && pred(e.detail))!.seq;
  assert.ok(seqOf('thread-exit', (d) => d.startsWith('I/O #1')) < seqOf('io-done', () => true));
});

test('other majors complete synchronously in the issuing thread at PASSIVE_LEVEL', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.QUERY_INFORMATION);
  sim.io({ id: 1, major: 'query-info', path: path('a.txt'), length: 40, infoClass: 4 /* FileBasicInformation: 40 bytes */ });
  sim.run();
  assert.ok(log.calls.every((c) => c.thread === 'I/O #1 (query-info)' && c.irql === 0));
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_SUCCESS, information: 40, state: 'done' });
});

/** B pends its post-op for a worker that calls FltCompletePendedPostOperation. */
function postPender(sim: Simulation, log: CallLog, resume = true) {
  three(sim, log, IRP_MJ.READ, {
    B: {
      post: (d, objs) => {
        log.add('B.post', d);
        const wi = sim.api.FltAllocateDeferredIoWorkItem();
        const st = sim.api.FltQueueDeferredIoWorkItem(wi, d, function* PostWorker(item: unknown, data: FltCallbackData): Co<void> {
          log.add('PostWorker', data);
          sim.api.FltFreeDeferredIoWorkItem(item);
          if (resume) yield* sim.api.FltCompletePendedPostOperation(data);
        }, WorkQueueType.DelayedWorkQueue, null);
        void objs;
        return st === STATUS.STATUS_SUCCESS ? POST.FLT_POSTOP_MORE_PROCESSING_REQUIRED : POST.FLT_POSTOP_FINISHED_PROCESSING;
      },
    },
  });
}

test('FLT_POSTOP_MORE_PROCESSING_REQUIRED holds completion until FltCompletePendedPostOperation; the post-ops above then run', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  postPender(sim, log);
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.deepEqual(log.names(), ['A.pre', 'B.pre', 'C.pre', 'C.post', 'B.post', 'PostWorker', 'A.post']);
  assert.equal(log.find('A.post')!.thread, 'Delayed worker 1');
  assert.ok(historyStates(sim, 1).includes('post-pend'));
  assert.deepEqual(violationIds(sim), []);
});

function historyStates(sim: Simulation, id: number): string[] {
  return sim.events.filter((e) => e.data === id).map((e) => e.kind);
}

test('a post-op pended and never resumed is reported (pended-post-not-completed)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  postPender(sim, log, false);
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['pended-post-not-completed']);
  assert.equal(sim.result(1)!.state, 'post-pended');
});

test('MORE_PROCESSING_REQUIRED for fast I/O is reported (postop-mpr-non-irp)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ, { B: { post: () => POST.FLT_POSTOP_MORE_PROCESSING_REQUIRED } });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), flags: { fastio: true } });
  sim.run();
  assert.deepEqual(violationIds(sim), ['postop-mpr-non-irp']);
  assert.equal(sim.result(1)!.state, 'done');
});

test('MORE_PROCESSING_REQUIRED without posting the work is reported (postop-mpr-without-post)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.READ, { B: { post: () => POST.FLT_POSTOP_MORE_PROCESSING_REQUIRED } });
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['postop-mpr-without-post', 'pended-post-not-completed']);
});

test('FltCompletePendedPostOperation for an operation not pended in post is reported (cpost-not-pended)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, {
    B: { *pre(d: FltCallbackData): Co<number> { yield* sim.api.FltCompletePendedPostOperation(d); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } as never,
  });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['cpost-not-pended']);
});

test('FltDoCompletionProcessingWhenSafe at DISPATCH_LEVEL posts SafePostCallback to a worker at PASSIVE_LEVEL, then completion resumes', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  let returned = -1;
  let ret = -1;
  three(sim, log, IRP_MJ.READ, {
    B: {
      *post(d: FltCallbackData, objs: unknown, ctx: unknown, flags: number): Co<number> {
        log.add('B.post', d);
        const cell = { v: -1 };
        returned = yield* sim.api.FltDoCompletionProcessingWhenSafe(d, objs, ctx, flags, function SafePost(data: FltCallbackData) {
          log.add('SafePost', data);
          return POST.FLT_POSTOP_FINISHED_PROCESSING;
        }, new Ref(cell, 'v'));
        ret = cell.v;
        return cell.v;
      },
    } as never,
  });
  sim.io({ id: 1, major: 'read', path: path('a.txt') });
  sim.run();
  assert.equal(returned, 1);
  assert.equal(ret, POST.FLT_POSTOP_MORE_PROCESSING_REQUIRED);
  assert.deepEqual(log.names(), ['A.pre', 'B.pre', 'C.pre', 'C.post', 'B.post', 'SafePost', 'A.post']);
  assert.deepEqual([log.find('SafePost')!.thread, log.find('SafePost')!.irql], ['Delayed worker 1', 0]);
  assert.deepEqual(violationIds(sim), []);
});

test('FltDoCompletionProcessingWhenSafe below DISPATCH_LEVEL calls SafePostCallback at once and returns its status', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  let ret = -1;
  three(sim, log, IRP_MJ.CREATE, {
    B: {
      *post(d: FltCallbackData, objs: unknown, ctx: unknown, flags: number): Co<number> {
        const cell = { v: -1 };
        yield* sim.api.FltDoCompletionProcessingWhenSafe(d, objs, ctx, flags, (data: FltCallbackData) => { log.add('SafePost', data); return POST.FLT_POSTOP_FINISHED_PROCESSING; }, new Ref(cell, 'v'));
        ret = cell.v;
        return cell.v;
      },
    } as never,
  });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.equal(ret, POST.FLT_POSTOP_FINISHED_PROCESSING);
  assert.equal(log.find('SafePost')!.thread, 'I/O #1 (create)');
});

test('FltDoCompletionProcessingWhenSafe for fast I/O returns FALSE with FINISHED_PROCESSING (dcpws-misuse)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  let returned = -1;
  let ret = -1;
  three(sim, log, IRP_MJ.READ, {
    B: {
      *post(d: FltCallbackData, objs: unknown, ctx: unknown, flags: number): Co<number> {
        const cell = { v: -1 };
        returned = yield* sim.api.FltDoCompletionProcessingWhenSafe(d, objs, ctx, flags, () => POST.FLT_POSTOP_FINISHED_PROCESSING, new Ref(cell, 'v'));
        ret = cell.v;
        return cell.v;
      },
    } as never,
  });
  sim.io({ id: 1, major: 'read', path: path('a.txt'), flags: { fastio: true } });
  sim.run();
  assert.deepEqual([returned, ret], [0, POST.FLT_POSTOP_FINISHED_PROCESSING]);
  assert.deepEqual(violationIds(sim), ['dcpws-misuse']);
});

test('a post-op that may run at DISPATCH_LEVEL calling an APC_LEVEL routine is reported, even when it happens to run lower (postop-irql-unsafe-call)', () => {
  for (const major of ['read', 'query-info'] as const) {
    const sim = newSim();
    const log = new CallLog(sim);
    three(sim, log, major === 'read' ? IRP_MJ.READ : IRP_MJ.QUERY_INFORMATION, {
      B: { post: (d, objs) => { const c = { v: null }; sim.api.FltGetStreamContext(objs.Instance, d.fileObject, new Ref(c, 'v')); return POST.FLT_POSTOP_FINISHED_PROCESSING; } },
    });
    sim.io({ id: 1, major, path: path('a.txt') });
    sim.run();
    assert.deepEqual(violationIds(sim), ['postop-irql-unsafe-call'], major);
  }
});

test('a post-op that checks KeGetCurrentIrql first is judged by the IRQL it really runs at', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.QUERY_INFORMATION, {
    B: {
      post: (d, objs) => {
        if (sim.api.KeGetCurrentIrql() <= 1) sim.api.FltGetStreamContext(objs.Instance, d.fileObject, new Ref({ v: null }, 'v'));
        return POST.FLT_POSTOP_FINISHED_PROCESSING;
      },
    },
  });
  sim.io({ id: 1, major: 'query-info', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), []);
});

test('post-create and post-ops after SYNCHRONIZE are safe places for APC_LEVEL routines', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const post: Post = (d, objs) => { sim.api.FltGetStreamContext(objs.Instance, d.fileObject, new Ref({ v: null }, 'v')); return POST.FLT_POSTOP_FINISHED_PROCESSING; };
  three(sim, log, IRP_MJ.CREATE, { B: { post } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), []);
});

test('asking for a post-op that is not registered is reported (preop-callback-without-postop)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, { B: { pre: () => PRE.FLT_PREOP_SUCCESS_WITH_CALLBACK, post: null } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['preop-callback-without-postop']);
  assert.match(sim.violations[0]!.message, /0x66/);
});

test('a pre-op returning something that is not a status is reported (preop-bad-status), a post-op too (postop-bad-status)', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  three(sim, log, IRP_MJ.CREATE, { B: { pre: () => 42, post: () => 'done' } as never });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['preop-bad-status']);
  const sim2 = newSim();
  three(sim2, new CallLog(sim2), IRP_MJ.CREATE, { B: { post: () => 9 } });
  sim2.io({ id: 1, major: 'create', path: path('a.txt') });
  sim2.run();
  assert.deepEqual(violationIds(sim2), ['postop-bad-status']);
});

test('setting a completion context with a status that ignores it is reported (preop-ctx-nonnull)', () => {
  const sim = newSim();
  three(sim, new CallLog(sim), IRP_MJ.CREATE, { B: { pre: (_d, _o, ctx) => { ctx.set({}); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['preop-ctx-nonnull']);
});

test('changing IoStatus while passing the operation on is reported (iostatus-when-passing)', () => {
  const sim = newSim();
  three(sim, new CallLog(sim), IRP_MJ.CREATE, { B: { pre: (d) => { d.IoStatus.Status = STATUS.STATUS_ACCESS_DENIED; return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['iostatus-when-passing']);
  assert.equal(sim.violations[0]!.severity, 'warning');
});

test('Data->Thread and Data->RequestorMode are read-only (readonly-fields)', () => {
  const sim = newSim();
  three(sim, new CallLog(sim), IRP_MJ.CREATE, { B: { pre: (d) => { d.RequestorMode = 0; return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['readonly-fields']);
});

test('a callback that returns holding a spin lock or at a raised IRQL is reported (lock-held-on-return, irql-not-restored)', () => {
  const sim = newSim();
  const lock = { Lock: 0 };
  three(sim, new CallLog(sim), IRP_MJ.CREATE, {
    B: { *pre(): Co<number> { yield* sim.api.KeAcquireSpinLock(new Ref(lock, 'Lock'), null); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } as never,
  });
  sim.io({ id: 1, major: 'create', path: path('a.txt') });
  sim.run();
  assert.deepEqual(violationIds(sim), ['lock-held-on-return', 'irql-not-restored', 'lock-held-at-end']);
  assert.match(sim.violations[0]!.message, /spin lock &Lock/);
});

test('the callback data carries the request: thread, mode, flags, Iopb parameters, and Read/Write are one union member', () => {
  const sim = newSim();
  let data: FltCallbackData | undefined;
  three(sim, new CallLog(sim), IRP_MJ.WRITE, { A: { pre: (d) => { data = d; return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } } });
  sim.io({ id: 1, major: 'write', path: path('dir\\a.txt'), length: 300, offset: 8192 });
  sim.run();
  const d = data!;
  assert.equal((d.Thread as KThread).name, 'I/O #1 (write)');
  assert.equal(d.RequestorMode, flt.UserMode);
  assert.equal(d.Flags & flt.FLTFL_CALLBACK_DATA.IRP_OPERATION, flt.FLTFL_CALLBACK_DATA.IRP_OPERATION);
  assert.equal(d.Iopb.MajorFunction, IRP_MJ.WRITE);
  const p = d.Iopb.Parameters as Record<string, { Length: number; ByteOffset: { QuadPart: number } }>;
  assert.equal(p.Write!.Length, 300);
  assert.equal(p.Write!.ByteOffset.QuadPart, 8192);
  assert.equal(p.Read, p.Write, 'one object, as the C union');
  assert.equal(d.Iopb.TargetFileObject!.FileName.Length, '\\dir\\a.txt'.length * 2);
  assert.deepEqual(sim.result(1), { io: 1, data: 1, status: STATUS.STATUS_SUCCESS, information: 300, state: 'done' });
});

test('FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO keeps a filter out of paging I/O', () => {
  const sim = newSim();
  const log = new CallLog(sim);
  const f = defineFilter(sim, {
    operations: [{ major: IRP_MJ.READ, flags: flt.FLTFL_OPERATION_REGISTRATION.SKIP_PAGING_IO, pre: (d: FltCallbackData) => { log.add('pre', d); return PRE.FLT_PREOP_SUCCESS_NO_CALLBACK; } }],
  });
  sim.loadDriver('skip', f.driverEntry);
  sim.io({ id: 1, major: 'read', path: path('a'), flags: { paging: true } });
  sim.io({ id: 2, major: 'read', path: path('a') });
  sim.run();
  assert.deepEqual(log.calls.map((c) => c.data), [2]);
});

test('the file system model: reads stop at end of file, creates of missing files fail, fsctl is not supported, writes grow files', () => {
  const sim = newSim({ files: { [path('small.txt')]: { size: 1000 }, [path('gone.txt')]: { exists: false } } });
  sim.io({ id: 1, major: 'read', path: path('small.txt'), length: 4096, offset: 0, flags: { synchronous: true } });
  sim.io({ id: 2, major: 'read', path: path('small.txt'), length: 10, offset: 1000 });
  sim.io({ id: 3, major: 'create', path: path('gone.txt') });
  sim.io({ id: 4, major: 'fsctl', path: path('small.txt'), code: 0x90018 });
  sim.io({ id: 5, major: 'write', path: path('small.txt'), length: 50, offset: 2000, at: 1 });
  sim.io({ id: 6, major: 'read', path: path('small.txt'), length: 100, offset: 2000, at: 2 });
  sim.io({ id: 7, major: 'cleanup', path: path('small.txt'), at: 3 });
  sim.run();
  const st = (id: number) => [sim.result(id)!.status, sim.result(id)!.information];
  assert.deepEqual(st(1), [STATUS.STATUS_SUCCESS, 1000]);
  assert.deepEqual(st(2), [STATUS.STATUS_END_OF_FILE, 0]);
  assert.deepEqual(st(3), [STATUS.STATUS_OBJECT_NAME_NOT_FOUND, 0]);
  assert.deepEqual(st(4), [STATUS.STATUS_INVALID_DEVICE_REQUEST, 0]);
  assert.deepEqual(st(5), [STATUS.STATUS_SUCCESS, 50]);
  assert.deepEqual(st(6), [STATUS.STATUS_SUCCESS, 50]);
  assert.deepEqual(st(7), [STATUS.STATUS_SUCCESS, 0]);
});
