/**
 * Handles for the expandable values of one stop. A front end gets plain rows (name, rendered value,
 * C type, a handle to expand them); the trees behind the handles stay in the engine and are dropped
 * at the next stop, when every value may have changed.
 */
import type { Expandable, InspectChild } from '../inspect';

/** A frame of a thread, by its position in the thread's stack (0 = outermost). */
export interface FrameRef {
  threadId: number;
  index: number;
}

export interface VariableInfo {
  name: string;
  /** One-line rendering in C terms: `STATUS_CANCELLED (0xC0000120)`, `0xffff… {#1 IRP_MJ_READ pended}`. */
  value: string;
  /** C type name; empty for rows that are not C values (the Thread scope's, say). */
  type: string;
  /** A C expression that names the value in its frame, for watches and copy-as-expression. */
  evaluateName?: string;
  /** Non-zero when the value has children: pass it to `variables()`. */
  handle: number;
  /** Number of indexed children (array elements, queue entries), which a front end pages through. */
  indexedCount?: number;
  /** Set Value can change it: a scalar that a C expression names. */
  editable: boolean;
  /** The value in hex, for an integer shown as a number (a client's hex display). */
  hexValue?: string;
  /** Where a pointer points or an array starts, for the memory view. */
  memoryReference?: string;
}

export interface VariablesQuery {
  /** Only named or only indexed children; both when absent. */
  filter?: 'named' | 'indexed';
  /** The page of indexed children. */
  start?: number;
  count?: number;
}

interface Entry {
  expand: Expandable;
  frame?: FrameRef;
}

export class VariableHandles {
  private entries: Entry[] = [];

  /** Forgets every handle (the next stop hands out new ones from 1). */
  reset(): void {
    this.entries = [];
  }

  add(expand: Expandable, frame?: FrameRef): number {
    this.entries.push({ expand, frame });
    return this.entries.length;
  }

  get(handle: number): Entry | undefined {
    return Number.isInteger(handle) && handle > 0 ? this.entries[handle - 1] : undefined;
  }

  /** The children behind a handle as rows; a child that fails to render becomes an `(error)` row. */
  children(handle: number, query: VariablesQuery = {}): VariableInfo[] {
    const entry = this.get(handle);
    if (!entry) return [];
    const { expand, frame } = entry;
    let rows: InspectChild[] = [];
    try {
      if (query.filter !== 'named' && expand.indexed && expand.indexedCount !== undefined) {
        const start = Math.max(0, query.start ?? 0);
        const count = query.count && query.count > 0 ? query.count : expand.indexedCount - start;
        rows = expand.indexed(start, count);
      }
      if (query.filter !== 'indexed' && expand.named) rows = [...expand.named(), ...rows];
    } catch (e) {
      rows = [{ name: '(error)', value: (e as Error).message, type: '' }];
    }
    return rows.map((c) => this.row(c, frame));
  }

  row(c: InspectChild, frame: FrameRef | undefined): VariableInfo {
    const v: VariableInfo = { name: c.name, value: c.value, type: c.type, handle: 0, editable: c.place !== undefined && c.evaluateName !== undefined };
    if (c.evaluateName) v.evaluateName = c.evaluateName;
    if (c.memoryReference) v.memoryReference = c.memoryReference;
    if (c.hexValue) v.hexValue = c.hexValue;
    if (c.expand) {
      v.handle = this.add(c.expand, frame);
      if (c.expand.indexedCount !== undefined) v.indexedCount = c.expand.indexedCount;
    }
    return v;
  }
}
