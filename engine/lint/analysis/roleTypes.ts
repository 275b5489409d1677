/**
 * The roles a file's functions play (found by roles.ts) and the cbdqs it sets up: what rules read,
 * and what the other files of a project hand on (foreign.ts).
 */
import type { Loc } from './model';

export type CbdqCallback = 'insert' | 'remove' | 'peek' | 'acquire' | 'release' | 'cancel';

export type Role =
  /** `majors` null: no registration names the function; its declared signature is the pre-op type's. */
  | { k: 'preop'; majors: string[] | null; rows: Loc[]; rowMajors: (string | null)[]; postOps: (string | null)[]; bySignature?: true }
  | { k: 'postop'; majors: string[] | null; rows: Loc[]; preOps: (string | null)[]; bySignature?: true }
  /** `carries`: the field of a generic work item's context that holds the queuing callback's data. */
  /** `contextNonNull`: the context argument cannot be NULL where it is queued (argumentFacts.ts). */
  | { k: 'worker'; kind: 'generic' | 'deferred'; site: Loc; carries?: string; contextNonNull?: true; itemField?: string }
  /** `queue` -1 and no site: known by its declared signature only, from no FltCbdqInitialize. */
  | { k: 'cbdq'; cb: CbdqCallback; queue: number; site?: Loc; bySignature?: true }
  | { k: 'safepost'; site: Loc }
  | { k: 'unload' }
  | { k: 'instanceSetup' }
  | { k: 'queryTeardown' }
  | { k: 'teardownStart' }
  | { k: 'teardownComplete' }
  | { k: 'ctxCleanup' }
  | { k: 'driverEntry' }
  | { k: 'dpc'; site: Loc }
  | { k: 'thread'; site: Loc }
  /** The completion routine of an operation the filter started: up to DISPATCH_LEVEL. */
  | { k: 'completion'; api: string; site: Loc };

export interface CbdqInfo {
  site: Loc;
  /** The queue argument as written (`&InstCtx->Cbdq`). */
  queuePath: string;
  /** Its last field or variable name (`Cbdq`), used to match later FltCbdq* calls to this queue. */
  queueName: string;
  insert?: string;
  remove?: string;
  peek?: string;
  acquire?: string;
  release?: string;
  cancel?: string;
}

export interface RoleMap {
  roles: Map<string, Role[]>;
  cbdqs: CbdqInfo[];
}
