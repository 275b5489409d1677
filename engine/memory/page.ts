/**
 * The pages an allocation's bytes live in: 4 KiB each, made on first write, each holding its bytes
 * and behind them one initialisation-state byte per byte.
 */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK = PAGE_SIZE - 1;

/** Per-byte state in a page's mask. */
export const UNINIT = 0;
export const INIT = 1;
/** Initialised, and one of the 8 bytes of a pointer whose provenance is in the map. */
export const POINTER = 2;

/**
 * A page is one Uint8Array holding its n bytes and, behind them, their n mask bytes: one typed array
 * per page (a typed array costs far more to create than a plain object, and small allocations are
 * made for every call that takes a local's address). Values in it are
 * encoded by littleEndian.ts.
 */
export type Page = Uint8Array;

/**
 * Pages are carved out of shared slabs: a Uint8Array over a part of an existing ArrayBuffer costs
 * a fraction of one with its own (a separate backing store, allocated and tracked for the garbage
 * collector), and every run of an exploration makes some thirty pages. A slab's bytes are handed out
 * once, so a fresh page is all zeros whichever run made it; a slab lives while any page of it does.
 */
const SLAB_SIZE = 64 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

/** A fresh page of `length` bytes; the mask starts initialised for zeroed memory. */
export function newPage(length: number, zeroed: boolean): Page {
  const bytes = 2 * length;
  let p: Page;
  if (bytes > SLAB_SIZE / 4) p = new Uint8Array(bytes);
  else {
    if (slabUsed + bytes > SLAB_SIZE) {
      slab = new ArrayBuffer(SLAB_SIZE);
      slabUsed = 0;
    }
    p = new Uint8Array(slab, slabUsed, bytes);
    slabUsed += bytes;
  }
  if (zeroed) p.fill(INIT, length);
  return p;
}

/** A recycled page made ready for a new allocation (it was cleared when recycled). */
export function reusePage(p: Page, zeroed: boolean): Page {
  if (zeroed) p.fill(INIT, pageLength(p));
  return p;
}

/** Bytes in a page (its mask follows them). */
export function pageLength(p: Page): number {
  return p.length >>> 1;
}
