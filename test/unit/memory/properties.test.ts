// Property tests of byte memory: stores and loads agree for every scalar at every offset, a random
// program of writes, fills and copies leaves exactly the bytes, initialisation and provenance a plain
// reference model predicts, addresses are never reused, and typed views agree with raw loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sizeOf, type IntType, type StructType } from '../../../engine/c/types';
import { AddressSpace } from '../../../engine/memory/space';
import { PAGE_SIZE, type Allocation } from '../../../engine/memory/allocation';
import { Ptr } from '../../../engine/memory/pointer';
import { fieldPlaces } from '../../../engine/memory/typed';
import { viewAt, type StructView } from '../../../engine/memory/view';
import { FLAGS, LARGE_INTEGER, NODE } from './types';

const RUNS = { numRuns: 300 };

/** The canonical value of an integer of `size` bytes: a number when safe, else a bigint. */
function canonical(v: bigint, size: number, signed: boolean): number | bigint {
  const w = signed ? BigInt.asIntN(size * 8, v) : BigInt.asUintN(size * 8, v);
  const n = Number(w);
  return Number.isSafeInteger(n) ? n : w;
}

const intSize = fc.constantFrom<1 | 2 | 4 | 8>(1, 2, 4, 8);

test('an integer stored at any offset, even across a page boundary, loads back wrapped to its width', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 2 * PAGE_SIZE + 8);
  fc.assert(
    fc.property(intSize, fc.boolean(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.oneof(fc.nat({ max: 2 * PAGE_SIZE }), fc.integer({ min: PAGE_SIZE - 8, max: PAGE_SIZE + 1 })), (size, signed, v, offset) => {
      const asNumber = Number(v);
      a.writeInt(offset, size, Number.isSafeInteger(asNumber) ? asNumber : v);
      assert.equal(a.readInt(offset, size, signed), canonical(v, size, signed));
    }),
    RUNS,
  );
});

test('floats and pointers stored at any offset load back identical', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 2 * PAGE_SIZE + 8);
  const targets = [s.allocate('pool', 4), s.allocate('stack', 100), s.allocate('global', 1)];
  fc.assert(
    fc.property(fc.nat({ max: 2 * PAGE_SIZE }), fc.double({ noNaN: true }), fc.float({ noNaN: true }), fc.nat({ max: 2 }), fc.integer({ min: -8, max: 120 }), (offset, d, f, t, off) => {
      a.writeFloat(offset, 8, d);
      assert.ok(Object.is(a.readFloat(offset, 8), d));
      a.writeFloat(offset, 4, f);
      assert.ok(Object.is(a.readFloat(offset, 4), f));
      const p = new Ptr(targets[t], off);
      a.writePointer(offset, p);
      assert.equal(a.readPointer(offset), p);
    }),
    RUNS,
  );
});

// ---- model-based: bytes, initialisation and provenance ------------------------------------------

type Op =
  | { k: 'int'; dst: number; off: number; size: 1 | 2 | 4 | 8; v: number }
  | { k: 'fill'; dst: number; off: number; n: number; byte: number }
  | { k: 'ptr'; dst: number; off: number; target: number }
  | { k: 'copy'; dst: number; off: number; src: number; from: number; n: number };

/** Operations on two allocations of `size` bytes, with offsets drawn from `offset`. */
function ops(size: number, offset: fc.Arbitrary<number>): fc.Arbitrary<Op[]> {
  const at = (room: number) => offset.map((o) => Math.min(o, size - room));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant('int' as const), dst: fc.nat({ max: 1 }), off: at(8), size: intSize, v: fc.integer() }),
    fc.record({ k: fc.constant('fill' as const), dst: fc.nat({ max: 1 }), off: at(1), n: fc.nat({ max: 16 }), byte: fc.nat({ max: 255 }) }),
    fc.record({ k: fc.constant('ptr' as const), dst: fc.nat({ max: 1 }), off: at(8), target: fc.nat({ max: 2 }) }),
    fc.record({ k: fc.constant('copy' as const), dst: fc.nat({ max: 1 }), off: at(1), src: fc.nat({ max: 1 }), from: at(1), n: fc.nat({ max: 24 }) }),
  );
  return fc.array(op, { maxLength: 40 });
}

