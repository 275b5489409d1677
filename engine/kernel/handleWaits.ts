/**
 * Waits and events by handle: ZwCreateEvent makes an event object behind a handle (ZwSetEvent,
 * ZwClearEvent and ZwResetEvent change it; ObReferenceObjectByHandle gives the object, which the
 * Ke* event routines accept too), and ZwWaitForSingleObject / ZwWaitForMultipleObjects wait on what
 * a handle names: an event, a thread (signalled when it ends; PsCreateSystemThread's handle) or a
 * process (signalled when it exits; ZwOpenProcess's handle). The waits are the dispatcher's
 * (dispatcher.ts, multiWait.ts), so a timeout, a zero timeout that only tests, and the IRQL rules
 * are theirs; a handle to anything else is STATUS_OBJECT_TYPE_MISMATCH, a closed or bogus one
 * STATUS_INVALID_HANDLE.
 */
import type { Co } from './coroutine';
import { DispatcherObject, NotificationEvent, SynchronizationEvent, type DispatcherRoutines } from './dispatcher';
import type { Kernel } from './kernel';
import type { MultiWaitRoutines } from './multiWait';
import { KHandle, readOut, writeOut } from './objects';
import { OBJ_KERNEL_HANDLE } from './objectManager';
import { isKProcess, type KProcess } from './processes';
import { STATUS } from './status';
import { KThread } from './thread';
import type { TimeoutArg } from './time';
import { unicodeStringText, type UnicodeString } from './cvalues';
import { loadAt } from '../memory/typed';
import { VOID_PTR } from '../c/types';
import { Cell } from '../memory/view';
import { Ptr } from '../memory/pointer';

/** The object behind an event handle: what ObReferenceObjectByHandle hands the driver (a PKEVENT). */
export class EventObject {
  constructor(readonly label: string) {}
}

const MAXIMUM_WAIT_OBJECTS = 64;
const WAIT_ALL = 0;
const WAIT_ANY = 1;

export class HandleWaitRoutines {
  private events = 0;
  /** Each process waited on, with the notification event its exit signals. */
  private readonly processEvents = new Map<KProcess, EventObject>();

  constructor(
    private readonly k: Kernel,
    private readonly dispatcher: DispatcherRoutines,
    private readonly multi: MultiWaitRoutines,
  ) {}

