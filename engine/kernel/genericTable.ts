/**
 * RTL_GENERIC_TABLE and RTL_AVL_TABLE: an ordered table whose order, memory and cleanup are the
 * driver's. The driver's CompareRoutine orders the elements, its AllocateRoutine gives each
 * element's memory (the table's own links, then the element) and its FreeRoutine takes it back. The
 * engine keeps the order (a sorted list, not a splay or AVL tree: what callers see through the
 * routines is the same) and the element bytes live in the driver's allocations. The two flavours
 * differ only in the links in front of each element and in their routines' names.
 */
import type { Co } from './coroutine';
import type { DriverFn } from './driverFn';
import { nameOf } from './driverFn';
import type { Kernel } from './kernel';
import { addressName, isAddressable, ObjectStates, readOut, writeOut } from './objects';
import { Ptr, resolve } from '../memory/pointer';

/**
 * The two flavours: bytes the table keeps in front of each element (RTL_SPLAY_LINKS and a
 * LIST_ENTRY; RTL_BALANCED_LINKS — x64 sizes), and the suffix of their routines' names.
 */
interface Flavour {
  header: number;
  suffix: '' | 'Avl';
}
const SPLAY: Flavour = { header: 24 + 16, suffix: '' };
const AVL: Flavour = { header: 32, suffix: 'Avl' };

const GenericLessThan = 0;
const GenericGreaterThan = 1;

