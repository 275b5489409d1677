/**
 * Integers and floats as x64 stores them: little-endian, two's complement, assembled by hand from
 * bytes (a DataView per access costs more). 8-byte integers come back as numbers when they are safe
 * integers and as bigints otherwise, so every 64-bit value round-trips exactly.
 */

const TWO_32 = 4294967296;

function u32(p: Uint8Array, i: number): number {
  return (p[i] | (p[i + 1] << 8) | (p[i + 2] << 16) | (p[i + 3] << 24)) >>> 0;
}

function i32(p: Uint8Array, i: number): number {
  return p[i] | (p[i + 1] << 8) | (p[i + 2] << 16) | (p[i + 3] << 24);
}

/** An 8-byte integer from two 32-bit halves: a number when it is a safe integer, else a bigint. */
function int64(p: Uint8Array, at: number, signed: boolean): number | bigint {
  const lo = u32(p, at);
  const hi = signed ? i32(p, at + 4) : u32(p, at + 4);
  if (hi >= -0x200000 && hi < 0x200000) {
    const v = hi * TWO_32 + lo;
    if (Number.isSafeInteger(v)) return v;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

export function readScalar(p: Uint8Array, at: number, size: 1 | 2 | 4 | 8, signed: boolean): number | bigint {
  switch (size) {
    case 1: {
      const b = p[at];
      return signed ? (b << 24) >> 24 : b;
    }
    case 2: {
      const h = p[at] | (p[at + 1] << 8);
      return signed ? (h << 16) >> 16 : h;
    }
    case 4:
      return signed ? i32(p, at) : u32(p, at);
    default:
      return int64(p, at, signed);
  }
}

function set32(p: Uint8Array, at: number, n: number): void {
  p[at] = n & 0xff;
  p[at + 1] = (n >>> 8) & 0xff;
  p[at + 2] = (n >>> 16) & 0xff;
  p[at + 3] = (n >>> 24) & 0xff;
}

export function setInt64(p: Uint8Array, at: number, v: number | bigint): void {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) {
      let lo = v % TWO_32;
      if (lo < 0) lo += TWO_32;
      set32(p, at, lo);
      set32(p, at + 4, (v - lo) / TWO_32);
      return;
    }
    v = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  }
  const u = BigInt.asUintN(64, v);
  set32(p, at, Number(u & 0xffffffffn));
  set32(p, at + 4, Number(u >> 32n));
}

export function writeScalar(p: Uint8Array, at: number, size: 1 | 2 | 4 | 8, value: number | bigint): void {
  if (size === 8) {
    setInt64(p, at, value);
    return;
  }
  const n = typeof value === 'number' ? value : Number(BigInt.asIntN(32, value));
  p[at] = n & 0xff;
  if (size >= 2) p[at + 1] = (n >>> 8) & 0xff;
  if (size === 4) {
    p[at + 2] = (n >>> 16) & 0xff;
    p[at + 3] = (n >>> 24) & 0xff;
  }
}

// Floats go through one shared buffer (the host is little-endian, as x64 is).
export const F64 = new Float64Array(1);
export const F32 = new Float32Array(F64.buffer, 0, 1);
export const FBYTES = new Uint8Array(F64.buffer);