  ZwCreateEvent(EventHandle: unknown, _DesiredAccess: number, ObjectAttributes: unknown, EventType: number, InitialState: unknown): number {
    const k = this.k;
    k.checkIrql('ZwCreateEvent');
    if (EventHandle === null || EventHandle === undefined) {
      k.violation('null-param', 'ZwCreateEvent needs a HANDLE to return the event\'s handle in');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const type = Number(EventType);
    if (type !== NotificationEvent && type !== SynchronizationEvent) {
      k.violation('invalid-parameter', `ZwCreateEvent: EventType ${type} is neither NotificationEvent (0) nor SynchronizationEvent (1)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const oa = ObjectAttributes as { ObjectName?: unknown; Attributes?: unknown } | null;
    const name = oa?.ObjectName ? unicodeStringText(k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING')) : '';
    const label = name !== '' ? name : `event ${++this.events}`;
    const ev = new EventObject(label);
    this.dispatcher.adopt(ev, new DispatcherObject('event', label, type, InitialState ? 1 : 0));
    const process = (Number(oa?.Attributes ?? 0) & OBJ_KERNEL_HANDLE) !== 0 ? null : (k.current.process ?? null);
    const handle = new KHandle(ev, `${type === NotificationEvent ? 'notification' : 'synchronization'} event ${label}`, process);
    k.handles.record(handle, 'ZwCreateEvent', k.current);
    writeOut(EventHandle, handle);
    return STATUS.STATUS_SUCCESS;
  }

  ZwSetEvent(EventHandle: unknown, PreviousState: unknown): number {
    this.k.checkIrql('ZwSetEvent');
    const ev = this.event('ZwSetEvent', EventHandle);
    if (typeof ev === 'number') return ev;
    const prev = this.dispatcher.KeSetEvent(ev, 0, 0);
    writeOut(PreviousState, prev);
    return STATUS.STATUS_SUCCESS;
  }

  ZwClearEvent(EventHandle: unknown): number {
    this.k.checkIrql('ZwClearEvent');
    const ev = this.event('ZwClearEvent', EventHandle);
    if (typeof ev === 'number') return ev;
    this.dispatcher.KeClearEvent(ev);
    return STATUS.STATUS_SUCCESS;
  }

  ZwResetEvent(EventHandle: unknown, PreviousState: unknown): number {
    this.k.checkIrql('ZwResetEvent');
    const ev = this.event('ZwResetEvent', EventHandle);
    if (typeof ev === 'number') return ev;
    writeOut(PreviousState, this.dispatcher.KeResetEvent(ev));
    return STATUS.STATUS_SUCCESS;
  }

  *ZwWaitForSingleObject(Handle: unknown, Alertable: unknown, Timeout: TimeoutArg): Co<number> {
    this.k.checkIrql('ZwWaitForSingleObject');
    const target = this.waitable('ZwWaitForSingleObject', Handle);
    if (typeof target === 'number') return target;
    return yield* this.dispatcher.KeWaitForSingleObject(target, 0, 0, Alertable, Timeout);
  }

  *ZwWaitForMultipleObjects(Count: number, Handles: unknown, WaitType: number, Alertable: unknown, Timeout: TimeoutArg): Co<number> {
    const k = this.k;
    k.checkIrql('ZwWaitForMultipleObjects');
    const count = Number(Count) >>> 0;
    if (count === 0 || count > MAXIMUM_WAIT_OBJECTS) {
      k.violation('invalid-parameter', `ZwWaitForMultipleObjects with Count ${count}: it must be 1 to ${MAXIMUM_WAIT_OBJECTS}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const type = Number(WaitType);
    if (type !== WAIT_ALL && type !== WAIT_ANY) {
      k.violation('invalid-parameter', `ZwWaitForMultipleObjects with WaitType ${type}: it must be WaitAllObject (0) or WaitAnyObject (1)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const objects: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const target = this.waitable('ZwWaitForMultipleObjects', this.element(Handles, i));
      if (typeof target === 'number') return target;
      objects.push(target);
    }
    // The system supplies the wait blocks for a handle wait: any non-NULL WaitBlockArray will do.
    return yield* this.multi.KeWaitForMultipleObjects(count, objects, type, 0, 0, Alertable, Timeout, objects);
  }

  /** The object a wait on `h` waits for: an event object, a thread, or a process's exit event; else the status. */
  private waitable(routine: string, h: unknown): unknown {
    if (!(h instanceof KHandle) || h.closed) {
      if (h === null || h === undefined) this.k.violation('invalid-parameter', `${routine} was given a NULL handle`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    const o = h.object;
    if (o instanceof EventObject || o instanceof KThread) return o;
    if (isKProcess(o)) return this.exitEvent(o);
    this.k.violation('invalid-parameter', `${routine} was given a handle to ${h.what}, which cannot be waited on (an event, a thread or a process can)`);
    return STATUS.STATUS_OBJECT_TYPE_MISMATCH;
  }

  private event(routine: string, h: unknown): EventObject | number {
    if (!(h instanceof KHandle) || h.closed) return STATUS.STATUS_INVALID_HANDLE;
    if (h.object instanceof EventObject) return h.object;
    this.k.violation('invalid-parameter', `${routine} was given a handle to ${h.what}, not an event (ZwCreateEvent)`);
    return STATUS.STATUS_OBJECT_TYPE_MISMATCH;
  }

  /** A process's exit as a notification event: signalled already when it has exited. */
  private exitEvent(p: KProcess): EventObject {
    let ev = this.processEvents.get(p);
    if (ev === undefined) {
      ev = new EventObject(`exit of process ${p.name}`);
      this.processEvents.set(p, ev);
      this.dispatcher.adopt(ev, new DispatcherObject('event', ev.label, NotificationEvent, p.state === 'exited' ? 1 : 0));
    }
    return ev;
  }

  /** Told by the process model when `p` has exited: whoever waits on it goes on. */
  processExited(p: KProcess): void {
    const ev = this.processEvents.get(p);
    if (ev !== undefined) this.dispatcher.KeSetEvent(ev, 0, 0);
  }

  /** Handles[i], from C memory (a cell or pointer to the first HANDLE) or, from TypeScript, an array. */
  private element(handles: unknown, i: number): unknown {
    if (Array.isArray(handles)) return handles[i];
    const base = handles instanceof Cell ? handles.ptr : handles instanceof Ptr ? handles : undefined;
    if (base === undefined || base.alloc === null) return readOut(handles);
    return this.k.marshal.fromC(loadAt(base.alloc, base.offset + 8 * i, VOID_PTR), VOID_PTR);
  }
}
