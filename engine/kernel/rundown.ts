/**
 * Run-down protection (EX_RUNDOWN_REF): a count of references to a shared object that stops
 * handing out new ones once its owner starts to tear it down. The count lives in the driver's own
 * EX_RUNDOWN_REF (Count: twice the references, plus 1 once rundown has begun), so a structure the
 * driver zeroed itself is a valid, initialised one, and C that reads the field sees what Windows
 * would. ExWaitForRundownProtectionRelease blocks the calling thread until the last reference is
 * released; after it, acquisitions fail until ExReInitializeRundownProtection.
 */
import { Trap, type Co } from './coroutine';
import type { Kernel } from './kernel';
import { ObjectStates } from './objects';
import type { KThread } from './thread';
import { isView } from '../memory/view';
import type { Allocation } from '../memory/allocation';
import { Ptr } from '../memory/pointer';

const ACTIVE = 1;
const ONE_REFERENCE = 2;

interface Place {
  alloc: Allocation;
  offset: number;
}

export class RundownRoutines {
  /** Threads waiting for a rundown's last reference, by EX_RUNDOWN_REF. */
  private readonly waiters = new ObjectStates<KThread[]>();

  constructor(private readonly k: Kernel) {}

  ExInitializeRundownProtection(RunRef: unknown): void {
    this.k.checkIrql('ExInitializeRundownProtection');
    const at = this.place('ExInitializeRundownProtection', RunRef);
    if (at !== null) write(at, 0);
  }

  ExReInitializeRundownProtection(RunRef: unknown): void {
    this.k.checkIrql('ExReInitializeRundownProtection');
    const at = this.place('ExReInitializeRundownProtection', RunRef);
    if (at === null) return;
    if (read(at) >= ONE_REFERENCE) this.k.violation('invalid-parameter', `ExReInitializeRundownProtection while ${references(read(at))} still hold run-down protection: only a completed rundown may be started again`);
    write(at, 0);
  }

  ExAcquireRundownProtection(RunRef: unknown): number {
    return this.acquire('ExAcquireRundownProtection', RunRef, 1);
  }

  ExAcquireRundownProtectionEx(RunRef: unknown, Count: number): number {
    return this.acquire('ExAcquireRundownProtectionEx', RunRef, Number(Count) >>> 0);
  }

  ExReleaseRundownProtection(RunRef: unknown): void {
    this.release('ExReleaseRundownProtection', RunRef, 1);
  }

  ExReleaseRundownProtectionEx(RunRef: unknown, Count: number): void {
    this.release('ExReleaseRundownProtectionEx', RunRef, Number(Count) >>> 0);
  }

  /** Begins the rundown (later acquisitions fail) and waits until every reference is released. */
  *ExWaitForRundownProtectionRelease(RunRef: unknown): Co<void> {
    const k = this.k;
    k.checkIrql('ExWaitForRundownProtectionRelease');
    const at = this.place('ExWaitForRundownProtectionRelease', RunRef);
    if (at === null) return;
    const count = read(at);
    write(at, count | ACTIVE);
    if (count < ONE_REFERENCE) return;
    const t = k.current;
    let list = this.waiters.get(RunRef);
    if (list === undefined) this.waiters.set(RunRef, (list = []));
    list.push(t);
    k.beginWait(t, `run-down protection to be released by ${references(count)}`, null);
    yield Trap.Block;
  }

  /** Marks a rundown complete: the structure may be reused after ExReInitializeRundownProtection. */
  ExRundownCompleted(RunRef: unknown): void {
    this.k.checkIrql('ExRundownCompleted');
    const at = this.place('ExRundownCompleted', RunRef);
    if (at === null) return;
    if (read(at) >= ONE_REFERENCE) this.k.violation('invalid-parameter', `ExRundownCompleted while ${references(read(at))} still hold run-down protection (wait with ExWaitForRundownProtectionRelease first)`);
    write(at, ACTIVE);
  }

  private acquire(routine: string, RunRef: unknown, n: number): number {
    this.k.checkIrql(routine);
    const at = this.place(routine, RunRef);
    if (at === null) return 0;
    const count = read(at);
    if ((count & ACTIVE) !== 0) return 0;
    write(at, count + n * ONE_REFERENCE);
    return 1;
  }

  private release(routine: string, RunRef: unknown, n: number): void {
    const k = this.k;
    k.checkIrql(routine);
    const at = this.place(routine, RunRef);
    if (at === null) return;
    const count = read(at);
    if (Math.floor(count / ONE_REFERENCE) < n) {
      const held = Math.floor(count / ONE_REFERENCE);
      k.violation('invalid-parameter', `${routine} releases ${n === 1 ? 'a reference' : `${n} references`} of run-down protection, but ${held === 0 ? 'none is' : held === 1 ? 'only 1 is' : `only ${held} are`} held: it was not acquired, or was released already`);
      return;
    }
    const left = count - n * ONE_REFERENCE;
    write(at, left);
    if (left === ACTIVE) {
      const list = this.waiters.get(RunRef);
      if (list !== undefined) for (const w of list.splice(0)) k.wake(w);
    }
  }

  private place(routine: string, RunRef: unknown): Place | null {
    if (isView(RunRef)) return { alloc: RunRef.$alloc, offset: RunRef.$offset };
    if (RunRef instanceof Ptr && RunRef.alloc !== null) return { alloc: RunRef.alloc, offset: RunRef.offset };
    this.k.violation('null-param', `${routine} needs an EX_RUNDOWN_REF`);
    return null;
  }
}

function read(at: Place): number {
  return Number(at.alloc.readInt(at.offset, 8, false));
}

function write(at: Place, value: number): void {
  at.alloc.writeInt(at.offset, 8, value);
}

function references(count: number): string {
  const n = Math.floor(count / ONE_REFERENCE);
  return n === 0 ? 'no holder' : n === 1 ? '1 holder' : `${n} holders`;
}