interface Model {
  bytes: number[];
  init: boolean[];
  /** offset → target index of a pointer with intact provenance */
  prov: Map<number, number>;
}

function modelWrite(m: Model, off: number, bytes: number[], init: boolean[]): void {
  if (bytes.length === 0) return;
  for (const s of [...m.prov.keys()]) if (s < off + bytes.length && s + 8 > off) m.prov.delete(s);
  for (let i = 0; i < bytes.length; i++) {
    m.bytes[off + i] = bytes[i];
    m.init[off + i] = init[i];
  }
}

function leBytes(v: bigint, n: number): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < n; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}

/** Runs `program` on real allocations and on the model; compares bytes, init and provenance. */
function checkAgainstModel(size: number, program: Op[], zeroed: boolean): void {
  const s = new AddressSpace();
  s.onUninitialized = () => {};
  const targets = [s.allocate('pool', 8), s.allocate('pool', 8), s.allocate('pool', 8)];
  const allocs = [s.allocate('pool', size, { zeroed }), s.allocate('pool', size, { zeroed })];
  const models: Model[] = allocs.map(() => ({ bytes: Array(size).fill(0), init: Array(size).fill(zeroed), prov: new Map() }));
  for (const o of program) {
    const a = allocs[o.dst];
    const m = models[o.dst];
    if (o.k === 'int') {
      a.writeInt(o.off, o.size, o.v);
      modelWrite(m, o.off, leBytes(BigInt(o.v), o.size), Array(o.size).fill(true));
    } else if (o.k === 'fill') {
      const n = Math.min(o.n, size - o.off);
      a.fill(o.off, n, o.byte);
      modelWrite(m, o.off, Array(n).fill(o.byte), Array(n).fill(true));
    } else if (o.k === 'ptr') {
      a.writePointer(o.off, new Ptr(targets[o.target], 0));
      modelWrite(m, o.off, leBytes(BigInt(targets[o.target].base), 8), Array(8).fill(true));
      m.prov.set(o.off, o.target);
    } else {
      const n = Math.min(o.n, size - o.off, size - o.from);
      const sm = models[o.src];
      const bytes = sm.bytes.slice(o.from, o.from + n);
      const init = sm.init.slice(o.from, o.from + n);
      const moved = [...sm.prov].filter(([p]) => p >= o.from && p + 8 <= o.from + n).map(([p, t]) => [p - o.from + o.off, t] as const);
      a.copyFrom(allocs[o.src], o.from, o.off, n);
      modelWrite(m, o.off, bytes, init);
      for (const [p, t] of moved) m.prov.set(p, t);
    }
  }
  for (let i = 0; i < 2; i++) {
    const a = allocs[i];
    const m = models[i];
    assert.deepEqual([...a.peek(0, size)], m.bytes);
    assert.deepEqual(Array.from({ length: size }, (_, j) => a.isInitialized(j, 1)), m.init);
    const prov = [...a.provenance()].map(([off, v]) => [off, targets.indexOf((v as Ptr).alloc!)]).sort((x, y) => x[0] - y[0]);
    assert.deepEqual(prov, [...m.prov].sort((x, y) => x[0] - y[0]));
    for (const [off, t] of m.prov) assert.equal((a.readPointer(off) as Ptr).alloc, targets[t]);
  }
}

test('random writes, fills, pointer stores and copies match a plain model byte for byte', () => {
  fc.assert(fc.property(ops(64, fc.nat({ max: 63 })), fc.boolean(), (program, zeroed) => checkAgainstModel(64, program, zeroed)), RUNS);
});

test('the same program around page boundaries of a sparse allocation matches the model', () => {
  const size = 3 * PAGE_SIZE;
  const nearBoundary = fc.oneof(fc.integer({ min: PAGE_SIZE - 20, max: PAGE_SIZE + 12 }), fc.integer({ min: 2 * PAGE_SIZE - 20, max: 2 * PAGE_SIZE + 12 }));
  fc.assert(fc.property(ops(size, nearBoundary), fc.boolean(), (program, zeroed) => checkAgainstModel(size, program, zeroed)), { numRuns: 100 });
});

