/**
 * Communication ports, with the scenario playing the user-mode program on the other side.
 *
 * The driver side: FltBuildDefaultSecurityDescriptor / FltFreeSecurityDescriptor (a real
 * self-relative descriptor in paged pool), FltCreateCommunicationPort, FltCloseCommunicationPort,
 * FltCloseClientPort and FltSendMessage with its timeout and reply buffer. The user side
 * (`client` statements) connects to a named port, receives what the driver sends, answers with the
 * reply the scenario gives (a fixed one, or one chosen by the message's first ULONG or by bytes it
 * contains), sends its own messages and disconnects. After a reply it can go on (`client … then`):
 * send a message built from the one it answered, or map the data-scan section whose handle the
 * driver returned (kernel/sections.ts), look for bytes in it and send the verdict, as a scanner's
 * program does. The notify callbacks run where Windows runs them: in the user program's thread, at
 * PASSIVE_LEVEL.
 *
 * Without a client the driver sees what Windows gives it: no connection, so FltSendMessage on a
 * NULL or closed client port fails with STATUS_PORT_DISCONNECTED.
 */
import { Trap, type Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { isOutParam, Ref, unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { kernelFrame, type Kernel } from '../kernel/kernel';
import { ownerOrPointer } from '../kernel/marshal';
import { writeOut } from '../kernel/objects';
import type { PoolRoutines } from '../kernel/pool';
import { formatStatus, ntSuccess, STATUS } from '../kernel/status';
import { PRIORITY, type KThread } from '../kernel/thread';
import { deadlineFor, timeoutUnits } from '../kernel/time';
import { USER_PROGRAM_PROCESS } from '../kernel/threads';
import type { Timer } from '../kernel/heap';
import { ownerOf, Ptr, resolve } from '../memory/pointer';
import type { SectionRoutines } from '../kernel/sections';
import { Filter } from './objects';

/** OBJ_KERNEL_HANDLE: a port's object attributes must carry it. */
const OBJ_KERNEL_HANDLE = 0x200;

/** How the user program answers a message that wants a reply. */
export interface ReplyRule {
  /** Bytes after the FILTER_REPLY_HEADER; `null`: the program never answers. */
  reply: Uint8Array | null;
  /** Matches messages whose first ULONG is this value. */
  kind?: number;
  /** Matches messages that contain these bytes. */
  contains?: Uint8Array;
  /** Ticks between receiving the message and answering it. */
  delay: number;
}

/** A piece of the bytes a follow-up `send` builds: fixed bytes, bytes of the message it answers, or the scan verdict. */
export type PayloadPart = { bytes: Uint8Array } | { message: { offset: number; length: number } } | { verdict: true };

/**
 * What the user program does after it has replied to a message (the scenario's `client … then`
 * lines), in order, in a thread of its own: send a message built from the one it answered, or map
 * the section whose handle the last send returned, look for bytes in it and remember the verdict.
 */
export type ClientStep = { kind?: number; contains?: Uint8Array } & (
  | { step: 'send'; parts: PayloadPart[]; output: number }
  | { step: 'scan-section'; outputOffset: number; find: Uint8Array; infected: Uint8Array; clean: Uint8Array }
);

/** What the user program does, as the scenario's `client` lines say. */
export type ClientAction =
  | { kind: 'connect'; port: string; at: number; context?: Uint8Array }
  | { kind: 'send'; port: string; at: number; data: Uint8Array; output: number }
  | { kind: 'disconnect'; port: string; at: number };

/** One thing the user program saw, in order: tests and the report read these. */
export interface ClientRecord {
  what: 'connect' | 'message' | 'reply' | 'send' | 'disconnect' | 'scan';
  port: string;
  time: number;
  status: number;
  /** The message received, the reply given, the message sent or the output returned; for a scan, the verdict. */
  bytes?: Uint8Array;
}

export class ServerPort {
  closed = false;
  readonly connections: ClientPort[] = [];
  constructor(
    readonly name: string,
    readonly filter: Filter,
    readonly cookie: unknown,
    readonly connect: DriverFn | null,
    readonly disconnect: DriverFn | null,
    readonly message: DriverFn | null,
    readonly maxConnections: number,
  ) {}

  get label(): string {
    return `server port ${this.name}`;
  }
}

export class ClientPort {
  /** The user program closed its handle (or the filter is unloading): messages fail. */
  disconnected = false;
  /** The driver closed its side with FltCloseClientPort. */
  closedByDriver = false;
  /** The ConnectionPortCookie ConnectNotify returned: the disconnect and message callbacks get it. */
  cookie: unknown = null;
  /** Threads waiting in FltSendMessage on this connection. */
  readonly senders = new Set<KThread>();
  constructor(
    readonly id: number,
    readonly server: ServerPort,
  ) {}

  get label(): string {
    return `client port #${this.id} of ${this.server.name}`;
  }
}

/** A FltSendMessage waiting for its reply. */
interface PendingReply {
  reply: Uint8Array | null;
  timer: Timer | null;
}

export class PortRoutines {
  private readonly servers: ServerPort[] = [];
  private nextClientId = 1;
  private readonly rules = new Map<string, ReplyRule[]>();
  /** Ports whose program never picks up messages (no FilterGetMessage outstanding). */
  private readonly deaf = new Set<string>();
  /** The user program's open connections, by port name (lower case). */
  private readonly clients = new Map<string, ClientPort[]>();
  private readonly waiting = new Map<KThread, PendingReply>();
  readonly log: ClientRecord[] = [];
  /** Security descriptors from FltBuildDefaultSecurityDescriptor not freed yet. */
  private readonly descriptors = new Set<object>();
  /** What the program does after replying, by port name (lower case). */
  private readonly followUps = new Map<string, ClientStep[]>();

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
    private readonly sections: SectionRoutines,
  ) {}

  /** A step the program takes after each reply on `port` (to messages the step's kind/contains match). */
  addFollowUp(port: string, step: ClientStep): void {
    const key = port.toLowerCase();
    this.followUps.set(key, [...(this.followUps.get(key) ?? []), step]);
  }

  // --- the scenario's user program ---

  /** How the program answers messages on `port`; rules are tried in order, the first match wins. */
  addReplyRule(port: string, rule: ReplyRule): void {
    const key = port.toLowerCase();
    const list = this.rules.get(key) ?? [];
    list.push(rule);
    this.rules.set(key, list);
  }

  /** The program connected to `port` never calls FilterGetMessage: sends wait for their timeout. */
  ignoreMessages(port: string): void {
    this.deaf.add(port.toLowerCase());
  }

  /** The body of a user-program thread doing `action`. */
  *clientBody(t: KThread, action: ClientAction): Co<void> {
    const depth = t.frames.length;
    try {
      switch (action.kind) {
        case 'connect':
          t.frames.push(kernelFrame('FilterConnectCommunicationPort', 'fltlib'));
          yield* this.connect(t, action.port, action.context);
          break;
        case 'send':
          t.frames.push(kernelFrame('FilterSendMessage', 'fltlib'));
          yield* this.userSend(t, action.port, action.data, action.output);
          break;
        case 'disconnect':
          t.frames.push(kernelFrame('CloseHandle', 'kernel32'));
          yield* this.userClose(t, action.port);
          break;
      }
    } finally {
      t.frames.length = depth;
    }
  }

  spawnClient(action: ClientAction): KThread {
    return this.k.spawn(`client ${action.port} (${action.kind})`, 'io', PRIORITY.normal, (t) => {
      t.process = USER_PROGRAM_PROCESS;
      return this.clientBody(t, action);
    });
  }

  private record(r: Omit<ClientRecord, 'time'>): void {
    this.log.push({ ...r, time: this.k.now });
  }

  private *connect(t: KThread, name: string, context: Uint8Array | undefined): Co<void> {
    const k = this.k;
    const server = this.servers.find((s) => !s.closed && s.name.toLowerCase() === name.toLowerCase());
    if (server === undefined) {
      k.emit('port', 0, `the user program cannot connect to ${name}: no open server port has that name (STATUS_OBJECT_NAME_NOT_FOUND)`);
      this.record({ what: 'connect', port: name, status: STATUS.STATUS_OBJECT_NAME_NOT_FOUND });
      return;
    }
    if (server.connections.length >= server.maxConnections) {
      k.emit('port', 0, `the user program cannot connect to ${name}: it already has ${server.maxConnections} connection(s), its maximum (STATUS_CONNECTION_COUNT_LIMIT)`);
      this.record({ what: 'connect', port: name, status: STATUS.STATUS_CONNECTION_COUNT_LIMIT });
      return;
    }
    const client = new ClientPort(this.nextClientId++, server);
    server.connections.push(client);
    let status: number = STATUS.STATUS_SUCCESS;
    if (server.connect !== null) {
      const ctx = context === undefined ? null : this.userBuffer(context, 'connection context');
      const cookie = { ConnectionPortCookie: null as unknown };
      const cb = server.connect;
      const r = yield* k.callDriver(t, cb, nameOf(cb, 'ConnectNotify'), [client, server.cookie, ctx, context?.length ?? 0, new Ref(cookie, 'ConnectionPortCookie')]);
      status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
      client.cookie = cookie.ConnectionPortCookie;
    }
    if (!ntSuccess(status)) {
      server.connections.splice(server.connections.indexOf(client), 1);
      k.emit('port', 0, `${nameOf(server.connect, 'ConnectNotify')} refused the connection to ${name} (${formatStatus(status)})`);
      this.record({ what: 'connect', port: name, status });
      return;
    }
    const key = name.toLowerCase();
    this.clients.set(key, [...(this.clients.get(key) ?? []), client]);
    k.emit('port', 0, `the user program connected to ${name} (${client.label})`);
    this.record({ what: 'connect', port: name, status });
  }

  /** The user program's connection to `name` that is still open, the oldest first. */
  private clientOf(name: string): ClientPort | undefined {
    return this.clients.get(name.toLowerCase())?.find((c) => !c.disconnected);
  }

  private *userSend(t: KThread, name: string, data: Uint8Array, output: number): Co<Ptr | null> {
    const k = this.k;
    const client = this.clientOf(name);
    if (client === undefined || client.closedByDriver) {
      const status = client === undefined ? STATUS.STATUS_INVALID_HANDLE : STATUS.STATUS_PORT_DISCONNECTED;
      k.emit('port', 0, `the user program cannot send on ${name}: ${client === undefined ? 'it is not connected' : 'the driver closed the connection'} (${formatStatus(status)})`);
      this.record({ what: 'send', port: name, status });
      return null;
    }
    const cb = client.server.message;
    if (cb === null) {
      k.emit('port', 0, `${client.server.label} has no MessageNotifyCallback; the user program's message is refused (STATUS_INVALID_DEVICE_REQUEST)`);
      this.record({ what: 'send', port: name, status: STATUS.STATUS_INVALID_DEVICE_REQUEST });
      return null;
    }
    const input = data.length === 0 ? null : this.userBuffer(data, 'user-mode input buffer');
    const out = output === 0 ? null : this.k.marshal.space.pointer(this.k.marshal.space.allocate('engine', output, { label: `user-mode output buffer (${output} bytes)`, zeroed: true }));
    const returned = { ReturnOutputBufferLength: 0 as unknown };
    k.emit('port', 0, `the user program sends ${data.length} byte(s) on ${name}`);
    const r = yield* k.callDriver(t, cb, nameOf(cb, 'MessageNotify'), [client.cookie, input, data.length, out, output, new Ref(returned, 'ReturnOutputBufferLength')]);
    const status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
    const n = Math.min(Number(returned.ReturnOutputBufferLength) || 0, output);
    const bytes = out !== null && n > 0 ? out.alloc.peek(0, n) : new Uint8Array(0);
    this.record({ what: 'send', port: name, status, bytes });
    k.emit('port', 0, `${nameOf(cb, 'MessageNotify')} returned ${formatStatus(status)} with ${n} output byte(s)`);
    return ntSuccess(status) ? out : null;
  }

  /** The steps after a reply on `port` to `message`, in a thread of the user program. */
  private spawnFollowUp(port: string, message: Uint8Array): void {
    const steps = (this.followUps.get(port.toLowerCase()) ?? []).filter((s) => matches(s, message));
    if (steps.length === 0) return;
    this.k.spawn(`client ${port} (after its reply)`, 'io', PRIORITY.normal, (t) => {
      t.process = USER_PROGRAM_PROCESS;
      return this.followUp(t, port, message, steps);
    });
  }

  private *followUp(t: KThread, port: string, message: Uint8Array, steps: readonly ClientStep[]): Co<void> {
    const k = this.k;
    let output: Ptr | null = null;
    let verdict: Uint8Array | null = null;
    for (const step of steps) {
      if (step.step === 'send') {
        const data = buildPayload(step.parts, message, verdict);
        if (data === null) {
          k.emit('port', 0, `the user program on ${port} has no scan verdict to send (no 'then scan-section' line before this send); it stops`);
          return;
        }
        t.frames.push(kernelFrame('FilterSendMessage', 'fltlib'));
        try {
          output = yield* this.userSend(t, port, data, step.output);
        } finally {
          t.frames.pop();
        }
        if (output === null && step.output > 0) return;
      } else {
        verdict = this.scanSection(port, output, step);
        if (verdict === null) return;
      }
    }
  }

  /** MapViewOfFile on the handle the last send returned, a search of the bytes, UnmapViewOfFile and CloseHandle. */
  private scanSection(port: string, output: Ptr | null, step: Extract<ClientStep, { step: 'scan-section' }>): Uint8Array | null {
    const k = this.k;
    const fail = (why: string): null => {
      k.emit('port', 0, `the user program on ${port} cannot scan: ${why}`);
      this.record({ what: 'scan', port, status: STATUS.STATUS_INVALID_HANDLE });
      return null;
    };
    if (output === null || output.alloc === null || step.outputOffset + 8 > output.alloc.size) return fail('the last send returned no output holding a handle');
    const handle = ownerOf(output.alloc.readPointer(output.offset + step.outputOffset));
    const view = this.sections.mapForUserProgram(handle);
    if (typeof view === 'string') return fail(view);
    const found = includes(view.bytes, step.find);
    view.unmap();
    const verdict = found ? step.infected : step.clean;
    k.emit('port', 0, `the user program mapped ${view.label} (${view.bytes.length} bytes), ${found ? 'found' : 'did not find'} what it looks for, unmapped the view and closed the handle`);
    this.record({ what: 'scan', port, status: STATUS.STATUS_SUCCESS, bytes: verdict });
    return verdict;
  }

  private *userClose(t: KThread, name: string): Co<void> {
    const client = this.clientOf(name);
    if (client === undefined) {
      this.k.emit('port', 0, `the user program has no open connection to ${name} to close`);
      this.record({ what: 'disconnect', port: name, status: STATUS.STATUS_INVALID_HANDLE });
      return;
    }
    yield* this.disconnect(t, client, 'the user program closed its handle');
    this.record({ what: 'disconnect', port: name, status: STATUS.STATUS_SUCCESS });
  }

  /** The user side of `client` goes away: waiting senders fail and DisconnectNotify runs. */
  private *disconnect(t: KThread, client: ClientPort, why: string): Co<void> {
    const k = this.k;
    if (client.disconnected) return;
    client.disconnected = true;
    for (const s of client.senders) this.finishWait(s, STATUS.STATUS_PORT_DISCONNECTED);
    k.emit('port', 0, `${client.label} disconnected: ${why}`);
    const cb = client.server.disconnect;
    if (cb !== null) yield* k.callDriver(t, cb, nameOf(cb, 'DisconnectNotify'), [client.cookie]);
    const i = client.server.connections.indexOf(client);
    if (i >= 0) client.server.connections.splice(i, 1);
  }

  /** Bytes of the user program's memory: an allocation the driver reads through its pointer. */
  private userBuffer(bytes: Uint8Array, label: string): Ptr {
    const space = this.k.marshal.space;
    return space.pointer(space.allocate('engine', bytes.length, { label: `${label} (${bytes.length} bytes)`, contents: bytes }));
  }

  // --- the driver's routines ---

  /** A self-relative descriptor whose DACL grants DesiredAccess to SYSTEM and the Administrators. */
  FltBuildDefaultSecurityDescriptor(SecurityDescriptor: unknown, DesiredAccess: number): number {
    const k = this.k;
    k.checkIrql('FltBuildDefaultSecurityDescriptor');
    writeOut(SecurityDescriptor, null);
    if (SecurityDescriptor === null || SecurityDescriptor === undefined) {
      k.violation('null-param', 'FltBuildDefaultSecurityDescriptor needs a place to return the descriptor');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (k.allocationFails('FltBuildDefaultSecurityDescriptor')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const bytes = defaultDescriptor(DesiredAccess >>> 0);
    const block = this.pool.allocate('FltBuildDefaultSecurityDescriptor', bytes.length, 'PagedPool', SD_TAG);
    block.alloc.writeBytes(0, bytes);
    this.descriptors.add(block.alloc);
    writeOut(SecurityDescriptor, block);
    return STATUS.STATUS_SUCCESS;
  }

  FltFreeSecurityDescriptor(SecurityDescriptor: unknown): void {
    const k = this.k;
    k.checkIrql('FltFreeSecurityDescriptor');
    if (!(SecurityDescriptor instanceof Ptr) || SecurityDescriptor.alloc === null || !this.descriptors.has(SecurityDescriptor.alloc)) {
      k.violation('bad-object', 'FltFreeSecurityDescriptor needs a descriptor that FltBuildDefaultSecurityDescriptor returned and that is not freed yet');
      return;
    }
    this.descriptors.delete(SecurityDescriptor.alloc);
    this.pool.free('FltFreeSecurityDescriptor', SecurityDescriptor, { tag: SD_TAG });
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
    for (const s of port.senders) this.finishWait(s, STATUS.STATUS_PORT_DISCONNECTED);
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
    const deaf = this.deaf.has(name.toLowerCase());
    k.emit('port', 0, `FltSendMessage: ${length} byte(s) to ${port.label}${wantsReply ? `, waiting for a reply of up to ${capacity} byte(s)` : ''}${units === null ? '' : ` (timeout ${units === 0 ? 'zero' : `${-units / 10000} ms`})`}`);
    if (deaf) {
      // No FilterGetMessage is outstanding, so the message is not even delivered.
      if (units === 0) return STATUS.STATUS_TIMEOUT;
      return yield* this.wait(t, port, units, null, 'the user program to pick up the message', capacity, ReplyBuffer);
    }
    this.record({ what: 'message', port: name, status: STATUS.STATUS_SUCCESS, bytes: message });
    if (!wantsReply) return STATUS.STATUS_SUCCESS;
    const rule = this.ruleFor(name, message);
    if (rule === undefined) {
      k.emit('port', 0, `the user program has no reply for this message on ${name} (no 'client … reply' line matches); FltSendMessage waits`);
    }
    return yield* this.wait(t, port, units, rule ?? null, 'the user program\'s reply', capacity, ReplyBuffer, ReplyLength, message);
  }

  private ruleFor(port: string, message: Uint8Array): ReplyRule | undefined {
    return this.rules.get(port.toLowerCase())?.find((r) => matches(r, message));
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
          this.record({ what: 'reply', port: port.server.name, status: STATUS.STATUS_BUFFER_OVERFLOW, bytes: reply });
          return;
        }
        pending.reply = reply;
        this.record({ what: 'reply', port: port.server.name, status: STATUS.STATUS_SUCCESS, bytes: reply });
        this.finishWait(t, STATUS.STATUS_SUCCESS);
        if (message !== undefined) this.spawnFollowUp(port.server.name, message);
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

  private finishWait(t: KThread, status: number): void {
    if (t.state === 'waiting') this.k.wake(t, status);
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
      for (const c of [...s.connections]) yield* this.disconnect(t, c, `${f.name} is unloading`);
    }
  }

  /** Connections the driver never closed with FltCloseClientPort, for filters that unloaded. */
  endChecks(): void {
    const k = this.k;
    for (const s of this.servers) {
      if (s.filter.state !== 'unloaded') continue;
      for (const c of this.allClients()) {
        if (c.server === s && c.disconnected && !c.closedByDriver) {
          k.violation('port-not-closed', `${c.label} was disconnected but the driver never closed it with FltCloseClientPort (in its DisconnectNotify)`, 0, k.outside);
        }
      }
    }
  }

  private allClients(): ClientPort[] {
    return [...this.clients.values()].flat();
  }

  /** The ports, for the snapshot and tests. */
  get serverPorts(): readonly ServerPort[] {
    return this.servers;
  }
}

/** `*p` for an engine out-parameter: the engine object a stored pointer stands for. */
function readOut(p: unknown): unknown {
  if (isOutParam(p)) return ownerOrPointer(p.get());
  if (typeof p === 'object' && p !== null && 'v' in p) return (p as { v: unknown }).v;
  return undefined;
}

function readDriverBytes(p: unknown, length: number): Uint8Array {
  const ptr = p instanceof Ptr ? p : ((p as { $ptr?: Ptr } | null)?.$ptr ?? null);
  const r = resolve(ptr, length, 'reads');
  return r.alloc.readBytes(r.offset, length);
}

/** Whether a message is one a rule or step applies to: by its first ULONG, by bytes it contains. */
function matches(r: { kind?: number; contains?: Uint8Array }, message: Uint8Array): boolean {
  const kind = message.length >= 4 ? new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(0, true) : undefined;
  return (r.kind === undefined || r.kind === kind) && (r.contains === undefined || includes(message, r.contains));
}

/** A follow-up message's bytes; null when it needs a verdict and there is none. */
function buildPayload(parts: readonly PayloadPart[], message: Uint8Array, verdict: Uint8Array | null): Uint8Array | null {
  const out: number[] = [];
  for (const p of parts) {
    if ('bytes' in p) out.push(...p.bytes);
    else if ('message' in p) {
      // Bytes past the end of the message read as zeros, as in the program's zeroed buffer.
      for (let i = 0; i < p.message.length; i++) out.push(message[p.message.offset + i] ?? 0);
    } else {
      if (verdict === null) return null;
      out.push(...verdict);
    }
  }
  return Uint8Array.from(out);
}

function includes(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** 'FlSd' as a little-endian ULONG: the tag fltsim gives default port descriptors. */
const SD_TAG = 0x6453_6c46;

/** SECURITY_DESCRIPTOR_RELATIVE, an ACL and two ACCESS_ALLOWED_ACEs: S-1-5-18 and S-1-5-32-544. */
function defaultDescriptor(access: number): Uint8Array {
  const system = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
  const admins = [1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0];
  const ace = (sid: number[]): number[] => {
    const size = 8 + sid.length;
    return [0 /* ACCESS_ALLOWED_ACE_TYPE */, 0, size & 0xff, size >> 8, access & 0xff, (access >>> 8) & 0xff, (access >>> 16) & 0xff, access >>> 24, ...sid];
  };
  const aces = [...ace(system), ...ace(admins)];
  const aclSize = 8 + aces.length;
  const acl = [2 /* ACL_REVISION */, 0, aclSize & 0xff, aclSize >> 8, 2, 0, 0, 0, ...aces];
  // Revision 1; Control = SE_DACL_PRESENT | SE_SELF_RELATIVE; no owner, group or SACL; DACL at 20.
  const header = [1, 0, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0];
  return Uint8Array.from([...header, ...acl]);
}