interface TableState {
  flavour: Flavour;
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
    this.initialize(SPLAY, Table, CompareRoutine, AllocateRoutine, FreeRoutine);
  }

  RtlInitializeGenericTableAvl(Table: unknown, CompareRoutine: unknown, AllocateRoutine: unknown, FreeRoutine: unknown, _TableContext: unknown): void {
    this.initialize(AVL, Table, CompareRoutine, AllocateRoutine, FreeRoutine);
  }

  *RtlInsertElementGenericTable(Table: unknown, Buffer: unknown, BufferSize: number, NewElement: unknown): Co<unknown> {
    return yield* this.insert(SPLAY, Table, Buffer, BufferSize, NewElement);
  }

  *RtlInsertElementGenericTableAvl(Table: unknown, Buffer: unknown, BufferSize: number, NewElement: unknown): Co<unknown> {
    return yield* this.insert(AVL, Table, Buffer, BufferSize, NewElement);
  }

  *RtlLookupElementGenericTable(Table: unknown, Buffer: unknown): Co<unknown> {
    return yield* this.lookup(SPLAY, Table, Buffer);
  }

  *RtlLookupElementGenericTableAvl(Table: unknown, Buffer: unknown): Co<unknown> {
    return yield* this.lookup(AVL, Table, Buffer);
  }

  *RtlDeleteElementGenericTable(Table: unknown, Buffer: unknown): Co<number> {
    return yield* this.delete(SPLAY, Table, Buffer);
  }

  *RtlDeleteElementGenericTableAvl(Table: unknown, Buffer: unknown): Co<number> {
    return yield* this.delete(AVL, Table, Buffer);
  }

  RtlGetElementGenericTable(Table: unknown, I: number): unknown {
    return this.table(SPLAY, Table, 'RtlGetElementGenericTable')?.elements[Number(I) >>> 0] ?? null;
  }

  RtlGetElementGenericTableAvl(Table: unknown, I: number): unknown {
    return this.table(AVL, Table, 'RtlGetElementGenericTableAvl')?.elements[Number(I) >>> 0] ?? null;
  }

  RtlIsGenericTableEmpty(Table: unknown): number {
    const st = this.table(SPLAY, Table, 'RtlIsGenericTableEmpty');
    return st === null || st.elements.length === 0 ? 1 : 0;
  }

  RtlIsGenericTableEmptyAvl(Table: unknown): number {
    const st = this.table(AVL, Table, 'RtlIsGenericTableEmptyAvl');
    return st === null || st.elements.length === 0 ? 1 : 0;
  }

  RtlNumberGenericTableElements(Table: unknown): number {
    return this.table(SPLAY, Table, 'RtlNumberGenericTableElements')?.elements.length ?? 0;
  }

  RtlNumberGenericTableElementsAvl(Table: unknown): number {
    return this.table(AVL, Table, 'RtlNumberGenericTableElementsAvl')?.elements.length ?? 0;
  }

  /** The elements in order: Restart TRUE gives the first, then each call the next, then NULL. */
  RtlEnumerateGenericTable(Table: unknown, Restart: unknown): unknown {
    return this.enumerate(SPLAY, Table, Restart);
  }

  RtlEnumerateGenericTableAvl(Table: unknown, Restart: unknown): unknown {
    return this.enumerate(AVL, Table, Restart);
  }

  /**
   * The elements in order without changing the table: *RestartKey NULL gives the first; each call
   * stores the element's links there, and the next call gives the element after them.
   */
  RtlEnumerateGenericTableWithoutSplaying(Table: unknown, RestartKey: unknown): unknown {
    return this.enumerateFrom(SPLAY, Table, RestartKey);
  }

  RtlEnumerateGenericTableWithoutSplayingAvl(Table: unknown, RestartKey: unknown): unknown {
    return this.enumerateFrom(AVL, Table, RestartKey);
  }

  private initialize(flavour: Flavour, Table: unknown, CompareRoutine: unknown, AllocateRoutine: unknown, FreeRoutine: unknown): void {
    const k = this.k;
    const routine = `RtlInitializeGenericTable${flavour.suffix}`;
    k.checkIrql(routine);
    if (!isAddressable(Table) || !CompareRoutine || !AllocateRoutine || !FreeRoutine) {
      k.violation('null-param', `${routine} needs the table and its compare, allocate and free routines`);
      return;
    }
    this.tables.set(Table, {
      flavour,
      name: addressName(Table, flavour === AVL ? 'RTL_AVL_TABLE' : 'RTL_GENERIC_TABLE'),
      compare: CompareRoutine as DriverFn,
      allocate: AllocateRoutine as DriverFn,
      free: FreeRoutine as DriverFn,
      elements: [],
      cursor: 0,
    });
  }

  private *insert(flavour: Flavour, Table: unknown, Buffer: unknown, BufferSize: number, NewElement: unknown): Co<unknown> {
    const k = this.k;
    const routine = `RtlInsertElementGenericTable${flavour.suffix}`;
    writeOut(NewElement, 0);
    const st = this.table(flavour, Table, routine);
    if (st === null) return null;
    const { index, found } = yield* this.find(st, Table, Buffer);
    if (found) return st.elements[index]!;
    const size = Number(BufferSize) >>> 0;
    const header = flavour.header;
    const block = yield* k.callDriver(k.current, st.allocate, nameOf(st.allocate, 'AllocateRoutine'), [Table, header + size]);
    if (!(block instanceof Ptr) || block.alloc === null) return null;
    const element = block.add(header);
    if (size > 0) {
      const src = resolve(pointerIn(Buffer), size, 'reads');
      const dst = resolve(element, size, 'writes');
      dst.alloc.writeBytes(dst.offset, src.alloc.readBytes(src.offset, size));
    }
    st.elements.splice(index, 0, element);
    writeOut(NewElement, 1);
    return element;
  }

  private *lookup(flavour: Flavour, Table: unknown, Buffer: unknown): Co<unknown> {
    const routine = `RtlLookupElementGenericTable${flavour.suffix}`;
    const st = this.table(flavour, Table, routine);
    if (st === null) return null;
    const { index, found } = yield* this.find(st, Table, Buffer);
    return found ? st.elements[index]! : null;
  }

  private *delete(flavour: Flavour, Table: unknown, Buffer: unknown): Co<number> {
    const k = this.k;
    const routine = `RtlDeleteElementGenericTable${flavour.suffix}`;
    const st = this.table(flavour, Table, routine);
    if (st === null) return 0;
    const { index, found } = yield* this.find(st, Table, Buffer);
    if (!found) return 0;
    const [element] = st.elements.splice(index, 1);
    if (st.cursor > index) st.cursor--;
    yield* k.callDriver(k.current, st.free, nameOf(st.free, 'FreeRoutine'), [Table, element!.add(-flavour.header)]);
    return 1;
  }

  private enumerate(flavour: Flavour, Table: unknown, Restart: unknown): unknown {
    const st = this.table(flavour, Table, `RtlEnumerateGenericTable${flavour.suffix}`);
    if (st === null) return null;
    if (Restart) st.cursor = 0;
    return st.elements[st.cursor++] ?? null;
  }

  private enumerateFrom(flavour: Flavour, Table: unknown, RestartKey: unknown): unknown {
    const routine = `RtlEnumerateGenericTableWithoutSplaying${flavour.suffix}`;
    const st = this.table(flavour, Table, routine);
    if (st === null) return null;
    if (RestartKey === null || RestartKey === undefined) {
      this.k.violation('null-param', `${routine} needs RestartKey, a PVOID set to NULL before the first call`);
      return null;
    }
    const key = pointerIn(readOut(RestartKey));
    // After the element whose links the key holds; an element deleted since then ends the walk.
    const at = key === null ? 0 : st.elements.findIndex((e) => e.alloc === key.alloc && e.offset - flavour.header === key.offset) + 1;
    const next = at > 0 || key === null ? st.elements[at] : undefined;
    writeOut(RestartKey, next === undefined ? null : next.add(-flavour.header));
    return next ?? null;
  }

  private table(flavour: Flavour, Table: unknown, routine: string): TableState | null {
    this.k.checkIrql(routine);
    const st = this.tables.get(Table);
    const init = `RtlInitializeGenericTable${flavour.suffix}`;
    if (st === undefined) {
      this.k.violation('uninitialized-object', `${routine} used a generic table that ${init} never initialized`);
      return null;
    }
    if (st.flavour !== flavour) {
      // The two flavours keep different links in front of each element: mixing them corrupts the table.
      this.k.violation('uninitialized-object', `${routine} used ${st.name}, which RtlInitializeGenericTable${st.flavour.suffix} initialized: use the ${st.flavour === AVL ? 'Avl' : 'splay (no Avl suffix)'} routines on it`);
      return null;
    }
    return st;
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
