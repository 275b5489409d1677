/**
 * RTL bitmaps: an RTL_BITMAP header (SizeOfBitMap bits, Buffer) over the driver's own ULONG array.
 * Bit n is bit (n % 32) of Buffer[n / 32] — on little-endian x64, bit (n % 8) of byte n / 8 — so C
 * that reads the buffer itself sees what the routines wrote. The routines keep no state of their
 * own: every call reads the header and the bits from driver memory.
 *
 * A range that reaches past SizeOfBitMap is the caller's error (`invalid-parameter`; Windows'
 * checked builds assert) and changes nothing. The searches go up from HintIndex and then wrap to
 * bit 0, and return 0xFFFFFFFF when no run of the length asked for is there; the run they find is
 * the first one in that order. The routines may run at any IRQL; the buffer must then be resident,
 * which the model does not check.
 */
import type { Kernel } from './kernel';
import { writeOut } from './objects';
import { pointerOf } from './marshal';
import { Ptr, resolve, type AllocPtr } from '../memory/pointer';
import type { StructView } from '../memory/view';

const NOT_FOUND = 0xffffffff;

/** One RTL_BITMAP as a call sees it: its size in bits and the bytes under its buffer. */
interface Bits {
  size: number;
  at: AllocPtr;
}

export class BitmapRoutines {
  constructor(private readonly k: Kernel) {}

  RtlInitializeBitMap(BitMapHeader: unknown, BitMapBuffer: unknown, SizeOfBitMap: number): void {
    const k = this.k;
    k.checkIrql('RtlInitializeBitMap');
    const h = BitMapHeader as StructView | null;
    if (h === null || h === undefined) {
      k.violation('null-param', 'RtlInitializeBitMap needs the RTL_BITMAP header to fill');
      return;
    }
    const size = Number(SizeOfBitMap) >>> 0;
    if (size > 0 && !(pointerOf(BitMapBuffer) instanceof Ptr)) k.violation('null-param', `RtlInitializeBitMap was given ${size} bits but no buffer to hold them`);
    h.SizeOfBitMap = size;
    h.Buffer = BitMapBuffer ?? null;
  }

  RtlClearAllBits(BitMapHeader: unknown): void {
    this.fill('RtlClearAllBits', BitMapHeader, false);
  }

  RtlSetAllBits(BitMapHeader: unknown): void {
    this.fill('RtlSetAllBits', BitMapHeader, true);
  }

  RtlSetBits(BitMapHeader: unknown, StartingIndex: number, NumberToSet: number): void {
    const b = this.range('RtlSetBits', BitMapHeader, StartingIndex, NumberToSet);
    if (b !== null) setRange(b, Number(StartingIndex) >>> 0, Number(NumberToSet) >>> 0, true);
  }

  RtlClearBits(BitMapHeader: unknown, StartingIndex: number, NumberToClear: number): void {
    const b = this.range('RtlClearBits', BitMapHeader, StartingIndex, NumberToClear);
    if (b !== null) setRange(b, Number(StartingIndex) >>> 0, Number(NumberToClear) >>> 0, false);
  }

  RtlSetBit(BitMapHeader: unknown, BitNumber: number): void {
    const b = this.range('RtlSetBit', BitMapHeader, BitNumber, 1);
    if (b !== null) setBit(b, Number(BitNumber) >>> 0, true);
  }

  RtlClearBit(BitMapHeader: unknown, BitNumber: number): void {
    const b = this.range('RtlClearBit', BitMapHeader, BitNumber, 1);
    if (b !== null) setBit(b, Number(BitNumber) >>> 0, false);
  }

  RtlTestBit(BitMapHeader: unknown, BitNumber: number): number {
    const b = this.range('RtlTestBit', BitMapHeader, BitNumber, 1);
    return b !== null && bit(b, Number(BitNumber) >>> 0) ? 1 : 0;
  }

  /** FALSE for a range that reaches past the bitmap, as Windows answers it. */
  RtlAreBitsSet(BitMapHeader: unknown, StartingIndex: number, Length: number): number {
    return this.all('RtlAreBitsSet', BitMapHeader, StartingIndex, Length, true);
  }

