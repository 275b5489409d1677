/**
 * Transactions (KTM) as minifilters see them. A scenario `io … transaction "T1"` create opens its
 * file in transaction T1: the operations on that file carry it in FltObjects->Transaction. A filter
 * enlists with FltEnlistInTransaction and a transaction context; when the scenario's
 * `transaction "T1" commit at T` (or `rollback`) comes, the Filter Manager calls each enlisted
 * instance's TransactionNotificationCallback, in a system thread at PASSIVE_LEVEL, for the
 * notifications it asked for (pre-prepare, prepare, commit; or rollback), then deletes the
 * transaction's contexts. A callback that returns STATUS_PENDING finishes later with
 * FltCommitComplete or FltRollbackComplete.
 */
import { Trap, type Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { kernelFrame, type Kernel } from '../kernel/kernel';
import { KHandle, writeOut } from '../kernel/objects';
import { formatStatus, STATUS } from '../kernel/status';
import { Ptr, resolve } from '../memory/pointer';
import { PRIORITY, type KThread } from '../kernel/thread';
import { FLT_CONTEXT } from './constants';
import type { ContextRoutines } from './contexts';
import { Instance } from './objects';
import { viewAt } from '../memory/view';
import { sizeOf } from '../c/types';

/** TxFsContext of a block that sees the transaction's own changes. */
const TXF_MINIVERSION_DEFAULT_VIEW = 0xfffe;

export const TRANSACTION_NOTIFY = {
  PREPREPARE: 0x1,
  PREPARE: 0x2,
  COMMIT: 0x4,
  ROLLBACK: 0x8,
  COMMIT_FINALIZE: 0x40000000,
} as const;

/** The notifications a minifilter may enlist for (FLT_MAX_TRANSACTION_NOTIFICATIONS). */
const ENLISTABLE = TRANSACTION_NOTIFY.PREPREPARE | TRANSACTION_NOTIFY.PREPARE | TRANSACTION_NOTIFY.COMMIT | TRANSACTION_NOTIFY.ROLLBACK | TRANSACTION_NOTIFY.COMMIT_FINALIZE;

const STATUS_TRANSACTION_NOT_ACTIVE = 0xc0190003;

export type TransactionState = 'active' | 'committing' | 'committed' | 'rolling-back' | 'rolled-back';

interface Enlistment {
  instance: Instance;
  context: unknown;
  mask: number;
  /** A notification the callback pended, waiting for FltCommitComplete / FltRollbackComplete. */
  pending: { notification: number; waiter: KThread } | null;
  /** The notification whose callback is running (its Flt*Complete may come before it returns). */
  inProgress: number | null;
  completedEarly: boolean;
}

const TRANSACTION_BASIC_INFORMATION = 0;
/** sizeof(TRANSACTION_BASIC_INFORMATION): a GUID, State and Outcome. */
const BASIC_INFORMATION_SIZE = 24;
const TRANSACTION_STATE_NORMAL = 1;
const TRANSACTION_STATE_COMMITTED_NOTIFY = 3;
const TRANSACTION_OUTCOME_UNDETERMINED = 1;
const TRANSACTION_OUTCOME_COMMITTED = 2;
const TRANSACTION_OUTCOME_ABORTED = 3;

/** A KTRANSACTION: opaque to C. */
export class Transaction {
  state: TransactionState = 'active';
  readonly enlistments: Enlistment[] = [];
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  get label(): string {
    return `transaction ${this.name}`;
  }
}

export class TransactionRoutines {
  private readonly byName = new Map<string, Transaction>();

  constructor(
    private readonly k: Kernel,
    private readonly contexts: ContextRoutines,
  ) {}

  /**
   * The transaction a file was opened in, as a TXN_PARAMETER_BLOCK whose TransactionObject is that
   * transaction; NULL for a file opened outside any transaction.
   */
  IoGetTransactionParameterBlock(FileObject: unknown): unknown {
    this.k.checkIrql('IoGetTransactionParameterBlock');
    const tx = (FileObject as { transaction?: object | null } | null)?.transaction ?? null;
    if (tx === null) return null;
    let block = this.parameterBlocks.get(tx);
    if (block === undefined) {
      const fields = { Length: 16, TxFsContext: TXF_MINIVERSION_DEFAULT_VIEW, TransactionObject: tx };
      const m = this.k.marshal;
      if (m.layouts === undefined) block = fields;
      else {
        // C reads the block: it lives in engine memory laid out as the headers declare it.
        const st = m.struct('_TXN_PARAMETER_BLOCK');
        const v = viewAt(m.space.allocate('engine', sizeOf(st), { label: `TXN_PARAMETER_BLOCK of ${tx.toString()}`, zeroed: true, type: st }), 0, st);
        m.writeFields(v, fields, true);
        block = v;
      }
      this.parameterBlocks.set(tx, block);
    }
    return block;
  }

  private readonly parameterBlocks = new WeakMap<object, object>();

  /** The scenario's transaction of this name, made on first mention. */
  transaction(name: string): Transaction {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = new Transaction(this.byName.size + 1, name);
      this.byName.set(name, t);
    }
    return t;
  }

  FltEnlistInTransaction(Instance_: unknown, Transaction_: unknown, TransactionContext: unknown, NotificationMask: number): number {
    const k = this.k;
    k.checkIrql('FltEnlistInTransaction');
    if (!(Instance_ instanceof Instance) || !(Transaction_ instanceof Transaction)) {
      k.violation('bad-object', 'FltEnlistInTransaction needs an instance and the transaction from FltObjects->Transaction');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const mask = Number(NotificationMask) >>> 0;
    if (mask === 0 || (mask & ~ENLISTABLE) !== 0) {
      k.violation('invalid-parameter', `FltEnlistInTransaction: NotificationMask 0x${mask.toString(16)} must be a non-empty set of FLT_MAX_TRANSACTION_NOTIFICATIONS`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!this.contexts.isContext(TransactionContext, FLT_CONTEXT.TRANSACTION)) {
      k.violation('invalid-parameter', 'FltEnlistInTransaction: TransactionContext must be a transaction context from FltAllocateContext');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!Instance_.filter.registration.raw.TransactionNotificationCallback) {
      k.violation('invalid-parameter', `FltEnlistInTransaction: ${Instance_.filter.name} registered no TransactionNotificationCallback to be notified with`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Instance_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    if (Transaction_.state !== 'active') return STATUS_TRANSACTION_NOT_ACTIVE;
    if (Transaction_.enlistments.some((e) => e.instance === Instance_)) return STATUS.STATUS_FLT_ALREADY_ENLISTED;
    Transaction_.enlistments.push({ instance: Instance_, context: TransactionContext, mask, pending: null, inProgress: null, completedEarly: false });
    k.emit('transaction', 0, `${Instance_.name} enlisted in ${Transaction_.label} for 0x${mask.toString(16)}`);
    return STATUS.STATUS_SUCCESS;
  }

  FltCommitComplete(Instance_: unknown, Transaction_: unknown, TransactionContext: unknown): number {
    return this.complete('FltCommitComplete', TRANSACTION_NOTIFY.COMMIT, Instance_, Transaction_, TransactionContext);
  }

  /**
   * TransactionBasicInformation of a transaction a handle names (ObOpenObjectByPointer on
   * FltObjects->Transaction): TRANSACTION_BASIC_INFORMATION's id, state and outcome — undetermined
   * until the scenario's `transaction` line commits or rolls it back. Other classes are not modelled.
   */
  ZwQueryInformationTransaction(TransactionHandle: unknown, TransactionInformationClass: number, TransactionInformation: unknown, TransactionInformationLength: number, ReturnLength: unknown): number {
    const k = this.k;
    k.checkIrql('ZwQueryInformationTransaction');
    if (!(TransactionHandle instanceof KHandle) || TransactionHandle.closed || !(TransactionHandle.object instanceof Transaction)) return STATUS.STATUS_INVALID_HANDLE;
    if (Number(TransactionInformationClass) !== TRANSACTION_BASIC_INFORMATION) {
      k.violation('invalid-parameter', `ZwQueryInformationTransaction: information class ${TransactionInformationClass} is not modelled (only TransactionBasicInformation)`);
      return STATUS.STATUS_INVALID_INFO_CLASS;
    }
    writeOut(ReturnLength, BASIC_INFORMATION_SIZE);
    if ((Number(TransactionInformationLength) >>> 0) < BASIC_INFORMATION_SIZE) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
    const tx = TransactionHandle.object;
    const out = resolve(TransactionInformation instanceof Ptr ? TransactionInformation : null, BASIC_INFORMATION_SIZE, 'writes');
    const bytes = new Uint8Array(BASIC_INFORMATION_SIZE);
    const dv = new DataView(bytes.buffer);
    // A GUID per transaction, stable across runs: its number in the first field.
    dv.setUint32(0, 0x7a000000 + tx.id, true);
    dv.setUint32(16, tx.state === 'committed' ? TRANSACTION_STATE_COMMITTED_NOTIFY : TRANSACTION_STATE_NORMAL, true);
    dv.setUint32(20, tx.state === 'committed' ? TRANSACTION_OUTCOME_COMMITTED : tx.state === 'rolled-back' ? TRANSACTION_OUTCOME_ABORTED : TRANSACTION_OUTCOME_UNDETERMINED, true);
    out.alloc.writeBytes(out.offset, bytes);
    return STATUS.STATUS_SUCCESS;
  }

  FltRollbackComplete(Instance_: unknown, Transaction_: unknown, TransactionContext: unknown): number {
    return this.complete('FltRollbackComplete', TRANSACTION_NOTIFY.ROLLBACK, Instance_, Transaction_, TransactionContext);
  }

  FltPrepareComplete(Instance_: unknown, Transaction_: unknown, TransactionContext: unknown): number {
    return this.complete('FltPrepareComplete', TRANSACTION_NOTIFY.PREPARE, Instance_, Transaction_, TransactionContext);
  }

  private complete(routine: string, notification: number, inst: unknown, tx: unknown, _context: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const e = tx instanceof Transaction ? tx.enlistments.find((x) => x.instance === inst) : undefined;
    if (e !== undefined && e.pending === null && e.inProgress !== null && expectedCompletion(e.inProgress) === notification && !e.completedEarly) {
      // Completed (from another thread) before the notification callback returned STATUS_PENDING.
      e.completedEarly = true;
      return STATUS.STATUS_SUCCESS;
    }
    if (e === undefined || e.pending === null || e.pending.notification !== notification) {
      k.violation('invalid-parameter', `${routine} without a pended ${notificationName(notification)} notification of this instance to complete`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const waiter = e.pending.waiter;
    e.pending = null;
    if (waiter.state === 'waiting') k.wake(waiter, STATUS.STATUS_SUCCESS);
    return STATUS.STATUS_SUCCESS;
  }

  /** The scenario's `transaction "T" commit|rollback at T`: the KTM outcome, in a thread of its own. */
  spawnOutcome(name: string, outcome: 'commit' | 'rollback'): KThread {
    return this.k.spawn(`KTM ${outcome} ${name}`, 'system', PRIORITY.normal, (t) => this.outcome(t, this.transaction(name), outcome));
  }

  private *outcome(t: KThread, tx: Transaction, outcome: 'commit' | 'rollback'): Co<void> {
    const k = this.k;
    t.frames.push(kernelFrame(outcome === 'commit' ? 'TmCommitTransaction' : 'TmRollbackTransaction', 'nt'));
    if (tx.state !== 'active') {
      k.emit('transaction', 0, `${tx.label} is already ${tx.state}; the ${outcome} does nothing`);
      return;
    }
    tx.state = outcome === 'commit' ? 'committing' : 'rolling-back';
    const steps = outcome === 'commit' ? [TRANSACTION_NOTIFY.PREPREPARE, TRANSACTION_NOTIFY.PREPARE, TRANSACTION_NOTIFY.COMMIT, TRANSACTION_NOTIFY.COMMIT_FINALIZE] : [TRANSACTION_NOTIFY.ROLLBACK];
    for (const n of steps) {
      for (const e of [...tx.enlistments]) {
        if ((e.mask & n) === 0 || e.instance.state !== 'attached') continue;
        yield* this.notify(t, tx, e, n);
      }
    }
    tx.state = outcome === 'commit' ? 'committed' : 'rolled-back';
    k.emit('transaction', 0, `${tx.label} ${tx.state}`);
    yield* this.contexts.deleteTransactionContexts(t, tx);
  }

  private *notify(t: KThread, tx: Transaction, e: Enlistment, notification: number): Co<void> {
    const k = this.k;
    const cb = e.instance.filter.registration.raw.TransactionNotificationCallback as DriverFn;
    const related = e.instance.relatedObjects(null).withTransaction(tx);
    e.inProgress = notification;
    e.completedEarly = false;
    let r: unknown;
    try {
      r = yield* k.callDriver(t, cb, nameOf(cb, 'TransactionNotification'), [related, e.context, notification]);
    } finally {
      e.inProgress = null;
    }
    const status = typeof r === 'number' ? r >>> 0 : STATUS.STATUS_SUCCESS;
    if (status !== STATUS.STATUS_PENDING) {
      if (e.completedEarly) k.violation('invalid-parameter', `${nameOf(cb, 'TransactionNotification')} completed its ${notificationName(notification)} notification with a Flt*Complete call and also returned ${formatStatus(status)}; only a pended notification is completed that way`);
      return;
    }
    if (e.completedEarly) return;
    // Pended: the KTM waits for the matching Flt*Complete (FltPrepareComplete for pre-prepare too).
    e.pending = { notification: expectedCompletion(notification), waiter: t };
    k.beginWait(t, `${nameOf(cb, 'TransactionNotification')} to finish its ${notificationName(notification)} notification of ${tx.label} (${formatStatus(status)})`, null);
    yield Trap.Block;
  }
}

/** The Flt*Complete notification that finishes a pended one: pre-prepare and prepare both end with FltPrepareComplete. */
function expectedCompletion(notification: number): number {
  return notification === TRANSACTION_NOTIFY.PREPREPARE ? TRANSACTION_NOTIFY.PREPARE : notification;
}

function notificationName(n: number): string {
  const entry = Object.entries(TRANSACTION_NOTIFY).find(([, v]) => v === n);
  return entry ? `TRANSACTION_NOTIFY_${entry[0]}` : `0x${n.toString(16)}`;
}
