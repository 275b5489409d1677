/**
 * The objects of a communication port: the driver's server port and each connection the user
 * program makes to it (the client port the driver's callbacks receive).
 */
import type { DriverFn } from '../kernel/driverFn';
import type { Kernel } from '../kernel/kernel';
import type { KThread } from '../kernel/thread';
import type { Filter } from './objects';

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

/** Ends the wait of a thread blocked in FltSendMessage on `port` with `status`. */
export function wakeSender(k: Kernel, t: KThread, status: number): void {
  if (t.state === 'waiting') k.wake(t, status);
}