test('random allocation and free sequences never reuse an address range', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.record({ alloc: fc.nat({ max: 10_000 }) }), fc.record({ free: fc.nat() })), { maxLength: 60 }), (steps) => {
      const s = new AddressSpace();
      const all: Allocation[] = [];
      const live: Allocation[] = [];
      for (const st of steps) {
        if ('alloc' in st) {
          const a = s.allocate('pool', st.alloc);
          all.push(a);
          live.push(a);
        } else if (live.length > 0) {
          const [a] = live.splice(st.free % live.length, 1);
          assert.equal(s.free(a), true);
          assert.equal(s.free(a), false);
        }
      }
      for (let i = 1; i < all.length; i++) assert.ok(all[i].base > all[i - 1].base + all[i - 1].size, 'ranges (one past the end included) are disjoint and increasing');
      assert.equal(new Set(all.map((a) => a.id)).size, all.length);
    }),
    RUNS,
  );
});

test('pointer -> integer -> pointer is the identity on allocation and offset', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 5000 }), { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), (sizes, pick, at) => {
      const s = new AddressSpace();
      const allocs = sizes.map((n) => s.allocate('pool', n));
      const a = allocs[pick % allocs.length];
      const off = at % (a.size + 1);
      const back = s.fromAddress(s.exposeAddress(new Ptr(a, off))) as Ptr;
      assert.equal(back.alloc, a);
      assert.equal(back.offset, off);
    }),
    RUNS,
  );
});

// ---- views --------------------------------------------------------------------------------------

function rawField(a: Allocation, st: StructType, name: string): unknown {
  const p = fieldPlaces(st).get(name)!;
  const t = p.type as IntType;
  if (p.bits === undefined) return a.readInt(p.offset, t.size, t.signed);
  let unit = 0n;
  const bytes = a.peek(p.offset, t.size);
  for (let i = t.size - 1; i >= 0; i--) unit = (unit << 8n) | BigInt(bytes[i]);
  const field = BigInt.asUintN(p.bits, unit >> BigInt(p.bitOffset!));
  return canonical(t.signed ? BigInt.asIntN(p.bits, field) : field, 8, true);
}

test('view accessors agree with raw loads at the layout\'s offsets, bit-fields included', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
      const s = new AddressSpace();
      for (const st of [FLAGS, LARGE_INTEGER, NODE]) {
        const a = s.allocate('pool', sizeOf(st));
        a.writeBytes(0, bytes.subarray(0, sizeOf(st)));
        const v = viewAt(a, 0, st) as StructView;
        for (const [name, p] of fieldPlaces(st)) {
          if (p.type.kind !== 'int') continue;
          assert.equal(v[name], rawField(a, st, name), `${st.tag}.${name}`);
        }
      }
    }),
    RUNS,
  );
});

test('writing a field through a view changes exactly that field\'s bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.constantFrom('A', 'B', 'C', 'Mid', 'D', 'E'), fc.integer(), (bytes, name, value) => {
      const a = new AddressSpace().allocate('pool', 16);
      a.writeBytes(0, bytes);
      const v = viewAt(a, 0, FLAGS) as StructView;
      const before = Object.fromEntries([...fieldPlaces(FLAGS).keys()].map((n) => [n, v[n]]));
      v[name] = value;
      for (const n of fieldPlaces(FLAGS).keys()) {
        if (n !== name) assert.equal(v[n], before[n], `${n} unchanged by a write to ${name}`);
      }
      const p = fieldPlaces(FLAGS).get(name)!;
      const width = p.bits ?? (p.type as IntType).size * 8;
      const expected = (p.type as IntType).signed ? BigInt.asIntN(width, BigInt(value)) : BigInt.asUintN(width, BigInt(value));
      assert.equal(v[name], canonical(expected, 8, true));
    }),
    RUNS,
  );
});
