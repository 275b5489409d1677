/**
 * RTL_GENERIC_TABLE: an ordered table whose order, memory and cleanup are the driver's. The
 * driver's CompareRoutine orders the elements, its AllocateRoutine gives each element's memory (the
 * table's own links, then the element) and its FreeRoutine takes it back. The engine keeps the order
 * (a sorted list, not a splay tree: what callers see through the routines is the same) and the
 * element bytes live in the driver's allocations.
 */
import type { Co } from './coroutine';
import type { DriverFn } from './driverFn';
import { nameOf } from './driverFn';
import type { Kernel } from './kernel';
import { addressName, isAddressable, ObjectStates, writeOut } from './objects';
import { Ptr, resolve } from '../memory/pointer';

/** Bytes the table keeps in front of each element: RTL_SPLAY_LINKS and a LIST_ENTRY on x64. */
const ELEMENT_HEADER = 24 + 16;

const GenericLessThan = 0;
const GenericGreaterThan = 1;

interface TableState {
  name: string;
  compare: DriverFn;
  allocate: DriverFn;
  free: DriverFn;
  /** Element pointers (just past each header), in the compare routine's order. */
  elements: Ptr[];
  /** RtlEnumerateGenericTable's position. */
  cursor: number;
}

export class GenericTableRoutines {
  private readonly tables = new ObjectStates<TableState>();

  constructor(private readonly k: Kernel) {}

  RtlInitializeGenericTable(Table: unknown, CompareRoutine: unknown, AllocateRoutine: unknown, FreeRoutine: unknown, _TableContext: unknown): void {
    const k = this.k;
    k.checkIrql('RtlInitializeGenericTable');
    if (!isAddressable(Table) || !CompareRoutine || !AllocateRoutine || !FreeRoutine) {
      k.violation('null-param', 'RtlInitializeGenericTable needs the table and its compare, allocate and free routines');
      return;
    }
    this.tables.set(Table, {
      name: addressName(Table, 'RTL_GENERIC_TABLE'),
      compare: CompareRoutine as DriverFn,
      allocate: AllocateRoutine as DriverFn,
      free: FreeRoutine as DriverFn,
      elements: [],
      cursor: 0,
    });
  }

  *RtlInsertElementGenericTable(Table: unknown, Buffer: unknown, BufferSize: number, NewElement: unknown): Co<unknown> {
    const k = this.k;
    k.checkIrql('RtlInsertElementGenericTable');
    writeOut(NewElement, 0);
    const st = this.table(Table, 'RtlInsertElementGenericTable');
    if (st === null) return null;
    const { index, found } = yield* this.find(st, Table, Buffer);
    if (found) return st.elements[index]!;
    const size = Number(BufferSize) >>> 0;
    const block = yield* k.callDriver(k.current, st.allocate, nameOf(st.allocate, 'AllocateRoutine'), [Table, ELEMENT_HEADER + size]);
    if (!(block instanceof Ptr) || block.alloc === null) return null;
    const element = block.add(ELEMENT_HEADER);
    if (size > 0) {
      const src = resolve(pointerIn(Buffer), size, 'reads');
      const dst = resolve(element, size, 'writes');
      dst.alloc.writeBytes(dst.offset, src.alloc.readBytes(src.offset, size));
    }
    st.elements.splice(index, 0, element);
    writeOut(NewElement, 1);
    return element;
  }

  *RtlLookupElementGenericTable(Table: unknown, Buffer: unknown): Co<unknown> {
    this.k.checkIrql('RtlLookupElementGenericTable');
    const st = this.table(Table, 'RtlLookupElementGenericTable');
    if (st === null) return null;
    const { index, found } = yield* this.find(st, Table, Buffer);
    return found ? st.elements[index]! : null;
  }

  *RtlDeleteElementGenericTable(Table: unknown, Buffer: unknown): Co<number> {
    const k = this.k;
    k.checkIrql('RtlDeleteElementGenericTable');
    const st = this.table(Table, 'RtlDeleteElementGenericTable');
    if (st === null) return 0;
    const { index, found } = yield* this.find(st, Table, Buffer);
    if (!found) return 0;
    const [element] = st.elements.splice(index, 1);
    if (st.cursor > index) st.cursor--;
    yield* k.callDriver(k.current, st.free, nameOf(st.free, 'FreeRoutine'), [Table, element!.add(-ELEMENT_HEADER)]);
    return 1;
  }

  RtlGetElementGenericTable(Table: unknown, I: number): unknown {
    this.k.checkIrql('RtlGetElementGenericTable');
    const st = this.table(Table, 'RtlGetElementGenericTable');
    return st?.elements[Number(I) >>> 0] ?? null;
  }

  RtlIsGenericTableEmpty(Table: unknown): number {
    this.k.checkIrql('RtlIsGenericTableEmpty');
    const st = this.table(Table, 'RtlIsGenericTableEmpty');
    return st === null || st.elements.length === 0 ? 1 : 0;
  }

  RtlNumberGenericTableElements(Table: unknown): number {
    this.k.checkIrql('RtlNumberGenericTableElements');
    return this.table(Table, 'RtlNumberGenericTableElements')?.elements.length ?? 0;
  }

  /** The elements in order: Restart TRUE gives the first, then each call the next, then NULL. */
  RtlEnumerateGenericTable(Table: unknown, Restart: unknown): unknown {
    this.k.checkIrql('RtlEnumerateGenericTable');
    const st = this.table(Table, 'RtlEnumerateGenericTable');
    if (st === null) return null;
    if (Restart) st.cursor = 0;
    return st.elements[st.cursor++] ?? null;
  }

  private table(Table: unknown, routine: string): TableState | null {
    const st = this.tables.get(Table);
    if (st !== undefined) return st;
    this.k.violation('uninitialized-object', `${routine} used a generic table that RtlInitializeGenericTable never initialized`);
    return null;
  }

  /** Binary search with the driver's compare routine: where `buffer` is, or where it would go. */
  private *find(st: TableState, table: unknown, buffer: unknown): Co<{ index: number; found: boolean }> {
    const k = this.k;
    let lo = 0;
    let hi = st.elements.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = Number(yield* k.callDriver(k.current, st.compare, nameOf(st.compare, 'CompareRoutine'), [table, buffer, st.elements[mid]!]));
      if (r === GenericLessThan) hi = mid - 1;
      else if (r === GenericGreaterThan) lo = mid + 1;
      else return { index: mid, found: true };
    }
    return { index: lo, found: false };
  }
}

function pointerIn(v: unknown): Ptr | null {
  if (v instanceof Ptr) return v;
  const p = (v as { $ptr?: Ptr } | null | undefined)?.$ptr;
  return p ?? null;
}
