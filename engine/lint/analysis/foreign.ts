/**
 * What the other files of a driver project tell the analysis of one file: the roles their
 * registrations, cbdq setups and work-item calls give to this file's functions, the queues they
 * set up, their filter registration, and a summary of each function they define (the API calls
 * it makes, the locks it returns holding, the constants it returns), plus the IRQL at which they
 * call this file's functions. Locations in another file carry that file's path.
 */
import type { IrqlEstimate, LockSummary } from './irqlTypes';
import type { CbdqInfo, Role } from './roleTypes';
import type { ClassMembers, MethodMembers } from './raii';

export interface ForeignFunction {
  file: string;
  /** Every name the function may call, directly or through its own file's helpers. */
  calls: ReadonlySet<string>;
  lock: LockSummary;
  /** Constants it may return (`?` for a value that could not be told); undefined when unreadable. */
  returns?: ReadonlySet<string>;
  /** Parameters it only reads through (paramReads.ts): a reference passed there stays the caller's. */
  readsOnly?: readonly number[];
  /** A C++ constructor or destructor: what it stores in or does with the object's members (raii.ts). */
  members?: MethodMembers;
}

export interface ForeignRegistration {
  file: string;
  unload?: string;
  teardownStart?: string;
}

export interface ForeignFacts {
  /** Changes whenever anything below changes: part of every cache key of the file's analysis. */
  digest: string;
  /** Roles given to names by other files, with locations tagged by file. */
  roles: ReadonlyMap<string, readonly Role[]>;
  /** cbdqs initialised in other files (their `site.file` is set); role queue indexes count from 0 here. */
  cbdqs: readonly CbdqInfo[];
  registration?: ForeignRegistration;
  /** Operation registration rows in other files: how many, and how many name a post-operation callback. */
  operationRows: { total: number; withPost: number };
  /** Functions with external linkage defined in other files. */
  functions: ReadonlyMap<string, ForeignFunction>;
  /** The highest IRQL at which other files call a name, with the reason. */
  entries: ReadonlyMap<string, IrqlEstimate>;
  /** For each other file, the first row of each anchor (`fn:Name`, `decl:Name`), to place related locations. */
  anchors: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Every name some function of another file calls (static functions included). */
  calls: ReadonlySet<string>;
  /** C++ classes the project headers this file includes define with their constructor and destructor (raii.ts). */
  classes?: ReadonlyMap<string, ClassMembers>;
}

export const NO_FOREIGN_FACTS: ForeignFacts = {
  digest: '',
  roles: new Map(),
  cbdqs: [],
  operationRows: { total: 0, withPost: 0 },
  functions: new Map(),
  entries: new Map(),
  anchors: new Map(),
  calls: new Set(),
};
