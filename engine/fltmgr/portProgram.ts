/**
 * The user-mode program on the other side of a communication port, played by the scenario's
 * `client` lines: it connects to a named port, receives what the driver sends, answers with the
 * reply the scenario gives (a fixed one, or one chosen by the message's first ULONG or by bytes it
 * contains), sends its own messages and disconnects. After a reply it can go on (`client … then`):
 * send a message built from the one it answered, or map the data-scan section whose handle the
 * driver returned (kernel/sections.ts), look for bytes in it and send the verdict, as a scanner's
 * program does. Its threads belong to a process of their own; the notify callbacks run in them, at
 * PASSIVE_LEVEL, where Windows runs them.
 */
import { Trap, type Co } from '../kernel/coroutine';
import { nameOf } from '../kernel/driverFn';
import { Ref } from '../kernel/cvalues';
import { kernelFrame, type Kernel } from '../kernel/kernel';
import { formatStatus, ntSuccess, STATUS } from '../kernel/status';
import { PRIORITY, type KThread } from '../kernel/thread';
import { ownerOf, type Ptr } from '../memory/pointer';
import type { SectionRoutines } from '../kernel/sections';
import type { KProcess } from '../kernel/processes';
import { ClientPort, wakeSender, type ServerPort } from './portObjects';

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
  | { step: 'scan-section'; outputOffset: number; find: Uint8Array; infected: Uint8Array; clean: Uint8Array; /** Ticks the view stays mapped before the search. */ delay: number }
);

/** What the user program does, as the scenario's `client` lines say. */
export type ClientAction =
  /** `process`: the scenario process the program runs in (the default client program process when absent). */
  | { kind: 'connect'; port: string; at: number; context?: Uint8Array; process?: KProcess }
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

export class UserProgram {
  private nextClientId = 1;
  private readonly rules = new Map<string, ReplyRule[]>();
  /** Ports whose program never picks up messages (no FilterGetMessage outstanding). */
  private readonly deaf = new Set<string>();
  /** The user program's open connections, by port name (lower case). */
  private readonly clients = new Map<string, ClientPort[]>();
  readonly log: ClientRecord[] = [];
  /** What the program does after replying, by port name (lower case). */
  private readonly followUps = new Map<string, ClientStep[]>();
  /** The process each port's connection was made from, by lowercase port name. */
  private readonly portProcess = new Map<string, KProcess>();

  constructor(
    private readonly k: Kernel,
    private readonly sections: SectionRoutines,
    /** The driver's server ports, which the program connects to by name. */
    private readonly servers: readonly ServerPort[],
  ) {}

  /** A step the program takes after each reply on `port` (to messages the step's kind/contains match). */
  addFollowUp(port: string, step: ClientStep): void {
    const key = port.toLowerCase();
    this.followUps.set(key, [...(this.followUps.get(key) ?? []), step]);
  }

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
    const key = action.port.toLowerCase();
    // The process that connected to a port is the one that sends on it and disconnects.
    if (action.kind === 'connect') this.portProcess.set(key, action.process ?? this.k.processes.program);
    const process = this.portProcess.get(key) ?? this.k.processes.program;
    return this.k.spawn(`client ${action.port} (${action.kind})`, 'io', PRIORITY.normal, (t) => {
      t.process = process;
      return this.clientBody(t, action);
    });
  }

  record(r: Omit<ClientRecord, 'time'>): void {
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
  spawnFollowUp(port: string, message: Uint8Array): void {
    const steps = (this.followUps.get(port.toLowerCase()) ?? []).filter((s) => matches(s, message));
    if (steps.length === 0) return;
    this.k.spawn(`client ${port} (after its reply)`, 'io', PRIORITY.normal, (t) => {
      t.process = this.portProcess.get(port.toLowerCase()) ?? this.k.processes.program;
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
        verdict = yield* this.scanSection(t, port, output, step);
        if (verdict === null) return;
      }
    }
  }

  /**
   * MapViewOfFile on the handle the last send returned, a search of the bytes (after `delay` ticks
   * of scanning: the view shows what the file holds then), UnmapViewOfFile and CloseHandle.
   */
  private *scanSection(t: KThread, port: string, output: Ptr | null, step: Extract<ClientStep, { step: 'scan-section' }>): Co<Uint8Array | null> {
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
    if (step.delay > 0) {
      k.emit('port', 0, `the user program mapped ${view.label} and scans it for ${step.delay} tick(s)`);
      k.beginWait(t, `the user program scanning ${view.label}`, k.now + step.delay, STATUS.STATUS_SUCCESS);
      yield Trap.Block;
    }
    const found = includes(view.read(), step.find);
    view.unmap();
    const verdict = found ? step.infected : step.clean;
    k.emit('port', 0, `the user program mapped ${view.label} (${view.size} bytes), ${found ? 'found' : 'did not find'} what it looks for, unmapped the view and closed the handle`);
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
  *disconnect(t: KThread, client: ClientPort, why: string): Co<void> {
    const k = this.k;
    if (client.disconnected) return;
    client.disconnected = true;
    for (const s of client.senders) wakeSender(k, s, STATUS.STATUS_PORT_DISCONNECTED);
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


  /** The rule that answers `message` on `port`: the first that matches. */
  ruleFor(port: string, message: Uint8Array): ReplyRule | undefined {
    return this.rules.get(port.toLowerCase())?.find((r) => matches(r, message));
  }

  /** Whether the program on `port` never picks up messages. */
  isDeaf(port: string): boolean {
    return this.deaf.has(port.toLowerCase());
  }

  /** Every connection the program made, open or not. */
  allClients(): ClientPort[] {
    return [...this.clients.values()].flat();
  }
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