  RtlAreBitsClear(BitMapHeader: unknown, StartingIndex: number, Length: number): number {
    return this.all('RtlAreBitsClear', BitMapHeader, StartingIndex, Length, false);
  }

  RtlNumberOfSetBits(BitMapHeader: unknown): number {
    const b = this.header('RtlNumberOfSetBits', BitMapHeader);
    return b === null ? 0 : count(b, true);
  }

  RtlNumberOfClearBits(BitMapHeader: unknown): number {
    const b = this.header('RtlNumberOfClearBits', BitMapHeader);
    return b === null ? 0 : count(b, false);
  }

  RtlFindClearBits(BitMapHeader: unknown, NumberToFind: number, HintIndex: number): number {
    const b = this.header('RtlFindClearBits', BitMapHeader);
    return b === null ? NOT_FOUND : find(b, Number(NumberToFind) >>> 0, Number(HintIndex) >>> 0, false);
  }

  RtlFindSetBits(BitMapHeader: unknown, NumberToFind: number, HintIndex: number): number {
    const b = this.header('RtlFindSetBits', BitMapHeader);
    return b === null ? NOT_FOUND : find(b, Number(NumberToFind) >>> 0, Number(HintIndex) >>> 0, true);
  }

  RtlFindClearBitsAndSet(BitMapHeader: unknown, NumberToFind: number, HintIndex: number): number {
    return this.findAndFlip('RtlFindClearBitsAndSet', BitMapHeader, NumberToFind, HintIndex, false);
  }

  RtlFindSetBitsAndClear(BitMapHeader: unknown, NumberToFind: number, HintIndex: number): number {
    return this.findAndFlip('RtlFindSetBitsAndClear', BitMapHeader, NumberToFind, HintIndex, true);
  }

  /** The first run of clear bits: its length, and its start in *StartingIndex (0 and 0 when every bit is set). */
  RtlFindFirstRunClear(BitMapHeader: unknown, StartingIndex: unknown): number {
    const b = this.header('RtlFindFirstRunClear', BitMapHeader);
    const run = b === null ? { start: 0, length: 0 } : nextRun(b, 0, false);
    writeOut(StartingIndex, run.start);
    return run.length;
  }

  /** The run of clear bits at or after FromIndex: its length, its start in *StartingRunIndex. */
  RtlFindNextForwardRunClear(BitMapHeader: unknown, FromIndex: number, StartingRunIndex: unknown): number {
    const b = this.header('RtlFindNextForwardRunClear', BitMapHeader);
    const run = b === null ? { start: 0, length: 0 } : nextRun(b, Number(FromIndex) >>> 0, false);
    writeOut(StartingRunIndex, run.start);
    return run.length;
  }

  /** The longest run of clear bits (the first of the longest): its length, its start in *StartingIndex. */
  RtlFindLongestRunClear(BitMapHeader: unknown, StartingIndex: unknown): number {
    const b = this.header('RtlFindLongestRunClear', BitMapHeader);
    let best = { start: 0, length: 0 };
    if (b !== null) {
      for (let from = 0; from < b.size; ) {
        const run = nextRun(b, from, false);
        if (run.length === 0) break;
        if (run.length > best.length) best = run;
        from = run.start + run.length;
      }
    }
    writeOut(StartingIndex, best.start);
    return best.length;
  }

  private fill(routine: string, BitMapHeader: unknown, value: boolean): void {
    const b = this.header(routine, BitMapHeader);
    if (b === null) return;
    // Whole ULONGs, as Windows writes them: the bits past SizeOfBitMap in the last one change too.
    const bytes = Math.ceil(b.size / 32) * 4;
    const r = resolve(b.at, bytes, 'writes');
    r.alloc.writeBytes(r.offset, new Uint8Array(bytes).fill(value ? 0xff : 0));
  }

  private all(routine: string, BitMapHeader: unknown, StartingIndex: number, Length: number, value: boolean): number {
    const b = this.header(routine, BitMapHeader);
    if (b === null) return 0;
    const start = Number(StartingIndex) >>> 0;
    const length = Number(Length) >>> 0;
    if (start + length > b.size || length === 0) return 0;
    for (let i = start; i < start + length; i++) if (bit(b, i) !== value) return 0;
    return 1;
  }

