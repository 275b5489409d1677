/**
 * What is known, along a path of a pre- or post-operation callback, about the operation in hand:
 * which kinds it can be (IRP, fast I/O, FsFilter), which major functions it can have, and whether
 * it was shown to be synchronous. Guards (`FLT_IS_IRP_OPERATION(Data)`, a test or `switch` on
 * `Data->Iopb->MajorFunction`, `FltIsOperationSynchronous(Data)`) narrow it.
 */
import type { Expr } from '../frontend/ir';
import { constName, pathOf, type Aliases } from '../frontend/exprs';
import type { Condition, OpKind } from './conditions';
import { IRP_ONLY_MAJORS } from './roles';

const BIT: Record<OpKind, number> = { irp: 1, fastio: 2, fsfilter: 4 };
const ALL = 7;

export interface OpState {
  kinds: number;
  /** Possible majors; null when the registration is not in this file. */
  majors: readonly string[] | null;
  sync: boolean;
}

export function initialOp(majors: readonly string[] | null): OpState {
  return { kinds: ALL, majors, sync: false };
}

export function opKey(o: OpState): string {
  return `${o.kinds}|${o.majors?.join(',') ?? '*'}|${o.sync ? 1 : 0}`;
}

const SYNC_FLAGS = new Set(['IRP_SYNCHRONOUS_API', 'IRP_SYNCHRONOUS_PAGING_IO', 'FO_SYNCHRONOUS_IO']);

function isDataPath(path: string, data: string): boolean {
  return path === data;
}

export function refineOp(o: OpState, c: Condition | undefined, truth: boolean, data: string): OpState | null {
  if (!c) return o;
  const a = c.atom;
  const holds = c.pos === truth;
  switch (a.k) {
    case 'opkind': {
      if (!isDataPath(a.path, data)) return o;
      const kinds = holds ? o.kinds & BIT[a.kind] : o.kinds & ~BIT[a.kind];
      if (kinds === 0) return null;
      const sync = o.sync || (holds && a.kind === 'fastio');
      return kinds === o.kinds && sync === o.sync ? o : { ...o, kinds, sync };
    }
    case 'sync':
      if (!holds || o.sync || (a.path !== '*' && !isDataPath(a.path, data))) return o;
      return { ...o, sync: true };
    case 'flag':
      if (!holds || o.sync || !SYNC_FLAGS.has(a.flag)) return o;
      return { ...o, sync: true };
    case 'eq': {
      if (a.path !== `${data}->Iopb->MajorFunction`) return o;
      if (holds) {
        if (o.majors && !o.majors.includes(a.value)) return null;
        return { ...o, majors: [a.value] };
      }
      if (!o.majors) return o;
      const majors = o.majors.filter((m) => m !== a.value);
      return majors.length === 0 ? null : majors.length === o.majors.length ? o : { ...o, majors };
    }
    default:
      return o;
  }
}

export function casesOp(o: OpState, disc: Expr, values: Expr[], isDefault: boolean, data: string, aliases?: Aliases): OpState | null {
  if (pathOf(disc, aliases) !== `${data}->Iopb->MajorFunction`) return o;
  const names = values.map((v) => constName(v)).filter((v): v is string => !!v);
  if (names.length !== values.length) return o;
  if (isDefault) {
    if (!o.majors) return o;
    const majors = o.majors.filter((m) => !names.includes(m));
    return majors.length === 0 ? null : { ...o, majors };
  }
  const majors = o.majors ? o.majors.filter((m) => names.includes(m)) : names;
  return majors.length === 0 ? null : { ...o, majors };
}

/** The operation may be fast I/O or an FsFilter callback on this path (unknown registrations say no). */
export function mayBeNonIrpOp(o: OpState): boolean {
  if (!o.majors) return false;
  const fsFilter = (m: string) => /^IRP_MJ_(ACQUIRE|RELEASE)_FOR_/.test(m);
  if ((o.kinds & BIT.fsfilter) !== 0 && o.majors.some(fsFilter)) return true;
  return (o.kinds & BIT.fastio) !== 0 && o.majors.some((m) => !IRP_ONLY_MAJORS.has(m) && !fsFilter(m));
}

/** The majors this path may have, if known. */
export function possibleMajors(o: OpState): readonly string[] | null {
  return o.majors;
}
