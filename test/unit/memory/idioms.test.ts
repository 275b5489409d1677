// The C idioms byte memory exists for, written against the memory API the interpreter uses:
// directory buffers walked by NextEntryOffset, CONTAINING_RECORD as offset arithmetic, arrays of
// structs, and a pointer kept in an integer field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sizeOf, ULONGLONG } from '../../../engine/c/types';
import { AddressSpace } from '../../../engine/memory/space';
import { MemoryError } from '../../../engine/memory/errors';
import { Ptr } from '../../../engine/memory/pointer';
import { fieldPlace, load, store } from '../../../engine/memory/typed';
import { viewOf, type StructView } from '../../../engine/memory/view';
import { readChars, writeChars } from '../../../engine/memory/strings';
import { DIR_ENTRY, RECORD } from './types';

const NAME = fieldPlace(DIR_ENTRY, 'FileName').offset;

test('a directory buffer filled entry by entry and walked by NextEntryOffset', () => {
  const s = new AddressSpace();
  const buffer = s.allocate('pool', 512, { label: 'directory buffer' });
  const names = ['a.txt', 'report.docx', 'z'];
  let at = new Ptr(buffer, 0);
  let prev: StructView | undefined;
  for (const n of names) {
    const e = viewOf(at, DIR_ENTRY);
    e.FileIndex = names.indexOf(n);
    (e.EndOfFile as StructView).QuadPart = 100 * n.length;
    e.FileNameLength = n.length * 2;
    writeChars(at.add(NAME), n, 2, false);
    e.NextEntryOffset = 0;
    if (prev) prev.NextEntryOffset = at.offset - prev.$offset;
    prev = e;
    at = at.add(Math.ceil((NAME + n.length * 2) / 8) * 8); // entries are 8-byte aligned
  }
  const seen: string[] = [];
  let p: Ptr = new Ptr(buffer, 0);
  for (;;) {
    const e = viewOf(p, DIR_ENTRY);
    seen.push(`${readChars(p.add(NAME), 2, (e.FileNameLength as number) / 2)}:${(e.EndOfFile as StructView).QuadPart}`);
    if (e.NextEntryOffset === 0) break;
    p = p.add(e.NextEntryOffset as number);
  }
  assert.deepEqual(seen, ['a.txt:500', 'report.docx:1100', 'z:100']);
});

test('a NextEntryOffset that runs past the buffer is caught at the first field it reads', () => {
  const s = new AddressSpace();
  const buffer = s.allocate('pool', 64, { label: 'directory buffer', zeroed: true });
  viewOf(new Ptr(buffer, 0), DIR_ENTRY).NextEntryOffset = 60;
  const next = viewOf(new Ptr(buffer, 60), DIR_ENTRY);
  assert.equal(next.NextEntryOffset, 0, 'the first 4 bytes are still inside');
  assert.throws(() => next.FileIndex, (e) => e instanceof MemoryError && e.message === 'reads 4 bytes at offset 64 of a 64-byte directory buffer: past its end');
});

test('CONTAINING_RECORD is the field pointer minus the field offset', () => {
  const s = new AddressSpace();
  const records = s.allocate('pool', 3 * sizeOf(RECORD));
  const linkOffset = fieldPlace(RECORD, 'Links').offset;
  for (let i = 0; i < 3; i++) viewOf(new Ptr(records, i * sizeOf(RECORD)), RECORD).Id = 10 + i;
  const link = new Ptr(records, 2 * sizeOf(RECORD) + linkOffset);
  const rec = viewOf(link.add(-linkOffset), RECORD);
  assert.equal(rec.Id, 12);
  assert.equal(rec.$offset, 2 * sizeOf(RECORD));
});

test('a pointer kept in a ULONGLONG field and turned back into a pointer', () => {
  const s = new AddressSpace();
  const rec = s.allocate('pool', sizeOf(RECORD), { zeroed: true });
  const target = s.allocate('pool', 16);
  store(new Ptr(target, 0), ULONGLONG, 42);
  const payload = new Ptr(rec, fieldPlace(RECORD, 'Payload').offset);
  store(payload, ULONGLONG, s.exposeAddress(new Ptr(target, 0)));
  const back = s.fromAddress(load(payload, ULONGLONG) as number);
  assert.equal(load(back, ULONGLONG), 42);
});

test('an array of structs: element pointers step by the struct size', () => {
  const s = new AddressSpace();
  const arr = s.allocate('global', 4 * sizeOf(RECORD), { zeroed: true });
  const first = new Ptr(arr, 0);
  for (let i = 0; i < 4; i++) viewOf(first.add(i * sizeOf(RECORD)), RECORD).Id = i * i;
  assert.deepEqual([0, 1, 2, 3].map((i) => viewOf(first.add(i * sizeOf(RECORD)), RECORD).Id), [0, 1, 4, 9]);
  assert.throws(() => viewOf(first.add(4 * sizeOf(RECORD)), RECORD).Id, (e) => e instanceof MemoryError && e.kind === 'out-of-bounds');
  const links = viewOf(first, RECORD).Links as StructView;
  links.Flink = links.$ptr;
  assert.equal((links.Flink as Ptr).offset, fieldPlace(RECORD, 'Links').offset);
});