  private findAndFlip(routine: string, BitMapHeader: unknown, NumberToFind: number, HintIndex: number, value: boolean): number {
    const b = this.header(routine, BitMapHeader);
    if (b === null) return NOT_FOUND;
    const n = Number(NumberToFind) >>> 0;
    const at = find(b, n, Number(HintIndex) >>> 0, value);
    if (at !== NOT_FOUND) setRange(b, at, n, !value);
    return at;
  }

  /** The bitmap a call names, its bytes checked to be there; null (with a violation) for a header without a buffer. */
  private header(routine: string, BitMapHeader: unknown): Bits | null {
    const k = this.k;
    k.checkIrql(routine);
    const h = BitMapHeader as StructView | null;
    if (h === null || h === undefined) {
      k.violation('null-param', `${routine} needs an RTL_BITMAP (set up with RtlInitializeBitMap)`);
      return null;
    }
    const size = Number(h.SizeOfBitMap) >>> 0;
    const buffer = pointerOf(h.Buffer);
    if (!(buffer instanceof Ptr) || buffer.alloc === null) {
      if (size === 0) return null;
      k.violation('null-param', `${routine}: the RTL_BITMAP has ${size} bits but no Buffer; call RtlInitializeBitMap with the array that holds them`);
      return null;
    }
    // The buffer must hold every bit: a short one is an out-of-bounds access, as on Windows.
    const at = resolve(buffer, Math.max(1, Math.ceil(size / 8)), 'reads');
    return { size, at };
  }

  private range(routine: string, BitMapHeader: unknown, StartingIndex: number, Count: number): Bits | null {
    const b = this.header(routine, BitMapHeader);
    if (b === null) return null;
    const start = Number(StartingIndex) >>> 0;
    const n = Number(Count) >>> 0;
    if (start + n > b.size) {
      this.k.violation('invalid-parameter', `${routine}: bits ${start}..${start + n - 1} reach past the bitmap's ${b.size} bits`);
      return null;
    }
    return b;
  }
}

function bit(b: Bits, i: number): boolean {
  return (b.at.alloc.readBytes(b.at.offset + (i >>> 3), 1)[0]! & (1 << (i & 7))) !== 0;
}

function setBit(b: Bits, i: number, value: boolean): void {
  const offset = b.at.offset + (i >>> 3);
  const byte = b.at.alloc.readBytes(offset, 1)[0]!;
  b.at.alloc.writeBytes(offset, [value ? byte | (1 << (i & 7)) : byte & ~(1 << (i & 7))]);
}

function setRange(b: Bits, start: number, n: number, value: boolean): void {
  for (let i = start; i < start + n; i++) setBit(b, i, value);
}

function count(b: Bits, value: boolean): number {
  let n = 0;
  for (let i = 0; i < b.size; i++) if (bit(b, i) === value) n++;
  return n;
}

/** The first index, from `hint` up and then from 0, where `n` bits in a row have `value`; NOT_FOUND when none. */
function find(b: Bits, n: number, hint: number, value: boolean): number {
  if (n > b.size) return NOT_FOUND;
  const from = hint < b.size ? hint : 0;
  if (n === 0) return from;
  const search = (lo: number, hi: number): number => {
    let run = 0;
    for (let i = lo; i < hi; i++) {
      run = bit(b, i) === value ? run + 1 : 0;
      if (run === n) return i - n + 1;
    }
    return NOT_FOUND;
  };
  const up = search(from, b.size);
  if (up !== NOT_FOUND) return up;
  // Wrapping: a run may start before the hint and end after it.
  return search(0, Math.min(b.size, from + n - 1));
}

/** The run of bits with `value` at or after `from`. */
function nextRun(b: Bits, from: number, value: boolean): { start: number; length: number } {
  let i = from;
  while (i < b.size && bit(b, i) !== value) i++;
  if (i >= b.size) return { start: 0, length: 0 };
  const start = i;
  while (i < b.size && bit(b, i) === value) i++;
  return { start, length: i - start };
}
