/**
 * What the IRQL analysis (irql.ts) finds: the highest IRQL a function runs at and why, and the locks
 * a function returns holding. Rules read them, and other files of a project hand them on (foreign.ts).
 */
import type { Irql } from '../../kernel/irql';
import type { LockKind } from './locks';
import type { Loc } from './model';

export interface LockSummary {
  /** Locks still held, on every path, when the function returns. */
  net: { kind: LockKind; level: Irql; api: string }[];
  /** How many of the caller's locks it releases. */
  releasesForeign: number;
}

export type IrqlReason =
  | { k: 'role'; role: 'postop' | 'dpc' | 'cbdq' | 'completion'; fn: string; acquire?: string; api?: string }
  /** The function's own `_IRQL_requires_max_` (or like) annotation. */
  | { k: 'annotation'; fn: string; text: string }
  | { k: 'lock'; fn: string; site: Loc; api: string }
  | { k: 'call'; caller: string; site: Loc; via: IrqlReason };

export interface IrqlEstimate {
  level: Irql;
  reason?: IrqlReason;
}
