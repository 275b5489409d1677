// fltsim's layout of every struct the built-in headers declare, against the x64 numbers the MS-ABI
// compiler gave for the same types (test/fixtures/wdk-layouts.tsv, made by scripts/wdk-layouts.ts:
// its header says from which headers and documentation pages). No compiler is needed here.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { compilePrelude } from '../../../engine/c/prelude/compiled';
import type { CompiledPrelude } from '../../../engine/c/program';
import { offsetOf, sizeOf, type StructType } from '../../../engine/c/types';

const TABLE = join(__dirname, '..', '..', 'fixtures', 'wdk-layouts.tsv');

interface Row { type: string; member: string; value: number; source: string }

function readTable(): { rows: Row[]; unverified: string[] } {
  const text = readFileSync(TABLE, 'utf8');
  const rows: Row[] = [];
  let unverified: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# Unverified')) unverified = line.replace(/^# Unverified[^:]*:\s*/, '').split(' ').filter((s) => s && s !== '-');
    if (line === '' || line.startsWith('#') || line.startsWith('type\t')) continue;
    const [type, member, value, source] = line.split('\t');
    rows.push({ type, member, value: Number(value), source });
  }
  return { rows, unverified };
}

let prelude: CompiledPrelude;
before(async () => {
  await loadCLanguage();
  prelude = compilePrelude();
});

function structNamed(name: string): StructType | undefined {
  const t = prelude.scope.typedef(name);
  return t?.kind === 'struct' ? t : undefined;
}

test('every sizeof and member offset in the measured table is fltsim\'s too', () => {
  const { rows } = readTable();
  assert.ok(rows.length > 1500, `${rows.length} numbers in the table`);
  const mismatches: string[] = [];
  for (const r of rows) {
    const t = structNamed(r.type);
    if (!t) {
      mismatches.push(`${r.type}: not declared by the prelude`);
      continue;
    }
    let ours: number | string;
    try {
      ours = r.member === 'sizeof' ? sizeOf(t) : offsetOf(t, r.member.split('.'));
    } catch (e) {
      ours = (e as Error).message;
    }
    if (ours !== r.value) mismatches.push(`${r.type} ${r.member}: fltsim ${ours}, ${r.source} ${r.value}`);
  }
  assert.deepEqual(mismatches, []);
});

test('every struct the prelude declares is in the table or named there as unverified', () => {
  const { rows, unverified } = readTable();
  const measured = new Set(rows.map((r) => r.type));
  const missing: string[] = [];
  for (const [name, t] of prelude.scope.own().typedefs) {
    if (t.kind !== 'struct' || !t.fields || name.startsWith('__')) continue;
    const display = t.displayName ?? name;
    if (!measured.has(display) && !unverified.includes(display)) missing.push(display);
  }
  assert.deepEqual([...new Set(missing)].sort(), [], 'regenerate the table with scripts/wdk-layouts.ts');
});

test('the engine-visible structs are measured from a real source, member by member', () => {
  const { rows } = readTable();
  const sizeOfType = (type: string) => rows.find((r) => r.type === type && r.member === 'sizeof');
  for (const [type, size] of [
    ['FLT_CALLBACK_DATA', 88], ['FLT_IO_PARAMETER_BLOCK', 72], ['FLT_PARAMETERS', 48], ['FLT_RELATED_OBJECTS', 48],
    ['FILE_OBJECT', 216], ['FLT_REGISTRATION', 112], ['FLT_FILE_NAME_INFORMATION', 120], ['UNICODE_STRING', 16], ['IRP', 208],
  ] as const) {
    const row = sizeOfType(type);
    assert.ok(row, `${type} is measured`);
    assert.equal(row.value, size, `sizeof(${type})`);
  }
  assert.match(sizeOfType('FLT_CALLBACK_DATA')!.source, /^docs:ns-fltkernel-_flt_callback_data$/);
  assert.equal(sizeOfType('FILE_OBJECT')!.source, 'mingw');
  const memberRows = rows.filter((r) => r.type === 'FLT_PARAMETERS').length;
  assert.ok(memberRows > 150, `${memberRows} FLT_PARAMETERS members measured`);
});
