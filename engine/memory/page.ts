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

/** A fresh page of `length` bytes; the mask starts initialised for zeroed memory. */
export function newPage(length: number, zeroed: boolean): Page {
  const p = new Uint8Array(2 * length);
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
