/**
 * Communication ports, the driver's side: FltCreateCommunicationPort, FltCloseCommunicationPort,
 * FltCloseClientPort and FltSendMessage with its timeout and reply buffer. The user-mode program on
 * the other side is the scenario's (portProgram.ts); the port's security descriptor is built in
 * securityDescriptors.ts.
 *
 * Without a client the driver sees what Windows gives it: no connection, so FltSendMessage on a
 * NULL or closed client port fails with STATUS_PORT_DISCONNECTED.
 */
import { Trap, type Co } from '../kernel/coroutine';
import { type DriverFn } from '../kernel/driverFn';
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { type Kernel } from '../kernel/kernel';
import { readOut, writeOut } from '../kernel/objects';
import { STATUS } from '../kernel/status';
import { type KThread } from '../kernel/thread';
import { deadlineFor, timeoutUnits } from '../kernel/time';
import type { Timer } from '../kernel/heap';
import { Ptr, resolve } from '../memory/pointer';
import type { SectionRoutines } from '../kernel/sections';
import { Filter } from './objects';
import { ClientPort, ServerPort, wakeSender } from './portObjects';
import { UserProgram, type ReplyRule } from './portProgram';
import { OBJ_KERNEL_HANDLE } from '../kernel/objectManager';


/** A FltSendMessage waiting for its reply. */
interface PendingReply {
  reply: Uint8Array | null;
  timer: Timer | null;
}

export class PortRoutines {
  private readonly servers: ServerPort[] = [];
  private readonly waiting = new Map<KThread, PendingReply>();
  /** The scenario's user-mode program, which connects to these ports. */
  readonly program: UserProgram;

  constructor(
    private readonly k: Kernel,
    sections: SectionRoutines,
  ) {
    this.program = new UserProgram(k, sections, this.servers);
  }

