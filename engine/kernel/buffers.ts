/**
 * The byte buffers an operation carries, wherever they live: driver memory (a pointer, a view, a
 * cell) or an engine buffer C has not touched yet. The file system fills a read's buffer and takes
 * a write's bytes here, so a filter that swapped in its own buffer gets the bytes in its memory,
 * and a buffer nobody looks at costs no memory at all.
 */
import type { Allocation } from '../memory/allocation';
import { MemoryError } from '../memory/errors';
import { Ptr } from '../memory/pointer';
import { Cell, isView } from '../memory/view';
import { EngineBuffer, type Marshal } from './marshal';

/** Where the bytes of `buf` are in memory (made now for an engine buffer), or null for NULL. */
export function bufferPlace(m: Marshal, buf: unknown): { alloc: Allocation; offset: number } | null {
  if (buf === null || buf === undefined) return null;
  if (buf instanceof EngineBuffer) {
    const p = m.pointerFor(buf) as Ptr;
    return { alloc: p.alloc as Allocation, offset: p.offset };
  }
  if (buf instanceof Ptr) {
    if (buf.alloc === null) throw new MemoryError('bad-pointer', `the buffer pointer ${buf.address === 0 ? 'is NULL' : 'points at no memory'}`);
    return { alloc: buf.alloc as Allocation, offset: buf.offset };
  }
  if (isView(buf)) return { alloc: buf.$alloc, offset: buf.$offset };
  if (buf instanceof Cell) return { alloc: buf.ptr.alloc, offset: buf.ptr.offset };
  return null;
}

/**
 * `length` bytes of `buf` from byte `from`, as they are (a write's data, a FILE_RENAME_INFORMATION);
 * zeros for NULL.
 */
export function readBuffer(m: Marshal, buf: unknown, length: number, from = 0): Uint8Array {
  if (length <= 0) return new Uint8Array(0);
  if (buf instanceof EngineBuffer && m.madeFor(buf) === undefined) {
    const out = new Uint8Array(length);
    if (buf.contents !== undefined) out.set(buf.contents.subarray(from, from + length));
    return out;
  }
  const place = bufferPlace(m, buf);
  if (place === null) return new Uint8Array(length);
  return place.alloc.peek(place.offset + from, length);
}

/**
 * Bytes `from` to `from + n` of `buf`, or undefined when they are zeros known without reading them
 * (NULL, or past what anyone wrote into an engine buffer): a 4 GiB write with no data is not read.
 */
export function readBufferPart(m: Marshal, buf: unknown, from: number, n: number): Uint8Array | undefined {
  if (buf === null || buf === undefined) return undefined;
  if (buf instanceof EngineBuffer && m.madeFor(buf) === undefined && (buf.contents === undefined || from >= buf.contents.length)) return undefined;
  return readBuffer(m, buf, n, from);
}

/** Stores `bytes` at `offset` of `buf` (a read's data, query results). */
export function writeBuffer(m: Marshal, buf: unknown, offset: number, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  if (buf instanceof EngineBuffer && m.madeFor(buf) === undefined) {
    if (offset + bytes.length > buf.length) throw new MemoryError('out-of-bounds', `writes ${bytes.length} bytes at offset ${offset} of a ${buf.length}-byte ${buf.label}`);
    const c = (buf.contents ??= new Uint8Array(buf.length));
    c.set(bytes, offset);
    return;
  }
  const place = bufferPlace(m, buf);
  if (place === null) throw new MemoryError('null-dereference', 'the buffer is NULL');
  place.alloc.writeBytes(place.offset + offset, bytes);
}
