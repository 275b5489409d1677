/**
 * KeWaitForMultipleObjects: one wait on up to 64 dispatcher objects (events, semaphores, mutexes,
 * timers, threads). WaitAny ends when one of them can be satisfied and returns STATUS_WAIT_0 + its
 * index (the lowest index when several are signalled); WaitAll ends only when every object can be
 * satisfied at the same moment, and then satisfies them all together (STATUS_SUCCESS). A timeout
 * gives STATUS_TIMEOUT; a zero timeout only tests. More than THREAD_WAIT_OBJECTS (3) objects need a
 * caller-supplied WaitBlockArray, as on Windows.
 */
import { VOID_PTR } from '../c/types';
import { loadAt } from '../memory/typed';
import { Cell } from '../memory/view';
import { Ptr } from '../memory/pointer';
import { Trap, type Co } from './coroutine';
import type { CompoundWaiter, DispatcherObject, DispatcherRoutines } from './dispatcher';
import { Irql, irqlName } from './irql';
import type { Kernel } from './kernel';
import { STATUS } from './status';
import { KThread } from './thread';
import { deadlineFor, timeoutUnits, type TimeoutArg } from './time';

const WAIT_ALL = 0;
const WAIT_ANY = 1;
/** Objects a thread's built-in wait blocks cover; more need WaitBlockArray. */
const THREAD_WAIT_OBJECTS = 3;
const MAXIMUM_WAIT_OBJECTS = 64;

type Waitable = DispatcherObject | KThread;

class MultiWait implements CompoundWaiter {
  status: number | undefined = undefined;

  constructor(
    private readonly dispatcher: DispatcherRoutines,
    private readonly k: Kernel,
    readonly thread: KThread,
    readonly objects: readonly Waitable[],
    readonly all: boolean,
  ) {}

  /** Ends the wait if it can be satisfied now (consuming what it takes); true when it ended. */
  offer(): boolean {
    const status = this.trySatisfy();
    if (status === undefined) return false;
    this.leave();
    this.status = status;
    this.k.wake(this.thread, status);
    return true;
  }

  trySatisfy(): number | undefined {
    const t = this.thread;
    const ready = (o: Waitable): boolean => (o instanceof KThread ? o.state === 'terminated' : this.dispatcher.canSatisfy(o, t));
    if (!this.all) {
      const i = this.objects.findIndex(ready);
      if (i < 0) return undefined;
      const o = this.objects[i]!;
      if (!(o instanceof KThread)) this.dispatcher.consume(o, t);
      return STATUS.STATUS_WAIT_0 + i;
    }
    if (!this.objects.every(ready)) return undefined;
    for (const o of this.objects) if (!(o instanceof KThread)) this.dispatcher.consume(o, t);
    return STATUS.STATUS_SUCCESS;
  }

  enter(): void {
    for (const o of new Set(this.objects)) (o instanceof KThread ? this.dispatcher.threadWaitList(o) : o.waiters).push(this);
  }

  leave(): void {
    for (const o of new Set(this.objects)) {
      const list = o instanceof KThread ? this.dispatcher.threadWaitList(o) : o.waiters;
      const i = list.indexOf(this);
      if (i >= 0) list.splice(i, 1);
    }
  }
}

export class MultiWaitRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly dispatcher: DispatcherRoutines,
  ) {}

  *KeWaitForMultipleObjects(Count: number, Object_: unknown, WaitType: number, _WaitReason: number, _WaitMode: number, _Alertable: unknown, Timeout: TimeoutArg,
    WaitBlockArray: unknown): Co<number> {
    const k = this.k;
    const t = k.current;
    const routine = 'KeWaitForMultipleObjects';
    const units = timeoutUnits(Timeout);
    if (units !== 0 && t.irql > Irql.APC_LEVEL) {
      k.violation('wait-at-dispatch', `${routine} with ${units === null ? 'no' : 'a non-zero'} timeout at ${irqlName(t.irql)}; only a zero timeout is allowed at DISPATCH_LEVEL`);
    } else k.checkIrql(routine);
    const count = Number(Count) >>> 0;
    if (count === 0 || count > MAXIMUM_WAIT_OBJECTS) {
      k.violation('invalid-parameter', `${routine} with Count ${count}: it must be 1 to ${MAXIMUM_WAIT_OBJECTS} (Windows stops with bug check 0xC, MAXIMUM_WAIT_OBJECTS_EXCEEDED)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (count > THREAD_WAIT_OBJECTS && (WaitBlockArray === null || WaitBlockArray === undefined)) {
      k.violation('invalid-parameter', `${routine} on ${count} objects without a WaitBlockArray: above ${THREAD_WAIT_OBJECTS} objects the caller must supply Count KWAIT_BLOCKs (Windows stops with bug check 0xC)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const waitType = Number(WaitType);
    if (waitType !== WAIT_ALL && waitType !== WAIT_ANY) {
      k.violation('invalid-parameter', `${routine} with WaitType ${waitType}: it must be WaitAll (0) or WaitAny (1)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const objects: Waitable[] = [];
    for (let i = 0; i < count; i++) {
      const v = this.element(Object_, i);
      if (v instanceof KThread) {
        objects.push(v);
        continue;
      }
      const st = this.dispatcher.object(v, 'event', routine);
      if (st === null) return STATUS.STATUS_INVALID_PARAMETER;
      objects.push(st);
    }
    const wait = new MultiWait(this.dispatcher, k, t, objects, waitType === WAIT_ALL);
    const now = wait.trySatisfy();
    if (now !== undefined) return now;
    if (units === 0) return STATUS.STATUS_TIMEOUT;
    wait.enter();
    const what = `${waitType === WAIT_ALL ? 'all' : 'any'} of ${objects.map((o) => (o instanceof KThread ? `thread ${o.name}` : o.describe())).join(', ')}`;
    k.beginWait(t, what, units === null ? null : deadlineFor(k.now, units), STATUS.STATUS_TIMEOUT, () => wait.leave());
    t.awaitsSignal = objects.every((o) => !(o instanceof KThread) && o.kind !== 'mutex');
    yield Trap.Block;
    return t.waitStatus;
  }

  /** Object[i]: the array arrives as C memory (a cell over its first element) or, from TypeScript, as an array. */
  private element(objects: unknown, i: number): unknown {
    if (Array.isArray(objects)) return objects[i];
    const base = objects instanceof Cell ? objects.ptr : objects instanceof Ptr ? objects : undefined;
    if (base === undefined || base.alloc === null) {
      this.k.violation('null-param', 'KeWaitForMultipleObjects needs the array of object pointers');
      return null;
    }
    return this.k.marshal.fromC(loadAt(base.alloc, base.offset + 8 * i, VOID_PTR), VOID_PTR);
  }
}