  FltCreateCommunicationPort(
    Filter_: unknown,
    ServerPort_: unknown,
    ObjectAttributes: unknown,
    ServerPortCookie: unknown,
    ConnectNotifyCallback: unknown,
    DisconnectNotifyCallback: unknown,
    MessageNotifyCallback: unknown,
    MaxConnections: number,
  ): number {
    const k = this.k;
    k.checkIrql('FltCreateCommunicationPort');
    writeOut(ServerPort_, null);
    if (!(Filter_ instanceof Filter)) {
      k.violation('bad-object', 'FltCreateCommunicationPort needs the filter handle from FltRegisterFilter');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Filter_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    const oa = k.marshal.deref<{ ObjectName: unknown; Attributes: number }>(ObjectAttributes, '_OBJECT_ATTRIBUTES');
    if (oa === null) {
      k.violation('null-param', 'FltCreateCommunicationPort needs OBJECT_ATTRIBUTES naming the port (InitializeObjectAttributes)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const us = k.marshal.deref<UnicodeString>(oa.ObjectName, '_UNICODE_STRING');
    const name = unicodeStringText(us);
    if (name === '') {
      k.violation('null-param', 'FltCreateCommunicationPort: the object attributes name no port (ObjectName is NULL or empty)');
      return STATUS.STATUS_OBJECT_NAME_INVALID;
    }
    if ((Number(oa.Attributes) & OBJ_KERNEL_HANDLE) === 0) {
      k.violation('invalid-parameter', `FltCreateCommunicationPort(${name}): the object attributes lack OBJ_KERNEL_HANDLE, which the port's attributes must carry`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!(Number(MaxConnections) > 0)) {
      k.violation('invalid-parameter', `FltCreateCommunicationPort(${name}): MaxConnections is ${MaxConnections}; it must be greater than 0`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (ConnectNotifyCallback === null || ConnectNotifyCallback === undefined || DisconnectNotifyCallback === null || DisconnectNotifyCallback === undefined) {
      k.violation('null-param', `FltCreateCommunicationPort(${name}): ConnectNotifyCallback and DisconnectNotifyCallback are required`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (this.servers.some((s) => !s.closed && s.name.toLowerCase() === name.toLowerCase())) return STATUS.STATUS_OBJECT_NAME_COLLISION;
    const port = new ServerPort(
      name,
      Filter_,
      ServerPortCookie ?? null,
      ConnectNotifyCallback as DriverFn,
      DisconnectNotifyCallback as DriverFn,
      (MessageNotifyCallback ?? null) as DriverFn | null,
      Number(MaxConnections),
    );
    this.servers.push(port);
    writeOut(ServerPort_, port);
    k.emit('port', 0, `${Filter_.name} created ${port.label} (at most ${port.maxConnections} connection(s))`);
    return STATUS.STATUS_SUCCESS;
  }

  /** Closes the server port: no new connections; the open ones stay until closed. */
  FltCloseCommunicationPort(ServerPort_: unknown): void {
    const k = this.k;
    k.checkIrql('FltCloseCommunicationPort');
    if (ServerPort_ === null || ServerPort_ === undefined) return;
    if (!(ServerPort_ instanceof ServerPort)) {
      k.violation('bad-object', 'FltCloseCommunicationPort needs the server port FltCreateCommunicationPort returned');
      return;
    }
    if (ServerPort_.closed) {
      k.violation('bad-object', `FltCloseCommunicationPort: ${ServerPort_.label} is already closed`);
      return;
    }
    ServerPort_.closed = true;
    k.emit('port', 0, `${ServerPort_.label} closed`);
  }

  /** Closes the driver's side of a connection and sets the variable to NULL. */
  FltCloseClientPort(Filter_: unknown, ClientPort_: unknown): void {
    const k = this.k;
    k.checkIrql('FltCloseClientPort');
    if (!(Filter_ instanceof Filter)) k.violation('bad-object', 'FltCloseClientPort needs the filter handle');
    if (ClientPort_ === null || ClientPort_ === undefined) {
      k.violation('null-param', 'FltCloseClientPort needs the address of the variable holding the client port');
      return;
    }
    const port = readOut(ClientPort_);
    writeOut(ClientPort_, null);
    if (port === null || port === undefined) return;
    if (!(port instanceof ClientPort)) {
      k.violation('bad-object', 'FltCloseClientPort: the variable does not hold a client port from ConnectNotify');
      return;
    }
    if (port.closedByDriver) {
      k.violation('bad-object', `FltCloseClientPort: ${port.label} is already closed`);
      return;
    }
    port.closedByDriver = true;
    for (const s of port.senders) wakeSender(k, s, STATUS.STATUS_PORT_DISCONNECTED);
    k.emit('port', 0, `${port.label} closed by the driver`);
  }

  *FltSendMessage(
    Filter_: unknown,
    ClientPort_: unknown,
    SenderBuffer: unknown,
    SenderBufferLength: number,
    ReplyBuffer: unknown,
    ReplyLength: unknown,
    Timeout: unknown,
  ): Co<number> {
    const k = this.k;
    const t = k.current;
    k.checkIrql('FltSendMessage');
    if (!(Filter_ instanceof Filter)) {
      k.violation('bad-object', 'FltSendMessage needs the filter handle');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (ClientPort_ === null || ClientPort_ === undefined) {
      k.violation('null-param', 'FltSendMessage needs the address of the variable holding the client port');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const wantsReply = ReplyBuffer !== null && ReplyBuffer !== undefined;
    if (wantsReply && (ReplyLength === null || ReplyLength === undefined)) {
      k.violation('null-param', 'FltSendMessage: a reply buffer needs ReplyLength, the address of its size');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const port = readOut(ClientPort_);
    if (!(port instanceof ClientPort) || port.disconnected || port.closedByDriver) {
      if (port !== null && port !== undefined && !(port instanceof ClientPort)) k.violation('bad-object', 'FltSendMessage: the variable does not hold a client port from ConnectNotify');
      return STATUS.STATUS_PORT_DISCONNECTED;
    }
    const length = Number(SenderBufferLength) >>> 0;
    const message = length === 0 ? new Uint8Array(0) : readDriverBytes(SenderBuffer, length);
    const capacity = wantsReply ? Number(readOut(ReplyLength)) >>> 0 : 0;
    const units = timeoutUnits(Timeout);
    const name = port.server.name;
    const deaf = this.program.isDeaf(name);
    k.emit('port', 0, `FltSendMessage: ${length} byte(s) to ${port.label}${wantsReply ? `, waiting for a reply of up to ${capacity} byte(s)` : ''}${units === null ? '' : ` (timeout ${units === 0 ? 'zero' : `${-units / 10000} ms`})`}`);
    if (deaf) {
      // No FilterGetMessage is outstanding, so the message is not even delivered.
      if (units === 0) return STATUS.STATUS_TIMEOUT;
      return yield* this.wait(t, port, units, null, 'the user program to pick up the message', capacity, ReplyBuffer);
    }
    this.program.record({ what: 'message', port: name, status: STATUS.STATUS_SUCCESS, bytes: message });
    if (!wantsReply) return STATUS.STATUS_SUCCESS;
    const rule = this.program.ruleFor(name, message);
    if (rule === undefined) {
      k.emit('port', 0, `the user program has no reply for this message on ${name} (no 'client … reply' line matches); FltSendMessage waits`);
    }
    return yield* this.wait(t, port, units, rule ?? null, 'the user program\'s reply', capacity, ReplyBuffer, ReplyLength, message);
  }

  private *wait(t: KThread, port: ClientPort, units: number | null, rule: ReplyRule | null, what: string, capacity: number, replyBuffer: unknown, replyLength?: unknown, message?: Uint8Array): Co<number> {
    const k = this.k;
    const pending: PendingReply = { reply: null, timer: null };
    if (rule !== null && rule.reply !== null) {
      const reply = rule.reply;
      pending.timer = k.sched.addTimer(k.now + rule.delay, () => {
        pending.timer = null;
        if (!this.waiting.has(t)) return;
        if (reply.length > capacity) {
          // FilterReplyMessage fails for the program; the driver goes on waiting.
          k.emit('port', 0, `the user program's reply of ${reply.length} byte(s) does not fit the driver's ${capacity}-byte reply buffer: FilterReplyMessage fails and the driver keeps waiting`);
          this.program.record({ what: 'reply', port: port.server.name, status: STATUS.STATUS_BUFFER_OVERFLOW, bytes: reply });
          return;
        }
        pending.reply = reply;
        this.program.record({ what: 'reply', port: port.server.name, status: STATUS.STATUS_SUCCESS, bytes: reply });
        wakeSender(k, t, STATUS.STATUS_SUCCESS);
        if (message !== undefined) this.program.spawnFollowUp(port.server.name, message);
      });
    }
    this.waiting.set(t, pending);
    port.senders.add(t);
    k.beginWait(t, `${what} on ${port.server.name}`, units === null ? null : deadlineFor(k.now, units), STATUS.STATUS_TIMEOUT, () => this.endWait(t, port));
    yield Trap.Block;
    this.endWait(t, port);
    const status = t.waitStatus >>> 0;
    if (status === STATUS.STATUS_SUCCESS && pending.reply !== null) {
      const reply = pending.reply;
      if (reply.length > 0) {
        const dst = resolve(replyBuffer instanceof Ptr ? replyBuffer : (replyBuffer as { $ptr?: Ptr })?.$ptr ?? null, reply.length, 'writes');
        dst.alloc.writeBytes(dst.offset, reply);
      }
      writeOut(replyLength, reply.length);
    }
    return status;
  }

  private endWait(t: KThread, port: ClientPort): void {
    const p = this.waiting.get(t);
    if (p === undefined) return;
    this.waiting.delete(t);
    port.senders.delete(t);
    if (p.timer !== null) p.timer.cancelled = true;
  }

  // --- unload and end of run ---

  /**
   * FltUnregisterFilter: a server port still open is the driver's bug (it must close it first);
   * connections still open are disconnected, their DisconnectNotify called.
   */
  *unregisterPorts(t: KThread, f: Filter): Co<void> {
    const k = this.k;
    for (const s of this.servers) {
      if (s.filter !== f) continue;
      if (!s.closed) {
        k.violation('unload-port-order', `FltUnregisterFilter(${f.name}) is called while ${s.label} is still open; close it with FltCloseCommunicationPort first`);
        s.closed = true;
      }
      for (const c of [...s.connections]) yield* this.program.disconnect(t, c, `${f.name} is unloading`);
    }
  }

  /** Connections the driver never closed with FltCloseClientPort, for filters that unloaded. */
  endChecks(): void {
    const k = this.k;
    for (const s of this.servers) {
      if (s.filter.state !== 'unloaded') continue;
      for (const c of this.program.allClients()) {
        if (c.server === s && c.disconnected && !c.closedByDriver) {
          k.violation('port-not-closed', `${c.label} was disconnected but the driver never closed it with FltCloseClientPort (in its DisconnectNotify)`, 0, k.outside);
        }
      }
    }
  }

  /** The ports, for the snapshot and tests. */
  get serverPorts(): readonly ServerPort[] {
    return this.servers;
  }
}


function readDriverBytes(p: unknown, length: number): Uint8Array {
  const ptr = p instanceof Ptr ? p : ((p as { $ptr?: Ptr } | null)?.$ptr ?? null);
  const r = resolve(ptr, length, 'reads');
  return r.alloc.readBytes(r.offset, length);
}

