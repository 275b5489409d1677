/**
 * The kernel's lock and IRQL routines, as the IRQL estimate needs them: what each acquires or
 * releases, which argument names the lock, and the IRQL the caller runs at while holding it.
 */
import { Irql } from '../../kernel/irql';

export type LockKind = 'spin' | 'fastmutex' | 'guardedmutex' | 'mutex' | 'resource' | 'pushlock' | 'raise';

export interface LockApi {
  kind: LockKind;
  acquire: boolean;
  /** The argument that names the lock (for in-stack queued spin locks: the handle). */
  arg?: number;
  /** IRQL while held; undefined leaves the IRQL unchanged. */
  raisesTo?: Irql;
}

const D = Irql.DISPATCH_LEVEL;
const A = Irql.APC_LEVEL;

export const LOCK_APIS: Readonly<Record<string, LockApi>> = {
  KeAcquireSpinLock: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  KeAcquireSpinLockRaiseToDpc: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  KeAcquireSpinLockAtDpcLevel: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  KeAcquireInStackQueuedSpinLock: { kind: 'spin', acquire: true, arg: 1, raisesTo: D },
  KeAcquireInStackQueuedSpinLockAtDpcLevel: { kind: 'spin', acquire: true, arg: 1, raisesTo: D },
  ExAcquireSpinLockExclusive: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  ExAcquireSpinLockShared: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  ExAcquireSpinLockExclusiveAtDpcLevel: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  ExAcquireSpinLockSharedAtDpcLevel: { kind: 'spin', acquire: true, arg: 0, raisesTo: D },
  KeRaiseIrqlToDpcLevel: { kind: 'raise', acquire: true, raisesTo: D },
  KeRaiseIrql: { kind: 'raise', acquire: true, arg: 0 },
  ExAcquireFastMutex: { kind: 'fastmutex', acquire: true, arg: 0, raisesTo: A },
  ExAcquireFastMutexUnsafe: { kind: 'fastmutex', acquire: true, arg: 0 },
  KeAcquireGuardedMutex: { kind: 'guardedmutex', acquire: true, arg: 0 },
  KeAcquireGuardedMutexUnsafe: { kind: 'guardedmutex', acquire: true, arg: 0 },
  KeWaitForMutexObject: { kind: 'mutex', acquire: true, arg: 0 },
  ExAcquireResourceExclusiveLite: { kind: 'resource', acquire: true, arg: 0 },
  ExAcquireResourceSharedLite: { kind: 'resource', acquire: true, arg: 0 },
  ExAcquireSharedStarveExclusive: { kind: 'resource', acquire: true, arg: 0 },
  ExAcquireSharedWaitForExclusive: { kind: 'resource', acquire: true, arg: 0 },
  ExEnterCriticalRegionAndAcquireResourceExclusive: { kind: 'resource', acquire: true, arg: 0 },
  ExEnterCriticalRegionAndAcquireResourceShared: { kind: 'resource', acquire: true, arg: 0 },
  FltAcquireResourceExclusive: { kind: 'resource', acquire: true, arg: 0 },
  FltAcquireResourceShared: { kind: 'resource', acquire: true, arg: 0 },
  FltAcquirePushLockExclusive: { kind: 'pushlock', acquire: true, arg: 0 },
  FltAcquirePushLockShared: { kind: 'pushlock', acquire: true, arg: 0 },
  FltAcquirePushLockExclusiveEx: { kind: 'pushlock', acquire: true, arg: 0 },
  FltAcquirePushLockSharedEx: { kind: 'pushlock', acquire: true, arg: 0 },
  ExAcquirePushLockExclusive: { kind: 'pushlock', acquire: true, arg: 0 },
  ExAcquirePushLockShared: { kind: 'pushlock', acquire: true, arg: 0 },

  KeReleaseSpinLock: { kind: 'spin', acquire: false, arg: 0 },
  KeReleaseSpinLockFromDpcLevel: { kind: 'spin', acquire: false, arg: 0 },
  KeReleaseInStackQueuedSpinLock: { kind: 'spin', acquire: false, arg: 0 },
  KeReleaseInStackQueuedSpinLockFromDpcLevel: { kind: 'spin', acquire: false, arg: 0 },
  ExReleaseSpinLockExclusive: { kind: 'spin', acquire: false, arg: 0 },
  ExReleaseSpinLockShared: { kind: 'spin', acquire: false, arg: 0 },
  ExReleaseSpinLockExclusiveFromDpcLevel: { kind: 'spin', acquire: false, arg: 0 },
  ExReleaseSpinLockSharedFromDpcLevel: { kind: 'spin', acquire: false, arg: 0 },
  KeLowerIrql: { kind: 'raise', acquire: false },
  ExReleaseFastMutex: { kind: 'fastmutex', acquire: false, arg: 0 },
  ExReleaseFastMutexUnsafe: { kind: 'fastmutex', acquire: false, arg: 0 },
  KeReleaseGuardedMutex: { kind: 'guardedmutex', acquire: false, arg: 0 },
  KeReleaseGuardedMutexUnsafe: { kind: 'guardedmutex', acquire: false, arg: 0 },
  KeReleaseMutex: { kind: 'mutex', acquire: false, arg: 0 },
  ExReleaseResourceLite: { kind: 'resource', acquire: false, arg: 0 },
  ExReleaseResourceAndLeaveCriticalRegion: { kind: 'resource', acquire: false, arg: 0 },
  FltReleaseResource: { kind: 'resource', acquire: false, arg: 0 },
  FltReleasePushLock: { kind: 'pushlock', acquire: false, arg: 0 },
  FltReleasePushLockEx: { kind: 'pushlock', acquire: false, arg: 0 },
  ExReleasePushLockExclusive: { kind: 'pushlock', acquire: false, arg: 0 },
  ExReleasePushLockShared: { kind: 'pushlock', acquire: false, arg: 0 },
};

/** Kinds that make the holder wait (and so cannot be taken at DISPATCH_LEVEL). */
export const WAITING_LOCKS: ReadonlySet<LockKind> = new Set(['fastmutex', 'guardedmutex', 'mutex', 'resource', 'pushlock']);

/** `KeWaitForSingleObject` on a mutex-like object also counts as taking a waiting lock. */
export const WAITS = new Set(['KeWaitForSingleObject', 'KeWaitForMultipleObjects', 'KeWaitForMutexObject', 'FltCancellableWaitForSingleObject', 'FltCancellableWaitForMultipleObjects']);

export function lockKindLabel(kind: LockKind): string {
  switch (kind) {
    case 'spin': return 'spin lock';
    case 'fastmutex': return 'fast mutex';
    case 'guardedmutex': return 'guarded mutex';
    case 'mutex': return 'mutex';
    case 'resource': return 'ERESOURCE';
    case 'pushlock': return 'push lock';
    case 'raise': return 'raised IRQL';
  }
}
